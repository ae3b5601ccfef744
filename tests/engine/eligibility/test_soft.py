"""The soft rules each pair fails, a bit per rule (engine.eligibility.soft), by hand."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.eligibility.soft import PenaltyView, SoftFailures

T, F = True, False


def test_a_pairs_bits_say_which_soft_rules_it_fails_and_its_penalty():
    # Three pairs; rule "s1" (3.0) fails pairs 0 and 2, "s2" (0.5) fails pair 2.
    soft = SoftFailures.pack(
        ["s1", "s2"], [3.0, 0.5], {"s1": np.array([T, F, T]), "s2": np.array([F, F, T])}, 3
    )
    assert soft.bits.dtype == np.uint8 and soft.bits.shape == (3, 1)
    assert soft.bits[:, 0].tolist() == [0b01, 0b00, 0b11]
    assert [soft.failed_at(k) for k in range(3)] == [["s1"], [], ["s1", "s2"]]
    assert soft.failed_at(3) == [] and soft.failed_at(-1) == []  # past the pairs: a stay arc
    assert soft.penalty().tolist() == [3.0, 0.0, 3.5]
    # Indexed as an array is: one pair gives one value, an index of shape (2, 2) a (2, 2).
    assert soft.penalty(2).tolist() == 3.5 and soft.penalty(0).tolist() == 3.0
    assert soft.penalty(np.array([[0, 2], [1, 1]])).tolist() == [[3.0, 3.5], [0.0, 0.0]]
    assert [(rid, m.tolist()) for rid, m in soft.unpacked()] == [
        ("s1", [T, F, T]),
        ("s2", [F, F, T]),
    ]
    sub = soft.subset(np.array([F, T, T]))
    assert sub.penalty().tolist() == [0.0, 3.5] and sub.failed_at(1) == ["s1", "s2"]


def test_a_rule_missing_from_the_failures_fails_no_pair():
    soft = SoftFailures.pack(["s1", "s2"], [3.0, 0.5], {"s2": np.array([T, F])}, 2)
    assert [soft.failed_at(k) for k in range(2)] == [["s2"], []]
    assert soft.penalty().tolist() == [0.5, 0.0]


def test_nine_soft_rules_take_two_bytes_a_pair_and_none_take_none():
    ids = [f"r{e}" for e in range(9)]
    failed = {"r0": np.array([T]), "r8": np.array([T])}
    soft = SoftFailures.pack(ids, [1.0] * 8 + [10.0], failed, 1)
    assert soft.bits.shape == (1, 2) and soft.bits[0].tolist() == [1, 1]
    assert soft.failed_at(0) == ["r0", "r8"] and soft.penalty().tolist() == [11.0]
    assert soft.penalty(0).tolist() == 11.0  # one value from a row of two bytes
    assert SoftFailures.empty([], [], 4).bits.shape == (4, 0)
    assert SoftFailures.empty([], [], 4).penalty().tolist() == [0.0] * 4
    with pytest.raises(ValueError, match="for 9 soft rules"):
        SoftFailures(ids, [1.0] * 9, np.zeros((1, 1), np.uint8))


def test_each_rules_mask_reads_its_own_bit_past_the_first_byte():
    # Ten rules, two pairs: pair 0 fails r7 (byte 0, bit 7) and r9 (byte 1, bit 1),
    # pair 1 fails r8 (byte 1, bit 0). Bytes: pair 0 [128, 2], pair 1 [0, 1].
    ids = [f"r{e}" for e in range(10)]
    failed = {"r7": np.array([T, F]), "r8": np.array([F, T]), "r9": np.array([T, F])}
    soft = SoftFailures.pack(ids, [1.0] * 10, failed, 2)
    assert soft.bits.tolist() == [[128, 2], [0, 1]]
    expected = {rid: failed.get(rid, np.array([F, F])).tolist() for rid in ids}
    assert {rid: m.tolist() for rid, m in soft.unpacked()} == expected
    assert [soft.mask(e).tolist() for e in range(10)] == [expected[r] for r in ids]
    # A mask of some pairs, in the order asked for.
    assert soft.mask(8, np.array([1, 0])).tolist() == [T, F]
    assert soft.mask(7, np.array([1, 0])).tolist() == [F, T]


def test_the_penalty_view_is_indexed_as_the_array_it_stands_for():
    soft = SoftFailures.pack(["s"], [2.5], {"s": np.array([F, T, T, F])}, 4)
    view = PenaltyView(soft)
    assert len(view) == 4 and view.tolist() == [0.0, 2.5, 2.5, 0.0]
    assert view[1] == 2.5 and view[-1] == 0.0
    assert view[1:3].tolist() == [2.5, 2.5] and view[np.array([3, 1])].tolist() == [0.0, 2.5]
    assert np.asarray(view).tolist() == [0.0, 2.5, 2.5, 0.0]


@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_a_penalty_from_the_bits_is_the_rule_by_rule_sum_bit_for_bit(data):
    # The oracle: 0.0, then each failed rule's penalty added in rule order, in float64
    # (what eligibility added per pair before the bits).
    n_rules = data.draw(st.integers(0, 11))
    n = data.draw(st.integers(0, 20))
    penalties = data.draw(
        st.lists(st.floats(0, 200, allow_subnormal=False), min_size=n_rules, max_size=n_rules)
    )
    masks = [
        np.array(data.draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype=bool)
        for _ in range(n_rules)
    ]
    ids = [f"r{e}" for e in range(n_rules)]
    soft = SoftFailures.pack(ids, penalties, dict(zip(ids, masks, strict=True)), n)
    expected = np.zeros(n)
    for p, m in zip(penalties, masks, strict=True):
        expected += np.where(m, p, 0.0)
    assert soft.penalty().tobytes() == expected.tobytes()
    for k in range(n):
        assert soft.failed_at(k) == [r for r, m in zip(ids, masks, strict=True) if m[k]]


def test_the_penalty_of_a_byte_is_looked_up_and_added_in_rule_order():
    # 0.1 + 0.2 + 0.3 in rule order is 0.6000000000000001 (0.1 + (0.2 + 0.3) is 0.6):
    # the lookup table holds the sums made in the order the rules apply.
    masks = {"a": np.array([T, T, F, F]), "b": np.array([T, F, T, F]), "c": np.array([T] * 4)}
    soft = SoftFailures.pack(["a", "b", "c"], [0.1, 0.2, 0.3], masks, 4)
    table = soft.byte_penalties()
    assert table.shape == (256,) and table[0] == 0.0 and table[0b001] == 0.1
    assert table[0b111] == 0.6000000000000001 and table[0b110] == 0.5
    assert soft.penalty().tolist() == [0.6000000000000001, 0.4, 0.5, 0.3]
    assert PenaltyView(soft)[np.array([2, 0])].tolist() == [0.5, 0.6000000000000001]
    assert PenaltyView(soft)[1] == 0.4 and PenaltyView(soft)[-1] == 0.3
