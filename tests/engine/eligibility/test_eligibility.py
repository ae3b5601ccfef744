"""Eligibility: the join method against the plain group method and the per-pair verdicts."""

from __future__ import annotations

import datetime as dt
import importlib.util
from dataclasses import replace

import numpy as np
import pytest
from factories import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.eligibility.candidates import ExcludedCounts, find_candidates, verdicts
from engine.inputs.settings import load_bup, load_taxonomy

_spec = importlib.util.spec_from_file_location(
    "bench_eligibility", ROOT / "bench/bench_eligibility.py"
)
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)

DAY = dt.date(2026, 7, 1)
TAXONOMY = load_taxonomy(ROOT / "rules/taksonomi.yaml")
BUP = load_bup(ROOT / "rules/bup.yaml")

# Equalities on some posts only (so both the join and the groups run), hard
# and soft, UNKNOWN-prone kinds (jpm, kotak_talenta, field), post-dependent
# ones (masa_jabatan, bidang related).
RULES = """
- id: t.unit
  title: Same unit.
  applies_to: {eselon: [III.b, IV.a]}
  require: {unit_kerja: {same_as_post: true}}
  source: test
  effective: {from: 2020-01-01}
- id: t.unit-soft
  title: Same unit preferred.
  applies_to: {eselon: II.b}
  require: {unit_kerja: {same_as_post: true}}
  hard: false
  penalty: 4
  source: test
  effective: {from: 2020-01-01}
- id: t.family
  title: Same family.
  applies_to: {eselon: [II.b, III.b]}
  require: {bidang_keilmuan: {min: family}}
  source: test
  effective: {from: 2020-01-01}
- id: t.related
  title: Related field.
  applies_to: {eselon: IV.a}
  require: {bidang_keilmuan: {min: related}}
  source: test
  effective: {from: 2020-01-01}
- id: t.exact-soft
  title: Same field preferred.
  applies_to: {eselon: [III.b, IV.a]}
  require: {bidang_keilmuan: {min: exact}}
  hard: false
  penalty: 2
  source: test
  effective: {from: 2020-01-01}
- id: t.golongan
  title: III/c.
  require: {golongan: {min: III/c}}
  source: test
  effective: {from: 2020-01-01}
- id: t.skp
  title: SKP.
  require: {skp: {min: Baik, years: 2}}
  source: test
  effective: {from: 2020-01-01}
- id: t.masa
  title: Two years.
  require: {masa_jabatan: {min_years: 2}}
  source: test
  effective: {from: 2020-01-01}
- id: t.hukuman
  title: Sanctions.
  require: {hukuman_disiplin: {levels: [sedang, berat], lookback_years: 3}}
  source: test
  effective: {from: 2020-01-01}
- id: t.jpm
  title: JPM.
  applies_to: {eselon: IV.a}
  require: {jpm: {min: 60}}
  source: test
  effective: {from: 2020-01-01}
- id: t.kotak
  title: Talent box.
  applies_to: {eselon: II.b}
  require: {kotak_talenta: {any_of: [4, 5, 6, 7, 8, 9]}}
  source: test
  effective: {from: 2020-01-01}
- id: t.kotak-soft
  title: Talent pool preferred.
  applies_to: {eselon: [II.b, III.b]}
  require: {kotak_talenta: {any_of: [7, 8, 9]}}
  hard: false
  penalty: 1
  source: test
  effective: {from: 2020-01-01}
- id: t.usia
  title: Age.
  applies_to: {eselon: II.b}
  require: {usia: {max: 56}}
  source: test
  effective: {from: 2020-01-01}
- id: t.lama
  title: An expired rule.
  require: {pendidikan: {min: S3}}
  source: test
  effective: {from: 2020-01-01, until: 2021-12-31}
"""
RULESET = bench.rules_from(RULES, "t.yaml")


def instance(seed: int, n_people: int, n_posts: int, n_units: int, missing: float = 0.1):
    people, posts = bench.national_instance(
        seed, n_people, n_posts, n_units, taxonomy=TAXONOMY, bup=BUP, missing=missing
    )
    rng = np.random.default_rng(seed + 1)
    box = rng.integers(0, 10, people.n).astype(np.int8)  # 0: unknown
    return replace(people, talent_box=box, talent_regime="test"), posts


def same(a, b) -> None:
    assert np.array_equal(a.person, b.person)
    assert np.array_equal(a.post, b.post)
    assert np.array_equal(a.penalty, b.penalty)
    assert [rid for rid, _ in a.soft_failed] == [rid for rid, _ in b.soft_failed]
    for (_, x), (_, y) in zip(a.soft_failed, b.soft_failed, strict=True):
        assert np.array_equal(x, y)
    assert np.array_equal(a.considered, b.considered)
    assert np.array_equal(a.unknown, b.unknown)
    assert list(a.excluded) == list(b.excluded)
    assert a.rules_in_force == b.rules_in_force


@pytest.mark.parametrize("unknown", ["fail", "pass"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_join_and_groups_give_the_same_candidates(seed, unknown):
    people, posts = instance(seed, 700, 300, 5)
    rng = np.random.default_rng(seed)
    pool = rng.random(people.n) < 0.9
    open_posts = rng.random(posts.n) < 0.7 if seed == 3 else None
    kwargs = dict(pool=pool, allowed=bench.allowed_moves, unknown=unknown, open_posts=open_posts)
    reference = find_candidates(people, posts, RULESET, TAXONOMY, DAY, method="groups", **kwargs)
    assert len(reference) > 100 and reference.unknown.any()
    for method in ("join", "auto"):
        same(
            find_candidates(people, posts, RULESET, TAXONOMY, DAY, method=method, **kwargs),
            reference,
        )


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10_000),
    n_posts=st.integers(1, 10),
    extra_people=st.integers(0, 8),
    n_units=st.integers(1, 3),
    unknown=st.sampled_from(["fail", "pass"]),
    method=st.sampled_from(["join", "auto"]),
)
def test_vectorised_eligibility_agrees_with_per_pair_verdicts(
    seed, n_posts, extra_people, n_units, unknown, method
):
    people, posts = instance(seed, n_posts + extra_people, n_posts, n_units, missing=0.2)
    everyone = np.ones(people.n, dtype=bool)
    cands = find_candidates(
        people,
        posts,
        RULESET,
        TAXONOMY,
        DAY,
        pool=everyone,
        allowed=lambda ppl, level: np.ones(ppl.n, dtype=bool),
        unknown=unknown,
        method=method,
    )
    got = {
        (int(i), int(j)): float(pen)
        for i, j, pen in zip(cands.person, cands.post, cands.penalty, strict=True)
    }
    expected = {}
    for j in range(posts.n):
        for i in range(people.n):
            if people.home[i] == j:
                continue  # the stay arc, not a candidacy
            vs = verdicts(people, posts, RULESET, TAXONOMY, DAY, i, j)
            ok = {"PASS"} | ({"UNKNOWN"} if unknown == "pass" else set())
            if all(v.verdict in ok for v in vs if v.hard):
                expected[(i, j)] = sum(v.penalty for v in vs if not v.hard and v.verdict not in ok)
    assert got == pytest.approx(expected)


def test_pairs_are_sorted_by_post_then_person_and_skip_own_posts():
    people, posts = instance(7, 400, 200, 4)
    cands = find_candidates(
        people,
        posts,
        RULESET,
        TAXONOMY,
        DAY,
        pool=np.ones(people.n, bool),
        allowed=bench.allowed_moves,
    )
    key = cands.post * people.n + cands.person
    assert np.all(np.diff(key) > 0)
    assert not np.any(people.home[cands.person] == cands.post)


def test_excluded_counts_read_like_a_list_of_dicts():
    counts = ExcludedCounts(["a", "b"], np.array([[0, 2, 1], [3, 0, 0]]))
    assert len(counts) == 3
    assert counts[0] == {"b": 3} and counts[1] == {"a": 2} and counts[-1] == {"a": 1}
    assert counts[1:] == [{"a": 2}, {"a": 1}]
    assert counts == [{"b": 3}, {"a": 2}, {"a": 1}]
    assert list(counts.__getitem__(1).items()) == [("a", 2)]


def test_rules_out_of_force_are_not_applied():
    people, posts = instance(4, 200, 80, 2)
    kwargs = dict(pool=np.ones(people.n, bool), allowed=bench.allowed_moves)
    now = find_candidates(people, posts, RULESET, TAXONOMY, DAY, **kwargs)
    assert "t.lama" not in now.rules_in_force
    then = find_candidates(people, posts, RULESET, TAXONOMY, dt.date(2021, 6, 1), **kwargs)
    assert "t.lama" in then.rules_in_force and len(then) < len(now)


def test_unknown_method_is_refused():
    people, posts = instance(5, 20, 10, 1)
    with pytest.raises(ValueError, match="method must be"):
        find_candidates(
            people,
            posts,
            RULESET,
            TAXONOMY,
            DAY,
            pool=np.ones(people.n, bool),
            allowed=bench.allowed_moves,
            method="fast",
        )


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10_000),
    n_posts=st.integers(1, 8),
    extra_people=st.integers(0, 6),
    n_units=st.integers(1, 3),
    unknown=st.sampled_from(["fail", "pass"]),
    method=st.sampled_from(["join", "auto", "groups"]),
    which=st.integers(0, 2**8 - 1),
)
def test_people_excluded_by_a_rule_agree_with_per_pair_verdicts(
    seed, n_posts, extra_people, n_units, unknown, method, which
):
    """Distinct people a hard rule turns away from some of a set of posts (issue 15, item 5b)."""
    people, posts = instance(seed, n_posts + extra_people, n_posts, n_units, missing=0.2)
    everyone = np.ones(people.n, dtype=bool)
    cands = find_candidates(
        people,
        posts,
        RULESET,
        TAXONOMY,
        DAY,
        pool=everyone,
        allowed=lambda ppl, level: np.ones(ppl.n, dtype=bool),
        unknown=unknown,
        method=method,
    )
    chosen = np.array([bool(which >> j & 1) for j in range(posts.n)])
    failing = {"FAIL"} | ({"UNKNOWN"} if unknown == "fail" else set())
    expected: dict[str, set[int]] = {}
    pairs: dict[str, int] = {}
    for j in np.flatnonzero(chosen).tolist():
        for i in range(people.n):
            for v in verdicts(people, posts, RULESET, TAXONOMY, DAY, i, j):
                if v.hard and v.verdict in failing:
                    expected.setdefault(v.rule_id, set()).add(i)
                    pairs[v.rule_id] = pairs.get(v.rule_id, 0) + 1
    assert cands.excluded_people(chosen) == {r: len(s) for r, s in sorted(expected.items())}
    # The per-post counts summed are the pairs, not the people.
    summed: dict[str, int] = {}
    for j in np.flatnonzero(chosen).tolist():
        for rid, n in cands.excluded[j].items():
            summed[rid] = summed.get(rid, 0) + n
    assert summed == pairs


def test_a_posts_slice_of_pairs_is_cut_around_the_people_holding_it():
    # Positions 0 and 4 of [10, 15) dropped: 11..14 kept, one run; nothing dropped: one run.
    from engine.eligibility.candidates import _kept_runs

    assert _kept_runs(10, 5, np.array([0, 4])) == [(11, 14)]
    assert _kept_runs(10, 5, np.array([2])) == [(10, 12), (13, 15)]
    assert _kept_runs(10, 1, np.array([0])) == []
    assert _kept_runs(3, 4, None) == [(3, 7)]
