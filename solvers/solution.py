"""What a solver returns: a status, the chosen pairs, the objective and a bound.

Assumptions
-----------
* ``objective`` is the total score of the chosen arcs, whatever the
  method; with post tiers the plan is lexicographically best first, and
  ``objective`` is still its total score.
* ``bound`` is an upper bound on the total score of any feasible plan that
  fills at least as many posts per tier as this one (with no tiers: of any
  feasible plan). It is proven, never estimated; ``None`` when no bound is
  known. For an OPTIMAL plan ``bound == objective``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np

__all__ = ["Solution", "Status"]


class Status(StrEnum):
    """Outcome of a solve.

    Attributes
    ----------
    OPTIMAL
        The plan is proven optimal.
    FEASIBLE
        The plan satisfies every constraint; ``bound`` and ``gap`` say how
        far from optimal it can be.
    INFEASIBLE
        No plan satisfies the constraints; ``conflicts`` names a set of
        them that cannot hold together.
    UNKNOWN
        No plan was found within the time limit, and infeasibility was not
        proven either.
    """

    OPTIMAL = "OPTIMAL"
    FEASIBLE = "FEASIBLE"
    INFEASIBLE = "INFEASIBLE"
    UNKNOWN = "UNKNOWN"

    def __str__(self) -> str:
        return self.value


def _empty() -> np.ndarray:
    return np.zeros(0, dtype=np.int64)


@dataclass(frozen=True, eq=False)
class Solution:
    """A plan and what is known about it.

    Attributes
    ----------
    status
        See :class:`Status`.
    person, post
        Chosen pairs, ``int64``, sorted by post then person.
    arc
        Index of each chosen pair in the problem's arc arrays.
    objective
        Total score of the chosen arcs (``None`` without a plan).
    bound
        Proven upper bound on the objective (see the module docstring).
    wall_time
        Seconds spent in the solver.
    method
        How the plan was found: ``"min_cost_flow"``, ``"cp_sat"``,
        ``"greedy"``, ``"cascade"``, ...
    conflicts
        For INFEASIBLE: names of constraints that cannot hold together
        (side-constraint names, or ``"must_place"``, ``"pins"``, ``"bans"``,
        ``"allow_cycles"``).
    message
        Plain-language detail (why infeasible, what was relaxed, ...).
    n_moves
        Chosen arcs that move a person away from a home post.
    filled
        Number of filled posts per priority tier (empty without tiers).
    """

    status: Status
    person: np.ndarray = field(default_factory=_empty)
    post: np.ndarray = field(default_factory=_empty)
    arc: np.ndarray = field(default_factory=_empty)
    objective: int | None = None
    bound: int | None = None
    wall_time: float = 0.0
    method: str = ""
    conflicts: tuple[str, ...] = ()
    message: str = ""
    n_moves: int = 0
    filled: dict[int, int] = field(default_factory=dict)

    @property
    def gap(self) -> float | None:
        """Relative gap ``(bound - objective) / max(|bound|, 1)``; 0 when optimal."""
        if self.objective is None or self.bound is None:
            return None
        return max(0.0, (self.bound - self.objective) / max(abs(self.bound), 1))

    @property
    def has_plan(self) -> bool:
        """True when the solution carries a plan (OPTIMAL or FEASIBLE)."""
        return self.status in (Status.OPTIMAL, Status.FEASIBLE)

    def to_dict(self) -> dict:
        """A JSON-serialisable summary (pairs as lists)."""
        return {
            "status": self.status.value,
            "person": self.person.tolist(),
            "post": self.post.tolist(),
            "objective": self.objective,
            "bound": self.bound,
            "gap": self.gap,
            "wall_time": self.wall_time,
            "method": self.method,
            "conflicts": list(self.conflicts),
            "message": self.message,
            "n_moves": self.n_moves,
            "filled": {str(k): v for k, v in self.filled.items()},
        }
