"""The side-constraint solve (:mod:`solvers.backends.cpsat`): staged objectives, the
arc set restricted by reduced costs, and the honesty of what it reports."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace
from unittest import mock

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from solvers_brute import assert_brute_force_optimal, brute, key
from solvers_strategies import tiny_problems

import solvers.backends.cpsat as cpsat
from solvers import (
    AssignmentProblem,
    GroupLimit,
    LinearConstraint,
    MaxChainLength,
    MaxMoves,
    Settings,
    Status,
    solve,
    validate,
)

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _restricted(full: int = 0, budget: int = 1) -> Settings:
    """Force the restricted path: every problem priced, tiny first arc sets."""
    return replace(Settings(), full_model_arcs=full, restricted_arcs=budget)


@SETTINGS
@given(tiny_problems())
def test_restricted_arc_sets_still_prove_the_brute_force_optimum(prob: AssignmentProblem) -> None:
    # one arc beyond the flow's and the stay arcs at first: the arc set must
    # widen (or take in every arc that can reach the score) until it proves
    sol = solve(prob, time_limit=10, settings=_restricted())
    assert_brute_force_optimal(prob, sol)


def _women_quota(n_men: int, n_women: int) -> AssignmentProblem:
    """One top-tier post and two lower-tier posts; the top post's candidates
    are ``n_men`` men and ``n_women`` women, and at least 30 % of the
    placements into it must be women."""
    person, post, score = [], [], []
    n = n_men + n_women
    for i in range(n):
        person.append(i)
        post.append(0)
        score.append(10 + i)
    for i in range(n):  # everyone may also take a lower-tier post
        for j in (1, 2):
            person.append(i)
            post.append(j)
            score.append(3 + (i + j) % 4)
    person_a, post_a = np.array(person), np.array(post)
    woman = np.arange(n) >= n_men
    coef = np.where(post_a == 0, np.where(woman[person_a], 70, -30), 0)
    return AssignmentProblem(
        n_persons=n,
        n_posts=3,
        person=person_a,
        post=post_a,
        score=np.array(score),
        priority=np.array([2, 1, 1]),
        side=[LinearConstraint(coef, lower=0, name="perempuan >= 30%")],
    )


def test_fills_the_flow_cannot_keep_are_found_tier_by_tier() -> None:
    prob = _women_quota(n_men=3, n_women=0)  # only men for the top post
    with mock.patch.object(cpsat, "_stage_fills", wraps=cpsat._stage_fills) as stage:
        sol = solve(prob, time_limit=10)
    assert stage.call_count == 1  # the flow fills the top post; no plan can
    assert sol.status == Status.OPTIMAL
    assert sol.filled == {1: 2}
    assert key(prob, tuple(sol.arc.tolist())) == brute(prob)[0]


def test_fills_the_flow_reaches_need_no_fill_stage() -> None:
    prob = _women_quota(n_men=3, n_women=2)
    with mock.patch.object(cpsat, "_stage_fills", wraps=cpsat._stage_fills) as stage:
        sol = solve(prob, time_limit=10)
    assert stage.call_count == 0
    assert sol.status == Status.OPTIMAL
    assert sol.filled == {1: 2, 2: 1}
    assert int(sol.person[sol.post == 0][0]) >= 3  # a woman takes the top post
    assert key(prob, tuple(sol.arc.tolist())) == brute(prob)[0]


def _medium(seed: int, side: str, tiers: bool) -> AssignmentProblem:
    """About 40 persons x 16 posts with incumbents, tiers and one kind of side constraint."""
    rng = np.random.default_rng(seed)
    n, m = 40, 16
    home = np.full(n, -1)
    home[:12] = rng.permutation(m)[:12]
    cells = {(int(i), int(j)) for i in range(n) for j in rng.choice(m, 5, replace=False)}
    cells |= {(i, int(home[i])) for i in range(12)}
    person = np.array(sorted(c[0] for c in cells))
    pairs = sorted(cells)
    person = np.array([p for p, _ in pairs])
    post = np.array([q for _, q in pairs])
    stay = home[person] == post
    score = rng.integers(5, 60, size=person.size) + 15 * stay
    kind = {
        "quota": [
            LinearConstraint(
                np.where(post < 6, np.where(person % 3 == 0, 2, -1), 0), lower=0, name="kuota"
            )
        ],
        "moves": [MaxMoves(3, "maks. 3 mutasi", count_new=True)],
        "chain": [MaxChainLength(1, "rantai 1"), GroupLimit(np.where(stay, -1, post % 4), 2, "u")],
    }[side]
    return AssignmentProblem(
        n_persons=n,
        n_posts=m,
        person=person,
        post=post,
        score=score,
        home=home,
        must_place=home >= 0,
        priority=rng.integers(0, 3, size=m) if tiers else None,
        side=kind,
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(0, 2**31 - 1),
    st.sampled_from(["quota", "moves", "chain"]),
    st.booleans(),
    st.integers(1, 40),
)
def test_restricted_and_full_models_agree(seed: int, side: str, tiers: bool, budget: int) -> None:
    prob = _medium(seed, side, tiers)
    full = solve(prob, time_limit=20, settings=_restricted(full=10**9))
    part = solve(prob, time_limit=20, settings=_restricted(full=0, budget=budget))
    assert validate(prob, full) == [] and validate(prob, part) == []
    assert full.status == part.status
    if full.status == Status.OPTIMAL:
        assert key(prob, tuple(full.arc.tolist())) == key(prob, tuple(part.arc.tolist()))
        assert part.bound == part.objective == full.objective


@pytest.mark.parametrize("side", ["quota", "moves", "chain"])
def test_a_time_out_states_a_proven_bound(side: str) -> None:
    prob = _medium(7, side, tiers=True)
    best = solve(prob, time_limit=20)
    assert best.status == Status.OPTIMAL
    rushed = solve(prob, time_limit=0.001, settings=_restricted(full=0, budget=1))
    assert validate(prob, rushed) == []
    if rushed.status == Status.OPTIMAL:
        assert rushed.objective == best.objective
    elif rushed.has_plan:
        assert rushed.status == Status.FEASIBLE
        if rushed.bound is not None and rushed.filled == best.filled:
            assert rushed.bound >= best.objective
    else:
        assert rushed.status == Status.UNKNOWN


def test_cp_sat_float_bounds_round_to_the_integer_they_carry() -> None:
    assert cpsat._floor_bound(54_290_386.0) == 54_290_386  # a 1e-6 relative margin gave +54
    assert cpsat._floor_bound(5.999_999_999_9) == 6
    assert cpsat._floor_bound(5.5) == 5
    assert cpsat._floor_bound(-3.0) == -3


@SETTINGS
@given(tiny_problems(), st.booleans())
def test_the_lagrangian_round_keeps_the_brute_force_optimum(
    prob: AssignmentProblem, restricted: bool
) -> None:
    # the first, short CP-SAT try (the one with a ``stop``, made when a
    # Lagrangian bound could help) "finds nothing": the bound is computed, its
    # ceilings pick the arcs and fix arcs in the moves stage
    real = cpsat._stages
    calls = []

    def first_try_fails(*args, **kwargs):
        calls.append(args[6])  # stop: set on the first, short try only
        if len(calls) == 1 and args[6] is not None:
            return cpsat._Run("unknown")
        return real(*args, **kwargs)

    forced = _restricted(full=0 if restricted else 10**9, budget=1)
    with (
        mock.patch.object(cpsat, "_stages", first_try_fails),
        mock.patch.object(cpsat, "lagrangian_bound", wraps=cpsat.lagrangian_bound) as lag,
    ):
        sol = solve(prob, time_limit=10, settings=forced)
    assert validate(prob, sol) == []
    best, _ = brute(prob)
    if best is None:
        assert sol.status == Status.INFEASIBLE
    else:
        assert sol.status == Status.OPTIMAL
        assert key(prob, tuple(sol.arc.tolist())) == best
        assert sol.bound == sol.objective
    if calls and calls[0] is not None:  # (once more if the fill stage changes the fills)
        assert lag.call_count >= 1


def _solver_parameters(prob: AssignmentProblem, **kwargs) -> tuple[list, object]:
    """Every CP-SAT run's parameters (and deterministic time) in one solve."""
    seen: list = []
    real = cpsat.cp_model.CpSolver.solve

    def spy(self, model, *args, **kw):
        status = real(self, model, *args, **kw)
        p = self.parameters
        params = SimpleNamespace(
            max_deterministic_time=p.max_deterministic_time,
            max_time_in_seconds=p.max_time_in_seconds,
            num_workers=p.num_workers,
            interleave_search=p.interleave_search,
            random_seed=p.random_seed,
        )
        seen.append((params, self.response_proto.deterministic_time))
        return status

    with mock.patch.object(cpsat.cp_model.CpSolver, "solve", spy):
        sol = solve(prob, **kwargs)
    return seen, sol


def test_cp_sat_gets_a_deterministic_budget_from_the_time_limit() -> None:
    # 8 s at 0.5 units a second: 4 units for the whole solve; the wall
    # clock only at 3 x 8 = 24 s. The medium quota round prices a
    # Lagrangian bound, so its first run is the short try: a tenth of the
    # budget (0.4), but at least first_try_min = 1.5 s' worth (0.75).
    prob = _medium(0, "quota", tiers=False)
    tuned = replace(
        Settings(), cp_deterministic_per_second=0.5, cp_wall_factor=3.0, first_try_min=1.5
    )
    seen, sol = _solver_parameters(prob, time_limit=8, settings=tuned)
    assert sol.status == Status.OPTIMAL
    assert seen
    first, _ = seen[0]
    assert first.max_deterministic_time == pytest.approx(0.75)
    assert 20 < first.max_time_in_seconds <= 24
    used = 0.0
    for params, det in seen:  # each run gets what the runs before it left
        assert params.max_deterministic_time <= 4.0 - used + 1e-9
        assert params.num_workers == 1  # 200 arcs: one worker
        assert params.random_seed == 0
        used += det


def test_the_whole_budget_without_a_first_try() -> None:
    # a chain limit has no linear row to price: no short first try, the
    # first run gets all of 6 s x 0.25 = 1.5 units
    prob = _medium(5, "chain", tiers=False)
    prob = prob.with_changes(side=[c for c in prob.side if c.chains])
    seen, sol = _solver_parameters(prob, time_limit=6)
    assert sol.status == Status.OPTIMAL
    assert seen[0][0].max_deterministic_time == pytest.approx(1.5)


def test_large_models_get_the_fixed_workers_interleaved_whatever_the_cores() -> None:
    # above one_worker_arcs: cp_workers (3 here), never the machine's cores,
    # and interleaved so that the workers' timing cannot change the plan
    prob = _medium(0, "quota", tiers=False)
    for cores in (1, 8):
        tuned = replace(Settings(), one_worker_arcs=10, cp_workers=3, cpus=cores)
        seen, sol = _solver_parameters(prob, time_limit=10, settings=tuned)
        assert sol.status == Status.OPTIMAL
        assert {(p.num_workers, p.interleave_search) for p, _ in seen} == {(3, True)}


def test_a_busy_machine_does_not_change_the_plan() -> None:
    # the wall clock runs a thousand times faster than it does, as on a
    # machine too busy to give CP-SAT any time: the budget is deterministic
    # time, so the plan and its proof are those of a quiet run
    prob = _medium(11, "chain", tiers=True)
    quiet = solve(prob, time_limit=10)
    real = cpsat.time.perf_counter
    start = real()

    def busy() -> float:
        return start + (real() - start) * 1000.0

    with mock.patch.object(cpsat.time, "perf_counter", busy):
        loaded = solve(prob, time_limit=10, settings=replace(Settings(), cp_wall_factor=10**9))
    assert quiet.status == loaded.status == Status.OPTIMAL
    assert quiet.arc.tolist() == loaded.arc.tolist()


def test_after_the_lagrangian_bound_only_arcs_that_can_reach_the_best_plan() -> None:
    # five candidate arcs of ceilings 10, 8, 5, 3, 7; arc 4 is always kept
    # (a flow plan's). With a plan of score 7 known, a budget of 10 keeps
    # the arcs of ceiling 10 and 8 besides it, and the left-out arcs (5, 3)
    # can reach 5 at most: below 7, so a plan over the set is optimal.
    arcs = np.arange(5)
    ceiling = np.array([10, 8, 5, 3, 7])
    pricing = cpsat._Pricing(
        arcs, np.array([False, False, False, False, True]), 12, ceiling, ceiling.copy()
    )
    kept, left = pricing.cheapest(10, floor=7)
    assert kept.tolist() == [0, 1, 4] and left == 5
    kept, left = pricing.cheapest(10)  # without the floor: every arc fits the budget
    assert kept.tolist() == [0, 1, 2, 3, 4] and left is None
    kept, left = pricing.cheapest(1, floor=7)  # the budget still caps it: 10 kept, 8 out
    assert kept.tolist() == [0, 4] and left == 8
