"""Independent check of a plan against its problem.

Written apart from every solver on purpose: it imports no solver module,
rebuilds what it needs (arc look-up, vacancy chains) in its own plain way,
and recomputes the objective from the scores. Run it on every plan before
it is shown, and in every test that solves.

Assumptions
-----------
* ``prob`` is a validated :class:`~solvers.AssignmentProblem`.
* A plan (``sol.person``, ``sol.post``) lists chosen pairs; persons not
  listed are unplaced, posts not listed are empty.
"""

from __future__ import annotations

import numpy as np

from solvers.constraints import PlanView
from solvers.problem import AssignmentProblem
from solvers.solution import Solution, Status

__all__ = ["validate"]


def _lookup(
    prob: AssignmentProblem, person: np.ndarray, post: np.ndarray, claimed: np.ndarray | None
) -> np.ndarray:
    """Arc index of each pair, -1 if it is not an arc (own sort, no solver code).

    When the solution's own arcs, in the pairs' order, are those pairs (read from the
    problem's arrays), they are the answer: a problem has each pair once. No sort
    over every arc then, which on a round of tens of millions is seconds.
    """
    if claimed is not None and claimed.shape == person.shape:
        claimed = np.asarray(claimed, dtype=np.int64)
        inside = bool(((claimed >= 0) & (claimed < prob.n_arcs)).all())
        pairs = inside and np.array_equal(prob.person[claimed], person)
        if pairs and np.array_equal(prob.post[claimed], post):
            return claimed
    key = prob.person.astype(np.int64) * max(prob.n_posts, 1) + prob.post
    order = np.argsort(key, kind="stable")
    sk = key[order]
    want = np.asarray(person, dtype=np.int64) * max(prob.n_posts, 1) + post
    pos = np.searchsorted(sk, want)
    ok = pos < sk.size
    pos = np.where(ok, pos, 0)
    if sk.size == 0:
        return np.full(want.shape, -1, dtype=np.int64)
    found = ok & (sk[pos] == want)
    return np.where(found, order[pos], -1)


def _chains(prob: AssignmentProblem, person: np.ndarray, post: np.ndarray) -> list[list[int]]:
    """Vacancy chains as lists of persons, in order; rotations end with -1.

    Walks the plan person by person: the chain through a placement is
    followed backwards to the placement that filled a true vacancy (or
    round a rotation).
    """
    where = dict(zip(person.tolist(), post.tolist(), strict=True))
    home = prob.home
    holder = {int(h): i for i, h in enumerate(home.tolist()) if h >= 0}
    steps = {i for i, j in where.items() if home[i] != j}
    # predecessor of i's step: holder of the post i took, if that holder stepped too
    pred = {}
    for i in steps:
        h = holder.get(where[i])
        if h is not None and h in steps:
            pred[i] = h
    succ = {h: i for i, h in pred.items()}
    chains: list[list[int]] = []
    seen: set[int] = set()
    for i in sorted(steps):
        if i in seen:
            continue
        start = i
        hops = 0
        while start in pred and hops <= len(steps):
            start = pred[start]
            hops += 1
            if start == i:
                break
        chain = [start]
        seen.add(start)
        cycle = False
        while chain[-1] in succ:
            nxt = succ[chain[-1]]
            if nxt == start:
                cycle = True
                break
            chain.append(nxt)
            seen.add(nxt)
        chains.append([*chain, -1] if cycle else chain)
    return chains


def validate(prob: AssignmentProblem, sol: Solution) -> list[str]:
    """Everything wrong with ``sol`` as a plan for ``prob``.

    Checks: pairs are arcs; each person and each post used at most once;
    ``sol.arc`` matches the pairs; must-place persons placed; pins chosen;
    bans not chosen; side constraints and ``allow_cycles`` hold; the
    objective, moves and per-tier fills recomputed equal the reported
    ones; the bound is not below the objective, and equals it when OPTIMAL.

    Parameters
    ----------
    prob
        The problem.
    sol
        The solution to check.

    Returns
    -------
    list of str
        One sentence per violation; empty when the plan is valid.

    Examples
    --------
    >>> import numpy as np
    >>> from solvers import AssignmentProblem, solve
    >>> prob = AssignmentProblem(n_persons=1, n_posts=1, person=np.array([0]),
    ...                          post=np.array([0]), score=np.array([3]))
    >>> validate(prob, solve(prob))
    []
    """
    out: list[str] = []
    person = np.asarray(sol.person, dtype=np.int64)
    post = np.asarray(sol.post, dtype=np.int64)
    if sol.status in (Status.INFEASIBLE, Status.UNKNOWN):
        if person.size or post.size:
            out.append(f"status {sol.status.value} but the solution lists {person.size} pairs")
        if sol.status == Status.INFEASIBLE and not sol.conflicts:
            out.append("status INFEASIBLE but no conflicts are named")
        return out
    if person.shape != post.shape or person.ndim != 1:
        return [f"person and post have shapes {person.shape} and {post.shape}"]
    bad = (person < 0) | (person >= prob.n_persons) | (post < 0) | (post >= prob.n_posts)
    if bad.any():
        return [f"{int(bad.sum())} pairs have indices out of range"]
    arc = _lookup(prob, person, post, sol.arc)
    out.extend(_check_pairs(prob, sol, person, post, arc))
    if out:
        return out
    out.extend(_check_side(prob, person, post, arc))
    out.extend(_check_totals(prob, sol, post, arc, prob.home[person]))
    return out


def _check_pairs(
    prob: AssignmentProblem, sol: Solution, person: np.ndarray, post: np.ndarray, arc: np.ndarray
) -> list[str]:
    """The chosen pairs: arcs, each person and post once, must-place persons
    placed, pins chosen, bans not."""
    out: list[str] = []
    if (arc < 0).any():
        pairs = list(zip(person[arc < 0].tolist(), post[arc < 0].tolist(), strict=True))
        out.append(f"{len(pairs)} chosen pairs are not arcs: {pairs[:5]}")
    for what, arr in (("person", person), ("post", post)):
        vals, counts = np.unique(arr, return_counts=True)
        if (counts > 1).any():
            out.append(f"{what}s used more than once: {vals[counts > 1][:5].tolist()}")
    if sol.arc is not None and len(sol.arc) and not np.array_equal(np.sort(sol.arc), np.sort(arc)):
        out.append("sol.arc does not match the chosen pairs")
    placed = np.zeros(prob.n_persons, dtype=bool)
    placed[person] = True
    missing = np.flatnonzero(prob.must_place & ~placed)
    if missing.size:
        out.append(f"must-place persons unplaced: {missing[:10].tolist()}")
    chosen_pairs = set(zip(person.tolist(), post.tolist(), strict=True))
    for a, b in prob.pins.tolist():
        if (a, b) not in chosen_pairs:
            out.append(f"pin ({a}, {b}) not chosen")
    for a, b in prob.bans.tolist():
        if (a, b) in chosen_pairs:
            out.append(f"banned pair ({a}, {b}) chosen")
    return out


def _check_totals(
    prob: AssignmentProblem, sol: Solution, post: np.ndarray, arc: np.ndarray, home: np.ndarray
) -> list[str]:
    """What the solution states about its plan: objective, moves, fills, bound."""
    out: list[str] = []
    score = int(prob.score[arc].sum())
    if sol.objective != score:
        out.append(f"objective {sol.objective} but the chosen scores sum to {score}")
    moves = int(((home >= 0) & (home != post)).sum())
    if sol.n_moves != moves:
        out.append(f"n_moves {sol.n_moves} but the plan has {moves} moves")
    if prob.priority is not None:
        tiers, counts = np.unique(prob.priority[post], return_counts=True)
        filled = {int(t): int(c) for t, c in zip(tiers, counts, strict=True)}
        if sol.filled != filled:
            out.append(f"filled {sol.filled} but the plan fills {filled}")
    if sol.bound is not None and sol.bound < score:
        out.append(f"bound {sol.bound} is below the objective {score}")
    if sol.status == Status.OPTIMAL and sol.bound is not None and sol.bound != score:
        out.append(f"status OPTIMAL but bound {sol.bound} != objective {score}")
    return out


def _check_side(
    prob: AssignmentProblem, person: np.ndarray, post: np.ndarray, arc: np.ndarray
) -> list[str]:
    """Breaches of ``allow_cycles`` and of each side constraint, on this
    module's own vacancy chains (each constraint words its own breaches)."""
    out: list[str] = []
    chains = None
    if not prob.allow_cycles or any(c.chains for c in prob.side):
        chains = _chains(prob, person, post)
        rotations = [c[:-1] for c in chains if c and c[-1] == -1]
        if not prob.allow_cycles and rotations:
            out.append(f"allow_cycles: {len(rotations)} rotations, e.g. persons {rotations[0]}")
    found = chains
    view = PlanView(arc, person, post, prob.home[person], chains=lambda: found or [])
    for c in prob.side:
        out.extend(c.violations(view))
    return out
