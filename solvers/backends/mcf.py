"""OR-Tools' ``SimpleMinCostFlow`` on one assignment network.

The network of a set of persons and posts (local ids ``0..n_p-1`` and
``0..n_q-1``): every person has supply 1 and sends it either to a post
(an arc per allowed pair, capacity 1, its cost) or, unless it must be
placed, straight to the sink; every post sends at most one unit to the
sink. A minimum-cost flow is then a minimum-cost assignment. Arcs are
added in one vectorised call, and every status OR-Tools can answer is
handled by name.
"""

from __future__ import annotations

import numpy as np
from ortools.graph.python import min_cost_flow

from solvers.errors import CostRangeError

__all__ = ["COST_LIMIT", "InfeasibleCore", "cost_in_range", "run_mcf"]

_MCF = min_cost_flow.SimpleMinCostFlow
#: OR-Tools multiplies costs by (nodes + 1) and needs the product below 2**62
#: (measured: it answers BAD_COST_RANGE just above).
COST_LIMIT = 2**61


class InfeasibleCore(Exception):
    """The must-place persons cannot all be placed (internal signal)."""

    def __init__(self, persons: np.ndarray) -> None:
        super().__init__(f"{persons.size} must-place persons cannot be placed")
        self.persons = persons

    def __reduce__(self) -> tuple:
        return (InfeasibleCore, (self.persons,))


def cost_in_range(cost: np.ndarray, n_nodes: int, limit: int = COST_LIMIT) -> bool:
    """Whether OR-Tools accepts ``cost`` on a network of ``n_nodes`` nodes
    (``|cost| * (n_nodes + 1)`` below ``limit``)."""
    if cost.size == 0:
        return True
    top = max(int(cost.max()), -int(cost.min()))  # |cost| without a temporary array
    return top * (n_nodes + 1) < limit


def run_mcf(
    n_p: int, n_q: int, pl: np.ndarray, ql: np.ndarray, cost: np.ndarray, may_leave: np.ndarray
) -> np.ndarray:
    """Solve one assignment network; return flow (0/1) per person->post arc.

    Raises
    ------
    InfeasibleCore
        If the persons without an unplaced arc cannot all be placed.
    """
    sink = n_p + n_q
    leave = np.flatnonzero(may_leave)
    tails = np.concatenate([pl, n_p + np.arange(n_q), leave]).astype(np.int32)
    heads = np.concatenate([n_p + ql, np.full(n_q, sink), np.full(leave.size, sink)]).astype(
        np.int32
    )
    costs = np.concatenate([cost, np.zeros(n_q + leave.size, dtype=np.int64)])
    mcf = _MCF()
    mcf.add_arcs_with_capacity_and_unit_cost(
        tails, heads, np.ones(tails.size, dtype=np.int64), costs.astype(np.int64)
    )
    supplies = np.zeros(sink + 1, dtype=np.int64)
    supplies[:n_p] = 1
    supplies[sink] = -n_p
    mcf.set_nodes_supplies(np.arange(sink + 1, dtype=np.int32), supplies)
    status = mcf.solve()
    if status == _MCF.OPTIMAL:
        return mcf.flows(np.arange(pl.size, dtype=np.int32)).astype(np.int64)
    if status == _MCF.INFEASIBLE:
        raise InfeasibleCore(_unplaceable(n_p, n_q, pl, ql, may_leave))
    if status == _MCF.BAD_COST_RANGE:
        raise CostRangeError(
            f"OR-Tools rejected the cost range (max |cost| {int(np.abs(cost).max())}, "
            f"{sink + 1} nodes)",
            "scores",
        )
    if status == _MCF.UNBALANCED:  # pragma: no cover - supplies are balanced by construction
        raise RuntimeError("min-cost flow reported UNBALANCED supplies")
    if status == _MCF.BAD_CAPACITY_RANGE:  # pragma: no cover - capacities are 1
        raise RuntimeError("min-cost flow reported BAD_CAPACITY_RANGE")
    if status == _MCF.BAD_RESULT:  # pragma: no cover
        raise RuntimeError("min-cost flow reported BAD_RESULT (internal check failed)")
    if status == _MCF.FEASIBLE:  # pragma: no cover - solve() runs to optimality
        raise RuntimeError("min-cost flow stopped at a FEASIBLE, non-optimal flow")
    raise RuntimeError(f"min-cost flow returned {status!r}")  # NOT_SOLVED


def _unplaceable(
    n_p: int, n_q: int, pl: np.ndarray, ql: np.ndarray, may_leave: np.ndarray
) -> np.ndarray:
    """Local ids of must-place persons left out by a maximum placement."""
    # every person may leave, must-place persons at a cost of 1: the optimum
    # leaves out as few must-place persons as possible
    sink = n_p + n_q
    tails = np.concatenate([pl, n_p + np.arange(n_q), np.arange(n_p)]).astype(np.int32)
    heads = np.concatenate([n_p + ql, np.full(n_q, sink), np.full(n_p, sink)]).astype(np.int32)
    costs = np.concatenate([np.zeros(pl.size + n_q, dtype=np.int64), (~may_leave).astype(np.int64)])
    mcf = _MCF()
    mcf.add_arcs_with_capacity_and_unit_cost(
        tails, heads, np.ones(tails.size, dtype=np.int64), costs
    )
    supplies = np.zeros(sink + 1, dtype=np.int64)
    supplies[:n_p] = 1
    supplies[sink] = -n_p
    mcf.set_nodes_supplies(np.arange(sink + 1, dtype=np.int32), supplies)
    status = mcf.solve()
    if status != _MCF.OPTIMAL:  # pragma: no cover - always feasible
        raise RuntimeError(f"diagnostic flow returned {status!r}")
    f = mcf.flows(np.arange(pl.size + n_q, pl.size + n_q + n_p, dtype=np.int32))
    return np.flatnonzero((f > 0) & ~may_leave)
