"""Kotak talenta by regime: hand-worked people, counts per box and unit, strict loading."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from factories import ROOT, person, post

from engine.errors import InputError
from engine.plan.pipeline import load_context
from engine.scoring.talent import box_counts, load_talent_box, talent_box

TALENT = ROOT / "rules/kotak-talenta.yaml"
EXTRA = f"talent_box: {TALENT}\n"
PERMEN = dt.date(2025, 6, 1)  # PermenPANRB 3/2020 in force
KEPKA = dt.date(2026, 7, 1)  # Kepka BKN 411/2025 in force (the tiny round's date)


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
