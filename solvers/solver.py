"""Entry points: :func:`solve` for an :class:`~solvers.AssignmentProblem`,
:func:`assign` for the pure problem given as three arrays.

Method, chosen on measurements (see ``docs/solvers.md``):

* The core problem (home posts, must-place, tiers, pins, bans) is a
  min-cost flow: :mod:`solvers.flow`. Exact, milliseconds at regency size.
* If the flow optimum already satisfies every side constraint (and has no
  rotation when rotations are not allowed) it is optimal for the whole
  problem and returned as is.
* Otherwise CP-SAT over the arc variables, warm-started from the flow,
  one objective level at a time, on arcs ranked by proven ceilings (the
  flow's reduced costs, then a Lagrangian bound that prices the linear side
  constraints into a flow): :mod:`solvers.cpsat`, :mod:`solvers.lagrange`.
"""

from __future__ import annotations

import time

import numpy as np

from solvers.flow import InfeasibleCore, solve_flow
from solvers.plan import build_solution, side_violations
from solvers.problem import AssignmentProblem
from solvers.solution import Solution, Status

__all__ = ["assign", "solve"]


def solve(prob: AssignmentProblem, time_limit: float = 60.0, workers: int = 2) -> Solution:
    """Best plan for ``prob``.

    Parameters
    ----------
    prob
        The problem.
    time_limit
        Seconds CP-SAT may use when side constraints need it (the flow
        itself has no time limit: it is exact and fast).
    workers
        CP-SAT search workers.

    Returns
    -------
    Solution
        OPTIMAL, FEASIBLE (with a proven bound), INFEASIBLE (with the names
        of constraints in conflict) or UNKNOWN.

    Examples
    --------
    >>> import numpy as np
    >>> prob = AssignmentProblem(n_persons=2, n_posts=2, person=np.array([0, 0, 1]),
    ...                          post=np.array([0, 1, 1]), score=np.array([5, 3, 4]))
    >>> sol = solve(prob)
    >>> sol.status.value, sol.objective, sol.person.tolist(), sol.post.tolist()
    ('OPTIMAL', 9, [0, 1], [0, 1])
    """
    t0 = time.perf_counter()
    try:
        flow = solve_flow(prob)
    except InfeasibleCore as exc:
        return _core_infeasible(prob, exc.persons, t0)
    needs_side = bool(prob.side) or not prob.allow_cycles
    if not needs_side or not side_violations(prob, flow.chosen):
        return build_solution(
            prob,
            flow.chosen,
            Status.OPTIMAL,
            flow.method,
            time.perf_counter() - t0,
            message=flow.note,
        )
    from solvers.cpsat import solve_side  # CP-SAT only when needed

    return solve_side(prob, flow, time_limit=time_limit, workers=workers, t0=t0)


def _core_infeasible(prob: AssignmentProblem, persons: np.ndarray, t0: float) -> Solution:
    """INFEASIBLE solution naming the core parts in conflict.

    ``must_place`` is always part of it; ``pins`` and ``bans`` are added
    when the persons fit once they are dropped (deletion filter).
    """
    parts = [k for k, arr in (("pins", prob.pins), ("bans", prob.bans)) if arr.shape[0]]
    for part in list(parts):
        trial = [k for k in parts if k != part]
        drop = {k: None for k in ("pins", "bans") if k not in trial}
        try:
            solve_flow(prob.with_changes(**drop))
        except InfeasibleCore:
            parts.remove(part)  # still infeasible without it: not needed
    shown = ", ".join(str(i) for i in persons[:10].tolist()) + (
        ", ..." if persons.size > 10 else ""
    )
    msg = (
        f"{persons.size} persons who must be placed cannot all get a post "
        f"(e.g. persons {shown}): their allowed posts are too few"
    )
    if parts:
        msg += " once " + " and ".join(parts) + " are applied"
    return Solution(
        status=Status.INFEASIBLE,
        wall_time=time.perf_counter() - t0,
        method="min_cost_flow",
        conflicts=("must_place", *parts),
        message=msg,
    )


def assign(
    person: np.ndarray,
    post: np.ndarray,
    score: np.ndarray,
    *,
    n_persons: int | None = None,
    n_posts: int | None = None,
) -> Solution:
    """Maximum-score assignment of persons to posts (anyone may stay unplaced).

    Parameters
    ----------
    person, post, score
        Equal-length integer arrays, one entry per allowed pair.
    n_persons, n_posts
        Sizes; default to one more than the largest index.

    Returns
    -------
    Solution
        ``person``, ``post`` (sorted by post then person) and ``objective``,
        the maximum total score.

    Examples
    --------
    >>> import numpy as np
    >>> sol = assign(np.array([0, 0, 1]), np.array([0, 1, 0]), np.array([4, 3, 2]))
    >>> sol.objective, sol.person.tolist(), sol.post.tolist()
    (5, [1, 0], [0, 1])
    """
    person = np.asarray(person)
    post = np.asarray(post)
    if n_persons is None:
        n_persons = int(person.max()) + 1 if person.size else 0
    if n_posts is None:
        n_posts = int(post.max()) + 1 if post.size else 0
    prob = AssignmentProblem(
        n_persons=n_persons, n_posts=n_posts, person=person, post=post, score=score
    )
    return solve(prob)
