"""solvers.prices: the post graph made from the problem's arcs as they are."""

from __future__ import annotations

import numpy as np
import pytest

from solvers import AssignmentProblem, Evidence, Settings, SolverError, solve
from solvers.prices import post_offsets


def _problem(**fields: object) -> AssignmentProblem:
    base: dict[str, object] = {
        "n_persons": 2,
        "n_posts": 4,
        "person": np.array([0, 1]),
        "post": np.array([0, 1]),
        "score": np.array([3, -2]),
    }
    return AssignmentProblem(**{**base, **fields})  # type: ignore[arg-type]


def test_post_offsets_weigh_each_tier_above_twice_the_lower_ones() -> None:
    # span = max(3, 0) - min(-2, 0) = 5; A = 2 * 5 nodes * 5 + 1 = 51;
    # tiers 1, 2 and 7 weigh 1, 3 and 9 (tier 0 nothing)
    prob = _problem(priority=np.array([0, 1, 7, 2]))
    assert post_offsets(prob, 5).tolist() == [0, 51, 9 * 51, 3 * 51]
    prob = _problem(priority=np.array([0, 2, 0, 2]))
    assert post_offsets(prob, 5).tolist() == [0, 51, 0, 51]


def test_post_offsets_without_tiers_are_empty() -> None:
    assert post_offsets(_problem(), 5).size == 0
    assert post_offsets(_problem(priority=np.zeros(4, dtype=np.int64)), 5).size == 0


def test_post_offsets_refuse_paths_beyond_exact_integers() -> None:
    # 40 tiers: the top weighs 3 ** 39 (about 4e18) times A
    prob = AssignmentProblem(
        n_persons=1,
        n_posts=40,
        person=np.array([0]),
        post=np.array([0]),
        score=np.array([1]),
        priority=np.arange(1, 41),
    )
    assert post_offsets(prob, 41) is None
    # then nothing is priced from the graph: each candidate is re-solved
    sol = solve(prob)
    ev = Evidence(prob, sol)
    assert ev.post_graph() is None
    assert ev.forcing_prices(0)[1].tolist() == [0.0]


@pytest.mark.parametrize("compiled", [False, True])
def test_a_senior_post_is_kept_filled_at_a_price_in_score(compiled: bool) -> None:
    """Post 0 (tier 2) before post 1 (tier 1): x (person 0) fills post 0 for
    1 point though post 1 would give 10; y (person 1) takes post 1 for 5.
    Forcing x onto post 1 empties post 0 and unplaces y: 10 instead of 6,
    a price of -4 (the plan gains score and loses a senior post)."""
    prob = AssignmentProblem(
        n_persons=2,
        n_posts=2,
        person=np.array([0, 0, 1]),
        post=np.array([0, 1, 1]),
        score=np.array([1, 10, 5]),
        priority=np.array([2, 1]),
    )
    sol = solve(prob)
    assert sol.person.tolist() == [0, 1] and sol.objective == 6
    ev = Evidence(prob, sol, settings=Settings(kernel_min_arcs=0 if compiled else 10**9))
    got = {j: (persons.tolist(), price.tolist()) for j, persons, price in ev.all_prices([0, 1])}
    assert got == {0: ([0], [0.0]), 1: ([0, 1], [-4.0, 0.0])}


def _forced(prob: AssignmentProblem, person: int, post: int) -> int | None:
    """The optimum with the pair pinned (the oracle), None when no plan holds it."""
    if [person, post] in prob.pins.tolist():
        sol = solve(prob)
    else:
        try:
            sol = solve(prob.with_changes(pins=np.vstack([prob.pins, [[person, post]]])))
        except SolverError:  # contradicts a pin or a ban
            return None
    return sol.objective if sol.has_plan else None


@pytest.mark.parametrize("compiled", [False, True])
@pytest.mark.parametrize("seed", range(5))
def test_prices_of_arcs_in_any_order_with_pins_bans_and_components(
    seed: int, compiled: bool
) -> None:
    """Arcs shuffled (not in canonical order), a pin and bans, up to four
    tiers, posts in separate components (two halves with no arc between
    them): every candidate of every post is priced as the re-solve with the
    pair pinned prices it."""
    rng = np.random.default_rng(100 + seed)
    n, m = int(rng.integers(24, 44)), int(rng.integers(10, 20))
    half_n, half_m = n // 2, m // 2
    keys = []
    for lo_p, hi_p, lo_q, hi_q in ((0, half_n, 0, half_m), (half_n, n, half_m, m)):
        size = (hi_p - lo_p) * (hi_q - lo_q)
        local = np.unique(rng.integers(0, size, size=int(size * 0.3)))
        keys.append((lo_p + local // (hi_q - lo_q)) * m + lo_q + local % (hi_q - lo_q))
    key = np.concatenate(keys)
    order = rng.permutation(key.size)
    person, post = key[order] // m, key[order] % m
    home = np.full(n, -1)
    home[0], home[half_n] = post[person == 0][0], post[person == half_n][0]
    # the pin and the bans away from the two incumbents (who must be placed)
    free = np.flatnonzero((home[person] < 0) & ~np.isin(post, home))
    pin, banned = free[0], [k for k in free[1:4] if person[k] != person[free[0]]]
    prob = AssignmentProblem(
        n_persons=n,
        n_posts=m,
        person=person,
        post=post,
        score=rng.integers(-3, 15, key.size),
        home=home,
        must_place=home >= 0,
        priority=rng.integers(0, 5, m),
        pins=np.array([[person[pin], post[pin]]]),
        bans=np.array([[person[k], post[k]] for k in banned]),
    )
    assert not prob.is_canonical
    sol = solve(prob)
    assert sol.has_plan
    ev = Evidence(prob, sol, settings=Settings(kernel_min_arcs=0 if compiled else 10**9))
    graph = ev.post_graph()
    assert graph is not None and graph.compiled == compiled
    priced = 0
    for j, persons, price in ev.all_prices(np.arange(m), chunk=4):
        for i, pr in zip(persons.tolist(), price.tolist(), strict=True):
            best = _forced(prob, i, j)
            assert pr == (np.inf if best is None else sol.objective - best), (seed, i, j)
            priced += bool(np.isfinite(pr) and pr != 0)
    assert priced > m // 2
