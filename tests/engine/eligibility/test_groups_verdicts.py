"""The one grouping of posts and the one unknown policy, on their own."""

from __future__ import annotations

import dataclasses
import datetime as dt
import doctest

import numpy as np
import pytest
from factories import JABATAN_HEADER, PEGAWAI_HEADER, ROOT, person, post, write_csv

import engine.eligibility.groups as groups
import engine.eligibility.verdicts as verdicts
from engine.eligibility.groups import dense_codes, group_posts, row_codes, signature
from engine.eligibility.verdicts import ActiveRule, UnknownPolicy
from engine.inputs.data import load_tables
from engine.inputs.derive import derive_people, derive_posts
from engine.inputs.settings import load_bup, load_taxonomy
from engine.rules.requirements import CATALOGUE, FAIL, PASS, UNKNOWN
from engine.rules.ruleset import load_rules

DAY = dt.date(2026, 7, 1)


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
    # radix 4 (values 0 to 3) would not fold again, and row 1's 2**62 * 4 + 0
    # would wrap around to row 0's 0 * 4 + 0.
    matrix = np.array([[0, 0, 0], [0, 2**62, 0], [0, 0, 3]], dtype=np.int64)
    assert row_codes(matrix).tolist() == [0, 2, 1]


def test_row_codes_fold_when_the_largest_code_times_the_radix_passes_int64():
    # After the first column the codes are 0 and 2**31 (radix 2**31 + 1, not yet
    # dense); the second column's radix is 2**32. (2**31 + 1) * 2**32 passes 2**63,
    # so the codes fold to 0 and 1 first, and the rows keep their order: 0, 1.
    # Unfolded (2**31 * 2**32 alone is 2**63, not past it), row 1 would be
    # 2**63 + 2**32 - 1, which wraps around below row 0 and would be numbered 0.
    matrix = np.array([[0, 0], [2**31, 2**32 - 1]], dtype=np.int64)
    assert row_codes(matrix).tolist() == [0, 1]
    # Codes in the order of the rows, the first column first.
    assert row_codes(np.array([[2, 0], [0, 7], [0, 3], [2, 0]])).tolist() == [2, 1, 0, 2]


def test_dense_codes_number_a_missing_value_in_its_place_like_any_other():
    # b=0, missing=1, a=2 in order of appearance; a missing value is not put first.
    code, first = dense_codes([np.array(["b", None, "a", None], dtype=object)])
    assert code.tolist() == [0, 1, 2, 1]
    assert first.tolist() == [0, 1, 2]


def test_signature_refuses_masks_and_codes_of_different_rules():
    masks = [np.array([True, False]), np.array([True, True])]
    codes = [np.array([4, 5])]
    with pytest.raises(ValueError):
        signature(masks, codes, np.zeros(2, dtype=np.int64), np.arange(2))
    # One rule: its code where it applies, -1 where it does not, then the level.
    got = signature(masks[:1], codes, np.array([1, 2]), np.arange(2))
    assert got.tolist() == [[4, 1], [-1, 2]]


def test_dense_codes_number_the_distinct_rows_and_name_the_first_of_each():
    code, first = dense_codes(
        [np.array(["b", "a", "b", "c"], dtype=object), np.array([1, 1, 1, 1])]
    )
    # Columns are factorised in order of appearance: b=0, a=1, c=2.
    assert code.tolist() == [0, 1, 0, 2]
    assert first.tolist() == [0, 1, 3]
    code, first = dense_codes([np.array([], dtype=object)])
    assert code.tolist() == [] and first.tolist() == []


def test_the_default_unknown_policy_fails_and_cannot_be_changed():
    assert UnknownPolicy() == UnknownPolicy.of("fail")
    with pytest.raises(dataclasses.FrozenInstanceError):
        UnknownPolicy().fails = False


FIELD_RULE = """
- id: t.bidang
  title: The post's own field.
  applies_to: {jenis_jabatan: Pengawas}
  require: {bidang_keilmuan: {min: exact}}
  source: test
  effective: {from: 2020-01-01}
"""


@pytest.fixture(scope="module")
def field_rule(tmp_path_factory):
    """An equality rule (the same field) over three people and four posts.

    People: 0 S1 Teknik Sipil, 1 S1 Ilmu Hukum, 2 a jurusan the taxonomy does
    not know (UNKNOWN). Posts: 0 and 2 Teknik Sipil, 1 Hukum (Pengawas, where
    the rule applies), 3 an Akuntansi Administrator post (it does not).
    """
    tmp = tmp_path_factory.mktemp("field")
    people = [
        person(1, jenis_jabatan="Pelaksana"),
        person(2, jenis_jabatan="Pelaksana", jurusan="Ilmu Hukum"),
        person(3, jenis_jabatan="Pelaksana", jurusan="Ilmu Tak Dikenal"),
    ]
    posts = [
        post("P0", eselon="IV.a", jenis_jabatan="Pengawas"),
        post("P1", eselon="IV.a", jenis_jabatan="Pengawas", bidang="Hukum"),
        post("P2", eselon="IV.a", jenis_jabatan="Pengawas"),
        post("P3", bidang="Akuntansi"),
    ]
    write_csv(tmp / "p.csv", PEGAWAI_HEADER, people)
    write_csv(tmp / "j.csv", JABATAN_HEADER, posts)
    (tmp / "r.yaml").write_text(FIELD_RULE, encoding="utf-8")
    tables = load_tables(tmp / "p.csv", tmp / "j.csv")
    taxonomy = load_taxonomy(ROOT / "rules/taksonomi.yaml")
    people_d = derive_people(tables, DAY, taxonomy, load_bup(ROOT / "rules/bup.yaml"))
    posts_d = derive_posts(tables, {n: i for i, n in enumerate(people_d.nip)}, taxonomy)
    ((loaded, mask),) = load_rules([tmp / "r.yaml"]).applicable(DAY, posts_d)
    assert mask.tolist() == [True, True, True, False]
    kind = CATALOGUE["bidang_keilmuan"](taxonomy)
    return loaded, kind, mask, people_d, posts_d


@pytest.mark.parametrize("join", [True, False])
def test_an_active_rule_gives_one_verdict_per_post_value(field_rule, join):
    loaded, kind, mask, people, posts = field_rule
    rule = ActiveRule(loaded, kind, mask, people, posts, UnknownPolicy.of("fail"), join=join)
    assert (rule.join is not None) == join
    # Posts 0 and 2 share a field: one value code; the rep of a code is its first post.
    assert rule.code.tolist() == [0, 1, 0, 2]
    assert rule.rep.tolist() == [0, 1, 3]
    assert rule.verdict(0).tolist() == [PASS, FAIL, UNKNOWN]
    assert rule.verdict(1).tolist() == [FAIL, PASS, UNKNOWN]
    assert rule.failed(0).tolist() == [False, True, True]
    assert rule.unknown(0).tolist() == [False, False, True]
    lenient = ActiveRule(loaded, kind, mask, people, posts, UnknownPolicy.of("pass"), join=join)
    assert lenient.failed(1).tolist() == [True, False, False]
    assert lenient.unknown(1).tolist() == [False, False, True]
    assert rule.penalty == 0.0 and rule.hard and rule.id == "t.bidang"
    # By default an equality rule is evaluated from its keys.
    assert ActiveRule(loaded, kind, mask, people, posts, UnknownPolicy()).join is not None


@pytest.mark.parametrize("join", [True, False])
@pytest.mark.parametrize("unknown", ["fail", "pass"])
def test_an_active_rule_fails_pairs_only_at_the_posts_it_applies_to(field_rule, join, unknown):
    loaded, kind, mask, people, posts = field_rule
    rule = ActiveRule(loaded, kind, mask, people, posts, UnknownPolicy.of(unknown), join=join)
    person = np.array([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 2])
    post = np.array([0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3])
    # At P0 and P2 only Teknik Sipil passes, at P1 only Ilmu Hukum; P3 has no rule.
    # Person 2's field is unknown: a failure only when UNKNOWN fails.
    u = unknown == "fail"
    expected = [False, True, u, True, False, u, False, True, u, False, False]
    assert rule.failed_pairs(person, post, np.arange(4)).tolist() == expected
    # Pairs from posts of one value (P0 and P2) and from a post the rule skips (P3).
    one = np.isin(post, [0, 2])
    assert rule.failed_pairs(person[one], post[one], np.array([0, 2])).tolist() == [
        e for e, keep in zip(expected, one, strict=True) if keep
    ]
    skip = post == 3
    assert rule.failed_pairs(person[skip], post[skip], np.array([3])).tolist() == [False, False]
