"""The baselines against one-arc-at-a-time references (the plain loops they replace)."""

from __future__ import annotations

import time

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from solvers_strategies import tiny_problems

from solvers import AssignmentProblem, cascade
from solvers.baselines import _finish, _place_must, _Tracker, _usable


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
