"""Method-level checks: components, the sparse certificate, CP-SAT paths, validator."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import solvers.backends.certified.path as path
import solvers.backends.flow as flow
from solvers import (
    AssignmentProblem,
    GroupLimit,
    LinearConstraint,
    MaxChainLength,
    MaxMoves,
    Settings,
    Solution,
    Status,
    solve,
    validate,
)
from solvers.backends.certified.component import sparse_mask
from solvers.duals import potentials
from solvers.picks import _scatter, top_k_mask
from solvers.plan import build_solution

#: The certified sparse path on small rounds too.
SPARSE = replace(Settings(), sparse_min_arcs=100, sparse_min_degree=2)


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
    prob = AssignmentProblem(n_persons=300, n_posts=200, person=person, post=post, score=score)
    plain = solve(prob)
    sparse = solve(prob, settings=SPARSE)
    assert sparse.method == "auction+sparse_certified"
    assert sparse.objective == plain.objective
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(path, "auction_rounds", lambda *args: None)  # the flow's own sparse path
        for repair in (0, 64):  # re-solve path and repair path
            sparse = solve(prob, settings=replace(SPARSE, repair_max=repair))
            assert sparse.method == "min_cost_flow+sparse_certified"
            assert sparse.objective == plain.objective


@pytest.mark.parametrize("batch", [1, 50, 10**6])
def test_batching_components_does_not_change_the_optimum(batch: int) -> None:
    person, post, score = _random(400, 400, 2, 7)
    prob = AssignmentProblem(n_persons=400, n_posts=400, person=person, post=post, score=score)
    ref = solve(prob)
    batched = replace(Settings(), batch_nodes=batch)
    sol = solve(prob, settings=batched)
    assert sol.objective == ref.objective
    again = solve(prob, settings=batched)
    assert again.person.tolist() == sol.person.tolist()  # same settings, same plan


def test_potentials_certify_and_detect_negative_cycles() -> None:
    d = potentials(3, np.array([0, 1, 2]), np.array([1, 2, 0]), np.array([-2, 1, 2]))
    assert d is not None
    assert potentials(2, np.array([0, 1]), np.array([1, 0]), np.array([-2, 1])) is None


def test_restricted_cp_sat_states_an_honest_bound() -> None:
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
    small = replace(Settings(), full_model_arcs=10, restricted_arcs=200)
    part = solve(prob, time_limit=20, settings=small)
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
    # arcs that are not the pairs', or not arcs at all: the pairs are looked up instead
    for arc in (good.arc[::-1].copy(), np.array([0, 1, prob.n_arcs + 5])):
        wrong = replace(good, arc=arc)
        assert (validate(prob, wrong) != []) == (sorted(arc) != sorted(good.arc)), arc
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


@settings(max_examples=200, deadline=None)
@given(
    n_groups=st.integers(1, 6),
    arcs=st.lists(st.tuples(st.integers(0, 5), st.integers(-2, 2)), max_size=120),
    k=st.integers(1, 4),
    ids=st.sampled_from([np.int32, np.int64]),
    kernel=st.booleans(),
)
def test_top_k_mask_keeps_the_k_best_arcs_of_each_group(
    n_groups: int, arcs: list[tuple[int, int]], k: int, ids: type, kernel: bool
) -> None:
    """Exactly min(k, size) arcs per group, none worse than one left out; ties by _scatter.

    Both ways of picking: the sort (small inputs) and the compiled pass.
    """
    group = np.array([g % n_groups for g, _ in arcs], dtype=ids)
    value = np.array([v for _, v in arcs], dtype=np.int64)
    got = top_k_mask(group, value, n_groups, k, min_arcs=0 if kernel else 1 << 40)
    tie = _scatter(len(arcs))
    for g in range(n_groups):
        members = sorted(np.flatnonzero(group == g), key=lambda a: (-value[a], tie[a]))
        assert set(np.flatnonzero(got & (group == g))) == set(members[:k])
    # the sort of all arcs (values that are not integers, or a large k) agrees
    assert (top_k_mask(group, value.astype(float), n_groups, k) == got).all()


def _tied_round(seed: int, n: int = 400, m: int = 300) -> AssignmentProblem:
    """Scores that tie as real fits do (few distinct values), incumbents, tiers."""
    rng = np.random.default_rng(seed)
    home = np.full(n, -1)
    home[: m - 20] = rng.permutation(m)[: m - 20]
    person = np.repeat(np.arange(n), 120)
    post = rng.integers(0, m, size=person.size)
    person, post = np.r_[person, np.arange(m - 20)], np.r_[post, home[: m - 20]]
    key = np.unique(person * m + post)
    person, post = key // m, key % m
    level = rng.integers(0, 3, size=m)
    score = 10 * (rng.integers(0, 4, size=n)[person] + level[post]) + 5 * (home[person] == post)
    return AssignmentProblem(
        n_persons=n,
        n_posts=m,
        person=person,
        post=post,
        score=score,
        home=home,
        must_place=home >= 0,
        priority=level + 1,
    )


@pytest.mark.parametrize("seed", range(6))
def test_sparse_certificate_with_ties_incumbents_and_tiers(seed: int, monkeypatch) -> None:
    """The shape of a province round: the sparse solve keeps few arcs and agrees."""
    prob = _tied_round(seed)
    plain = flow.solve_flow(prob, sparse=False)
    sparse = flow.solve_flow(prob, sparse=True, settings=SPARSE)
    assert sparse.method == "auction+sparse_certified"
    assert sparse.sparse_rounds[0]["arcs"] < prob.n_arcs / 2  # ties do not keep every arc
    monkeypatch.setattr(path, "auction_rounds", lambda *args: None)
    by_flow = flow.solve_flow(prob, sparse=True, settings=SPARSE)
    assert by_flow.method == "min_cost_flow+sparse_certified"
    a = solve(prob)  # the validated plan, for the lexicographic levels
    for chosen in (plain.chosen, sparse.chosen, by_flow.chosen):
        assert int(prob.score[chosen].sum()) == a.objective
        assert int(prob.is_move[chosen].sum()) == a.n_moves
        assert (
            np.bincount(prob.priority[prob.post[chosen]], minlength=4).tolist()
            == np.bincount(prob.priority[a.post], minlength=4).tolist()
        )


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), shape=st.sampled_from(["all", "some", "blocked"]))
def test_tiers_as_a_stage_give_the_folded_optimum(seed: int, shape: str) -> None:
    """Tier posts as posts that must be filled (values without the tier part)
    when they can all be filled, the folded values when they cannot."""
    rng = np.random.default_rng(seed)
    n, m = 300, 200
    person, post, score = _random(n, m, 15, seed)
    score = score - 10  # some negative scores: placing is not always worth it
    priority = np.ones(m, dtype=np.int64) if shape == "all" else rng.integers(0, 3, m)
    if shape == "blocked":  # three tier posts open to person 0 alone: one stays empty
        keep = ~np.isin(post, [0, 1, 2])
        person = np.r_[person[keep], [0, 0, 0]]
        post = np.r_[post[keep], [0, 1, 2]]
        score = np.r_[score[keep], [5, 6, 7]]
        priority[:3] = 2
    prob = AssignmentProblem(
        n_persons=n, n_posts=m, person=person, post=post, score=score, priority=priority
    )
    plain = flow.solve_flow(prob, sparse=False)
    sparse = flow.solve_flow(prob, settings=SPARSE)
    assert sparse.method == "auction+sparse_certified"
    staged = sparse.sparse_rounds[-1]["must_fill"]
    assert staged == (0 if shape == "blocked" else int((priority > 0).sum()))
    for chosen in (plain.chosen, sparse.chosen):
        assert validate(prob, build_solution(prob, chosen, Status.OPTIMAL, "flow", 0.0)) == []
    tiers = [np.bincount(priority[post[c.chosen]], minlength=3).tolist() for c in (plain, sparse)]
    assert tiers[0] == tiers[1]
    assert int(score[plain.chosen].sum()) == int(score[sparse.chosen].sum())
    assert plain.chosen.size == sparse.chosen.size  # fewest arcs: the moves level


@pytest.mark.parametrize("seed", range(5))
def test_greedy_in_blocks_is_the_one_by_one_greedy(seed: int) -> None:
    """Blocks of the rank order give the plan of taking arcs one at a time."""
    import solvers.baselines as baselines

    person, post, score = _random(300, 200, 8, seed, smax=6)  # many ties
    prob = AssignmentProblem(n_persons=300, n_posts=200, person=person, post=post, score=score)
    order = prob.canonical[np.argsort(-prob.score[prob.canonical], kind="stable")]
    taken_p, taken_q, expected = set(), set(), []
    for a in order.tolist():  # the textbook greedy
        i, j = int(person[a]), int(post[a])
        if score[a] > 0 and i not in taken_p and j not in taken_q:
            taken_p.add(i)
            taken_q.add(j)
            expected.append(a)
    for block in (1, 7, 1 << 20):
        got = baselines.greedy(prob, settings=replace(Settings(), greedy_block=block))
        assert sorted(got.arc.tolist()) == sorted(expected)


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("processes", [2, 3])
def test_batches_in_several_processes_give_the_same_plan(
    seed: int, processes: int, monkeypatch
) -> None:
    """Forked children solving shares of the batches change nothing in the plan."""
    person, post, score = _random(600, 600, 2, seed)
    prob = AssignmentProblem(n_persons=600, n_posts=600, person=person, post=post, score=score)
    base = replace(Settings(), batch_nodes=40, cpus=processes, parallel_min_arcs=0)
    one = flow.solve_flow(prob, settings=replace(base, flow_processes=1))
    forks = []
    real = flow._fork

    def spy(ctx, run, share):
        forks.append(len(share))
        return real(ctx, run, share)

    monkeypatch.setattr(flow, "_fork", spy)
    many = flow.solve_flow(prob, settings=base)
    assert len(forks) == processes - 1 and all(forks)  # every child had batches
    assert many.chosen.tolist() == one.chosen.tolist()


def test_the_process_count_is_detected_and_capped() -> None:
    """Every core by default, never more than the cores, at least one."""
    import os

    s = Settings()
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert s.cpus == cores and s.processes == cores
    assert replace(s, cpus=2, flow_processes=8).processes == 2
    assert replace(s, cpus=4, flow_processes=0).processes == 1
    assert replace(s, cpus=1).threads == 1 and replace(s, cpus=3).threads == 2


def test_an_infeasible_batch_in_the_child_is_reported() -> None:
    """The child's InfeasibleCore reaches the caller, persons and all."""
    # component A (feasible, larger) goes to this process, B (two must-place
    # persons, one post) to the child
    person = np.array([0, 0, 1, 1, 2, 2, 3, 4])
    post = np.array([0, 1, 1, 2, 2, 0, 3, 3])
    must = np.zeros(5, dtype=bool)
    must[[3, 4]] = True
    prob = AssignmentProblem(
        n_persons=5,
        n_posts=4,
        person=person,
        post=post,
        score=np.ones(8, dtype=np.int64),
        must_place=must,
    )
    two = replace(Settings(), batch_nodes=1, parallel_min_arcs=0, cpus=2, flow_processes=2)
    with pytest.raises(flow.InfeasibleCore) as caught:
        flow.solve_flow(prob, settings=two)
    assert set(caught.value.persons.tolist()) <= {3, 4} and caught.value.persons.size == 1
    sol = solve(prob)
    assert sol.status == Status.INFEASIBLE and "must_place" in sol.conflicts


@settings(max_examples=150, deadline=None)
@given(
    arcs=st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), max_size=80),
    k=st.integers(1, 3),
    kernel=st.booleans(),
    runs=st.booleans(),
    spread=st.sampled_from([1, 1000]),
)
def test_sparse_mask_keeps_the_best_values_up_to_a_cap(
    arcs: list[tuple[int, int]], k: int, kernel: bool, runs: bool, spread: int
) -> None:
    """Every arc of the k best distinct values, unless that passes the cap: then the cap's best.

    The sort, the compiled pass, and the compiled pass over runs (arcs
    sorted by group, as persons' arcs are; values that span few integers
    are counted, the others listed) pick the same arcs.
    """
    if runs:
        arcs = sorted(arcs, key=lambda arc: arc[0])
    group = np.array([g for g, _ in arcs], dtype=np.int32 if kernel else np.int64)
    value = np.array([v * spread for _, v in arcs], dtype=np.int64)
    s = replace(Settings(), kernel_min_arcs=0 if kernel else 1 << 40)
    got = sparse_mask(group, value, 4, k, s, runs=runs)
    assert (sparse_mask(group, value.astype(float), 4, k, Settings()) == got).all()
    cap = s.sparse_cap * k
    for g in range(4):
        members = np.flatnonzero(group == g)
        top_values = sorted(set(value[members].tolist()), reverse=True)[:k]
        within = members[np.isin(value[members], top_values)]
        kept = np.flatnonzero(got & (group == g))
        if within.size <= cap:
            assert set(kept.tolist()) == set(within.tolist())
        else:  # the cap's best: none left out beats one kept
            assert kept.size == cap and set(kept.tolist()) <= set(within.tolist())
            out = np.setdiff1d(members, kept)
            assert value[out].max() <= value[kept].min()
