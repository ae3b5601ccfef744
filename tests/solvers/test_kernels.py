"""The compiled passes of solvers/kernels.py agree with the numpy and scipy
code they stand in for on large rounds."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from solvers import AssignmentProblem, Settings
from solvers.backends.certified.certificate import violations
from solvers.backends.certified.component import Component, covered, first_keep, sparse_mask
from solvers.backends.network import prepare
from solvers.kernels import components, group_by

#: Every arc set counts as large: the compiled passes run.
COMPILED = replace(Settings(), kernel_min_arcs=0)


def _component(
    n_p: int,
    n_q: int,
    pl: np.ndarray,
    ql: np.ndarray,
    s: Settings,
    may_leave: np.ndarray | None = None,
) -> Component:
    """A component of these arcs whose costs are never asked for."""
    leave = np.ones(n_p, dtype=bool) if may_leave is None else may_leave

    def no_costs() -> np.ndarray:
        raise AssertionError("the costs are not needed here")

    return Component(n_p, n_q, pl, ql, leave, no_costs, s)


@settings(max_examples=150, deadline=None)
@given(
    n=st.integers(1, 30),
    m=st.integers(1, 30),
    pairs=st.lists(st.tuples(st.integers(0, 29), st.integers(0, 29)), max_size=60),
    ids=st.sampled_from([np.int32, np.int64]),
)
def test_components_number_the_nodes_as_scipy_does(
    n: int, m: int, pairs: list[tuple[int, int]], ids: type
) -> None:
    p = np.array([a % n for a, _ in pairs], dtype=ids)
    q = np.array([b % m for _, b in pairs], dtype=ids)
    count, labels = components(p, q, n, m)
    graph = csr_matrix((np.ones(p.size), (p, n + q)), shape=(n + m, n + m))
    ref_count, ref = connected_components(graph, directed=False)
    assert count == ref_count
    assert labels.tolist() == ref.tolist()


def _round(seed: int, tiers: bool, homes: bool) -> AssignmentProblem:
    """Several components of different sizes, scores of both signs."""
    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(5, 60)), int(rng.integers(5, 60))
    person = np.repeat(np.arange(n), 3)
    # posts in blocks by person: several components
    post = (person * m // n + rng.integers(0, 3, person.size)) % m
    key = np.unique(person * m + post)
    person, post = key // m, key % m
    home = np.full(n, -1)
    if homes:  # a person's first post, unless another person holds it already
        for i, first in zip(person.tolist(), post.tolist(), strict=True):
            if home[i] < 0 and first not in home and i % 2 == 0:
                home[i] = first
    return AssignmentProblem(
        n_persons=n,
        n_posts=m,
        person=person,
        post=post,
        score=rng.integers(-20, 60, person.size),
        home=home,
        priority=rng.integers(0, 3, m) if tiers else None,
    )


@settings(max_examples=80, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), tiers=st.booleans(), homes=st.booleans())
def test_compiled_preparation_gives_the_same_network(seed: int, tiers: bool, homes: bool) -> None:
    """Components, levels and folded values: compiled and numpy agree exactly."""
    prob = _round(seed, tiers, homes)
    ref = prepare(prob)
    got = prepare(prob, settings=COMPILED)
    values = got.values  # folded on demand, by the compiled pass
    assert got.labels.tolist() == ref.labels.tolist()
    assert ref.fold is not None and got.fold is not None
    assert got.fold.b_c.tolist() == ref.fold.b_c.tolist()
    if tiers:
        assert got.post_offset is not None and ref.post_offset is not None
        assert got.post_offset.tolist() == ref.post_offset.tolist()
    else:
        assert got.post_offset is None and ref.post_offset is None
    assert values.tolist() == ref.values.tolist()


@pytest.mark.parametrize("side", ["persons", "posts"])
def test_covered_finds_a_matching_for_either_side(side: str) -> None:
    # persons 0, 1 both want post 0 only; person 2 wants posts 0 and 1
    pl = np.array([2, 0, 1, 2])  # not sorted by person
    ql = np.array([1, 0, 0, 0])
    if side == "persons":
        assert covered(3, 2, pl, ql, np.array([True, False, True]), side)
        assert not covered(3, 2, pl, ql, np.array([True, True, False]), side)
    else:
        assert covered(3, 2, pl, ql, np.array([True, True]), side)
        # without person 2, post 1 has no arc at all
        assert not covered(3, 2, pl[1:3], ql[1:3], np.array([True, True]), side)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_compiled_reduced_cost_check_finds_the_same_arcs(seed: int) -> None:
    from solvers.duals import Residual

    rng = np.random.default_rng(seed)
    n_p, n_q, size = 20, 15, 120
    pl = np.sort(rng.integers(0, n_p, size))
    ql = rng.integers(0, n_q, size)
    cost = rng.integers(-50, 50, size)
    res = Residual(n_p, n_q, pl, ql, cost, rng.random(size) < 0.1, rng.random(n_p) < 0.5)
    res.d = rng.integers(-60, 60, n_p + n_q + 1)  # any potentials: the check is what counts
    keep = rng.random(size) < 0.3
    ref = violations(res, _component(n_p, n_q, pl, ql, Settings()), cost, keep)
    got = violations(res, _component(n_p, n_q, pl, ql, COMPILED), cost, keep)
    assert got[0].tolist() == ref[0].tolist() and got[1].tolist() == ref[1].tolist()


@settings(max_examples=80, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), size=st.integers(1, 60))
def test_arc_summary_matches_numpy(seed: int, size: int) -> None:
    from solvers.kernels import arc_summary

    rng = np.random.default_rng(seed)
    person = rng.integers(-3, 8, size)
    post = rng.integers(-3, 8, size)
    if rng.random() < 0.5:  # often in canonical order, sometimes with a pair twice
        key = np.unique(person * 16 + post)
        if rng.random() < 0.3 and key.size > 1:
            key = np.sort(np.r_[key, key[rng.integers(key.size)]])
        person, post = key // 16, key % 16
    score = rng.integers(-(2**40), 2**40, person.size)
    got = arc_summary(person, post, score)
    key = person * 16 + post
    increasing = bool(np.all(key[1:] > key[:-1]))
    want = (person.min(), person.max(), post.min(), post.max(), score.min(), score.max())
    assert tuple(int(x) for x in got[:6]) == tuple(int(x) for x in want)
    assert bool(got[6]) == increasing
    run = 1  # by (post, person): arcs from the first on while each is above the one before
    while run < person.size and (post[run], person[run]) > (post[run - 1], person[run - 1]):
        run += 1
    assert int(got[7]) == run


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), split=st.floats(0.0, 1.0))
def test_the_picks_in_two_threads_are_the_picks_in_one(seed: int, split: float) -> None:
    """The persons' pick by runs and the posts' pick in two ranges of posts
    (two threads) keep the same first arc set as one pick per side."""
    rng = np.random.default_rng(seed)
    n_p, n_q = int(rng.integers(1, 40)), int(rng.integers(1, 30))
    key = np.unique(rng.integers(0, n_p * n_q, int(rng.integers(1, 400))))
    pl, ql = key // n_q, key % n_q
    value = rng.integers(0, int(rng.choice([3, 30, 5000])), pl.size)
    may_leave = np.ones(n_p, dtype=bool)
    stay = np.zeros(pl.size, dtype=bool)
    two = replace(COMPILED, cpus=2, pick_split=split)  # two threads, whatever the machine
    comp = _component(n_p, n_q, pl, ql, two, may_leave)
    got = first_keep(comp, value, stay)
    s = Settings()
    want = sparse_mask(pl, value.astype(float), n_p, s.sparse_k_person, s)
    want |= sparse_mask(ql, value.astype(float), n_q, s.sparse_k_post, s)
    assert (got == want).all()


def test_the_pick_by_runs_takes_any_int64_span() -> None:
    """Values whose span passes 2**63 (it wraps below 0) are listed, not counted."""
    from solvers.kernels import mark_best, mark_best_runs

    group = np.zeros(4, dtype=np.int64)
    value = np.array([-(2**62), 2**62, 0, 2**62 - 1], dtype=np.int64)
    for k, cap in ((1, 2), (2, 2), (3, 4)):
        runs = np.zeros(4, dtype=bool)
        mark_best_runs(group, value, k, cap, 2, runs)
        one = np.zeros(4, dtype=bool)
        mark_best(group, value, 0, 1, k, cap, 2, one)
        assert runs.tolist() == one.tolist()
    assert runs.tolist() == [False, True, True, True]


def _engine_order(rng: np.random.Generator, n: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    """Arcs as the engine gives them: post by post, person by person within a
    post, then one stay arc per held post appended (its holder, that post)."""
    pairs = rng.random((m, n)) < 0.4
    post, person = np.nonzero(pairs)  # row-major: by post, then person
    held = np.flatnonzero(rng.random(m) < 0.6)
    holder = rng.permutation(n)[: held.size] if held.size <= n else np.zeros(0, int)
    held = held[: holder.size]
    fresh = ~pairs[held, holder]  # a stay arc is not also an eligible pair
    return np.r_[person, holder[fresh]], np.r_[post, held[fresh]]


@settings(max_examples=80, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    shape=st.sampled_from(["engine", "shuffled", "sorted", "repeat"]),
)
def test_canonical_order_is_a_stable_sort_of_the_pair_key(seed: int, shape: str) -> None:
    from solvers.kernels import canonical_order

    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(1, 9)), int(rng.integers(1, 9))
    person, post = _engine_order(rng, n, m)
    if shape == "shuffled":
        turn = rng.permutation(person.size)
        person, post = person[turn], post[turn]
    elif shape == "sorted":
        turn = np.lexsort((post, person))
        person, post = person[turn], post[turn]
    elif shape == "repeat" and person.size:  # a pair given twice, anywhere
        a, at = int(rng.integers(person.size)), int(rng.integers(person.size + 1))
        person, post = np.insert(person, at, person[a]), np.insert(post, at, post[a])
    order, repeats, identity = canonical_order(person, post, n, np.empty(person.size, np.int64))
    order32, *_ = canonical_order(person, post, n, np.empty(person.size, np.int32))
    assert order32.dtype == np.int32 and order32.tolist() == order.tolist()
    key = person * m + post
    want = np.argsort(key, kind="stable")
    assert order.tolist() == want.tolist()
    assert repeats == key.size - np.unique(key).size
    assert identity == bool(np.all(key[1:] > key[:-1]))
    assert (shape == "repeat" and key.size > 0) == (repeats > 0)


@settings(max_examples=80, deadline=None)
@given(
    key=st.lists(st.integers(0, 6), max_size=60),
    extra=st.integers(0, 3),
    wide=st.booleans(),
)
def test_group_by_is_a_stable_argsort_with_its_group_starts(
    key: list[int], extra: int, wide: bool
) -> None:
    """Keys with gaps, repeats and empty trailing groups (``extra`` keys
    nobody has), in int32 or int64: the order of numpy's stable argsort and
    each group's start."""
    keys = np.array(key, dtype=np.int64 if wide else np.int32)
    n_keys = (max(key) + 1 if key else 0) + extra
    out = np.empty(keys.size, dtype=np.int32)
    starts = group_by(keys, n_keys, out)
    order = np.argsort(keys, kind="stable")
    assert out.tolist() == order.tolist()
    assert starts.tolist() == np.searchsorted(keys[order], np.arange(n_keys + 1)).tolist()


def test_group_by_by_hand() -> None:
    # keys 2, 0, 2, 1, 0 over 4 groups: 0 -> arcs 1, 4; 1 -> 3; 2 -> 0, 2; 3 -> none
    out = np.empty(5, dtype=np.int64)
    starts = group_by(np.array([2, 0, 2, 1, 0]), 4, out)
    assert out.tolist() == [1, 4, 3, 0, 2]
    assert starts.tolist() == [0, 2, 3, 5, 5]


@settings(max_examples=80, deadline=None)
@given(
    runs=st.lists(
        st.lists(st.tuples(st.integers(0, 5), st.integers(-4, 4)), max_size=8), max_size=6
    )
)
def test_sort_arcs_is_the_reduced_cost_then_a_lexsort_by_tail_and_it(
    runs: list[list[tuple[int, int]]],
) -> None:
    """Runs of arcs (head, cost) with repeats and empty runs, potentials
    0, -3, -1, ...: in place, the reduced costs ``cost + pi[tail] -
    pi[head]`` and each run ordered as ``np.lexsort((rc, tail))`` orders
    the arcs (ties keep their order)."""
    from solvers.kernels import sort_arcs

    n = max(len(runs), 6)
    pi = -((np.arange(n) * 3) % 7).astype(np.int64)
    tail = np.repeat(np.arange(len(runs)), [len(r) for r in runs]).astype(np.int64)
    head = np.array([h for run in runs for h, _ in run], dtype=np.int64)
    cost = np.array([c for run in runs for _, c in run], dtype=np.int64)
    delta = np.arange(head.size, dtype=np.int64) * 10
    indptr = np.zeros(n + 1, dtype=np.int64)
    indptr[1 : len(runs) + 1] = np.cumsum([len(r) for r in runs])
    indptr[len(runs) + 1 :] = indptr[len(runs)]
    rc = cost + pi[tail] - pi[head]
    order = np.lexsort((rc, tail))
    want = (head[order].tolist(), rc[order].tolist(), delta[order].tolist())
    sort_arcs(indptr, head, cost, delta, pi)
    assert (head.tolist(), cost.tolist(), delta.tolist()) == want
