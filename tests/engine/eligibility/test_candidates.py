"""Eligibility on a round worked out by hand: every pair, count and reason pinned.

test_eligibility.py compares the methods with each other and with the
per-pair verdicts on random rounds; here the numbers themselves are worked
out by hand, for the join, the groups and the plain method alike.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from factories import JABATAN_HEADER, PEGAWAI_HEADER, ROOT, person, post, write_csv

from engine.eligibility.candidates import (
    Candidates,
    ExcludedCounts,
    _ExcludedPeople,
    _Finder,
    _kept_runs,
    _ranges,
    _unique_rows,
    find_candidates,
    index_dtype,
    verdicts,
)
from engine.eligibility.moves import MovePolicy
from engine.eligibility.soft import SoftFailures
from engine.eligibility.verdicts import UnknownPolicy
from engine.inputs.data import load_tables
from engine.inputs.derive import derive_people, derive_posts
from engine.inputs.settings import load_bup, load_taxonomy
from engine.rules.ruleset import load_rules

DAY = dt.date(2026, 7, 1)
U1 = "Dinas Pekerjaan Umum dan Penataan Ruang"
U2 = "Inspektorat"

RULES = """\
- id: t.bidang
  title: The post's own field.
  applies_to: {jenis_jabatan: Pengawas}
  require: {bidang_keilmuan: {min: exact}}
  source: test
  effective: {from: 2020-01-01}
- id: t.golongan
  title: III/c at least.
  require: {golongan: {min: III/c}}
  source: test
  effective: {from: 2020-01-01}
- id: t.jpm
  title: JPM 70 at least.
  applies_to: {jabatan_id: [P1, P3]}
  require: {jpm: {min: 70}}
  source: test
  effective: {from: 2020-01-01}
- id: t.unit
  title: The post's own unit preferred.
  require: {unit_kerja: {same_as_post: true}}
  hard: false
  penalty: 3
  source: test
  effective: {from: 2020-01-01}
- id: t.s2
  title: S2 preferred.
  applies_to: {jenis_jabatan: Administrator}
  require: {pendidikan: {min: S2}}
  hard: false
  penalty: 2
  source: test
  effective: {from: 2020-01-01}
"""


@pytest.fixture(scope="module")
def round_(tmp_path_factory):
    """Six people, five posts, five rules.

    People (unit, jurusan, golongan, JPM, pendidikan):

    0 Administrator holding P3 (level 3)  U1  Teknik Sipil      IV/a  75  S1
    1 Pelaksana                           U1  Teknik Sipil      III/d 80  S2
    2 Pelaksana                           U2  Ilmu Pemerintahan III/c  -  S1
    3 Pelaksana                           U1  (not in taxonomy) IV/a  65  S2
    4 Pelaksana                           U2  Teknik Sipil      III/b 90  S1
    5 Pelaksana, outside the pool         U1  Akuntansi         III/c 70  S1

    Posts: P0, P1, P2 Pengawas (IV.a, level 2), P3, P4 Administrator (III.b,
    level 3); P0 U1 Teknik Sipil, P1 U1 Ilmu
    Pemerintahan, P2 U2 Teknik Sipil, P3 U1
    Teknik Sipil, P4 U2 Akuntansi.

    Rules: t.bidang (hard, the same field: a join) at P0-P2; t.golongan (hard,
    III/c) everywhere; t.jpm (hard, 70) at P1 and P3; t.unit (soft, 3, the
    same unit: a join) everywhere; t.s2 (soft, 2) at P3 and P4.
    """
    tmp = tmp_path_factory.mktemp("candidates")
    people = [
        person(1, jenis_jabatan="Administrator", golongan="IV/a", jpm="75"),
        person(2, jenis_jabatan="Pelaksana", golongan="III/d", jpm="80", pendidikan="S2"),
        person(
            3, jenis_jabatan="Pelaksana", unit=U2, jurusan="Ilmu Pemerintahan", golongan="III/c"
        ),
        person(4, jenis_jabatan="Pelaksana", jurusan="Ilmu Tak Dikenal", jpm="65"),
        person(5, jenis_jabatan="Pelaksana", unit=U2, golongan="III/b", jpm="90"),
        person(6, jenis_jabatan="Pelaksana", jurusan="Akuntansi", golongan="III/c", jpm="70"),
    ]
    people[2]["jpm"] = ""
    people[3]["pendidikan"] = "S2"
    posts = [
        post("P0", eselon="IV.a", jenis_jabatan="Pengawas"),
        post("P1", eselon="IV.a", jenis_jabatan="Pengawas", bidang="Ilmu Pemerintahan"),
        post("P2", eselon="IV.a", jenis_jabatan="Pengawas", unit=U2),
        post("P3", nip_pemangku=people[0]["nip"]),
        post("P4", unit=U2, bidang="Akuntansi"),
    ]
    write_csv(tmp / "p.csv", PEGAWAI_HEADER, people)
    write_csv(tmp / "j.csv", JABATAN_HEADER, posts)
    (tmp / "r.yaml").write_text(RULES, encoding="utf-8")
    tables = load_tables(tmp / "p.csv", tmp / "j.csv")
    taxonomy = load_taxonomy(ROOT / "rules/taksonomi.yaml")
    people_d = derive_people(tables, DAY, taxonomy, load_bup(ROOT / "rules/bup.yaml"))
    posts_d = derive_posts(tables, {n: i for i, n in enumerate(people_d.nip)}, taxonomy)
    assert people_d.level.tolist() == [3, 0, 0, 0, 0, 0]
    assert posts_d.level.tolist() == [2, 2, 2, 3, 3]
    assert people_d.home.tolist() == [3, -1, -1, -1, -1, -1]
    pool = np.array([True, True, True, True, True, False])
    return people_d, posts_d, load_rules([tmp / "r.yaml"]), taxonomy, pool


def find(round_, unknown="fail", method="auto", open_posts=None):
    people, posts, ruleset, taxonomy, pool = round_
    return find_candidates(
        people,
        posts,
        ruleset,
        taxonomy,
        DAY,
        pool=pool,
        allowed=MovePolicy(lateral=True).allowed,
        unknown=unknown,
        open_posts=open_posts,
        method=method,
    )


F, T = False, True
# Who is considered: the pool (not person 5) and the move policy (promotion and
# lateral moves, from outside at the level or above): at level 2 persons 1-4
# (the Administrator may not step down), at level 3 persons 0-4.
CONSIDERED = [4, 4, 4, 5, 5]
# Considered people with a verdict UNKNOWN at the post: person 3's field at
# P0-P2, person 2's JPM at P1 and P3 (whatever the policy).
UNKNOWN_AT = [1, 2, 1, 1, 0]

# UNKNOWN fails. Golongan turns away person 4 everywhere. P0 (Teknik Sipil):
# person 2 (Ilmu Pemerintahan) and 3 (unknown field) fail the field; person 1 is left, in
# the post's unit. P1 (Ilmu Pemerintahan): persons 1, 3, 4 fail the field, 2 (JPM unknown)
# and 3 (65) the JPM: nobody is left. P2 (Teknik Sipil, U2): person 1, of
# another unit (3). P3: person 0 holds it (their stay arc, not a candidacy),
# person 1 passes both and has S2 (0); 2 and 3 fail the JPM. P4 (U2): persons
# 0-3 pass the golongan; unit 3 unless in U2 (person 2), S2 2 unless S2
# (persons 1 and 3): 0 -> 5, 1 -> 3, 2 -> 2, 3 -> 3.
FAIL_PAIRS = {
    "post": [0, 2, 3, 4, 4, 4, 4],
    "person": [1, 1, 1, 0, 1, 2, 3],
    "penalty": [0, 3, 0, 5, 3, 2, 3],
    "t.unit": [F, T, F, T, T, F, T],
    "t.s2": [F, F, F, T, F, T, F],
}
FAIL_EXCLUDED = [
    {"t.bidang": 2, "t.golongan": 1},
    {"t.bidang": 3, "t.golongan": 1, "t.jpm": 2},
    {"t.bidang": 2, "t.golongan": 1},
    {"t.golongan": 1, "t.jpm": 2},
    {"t.golongan": 1},
]
# UNKNOWN passes: person 3 (unknown field) joins at P0 and P2 (another unit at
# P2: 3); at P1 person 2 (Ilmu Pemerintahan, JPM
# unknown) is left, of another unit (3);
# at P3 person 2 too (unit 3 + S1 2 = 5).
PASS_PAIRS = {
    "post": [0, 0, 1, 2, 2, 3, 3, 4, 4, 4, 4],
    "person": [1, 3, 2, 1, 3, 1, 2, 0, 1, 2, 3],
    "penalty": [0, 0, 3, 3, 3, 0, 5, 5, 3, 2, 3],
    "t.unit": [F, F, T, T, T, F, T, T, T, F, T],
    "t.s2": [F, F, F, F, F, F, T, T, F, T, F],
}
PASS_EXCLUDED = [
    {"t.bidang": 1, "t.golongan": 1},
    {"t.bidang": 2, "t.golongan": 1, "t.jpm": 1},
    {"t.bidang": 1, "t.golongan": 1},
    {"t.golongan": 1, "t.jpm": 1},
    {"t.golongan": 1},
]


def assert_pairs(
    cands: Candidates, pairs: dict[str, list], soft: tuple[str, ...] = ("t.unit", "t.s2")
) -> None:
    assert cands.post.tolist() == pairs["post"]
    assert cands.person.tolist() == pairs["person"]
    assert cands.penalty.tolist() == pairs["penalty"]
    assert [rid for rid, _ in cands.soft_failed] == list(soft)
    for rid, mask in cands.soft_failed:
        assert mask.tolist() == pairs[rid], rid
    assert len(cands) == len(pairs["post"])


@pytest.mark.parametrize("method", ["auto", "join", "groups"])
@pytest.mark.parametrize(
    ("unknown", "pairs", "excluded"),
    [("fail", FAIL_PAIRS, FAIL_EXCLUDED), ("pass", PASS_PAIRS, PASS_EXCLUDED)],
)
def test_every_pair_count_and_reason_of_a_round_worked_out_by_hand(
    round_, method, unknown, pairs, excluded
):
    cands = find(round_, unknown, method)
    assert_pairs(cands, pairs)
    assert cands.considered.tolist() == CONSIDERED
    assert cands.unknown.tolist() == UNKNOWN_AT
    assert list(cands.excluded) == excluded
    assert cands.rules_in_force == ["t.bidang", "t.golongan", "t.jpm", "t.unit", "t.s2"]


@pytest.mark.parametrize("method", ["auto", "join", "groups"])
def test_people_a_rule_turned_away_are_counted_once_over_posts(round_, method):
    """Per rule, distinct people over a set of posts (the per-post counts add up pairs)."""
    every = np.ones(5, dtype=bool)
    fail = find(round_, "fail", method)
    # Field: P0 {2, 3}, P1 {1, 3, 4}, P2 {2, 3}: four people (seven pairs). Golongan:
    # person 4 at all five posts. JPM: {2, 3} at P1 and at P3.
    assert fail.excluded_people(every) == {"t.bidang": 4, "t.golongan": 1, "t.jpm": 2}
    assert fail.excluded_people(np.array([T, F, T, F, F])) == {"t.bidang": 2, "t.golongan": 1}
    assert fail.excluded_people(np.array([F, F, F, F, T])) == {"t.golongan": 1}
    assert fail.excluded_people(np.zeros(5, dtype=bool)) == {}
    lenient = find(round_, "pass", method)
    # Field: P0 {2}, P1 {1, 4}, P2 {2}; JPM: {3} at P1 and P3.
    assert lenient.excluded_people(every) == {"t.bidang": 3, "t.golongan": 1, "t.jpm": 1}
    assert lenient.excluded_people(np.array([F, T, F, F, F])) == {
        "t.bidang": 2,
        "t.golongan": 1,
        "t.jpm": 1,
    }
    # Keys in the order of the rule ids.
    assert list(fail.excluded_people(every)) == ["t.bidang", "t.golongan", "t.jpm"]


@pytest.mark.parametrize("method", ["auto", "join", "groups"])
def test_posts_not_open_have_no_pairs_and_no_counts(round_, method):
    open_posts = np.array([T, T, F, T, F])
    cands = find(round_, "fail", method, open_posts)
    # FAIL_PAIRS without P2 and P4.
    assert cands.post.tolist() == [0, 3]
    assert cands.person.tolist() == [1, 1]
    assert cands.penalty.tolist() == [0, 0]
    assert cands.considered.tolist() == [4, 4, 0, 5, 0]
    assert cands.unknown.tolist() == [1, 2, 0, 1, 0]
    assert list(cands.excluded) == [FAIL_EXCLUDED[0], FAIL_EXCLUDED[1], {}, FAIL_EXCLUDED[3], {}]
    # A post not open turns nobody away, even when asked about.
    assert cands.excluded_people(np.array([F, F, T, F, T])) == {}
    assert cands.excluded_people(np.ones(5, dtype=bool)) == {
        "t.bidang": 4,  # {2, 3} at P0, {1, 3, 4} at P1
        "t.golongan": 1,
        "t.jpm": 2,
    }
    # Only P3 and P4 open: the field rule (the first) applies to no post open;
    # the JPM rule after it still counts person 2's UNKNOWN at P3.
    late = find(round_, "fail", method, np.array([F, F, F, T, T]))
    assert late.unknown.tolist() == [0, 0, 0, 1, 0]
    assert late.post.tolist() == [3, 4, 4, 4, 4] and late.person.tolist() == [1, 0, 1, 2, 3]


def test_a_subset_keeps_the_counts_and_cuts_every_pair_array(round_):
    cands = find(round_)
    keep = np.array([T, F, F, T, F, T, F])
    sub = cands.subset(keep)
    assert sub.post.tolist() == [0, 4, 4]
    assert sub.person.tolist() == [1, 0, 2]
    assert sub.penalty.tolist() == [0, 5, 2]
    assert [m.tolist() for _, m in sub.soft_failed] == [[F, T, F], [F, T, T]]
    assert sub.considered.tolist() == CONSIDERED and list(sub.excluded) == FAIL_EXCLUDED


def test_the_verdicts_of_one_pair_with_their_sources_and_what_would_change_them(round_):
    people, posts, ruleset, taxonomy, _ = round_
    # Person 3 at P1: unknown field, golongan IV/a, JPM 65, unit U1 as the post's.
    got = verdicts(people, posts, ruleset, taxonomy, DAY, 3, 1, lang="en")
    assert [(v.rule_id, v.verdict, v.hard, v.penalty) for v in got] == [
        ("t.bidang", "UNKNOWN", True, None),
        ("t.golongan", "PASS", True, None),
        ("t.jpm", "FAIL", True, None),
        ("t.unit", "PASS", False, 3),
    ]
    # A rule that passes has nothing to change; the others say what would.
    assert [v.counterfactual is None for v in got] == [False, True, False, True]
    # Line of each rule in the file (six lines a hard rule, eight a soft one).
    assert [(Path(v.file).name, v.line) for v in got] == [
        ("r.yaml", 1),
        ("r.yaml", 7),
        ("r.yaml", 12),
        ("r.yaml", 18),
    ]
    assert [v.kind for v in got] == ["bidang_keilmuan", "golongan", "jpm", "unit_kerja"]
    assert got[2].title == "JPM 70 at least." and got[2].source == "test"
    assert "65" in got[2].explanation and not got[2].verified
    # A verdict is a value: what explain shows cannot be changed after the fact.
    with pytest.raises(dataclasses.FrozenInstanceError):
        got[2].verdict = "PASS"  # type: ignore[misc]
    assert hash(got[2]) == hash(verdicts(people, posts, ruleset, taxonomy, DAY, 3, 1, lang="en")[2])
    # Person 0 at P4: t.bidang and t.jpm do not apply there.
    at_p4 = verdicts(people, posts, ruleset, taxonomy, DAY, 0, 4)
    assert [(v.rule_id, v.verdict) for v in at_p4] == [
        ("t.golongan", "PASS"),
        ("t.unit", "FAIL"),
        ("t.s2", "FAIL"),
    ]


def test_candidates_without_the_people_they_excluded_say_so():
    empty = np.zeros(0, dtype=np.int64)
    cands = Candidates(empty, empty, SoftFailures.empty([], [], 0), empty, [], empty)
    with pytest.raises(ValueError, match="do not keep what excluded whom"):
        cands.excluded_people(np.zeros(0, dtype=bool))
    # The function is left out of the printed form.
    assert "excluded_people_of" not in repr(cands) and "rules_in_force=[]" in repr(cands)


def test_excluded_counts_equal_only_the_same_list():
    counts = ExcludedCounts(["a", "b"], np.array([[0, 2], [3, 0]]))
    assert counts == [{"b": 3}, {"a": 2}]
    assert counts != [{"b": 3}]  # shorter
    assert counts != [{"b": 3}, {"a": 2}, {}]  # longer
    assert counts != [{"b": 3}, {"a": 1}]  # one count differs
    assert counts != [{"a": 2}, {"b": 3}]  # the posts in another order
    assert counts.__eq__(3) is NotImplemented
    assert repr(counts) == "ExcludedCounts(2 rules x 2 posts)"


def test_the_pool_and_the_move_policy_are_named_never_passed_by_position(holders):
    # Both follow the day; named, they cannot be swapped or taken for one another.
    people, posts, _, taxonomy, pool = holders
    ruleset = load_rules([])
    with pytest.raises(TypeError, match="positional"):
        find_candidates(people, posts, ruleset, taxonomy, DAY, pool, MovePolicy().allowed)  # type: ignore[misc]


def test_excluded_counts_refuse_rule_ids_and_rows_that_differ_in_number():
    # Three ids, two rows of counts: which rule excluded whom is unknown, so
    # reading a post is an error, not the first two ids' counts.
    counts = ExcludedCounts(["a", "b", "c"], np.array([[1, 0], [0, 2]]))
    with pytest.raises(ValueError, match="zip"):
        counts[0]


def test_indices_are_int32_while_the_people_times_the_posts_fit_it():
    # int32 holds up to 2**31 - 1 = 2,147,483,647. 65,536 people x 32,767 posts:
    # 2,147,418,112, so every key person * n_posts + post fits too.
    assert index_dtype(2**16, 2**15 - 1) is np.int32
    # 32,769 posts: 65,536 * 32,769 = 2,147,549,184 does not fit.
    assert index_dtype(2**16, 2**15 + 1) is np.int64
    # No post counts as one: 2**31 - 1 people fit, 2**31 do not.
    assert index_dtype(2**31 - 1, 1) is np.int32
    assert index_dtype(2**31 - 1, 0) is np.int32
    assert index_dtype(2**31, 0) is np.int64


def test_ranges_concatenate_one_run_per_start():
    # 5, 6, 7 from (5, 3); nothing from (9, 0); 2 from (2, 1).
    got = _ranges(np.array([5, 9, 2]), np.array([3, 0, 1]))
    assert got.tolist() == [5, 6, 7, 2] and got.dtype == np.int32
    assert _ranges(np.array([4]), np.array([0])).tolist() == []
    assert _ranges(np.array([], dtype=np.int64), np.array([], dtype=np.int64)).tolist() == []
    # Past 2**31 - 1 the values need 64 bits: 2**31 - 2 .. 2**31 + 1.
    big = _ranges(np.array([0, 2**31 - 2]), np.array([1, 4]))
    assert big.tolist() == [0, 2**31 - 2, 2**31 - 1, 2**31, 2**31 + 1]
    assert big.dtype == np.int64
    # Up to an end of 2**31 - 1 they fit 32 bits (the pairs of a national round).
    assert _ranges(np.array([2**31 - 3]), np.array([2])).dtype == np.int32
    edge = _ranges(np.array([2**31 - 3]), np.array([3]))
    assert edge.tolist() == [2**31 - 3, 2**31 - 2, 2**31 - 1]


def test_unique_rows_of_one_and_of_two_columns():
    rows, inverse, counts = _unique_rows(np.array([[5], [2], [5], [7]], dtype=np.uint64))
    assert rows.tolist() == [[2], [5], [7]]
    assert inverse.tolist() == [1, 0, 1, 2] and counts.tolist() == [1, 2, 1]
    two = np.array([[1, 2], [0, 5], [1, 2], [1, 0]], dtype=np.uint64)
    rows, inverse, counts = _unique_rows(two)
    assert rows.tolist() == [[0, 5], [1, 0], [1, 2]]
    assert inverse.tolist() == [2, 0, 2, 1] and counts.tolist() == [1, 1, 2]
    rows, inverse, counts = _unique_rows(np.array([[3, 4]], dtype=np.uint64))
    assert rows.tolist() == [[3, 4]] and inverse.tolist() == [0] and counts.tolist() == [1]


def test_unknown_counts_past_sixty_four_distinct_masks():
    """More than 64 distinct UNKNOWN masks take a second word of bits per person.

    70 rules, rule r UNKNOWN for person r only and applying to post r alone; a
    71st post has all 70 rules. People 0-69 are considered (level 0), person 70
    is not (outside the pool). Post r counts person r: 1; post 70 counts all 70.
    """
    n = 71

    class Rule:
        def __init__(self, r: int):
            self.mask = np.zeros(n, dtype=bool)
            self.mask[[r, 70]] = True
            self.join = None
            self.code = np.zeros(n, dtype=np.int64)
            self.r = r

        def unknown(self, c: int) -> np.ndarray:
            out = np.zeros(n, dtype=bool)
            out[self.r] = True
            return out

    finder = object.__new__(_Finder)
    finder.people = SimpleNamespace(n=n)
    finder.posts = SimpleNamespace(n=n)
    finder.rules = [Rule(r) for r in range(70)]
    finder.consider = np.ones(n, dtype=bool)
    finder.level_code = np.zeros(n, dtype=np.int64)
    finder.base = np.ones((1, n), dtype=bool)
    finder.base[0, 70] = False
    assert finder._unknown_counts().tolist() == [1] * 70 + [70]
    # Person 66 (bit 2 of the second word) outside the pool too: post 66 counts 0.
    finder.base[0, 66] = False
    assert finder._unknown_counts().tolist() == [1] * 66 + [0] + [1] * 3 + [69]


@pytest.mark.parametrize(("method", "limit"), [("join", np.inf), ("auto", 12)])
def test_join_always_joins_and_auto_weighs_the_join_against_the_groups(
    round_, monkeypatch, method, limit
):
    """P0-P2 (level 2) share the field rule: one class of posts to join.

    ``auto`` joins it when the join yields at most as many pairs as the groups
    would evaluate: three signature groups (P0 and P2 differ in unit, P1 in
    field and the JPM rule) times the four people considered at level 2: 12.
    ``join`` always joins.
    """
    seen = []
    joined = _Finder._joined

    def spy(self, js, equalities, limit):
        seen.append((js.tolist(), [a.id for a in equalities], limit))
        return joined(self, js, equalities, limit)

    monkeypatch.setattr(_Finder, "_joined", spy)
    assert_pairs(find(round_, "fail", method), FAIL_PAIRS)
    assert seen == [([0, 1, 2], ["t.bidang"], limit)]


RELATED = """\
- id: t.related
  title: A related field at least.
  require: {bidang_keilmuan: {min: related}}
  source: test
  effective: {from: 2020-01-01}
"""


@pytest.mark.parametrize("method", ["auto", "join", "groups"])
def test_a_rule_read_at_each_posts_field_counts_per_field_and_level(round_, tmp_path, method):
    """A hard rule that is no join and reads the post's field, at posts of two levels.

    "Related" is no equality: counted per (field, level). Teknik Sipil (P0,
    P2, P3) turns away person 2 (Ilmu Pemerintahan, another family, no
    related pair) and 3 (field unknown); Ilmu Pemerintahan (P1) persons 1, 3
    and 4; Akuntansi (P4) everyone considered (none has a field of Ekonomi dan
    Keuangan or related to it). Left: persons 1 and 4 at P0, P2 and P3 (person
    0 holds P3), person 2 at P1.
    """
    people, posts, _, taxonomy, pool = round_
    (tmp_path / "r.yaml").write_text(RELATED, encoding="utf-8")
    cands = find_candidates(
        people,
        posts,
        load_rules([tmp_path / "r.yaml"]),
        taxonomy,
        DAY,
        pool=pool,
        allowed=MovePolicy(lateral=True).allowed,
        method=method,
    )
    assert cands.post.tolist() == [0, 0, 1, 2, 2, 3, 3]
    assert cands.person.tolist() == [1, 4, 2, 1, 4, 1, 4]
    assert [c.get("t.related", 0) for c in cands.excluded] == [2, 3, 2, 2, 5]
    assert cands.unknown.tolist() == [1, 1, 1, 1, 1]
    assert cands.excluded_people(np.ones(5, dtype=bool)) == {"t.related": 5}
    # P0 and P1 (level 2): {2, 3} and {1, 3, 4}; P3 alone: {2, 3}.
    assert cands.excluded_people(np.array([T, T, F, F, F])) == {"t.related": 4}
    assert cands.excluded_people(np.array([F, F, F, T, F])) == {"t.related": 2}


def test_unknown_counts_of_a_level_whose_people_have_no_unknown_do_not_stop_the_others():
    """Posts of two levels: nobody considered at the first has a verdict UNKNOWN.

    Three people, three posts; one rule at every post, UNKNOWN for person 2.
    At level 0 (posts 0 and 1) persons 0 and 1 are considered: 0 each. At
    level 1 (post 2) everyone: 1.
    """
    rule = SimpleNamespace(
        mask=np.ones(3, dtype=bool),
        join=None,
        code=np.zeros(3, dtype=np.int64),
        unknown=lambda c: np.array([F, F, T]),
    )
    finder = object.__new__(_Finder)
    finder.people = SimpleNamespace(n=3)
    finder.posts = SimpleNamespace(n=3)
    finder.rules = [rule]
    finder.consider = np.ones(3, dtype=bool)
    finder.level_code = np.array([0, 0, 1])
    finder.base = np.array([[T, T, F], [T, T, T]])
    assert finder._unknown_counts().tolist() == [0, 0, 1]


def test_a_rule_whose_first_value_turns_nobody_away_still_counts_the_next():
    """The count of a level stops early only once everyone considered is counted.

    Four people, four posts of one level (0), person 3 not considered there.
    The rule read at the posts (no join) has code 0 at posts 0 and 2, code 1
    at post 1 and code 2 at post 3. Code 0 fails only person 3 (not
    considered): nobody counted yet; code 1 fails person 1: one; code 2 fails
    persons 0 and 2: everyone considered (0, 1, 2) is counted, three. Over
    posts 0 and 1: one; over post 0 alone: none (no entry).

    The equality rule (a join) on the people's keys [5, 5, 7, 9]: the
    posts' keys 5 (posts 0, 1), 7 (post 2) and 9 (post 3), taken in that
    order. Key 5 fails persons 2 and 3 (2 considered), key 7 persons 0, 1
    and 3: over posts 0-2 everyone considered, three. Over posts 0, 1 and
    3: key 5 fails person 2, key 9 persons 0, 1 and 2: three again. With the
    people considered counted, no later value adds anyone.
    """
    failing = {0: [F, F, F, T], 1: [F, T, F, F], 2: [T, F, T, F]}
    read = SimpleNamespace(
        id="t.read",
        hard=True,
        mask=np.ones(4, dtype=bool),
        join=None,
        code=np.array([0, 1, 0, 2]),
        failed=lambda c: np.array(failing[c]),
    )
    equal = SimpleNamespace(
        id="t.equal",
        hard=True,
        mask=np.ones(4, dtype=bool),
        join=(np.array([5, 5, 7, 9]), np.array([5, 5, 7, 9])),
        policy=UnknownPolicy(fails=True),
    )
    soft = SimpleNamespace(id="t.soft", hard=False)
    count = _ExcludedPeople(
        [read, equal, soft],
        level=np.zeros(4, dtype=np.int64),
        consider=np.ones(4, dtype=bool),
        base_of=lambda lv: np.array([T, T, T, F]),
    )
    assert count(np.array([T, T, T, T])) == {"t.equal": 3, "t.read": 3}
    assert count(np.array([T, T, F, F])) == {"t.equal": 1, "t.read": 1}
    assert count(np.array([T, F, F, F])) == {"t.equal": 1}
    assert count(np.array([T, T, T, F])) == {"t.equal": 3, "t.read": 1}
    assert count(np.array([T, T, F, T])) == {"t.equal": 3, "t.read": 3}


@pytest.mark.parametrize("method", ["auto", "join", "groups"])
def test_no_post_open_gives_no_pairs_and_nothing_counted(round_, method):
    cands = find(round_, "fail", method, np.zeros(5, dtype=bool))
    assert len(cands) == 0 and cands.post.tolist() == [] and cands.penalty.tolist() == []
    assert [(rid, m.tolist()) for rid, m in cands.soft_failed] == [("t.unit", []), ("t.s2", [])]
    assert cands.considered.tolist() == [0] * 5 and cands.unknown.tolist() == [0] * 5
    assert list(cands.excluded) == [{}] * 5
    assert cands.excluded_people(np.ones(5, dtype=bool)) == {}


def test_kept_runs_cut_a_slice_around_the_positions_dropped():
    # [10, 15) without positions 1 and 3 (10 + 1 = 11 and 13): 10, 12, 14.
    assert _kept_runs(10, 5, np.array([1, 3])) == [(10, 11), (12, 13), (14, 15)]
    # The first and the last position: 11, 12, 13 left, one run.
    assert _kept_runs(10, 5, np.array([0, 4])) == [(11, 14)]
    # Two positions side by side (1 and 2 of [0, 4)): 0 and 3, no empty run between.
    assert _kept_runs(0, 4, np.array([1, 2])) == [(0, 1), (3, 4)]
    # The only pair of a slice dropped: nothing left.
    assert _kept_runs(3, 1, np.array([0])) == []
    # Nothing dropped: the whole slice, from where it starts.
    assert _kept_runs(6, 2, None) == [(6, 8)]


HOLDER_RULES = """\
- id: t.bidang
  title: The post's own field.
  require: {bidang_keilmuan: {min: exact}}
  source: test
  effective: {from: 2020-01-01}
- id: t.unit
  title: The post's own unit preferred.
  require: {unit_kerja: {same_as_post: true}}
  hard: false
  penalty: 3
  source: test
  effective: {from: 2020-01-01}
"""


@pytest.fixture(scope="module")
def holders(tmp_path_factory):
    """Five people, four Pengawas posts (level 2), four of the people holding one.

    0 Pengawas  U1  Teknik Sipil  holds P2 (Akuntansi): fails there
    1 Pengawas  U2  Teknik Sipil  holds P1 (Teknik Sipil): passes there
    2 Pengawas  U1  Teknik Sipil  holds P0 (Teknik Sipil): passes there
    3 Pelaksana U1  Akuntansi
    4 Pengawas  U2  Akuntansi     holds P3 (Teknik Sipil): fails there

    Posts: P0 U1 Teknik Sipil, P1 U1 Teknik Sipil, P2 U2 Akuntansi, P3 U2
    Teknik Sipil. Rules: t.bidang (hard, the same field: a join), t.unit
    (soft, 3, the same unit).
    """
    tmp = tmp_path_factory.mktemp("holders")
    people = [
        person(1),
        person(2, unit=U2),
        person(3),
        person(4, jenis_jabatan="Pelaksana", jurusan="Akuntansi"),
        person(5, unit=U2, jurusan="Akuntansi"),
    ]
    pengawas = {"eselon": "IV.a", "jenis_jabatan": "Pengawas"}
    posts = [
        post("P0", **pengawas, nip_pemangku=people[2]["nip"]),
        post("P1", **pengawas, nip_pemangku=people[1]["nip"]),
        post("P2", **pengawas, unit=U2, bidang="Akuntansi", nip_pemangku=people[0]["nip"]),
        post("P3", **pengawas, unit=U2, nip_pemangku=people[4]["nip"]),
    ]
    write_csv(tmp / "p.csv", PEGAWAI_HEADER, people)
    write_csv(tmp / "j.csv", JABATAN_HEADER, posts)
    (tmp / "r.yaml").write_text(HOLDER_RULES, encoding="utf-8")
    tables = load_tables(tmp / "p.csv", tmp / "j.csv")
    taxonomy = load_taxonomy(ROOT / "rules/taksonomi.yaml")
    people_d = derive_people(tables, DAY, taxonomy, load_bup(ROOT / "rules/bup.yaml"))
    posts_d = derive_posts(tables, {n: i for i, n in enumerate(people_d.nip)}, taxonomy)
    assert people_d.level.tolist() == [2, 2, 2, 0, 2]
    assert people_d.home.tolist() == [2, 1, 0, -1, 3]
    pool = np.ones(5, dtype=bool)
    return people_d, posts_d, load_rules([tmp / "r.yaml"]), taxonomy, pool


@pytest.mark.parametrize("method", ["auto", "join", "groups"])
def test_a_holders_own_post_is_left_out_wherever_their_pair_falls(holders, method):
    """Each post's pairs without the person holding it, whether or not they would pass there.

    The field lets persons 0-2 (Teknik Sipil) in at P0, P1 and P3, persons 3
    and 4 (Akuntansi) at P2. P0 (the first post): its holder, person 2, is
    the last of 0-2: 0, 1 stay. P1: its holder, person 1, is in the middle
    of 0-2: 0, 2 stay, one run either side. P2: its holder, person 0, fails
    the field (and comes before 3 and 4): 3, 4 stay. P3: its holder, person
    4, fails the field (and comes after 0-2): 0, 1, 2 stay. The unit (3)
    fails person 1 at P0 (U2), person 3 at P2 (U1), persons 0 and 2 at P3
    (U1). A join lays the posts' pairs end to end (P1's from the fourth, P2's
    from the seventh), each group has its own.
    """
    cands = find(holders, method=method)
    assert cands.considered.tolist() == [5, 5, 5, 5]
    assert_pairs(
        cands,
        {
            "post": [0, 0, 1, 1, 2, 2, 3, 3, 3],
            "person": [0, 1, 0, 2, 3, 4, 0, 1, 2],
            "penalty": [0, 3, 0, 0, 3, 0, 3, 0, 3],
            "t.unit": [F, T, F, F, T, F, T, F, T],
        },
        soft=("t.unit",),
    )


def _nine_soft_rules(before: int = 8) -> str:
    """The holders' rules with ``before`` soft rules before the unit's (8: the unit is bit 8)."""
    spare = "".join(
        f"""- id: t.s{k}
  title: Golongan I/a preferred at a post nobody has.
  applies_to: {{jabatan_id: [X{k}]}}
  require: {{golongan: {{min: I/a}}}}
  hard: false
  penalty: 1
  source: test
  effective: {{from: 2020-01-01}}
"""
        for k in range(1, before + 1)
    )
    bidang, unit = HOLDER_RULES.split("- id: t.unit")
    return bidang + spare + "- id: t.unit" + unit


@pytest.mark.parametrize("method", ["join", "groups"])
def test_the_ninth_soft_rule_is_the_first_bit_of_the_second_byte(holders, tmp_path, method):
    """The holders' round with eight soft rules that apply to no post, then the unit's.

    The unit's failures are the ninth soft rule's, packed in the second byte
    of each pair's bits: the same pairs, penalties and failures as in
    :func:`test_a_holders_own_post_is_left_out_wherever_their_pair_falls`,
    and the eight rules before it fail nothing.
    """
    (tmp_path / "r.yaml").write_text(_nine_soft_rules(), encoding="utf-8")
    people, posts, _, taxonomy, pool = holders
    cands = find((people, posts, load_rules([tmp_path / "r.yaml"]), taxonomy, pool), method=method)
    spare = {f"t.s{k}": [F] * 9 for k in range(1, 9)}
    assert cands.soft.bits.shape == (9, 2)
    assert_pairs(
        cands,
        {
            "post": [0, 0, 1, 1, 2, 2, 3, 3, 3],
            "person": [0, 1, 0, 2, 3, 4, 0, 1, 2],
            "penalty": [0, 3, 0, 0, 3, 0, 3, 0, 3],
            "t.unit": [F, T, F, F, T, F, T, F, T],
            **spare,
        },
        soft=(*spare, "t.unit"),
    )


@pytest.mark.parametrize("method", ["join", "groups"])
def test_the_eighth_soft_rule_is_the_last_bit_of_the_first_byte(holders, tmp_path, method):
    """The holders' round with seven soft rules that apply to no post, then the unit's.

    Eight soft rules fit one byte: the unit's failures are bit 7 of it, the
    seven before fail nothing; the pairs, penalties and failures are those of
    :func:`test_a_holders_own_post_is_left_out_wherever_their_pair_falls`.
    """
    (tmp_path / "r.yaml").write_text(_nine_soft_rules(before=7), encoding="utf-8")
    people, posts, _, taxonomy, pool = holders
    cands = find((people, posts, load_rules([tmp_path / "r.yaml"]), taxonomy, pool), method=method)
    spare = {f"t.s{k}": [F] * 9 for k in range(1, 8)}
    assert cands.soft.bits.shape == (9, 1)
    # Bit 7 (128) of the one byte is set at the pairs that fail the unit.
    assert cands.soft.bits[:, 0].tolist() == [0, 128, 0, 0, 128, 0, 128, 0, 128]
    assert_pairs(
        cands,
        {
            "post": [0, 0, 1, 1, 2, 2, 3, 3, 3],
            "person": [0, 1, 0, 2, 3, 4, 0, 1, 2],
            "penalty": [0, 3, 0, 0, 3, 0, 3, 0, 3],
            "t.unit": [F, T, F, F, T, F, T, F, T],
            **spare,
        },
        soft=(*spare, "t.unit"),
    )


@pytest.mark.parametrize(("method", "accepted"), [("auto", False), ("join", True)])
def test_a_class_of_posts_whose_join_is_refused_is_evaluated_as_groups(
    tmp_path, monkeypatch, method, accepted
):
    """Two Pengawas posts alike in every rule: one signature group, and a join of six pairs.

    People: 0 Pengawas U1, 1 Pengawas U2, 2 Pelaksana U1, all Teknik Sipil;
    posts P0 and P1 Pengawas (level 2), U1, Teknik Sipil, held by nobody.
    Everyone is considered at level 2 (3). The field (a join) lets all three
    in at both posts: 3 x 2 = 6 pairs before filtering, more than the one
    group times the three people (3), so ``auto`` refuses the join and
    evaluates the group; ``join`` joins. The pairs are the same: each post
    with persons 0, 1, 2, the unit (3) failing person 1.
    """
    people = [person(1), person(2, unit=U2), person(3, jenis_jabatan="Pelaksana")]
    pengawas = {"eselon": "IV.a", "jenis_jabatan": "Pengawas"}
    posts = [post("P0", **pengawas), post("P1", **pengawas)]
    write_csv(tmp_path / "p.csv", PEGAWAI_HEADER, people)
    write_csv(tmp_path / "j.csv", JABATAN_HEADER, posts)
    (tmp_path / "r.yaml").write_text(HOLDER_RULES, encoding="utf-8")
    tables = load_tables(tmp_path / "p.csv", tmp_path / "j.csv")
    taxonomy = load_taxonomy(ROOT / "rules/taksonomi.yaml")
    people_d = derive_people(tables, DAY, taxonomy, load_bup(ROOT / "rules/bup.yaml"))
    posts_d = derive_posts(tables, {n: i for i, n in enumerate(people_d.nip)}, taxonomy)
    seen = []
    joined = _Finder._joined

    def spy(self, js, equalities, limit):
        out = joined(self, js, equalities, limit)
        seen.append((js.tolist(), limit, out is not None))
        return out

    monkeypatch.setattr(_Finder, "_joined", spy)
    round_ = (people_d, posts_d, load_rules([tmp_path / "r.yaml"]), taxonomy, np.ones(3, bool))
    cands = find(round_, method=method)
    assert seen == [([0, 1], 3 if method == "auto" else np.inf, accepted)]
    assert cands.considered.tolist() == [3, 3]
    assert list(cands.excluded) == [{}, {}]
    assert_pairs(
        cands,
        {
            "post": [0, 0, 0, 1, 1, 1],
            "person": [0, 1, 2, 0, 1, 2],
            "penalty": [0, 3, 0, 0, 3, 0],
            "t.unit": [F, T, F, F, T, F],
        },
        soft=("t.unit",),
    )
