"""The public entry points: :func:`solve` and :func:`assign`.

:func:`solve` asks the flow backend (:mod:`solvers.backends.flow`) for the
optimum of the core problem; when the problem has side constraints (or
forbids rotations) and that plan breaks them, the CP-SAT backend
(:mod:`solvers.backends.cpsat`) starts from it. Both share one
:class:`~solvers.backends.base.Request`: the time limit, CP-SAT's workers
and the :class:`~solvers.settings.Settings`.
"""

from __future__ import annotations

import numpy as np

from solvers.backends.base import Request
from solvers.backends.flow import FlowBackend
from solvers.plan import side_violations
from solvers.problem import AssignmentProblem
from solvers.settings import Settings
from solvers.solution import Solution, Status

__all__ = ["assign", "solve"]


def solve(
    prob: AssignmentProblem,
    time_limit: float = 60.0,
    workers: int | None = None,
    *,
    settings: Settings | None = None,
    start: Solution | None = None,
) -> Solution:
    """Best plan for ``prob``.

    Parameters
    ----------
    prob
        The problem.
    time_limit
        Seconds CP-SAT may use when side constraints need it (the flow
        itself has no time limit: it is exact and fast).
    workers
        CP-SAT search workers on large models (default: every core this
        process may use).
    settings
        Tuning values and process counts (default: :class:`Settings()`,
        with the cores detected).
    start
        A warm start: an earlier plan of this problem or of one close to it
        (a horizon's previous year, its ids mapped to this problem's). It
        seeds the sparse core of a large round; the plan returned is the
        same optimum with or without it.

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
    request = Request(Settings() if settings is None else settings, time_limit, workers)
    core = FlowBackend().solve(prob, request, start=start)
    if core.status == Status.INFEASIBLE:
        return core
    needs_side = bool(prob.side) or not prob.allow_cycles
    if not needs_side or not side_violations(prob, core.arc):
        return core
    from solvers.backends.cpsat import CpSatBackend  # CP-SAT only when needed

    return CpSatBackend().solve(prob, request, start=core)


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
