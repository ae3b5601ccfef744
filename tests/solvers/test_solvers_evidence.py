"""Evidence: forcing prices and displaced persons against re-solving with a pin."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from solvers_strategies import tiny_problems

from solvers import (
    AssignmentProblem,
    Evidence,
    MaxMoves,
    Settings,
    SolverError,
    displaced,
    forcing_prices,
    side_constraint_prices,
    solve,
    validate,
)


def _forced(prob: AssignmentProblem, person: int, post: int):
    if [person, post] in prob.pins.tolist():
        sol = solve(prob, time_limit=10)
        return sol if sol.has_plan else None
    try:
        pinned = prob.with_changes(pins=np.vstack([prob.pins, [[person, post]]]))
    except SolverError:  # contradicts an existing pin or ban
        return None
    sol = solve(pinned, time_limit=10)
    return sol if sol.has_plan else None


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_problems())
def test_forcing_prices_equal_resolving_with_a_pin(prob: AssignmentProblem) -> None:
    sol = solve(prob, time_limit=10)
    if not sol.has_plan:
        return
    for post in range(prob.n_posts):
        persons, price = forcing_prices(prob, sol, post)
        assert persons.tolist() == sorted(persons.tolist())
        for i, pr in zip(persons.tolist(), price.tolist(), strict=True):
            forced = _forced(prob, i, post)
            expected = np.inf if forced is None else sol.objective - forced.objective
            assert pr == expected, (i, post)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_problems())
def test_displaced_gives_a_best_plan_with_the_pair(prob: AssignmentProblem) -> None:
    sol = solve(prob, time_limit=10)
    if not sol.has_plan:
        return
    for a in range(prob.n_arcs):
        i, j = int(prob.person[a]), int(prob.post[a])
        forced = _forced(prob, i, j)
        if forced is None:
            continue
        moves = displaced(prob, sol, i, j)
        plan = dict(zip(sol.person.tolist(), sol.post.tolist(), strict=True))
        if plan.get(i) == j:
            assert moves == []
            continue
        assert moves[0][0] == i and moves[0][2] == j
        for who, old, new in moves:
            assert plan.get(who, -1) == old
            if new < 0:
                plan.pop(who, None)
            else:
                plan[who] = new
        idx = prob.arc_index(np.array(list(plan)), np.array(list(plan.values())))
        assert (idx >= 0).all()
        assert len(set(plan.values())) == len(plan)
        assert int(prob.score[idx].sum()) == forced.objective


def test_forcing_prices_on_a_small_case() -> None:
    # post 0: person 0 (6) is chosen; forcing person 1 (4) sends person 0 to post 1 (1)
    prob = AssignmentProblem(
        n_persons=2,
        n_posts=2,
        person=np.array([0, 0, 1]),
        post=np.array([0, 1, 0]),
        score=np.array([6, 1, 4]),
    )
    sol = solve(prob)
    persons, price = forcing_prices(prob, sol, 0)
    assert persons.tolist() == [0, 1]
    assert price.tolist() == [0.0, 1.0]
    assert displaced(prob, sol, 1, 0) == [(1, -1, 0), (0, 0, 1)]


def test_forcing_an_impossible_pair_costs_infinity() -> None:
    prob = AssignmentProblem(
        n_persons=2,
        n_posts=1,
        person=np.array([0, 1]),
        post=np.array([0, 0]),
        score=np.array([3, 2]),
        must_place=np.array([True, False]),
    )
    sol = solve(prob)
    _, price = forcing_prices(prob, sol, 0)
    assert price.tolist() == [0.0, np.inf]
    with pytest.raises(SolverError, match="no plan can contain"):
        displaced(prob, sol, 1, 0)


def test_side_constraint_prices() -> None:
    prob = AssignmentProblem(
        n_persons=2,
        n_posts=3,
        person=np.array([0, 0, 1, 1]),
        post=np.array([0, 2, 1, 2]),
        score=np.array([1, 8, 1, 7]),
        home=np.array([0, 1]),
        must_place=np.array([True, True]),
        side=[MaxMoves(0, "tanpa mutasi")],
    )
    sol = solve(prob)
    assert validate(prob, sol) == []
    assert sol.objective == 2
    assert side_constraint_prices(prob, sol) == {"tanpa mutasi": 7}


def test_evidence_needs_a_plan() -> None:
    prob = AssignmentProblem(
        n_persons=1,
        n_posts=1,
        person=np.array([0]),
        post=np.array([0]),
        score=np.array([1]),
        must_place=np.array([True]),
        bans=np.array([[0, 0]]),
    )
    sol = solve(prob)
    with pytest.raises(SolverError, match="no plan"):
        forcing_prices(prob, sol, 0)


def test_dropped_caches_are_rebuilt() -> None:
    """After drop_caches the problem answers as before (a province round frees its indexes)."""
    rng = np.random.default_rng(5)
    key = np.unique(rng.integers(0, 30 * 20, size=250))
    prob = AssignmentProblem(
        n_persons=30,
        n_posts=20,
        person=key // 20,
        post=key % 20,
        score=rng.integers(1, 9, key.size),
    )
    sol = solve(prob)
    ev = Evidence(prob, sol)
    before = [ev.forcing_prices(j)[1].tolist() for j in range(20)]
    prob.drop_caches()
    assert "canonical" not in prob.__dict__
    assert [ev.forcing_prices(j)[1].tolist() for j in range(20)] == before
    assert [forcing_prices(prob, sol, j)[1].tolist() for j in range(20)] == before
    assert validate(prob, sol) == []


def test_evidence_keeps_its_work_and_belongs_to_one_plan() -> None:
    """What the first answer computes is kept in the Evidence object (and only
    there): later posts reuse it, and it refuses another plan."""
    prob = AssignmentProblem(
        n_persons=3,
        n_posts=3,
        person=np.array([0, 0, 1, 1, 2]),
        post=np.array([0, 1, 1, 2, 2]),
        score=np.array([5, 3, 4, 2, 6]),
    )
    sol = solve(prob)
    ev = Evidence(prob, sol)
    first = ev.pure()
    assert first is not None and ev.pure() is first
    assert forcing_prices(prob, sol, 1, evidence=ev)[1].tolist() == ev.forcing_prices(1)[1].tolist()
    assert Evidence(prob, sol).pure() is not first  # nothing shared between objects
    with pytest.raises(SolverError, match="another problem or plan"):
        forcing_prices(prob, solve(prob), 0, evidence=ev)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_problems(max_persons=9, max_posts=6))
def test_all_prices_of_a_plan_equal_resolving_with_a_pin(prob: AssignmentProblem) -> None:
    """The batch over every post (the post graph, solvers.prices) against the
    oracle: the optimum minus the optimum with the pair pinned."""
    prob = prob.with_changes(side=[])
    sol = solve(prob, time_limit=10)
    if not sol.has_plan:
        return
    ev = Evidence(prob, sol)
    posts = np.arange(prob.n_posts)[::-1]
    got = list(ev.all_prices(posts, chunk=2))
    assert [j for j, _, _ in got] == posts.tolist()
    for post, persons, price in got:
        for i, pr in zip(persons.tolist(), price.tolist(), strict=True):
            forced = _forced(prob, i, post)
            expected = np.inf if forced is None else sol.objective - forced.objective
            assert pr == expected, (i, post)


@pytest.mark.parametrize("compiled", [False, True])
@pytest.mark.parametrize("seed", range(6))
def test_all_prices_at_random_sizes_equal_resolving_with_a_pin(seed: int, compiled: bool) -> None:
    """Larger random rounds (incumbents who must be placed, tiers, vacancy
    chains): every candidate of every post priced by the batch equals the
    re-solve with the pair pinned, with scipy's Dijkstra (small rounds) and
    with the compiled one (from Settings.kernel_min_arcs arcs)."""
    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(20, 60)), int(rng.integers(8, 25))
    key = np.unique(rng.integers(0, n * m, size=int(n * m * rng.uniform(0.1, 0.4))))
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
    sol = solve(prob)
    priced = 0
    tuning = Settings(kernel_min_arcs=0 if compiled else 10**9)
    ev = Evidence(prob, sol, settings=tuning)
    graph = ev.post_graph()
    assert graph is not None and graph.compiled == compiled
    for j, persons, price in ev.all_prices(np.arange(m), chunk=5):
        for i, pr in zip(persons.tolist(), price.tolist(), strict=True):
            forced = _forced(prob, i, j)
            expected = np.inf if forced is None else sol.objective - forced.objective
            assert pr == expected, (seed, i, j)
            priced += bool(np.isfinite(pr) and pr > 0)
    assert priced > m  # most posts price several names at a cost
