"""The solver against independent oracles: brute force, scipy, baselines."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment
from solvers_brute import assert_brute_force_optimal
from solvers_strategies import tiny_problems

from solvers import (
    AssignmentProblem,
    MaxChainLength,
    MaxMoves,
    Status,
    assign,
    cascade,
    greedy,
    solve,
    validate,
)

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(tiny_problems())
def test_matches_brute_force(prob: AssignmentProblem) -> None:
    sol = solve(prob, time_limit=10)
    assert_brute_force_optimal(prob, sol)


@SETTINGS
@given(tiny_problems())
def test_optimum_at_least_baselines(prob: AssignmentProblem) -> None:
    sol = solve(prob, time_limit=10)
    for baseline in (greedy, cascade):
        base = baseline(prob)
        assert validate(prob, base) == []
        assert base.method == baseline.__name__
        if base.has_plan:
            assert sol.has_plan
            if prob.priority is None:
                assert sol.objective >= base.objective


@settings(max_examples=100, deadline=None)
@given(tiny_problems(extras=False), st.data())
def test_adding_an_arc_never_lowers_the_optimum(prob: AssignmentProblem, data) -> None:
    cells = {(int(a), int(b)) for a, b in zip(prob.person, prob.post, strict=True)}
    free = [
        (i, j) for i in range(prob.n_persons) for j in range(prob.n_posts) if (i, j) not in cells
    ]
    if not free:
        return
    i, j = data.draw(st.sampled_from(free))
    s = data.draw(st.integers(-3, 9))
    bigger = prob.with_changes(
        person=np.r_[prob.person, i], post=np.r_[prob.post, j], score=np.r_[prob.score, s]
    )
    assert solve(bigger).objective >= solve(prob).objective


@settings(max_examples=100, deadline=None)
@given(tiny_problems(extras=False), st.data())
def test_removing_an_arc_never_raises_the_optimum(prob: AssignmentProblem, data) -> None:
    if prob.n_arcs < 2:
        return
    drop = data.draw(st.integers(0, prob.n_arcs - 1))
    keep = np.arange(prob.n_arcs) != drop
    smaller = prob.with_changes(
        person=prob.person[keep], post=prob.post[keep], score=prob.score[keep]
    )
    assert solve(smaller).objective <= solve(prob).objective


@SETTINGS
@given(tiny_problems())
def test_pins_and_bans_hold(prob: AssignmentProblem) -> None:
    sol = solve(prob, time_limit=10)
    if not sol.has_plan:
        return
    chosen = set(zip(sol.person.tolist(), sol.post.tolist(), strict=True))
    assert {tuple(p) for p in prob.pins.tolist()} <= chosen
    assert not ({tuple(b) for b in prob.bans.tolist()} & chosen)


@SETTINGS
@given(tiny_problems(max_persons=6, max_posts=5), st.randoms(use_true_random=False))
def test_same_plan_whatever_the_arc_order(prob: AssignmentProblem, rnd) -> None:
    perm = np.array(rnd.sample(range(prob.n_arcs), prob.n_arcs), dtype=np.int64)
    side = []
    for c in prob.side:  # per-arc arrays follow the arcs
        if hasattr(c, "group"):
            side.append(type(c)(c.group[perm], c.limit, c.name))
        elif hasattr(c, "coef"):
            side.append(type(c)(c.coef[perm], c.lower, c.upper, c.name))
        else:
            side.append(c)
    shuffled = prob.with_changes(
        person=prob.person[perm], post=prob.post[perm], score=prob.score[perm], side=side
    )
    a, b = solve(prob, time_limit=10), solve(shuffled, time_limit=10)
    assert a.status == b.status
    assert a.person.tolist() == b.person.tolist()
    assert a.post.tolist() == b.post.tolist()


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 12), st.integers(1, 12), st.integers(0, 2**32 - 1))
def test_agrees_with_linear_sum_assignment(n: int, m: int, seed: int) -> None:
    """Dense random instance; unplaced allowed = one zero-value dummy column per person."""
    rng = np.random.default_rng(seed)
    w = rng.integers(-5, 20, size=(n, m))
    padded = np.hstack([w, np.full((n, n), -(10**6))])
    padded[np.arange(n), m + np.arange(n)] = 0
    rows, cols = linear_sum_assignment(padded, maximize=True)
    expected = int(padded[rows, cols].sum())
    person, post = np.nonzero(np.ones((n, m), dtype=bool))
    sol = assign(person, post, w[person, post], n_persons=n, n_posts=m)
    assert sol.objective == expected


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 9), st.integers(0, 2**32 - 1))
def test_full_matching_with_tiers_agrees_with_scipy(n: int, seed: int) -> None:
    """Every post tier 1: fill all posts first, like a full matching."""
    rng = np.random.default_rng(seed)
    w = rng.integers(0, 30, size=(n + 2, n))
    rows, cols = linear_sum_assignment(w, maximize=True)
    person, post = np.nonzero(np.ones(w.shape, dtype=bool))
    prob = AssignmentProblem(
        n_persons=n + 2,
        n_posts=n,
        person=person,
        post=post,
        score=w[person, post],
        priority=np.ones(n, dtype=np.int64),
    )
    sol = solve(prob)
    assert sol.filled == {1: n}
    assert sol.objective == int(w[rows, cols].sum())


def test_vacancy_chain_comes_out_of_one_solve() -> None:
    """A promotion frees a post which is filled in the same optimisation."""
    # person 0 holds post 0 and can be promoted to vacant post 1;
    # person 1 (no post) fits post 0.
    prob = AssignmentProblem(
        n_persons=2,
        n_posts=2,
        person=np.array([0, 0, 1]),
        post=np.array([0, 1, 0]),
        score=np.array([5, 9, 6]),
        home=np.array([0, -1]),
        must_place=np.array([True, False]),
    )
    sol = solve(prob)
    assert sol.person.tolist() == [1, 0] and sol.post.tolist() == [0, 1]
    assert sol.objective == 15 and sol.n_moves == 1
    short = prob.with_changes(side=[MaxMoves(0, "tidak ada mutasi")])
    assert solve(short).objective == 5


def test_chain_limit_cuts_a_long_chain() -> None:
    # 0 -> post 1 (vacant), 1 -> post 0 (0's home), 2 -> post 2 (1's home)
    prob = AssignmentProblem(
        n_persons=3,
        n_posts=3,
        person=np.array([0, 0, 1, 1, 2]),
        post=np.array([0, 1, 0, 2, 2]),
        score=np.array([1, 9, 9, 1, 9]),
        home=np.array([0, 2, -1]),
        must_place=np.array([True, True, False]),
    )
    free = solve(prob)
    assert free.objective == 27
    capped_prob = prob.with_changes(side=[MaxChainLength(2, "rantai <= 2")])
    capped = solve(capped_prob)
    assert capped.status == Status.OPTIMAL
    assert capped.objective < 27
    assert validate(capped_prob, capped) == []


@pytest.mark.parametrize("allow", [True, False])
def test_swap_is_a_rotation(allow: bool) -> None:
    prob = AssignmentProblem(
        n_persons=2,
        n_posts=2,
        person=np.array([0, 0, 1, 1]),
        post=np.array([0, 1, 0, 1]),
        score=np.array([1, 5, 5, 1]),
        home=np.array([0, 1]),
        must_place=np.array([True, True]),
        allow_cycles=allow,
    )
    sol = solve(prob)
    assert sol.objective == (10 if allow else 2)
    assert validate(prob, sol) == []
