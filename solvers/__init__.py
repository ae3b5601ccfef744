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
    displaced,
    forcing_prices,
    pricing_basis,
    side_constraint_prices,
)
from solvers.flow import top_k_mask
from solvers.problem import AssignmentProblem
from solvers.solution import Solution, Status
from solvers.solver import assign, solve
from solvers.validate import validate

__all__ = [
    "AssignmentProblem",
    "CostRangeError",
    "DuplicateArcError",
    "GroupLimit",
    "LinearConstraint",
    "MaxChainLength",
    "MaxMoves",
    "Solution",
    "SolverError",
    "Status",
    "assign",
    "cascade",
    "displaced",
    "forcing_prices",
    "greedy",
    "pricing_basis",
    "side_constraint_prices",
    "solve",
    "top_k_mask",
    "validate",
]
