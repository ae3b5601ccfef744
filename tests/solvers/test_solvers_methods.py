"""Method-level checks: components, the sparse certificate, CP-SAT paths, validator."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import solvers.cpsat as cpsat
import solvers.flow as flow
from solvers import (
    AssignmentProblem,
    GroupLimit,
    LinearConstraint,
    MaxChainLength,
    MaxMoves,
    Solution,
    Status,
    assign,
    solve,
    validate,
)
from solvers.duals import potentials


def _random(n: int, m: int, deg: int, seed: int, smax: int = 50):
    rng = np.random.default_rng(seed)
    person = np.repeat(np.arange(n), deg)
    post = rng.integers(0, m, size=person.size)
    key = np.unique(person * m + post)
    person, post = key // m, key % m
    return person, post, rng.integers(1, smax, size=person.size)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_sparse_certificate_gives_the_same_optimum(seed: int) -> None:
    person, post, score = _random(300, 200, 15, seed)
    plain = assign(person, post, score, n_persons=300, n_posts=200)
    old = (flow.SPARSE_MIN_ARCS, flow.SPARSE_MIN_DEGREE, flow.REPAIR_MAX)
    try:
        flow.SPARSE_MIN_ARCS, flow.SPARSE_MIN_DEGREE = 100, 2
        for repair in (0, 64):  # re-solve path and repair path
            flow.REPAIR_MAX = repair
            sparse = assign(person, post, score, n_persons=300, n_posts=200)
            assert sparse.method == "min_cost_flow+sparse_certified"
            assert sparse.objective == plain.objective
    finally:
        flow.SPARSE_MIN_ARCS, flow.SPARSE_MIN_DEGREE, flow.REPAIR_MAX = old


@pytest.mark.parametrize("batch", [1, 50, 10**6])
def test_batching_components_does_not_change_the_optimum(batch: int, monkeypatch) -> None:
    person, post, score = _random(400, 400, 2, 7)
    ref = assign(person, post, score, n_persons=400, n_posts=400)
    monkeypatch.setattr(flow, "BATCH_NODES", batch)
    sol = assign(person, post, score, n_persons=400, n_posts=400)
    assert sol.objective == ref.objective
    again = assign(person, post, score, n_persons=400, n_posts=400)
    assert again.person.tolist() == sol.person.tolist()  # same settings, same plan


def test_potentials_certify_and_detect_negative_cycles() -> None:
    d = potentials(3, np.array([0, 1, 2]), np.array([1, 2, 0]), np.array([-2, 1, 2]))
    assert d is not None
    assert potentials(2, np.array([0, 1]), np.array([1, 0]), np.array([-2, 1])) is None


def test_restricted_cp_sat_states_an_honest_bound(monkeypatch) -> None:
    rng = np.random.default_rng(3)
    n, m = 120, 40
    person, post, score = _random(n, m, 12, 3)
    home = np.full(n, -1)
    home[:30] = rng.permutation(m)[:30]
    person = np.r_[person, np.arange(30)]
    post = np.r_[post, home[:30]]
    key = np.unique(person * m + post)
    person, post = key // m, key % m
    score = rng.integers(1, 60, size=person.size) + 30 * (home[person] == post)
    group = np.where(home[person] == post, -1, post % 5)
    prob = AssignmentProblem(
        n_persons=n,
        n_posts=m,
        person=person,
        post=post,
        score=score,
        home=home,
        must_place=home >= 0,
        side=[MaxChainLength(2, "rantai"), GroupLimit(group, 2, "per unit")],
    )
    full = solve(prob, time_limit=20)
    monkeypatch.setattr(cpsat, "FULL_MODEL_ARCS", 10)
    monkeypatch.setattr(cpsat, "RESTRICTED_ARCS", 200)
    part = solve(prob, time_limit=20)
    assert validate(prob, part) == []
    assert part.status in (Status.OPTIMAL, Status.FEASIBLE)
    assert part.bound >= full.objective  # the bound covers every plan, not just kept arcs
    assert part.objective <= full.objective


def test_infeasible_side_constraints_are_named() -> None:
    # both incumbents must move (no stay arcs), but no moves are allowed
    prob = AssignmentProblem(
        n_persons=2,
        n_posts=3,
        person=np.array([0, 1]),
        post=np.array([2, 0]),
        score=np.array([1, 1]),
        home=np.array([0, 1]),
        must_place=np.array([True, True]),
        side=[
            MaxMoves(0, "tanpa mutasi"),
            LinearConstraint(np.array([1, 1]), upper=5, name="longgar"),
        ],
    )
    sol = solve(prob)
    assert sol.status == Status.INFEASIBLE
    assert sol.conflicts == ("tanpa mutasi",)
    assert validate(prob, sol) == []


def test_core_infeasibility_names_must_place_and_pins() -> None:
    prob = AssignmentProblem(
        n_persons=2,
        n_posts=1,
        person=np.array([0, 1]),
        post=np.array([0, 0]),
        score=np.array([1, 1]),
        must_place=np.array([True, False]),
        pins=np.array([[1, 0]]),
    )
    sol = solve(prob)
    assert sol.status == Status.INFEASIBLE
    assert sol.conflicts == ("must_place", "pins")
    assert "cannot all get a post" in sol.message


def test_tiers_fill_higher_tiers_first() -> None:
    # one person fits both posts; the tier-2 post wins even though it scores less
    prob = AssignmentProblem(
        n_persons=1,
        n_posts=2,
        person=np.array([0, 0]),
        post=np.array([0, 1]),
        score=np.array([9, 1]),
        priority=np.array([1, 2]),
    )
    sol = solve(prob)
    assert sol.post.tolist() == [1] and sol.filled == {2: 1}


def test_fewest_moves_breaks_score_ties() -> None:
    prob = AssignmentProblem(
        n_persons=2,
        n_posts=2,
        person=np.array([0, 0, 1, 1]),
        post=np.array([0, 1, 0, 1]),
        score=np.array([5, 5, 5, 5]),
        home=np.array([0, 1]),
    )
    sol = solve(prob)
    assert sol.n_moves == 0


def test_validator_catches_each_kind_of_violation() -> None:
    prob = AssignmentProblem(
        n_persons=3,
        n_posts=3,
        person=np.array([0, 0, 1, 2]),
        post=np.array([0, 1, 1, 2]),
        score=np.array([4, 5, 6, 1]),
        home=np.array([0, -1, -1]),
        must_place=np.array([True, False, False]),
        pins=np.array([[2, 2]]),
        bans=np.array([[0, 1]]),
        side=[MaxMoves(0, "tanpa mutasi")],
    )

    def plan(person, post, **kw):
        person, post = np.array(person, dtype=np.int64), np.array(post, dtype=np.int64)
        idx = prob.arc_index(person, post)
        base = dict(
            status=Status.FEASIBLE,
            person=person,
            post=post,
            arc=idx,
            objective=int(prob.score[idx[idx >= 0]].sum()),
            n_moves=int(prob.is_move[idx[idx >= 0]].sum()),
        )
        base.update(kw)
        return Solution(**base)

    good = plan([0, 1, 2], [0, 1, 2])
    assert validate(prob, good) == []
    assert "not arcs" in validate(prob, plan([1], [0]))[0]
    assert any("used more than once" in v for v in validate(prob, plan([0, 1], [1, 1])))
    assert any("must-place" in v for v in validate(prob, plan([1, 2], [1, 2])))
    assert any("pin (2, 2)" in v for v in validate(prob, plan([0, 1], [0, 1])))
    assert any("banned pair (0, 1)" in v for v in validate(prob, plan([0, 2], [1, 2])))
    assert any(
        "objective 99" in v for v in validate(prob, plan([0, 1, 2], [0, 1, 2], objective=99))
    )
    assert any("bound 1 is below" in v for v in validate(prob, plan([0, 1, 2], [0, 1, 2], bound=1)))
    moved = prob.with_changes(bans=None, person=np.array([0, 0, 1, 2]))
    sol = plan([0, 2], [1, 2])
    assert any("tanpa mutasi" in v for v in validate(moved, sol))
    empty = Solution(status=Status.INFEASIBLE)
    assert "no conflicts are named" in validate(prob, empty)[0]
