"""The levels on a sparse core priced against every arc (solvers.backends.core)
against brute force, the folded solve and the levels over every arc: the
core is made tiny (one arc per person and post) so that a stage takes
several pricing rounds, and the cost bound is lowered so that the levels do
not fold."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from solvers_brute import assert_brute_force_optimal, key
from solvers_strategies import tiny_problems

from solvers import AssignmentProblem, Settings, Solution, Status, solve, validate
from solvers.backends.flow import solve_flow
from solvers.backends.mcf import InfeasibleCore

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _tight(prob: AssignmentProblem, factor: int, core: bool = True, k: int = 1) -> Settings:
    """A cost bound that one level fits but the folded levels mostly do not;
    with ``core``, every component goes to the sparse core of ``k`` arcs
    per person and per post."""
    n_nodes = prob.n_persons + prob.n_posts + 1
    top = max(int(np.abs(prob.score).max()), 1)
    limit = top * (n_nodes + 1) * factor + 1
    if not core:
        return dataclasses.replace(Settings(), cost_limit=limit, core_min_arcs=2**62)
    return dataclasses.replace(
        Settings(), cost_limit=limit, core_min_arcs=0, core_k_person=k, core_k_post=k
    )


def _core_log(flow) -> list[dict]:
    return [e for e in flow.sparse_rounds if "core_stage" in e]


def _round(seed: int, tiers: bool, pins_bans: bool) -> AssignmentProblem:
    """A random round of 40-90 persons, a third as many posts or more, dense
    enough that a core of one arc per person and post misses most optima."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(40, 90))
    m = int(rng.integers(n // 3, n))
    pairs = np.flatnonzero(rng.random(n * m) < 0.3)
    home = np.full(n, -1, dtype=np.int64)
    held = rng.permutation(m)[: min(n, m) // 2]
    home[: held.size] = held
    pairs = np.union1d(pairs, np.arange(held.size) * m + held)
    must = np.zeros(n, dtype=bool)
    must[: held.size] = rng.random(held.size) < 0.5
    person, post = pairs // m, pairs % m
    extra: dict = {}
    if pins_bans:
        free = np.flatnonzero(~np.isin(np.arange(pairs.size), np.flatnonzero(must[person])))
        pick = rng.choice(free, size=3, replace=False)
        extra["bans"] = np.stack([person[pick[:2]], post[pick[:2]]], axis=1)
        extra["pins"] = np.stack([person[pick[2:]], post[pick[2:]]], axis=1)
    return AssignmentProblem(
        n_persons=n,
        n_posts=m,
        person=person,
        post=post,
        score=rng.choice(np.arange(-20, 200, 10), size=pairs.size),  # many ties
        home=home,
        must_place=must,
        priority=rng.integers(0, 4, size=m) if tiers else None,
        **extra,
    )


@SETTINGS
@given(tiny_problems(), st.integers(1, 40))
def test_core_solve_matches_brute_force(prob: AssignmentProblem, factor: int) -> None:
    sol = solve(prob, time_limit=10, settings=_tight(prob, factor))
    assert_brute_force_optimal(prob, sol)


@SETTINGS
@given(tiny_problems(side=False), st.integers(1, 40))
def test_core_gives_the_folded_optimum_or_the_same_infeasibility(
    prob: AssignmentProblem, factor: int
) -> None:
    try:
        folded = solve_flow(prob)
    except InfeasibleCore as exc:
        with pytest.raises(InfeasibleCore) as got:
            solve_flow(prob, settings=_tight(prob, factor))
        # the same number of must-place persons left out by a maximum placement
        assert got.value.persons.size == exc.persons.size
        return
    core = solve_flow(prob, settings=_tight(prob, factor))
    assert key(prob, tuple(core.chosen.tolist())) == key(prob, tuple(folded.chosen.tolist()))


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**32 - 1), st.booleans(), st.booleans(), st.integers(2, 4))
def test_core_equals_the_levels_over_every_arc(
    seed: int, tiers: bool, pins_bans: bool, factor: int
) -> None:
    prob = _round(seed, tiers, pins_bans)
    whole = solve_flow(prob, settings=_tight(prob, factor, core=False))
    core = solve_flow(prob, settings=_tight(prob, factor))
    log = _core_log(core)
    assert core.method == "min_cost_flow+core_certified"
    assert log and all(e["certified"] for e in log)
    # (a sparse round's first core may hold its optimum at once: that the
    # core grows by pricing is the fixed rounds' test below)
    assert key(prob, tuple(core.chosen.tolist())) == key(prob, tuple(whole.chosen.tolist()))
    sol = solve(prob, settings=_tight(prob, factor))
    assert validate(prob, sol) == []
    assert sol.status == Status.OPTIMAL
    assert key(prob, tuple(sol.arc.tolist())) == key(prob, tuple(whole.chosen.tolist()))


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_a_first_core_that_misses_the_optimum_is_grown_by_pricing(seed: int) -> None:
    """Dense rounds (seen to be: 774 to 1,548 arcs for 30 to 62 posts) whose
    first core of one arc per person and post misses the optimum: the first
    stage needs more than one pricing pass, and its plan is still the one
    over every arc. (A sparse round's first core may hold it at once, as
    seed 1847995's 180 arcs for 14 posts do.)"""
    prob = _round(seed, False, False)
    core = solve_flow(prob, settings=_tight(prob, 2))
    log = _core_log(core)
    assert log[0]["pricing_rounds"] > 1 and log[0]["arcs_added"] > 0
    whole = solve_flow(prob, settings=_tight(prob, 2, core=False))
    assert key(prob, tuple(core.chosen.tolist())) == key(prob, tuple(whole.chosen.tolist()))


def test_tier_posts_that_cannot_all_be_filled_become_stages() -> None:
    # posts 0 and 1 are tier 1 but only person 0 can fill either; person 1
    # may take post 2 only. The demand at both tier posts is infeasible on
    # every arc (phase one proves it), so the tier is a stage: one tier post
    # filled, then the best score.
    prob = AssignmentProblem(
        n_persons=2,
        n_posts=3,
        person=np.array([0, 0, 1]),
        post=np.array([0, 1, 2]),
        score=np.array([3, 7, 5]),
        priority=np.array([1, 1, 0]),
    )
    got = solve_flow(prob, settings=_tight(prob, 1))
    assert sorted(got.chosen.tolist()) == [1, 2]  # post 1 (score 7) and post 2
    assert not [e for e in got.sparse_rounds if e.get("core_tier_posts_filled")]


def test_must_place_persons_who_cannot_all_be_placed_are_named() -> None:
    # persons 0 and 1 must be placed, both only at post 0
    prob = AssignmentProblem(
        n_persons=3,
        n_posts=2,
        person=np.array([0, 1, 2]),
        post=np.array([0, 0, 1]),
        score=np.array([4, 6, 1]),
        must_place=np.array([True, True, False]),
    )
    with pytest.raises(InfeasibleCore) as exc:
        solve_flow(prob, settings=_tight(prob, 1))
    assert exc.value.persons.size == 1
    sol = solve(prob, settings=_tight(prob, 1))
    assert sol.status == Status.INFEASIBLE
    assert "must_place" in sol.conflicts


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 2**32 - 1), st.booleans(), st.booleans())
def test_the_same_arcs_in_any_order_give_the_same_plan(
    seed: int, tiers: bool, pins_bans: bool
) -> None:
    # the core is the whole problem in its own order: every tie (the first
    # core, the arcs added, OR-Tools' flow) is broken by the pairs
    prob = _round(seed, tiers, pins_bans)
    turn = np.random.default_rng(seed).permutation(prob.n_arcs)
    shuffled = prob.with_changes(
        person=prob.person[turn], post=prob.post[turn], score=prob.score[turn]
    )
    a = solve_flow(prob, settings=_tight(prob, 3))
    b = solve_flow(shuffled, settings=_tight(shuffled, 3))
    assert a.method == b.method == "min_cost_flow+core_certified"
    pairs_a = sorted(zip(prob.person[a.chosen].tolist(), prob.post[a.chosen].tolist(), strict=True))
    pairs_b = sorted(
        zip(shuffled.person[b.chosen].tolist(), shuffled.post[b.chosen].tolist(), strict=True)
    )
    assert pairs_a == pairs_b


def test_components_and_nodes_without_arcs_are_one_network() -> None:
    # two components (persons 0-1 with posts 0-1; person 2 with post 2), a
    # person and a tier post without any arc: the tier posts with arcs are
    # filled as a demand, the optimum is each component's own
    prob = AssignmentProblem(
        n_persons=4,
        n_posts=4,
        person=np.array([2, 0, 1, 0, 1]),
        post=np.array([2, 0, 1, 1, 0]),
        score=np.array([4, 5, 5, 9, 8]),
        home=np.array([0, -1, 2, -1]),
        priority=np.array([0, 1, 1, 2]),
    )
    got = solve_flow(prob, settings=_tight(prob, 1))
    assert got.method == "min_cost_flow+core_certified"
    assert [e for e in got.sparse_rounds if e.get("core_tier_posts_filled")]
    # persons 0-1: 0->1 and 1->0 (17) beat 0->0 and 1->1 (10); person 2 stays
    assert sorted(got.chosen.tolist()) == [0, 3, 4]


def test_levels_that_fold_take_the_usual_way() -> None:
    prob = _round(3, True, False)
    got = solve_flow(prob, settings=dataclasses.replace(Settings(), core_min_arcs=0))
    assert got.method == "min_cost_flow"  # the folded flow, not the core


def test_a_component_that_does_not_fold_sends_the_whole_problem_to_the_core(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the check before ``prepare`` made to say "it folds": the component's
    # own fold then fails in its batch, and the whole problem goes to the core
    from solvers.backends import core

    prob = _round(11, True, False)
    tight = _tight(prob, 2)
    whole = solve_flow(prob, settings=_tight(prob, 2, core=False))
    monkeypatch.setattr(core._Network, "folds", lambda self, settings: True)
    got = solve_flow(prob, settings=tight)
    assert got.method == "min_cost_flow+core_certified"
    assert key(prob, tuple(got.chosen.tolist())) == key(prob, tuple(whole.chosen.tolist()))


# ------------------------------------------------------------- warm start


def _start(prob: AssignmentProblem, arcs: np.ndarray) -> Solution:
    return Solution(Status.OPTIMAL, person=prob.person[arcs], post=prob.post[arcs], arc=arcs)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**32 - 1), st.booleans())
def test_warm_and_cold_give_the_same_optimum(seed: int, tiers: bool) -> None:
    prob = _round(seed, tiers, False)
    tight = _tight(prob, 3)
    cold = solve_flow(prob, settings=tight)
    warm = solve_flow(prob, settings=tight, start=_start(prob, cold.chosen))
    assert key(prob, tuple(warm.chosen.tolist())) == key(prob, tuple(cold.chosen.tolist()))
    assert next(e for e in warm.sparse_rounds if e.get("core"))["warm"]
    assert all(e["certified"] for e in _core_log(warm))


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**32 - 1), st.booleans(), st.floats(0.0, 0.3))
def test_warm_start_after_a_change_gives_the_cold_optimum(
    seed: int, tiers: bool, share: float
) -> None:
    # the previous year's plan starts the solve of a changed pool: some arcs
    # gone, some scores changed, some persons' pairs no longer arcs at all
    prob = _round(seed, tiers, False)
    first = solve_flow(prob, settings=_tight(prob, 3))
    rng = np.random.default_rng(seed + 1)
    keep = rng.random(prob.n_arcs) >= share
    keep |= prob.must_place[prob.person] & prob.is_stay  # must-place stays
    score = prob.score.copy()
    change = rng.random(prob.n_arcs) < share
    score[change] = rng.choice(np.arange(-20, 200, 10), size=int(change.sum()))
    changed = AssignmentProblem(
        n_persons=prob.n_persons,
        n_posts=prob.n_posts,
        person=prob.person[keep],
        post=prob.post[keep],
        score=score[keep],
        home=prob.home,
        must_place=prob.must_place,
        priority=prob.priority,
    )
    tight = _tight(changed, 3)
    cold = solve_flow(changed, settings=tight)
    warm = solve_flow(changed, settings=tight, start=_start(prob, first.chosen))
    assert key(changed, tuple(warm.chosen.tolist())) == key(changed, tuple(cold.chosen.tolist()))
    sol = solve(changed, settings=tight, start=_start(prob, first.chosen))
    assert validate(changed, sol) == []
    assert key(changed, tuple(sol.arc.tolist())) == key(changed, tuple(cold.chosen.tolist()))


def test_a_warm_start_with_pairs_out_of_range_is_ignored() -> None:
    prob = _round(7, True, False)
    tight = _tight(prob, 3)
    cold = solve_flow(prob, settings=tight)
    stale = Solution(
        Status.OPTIMAL,
        person=np.array([0, prob.n_persons + 5, 1]),
        post=np.array([prob.n_posts + 2, 0, 0]),
        arc=np.array([0, 1, 2]),
    )
    warm = solve_flow(prob, settings=tight, start=stale)
    assert key(prob, tuple(warm.chosen.tolist())) == key(prob, tuple(cold.chosen.tolist()))


# ------------------------------------------------------------- the compiled passes


def _arcs(seed: int) -> dict:
    """Random arcs of 30 persons and 12 posts (in no order, pairs distinct)
    with costs' parts and potentials; a fifth of the persons' arcs are to
    their home post."""
    rng = np.random.default_rng(seed)
    n_p, n_q, size = 30, 12, 200
    pairs = rng.choice(n_p * n_q, size, replace=False)
    person, post = pairs // n_q, pairs % n_q
    home = np.full(n_p, -1, dtype=np.int64)
    stays = rng.choice(size, 40, replace=False)
    home[person[stays]] = post[stays]  # a person's last one wins
    return {
        "pl": person,
        "ql": post,
        "score": rng.integers(-5, 6, size),
        "home": home,
        "cq": rng.integers(-3, 1, n_q),
        "ws": int(rng.integers(0, 4)),
        "wm": int(rng.integers(0, 3)),
        "state": rng.choice(np.array([0, 0, 0, 1, 2], dtype=np.uint8), size),
        "open_p": rng.random(n_p) < 0.9,
        "open_q": rng.random(n_q) < 0.9,
        "at": np.where(rng.random(n_p) < 0.5, rng.integers(0, n_q, n_p), -1),
        "d_p": rng.integers(-20, 1, n_p),
        "d_q": rng.integers(-20, 1, n_q),
    }


def _parts(a: dict) -> tuple:
    return a["pl"], a["ql"], a["score"], a["home"], a["cq"], a["ws"], a["wm"]


def _plain_rc(a: dict) -> tuple[np.ndarray, np.ndarray]:
    """Each arc's stage cost plus potentials, and whether it is open, by a plain loop."""
    rc, open_ = [], []
    for i in range(a["pl"].size):
        p, q = a["pl"][i], a["ql"][i]
        cost = a["cq"][q] - a["ws"] * a["score"][i] + (a["wm"] if a["home"][p] != q else 0)
        rc.append(cost + a["d_p"][p] - a["d_q"][q])
        open_.append(a["state"][i] == 0 and a["open_p"][p] and a["open_q"][q])
    return np.array(rc), np.array(open_, dtype=bool)


@pytest.mark.parametrize("seed", range(20))
def test_pricing_adds_each_person_and_posts_most_negative_arcs(seed: int) -> None:
    from solvers.backends.core_kernels import price_arcs

    a = _arcs(seed)
    rc, open_ = _plain_rc(a)
    free = open_ & (a["at"][a["pl"]] != a["ql"])
    count, new = price_arcs(
        *_parts(a), a["state"], a["open_p"], a["open_q"], a["at"], a["d_p"], a["d_q"], 2, 1
    )
    assert count == int((free & (rc < 0)).sum())
    assert new.tolist() == sorted(set(new.tolist()))
    assert (free[new] & (rc[new] < 0)).all()
    for side, k, n in (("pl", 2, 30), ("ql", 1, 12)):
        for v in range(n):
            mine = np.flatnonzero(free & (a[side] == v) & (rc < 0))
            kept = rc[np.intersect1d(new, mine)]
            # the k most negative reduced costs of the group are all in (ties: any)
            assert np.isin(np.sort(rc[mine])[:k], np.sort(kept)).all()


@pytest.mark.parametrize("seed", range(20))
def test_the_face_keeps_zero_fixes_negative_and_drops_positive_arcs(seed: int) -> None:
    from solvers.backends.core_kernels import restrict_face

    a = _arcs(seed)
    a["state"][a["state"] == 2] = 0  # no arc fixed before
    rc, open_ = _plain_rc(a)
    # at most one arc of negative reduced cost per person (as duals give)
    seen: set[int] = set()
    for i in np.flatnonzero(open_ & (rc < 0)):
        if a["pl"][i] in seen:  # off the face before this stage
            a["state"][i] = 1
        seen.add(int(a["pl"][i]))
    rc, open_ = _plain_rc(a)
    before = a["state"].copy()
    fixed = restrict_face(*_parts(a), a["state"], a["open_p"], a["open_q"], a["d_p"], a["d_q"])
    assert fixed.tolist() == np.flatnonzero(open_ & (rc < 0)).tolist()
    assert (a["state"][open_ & (rc == 0)] == 0).all()
    assert (a["state"][open_ & (rc > 0)] == 1).all()
    assert (a["state"][open_ & (rc < 0)] == 2).all()
    assert (a["state"][(before == 0) & ~open_] == 1).all()
    assert (a["state"][before == 1] == 1).all()


def _first_core(a: dict, want: np.ndarray, order: np.ndarray | None = None) -> set:
    """The first core's pairs (person, post) of 2 arcs per person and 1 per
    post, the arcs given in ``order`` (None: as drawn)."""
    from solvers.backends.core_kernels import pick_core

    b = dict(a)
    if order is not None:
        for name in ("pl", "ql", "score", "state"):
            b[name] = a[name][order]
    got = pick_core(*_parts(b), b["state"], b["open_p"], b["open_q"], want, 2, 1)
    return {(int(b["pl"][i]), int(b["ql"][i])) for i in got}


@pytest.mark.parametrize("seed", range(10))
def test_the_first_core_holds_the_cheapest_arcs_stays_and_wanted_pairs(seed: int) -> None:
    a = _arcs(seed)
    rc, open_ = _plain_rc({**a, "d_p": np.zeros(30, np.int64), "d_q": np.zeros(12, np.int64)})
    want = np.where(np.random.default_rng(seed).random(30) < 0.3, a["ql"][:30], -1)
    pairs = _first_core(a, want)
    got = {i for i in range(a["pl"].size) if (a["pl"][i], a["ql"][i]) in pairs}
    for i in np.flatnonzero(open_):
        if a["home"][a["pl"][i]] == a["ql"][i] or want[a["pl"][i]] == a["ql"][i]:
            assert i in got
    for side, k, n in (("pl", 2, 30), ("ql", 1, 12)):
        for v in range(n):
            mine = np.flatnonzero(open_ & (a[side] == v))
            if mine.size:  # the k cheapest costs are all in (ties: any of them)
                kth = np.sort(rc[mine])[: min(k, mine.size)]
                kept = np.sort(rc[[i for i in mine if i in got]])
                assert np.isin(kth, kept).all()
    assert not any(not open_[i] for i in got)
    # ties are broken by the pairs, not by the arcs' positions: the same
    # arcs in another order give the same core
    turn = np.random.default_rng(seed + 1).permutation(a["pl"].size)
    assert _first_core(a, want, turn) == pairs


@pytest.mark.parametrize("seed", range(10))
def test_the_open_arcs_statistics(seed: int) -> None:
    from solvers.backends.core_kernels import open_stats

    a = _arcs(seed)
    a["score"] = a["score"] + 3 * (seed % 3 - 1)  # all positive, mixed or all negative
    _, open_ = _plain_rc(a)
    has_p, has_q, hi, lo = open_stats(
        a["pl"], a["ql"], a["score"], a["state"], a["open_p"], a["open_q"]
    )
    assert has_p.tolist() == [bool((open_ & (a["pl"] == p)).any()) for p in range(30)]
    assert has_q.tolist() == [bool((open_ & (a["ql"] == q)).any()) for q in range(12)]
    assert hi == max(0, int(a["score"][open_].max()))
    assert lo == min(0, int(a["score"][open_].min()))
