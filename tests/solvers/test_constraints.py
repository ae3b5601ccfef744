"""A side constraint is one class: a new kind works everywhere by itself.

:class:`MaxPlaced` below is defined here only, as a user of the library
would: its data check, its breaches, its CP-SAT row, its Lagrangian row,
its greedy count and its repair. The solver (flow, then CP-SAT with the
Lagrangian round), the validator, the brute force (which goes through the
validator), the baselines and the prices of the constraints take it with
no change anywhere else.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from solvers_brute import assert_brute_force_optimal
from solvers_strategies import tiny_problems

from solvers import (
    AssignmentProblem,
    Settings,
    SolverError,
    Status,
    greedy,
    side_constraint_prices,
    solve,
    validate,
)
from solvers.constraints import Limiter, PlanView, SideConstraint


class _Count(Limiter):
    def __init__(self, limit: int) -> None:
        self.limit, self.taken = limit, 0

    def allows(self, a: int) -> bool:
        return self.taken + 1 <= self.limit

    def take(self, a: int) -> None:
        self.taken += 1


@dataclass(frozen=True, eq=False)
class MaxPlaced(SideConstraint):
    """At most ``limit`` placements in all (stays included)."""

    limit: int
    name: str = "MaxPlaced"

    def check(self, n_arcs: int, n_posts: int) -> list[str]:
        ok = isinstance(self.limit, int) and self.limit >= 0
        return [] if ok else [f"{self.name!r}: limit must be an int >= 0"]

    def violations(self, plan: PlanView) -> list[str]:
        n = int(plan.arc.size)
        return [f"{self.name}: {n} placements > {self.limit}"] if n > self.limit else []

    def build(self, model: Any, x: list, arcs: np.ndarray, prob: Any, lit: Any) -> None:
        ct = model.add(sum(x) <= self.limit)
        if lit is not None:
            ct.only_enforce_if(lit)

    def lp_rows(self, prob: Any, cand: np.ndarray, pins: np.ndarray) -> list:
        return [
            (
                np.zeros(cand.size, dtype=np.int64),
                np.ones(cand.size, np.int64),
                self.limit - pins.size,
            )
        ]

    def limiter(self, prob: Any) -> Limiter:
        return _Count(self.limit)

    def overflow(self, prob: Any, plan: np.ndarray, score: np.ndarray) -> list[int]:
        return plan[np.argsort(score[plan], kind="stable")][: plan.size - self.limit].tolist()


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_problems(), st.integers(0, 3), st.booleans())
def test_a_new_kind_is_solved_to_the_brute_force_optimum(
    prob: AssignmentProblem, limit: int, restricted: bool
) -> None:
    prob = prob.with_changes(side=[*prob.side, MaxPlaced(limit)])
    forced = replace(Settings(), full_model_arcs=0, restricted_arcs=1) if restricted else None
    sol = solve(prob, time_limit=10, settings=forced)
    assert_brute_force_optimal(prob, sol)
    base = greedy(prob)
    if base.status != Status.UNKNOWN:
        assert validate(prob, base) == [] and base.arc.size <= limit


def test_a_new_kind_is_checked_priced_and_named() -> None:
    prob = AssignmentProblem(
        n_persons=3,
        n_posts=3,
        person=np.array([0, 1, 2]),
        post=np.array([0, 1, 2]),
        score=np.array([5, 4, 3]),
        must_place=np.array([True, False, False]),
    )
    capped = prob.with_changes(side=[MaxPlaced(1, "satu saja")])
    sol = solve(capped)
    assert sol.status == Status.OPTIMAL and sol.arc.tolist() == [0]
    too_many = solve(prob)
    assert validate(capped, too_many) == ["satu saja: 3 placements > 1"]
    assert side_constraint_prices(capped, sol) == {"satu saja": 7}
    none = solve(prob.with_changes(side=[MaxPlaced(0, "nol")]))
    assert none.status == Status.INFEASIBLE and none.conflicts == ("nol",)
    with pytest.raises(SolverError, match="limit must be an int"):
        prob.with_changes(side=[MaxPlaced(-1)])
