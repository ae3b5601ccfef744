"""solvers.prices: the post graph made from the problem's arcs as they are."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

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


def _province_like(seed: int, tiers: bool) -> AssignmentProblem:
    """A round shaped like a province's, small: incumbents who must stay
    placed (most can only stay), newcomers with many arcs, more people than
    posts (so many are unplaced), few score values (ties, zero reduced
    costs), arcs of negative score (posts left empty)."""
    rng = np.random.default_rng(seed)
    m = int(rng.integers(8, 30))
    n = m + int(rng.integers(m, 3 * m))
    home = np.full(n, -1)
    incumbents = rng.choice(n, size=int(rng.integers(m // 3, m - 2)), replace=False)
    home[incumbents] = rng.choice(np.arange(2, m), size=incumbents.size, replace=False)
    keys = set()
    for i in range(n):
        if home[i] >= 0:
            keys.add(i * m + int(home[i]))
        wanted = 0 if home[i] >= 0 and rng.random() < 0.6 else int(rng.integers(1, m))
        keys.update((i * m + rng.choice(m, size=wanted, replace=False)).tolist())
    key = np.array(sorted(keys))
    order = rng.permutation(key.size)
    person, post = key[order] // m, key[order] % m
    must = home >= 0
    must[rng.random(n) < 0.3] = False  # some incumbents may leave
    score = rng.integers(-1, 4, key.size) * 5
    score[post < 2] = -5  # posts 0 and 1 (tier 0) are worth leaving empty
    priority = rng.integers(0, 3, m)
    priority[:2] = 0
    return AssignmentProblem(
        n_persons=n,
        n_posts=m,
        person=person,
        post=post,
        score=score,
        home=home,
        must_place=must,
        priority=priority if tiers else None,
    )


def _whole_tree_prices(ev: Evidence, posts: np.ndarray) -> dict[int, list[float]]:
    """Each post's prices from its whole shortest-path tree (every node
    settled, nothing stopped early: the search the stopped one replaces)."""
    from solvers.kernels import post_trees

    graph = ev.post_graph()
    assert graph is not None
    sources = np.where(graph.filled[posts], posts, graph.sink).astype(np.int64)
    dist = np.empty((posts.size, graph.n_nodes), dtype=np.int64)
    score = np.zeros((posts.size, graph.n_nodes), dtype=np.int64)
    post_trees(sources, graph.indptr, *graph.by_rc(), dist, score)
    out = {}
    prob = ev.prob
    for k, j in enumerate(posts.tolist()):
        cand = ev.candidates(j)
        persons = prob.person[cand].astype(np.int64)
        at = graph.at[persons]
        target = np.where(at >= 0, at, graph.sink)
        price = np.full(cand.size, np.inf)
        used = graph.in_net[cand] & (at == j)
        reach = graph.in_net[cand] & ~used & (dist[k, target] != np.iinfo(np.int64).max)
        held = np.where(at >= 0, graph.held_score[persons], 0)
        change = score[k, target] - held + prob.score[cand]
        price[reach] = -change[reach].astype(np.float64)
        price[used] = 0.0
        out[j] = price.tolist()
    return out


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), tiers=st.booleans())
def test_stopped_searches_price_as_whole_trees(seed: int, tiers: bool) -> None:
    """The searches stopped once a post's candidates are known, and not
    followed past the sink or a node it reaches as cheaply, give every
    price the whole tree gives, compiled and in Python."""
    prob = _province_like(seed, tiers)
    sol = solve(prob)
    assume(sol.has_plan)
    posts = np.arange(prob.n_posts)
    compiled = Evidence(prob, sol, settings=Settings(kernel_min_arcs=0))
    plain = Evidence(prob, sol, settings=Settings(kernel_min_arcs=10**9))
    want = _whole_tree_prices(compiled, posts)
    for ev in (compiled, plain):
        got = {j: price.tolist() for j, _, price in ev.all_prices(posts, chunk=3)}
        assert got == want


@pytest.mark.parametrize("tiers", [False, True])
@pytest.mark.parametrize("seed", range(4))
def test_stopped_searches_price_as_the_pinned_re_solve(seed: int, tiers: bool) -> None:
    """Province-shaped rounds (unplaced people, posts left empty, ties):
    every candidate of every post priced as the re-solve with the pair
    pinned prices it, and the sink is reached and stops searches."""
    prob = _province_like(1000 + seed, tiers)
    sol = solve(prob)
    ev = Evidence(prob, sol, settings=Settings(kernel_min_arcs=0))
    graph = ev.post_graph()
    assert graph is not None and (graph.at < 0).any() and not graph.filled.all()
    for j, persons, price in ev.all_prices(np.arange(prob.n_posts), chunk=7):
        for i, pr in zip(persons.tolist(), price.tolist(), strict=True):
            best = _forced(prob, i, j)
            assert pr == (np.inf if best is None else sol.objective - best), (seed, i, j)
