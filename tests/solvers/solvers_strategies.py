"""Hypothesis strategies for tiny assignment problems (tests only)."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from solvers import AssignmentProblem, GroupLimit, LinearConstraint, MaxChainLength, MaxMoves


@st.composite
def tiny_problems(
    draw,
    max_persons: int = 5,
    max_posts: int = 4,
    side: bool = True,
    extras: bool = True,
) -> AssignmentProblem:
    """Problems small enough to enumerate every matching."""
    n = draw(st.integers(1, max_persons))
    m = draw(st.integers(1, max_posts))
    cells = [(i, j) for i in range(n) for j in range(m)]
    mask = draw(st.lists(st.booleans(), min_size=len(cells), max_size=len(cells)))
    pairs = [c for c, keep in zip(cells, mask, strict=True) if keep]
    home = np.full(n, -1, dtype=np.int64)
    must = np.zeros(n, dtype=bool)
    if extras:
        posts = draw(st.permutations(list(range(m))))
        for i in range(min(n, m)):
            if draw(st.booleans()):
                home[i] = posts[i]
                must[i] = draw(st.booleans())
                if must[i] and (i, posts[i]) not in pairs and draw(st.booleans()):
                    pairs.append((i, posts[i]))
    if not pairs:
        pairs = [(0, 0)]
    person = np.array([a for a, _ in pairs], dtype=np.int64)
    post = np.array([b for _, b in pairs], dtype=np.int64)
    score = np.array(draw(st.lists(st.integers(-3, 9), min_size=len(pairs), max_size=len(pairs))))
    kw: dict = {}
    if extras:
        kw["home"] = home
        kw["must_place"] = must
        if draw(st.booleans()):
            kw["priority"] = np.array(draw(st.lists(st.integers(0, 2), min_size=m, max_size=m)))
        k = len(pairs)
        if draw(st.integers(0, 3)) == 0:
            a = draw(st.integers(0, k - 1))
            kw["pins"] = np.array([[person[a], post[a]]])
        if draw(st.integers(0, 3)) == 0:
            b = draw(st.integers(0, k - 1))
            pins = kw.get("pins")
            if pins is None or not (pins[0, 0] == person[b] and pins[0, 1] == post[b]):
                kw["bans"] = np.array([[person[b], post[b]]])
        kw["allow_cycles"] = draw(st.integers(0, 3)) > 0
    if side and extras:
        cons = []
        choice = draw(st.integers(0, 6))
        if choice == 1:
            cons.append(MaxMoves(draw(st.integers(0, 2)), "maks. mutasi", draw(st.booleans())))
        elif choice == 2:
            cons.append(MaxChainLength(draw(st.integers(1, 2)), "rantai"))
        elif choice == 3:
            group = np.array(draw(st.lists(st.integers(-1, 1), min_size=k, max_size=k)))
            cons.append(GroupLimit(group, draw(st.integers(0, 1)), "per unit"))
        elif choice == 4:
            coef = np.array(draw(st.lists(st.integers(-3, 3), min_size=k, max_size=k)))
            cons.append(LinearConstraint(coef, lower=0, name="kuota"))
        elif choice == 5:
            cons.append(MaxMoves(1, "maks. 1 mutasi"))
            cons.append(MaxChainLength(1, "rantai 1"))
        kw["side"] = cons
    return AssignmentProblem(n_persons=n, n_posts=m, person=person, post=post, score=score, **kw)
