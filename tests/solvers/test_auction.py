"""The forward/reverse auction and its certificate (solvers/backends/certified/auction.py)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import solvers.backends.certified.auction as auction_mod
import solvers.backends.flow as flow
import solvers.backends.mcf as mcf
from solvers import Settings, assign
from solvers.backends.certified.auction import AuctionResult, auction, certify, violations


def _instance(seed: int, must_share: float):
    """A small random network: arcs sorted by person, values of either sign."""
    rng = np.random.default_rng(seed)
    n_p, n_q = int(rng.integers(1, 25)), int(rng.integers(1, 25))
    deg = int(rng.integers(1, 6))
    key = np.unique(np.repeat(np.arange(n_p), deg) * n_q + rng.integers(0, n_q, n_p * deg))
    pl, ql = key // n_q, key % n_q
    low = int(rng.integers(-40, 10))
    value = rng.integers(low, low + int(rng.integers(1, 150)), pl.size)
    may_leave = rng.random(n_p) >= must_share
    return n_p, n_q, pl, ql, value, may_leave


def _optimum(n_p, n_q, pl, ql, value, may_leave) -> int | None:
    try:
        used = mcf.run_mcf(n_p, n_q, pl, ql, -value, may_leave)
    except mcf.InfeasibleCore:
        return None
    return int(value[used > 0].sum())


def _proven(res: AuctionResult, n_p, n_q, pl, ql, value, may_leave) -> bool:
    return (
        certify(res, n_p, n_q, pl, ql, value, may_leave)
        and not violations(res, pl, ql, value)[0].size
    )


def _exact_from(k: int) -> Settings:
    """The auction tries exact potentials from eps <= S // k (1: at the end
    of every phase below one value unit; the default waits for a 32nd of a
    unit, which the small instances here seldom reach)."""
    return replace(Settings(), auction_exact_from=k)


@settings(max_examples=150, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    must_share=st.sampled_from([0.0, 0.3, 0.8]),
    bidders=st.sampled_from(["persons", "posts"]),
    exact_from=st.sampled_from([1, Settings.auction_exact_from]),
)
def test_auction_finds_and_proves_the_min_cost_flow_optimum(
    seed: int, must_share: float, bidders: str, exact_from: int
) -> None:
    n_p, n_q, pl, ql, value, may_leave = _instance(seed, must_share)
    best = _optimum(n_p, n_q, pl, ql, value, may_leave)
    s = _exact_from(exact_from)
    res = auction(n_p, n_q, pl, ql, value, may_leave, bidders=bidders, settings=s)
    again = auction(n_p, n_q, pl, ql, value, may_leave, bidders=bidders, settings=s)
    if best is None:  # must-place persons that cannot all be placed
        assert res is None
        return
    assert res is not None
    assert int(value[res.chosen].sum()) == best
    assert _proven(res, n_p, n_q, pl, ql, value, may_leave)
    assert again is not None and again.chosen.tolist() == res.chosen.tolist()  # deterministic


def test_exact_potentials_end_the_auction_early() -> None:
    """On a round whose plan is optimal before eps = 1, the attempt at exact
    potentials ends the auction phases early, with the same optimum proven
    by potentials that are whole value units."""
    rng = np.random.default_rng(7)
    n_p, n_q = 400, 300
    key = np.unique(np.repeat(np.arange(n_p), 12) * n_q + rng.integers(0, n_q, n_p * 12))
    pl, ql = key // n_q, key % n_q
    merit = rng.integers(0, 200, n_p)
    value = merit[pl] + rng.integers(0, 100, pl.size)
    may_leave = np.ones(n_p, dtype=bool)
    never = _exact_from(1 << 40)  # never tried: eps goes down to 1
    full = auction(n_p, n_q, pl, ql, value, may_leave, settings=never)
    early = auction(n_p, n_q, pl, ql, value, may_leave)
    assert full is not None and early is not None
    assert early.phases < full.phases
    assert int(value[early.chosen].sum()) == int(value[full.chosen].sum())
    assert int(value[early.chosen].sum()) == _optimum(n_p, n_q, pl, ql, value, may_leave)
    assert not (early.u % early.scale).any() and not (early.v % early.scale).any()
    assert _proven(early, n_p, n_q, pl, ql, value, may_leave)
    # exact: every chosen arc is tight, not merely within eps = 1
    slack = early.u[pl[early.chosen]] + early.v[ql[early.chosen]]
    assert (slack == value[early.chosen] * early.scale).all()


@pytest.mark.parametrize("optimal", [True, False])
def test_the_exact_attempt_changes_nothing_when_the_plan_is_not_optimal(optimal: bool) -> None:
    """Two persons, two posts: the crossed plan (10) is not optimal (11); the
    attempt reports it and leaves the auction's potentials as they were."""
    pl = np.array([0, 0, 1, 1], dtype=np.int64)
    ql = np.array([0, 1, 0, 1], dtype=np.int64)
    value = np.array([10, 1, 9, 1], dtype=np.int64)
    s = auction_mod.scale(2, 2)
    ptr, col, a, border, *_ = auction_mod._networks(2, 2, pl, ql, value, s)
    where = np.empty(4, dtype=np.int64)
    where[border] = np.arange(4)
    plan = [0, 3] if optimal else [1, 2]  # arcs (input order) of persons 0 and 1
    arc = where[np.array(plan)]
    owner = np.full(2, -1, dtype=np.int64)
    owner[col[arc]] = np.arange(2)
    u = np.array([3 * s, 2 * s + 5], dtype=np.int64)
    price = np.array([5 * s - 1, 0], dtype=np.int64)
    u0, price0 = u.copy(), price.copy()
    leave = np.ones(2, dtype=bool)
    got = auction_mod._exact_potentials(
        2, 2, ptr, col, a, leave, leave, u, price, arc, owner, s, Settings.auction_exact_work
    )
    assert got == optimal
    if not optimal:
        assert (u == u0).all() and (price == price0).all()
        return
    res = AuctionResult(np.sort(border[arc]), u, price, s, 0, 1, "persons")
    assert _proven(res, 2, 2, pl, ql, value, leave)


@settings(max_examples=100, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    bidders=st.sampled_from(["persons", "posts"]),
    exact_from=st.sampled_from([1, Settings.auction_exact_from]),
)
def test_a_restart_after_adding_arcs_reaches_the_optimum(
    seed: int, bidders: str, exact_from: int
) -> None:
    """Column generation: solve on a subset, add the rest, restart from the
    prices (exact potentials, with an unmatched node below 0, included)."""
    n_p, n_q, pl, ql, value, may_leave = _instance(seed, 0.2)
    best = _optimum(n_p, n_q, pl, ql, value, may_leave)
    sub = np.flatnonzero(np.random.default_rng(seed).random(pl.size) < 0.5)
    s = _exact_from(exact_from)
    first = auction(n_p, n_q, pl[sub], ql[sub], value[sub], may_leave, bidders=bidders, settings=s)
    if best is None or first is None:
        return
    for start_eps in (1, 1000):
        res = auction(
            n_p,
            n_q,
            pl,
            ql,
            value,
            may_leave,
            start=first,
            start_chosen=sub[first.chosen],
            start_eps=start_eps,
        )
        assert res is not None and res.bidders == bidders
        assert int(value[res.chosen].sum()) == best
        assert _proven(res, n_p, n_q, pl, ql, value, may_leave)


@settings(max_examples=150, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_the_certificate_never_passes_a_plan_that_is_not_optimal(seed: int) -> None:
    """Whatever the potentials, a worse plan fails the checks (they share no auction code)."""
    n_p, n_q, pl, ql, value, may_leave = _instance(seed, 0.0)
    res = auction(n_p, n_q, pl, ql, value, may_leave)
    assert res is not None
    best = int(value[res.chosen].sum())
    rng = np.random.default_rng(seed)
    for _ in range(5):  # random sub-plans of the optimum and random plans
        keep = res.chosen[rng.random(res.chosen.size) < 0.5]
        order = rng.permutation(pl.size)
        taken_p, taken_q, other = set(), set(), []
        for a in order.tolist():
            if pl[a] not in taken_p and ql[a] not in taken_q and rng.random() < 0.5:
                taken_p.add(pl[a])
                taken_q.add(ql[a])
                other.append(a)
        for plan in (keep, np.sort(np.array(other, dtype=np.int64))):
            if int(value[plan].sum()) == best:
                continue
            fake = AuctionResult(plan, res.u, res.v, res.scale, 0, 0, res.bidders)
            assert not _proven(fake, n_p, n_q, pl, ql, value, may_leave)
    shifted = AuctionResult(res.chosen, res.u + res.scale, res.v, res.scale, 0, 0, res.bidders)
    if res.chosen.size:
        assert not certify(shifted, n_p, n_q, pl, ql, value, may_leave)


@settings(max_examples=150, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    must_share=st.sampled_from([0.0, 0.3]),
    fill_share=st.sampled_from([0.3, 1.0]),
    bidders=st.sampled_from(["persons", "posts"]),
    exact_from=st.sampled_from([1, Settings.auction_exact_from]),
)
def test_posts_that_must_be_filled(
    seed: int, must_share: float, fill_share: float, bidders: str, exact_from: int
) -> None:
    """The optimum among plans that fill every such post, proven; or no plan
    when they cannot all be filled."""
    n_p, n_q, pl, ql, value, may_leave = _instance(seed, must_share)
    post_must = np.random.default_rng(seed).random(n_q) < fill_share
    # reference: a bonus larger than any plan's value for each such post filled
    bonus = (int(np.abs(value).sum()) + 1) * post_must[ql]
    try:
        used = mcf.run_mcf(n_p, n_q, pl, ql, -(value + bonus), may_leave) > 0
    except mcf.InfeasibleCore:
        used = None
    feasible = used is not None and int(post_must[ql[used]].sum()) == int(post_must.sum())
    s = _exact_from(exact_from)
    res = auction(
        n_p, n_q, pl, ql, value, may_leave, bidders=bidders, post_must=post_must, settings=s
    )
    if not feasible:
        assert res is None
        return
    assert res is not None
    filled = np.zeros(n_q, dtype=bool)
    filled[ql[res.chosen]] = True
    assert filled[post_must].all()
    assert used is not None and int(value[res.chosen].sum()) == int(value[used].sum())
    assert certify(res, n_p, n_q, pl, ql, value, may_leave, post_must)
    assert not violations(res, pl, ql, value)[0].size
    if post_must.any():  # the same plan does not prove the optimum of the free problem,
        # nor a plan that leaves such a post empty the constrained one
        empty = res.chosen[~post_must[ql[res.chosen]]]
        fake = AuctionResult(empty, res.u, res.v, res.scale, 0, 0, res.bidders)
        assert not certify(fake, n_p, n_q, pl, ql, value, may_leave, post_must)


def test_values_too_large_to_scale_are_left_to_the_flow() -> None:
    one = np.array([0, 1], dtype=np.int64)
    leave = np.ones(2, dtype=bool)
    big = np.array([2**58, 1], dtype=np.int64)  # times the scale, past the price cap
    assert auction(2, 2, one, one, big, leave) is None
    # Below the cap, up to the largest score a problem may hold (|score| <= 2**40,
    # solvers/problem.py), the auction runs to the optimum and proves it: two persons,
    # two posts, one arc each, so both arcs are taken (top + 1).
    for top in (5, 2**40):
        value = np.array([top, 1], dtype=np.int64)
        res = auction(2, 2, one, one, value, leave)
        assert res is not None, top
        assert res.chosen.tolist() == [0, 1]
        assert int(value[res.chosen].sum()) == top + 1
        assert _proven(res, 2, 2, one, one, value, leave)


def _sparse_round(seed: int):
    rng = np.random.default_rng(seed)
    n, m = 300, 200
    person = np.repeat(np.arange(n), 15)
    key = np.unique(person * m + rng.integers(0, m, person.size))
    return n, m, key // m, key % m, rng.integers(1, 50, key.size)


@pytest.mark.parametrize("failure", ["gives_up", "certificate"])
def test_the_flow_takes_over_when_the_auction_cannot_prove_its_plan(
    failure: str, monkeypatch
) -> None:
    from solvers import AssignmentProblem, solve

    n, m, person, post, score = _sparse_round(5)
    plain = assign(person, post, score, n_persons=n, n_posts=m)
    if failure == "gives_up":
        monkeypatch.setattr(auction_mod, "auction", lambda *a, **k: None)
    else:
        monkeypatch.setattr(auction_mod, "certify", lambda *a, **k: False)
    prob = AssignmentProblem(n_persons=n, n_posts=m, person=person, post=post, score=score)
    sol = solve(prob, settings=replace(Settings(), sparse_min_arcs=100, sparse_min_degree=2))
    assert sol.method == "min_cost_flow+sparse_certified"
    assert sol.objective == plain.objective


@pytest.mark.parametrize("tiers", ["none", "all", "some"])
@pytest.mark.parametrize("repair_max", [0, 64])
def test_the_auction_path_adds_violated_arcs_until_proven(
    repair_max: int, tiers: str, monkeypatch
) -> None:
    """Restarts from the prices (no repairs allowed), or exact potentials and
    repairs; the exact potentials start from the auction's when it ended
    with whole units: plain values, and tiers as a stage (scores times B,
    plus each post's term: its tier's weight, less one point), with every
    post tiered, or some posts tiered and every person placed (the other
    posts' term is -1)."""
    from solvers import AssignmentProblem

    n, m, person, post, score = _sparse_round(6)
    must_place = None
    if tiers == "some":  # 200 persons, all placed, on 300 posts
        n, m, person, post = m, n, post, person
        must_place = np.ones(n, dtype=bool)
    # a poor first set: arcs must be added (with tiers, each post's 2 best
    # arcs, or every post's arcs join the set so that they can all be filled)
    k = 1 if tiers == "none" else 2
    s = replace(
        Settings(),
        sparse_min_arcs=100,
        sparse_min_degree=2,
        sparse_k_person=k,
        sparse_k_post=k,
        repair_max=repair_max,
        auction_exact_from=1,
    )
    priority = None if tiers == "none" else np.ones(m, dtype=np.int64)
    if tiers == "some":
        priority[m // 2 :] = 0
    prob = AssignmentProblem(
        n_persons=n,
        n_posts=m,
        person=person,
        post=post,
        score=score,
        priority=priority,
        must_place=must_place,
    )
    got = flow.solve_flow(prob, settings=s)
    ref = flow.solve_flow(prob, sparse=False, settings=s)
    assert got.method == "auction+sparse_certified"
    assert int(score[got.chosen].sum()) == int(score[ref.chosen].sum())
    assert np.unique(prob.post[got.chosen]).size == np.unique(prob.post[ref.chosen]).size
    rounds = got.sparse_rounds
    assert all(r["method"] == "auction" for r in rounds)
    tiered = 0 if priority is None else int((priority > 0).sum())
    assert all(r["must_fill"] == tiered for r in rounds)
    assert rounds[0]["violations"] > 0  # violated arcs were added
    last = rounds[-1]
    if repair_max == 0:
        assert len(rounds) >= 2 and last["violations"] == 0
    else:
        proven = (
            last["violations"],
            last.get("exact_violations"),
            last.get("violations_after_repair"),
        )
        assert 0 in proven
        assert any(r.get("exact_from_auction") for r in rounds)
