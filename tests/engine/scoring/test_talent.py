"""Kotak talenta by regime: hand-worked people, counts per box and unit, strict loading."""

from __future__ import annotations

import dataclasses
import datetime as dt
from types import SimpleNamespace

import numpy as np
import pytest
from factories import ROOT, person, post

from engine.errors import InputError
from engine.plan.pipeline import load_context
from engine.scoring.talent import (
    TalentBox,
    Thresholds,
    _axis,
    _level,
    _measures,
    box_counts,
    load_talent_box,
    talent_box,
)

TALENT = ROOT / "rules/kotak-talenta.yaml"
EXTRA = f"talent_box: {TALENT}\n"
PERMEN = dt.date(2025, 6, 1)  # PermenPANRB 3/2020 in force
KEPKA = dt.date(2026, 7, 1)  # Kepka BKN 411/2025 in force (the tiny round's date)
F, T = False, True


def _people():
    """Four hand-worked people; the expected boxes are worked out in each comment.

    SKP points: Sangat Baik 100, Baik 80, Butuh Perbaikan 60, Kurang 40. Kinerja
    cuts 70 / 90, potensial cuts 60 / 80, in both regimes. Grid: high [6, 8, 9],
    medium [3, 5, 7], low [1, 2, 4] (columns: kinerja below, as expected, above).
    """
    # A: kinerja (100 + 100) / 2 = 100 -> above.
    #   Kepka potensial (kompetensi 5*20=100 x40, jpm 90 x25, S2 90 x10, exact
    #   field 100 x10, no sanction 100 x15) / 100 = 96.5 -> high -> box 9.
    #   PermenPANRB potensial 90 x .7 + 100 x .3 = 93 -> high -> box 9.
    a = person(
        1,
        skp_2024="Sangat Baik",
        skp_2025="Sangat Baik",
        jpm="90",
        kompetensi="5",
        pendidikan="S2",
        unit="Dinas A",
    )
    # B: kinerja 80 -> as expected.
    #   Kepka (4*20=80 x40 + 95 x25 + S1 80 x10 + Ilmu Hukum on a Teknik Sipil
    #   post: no match 0 x10 + 100 x15) / 100 = 78.75 -> medium -> box 5.
    #   PermenPANRB 95 x .7 + 80 x .3 = 90.5 -> high -> box 8.
    b = person(2, jpm="95", kompetensi="4", jurusan="Ilmu Hukum", unit="Dinas A")
    # C: Pelaksana without JPM or kompetensi; kinerja (60 + 80) / 2 = 70 -> as
    #   expected (a score equal to the cut is on the upper side).
    #   No assessment: the weights file's missing_assessment (neutral) counts each
    #   measure as the median of those who have it: JPM of A, B, D 90, 95, 60 ->
    #   90; kompetensi x 20 of A, B, D 100, 80, 60 -> 80.
    #   Kepka: (80 x40 + 90 x25 + S2 90 x10 + integritas 100 x15) / 90 (no post,
    #   no field measure) = 7850 / 90 = 87.2 -> high -> box 8.
    #   PermenPANRB: 90 x .7 + 80 x .3 = 87 -> high -> box 8.
    c = person(
        3,
        jenis_jabatan="Pelaksana",
        skp_2024="Butuh Perbaikan",
        jpm="",
        kompetensi="",
        pendidikan="S2",
        unit="Dinas B",
    )
    # D: sanction sedang (integritas 40); kinerja (40 + 60) / 2 = 50 -> below.
    #   Kepka (3*20=60 x40 + 60 x25 + S1 80 x10 + 40 x15) / 90 (no post, no
    #   field measure) = 58.9 -> low -> box 1.
    #   PermenPANRB 60 x .7 + 60 x .3 = 60 -> medium (on the cut) -> box 3.
    d = person(
        4,
        jenis_jabatan="Pelaksana",
        skp_2024="Kurang",
        skp_2025="Butuh Perbaikan",
        jpm="60",
        kompetensi="3",
        hukuman_tingkat="sedang",
        hukuman_tmt="2023-01-01",
        hukuman_selesai="2023-12-31",
        unit="Dinas B",
    )
    posts = [
        post("P1", unit="Dinas A", eselon="IV.a", jenis_jabatan="Pengawas", nip_pemangku=a["nip"]),
        post("P2", unit="Dinas A", eselon="IV.a", jenis_jabatan="Pengawas", nip_pemangku=b["nip"]),
    ]
    return [a, b, c, d], posts


def _weights(ctx, version, policy="neutral"):
    """The weights in force when ``version`` starts, with the missing-assessment ``policy``."""
    weights = ctx.weights_file.at(version.effective.from_)
    return weights.model_copy(update={"missing_assessment": policy})


@pytest.fixture
def ctx(tiny_round):
    people, posts = _people()
    return load_context(tiny_round(people, posts, extra=EXTRA))


def test_kepka_regime_hand_worked(ctx):
    version = ctx.talent_settings.at(KEPKA)
    assert ctx.talent.regime == version.regime == "Kepka BKN 411/2025"
    tb = talent_box(ctx.people, ctx.posts, ctx.taxonomy, version, _weights(ctx, version))
    assert tb.kinerja.tolist() == [100.0, 80.0, 70.0, 50.0]
    assert tb.potensial[[0, 1, 2]].tolist() == [96.5, 78.8, 87.2]
    assert tb.potensial[3] == pytest.approx(58.9)
    assert tb.box.tolist() == [9, 5, 8, 1]
    assert tb.in_pool.tolist() == [True, False, True, False]


def test_permenpanrb_regime_hand_worked(ctx):
    version = ctx.talent_settings.at(PERMEN)
    assert version.regime == "PermenPANRB 3/2020"
    tb = talent_box(ctx.people, ctx.posts, ctx.taxonomy, version, _weights(ctx, version))
    assert tb.potensial.tolist() == [93.0, 90.5, 87.0, 60.0]
    assert tb.box.tolist() == [9, 8, 8, 3]
    assert tb.in_pool.tolist() == [True, True, True, False]
    # Not eligible: C, without an assessment, has no potensial and no box.
    tb = talent_box(
        ctx.people, ctx.posts, ctx.taxonomy, version, _weights(ctx, version, "not_eligible")
    )
    assert np.isnan(tb.potensial[2]) and tb.potensial_level[2] == -1
    assert tb.box.tolist() == [9, 8, 0, 3]


def test_counts_per_box_and_unit(ctx):
    version = ctx.talent_settings.at(KEPKA)
    tb = talent_box(ctx.people, ctx.posts, ctx.taxonomy, version, _weights(ctx, version))
    counts = box_counts(tb, ctx.people, version)
    assert counts.pool == (7, 8, 9) and counts.pool_size == 2 and counts.counted == 4
    assert {b: n for b, n in counts.by_box.items() if n} == {1: 1, 5: 1, 8: 1, 9: 1}
    assert counts.by_unit == {"Dinas A": {5: 1, 9: 1}, "Dinas B": {1: 1, 8: 1}}
    assert [nip for nip, _ in counts.names[9]] == [ctx.people.nip[0]]
    only_b = box_counts(tb, ctx.people, version, mask=ctx.people.unit == "Dinas B")
    assert only_b.counted == 2 and only_b.pool_size == 1
    assert only_b.by_unit == {"Dinas B": {1: 1, 8: 1}}
    assert list(counts.by_unit) == ["Dinas A", "Dinas B"]  # units in sorted order
    data = only_b.as_dict()
    assert data["by_box"]["8"] == 1 and data["names"]["8"][0]["nip"] == ctx.people.nip[2]


def _write(tmp_path, text: str):
    path = tmp_path / "kotak.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _version(regime: str, effective: str, high: str = "[6, 8, 9]", low: str = "[1, 2, 4]") -> str:
    return f"""  - regime: {regime}
    source: contoh
    effective: {effective}
    kinerja: {{skp: 100}}
    potensial: {{jpm: 100}}
    thresholds:
      kinerja: {{medium_from: 70, high_from: 90}}
      potensial: {{medium_from: 60, high_from: 80}}
    boxes:
      high: {high}
      medium: [3, 5, 7]
      low: {low}
    pool: [7, 8, 9]
    kualifikasi_points: {{SD: 0, SMP: 0, SMA: 0, D1: 0, D2: 0, D3: 0, D4: 0, S1: 0, S2: 0, S3: 0}}
    integritas_points: {{ringan: 70, sedang: 40, berat: 0}}
"""


def test_bad_numbering_is_reported_with_its_line_in_every_regime(tmp_path):
    text = (
        "kind: talent_box\nversions:\n"
        + _version("A", "{from: 2020-01-01, until: 2025-12-31}", low="[1, 2, 2]")
        + _version("B", "{from: 2026-01-01}", high="[6, 8, 10]")
    )
    with pytest.raises(InputError) as err:
        load_talent_box(_write(tmp_path, text))
    rendered = [str(p) for p in err.value.problems]
    assert len(rendered) == 2, rendered
    # The 'boxes' key of each version: lines 11 and 26.
    assert rendered[0].startswith(f"{tmp_path / 'kotak.yaml'}:11:")
    assert rendered[1].startswith(f"{tmp_path / 'kotak.yaml'}:26:")
    assert all("boxes must number 1 to 9 once each" in r for r in rendered)


def test_overlapping_regimes_are_reported_with_the_line_of_the_later_one(tmp_path):
    text = (
        "kind: talent_box\nversions:\n"
        + _version("Lama", "{from: 2020-01-01}")
        + _version("Baru", "{from: 2026-01-01}")
    )
    with pytest.raises(InputError) as err:
        load_talent_box(_write(tmp_path, text), "kotak.yaml")
    (problem,) = err.value.problems
    assert str(problem).startswith("kotak.yaml:20:")
    assert "'Lama'" in problem.message and "'Baru'" in problem.message
    assert "until" in (problem.allowed or "")


def test_pool_box_listed_twice_is_an_error(tmp_path):
    text = "kind: talent_box\nversions:\n" + _version("A", "{from: 2020-01-01}").replace(
        "pool: [7, 8, 9]", "pool: [7, 8, 8]"
    )
    with pytest.raises(InputError) as err:
        load_talent_box(_write(tmp_path, text), "kotak.yaml")
    assert "kotak.yaml:15:" in str(err.value) and "twice" in str(err.value)


def test_a_regime_without_a_look_back_reads_two_years_of_skp(tmp_path):
    (version,) = load_talent_box(
        _write(tmp_path, "kind: talent_box\nversions:\n" + _version("A", "{from: 2020-01-01}"))
    ).versions
    assert version.skp_years == 2


def test_shipped_file_has_both_regimes_back_to_back():
    settings = load_talent_box(TALENT)
    assert [v.regime for v in settings.versions] == ["PermenPANRB 3/2020", "Kepka BKN 411/2025"]
    assert settings.at(dt.date(2025, 12, 31)).regime == "PermenPANRB 3/2020"
    assert settings.at(dt.date(2026, 1, 1)).regime == "Kepka BKN 411/2025"
    with pytest.raises(InputError):
        settings.at(dt.date(2019, 12, 31))


@pytest.mark.parametrize(
    ("policy", "potensial", "box"),
    [
        # C has no JPM and no kompetensi (see _people). Neutral: each counts the
        # median of those who have it: 87.2 -> high -> box 8.
        ("neutral", 87.2, 8),
        # Zero: both count 0: (0 x40 + 0 x25 + 90 x10 + 100 x15) / 90 = 26.7 -> low;
        # kinerja 70 is as expected -> low row [1, 2, 4], middle column -> box 2.
        ("zero", 26.7, 2),
        # Not eligible: no potensial where an assessment is weighed -> no box (0).
        ("not_eligible", None, 0),
    ],
)
def test_the_weights_files_missing_assessment_policy_applies_to_the_box(
    ctx, policy, potensial, box
):
    """Issue 15, item 7: one policy for the fit and the box, read from the weights file."""
    version = ctx.talent_settings.at(KEPKA)
    tb = talent_box(ctx.people, ctx.posts, ctx.taxonomy, version, _weights(ctx, version, policy))
    assert tb.missing_assessment.tolist() == [False, False, True, False]
    if potensial is None:
        assert np.isnan(tb.potensial[2])
    else:
        assert tb.potensial[2] == pytest.approx(potensial)
    assert int(tb.box[2]) == box
    # The others have an assessment: the policy does not touch them.
    assert tb.box.tolist()[:2] + tb.box.tolist()[3:] == [9, 5, 1]


# A regime of one measure per axis, so every score below is worked out by hand:
# kinerja the SKP points' mean (Sangat Baik 100, Baik 80, Butuh Perbaikan 60,
# Kurang 40, Sangat Kurang 20), potensial the JPM; the shipped cuts and grid.
GRID_REGIME = """\
kind: talent_box
versions:
  - regime: Uji
    source: contoh
    effective: {from: 2020-01-01}
    kinerja: {skp: 100}
    potensial: {jpm: 100}
    thresholds:
      kinerja: {medium_from: 70, high_from: 90}
      potensial: {medium_from: 60, high_from: 80}
    boxes:
      high: [6, 8, 9]
      medium: [3, 5, 7]
      low: [1, 2, 4]
    pool: [7, 8, 9]
    skp_years: 2
    kualifikasi_points: {SD: 20, SMP: 20, SMA: 40, D1: 50, D2: 50, D3: 60, D4: 80, S1: 80, S2: 90, S3: 100}
    integritas_points: {ringan: 70, sedang: 40, berat: 0}
"""
BP, SB = "Butuh Perbaikan", "Sangat Baik"
SANCTION = {"hukuman_tmt": "2023-01-01", "hukuman_selesai": "2023-12-31"}


@pytest.fixture
def grid(tiny_round, tmp_path):
    """Twelve people, one in each box and on each cut, and the measures of the potensial.

    Kinerja (SKP 2025, 2024) and potensial (JPM), each person's box from the
    grid (rows potensial low [1, 2, 4], medium [3, 5, 7], high [6, 8, 9];
    columns kinerja below 70, from 70, from 90):

    0  BP, BP = 60 below     JPM 59 low            box 1
    1  Baik, BP = 70 (cut)   59 low                box 2
    2  SB, Baik = 90 (cut)   59 low                box 4
    3  BP, BP = 60           60 medium (cut)       box 3
    4  Baik, BP = 70         79 medium             box 5
    5  SB, Baik = 90         60 medium             box 7
    6  SB, Sangat Kurang = 60  80 high (cut)       box 6
    7  Baik, Baik = 80       80 high               box 8
    8  SB, SB = 100          100 high              box 9
    9  Baik, none = 80       75 medium             box 5 (the one year on record)
    10 none, none: unknown   90 high               box 0 (no kompetensi)
    11 Baik, BP = 70         79 medium             box 5, born 1970 (the lowest NIP)

    Person 10 has a JPM but no kompetensi: an assessment, so nothing is
    filled in for them and they are not flagged. Persons 0-4 hold P0-P4
    (Pengawas, Dinas A), 5-11 are Pelaksana of Dinas B.
    The other measures: integritas 70 (0, ringan), 40 (1, sedang), 0 (2,
    berat), else 100; pendidikan S3, SMA, D3, S2 for 0-3, else S1: 100, 40,
    60, 90, 80; the field of the post held: 0 Teknik Sipil on Teknik Sipil
    (exact, 100), 1 Arsitektur on Teknik Sipil (the same family, 60), 2 Ilmu
    Lingkungan on Teknik Lingkungan (related, 30), 3 Manajemen Pemerintahan
    on Ilmu Pemerintahan (a jurusan of the field: exact, 100; the taxonomy's
    first field, code 0), 4 Akuntansi on Teknik Sipil (none, 0); nobody else
    holds a post (no measure).
    """
    skp = [
        (BP, BP),
        ("Baik", BP),
        (SB, "Baik"),
        (BP, BP),
        ("Baik", BP),
        (SB, "Baik"),
        (SB, "Sangat Kurang"),
        ("Baik", "Baik"),
        (SB, SB),
        ("Baik", ""),
        ("", ""),
        ("Baik", BP),
    ]
    jpm = [59, 59, 59, 60, 79, 60, 80, 80, 100, 75, 90, 79]
    extra = [
        {"hukuman_tingkat": "ringan", **SANCTION, "pendidikan": "S3"},
        {"hukuman_tingkat": "sedang", **SANCTION, "pendidikan": "SMA", "jurusan": "Arsitektur"},
        {"hukuman_tingkat": "berat", **SANCTION, "pendidikan": "D3", "jurusan": "Ilmu Lingkungan"},
        {"pendidikan": "S2", "jurusan": "Manajemen Pemerintahan"},
        {"jurusan": "Akuntansi"},
    ] + [{"jenis_jabatan": "Pelaksana", "unit": "Dinas B"}] * 7
    extra[10] = {**extra[10], "kompetensi": ""}
    extra[11] = {**extra[11], "tanggal_lahir": "1970-01-01"}
    people = [
        person(k + 1, skp_2025=s25, skp_2024=s24, jpm=str(j), **{"unit": "Dinas A", **more})
        for k, ((s25, s24), j, more) in enumerate(zip(skp, jpm, extra, strict=True))
    ]
    pengawas = {"unit": "Dinas A", "eselon": "IV.a", "jenis_jabatan": "Pengawas"}
    fields = [
        "Teknik Sipil",
        "Teknik Sipil",
        "Teknik Lingkungan",
        "Ilmu Pemerintahan",
        "Teknik Sipil",
    ]
    posts = [
        post(f"P{k}", **pengawas, bidang=f, nip_pemangku=people[k]["nip"])
        for k, f in enumerate(fields)
    ]
    ctx = load_context(tiny_round(people, posts, extra=EXTRA))
    assert ctx.posts.field[3] == ctx.people.field[3] == 0
    path = tmp_path / "uji.yaml"
    path.write_text(GRID_REGIME, encoding="utf-8")
    version = load_talent_box(path).at(KEPKA)
    return ctx, version, _weights(ctx, ctx.talent_settings.at(KEPKA))


def test_every_box_and_each_cut_of_both_axes(grid):
    """The table of the fixture: a score equal to a cut is on its upper side."""
    ctx, version, weights = grid
    tb = talent_box(ctx.people, ctx.posts, ctx.taxonomy, version, weights)
    assert tb.kinerja[:10].tolist() == [60, 70, 90, 60, 70, 90, 60, 80, 100, 80]
    assert np.isnan(tb.kinerja[10]) and tb.kinerja[11] == 70
    assert tb.potensial.tolist() == [59, 59, 59, 60, 79, 60, 80, 80, 100, 75, 90, 79]
    assert tb.kinerja_level.tolist() == [0, 1, 2, 0, 1, 2, 0, 1, 2, 1, -1, 1]
    assert tb.potensial_level.tolist() == [0, 0, 0, 1, 1, 1, 2, 2, 2, 1, 2, 1]
    assert tb.box.tolist() == [1, 2, 4, 3, 5, 7, 6, 8, 9, 5, 0, 5]
    assert tb.in_pool.tolist() == [F, F, F, F, F, T, F, T, T, F, F, F]
    assert tb.regime == "Uji"
    assert tb.missing_assessment.tolist() == [F] * 12


def test_the_look_back_reads_the_latest_years_of_the_regime(grid):
    """skp_years 1: the 2025 SKP alone. 0-11: BP 60, Baik 80, SB 100, 60, 80,
    100, SB 100 (box 9, not 6), 80, 100, Baik 80, none (unknown), Baik 80."""
    ctx, version, weights = grid
    one = version.model_copy(update={"skp_years": 1})
    tb = talent_box(ctx.people, ctx.posts, ctx.taxonomy, one, weights)
    assert tb.kinerja[:10].tolist() == [60, 80, 100, 60, 80, 100, 100, 80, 100, 80]
    assert np.isnan(tb.kinerja[10]) and tb.kinerja[11] == 80
    assert tb.box.tolist() == [1, 2, 4, 3, 5, 7, 9, 8, 9, 5, 0, 5]


def test_the_measures_of_each_person_from_the_data(grid):
    """SKP, JPM, kompetensi x 20, kualifikasi, the field of the post held and integritas.

    The factory's kompetensi is 3 (60), for everybody but person 10 (none).
    """
    ctx, version, weights = grid
    m = _measures(ctx.people, ctx.posts, ctx.taxonomy, version, weights)
    assert m["skp"][:10].tolist() == [60, 70, 90, 60, 70, 90, 60, 80, 100, 80]
    assert np.isnan(m["skp"][10])
    assert m["jpm"].tolist() == [59, 59, 59, 60, 79, 60, 80, 80, 100, 75, 90, 79]
    assert m["kompetensi"][:10].tolist() == [60.0] * 10 and m["kompetensi"][11] == 60
    assert np.isnan(m["kompetensi"][10])
    assert m["kualifikasi"].tolist() == [100, 40, 60, 90] + [80] * 8
    assert m["integritas"].tolist() == [70, 40, 0] + [100] * 9
    field = m["kesesuaian_bidang"]
    assert field[:5].tolist() == [100, 60, 30, 100, 0]
    assert np.isnan(field[5:]).all()


def test_an_axis_scales_up_the_weights_of_the_measures_a_person_has():
    """Weights a 3, b 1. Both: (3 x 80 + 1 x 40) / 4 = 70; a alone: 90; b alone: 20; none: NaN.

    Weights below 1 scale the same: a 0.25, b 0.5: (20 + 20) / 0.75 = 53.3, a alone 90.
    """
    nan = np.nan
    measures = {"a": np.array([80, 90, nan, nan]), "b": np.array([40, nan, 20, nan])}
    axis = _axis(measures, {"a": 3, "b": 1}, 4)
    assert axis[:3].tolist() == [70, 90, 20] and np.isnan(axis[3])
    axis = _axis(measures, {"a": 0.25, "b": 0.5}, 4)
    assert axis[0] == pytest.approx(40 / 0.75) and axis[1] == pytest.approx(90)


def test_levels_on_and_around_each_cut():
    """Cuts 60 / 80: 0, 59.9 low; 60, 79.9 medium; 80, 100 high; NaN unknown (-1)."""
    cuts = Thresholds(medium_from=60, high_from=80)
    score = np.array([0, 59.9, 60, 79.9, 80, 100, np.nan])
    assert _level(score, cuts).tolist() == [0, 0, 1, 1, 2, 2, -1]


def test_the_box_of_each_pair_of_levels_reads_the_row_of_the_potensial():
    """Grid high [6, 8, 9], medium [3, 5, 7], low [1, 2, 4] (columns: kinerja);
    an unknown level on either axis is box 0."""
    version = load_talent_box(TALENT).at(KEPKA)
    kinerja = np.array([0, 1, 2, 0, 1, 2, 0, 1, 2, -1, 0, -1], dtype=np.int8)
    potensial = np.array([0, 0, 0, 1, 1, 1, 2, 2, 2, 0, -1, -1], dtype=np.int8)
    assert version.box_of(kinerja, potensial).tolist() == [1, 2, 4, 3, 5, 7, 6, 8, 9, 0, 0, 0]


def test_axis_scores_are_rounded_to_a_tenth(grid):
    """Kinerja SKP 2 : JPM 1. Person 0: (2 x 60 + 59) / 3 = 59.67 -> 59.7 (below);
    person 1: (2 x 70 + 59) / 3 = 66.33 -> 66.3; person 2: (180 + 59) / 3 = 79.67 -> 79.7."""
    ctx, version, weights = grid
    mixed = version.model_copy(update={"kinerja": {"skp": 2, "jpm": 1}})
    tb = talent_box(ctx.people, ctx.posts, ctx.taxonomy, mixed, weights)
    assert tb.kinerja[:3].tolist() == [59.7, 66.3, 79.7]
    assert tb.kinerja_level[:3].tolist() == [0, 0, 1]


def test_counts_and_names_of_every_box(grid):
    """Box 5 holds 9 (80 + 75 = 155), then 11 and 4 (70 + 79 = 149 each; 11's NIP,
    born 1970, comes first); box 0 holds 10, counted and never in the pool.
    Pool (7, 8, 9): persons 5, 7, 8. Dinas A: 0-4, Dinas B: 5-11."""
    ctx, version, weights = grid
    tb = talent_box(ctx.people, ctx.posts, ctx.taxonomy, version, weights)
    counts = box_counts(tb, ctx.people, version)
    nip = ctx.people.nip
    assert counts.by_box == {0: 1, 1: 1, 2: 1, 3: 1, 4: 1, 5: 3, 6: 1, 7: 1, 8: 1, 9: 1}
    assert list(counts.names) == list(range(10))
    assert [n for n, _ in counts.names[5]] == [nip[9], nip[11], nip[4]]
    assert counts.names[0] == [(nip[10], ctx.people.nama[10])]
    assert counts.pool_size == 3 and counts.counted == 12
    assert counts.by_unit == {
        "Dinas A": {1: 1, 2: 1, 3: 1, 4: 1, 5: 1},
        "Dinas B": {0: 1, 5: 2, 6: 1, 7: 1, 8: 1, 9: 1},
    }
    only_a = box_counts(tb, ctx.people, version, mask=ctx.people.unit == "Dinas A")
    assert only_a.counted == 5 and only_a.pool_size == 0
    assert only_a.by_box == {0: 0, 1: 1, 2: 1, 3: 1, 4: 1, 5: 1, 6: 0, 7: 0, 8: 0, 9: 0}
    assert only_a.names[5] == [(nip[4], ctx.people.nama[4])] and only_a.names[9] == []
    assert only_a.by_unit == {"Dinas A": {1: 1, 2: 1, 3: 1, 4: 1, 5: 1}}
    nobody = box_counts(tb, ctx.people, version, mask=np.zeros(12, dtype=bool))
    assert nobody.counted == nobody.pool_size == 0 and nobody.by_unit == {}
    assert nobody.by_box == dict.fromkeys(range(10), 0)


def test_no_axis_weighing_an_assessment_flags_nobody(ctx):
    """Potensial from kualifikasi alone: C (no JPM, no kompetensi) is scored as anyone.

    Potensial: A (S2) 90, B (S1) 80, C (S2) 90, D (S1) 80, all high (from
    80); kinerja 100, 80, 70, 50: boxes 9, 8, 8, 6. C's box is 8 under every
    policy, and nobody is flagged.
    """
    version = ctx.talent_settings.at(KEPKA).model_copy(update={"potensial": {"kualifikasi": 1}})
    for policy in ("neutral", "zero", "not_eligible"):
        tb = talent_box(
            ctx.people, ctx.posts, ctx.taxonomy, version, _weights(ctx, version, policy)
        )
        assert tb.potensial.tolist() == [90, 80, 90, 80]
        assert tb.box.tolist() == [9, 8, 8, 6]
        assert tb.missing_assessment.tolist() == [F] * 4


def _load_variant(tmp_path, old: str, new: str):
    assert old in GRID_REGIME
    return load_talent_box(_write(tmp_path, GRID_REGIME.replace(old, new)), "kotak.yaml")


CUTS = "potensial: {medium_from: 60, high_from: 80}"
POOL = "pool: [7, 8, 9]"
WEIGHTS = "potensial: {jpm: 100}"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # A cut is a score of 0 to 100, the medium cut below the high one.
        (CUTS, "potensial: {medium_from: 0, high_from: 100}"),
        # Pool boxes 1 to 9, each once.
        (POOL, "pool: [1, 9]"),
        # A look-back of 1 to 5 years.
        ("skp_years: 2", "skp_years: 1"),
        ("skp_years: 2", "skp_years: 5"),
        # Any positive weight.
        (WEIGHTS, "potensial: {jpm: 0.5, kompetensi: 1}"),
    ],
)
def test_a_regime_on_each_bound_is_taken(tmp_path, old, new):
    (version,) = _load_variant(tmp_path, old, new).versions
    assert version.regime == "Uji"


@pytest.mark.parametrize(
    ("old", "new", "found"),
    [
        (CUTS, "potensial: {medium_from: -1, high_from: 80}", "should be at least 0.0"),
        (CUTS, "potensial: {medium_from: 60, high_from: 101}", "should be at most 100.0"),
        (CUTS, "potensial: {medium_from: 101, high_from: 80}", "should be at most 100.0"),
        (CUTS, "potensial: {medium_from: 60, high_from: -1}", "should be at least 0.0"),
        (CUTS, "potensial: {medium_from: 80, high_from: 80}", "medium_from must be below"),
        (CUTS, "potensial: {medium_from: 81, high_from: 80}", "medium_from must be below"),
        (POOL, "pool: [0, 8, 9]", "pool boxes are numbers 1 to 9"),
        (POOL, "pool: [7, 8, 10]", "pool boxes are numbers 1 to 9"),
        ("skp_years: 2", "skp_years: 0", "should be at least 1"),
        ("skp_years: 2", "skp_years: 6", "should be at most 5"),
        (WEIGHTS, "potensial: {jpm: 0}", "positive weight"),
        (WEIGHTS, "potensial: {jpm: 100, kompetensi: -1}", "positive weight"),
        (WEIGHTS, "potensial: {}", "positive weight"),
        ("S3: 100}", "S3: 100, S4: 100}", "give points for exactly SD"),
        (", S3: 100}", "}", "give points for exactly SD"),
    ],
)
def test_a_regime_past_a_bound_is_refused_with_its_line(tmp_path, old, new, found):
    with pytest.raises(InputError) as err:
        _load_variant(tmp_path, old, new)
    (problem,) = err.value.problems
    assert str(problem).startswith("kotak.yaml:")
    assert found in str(problem)


def test_regimes_sharing_one_day_overlap_and_back_to_back_do_not(tmp_path):
    """Lama until 2026-01-01 and Baru from 2026-01-01: both in force that day.
    Lama until 2025-12-31: back to back, each day one regime (the files's order
    need not be the dates': Baru is written first)."""
    lama = _version("Lama", "{from: 2020-01-01, until: 2026-01-01}")
    baru = _version("Baru", "{from: 2026-01-01}")
    with pytest.raises(InputError) as err:
        load_talent_box(_write(tmp_path, "kind: talent_box\nversions:\n" + lama + baru), "k.yaml")
    (problem,) = err.value.problems
    assert "2026-01-01" in problem.message and str(problem).startswith("k.yaml:20:")
    lama = lama.replace("until: 2026-01-01", "until: 2025-12-31")
    settings = load_talent_box(_write(tmp_path, "kind: talent_box\nversions:\n" + baru + lama))
    assert [v.regime for v in settings.versions] == ["Lama", "Baru"]
    assert settings.at(dt.date(2025, 12, 31)).regime == "Lama"
    assert settings.at(dt.date(2026, 1, 1)).regime == "Baru"


def test_the_box_its_counts_and_the_settings_are_values(grid):
    """A report reads them; none can be rewritten after the fact."""
    ctx, version, weights = grid
    tb = talent_box(ctx.people, ctx.posts, ctx.taxonomy, version, weights)
    counts = box_counts(tb, ctx.people, version)
    settings = load_talent_box(TALENT)
    for value, name in ((tb, "regime"), (counts, "pool_size"), (settings, "name")):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(value, name, None)


def test_an_unknown_axis_counts_minus_one_in_the_order_of_names():
    """Box 0, best combined score first, ties by NIP; an unknown axis counts -1.

    W1 (NIP ...01) and W2 (...03): kinerja unknown, potensial 80: -1 + 80 = 79.
    Y (...02): kinerja 80, potensial unknown: 80 - 1 = 79. Z (...04): both
    unknown: -2. All four tie but Z: W1, Y, W2 by NIP, then Z. Box 0 is no box
    of the pool.
    """
    nan = np.nan
    tb = TalentBox(
        kinerja=np.array([nan, nan, 80, nan]),
        potensial=np.array([80, 80, nan, nan]),
        kinerja_level=np.array([-1, -1, 1, -1]),
        potensial_level=np.array([2, 2, -1, -1]),
        box=np.zeros(4, dtype=np.int8),
        in_pool=np.zeros(4, dtype=bool),
        regime="Uji",
    )
    people = SimpleNamespace(
        n=4,
        nip=np.array(["01", "03", "02", "04"]),
        nama=np.array(["W1", "W2", "Y", "Z"]),
        unit=np.array(["U"] * 4),
    )
    counts = box_counts(tb, people, load_talent_box(TALENT).at(KEPKA))
    assert counts.names[0] == [("01", "W1"), ("02", "Y"), ("03", "W2"), ("04", "Z")]
    assert counts.by_box[0] == 4 and counts.pool_size == 0
    assert counts.by_unit == {"U": {0: 4}}


def test_a_mean_of_skp_points_between_whole_numbers_is_kept(grid):
    """Weights whose Baik is 85: person 1 (Baik, Butuh Perbaikan) (85 + 60) / 2 = 72.5,
    person 7 (Baik, Baik) 85, person 9 (Baik, none) 85; rounded to a tenth, not floored."""
    ctx, version, weights = grid
    points = {**weights.skp_points, "Baik": 85}
    tb = talent_box(
        ctx.people,
        ctx.posts,
        ctx.taxonomy,
        version,
        weights.model_copy(update={"skp_points": points}),
    )
    assert tb.kinerja[[1, 7, 9]].tolist() == [72.5, 85, 85]
