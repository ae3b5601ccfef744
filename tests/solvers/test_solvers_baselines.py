"""The baselines against one-arc-at-a-time references (the plain loops they replace)."""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from solvers_strategies import tiny_problems

import solvers.baselines as baselines
from solvers import AssignmentProblem, cascade, greedy
from solvers.baselines import _finish, _place_must, _Tracker, _usable
from solvers.settings import Settings

#: The compiled passes (counting sorts, one scan per phase) on every size.
COMPILED = replace(Settings(), kernel_min_arcs=0)


def reference_cascade(prob: AssignmentProblem):
    """The cascade as a plain loop over each post's candidates, best first."""
    t0 = time.perf_counter()
    tr = _Tracker(prob)
    for a in prob.pin_arcs.tolist():
        tr.take(a)
    usable = _usable(prob)
    by_post = np.lexsort((prob.person, -prob.score, prob.post))
    by_post = by_post[usable[by_post] & (prob.score[by_post] > 0)]
    starts = np.searchsorted(prob.post[by_post], np.arange(prob.n_posts + 1))
    home, holder = prob.home, tr.holder
    depth = np.zeros(prob.n_posts, dtype=np.int64)
    queue = [int(j) for j in np.flatnonzero(holder < 0) if tr.post_person[j] < 0]
    for a in prob.pin_arcs.tolist():
        i = int(prob.person[a])
        if home[i] >= 0 and home[i] != prob.post[a]:
            queue.append(int(home[i]))
    depth[queue] = 1
    k = tr.chain.k if tr.chain is not None else None
    head = 0
    while head < len(queue):
        j = queue[head]
        head += 1
        if tr.post_person[j] >= 0 or (k is not None and depth[j] > k):
            continue
        for a in by_post[starts[j] : starts[j + 1]].tolist():
            i = int(prob.person[a])
            if tr.person_post[i] >= 0:
                continue
            if home[i] >= 0 and home[i] != j and tr.post_person[home[i]] >= 0:
                continue
            if not tr.allowed(a):
                continue
            tr.take(a)
            if home[i] >= 0 and home[i] != j:
                depth[home[i]] = depth[j] + 1
                queue.append(int(home[i]))
            break
    stay = np.flatnonzero(usable & prob.is_stay)
    stay = stay[(tr.person_post[prob.person[stay]] < 0) & (tr.post_person[prob.post[stay]] < 0)]
    stay = stay[prob.must_place[prob.person[stay]] | (prob.score[stay] >= 0)]
    for a in stay.tolist():
        if tr.allowed(a):
            tr.take(a)
    canon = prob.canonical
    order = canon[np.argsort(-prob.score[canon], kind="stable")]
    _place_must(prob, tr, usable, order)
    return _finish(prob, tr, "cascade", t0)


def reference_greedy(prob: AssignmentProblem):
    """The greedy as its docstring says, one arc at a time over a Python sort:
    positive arcs best first (posts of must-place holders kept for them),
    then the must-place persons left over, then those kept posts."""
    t0 = time.perf_counter()
    tr = _Tracker(prob)
    for a in prob.pin_arcs.tolist():
        tr.take(a)
    usable = _usable(prob)
    order = np.array(reference_greedy_order(prob), dtype=np.int64)
    held_by_must = set(prob.home[prob.must_place & (prob.home >= 0)].tolist())

    def kept(a: int) -> bool:
        j = int(prob.post[a])
        return j in held_by_must and int(tr.holder[j]) != int(prob.person[a])

    def one_by_one(want_kept: bool) -> None:
        for a in order.tolist():
            if usable[a] and prob.score[a] > 0 and kept(a) == want_kept and tr.allowed(a):
                tr.take(a)

    one_by_one(False)
    _place_must(prob, tr, usable, order)
    one_by_one(True)
    return _finish(prob, tr, "greedy", t0)


def reference_greedy_order(prob: AssignmentProblem) -> list[int]:
    """Best first: score descending, then (person, post), as a Python sort."""
    return sorted(
        range(prob.n_arcs),
        key=lambda a: (-int(prob.score[a]), int(prob.person[a]), int(prob.post[a])),
    )


def _same(a, b) -> None:
    assert a.status == b.status
    assert sorted(zip(a.person.tolist(), a.post.tolist(), strict=True)) == sorted(
        zip(b.person.tolist(), b.post.tolist(), strict=True)
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_problems(max_persons=7, max_posts=5))
def test_cascade_equals_the_plain_loop(prob: AssignmentProblem) -> None:
    _same(cascade(prob), reference_cascade(prob))


@pytest.mark.parametrize("seed", range(5))
def test_cascade_equals_the_plain_loop_on_larger_rounds(seed: int) -> None:
    """Posts with hundreds of candidates (the lookup widens past its first 64)."""
    rng = np.random.default_rng(seed)
    n, m = 600, 150
    key = np.unique(rng.integers(0, n * m, size=40_000))
    home = np.full(n, -1)
    home[:100] = rng.permutation(m)[:100]
    person, post = key // m, key % m
    extra = np.setdiff1d(np.arange(100) * m + home[:100], key)
    person, post = np.r_[person, extra // m], np.r_[post, extra % m]
    prob = AssignmentProblem(
        n_persons=n,
        n_posts=m,
        person=person,
        post=post,
        score=rng.integers(-5, 4, person.size),  # ties, and many arcs not worth taking
        home=home,
        must_place=home >= 0,
    )
    _same(cascade(prob), reference_cascade(prob))


@settings(max_examples=100, deadline=None)
@given(tiny_problems(max_persons=7, max_posts=5, extras=False))
def test_greedy_takes_arcs_in_score_then_canonical_order(prob: AssignmentProblem) -> None:
    from solvers.baselines import _best_first

    assert _best_first(prob).tolist() == reference_greedy_order(prob)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_problems(max_persons=7, max_posts=5, side=False))
def test_greedy_equals_the_plain_loop_compiled_or_not(prob: AssignmentProblem) -> None:
    """Without side constraints: the compiled scans, the vectorised rounds
    and the loop one arc at a time give the same plan (pins, bans and
    must-place holders included)."""
    want = reference_greedy(prob)
    _same(greedy(prob, settings=COMPILED), want)
    _same(greedy(prob), want)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_problems(max_persons=7, max_posts=5))
def test_cascade_compiled_equals_the_plain_loop(prob: AssignmentProblem) -> None:
    _same(cascade(prob, settings=COMPILED), reference_cascade(prob))


def _round(seed: int, smin: int = -5, smax: int = 4) -> AssignmentProblem:
    """600 people, 150 posts, hundreds of candidates per post, 100 holders
    who must be placed, a pin and bans, arcs in post-major order (as a
    round's model gives them, not canonical)."""
    rng = np.random.default_rng(seed)
    n, m = 600, 150
    key = np.unique(rng.integers(0, n * m, size=40_000))
    home = np.full(n, -1)
    home[:100] = rng.permutation(m)[:100]
    extra = np.setdiff1d(np.arange(100) * m + home[:100], key)
    key = np.r_[key, extra]
    key = key[np.lexsort((key // m, key % m))]  # by post, then person
    person, post = key // m, key % m
    pin = int(np.flatnonzero(person == 300)[0])
    bans = np.c_[person[::97], post[::97]]
    bans = bans[(bans[:, 0] != 300) & (bans[:, 1] != post[pin])]
    return AssignmentProblem(
        n_persons=n,
        n_posts=m,
        person=person,
        post=post,
        score=rng.integers(smin, smax, person.size),  # ties, arcs not worth taking
        home=home,
        must_place=home >= 0,
        pins=np.array([[300, post[pin]]]),
        bans=bans,
    )


@pytest.mark.parametrize("seed", range(4))
def test_baselines_compiled_equal_the_plain_loops_on_larger_rounds(seed: int) -> None:
    prob = _round(seed)
    assert not prob.is_canonical
    _same(greedy(prob, settings=COMPILED), reference_greedy(prob))
    _same(cascade(prob, settings=COMPILED), reference_cascade(prob))


def test_scores_too_spread_for_a_counting_sort_are_sorted_the_plain_way(monkeypatch) -> None:
    """Scores spanning more values than the counting sort takes: the same plans."""
    prob = _round(7, smin=-50, smax=60)
    monkeypatch.setattr(baselines, "_BUCKETS_MAX", 40)
    assert baselines._positive_best_first(prob) is None
    _same(greedy(prob, settings=COMPILED), reference_greedy(prob))
    _same(cascade(prob, settings=COMPILED), reference_cascade(prob))


def test_the_persons_arcs_are_counted_a_block_at_a_time_by_hand() -> None:
    # Persons of 5 arcs [1, 0, 1, 3, 1] among 4 people, blocks of 2 arcs:
    # counts 1, 3, 0, 1, so person 0's arcs start at 0, 1's at 1, 2's and 3's at 4.
    person = np.array([1, 0, 1, 3, 1], dtype=np.int32)
    for block in (1, 2, 5, 8):
        got = baselines._person_starts(person, 4, block)
        assert got.dtype == np.int64 and got.tolist() == [0, 1, 4, 4, 5]
    assert baselines._person_starts(np.zeros(0, np.int32), 2).tolist() == [0, 0, 0]


@pytest.mark.parametrize("seed", range(2))
def test_the_greedy_counting_its_arcs_in_small_blocks_is_the_plain_loop(seed, monkeypatch) -> None:
    # The positive arcs and each person's arcs counted in blocks of 997 arcs (of ~40,000).
    prob = _round(seed)
    monkeypatch.setattr(baselines, "_BLOCK", 997)
    _same(greedy(prob, settings=COMPILED), reference_greedy(prob))
