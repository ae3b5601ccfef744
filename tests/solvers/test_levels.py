"""The levels solved in sequence (solvers.backends.levels) against the folded
solve and brute force: the cost bound is lowered so that the folded costs
do not fit and the flow has to solve the levels stage by stage."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from solvers_brute import assert_brute_force_optimal, key
from solvers_strategies import tiny_problems

from solvers import AssignmentProblem, CostRangeError, Settings, solve, validate
from solvers.backends.flow import solve_flow
from solvers.backends.levels import Level, stages
from solvers.backends.mcf import InfeasibleCore

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _staged(log: list[dict]) -> list[dict]:
    return [e for e in log if "stages" in e]


def _tight(prob: AssignmentProblem, factor: int) -> Settings:
    """A cost bound that one level fits (the largest |score| on every node)
    but that the folded levels mostly do not."""
    n_nodes = prob.n_persons + prob.n_posts + 1
    top = max(int(np.abs(prob.score).max()), 1)
    return dataclasses.replace(Settings(), cost_limit=top * (n_nodes + 1) * factor + 1)


@SETTINGS
@given(tiny_problems(), st.integers(1, 40))
def test_sequential_solve_matches_brute_force(prob: AssignmentProblem, factor: int) -> None:
    sol = solve(prob, time_limit=10, settings=_tight(prob, factor))
    assert_brute_force_optimal(prob, sol)


@SETTINGS
@given(tiny_problems(side=False), st.integers(1, 40))
def test_sequential_flow_gives_the_folded_optimum(prob: AssignmentProblem, factor: int) -> None:
    try:
        folded = solve_flow(prob)
    except InfeasibleCore:
        with pytest.raises(InfeasibleCore):
            solve_flow(prob, settings=_tight(prob, factor))
        return
    assert not _staged(folded.sparse_rounds)
    staged = solve_flow(prob, settings=_tight(prob, factor))
    assert key(prob, tuple(staged.chosen.tolist())) == key(prob, tuple(folded.chosen.tolist()))


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_sequential_flow_on_larger_rounds(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(20, 60)), int(rng.integers(10, 40))
    pairs = np.flatnonzero(rng.random(n * m) < 0.25)
    home = np.full(n, -1, dtype=np.int64)
    held = rng.permutation(m)[: min(n, m) // 2]
    home[: held.size] = held
    pairs = np.union1d(pairs, np.arange(held.size) * m + held)  # every holder's stay arc
    must = np.zeros(n, dtype=bool)
    must[: held.size] = rng.random(held.size) < 0.5
    prob = AssignmentProblem(
        n_persons=n,
        n_posts=m,
        person=pairs // m,
        post=pairs % m,
        score=rng.integers(-20, 200, size=pairs.size),
        home=home,
        must_place=must,
        priority=rng.integers(0, 4, size=m),
    )
    folded = solve_flow(prob)
    staged = solve_flow(prob, settings=_tight(prob, 3))
    log = _staged(staged.sparse_rounds)
    assert log and max(e["stages"] for e in log) >= 2
    got = solve(prob, settings=_tight(prob, 3))
    assert validate(prob, got) == []
    assert key(prob, tuple(staged.chosen.tolist())) == key(prob, tuple(folded.chosen.tolist()))
    assert key(prob, tuple(got.arc.tolist())) == key(prob, tuple(folded.chosen.tolist()))


def _level(span: int, top: int) -> Level:
    return Level(np.zeros(0, dtype=np.int64), span, top)


def test_stages_fold_as_many_levels_as_fit() -> None:
    # two tiers (3 and 2 posts), score (span 40, top 9), moves (span 4):
    # folded from the bottom: moves 1, score 1 + 4 = 5, tier 2: 1 + 5*40 + 4
    # = 205, tier 1: 1 + 205*2 + 5*40 + 4 = 615; all four: 615 + 205 + 45 + 1
    # = 866 per arc; score and moves alone: 5*9 + 1 = 46
    levels = [_level(3, 1), _level(2, 1), _level(40, 9), _level(4, 1)]
    n_nodes = 9  # costs are multiplied by 10
    assert [len(g) for g in stages(levels, n_nodes, 8661)] == [4]
    # tiers and score: score 1, tier 2 1 + 40 = 41, tier 1 1 + 82 + 40 = 123:
    # 123 + 41 + 9 = 173 per arc
    assert [len(g) for g in stages(levels, n_nodes, 8660)] == [3, 1]
    assert [len(g) for g in stages(levels, n_nodes, 1731)] == [3, 1]
    # the tiers alone: 3 + 1 = 4 per arc
    assert [len(g) for g in stages(levels, n_nodes, 1730)] == [2, 2]
    assert [len(g) for g in stages(levels, n_nodes, 461)] == [2, 2]
    assert [len(g) for g in stages(levels, n_nodes, 460)] == [2, 1, 1]
    assert [len(g) for g in stages(levels, n_nodes, 91)] == [2, 1, 1]
    with pytest.raises(CostRangeError):  # the score alone: 9 per arc
        stages(levels, n_nodes, 90)


def test_a_level_that_alone_does_not_fit_is_an_error() -> None:
    levels = [_level(1, 1), _level(40, 9)]
    with pytest.raises(CostRangeError, match="values up to 9"):
        stages(levels, 9, 90)


def test_face_fixes_the_posts_of_the_first_level() -> None:
    # person 0 may take post 0 (tier 1, score 1) or post 1 (tier 0, score 50);
    # person 1 only post 1 (score 5). Tiers first: post 0 must be filled, so
    # person 0 takes it and person 1 post 1, whatever the scores say.
    prob = AssignmentProblem(
        n_persons=2,
        n_posts=2,
        person=np.array([0, 0, 1]),
        post=np.array([0, 1, 1]),
        score=np.array([1, 50, 5]),
        priority=np.array([1, 0]),
    )
    # 5 nodes, costs times 6: the score (50) and the moves (score weighed 3:
    # 151) each fit 301 alone and not together; the one tier post can be
    # filled, so the tier is a demand at post 0, not a stage
    tight = dataclasses.replace(Settings(), cost_limit=50 * 6 + 1)
    got = solve_flow(prob, settings=tight)
    assert _staged(got.sparse_rounds)[0]["stages"] == 2
    assert _staged(got.sparse_rounds)[0]["tier_posts_filled"]
    assert sorted(got.chosen.tolist()) == [0, 2]


def test_tiers_are_stages_when_their_posts_cannot_all_be_filled() -> None:
    # person 0 alone can take post 0 (tier 2, score 1) or post 1 (tier 1,
    # score 50); person 1 post 2 (no tier). Both tier posts cannot be filled:
    # the tiers are stages, tier 2 first, so person 0 takes post 0.
    prob = AssignmentProblem(
        n_persons=2,
        n_posts=3,
        person=np.array([0, 0, 1]),
        post=np.array([0, 1, 2]),
        score=np.array([1, 50, 9]),
        priority=np.array([2, 1, 0]),
    )
    tight = dataclasses.replace(Settings(), cost_limit=50 * 7 + 1)
    got = solve_flow(prob, settings=tight)
    entry = _staged(got.sparse_rounds)[0]
    assert not entry["tier_posts_filled"] and entry["stages"] >= 3
    assert sorted(got.chosen.tolist()) == [0, 2]


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_fewest_moves_after_the_folded_tiers_and_score(seed: int) -> None:
    """A bound that the tiers and score fit folded but not with the moves: the
    flow solves those first (its usual path) and then the fewest moves on
    their optimal face."""
    rng = np.random.default_rng(seed)
    n, m = 30, 20
    pairs = np.flatnonzero(rng.random(n * m) < 0.3)
    home = np.full(n, -1, dtype=np.int64)
    home[:10] = rng.permutation(m)[:10]
    pairs = np.union1d(pairs, np.arange(10) * m + home[:10])
    prob = AssignmentProblem(
        n_persons=n,
        n_posts=m,
        person=pairs // m,
        post=pairs % m,
        score=rng.integers(0, 5, size=pairs.size),  # few values: many ties for the moves
        home=home,
        must_place=np.arange(n) < 5,
        priority=rng.integers(0, 3, size=m),
    )
    folded = solve_flow(prob)
    seen = 0
    for exp in range(24, 248, 2):  # bounds 2**(exp/4): some fold the tiers and score only
        tight = dataclasses.replace(Settings(), cost_limit=int(2 ** (exp / 4)))
        try:
            staged = solve_flow(prob, settings=tight)
        except CostRangeError:  # the score alone does not fit this bound
            continue
        seen += any("fewest_moves_after" in e for e in staged.sparse_rounds)
        assert key(prob, tuple(staged.chosen.tolist())) == key(prob, tuple(folded.chosen.tolist()))
    assert seen


def test_moves_that_fit_64_bits_but_not_the_flow_are_left_out_when_folding(monkeypatch) -> None:
    """Values that fit the bound but not times the flow's nodes (OR-Tools'
    rule) are folded without the moves at once: the network is prepared
    once, not a second time after its batch is found out of range."""
    from solvers.backends import flow, network

    rng = np.random.default_rng(3)
    n = m = 6  # one component of 12 nodes; scores 1-10, holders: a moves level
    key_all = np.unique(rng.integers(0, n * m, 30))
    key_all = np.union1d(key_all, np.arange(n) * m + np.arange(n))
    prob = AssignmentProblem(
        n_persons=n,
        n_posts=m,
        person=key_all // m,
        post=key_all % m,
        score=rng.integers(1, 11, key_all.size),
        home=np.arange(n),
    )
    # folded with the moves: |value| <= 10 * 7 + 1 < 500, but 71 * (12 + 2) >= 500;
    # without them: 10 * 14 < 500
    tight = dataclasses.replace(Settings(), cost_limit=500)
    assert not network.prepare(prob, settings=tight, unfolded_ok=True).moves_level
    assert network.prepare(prob, settings=tight).moves_level  # other uses: the plain bound
    calls = []
    real = flow.prepare

    def counted(*args, **kwargs):
        calls.append(kwargs.get("moves_level"))
        return real(*args, **kwargs)

    monkeypatch.setattr(flow, "prepare", counted)
    got = solve_flow(prob, settings=tight)
    assert calls == [None]
    assert any(e.get("fewest_moves_after") for e in got.sparse_rounds)
    want = solve_flow(prob)  # the default bound: every level folded
    assert key(prob, tuple(got.chosen.tolist())) == key(prob, tuple(want.chosen.tolist()))
