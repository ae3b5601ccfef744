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


def _view(person, post, soft, own, person_field, field_pair, pengalaman):
    """A FitView over 2 posts (field 0; levels 0 and 1), one field (stride 2: the
    unknown field last) and two levels."""
    from engine.eligibility.soft import PenaltyView
    from engine.scoring.fit import FitView, _FitTables

    tables = _FitTables(
        own=np.asarray(own, dtype=float),
        person_field=np.asarray(person_field, dtype=np.int64),
        post_field=np.array([0, 0], dtype=np.int64),
        field_pair=np.asarray(field_pair, dtype=float),
        stride=2,
        post_level=np.array([0, 1], dtype=np.int64),
        pengalaman=np.asarray(pengalaman, dtype=float),
        levels=2,
    )
    return FitView(tables, person, post, PenaltyView(soft))


def test_arc_values_by_the_compiled_pass_by_hand(monkeypatch):
    # Person 0: own 50, field 0 (keilmuan 20 on post field 0), pengalaman 5 at
    # level 0 and 10 at level 1; person 1: own 30, unknown field (keilmuan 0),
    # pengalaman 0 and 2.5. Soft rule "a" (3.0) fails arc 1. Post weights 1.5, 2;
    # move penalty 1, stability bonus 5; arc 3 is person 1's stay arc on post 0.
    # arc 0 (0 -> 0): fit 50 + 20 + 5 = 75;        (75 x 1.5 - 1) x 10 = 1115
    # arc 1 (1 -> 1): fit 30 + 0 + 2.5 - 3 = 29.5; (29.5 x 2 - 1) x 10 = 580
    # arc 2 (0 -> 1): fit 50 + 20 + 10 = 80;       (80 x 2 - 1) x 10 = 1590
    # arc 3 (1 stays on 0): fit 30 + 0 + 0 = 30;   (30 x 1.5 + 5) x 10 = 500
    monkeypatch.setattr(problem, "KERNEL_MIN_PAIRS", 0)
    person = np.array([0, 1, 0, 1], dtype=np.int32)
    post = np.array([0, 1, 1, 0], dtype=np.int32)
    soft = SoftFailures.pack(["a"], [3.0], {"a": np.array([False, True, False, False])}, 4)
    arcs = Arcs(person, post, soft, stay_person=np.array([1]), n_candidates=3)
    fit = _view(person, post, soft, [50, 30], [0, 1], [20, 0, 0, 0], [5, 10, 0, 2.5])
    assert fit.compiled() is not None
    sc = SimpleNamespace(stability_bonus=5.0, move_penalty=1.0)
    got = arc_values(fit, arcs, np.array([1.5, 2.0]), sc)
    assert got.dtype == np.int64 and got.tolist() == [1115, 580, 1590, 500]


@settings(max_examples=100, deadline=None)
@given(data=st.data(), bonus=st.floats(0, 20), penalty=st.floats(0, 20))
def test_arc_values_by_the_compiled_pass_are_numpys_bit_for_bit(data, bonus, penalty):
    # The oracle: the same arcs valued by the numpy path from the fits read by numpy.
    n = data.draw(st.integers(1, 25))
    person = np.array(data.draw(st.lists(st.integers(0, 2), min_size=n, max_size=n)), np.int32)
    post = np.array(data.draw(st.lists(st.integers(0, 1), min_size=n, max_size=n)), np.int32)
    floats = st.floats(0, 60, allow_subnormal=False)
    own, peng = (data.draw(st.lists(floats, min_size=m, max_size=m)) for m in (3, 6))
    field_pair = data.draw(st.lists(floats, min_size=4, max_size=4))
    person_field = data.draw(st.lists(st.integers(0, 1), min_size=3, max_size=3))
    fails = np.array(data.draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    soft = SoftFailures.pack(["a", "b"], [2.5, 0.3], {"a": fails, "b": ~fails}, n)
    stays = data.draw(st.integers(0, n))
    arcs = Arcs(person, post, soft, stay_person=np.arange(stays), n_candidates=n - stays)
    fit = _view(person, post, soft, own, person_field, field_pair, peng)
    sc = SimpleNamespace(stability_bonus=bonus, move_penalty=penalty)
    weight = np.array([1.0, 1.5])
    expected = arc_values(fit[:], arcs, weight, sc)
    old = problem.KERNEL_MIN_PAIRS
    problem.KERNEL_MIN_PAIRS = 0
    try:
        got = arc_values(fit, arcs, weight, sc)
    finally:
        problem.KERNEL_MIN_PAIRS = old
    assert got.tobytes() == expected.tobytes()
