"""Decisions by one cycle each (solvers.cycle.Local) against the oracle: a full re-solve.

After every pin and ban of a random sequence the state's plan has a whole
solve's optimum (score and tier fills), is a valid plan, and its repaired
potentials certify it (no reduced cost below zero, every arc checked); the
prices of a post's candidates equal re-solves with each one pinned.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from solvers import AssignmentProblem, Solution, SolverError, Status, solve, validate
from solvers.cycle import Local

from .solvers_strategies import tiny_problems


def _ranked(sol: Solution) -> dict[int, int]:
    return {t: c for t, c in sol.filled.items() if t > 0}


def _with(prob: AssignmentProblem, pins: list, bans: list) -> AssignmentProblem | None:
    try:
        return prob.with_changes(
            pins=np.array(pins, dtype=np.int64).reshape(-1, 2),
            bans=np.array(bans, dtype=np.int64).reshape(-1, 2),
        )
    except SolverError:  # contradicts a pin or a ban: nothing to compare
        return None


def _check_prices(state: Local, prob: AssignmentProblem, objective: int) -> int:
    """Every candidate of every post priced as a re-solve with the pair pinned."""
    checked = 0
    for j in range(prob.n_posts):
        persons, price = state.prices(j)
        assert np.all(np.diff(persons) > 0)
        for i, got in zip(persons.tolist(), price.tolist(), strict=True):
            pinned = _with(prob, [*prob.pins.tolist(), [i, j]], prob.bans.tolist())
            if pinned is None:
                assert got == np.inf or state.at[i] == j, (i, j)
                continue
            oracle = solve(pinned, time_limit=10)
            want = float(objective - oracle.objective) if oracle.has_plan else np.inf
            assert got == want, (i, j)
            checked += 1
    return checked


def _walk(
    prob: AssignmentProblem, steps: list[tuple[bool, int]], prices: bool = True
) -> tuple[int, int]:
    """From the problem's optimum, one decision after another: a pin (True) of arc ``a``,
    or a ban (False) of the pair of the ``a``-th person the current plan places; each
    state checked against a whole solve, the infeasible ones refused and skipped.
    Returns the decisions made and those that changed the objective."""
    sol = solve(prob, time_limit=10)
    if not sol.has_plan:
        return 0, 0
    state = Local.root(prob, sol)
    assert state is not None and state.worst_reduced_cost() >= 0
    pins, bans, made, changed = prob.pins.tolist(), prob.bans.tolist(), 0, 0
    for pin, a in steps:
        placed = np.flatnonzero(state.at >= 0)
        if pin:
            i, j = int(prob.person[a % prob.n_arcs]), int(prob.post[a % prob.n_arcs])
        elif placed.size:
            i = int(placed[a % placed.size])
            j = int(state.at[i])
        else:
            continue
        now = _with(prob, pins + [[i, j]] * pin, bans + [[i, j]] * (not pin))
        if now is None:
            continue
        oracle = solve(now, time_limit=10)
        new = state.pin(i, j) if pin else state.ban(i, j)
        if not oracle.has_plan:
            assert new is None, (pin, i, j)
            continue
        assert new is not None, (pin, i, j)
        got = new.solution(now)
        assert got.status == Status.OPTIMAL
        assert (got.objective, _ranked(got)) == (oracle.objective, _ranked(oracle)), (pin, i, j)
        assert validate(now, got) == [], (pin, i, j)
        assert new.worst_reduced_cost() >= 0, (pin, i, j)
        if prices:
            _check_prices(new, now, int(got.objective))
        before = _with(prob, pins, bans)
        assert before is not None
        previous = state.solution(before)
        made, changed = made + 1, changed + int(got.objective != previous.objective)
        # the parent state is left as it was: a session goes back to it
        assert np.array_equal(previous.arc, state.solution(before).arc)
        state, pins, bans = new, now.pins.tolist(), now.bans.tolist()
    return made, changed


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    tiny_problems(max_persons=7, max_posts=5),
    st.lists(st.tuples(st.booleans(), st.integers(0, 60)), min_size=1, max_size=5),
)
def test_pins_and_bans_one_cycle_each_give_the_re_solves_optimum(
    prob: AssignmentProblem, steps: list[tuple[bool, int]]
) -> None:
    _walk(prob.with_changes(side=[], allow_cycles=True), steps)


def _round(seed: int) -> AssignmentProblem:
    """20-60 people with incumbents who must be placed, tiers and vacancy chains."""
    rng = np.random.default_rng(100 + seed)
    n, m = int(rng.integers(20, 60)), int(rng.integers(8, 25))
    key = np.unique(rng.integers(0, n * m, size=int(n * m * rng.uniform(0.1, 0.3))))
    home = np.full(n, -1)
    k = min(n, m) // 2
    home[:k] = rng.permutation(m)[:k]
    person, post = key // m, key % m
    extra = np.setdiff1d(np.arange(k) * m + home[:k], key)
    person, post = np.r_[person, extra // m], np.r_[post, extra % m]
    return AssignmentProblem(
        n_persons=n,
        n_posts=m,
        person=person,
        post=post,
        score=rng.integers(-2, 12, person.size),
        home=home,
        must_place=home >= 0,
        priority=rng.integers(0, 3, m) if seed % 2 else None,
    )


@pytest.mark.parametrize("seed", range(6))
def test_a_session_of_decisions_at_random_sizes(seed: int) -> None:
    """Twelve decisions in a row, pins and bans of the plan's pairs (which move people)."""
    rng = np.random.default_rng(seed)
    steps = [(bool(rng.integers(0, 2)), int(rng.integers(0, 10**6))) for _ in range(12)]
    made, changed = _walk(_round(seed), steps, prices=seed < 2)
    assert made >= 7 and changed >= 5  # decisions that cost something


def test_the_prices_of_a_root_equal_the_re_solves() -> None:
    prob = _round(7)
    sol = solve(prob)
    state = Local.root(prob, sol)
    assert state is not None
    assert _check_prices(state, prob, int(sol.objective)) > prob.n_posts


def test_a_ban_of_the_plans_pair_re_places_the_person() -> None:
    # post 0: person 0 (6) before person 1 (4); person 0 may also take post 1 (1)
    prob = AssignmentProblem(
        n_persons=2, n_posts=2, person=np.array([0, 0, 1]), post=np.array([0, 1, 0]),
        score=np.array([6, 1, 4]),
    )  # fmt: skip
    state = Local.root(prob, solve(prob))
    assert state is not None and state.at.tolist() == [0, -1]
    banned = state.ban(0, 0)
    assert banned is not None
    assert banned.at.tolist() == [1, 0]  # person 1 takes post 0, person 0 post 1
    assert banned.solution(prob.with_changes(bans=np.array([[0, 0]]))).objective == 5
    assert state.at.tolist() == [0, -1]  # the state before is unchanged
    # pinning the banned pair is refused (a re-solve says why)
    assert banned.pin(0, 0) is None


def test_a_pin_nobody_can_make_room_for_is_refused() -> None:
    # person 0 must be placed and has only post 0: pinning person 1 there leaves no plan
    prob = AssignmentProblem(
        n_persons=2, n_posts=1, person=np.array([0, 1]), post=np.array([0, 0]),
        score=np.array([3, 5]), must_place=np.array([True, False]),
    )  # fmt: skip
    state = Local.root(prob, solve(prob))
    assert state is not None
    assert state.pin(1, 0) is None
    assert state.ban(0, 0) is None
    assert state.pin(0, 0) is not None


def test_a_plan_that_is_not_optimal_has_no_state() -> None:
    prob = AssignmentProblem(
        n_persons=2, n_posts=2, person=np.array([0, 0, 1]), post=np.array([0, 1, 0]),
        score=np.array([6, 1, 4]),
    )  # fmt: skip
    worse = solve(prob.with_changes(pins=np.array([[1, 0]])))  # 1 + 4 = 5 < 6
    assert Local.root(prob, worse) is None
