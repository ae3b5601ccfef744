"""talenta solvers: integer arrays in, a plan out.

Knows nothing of the ASN domain and imports nothing from ``engine``: an
:class:`AssignmentProblem` is persons, posts and scored allowed arcs, with
optional home posts, must-place persons, post tiers, pins, bans and side
constraints; :func:`solve` returns a :class:`Solution` (status, plan,
objective, proven bound); :func:`validate` checks any plan independently.

Examples
--------
>>> import numpy as np
>>> from solvers import assign
>>> sol = assign(np.array([0, 0, 1]), np.array([0, 1, 0]), np.array([4, 3, 2]))
>>> sol.objective
5
"""

from solvers.baselines import cascade, greedy
from solvers.constraints import GroupLimit, LinearConstraint, MaxChainLength, MaxMoves
from solvers.errors import CostRangeError, DuplicateArcError, SolverError
from solvers.evidence import (
    Evidence,
    displaced,
    forcing_prices,
    side_constraint_prices,
)
from solvers.picks import top_k_mask
from solvers.problem import AssignmentProblem
from solvers.settings import Settings
from solvers.solution import Solution, Status
from solvers.solver import assign, solve
from solvers.validate import validate

__all__ = [
    "AssignmentProblem",
    "CostRangeError",
    "DuplicateArcError",
    "Evidence",
    "GroupLimit",
    "LinearConstraint",
    "MaxChainLength",
    "MaxMoves",
    "Settings",
    "Solution",
    "SolverError",
    "Status",
    "assign",
    "cascade",
    "displaced",
    "forcing_prices",
    "greedy",
    "side_constraint_prices",
    "solve",
    "top_k_mask",
    "validate",
    "warm_up",
]


def warm_up() -> float:
    """Load (or, the first time on a machine, compile) the compiled code of the
    large-scale path, and return the seconds it took.

    numba compiles on a function's first call and caches the machine code on
    disk; a process pays a fraction of a second to load it, on its first
    large round unless a service or a benchmark calls this up front. Imported
    here, not above: a demo round never loads numba.
    """
    import time

    from solvers.backends.certified.auction import warm_up as load
    from solvers.backends.core import warm_up as load_core

    t0 = time.perf_counter()
    load()
    load_core()
    return time.perf_counter() - t0
