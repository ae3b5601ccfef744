"""The one grouping of posts and the one unknown policy, on their own."""

from __future__ import annotations

import doctest

import numpy as np
import pytest

import engine.eligibility.groups as groups
import engine.eligibility.verdicts as verdicts
from engine.eligibility.groups import dense_codes, group_posts, row_codes
from engine.eligibility.verdicts import UnknownPolicy
from engine.rules.requirements import FAIL, PASS, UNKNOWN


@pytest.mark.parametrize("module", [groups, verdicts])
def test_doctest_examples(module):
    assert doctest.testmod(module).failed == 0


def test_groups_partition_the_posts_by_signature_in_post_order():
    rng = np.random.default_rng(7)
    n = 200
    masks = [rng.random(n) < 0.5 for _ in range(3)]
    codes = [rng.integers(0, 3, n) for _ in range(3)]
    level = rng.integers(1, 4, n)
    js = np.flatnonzero(rng.random(n) < 0.8)
    found = group_posts(masks, codes, level, js[::-1])
    assert sorted(np.concatenate(found).tolist()) == js.tolist()
    assert [int(g[0]) for g in found] == sorted(int(g[0]) for g in found)

    def sig(j):
        return (*(int(c[j]) if m[j] else -1 for m, c in zip(masks, codes, strict=True)), level[j])

    for g in found:
        assert np.all(np.diff(g) > 0)
        assert len({sig(j) for j in g}) == 1
    assert len({sig(int(g[0])) for g in found}) == len(found)


def test_row_codes_survive_a_radix_overflow():
    # Four columns of values up to 2**30: their product overflows int64.
    rows = np.random.default_rng(3).integers(0, 2**30, (5, 4))
    matrix = rows[[0, 1, 2, 1, 3, 4, 0]]
    codes = row_codes(matrix)
    same = (matrix[:, None, :] == matrix[None, :, :]).all(axis=2)
    assert ((codes[:, None] == codes[None, :]) == same).all()
    assert len(np.unique(codes)) == 5


def test_unknown_policy_is_named_by_the_scenario_setting():
    v = np.array([PASS, FAIL, UNKNOWN], dtype=np.int8)
    assert UnknownPolicy.of("fail").failed(v).tolist() == [False, True, True]
    assert UnknownPolicy.of("pass").failed(v).tolist() == [False, True, False]
    assert UnknownPolicy.of(UnknownPolicy(False)) == UnknownPolicy(False)
    with pytest.raises(ValueError, match="'fail' or 'pass'"):
        UnknownPolicy.of("maybe")


def test_row_codes_fold_before_the_codes_could_wrap_around():
    # Radices 2, 2**32 and 2**32: folded without care, the first column would be
    # multiplied by 2**64 and vanish, and rows 0 and 1 would share a code.
    top = 2**32 - 1
    matrix = np.array([[0, 0, 0], [1, 0, 0], [0, top, top], [1, top, top]], dtype=np.int64)
    assert sorted(row_codes(matrix).tolist()) == [0, 1, 2, 3]


def test_row_codes_count_the_codes_kept_after_folding():
    # The first column is one value; the second's radix 2**62 + 1 makes the codes
    # fold (one code so far: the span is 1). Counted as 0, the third column's
    # radix 4 would not fold again, and row 1's 2**62 * 4 + 1 would wrap around
    # to row 0's 0 * 4 + 1.
    matrix = np.array([[0, 0, 1], [0, 2**62, 1], [0, 0, 3]], dtype=np.int64)
    assert sorted(row_codes(matrix).tolist()) == [0, 1, 2]


def test_dense_codes_number_the_distinct_rows_and_name_the_first_of_each():
    code, first = dense_codes(
        [np.array(["b", "a", "b", "c"], dtype=object), np.array([1, 1, 1, 1])]
    )
    # Columns are factorised in order of appearance: b=0, a=1, c=2.
    assert code.tolist() == [0, 1, 0, 2]
    assert first.tolist() == [0, 1, 3]
    code, first = dense_codes([np.array([], dtype=object)])
    assert code.tolist() == [] and first.tolist() == []
