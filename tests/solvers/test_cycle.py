"""One more pin by one cycle (solvers.cycle) against the oracle: a full re-solve with the pin."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

from solvers import (
    AssignmentProblem,
    Evidence,
    Settings,
    Solution,
    SolverError,
    Status,
    solve,
    validate,
)
from solvers.cycle import pin_cycle

from .solvers_strategies import tiny_problems


def _ranked(sol: Solution) -> dict[int, int]:
    return {t: c for t, c in sol.filled.items() if t > 0}


def _check_every_pair(prob: AssignmentProblem, tuning: Settings | None = None) -> int:
    """Every unpinned, unbanned pair pinned by one cycle and by a re-solve: the same
    optimum (score and tier fills), and the cycle's plan valid. Returns the pairs that moved."""
    sol = solve(prob, time_limit=10)
    if not sol.has_plan:
        return 0
    graph = Evidence(prob, sol, settings=tuning).post_graph()
    assert graph is not None
    changed = 0
    pinned_now = {tuple(p) for p in prob.pins.tolist()}
    for i, j in zip(prob.person.tolist(), prob.post.tolist(), strict=True):
        if (i, j) in pinned_now:
            continue
        try:
            pinned = prob.with_changes(pins=np.vstack([prob.pins, [[i, j]]]))
        except SolverError:  # contradicts a pin or a ban: nothing to compare
            continue
        oracle = solve(pinned, time_limit=10)
        got = pin_cycle(graph, sol, pinned, i, j)
        if not oracle.has_plan:
            assert got is None, (i, j)
            continue
        assert got is not None, (i, j)
        assert got.status == Status.OPTIMAL
        # the same optimum: the score, and the fills of every tier with a priority (tier 0
        # has none: two plans of equal score may fill it differently)
        ranked = {t: c for t, c in got.filled.items() if t > 0}
        assert (got.objective, ranked) == (oracle.objective, _ranked(oracle)), (i, j)
        assert validate(pinned, got) == [], (i, j)
        changed += int(got.objective != sol.objective)
    return changed


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_problems(max_persons=7, max_posts=5))
def test_one_cycle_gives_the_re_solves_optimum(prob: AssignmentProblem) -> None:
    _check_every_pair(prob.with_changes(side=[], allow_cycles=True))


@pytest.mark.parametrize("compiled", [False, True])
@pytest.mark.parametrize("seed", range(4))
def test_one_cycle_at_random_sizes(seed: int, compiled: bool) -> None:
    """Rounds of 20-60 people with incumbents who must be placed, tiers and vacancy chains."""
    rng = np.random.default_rng(100 + seed)
    n, m = int(rng.integers(20, 60)), int(rng.integers(8, 25))
    key = np.unique(rng.integers(0, n * m, size=int(n * m * rng.uniform(0.1, 0.3))))
    home = np.full(n, -1)
    k = min(n, m) // 2
    home[:k] = rng.permutation(m)[:k]
    person, post = key // m, key % m
    extra = np.setdiff1d(np.arange(k) * m + home[:k], key)
    person, post = np.r_[person, extra // m], np.r_[post, extra % m]
    prob = AssignmentProblem(
        n_persons=n,
        n_posts=m,
        person=person,
        post=post,
        score=rng.integers(-2, 12, person.size),
        home=home,
        must_place=home >= 0,
        priority=rng.integers(0, 3, m) if seed % 2 else None,
    )
    tuning = Settings(kernel_min_arcs=0 if compiled else 10**9)
    assert _check_every_pair(prob, tuning) > m  # many pins cost something, and move people


def test_a_pin_on_a_banned_pair_is_left_to_the_re_solve() -> None:
    prob = AssignmentProblem(
        n_persons=2, n_posts=2, person=np.array([0, 0, 1]), post=np.array([0, 1, 0]),
        score=np.array([6, 1, 4]), bans=np.array([[0, 1]]),
    )  # fmt: skip
    sol = solve(prob)
    graph = Evidence(prob, sol).post_graph()
    assert graph is not None
    # person 1 on post 0: person 0 goes to post 1, which is banned, so unplaced
    got = pin_cycle(graph, sol, prob.with_changes(pins=np.array([[1, 0]])), 1, 0)
    assert got is not None and got.person.tolist() == [1] and got.objective == 4
    assert pin_cycle(graph, sol, prob, 0, 1) is None
