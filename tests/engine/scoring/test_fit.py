"""Fit scores of a few people, worked out by hand from rules/bobot.yaml.

On 2026-07-01 the Kepka BKN 411/2025 weights are in force: kinerja 40,
potensi 30, keilmuan 20, pengalaman 10 (sum 100); SKP points SB 100, B 80,
BP 60, K 40, SK 20 over the 2 most recent years; field points exact 100,
family 60, related 30, none 0; experience capped at 10 years. The arithmetic
of each figure is in the comment beside it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from factories import JABATAN_HEADER, PEGAWAI_HEADER, ROOT, person, post, write_csv
from fit_oracle import fit_by_hand, weights_in_force
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.inputs.data import load_tables
from engine.inputs.derive import derive_people, derive_posts
from engine.inputs.settings import COMPONENTS, load_bup, load_taxonomy, load_weights
from engine.scoring.fit import (
    SCALE,
    _Model,
    missing_data,
    post_weights,
    score_pairs,
    weight_shares,
)
from engine.scoring.fit import weights_in_force as fit_weights_in_force

DAY = dt.date(2026, 7, 1)
TAXONOMY = load_taxonomy(ROOT / "rules/taksonomi.yaml")
BUP = load_bup(ROOT / "rules/bup.yaml")
WEIGHTS = load_weights(ROOT / "rules/bobot.yaml")
HISTORY_HEADER = ["nip", "jenis_jabatan", "nama_jabatan", "unit", "tmt_mulai", "tmt_selesai"]

# A: SKP 2024 Baik (80), 2025 Sangat Baik (100); 2023 Sangat Kurang is outside the
#    2-year window and 2026 (the scenario's year) is partial: kinerja (80 + 100) / 2 = 90.
#    JPM 75 (kompetensi 4 is not used when there is a JPM): potensi 75.
#    Teknik Sipil for a Teknik Sipil post: exact, 100.
#    Pengawas since 2022-07-01, no history: 4 x 365 + 1 (2024-02-29) = 1461 days = 4.0
#    years, at the level below an Administrator post: pengalaman 4 / 10 x 100 = 40.
A = person(
    1, tmt_jabatan="2022-07-01", skp_2023="Sangat Kurang", skp_2024="Baik",
    skp_2025="Sangat Baik", skp_2026="Sangat Kurang", jpm="75", kompetensi="4",
)  # fmt: skip
# B: SKP Sangat Kurang (20) and Butuh Perbaikan (60): kinerja 40. No JPM, kompetensi 3:
#    potensi 3 x 20 = 60. Arsitektur (Perencanaan Wilayah, family Teknik) for a Teknik
#    Sipil post: family, 60. Pengawas since 2006-07-01: 20 x 365 + 5 leap days = 7305
#    days = 20.0 years, capped at 10: pengalaman 100.
B = person(
    2, tmt_jabatan="2006-07-01", skp_2023="", skp_2024="Sangat Kurang",
    skp_2025="Butuh Perbaikan", skp_2026="", jpm="", kompetensi="3", jurusan="Arsitektur",
)  # fmt: skip
# C: no SKP, no JPM, no kompetensi: kinerja 0, both missing. Potensi is neutral (the
#    weights file's default): the median potensi of the assessed, A 75, B 60, D 90,
#    E 100, F 75 (the factory's JPM): 75. Ilmu Ekonomi
#    (Ekonomi) for Teknik Sipil: none, 0. A Pelaksana (level 0) since 2024-07-01 for an
#    Administrator post (level 3) has no years at level 3 or 2: pengalaman 0.
C = person(
    3, jenis_jabatan="Pelaksana", tmt_jabatan="2024-07-01", skp_2023="", skp_2024="",
    skp_2025="", skp_2026="", jpm="", kompetensi="", jurusan="Ilmu Ekonomi",
)  # fmt: skip
# D: SKP 2024 Baik, 2025 missing: kinerja is the mean of the known year, 80 (not 40).
#    JPM 90: potensi 90. Ekonomi Pembangunan (Ekonomi) for Perencanaan Wilayah is
#    "related": 30. History: Fungsional Ahli Muda (level 2) 2022-07-01 -> open: 4.0
#    years, Pelaksana (level 0) 2010-07-01 -> 2022-07-01 not counted for an
#    Administrator post.
D = person(
    4, jenis_jabatan="Fungsional Ahli Muda", tmt_jabatan="2022-07-01", skp_2023="",
    skp_2024="Baik", skp_2025="", skp_2026="", jpm="90", kompetensi="",
    jurusan="Ekonomi Pembangunan",
)  # fmt: skip
# E: Sangat Baik twice (100), no JPM, kompetensi 5 (5 x 20 = 100), Ilmu Pemerintahan (the
#    taxonomy's first field, code 0) for an Ilmu Pemerintahan post (exact, 100), Pengawas
#    for 20 years (capped, 100): a fit of 100.0 exactly.
E = person(
    5, tmt_jabatan="2006-07-01", skp_2023="", skp_2024="Sangat Baik", skp_2025="Sangat Baik",
    skp_2026="", jpm="", kompetensi="5", jurusan="Ilmu Pemerintahan",
)  # fmt: skip
# F: a jurusan the taxonomy does not know has no field: keilmuan 0 for any post.
F = person(6, jurusan="Ilmu Kelautan")
HISTORY = [
    {"nip": D["nip"], "jenis_jabatan": "Pelaksana", "tmt_mulai": "2010-07-01",
     "tmt_selesai": "2022-07-01"},
    {"nip": D["nip"], "jenis_jabatan": "Fungsional Ahli Muda", "tmt_mulai": "2022-07-01",
     "tmt_selesai": ""},
]  # fmt: skip
POSTS = [
    post("KABID", bidang="Teknik Sipil"),  # Administrator, III.b
    post("KABID2", bidang="Perencanaan Wilayah"),
    post("SEKSI", eselon="IV.a", jenis_jabatan="Pengawas", bidang="Teknik Sipil"),
    post("KADIS", eselon="II.b", jenis_jabatan="JPT Pratama", bidang="Teknik Sipil"),
    post("KABAG", bidang="Ilmu Pemerintahan"),
    post("KABID3", bidang="Teknologi Informasi"),
]


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    tmp: Path = tmp_path_factory.mktemp("fit")
    people = [A, B, C, D, E, F]
    header = [*PEGAWAI_HEADER, "skp_2023", "skp_2026"]
    write_csv(tmp / "pegawai.csv", header, people)
    write_csv(tmp / "jabatan.csv", JABATAN_HEADER, POSTS)
    write_csv(tmp / "riwayat.csv", HISTORY_HEADER, HISTORY)
    tables = load_tables(tmp / "pegawai.csv", tmp / "jabatan.csv", tmp / "riwayat.csv")
    p = derive_people(tables, DAY, TAXONOMY, BUP)
    q = derive_posts(tables, {n: i for i, n in enumerate(p.nip)}, TAXONOMY)
    return p, q


def score(world, person, post, penalty=None, **kw):
    p, q = world
    person, post = np.atleast_1d(person), np.atleast_1d(post)
    penalty = np.zeros(len(person)) if penalty is None else np.asarray(penalty, dtype=float)
    return score_pairs(p, q, person, post, penalty, TAXONOMY, WEIGHTS.at(DAY), **kw)


def test_the_weights_in_force_are_the_kepka_regime():
    w = WEIGHTS.at(DAY)
    assert w.regime == "Kepka BKN 411/2025"
    assert dict(w.components) == {"kinerja": 40, "potensi": 30, "keilmuan": 20, "pengalaman": 10}


def test_components_of_a_by_hand(world):
    s = score(world, 0, 0).at(0)
    assert {k: float(v[0]) for k, v in s.components.items()} == pytest.approx(
        {"kinerja": 90.0, "potensi": 75.0, "keilmuan": 100.0, "pengalaman": 40.0}
    )
    # weight x points / 100: 40 x 90 = 36, 30 x 75 = 22.5, 20 x 100 = 20, 10 x 40 = 4
    assert {k: float(v[0]) for k, v in s.weighted.items()} == pytest.approx(
        {"kinerja": 36.0, "potensi": 22.5, "keilmuan": 20.0, "pengalaman": 4.0}
    )
    assert not s.missing_kinerja[0] and not s.missing_potensi[0]


def test_total_fit_of_four_people_by_hand(world):
    got = score(world, [0, 1, 2, 3], [0, 0, 0, 1]).fit
    # A: 36 + 22.5 + 20 + 4 = 82.5
    # B: 40 x 40 + 30 x 60 + 20 x 60 + 10 x 100 = (1600 + 1800 + 1200 + 1000) / 100 = 56.0
    # C: 0 + 30 x 75 / 100 + 0 + 0 = 22.5 (neutral potensi, see C)
    # D (KABID2, Perencanaan Wilayah): 40 x 80 + 30 x 90 + 20 x 30 + 10 x 40
    #    = (3200 + 2700 + 600 + 400) / 100 = 69.0
    assert got.tolist() == [82.5, 56.0, 22.5, 69.0]


def test_missing_components_are_flagged(world):
    s = score(world, [0, 1, 2, 3], [0, 0, 0, 0]).at(np.arange(4))
    assert s.missing_kinerja.tolist() == [False, False, True, False]
    assert s.missing_potensi.tolist() == [False, False, True, False]
    assert s.components["kinerja"].tolist() == pytest.approx([90.0, 40.0, 0.0, 80.0])
    # C has no assessment; neutral: the median of the assessed people's potensi, 75.
    assert s.components["potensi"].tolist() == pytest.approx([75.0, 60.0, 75.0, 90.0])


def test_a_missing_assessment_is_scored_as_the_weights_file_says(world):
    """Issue 15, item 7: neutral by default, zero on request, never 0 silently.

    G is A without an assessment: kinerja 90, keilmuan 100 (exact), pengalaman
    40 for KABID. Neutral: potensi is the median potensi of those assessed, now
    B 60, D 90, E 100 and F 75: (75 + 90) / 2 = 82.5; the fit is
    (40 x 90 + 30 x 82.5 + 20 x 100 + 10 x 40) / 100 = 84.75. Zero:
    (3600 + 0 + 2000 + 400) / 100 = 60.0.
    """
    p, q = world
    jpm, kompetensi = p.jpm.copy(), p.kompetensi.copy()
    jpm[0] = kompetensi[0] = np.nan
    no_assessment = replace(p, jpm=jpm, kompetensi=kompetensi)
    neutral = WEIGHTS.at(DAY)
    assert neutral.missing_assessment == "neutral"  # the shipped default
    for policy, fit, potensi in (("neutral", 84.75, 82.5), ("zero", 60.0, 0.0)):
        w = neutral.model_copy(update={"missing_assessment": policy})
        s = score_pairs(no_assessment, q, np.array([0]), np.array([0]), np.zeros(1), TAXONOMY, w)
        assert s.fit[0] == pytest.approx(fit, abs=0.051)
        parts = s.at(0)
        assert float(parts.components["potensi"][0]) == pytest.approx(potensi)
        assert bool(parts.missing_potensi[0])
        assert sum(float(v[0]) for v in parts.weighted.values()) == pytest.approx(fit)


def test_the_soft_rule_penalty_is_subtracted_and_the_fit_never_drops_below_zero(world):
    s = score(world, [0, 1, 2], [0, 0, 0], penalty=[3.0, 5.0, 25.0])
    # A: 82.5 - 3 = 79.5; B: 56.0 - 5 = 51.0; C: 22.5 - 25 = -2.5, floored at 0.
    assert s.fit.tolist() == [79.5, 51.0, 0.0]
    assert s.penalty.tolist() == [3.0, 5.0, 25.0]


def test_experience_counts_the_posts_level_and_the_level_below_only(world):
    s = score(world, [0, 0, 0, 3, 3], [0, 2, 3, 0, 2]).at(np.arange(5))
    # A is a Pengawas of 4.0 years: Administrator post (levels 3 + 2): 40; Pengawas post
    # (levels 2 + 1): 40; JPT Pratama post (levels 4 + 3): 0.
    # D: Ahli Muda (level 2) 4.0 years, Pelaksana (level 0) 12 years: Administrator post
    # (3 + 2): 40; Pengawas post (2 + 1): 40; the Pelaksana years never count.
    assert s.components["pengalaman"].tolist() == pytest.approx([40.0, 40.0, 0.0, 40.0, 40.0])


def test_experience_is_capped_at_the_weights_file_cap(world):
    s = score(world, 1, 0).at(0)
    # B has 20.0 years as Pengawas; the cap is 10 years: 100 points, not 200.
    assert float(s.components["pengalaman"][0]) == pytest.approx(100.0)


def test_field_match_grades_by_hand(world):
    s = score(world, [0, 1, 2, 3, 3], [0, 0, 0, 1, 0]).at(np.arange(5))
    # exact, family (Arsitektur: Perencanaan Wilayah in Teknik), none (Ekonomi),
    # related (Ekonomi ~ Perencanaan Wilayah), none (Ekonomi vs Teknik Sipil)
    assert s.components["keilmuan"].tolist() == [100.0, 60.0, 0.0, 30.0, 0.0]


def test_a_scenarios_component_weights_are_renormalised_to_100(world):
    s = score(world, 0, 0, component_weights={"keilmuan": 40})
    # A with keilmuan 40: (40 x 90 + 30 x 75 + 40 x 100 + 10 x 40) / 120
    #   = (3600 + 2250 + 4000 + 400) / 120 = 10250 / 120 = 85.41..., to one decimal 85.4
    assert s.fit.tolist() == [85.4]


def test_the_weights_in_force_and_their_shares_of_100_by_hand():
    w = WEIGHTS.at(DAY)
    # the regime's 40/30/20/10 with keilmuan put at 40: 40/30/40/10, sum 120;
    # shares 40/120 = 33.33, 30/120 = 25.0, 40/120 = 33.33, 10/120 = 8.33
    assert fit_weights_in_force(w, {"keilmuan": 40}) == {
        "kinerja": 40.0,
        "potensi": 30.0,
        "keilmuan": 40.0,
        "pengalaman": 10.0,
    }
    assert weight_shares(w, {"keilmuan": 40}) == {
        "kinerja": 33.33,
        "potensi": 25.0,
        "keilmuan": 33.33,
        "pengalaman": 8.33,
    }
    # no override: the regime's own, already shares of 100
    assert weight_shares(w, None) == {
        "kinerja": 40.0,
        "potensi": 30.0,
        "keilmuan": 20.0,
        "pengalaman": 10.0,
    }


def test_the_older_regime_weights_by_hand(world):
    p, q = world
    w = WEIGHTS.at(dt.date(2025, 7, 1))
    assert w.regime == "PermenPANRB 3/2020"
    s = score_pairs(p, q, np.array([0]), np.array([0]), np.zeros(1), TAXONOMY, w)
    # 45 x 90 + 30 x 75 + 15 x 100 + 10 x 40 = (4050 + 2250 + 1500 + 400) / 100 = 82.0
    assert s.fit.tolist() == [82.0]


def test_post_weights_default_to_one():
    class Posts:
        jenis_jabatan = np.array(["JPT Pratama", "Administrator", "Pengawas"], dtype=object)

    got = post_weights(Posts(), {"JPT Pratama": 3.0, "Administrator": 2.0})
    assert got.tolist() == [3.0, 2.0, 1.0]


def test_the_oracle_agrees_with_the_hand_worked_figures(world):
    # The oracle the succession and plan tests use, checked on the same people.
    p, q = world
    w = weights_in_force(ROOT / "rules/bobot.yaml", DAY)
    got = [fit_by_hand(p, q, TAXONOMY, w, i, j, 0.0) for i, j in ((0, 0), (1, 0), (2, 0), (3, 1))]
    assert got == [82.5, 56.0, 22.5, 69.0]


def test_a_perfect_record_scores_exactly_100(world):
    s = score(world, 4, 4)
    # 40 x 100 + 30 x 100 + 20 x 100 + 10 x 100 = 10000 / 100 = 100.0
    assert s.fit.tolist() == [100.0]
    c = s.at(0).components
    assert [float(c[k][0]) for k in ("kinerja", "potensi", "keilmuan", "pengalaman")] == [
        100.0,
        100.0,
        100.0,
        100.0,
    ]


def test_an_unknown_major_matches_no_field(world):
    # Statistika, the taxonomy's last field, is "related" to Teknologi Informasi: an
    # unknown major must not be read as that last field.
    s = score(world, 5, 5).at(0)
    assert s.components["keilmuan"].tolist() == [0.0]


def test_the_solver_scale_carries_the_one_decimal_of_a_fit():
    # A fit is rounded to one decimal, so fit x 10 is the integer the solver works on.
    assert SCALE == 10


def test_scores_are_read_only(world):
    # A report reads the fits and components a round computed; nothing may rewrite them.
    import dataclasses

    s = score(world, 0, 0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.fit = np.zeros(1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.at(0).components = {}
    # Nor the model the fit tables were made from (a report's components come from it).
    with pytest.raises(dataclasses.FrozenInstanceError):
        s._model.total = 1.0
    with pytest.raises(dataclasses.FrozenInstanceError):  # and the fit's tables
        s.fit.tables.stride = 1


def test_missing_data_flags_who_has_no_skp_and_who_no_assessment(world):
    # Only C has neither an SKP year in the window nor a JPM or kompetensi; B and D
    # have one year or two, F the factory's SKP and JPM.
    people, _ = world
    got = missing_data(people, WEIGHTS.at(DAY))
    assert got["kinerja"].tolist() == [False, False, True, False, False, False]
    assert got["potensi"].tolist() == [False, False, True, False, False, False]


@st.composite
def _models(draw):
    """A random scoring model: people, posts, fields (some unknown), levels, experience."""
    n_people = draw(st.integers(1, 12))
    n_posts = draw(st.integers(1, 6))
    n_fields = draw(st.integers(1, 4))
    levels = draw(st.integers(1, 4))
    points = st.floats(0, 100, allow_nan=False, allow_subnormal=False)
    years = st.floats(0, 40, allow_nan=False, allow_subnormal=False)

    def arr(elements, n, dtype):
        return np.array(draw(st.lists(elements, min_size=n, max_size=n)), dtype=dtype)

    weight = {c: draw(st.floats(0.5, 60, allow_subnormal=False)) for c in COMPONENTS}
    return _Model(
        kinerja=arr(points, n_people, float),
        missing_k=np.zeros(n_people, dtype=bool),
        potensi=arr(points, n_people, float),
        missing_p=np.zeros(n_people, dtype=bool),
        person_field=arr(st.integers(-1, n_fields - 1), n_people, np.int64),
        post_field=arr(st.integers(-1, n_fields - 1), n_posts, np.int64),
        post_level=arr(st.integers(0, levels - 1), n_posts, np.int8),
        grade=arr(st.integers(0, 3), n_fields * n_fields, np.int8).reshape(n_fields, n_fields),
        field_points=arr(points, 4, float),
        experience=arr(years, n_people * levels, float).reshape(n_people, levels),
        cap_years=draw(st.floats(1, 20, allow_subnormal=False)),
        weight=weight,
        total=float(sum(weight.values())),
    )


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_the_fit_from_per_person_tables_is_the_fit_from_the_components_bit_for_bit(data):
    # score_pairs computes the fit from per-person and per-post tables; the
    # oracle is the pair-by-pair path that the reports' components use.
    model = data.draw(_models())
    n_people, n_posts = len(model.kinerja), len(model.post_field)
    k = data.draw(st.integers(1, 30))
    person = np.array(data.draw(st.lists(st.integers(0, n_people - 1), min_size=k, max_size=k)))
    post = np.array(data.draw(st.lists(st.integers(0, n_posts - 1), min_size=k, max_size=k)))
    penalty = np.array(
        data.draw(st.lists(st.sampled_from([0.0, 2.5, 5.0, 7.3, 150.0]), min_size=k, max_size=k))
    )
    expected = model.fit(person, post, penalty)
    got = model.tables().fit(person, post, penalty)
    assert got.tobytes() == expected.tobytes()


@settings(max_examples=100, deadline=None)
@given(data=st.data(), chunk=st.integers(1, 5))
def test_a_fit_read_through_the_view_is_the_fit_from_the_components_bit_for_bit(data, chunk):
    # The plan keeps no fit per pair: FitView computes it when read, a chunk at a
    # time, from int32 pairs and a penalty made from soft-rule bits. The oracle is
    # the pair-by-pair path of the components, with the penalty added by hand.
    import engine.scoring.fit as fit_module
    from engine.eligibility.soft import PenaltyView, SoftFailures
    from engine.scoring.fit import FitView

    model = data.draw(_models())
    n_people, n_posts = len(model.kinerja), len(model.post_field)
    k = data.draw(st.integers(1, 30))
    person = np.array(
        data.draw(st.lists(st.integers(0, n_people - 1), min_size=k, max_size=k)), np.int32
    )
    post = np.array(
        data.draw(st.lists(st.integers(0, n_posts - 1), min_size=k, max_size=k)), np.int32
    )
    # Two soft rules: "a" 2.5, "b" 7.3; each pair fails some of them.
    fails = [data.draw(st.sampled_from(["", "a", "b", "ab"])) for _ in range(k)]
    soft = SoftFailures.pack(
        ["a", "b"],
        [2.5, 7.3],
        {r: np.array([r in f for f in fails]) for r in "ab"},
        k,
    )
    penalty = np.array([{"": 0.0, "a": 2.5, "b": 7.3, "ab": 0.0 + 2.5 + 7.3}[f] for f in fails])
    expected = model.fit(person.astype(np.int64), post.astype(np.int64), penalty)
    # A slice of the view from anywhere to anywhere (empty, reversed, from the end).
    lo, hi = data.draw(st.integers(-k - 1, k + 1)), data.draw(st.integers(-k - 1, k + 1))
    old = fit_module.CHUNK
    fit_module.CHUNK = chunk
    try:
        view = FitView(model.tables(), person, post, PenaltyView(soft))
        whole = view[:]
        stepped = view[::2]
        part = view[lo:hi]
    finally:
        fit_module.CHUNK = old
    assert len(view) == k and whole.tobytes() == expected.tobytes()
    assert stepped.tobytes() == expected[::2].tobytes()
    assert part.tobytes() == expected[lo:hi].tobytes()
    at = np.array(data.draw(st.lists(st.integers(0, k - 1), max_size=k)), dtype=np.int64)
    assert view[at].tobytes() == expected[at].tobytes()
    assert view[k - 1] == expected[k - 1] and view[-1] == expected[-1]
    assert np.asarray(view).tobytes() == expected.tobytes()


def _soft_pairs(data, k):
    """Soft rules (none to eight, one byte a pair) each of ``k`` pairs fails, and the
    penalty by hand: 0.0, then each failed rule's penalty in rule order."""
    from engine.eligibility.soft import SoftFailures

    n_rules = data.draw(st.integers(0, 8))
    penalties = data.draw(
        st.lists(st.sampled_from([0.1, 0.2, 2.5, 7.3, 150.0]), min_size=n_rules, max_size=n_rules)
    )
    masks = [
        np.array(data.draw(st.lists(st.booleans(), min_size=k, max_size=k)), dtype=bool)
        for _ in range(n_rules)
    ]
    ids = [f"r{e}" for e in range(n_rules)]
    penalty = np.zeros(k)
    for p, m in zip(penalties, masks, strict=True):
        penalty += np.where(m, p, 0.0)
    return SoftFailures.pack(ids, penalties, dict(zip(ids, masks, strict=True)), k), penalty


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_a_fit_read_by_the_compiled_pass_is_the_fit_from_the_components_bit_for_bit(data):
    # A large round reads its fits by one compiled pass (engine.kernels.pair_values);
    # with the threshold at 0 every read here takes it. The oracle is the
    # pair-by-pair path of the components, the penalty added rule by rule by hand.
    import engine.scoring.fit as fit_module
    from engine.eligibility.soft import PenaltyView
    from engine.scoring.fit import FitView

    model = data.draw(_models())
    n_people, n_posts = len(model.kinerja), len(model.post_field)
    k = data.draw(st.integers(1, 30))
    ids = data.draw(st.sampled_from([np.int32, np.int64]))
    person = np.array(
        data.draw(st.lists(st.integers(0, n_people - 1), min_size=k, max_size=k)), ids
    )
    post = np.array(data.draw(st.lists(st.integers(0, n_posts - 1), min_size=k, max_size=k)), ids)
    soft, penalty = _soft_pairs(data, k)
    expected = model.fit(person.astype(np.int64), post.astype(np.int64), penalty)
    view = FitView(model.tables(), person, post, PenaltyView(soft))
    old = fit_module.KERNEL_MIN_PAIRS
    fit_module.KERNEL_MIN_PAIRS = 0
    try:
        assert view.compiled() is not None
        whole, part, stepped = view[:], view[1 : k - 1], view[::-2]
        # A slice from anywhere to anywhere by any step (empty, reversed, from the end).
        lo, hi = data.draw(st.integers(-k - 1, k + 1)), data.draw(st.integers(-k - 1, k + 1))
        step = data.draw(st.sampled_from([1, 2, 3, -1, -2]))
        sliced = view[lo:hi:step]
        at = np.array(data.draw(st.lists(st.integers(-k, k - 1), max_size=k)), dtype=np.int64)
        mask = np.array(data.draw(st.lists(st.booleans(), min_size=k, max_size=k)))
        picked, masked, square = view[at], view[mask], view[np.array([[0, k - 1]])]
        first, last = view[0], view[-1]
    finally:
        fit_module.KERNEL_MIN_PAIRS = old
    assert whole.tobytes() == expected.tobytes()
    assert part.tobytes() == expected[1 : k - 1].tobytes()
    assert stepped.tobytes() == expected[::-2].tobytes()
    assert sliced.tobytes() == expected[lo:hi:step].tobytes()
    assert picked.tobytes() == expected[at].tobytes()
    assert masked.tobytes() == expected[mask].tobytes()
    assert square.shape == (1, 2) and square.tobytes() == expected[[0, k - 1]].tobytes()
    assert first == expected[0] and last == expected[-1]


def test_a_fit_whose_penalty_is_not_a_soft_rule_byte_is_read_by_numpy():
    # Nine soft rules take two bytes a pair, and a plain penalty array has no bits:
    # neither is read by the compiled pass.
    from engine.eligibility.soft import PenaltyView, SoftFailures
    from engine.scoring.fit import FitView

    one = np.zeros(1, np.int64)
    tables = SimpleNamespace()
    nine = SoftFailures.empty([f"r{e}" for e in range(9)], [1.0] * 9, 1)
    assert FitView(tables, one, one, PenaltyView(nine)).compiled() is None
    assert FitView(tables, one, one, np.zeros(1)).compiled() is None


def test_a_missing_measure_counts_the_median_of_those_who_have_it_else_the_middle():
    from engine.scoring.fit import neutral_value

    # The median of 60, 75, 90, 100 is the mean of the middle two: (75 + 90) / 2.
    assert neutral_value(np.array([60.0, 75.0, 90.0, 100.0])) == 82.5
    assert neutral_value(np.array([90.0, 40.0, 70.0])) == 70.0
    # Nobody has one: the middle of the 0-100 scale.
    assert neutral_value(np.array([])) == 50.0


def test_nobody_assessed_is_scored_at_the_middle_of_the_scale(world):
    # Neutral potensi with nobody assessed is 50 for everyone. A at KABID, A's kinerja 90,
    # keilmuan 100, pengalaman 40: (40 x 90 + 30 x 50 + 20 x 100 + 10 x 40) / 100
    # = (3600 + 1500 + 2000 + 400) / 100 = 75.0.
    p, q = world
    nobody = replace(p, jpm=np.full(p.n, np.nan), kompetensi=np.full(p.n, np.nan))
    s = score_pairs(nobody, q, np.array([0]), np.array([0]), np.zeros(1), TAXONOMY, WEIGHTS.at(DAY))
    assert float(s.at(0).components["potensi"][0]) == 50.0
    assert s.fit.tolist() == [75.0]


def test_the_pair_by_pair_fit_of_the_components_by_hand(world):
    # _Model.fit is the definition the fit tables and the compiled pass match bit for bit.
    # E at KABAG: 100.0 (see test_a_perfect_record_scores_exactly_100), less a 0.0 penalty;
    # A at KABID: 82.5 - 3.0 = 79.5; C at KABID: 22.5 - 25.0 < 0, floored at 0.
    model = score(world, 0, 0)._model
    got = model.fit(np.array([4, 0, 2]), np.array([4, 0, 0]), np.array([0.0, 3.0, 25.0]))
    assert got.tolist() == [100.0, 79.5, 0.0]


def test_the_compiled_pass_reads_from_its_threshold_on_and_never_below(world, monkeypatch):
    # From KERNEL_MIN_PAIRS pairs on a view's fits are read by the compiled pass; below
    # it the pass is never called (a small round never loads it). Both read the same
    # fits: A, B, C, D at KABID, KABID, KABID, KABID2 are 82.5, 56.0, 22.5, 69.0 (see
    # test_total_fit_of_four_people_by_hand), less 2.5 where the one soft rule fails.
    import engine.kernels as kernels
    import engine.scoring.fit as fit_module
    from engine.eligibility.soft import PenaltyView, SoftFailures
    from engine.scoring.fit import FitView

    s = score(world, [0, 1, 2, 3], [0, 0, 0, 1])
    soft = SoftFailures.pack(["r"], [2.5], {"r": np.array([True, False, False, True])}, 4)
    view = FitView(s._model.tables(), s.person, s.post, PenaltyView(soft))
    calls = []
    real = kernels.pair_values

    def counted(*args):
        calls.append(args[6:8])  # the pairs lo:hi it reads
        return real(*args)

    monkeypatch.setattr(kernels, "pair_values", counted)
    monkeypatch.setattr(fit_module, "KERNEL_MIN_PAIRS", 5)  # four pairs: below
    below = view[:]
    assert calls == []
    monkeypatch.setattr(fit_module, "KERNEL_MIN_PAIRS", 4)  # four pairs: from it on
    at = view[:]
    assert calls == [(0, 4)]
    assert below.tolist() == at.tolist() == [80.0, 56.0, 22.5, 66.5]
