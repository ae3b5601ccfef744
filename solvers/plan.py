"""Facts about a set of chosen arcs: moves, vacancy chains, side constraints.

Used by the solvers to decide whether the flow optimum already satisfies
the side constraints, and to build a :class:`~solvers.Solution`. The
independent validator (:mod:`solvers.validate`) does not use this module.

Assumptions
-----------
* ``chosen`` holds arc indices of a matching (each person and post at
  most once); nothing here checks that.
* Chain semantics are those of :mod:`solvers.constraints`.
"""

from __future__ import annotations

import numpy as np

from solvers.constraints import PlanView
from solvers.problem import AssignmentProblem
from solvers.solution import Solution, Status

__all__ = ["build_solution", "chain_lengths", "side_violations"]


def chain_lengths(prob: AssignmentProblem, chosen: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Position of each placement in its vacancy chain.

    Parameters
    ----------
    prob
        The problem.
    chosen
        Chosen arc indices.

    Returns
    -------
    steps : numpy.ndarray
        The chosen non-stay arcs (placements that fill a post other than
        the person's home post).
    depth : numpy.ndarray
        Position of each step in its chain (1 = fills a true vacancy);
        ``-1`` for steps on a rotation cycle. A chain's length is the
        depth of its last step, so the longest chain is ``depth.max()``.
    """
    n = prob.n_persons
    p = prob.person[chosen]
    q = prob.post[chosen]
    step = ~prob.is_stay[chosen]
    steps = chosen[step]
    sp, sq = p[step], q[step]
    holder = np.full(prob.n_posts, -1, dtype=np.int64)
    has_home = prob.home >= 0
    holder[prob.home[has_home]] = np.flatnonzero(has_home)
    moved = np.zeros(n, dtype=bool)
    moved[sp] = True
    # predecessor of person i's step: the holder of the post i fills, if moved
    pred = np.full(n, -1, dtype=np.int64)
    h = holder[sq]
    pred[sp] = np.where((h >= 0) & moved[np.maximum(h, 0)], h, -1)
    rank = np.zeros(n, dtype=np.int64)
    rank[sp] = 1
    ptr = pred.copy()
    rounds = 0
    limit = int(np.ceil(np.log2(max(n, 2)))) + 2
    while (ptr[sp] >= 0).any() and rounds < limit:
        live = sp[ptr[sp] >= 0]
        nxt = ptr[live]
        rank_new = rank[live] + rank[nxt]
        ptr_new = ptr[nxt]
        rank[live] = rank_new
        ptr[live] = ptr_new
        rounds += 1
    depth = rank[sp]
    depth[ptr[sp] >= 0] = -1  # never reached a chain start: on (or after) a cycle
    return steps, depth


def side_violations(prob: AssignmentProblem, chosen: np.ndarray) -> list[str]:
    """Names of the side constraints (and ``allow_cycles``) that ``chosen`` breaks."""
    out: list[str] = []
    need_chains = not prob.allow_cycles or any(c.chains for c in prob.side)
    depth = chain_lengths(prob, chosen)[1] if need_chains else None
    if not prob.allow_cycles and depth is not None and (depth < 0).any():
        out.append("allow_cycles")
    person = prob.person[chosen]
    view = PlanView(
        chosen,
        person,
        prob.post[chosen],
        prob.home[person],
        depth=None if depth is None else lambda: depth,
    )
    out.extend(c.name for c in prob.side if c.broken(view))
    return out


def build_solution(
    prob: AssignmentProblem,
    chosen: np.ndarray,
    status: Status,
    method: str,
    wall_time: float,
    bound: int | None = None,
    message: str = "",
) -> Solution:
    """A :class:`~solvers.Solution` from chosen arc indices.

    ``bound`` defaults to the objective when the status is OPTIMAL.
    """
    chosen = np.asarray(chosen, dtype=np.int64)
    p = prob.person[chosen]
    q = prob.post[chosen]
    order = np.lexsort((p, q))
    chosen = chosen[order]
    objective = int(prob.score[chosen].sum())
    filled: dict[int, int] = {}
    if prob.priority is not None:
        tiers, counts = np.unique(prob.priority[prob.post[chosen]], return_counts=True)
        filled = {int(t): int(c) for t, c in zip(tiers, counts, strict=True)}
    if status == Status.OPTIMAL and bound is None:
        bound = objective
    return Solution(
        status=status,
        person=np.asarray(prob.person[chosen], dtype=np.int64).copy(),
        post=np.asarray(prob.post[chosen], dtype=np.int64).copy(),
        arc=chosen,
        objective=objective,
        bound=bound,
        wall_time=wall_time,
        method=method,
        message=message,
        n_moves=int(prob.moves_at(chosen).sum()),
        filled=filled,
    )


def repair(prob: AssignmentProblem, chosen: np.ndarray, rounds: int = 50) -> np.ndarray | None:
    """Make a plan satisfy the upper limits by sending movers back home.

    A warm start for CP-SAT, not a solver: moves are reverted, each with the
    tail of its vacancy chain (the person who took the mover's home post
    goes back too, and so on), until chains, rotations, :class:`MaxMoves`
    and :class:`GroupLimit` hold. A reverted person takes their stay arc,
    or, if they may, no post. Returns None when that does not give a valid
    plan (e.g. a lower bound of a :class:`LinearConstraint`).
    """
    n = prob.n_persons
    usable = ~prob.banned
    stay_arc = np.full(n, -1, dtype=np.int64)
    stays = np.flatnonzero(prob.is_stay & usable)
    stay_arc[prob.person[stays]] = stays
    arc_of = np.full(n, -1, dtype=np.int64)
    arc_of[prob.person[chosen]] = chosen
    pinned = np.zeros(n, dtype=bool)
    pinned[prob.person[prob.pin_arcs]] = True
    holder = np.full(prob.n_posts, -1, dtype=np.int64)
    has_home = prob.home >= 0
    holder[prob.home[has_home]] = np.flatnonzero(has_home)
    chain = next((c for c in prob.side if c.chains), None)

    def who_on(post: int) -> int:
        hits = np.flatnonzero((arc_of >= 0) & (prob.post[np.maximum(arc_of, 0)] == post))
        return int(hits[0]) if hits.size else -1

    def revert(i: int) -> bool:
        tail = [i]
        while True:  # the person who took the home post of the last one
            h = prob.home[tail[-1]]
            nxt = who_on(int(h)) if h >= 0 else -1
            if nxt < 0 or nxt in tail or arc_of[nxt] == stay_arc[nxt]:
                break
            tail.append(nxt)
        for j in reversed(tail):
            if pinned[j]:
                return False
            if stay_arc[j] >= 0:
                arc_of[j] = stay_arc[j]
            elif prob.must_place[j]:
                return False
            else:
                arc_of[j] = -1
        return True

    def current() -> np.ndarray:
        return arc_of[arc_of >= 0]

    for _ in range(rounds):
        plan = current()
        broken = side_violations(prob, plan)
        if not broken:
            return plan
        progress = False
        if "allow_cycles" in broken or (chain is not None and chain.name in broken):
            steps, depth = chain_lengths(prob, plan)
            limit = chain.k if chain is not None else np.iinfo(np.int64).max
            bad = steps[(depth < 0) | (depth > limit)]
            # cut each chain at its first step past the limit (rotations: any member)
            first = bad[
                (depth[(depth < 0) | (depth > limit)] < 0)
                | (depth[(depth < 0) | (depth > limit)] == limit + 1)
            ]
            for a in first.tolist():
                i = int(prob.person[a])
                if arc_of[i] == a:
                    progress |= revert(i)
        for c in prob.side:
            if c.name not in broken:
                continue
            for a in c.overflow(prob, current(), prob.score):
                i = int(prob.person[a])
                if arc_of[i] == a and not prob.is_stay[a]:
                    progress |= revert(i)
        if not progress:
            return None
    plan = current()
    return plan if not side_violations(prob, plan) else None
