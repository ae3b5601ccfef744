"""The arcs' integer values (engine.model.problem.arc_values), by hand and across chunks."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.eligibility.soft import SoftFailures
from engine.model import problem
from engine.model.problem import Arcs, StayMask, arc_values


def _arcs(post: list[int], stays: int) -> Arcs:
    """Arcs to ``post``, the last ``stays`` of them stay arcs."""
    n = len(post)
    return Arcs(
        person=np.arange(n, dtype=np.int32),
        post=np.array(post, dtype=np.int32),
        soft=SoftFailures.empty([], [], n),
        stay_person=np.arange(n - stays, n, dtype=np.int64),
        n_candidates=n - stays,
    )


def test_arc_values_by_hand():
    # Post 0 weighs 1.5, post 1 weighs 2; stability bonus 5, move penalty 1.
    # move to post 0, fit 73.4: (73.4 x 1.5 - 1) x 10 = (110.1 - 1) x 10 = 1091
    # move to post 1, fit 60.0: (60 x 2 - 1) x 10 = 1190
    # move to post 0, fit 0.0:  (0 - 1) x 10 = -10
    # stay on post 1, fit 40.5: (40.5 x 2 + 5) x 10 = 860
    sc = SimpleNamespace(stability_bonus=5.0, move_penalty=1.0)
    arcs = _arcs([0, 1, 0, 1], stays=1)
    fit = np.array([73.4, 60.0, 0.0, 40.5])
    got = arc_values(fit, arcs, np.array([1.5, 2.0]), sc)
    assert got.dtype == np.int64
    assert got.tolist() == [1091, 1190, -10, 860]


@settings(max_examples=100, deadline=None)
@given(
    data=st.data(),
    chunk=st.integers(1, 7),
    bonus=st.floats(0, 20, allow_subnormal=False),
    penalty=st.floats(0, 20, allow_subnormal=False),
)
def test_arc_values_do_not_depend_on_the_chunk(data, chunk, bonus, penalty):
    # The oracle is the whole-array formula, computed at once in float64.
    n = data.draw(st.integers(0, 25))
    fit = np.round(
        np.array(data.draw(st.lists(st.floats(0, 100), min_size=n, max_size=n))), 1
    ).reshape(n)
    post = data.draw(st.lists(st.integers(0, 2), min_size=n, max_size=n))
    stays = data.draw(st.integers(0, n))
    weight = np.array([1.0, 1.25, 3.3])
    arcs = _arcs(post, stays)
    sc = SimpleNamespace(stability_bonus=bonus, move_penalty=penalty)
    stay = np.arange(n) >= n - stays
    value = fit * weight[np.array(post, dtype=np.int64)] + np.where(stay, bonus, -penalty)
    expected = np.round(value * 10).astype(np.int64)
    old = problem.CHUNK
    problem.CHUNK = chunk
    try:
        got = arc_values(fit, arcs, weight, sc)
    finally:
        problem.CHUNK = old
    assert got.tolist() == expected.tolist()


def test_round_arcs_append_the_stay_arcs_and_keep_the_pairs_once():
    # Posts 0-3: post 0 held by person 2 (stays), post 1 held by person 3 (leaves: BUP),
    # post 2 vacant, post 3 held by person 0 but opened by name. Only post 0 gets a stay arc.
    from engine.eligibility.candidates import Candidates
    from engine.model.problem import round_arcs

    posts = SimpleNamespace(holder=np.array([2, 3, -1, 0]))
    setup = SimpleNamespace(
        leaving=np.array([False, False, False, True]),
        named=np.array([False, False, False, True]),
    )
    # Soft rule "a" (penalty 2.5) fails the second pair, "b" (1.0) the second and third.
    failed = {"a": np.array([False, True, False]), "b": np.array([False, True, True])}
    cands = Candidates(
        person=np.array([1, 0, 1], dtype=np.int32),
        post=np.array([0, 2, 2], dtype=np.int32),
        soft=SoftFailures.pack(["a", "b"], [2.5, 1.0], failed, 3),
        considered=np.zeros(4, dtype=np.int64),
        excluded=[],
        unknown=np.zeros(4, dtype=np.int64),
    )
    arcs = round_arcs(posts, setup, cands)
    assert arcs.person.tolist() == [1, 0, 1, 2] and arcs.person.dtype == np.int32
    assert arcs.post.tolist() == [0, 2, 2, 0] and arcs.post.dtype == np.int32
    assert arcs.penalty.tolist() == [0.0, 3.5, 1.0, 0.0]
    assert [arcs.soft.failed_at(k) for k in range(4)] == [[], ["a", "b"], ["b"], []]
    assert np.asarray(arcs.is_stay).tolist() == [False, False, False, True]
    assert arcs.n_candidates == 3 and arcs.stay_person.tolist() == [2]
    # The candidates now read the arcs' first part: one copy of the pairs.
    for name in ("person", "post"):
        assert np.shares_memory(getattr(cands, name), getattr(arcs, name))
        assert getattr(cands, name).tolist() == getattr(arcs, name)[:3].tolist()
    assert np.shares_memory(cands.soft.bits, arcs.soft.bits)
    assert cands.penalty.tolist() == [0.0, 3.5, 1.0]


def test_a_stay_mask_is_indexed_as_the_bool_array_it_stands_for():
    # 5 arcs, the last 2 stay arcs: [F, F, F, T, T].
    stay = StayMask(3, 5)
    assert len(stay) == 5 and np.asarray(stay).tolist() == [False, False, False, True, True]
    assert stay[2] is False and stay[3] is True and stay[-1] is True
    assert stay[1:4].tolist() == [False, False, True] and stay[::2].tolist() == [False, False, True]
    assert stay[np.array([4, 0, -2])].tolist() == [True, False, True]


def test_a_pin_is_an_arc_when_its_post_has_the_person_or_it_is_their_stay_arc():
    from engine.model.problem import pairs_are_arcs

    # Candidates by post then person: post 0 {1, 4}, post 2 {0, 1, 3}, post 5 {2};
    # stay arcs (2, 1) and (3, 4) after them.
    arcs = Arcs(
        person=np.array([1, 4, 0, 1, 3, 2, 2, 3], dtype=np.int32),
        post=np.array([0, 0, 2, 2, 2, 5, 1, 4], dtype=np.int32),
        soft=SoftFailures.empty([], [], 8),
        stay_person=np.array([2, 3]),
        n_candidates=6,
    )
    pins = np.array([[4, 0], [3, 2], [2, 5], [2, 1], [3, 4], [2, 2], [0, 0], [5, 5], [1, 4]])
    got = pairs_are_arcs(arcs, pins)
    assert got.tolist() == [True, True, True, True, True, False, False, False, False]
