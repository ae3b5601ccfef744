"""Derived facts worked out by hand: spans, experience, SKP windows, BUP, calendar shifts.

Every expected number below is counted on a calendar in the comment beside
it, never taken from the code under test. Spans are documented as days /
365.25 (engine.inputs.derive); rules compare them on the calendar
(shift_years), and age by birthday is issue 14 item 1.
"""

from __future__ import annotations

import calendar
import datetime as dt
from pathlib import Path

import numpy as np
import pytest
from factories import JABATAN_HEADER, PEGAWAI_HEADER, ROOT, person, post, write_csv
from hypothesis import given
from hypothesis import strategies as st

from engine.inputs import scales
from engine.inputs.data import load_tables
from engine.inputs.derive import derive_people, derive_posts, shift_years, whole_years
from engine.inputs.settings import load_bup, load_taxonomy

DAY = dt.date(2026, 7, 1)
TAXONOMY = load_taxonomy(ROOT / "rules/taksonomi.yaml")
BUP = load_bup(ROOT / "rules/bup.yaml")
HISTORY_HEADER = ["nip", "jenis_jabatan", "nama_jabatan", "unit", "tmt_mulai", "tmt_selesai"]


def derive(
    tmp_path: Path,
    people: list[dict[str, str]],
    posts: list[dict[str, str]] | None = None,
    history: list[dict[str, str]] | None = None,
    day: dt.date = DAY,
):
    header = PEGAWAI_HEADER + sorted({k for p in people for k in p} - set(PEGAWAI_HEADER))
    write_csv(tmp_path / "pegawai.csv", header, people)
    write_csv(tmp_path / "jabatan.csv", JABATAN_HEADER, posts or [post("KABID")])
    riwayat = None
    if history is not None:
        riwayat = write_csv(tmp_path / "riwayat.csv", HISTORY_HEADER, history)
    tables = load_tables(tmp_path / "pegawai.csv", tmp_path / "jabatan.csv", riwayat)
    people_ = derive_people(tables, day, TAXONOMY, BUP)
    posts_ = derive_posts(tables, {n: i for i, n in enumerate(people_.nip)}, TAXONOMY)
    return people_, posts_


# -- spans in years of 365.25 days ------------------------------------------------


def test_spans_count_days_over_365_25(tmp_path):
    (p, _) = derive(
        tmp_path,
        [person(1, tmt_cpns="2006-07-01", tmt_golongan="2022-04-01", tmt_jabatan="2024-07-02")],
    )
    # 2006-07-01 -> 2026-07-01: 20 x 365 + 5 leap days (2008, 2012, 2016, 2020, 2024) = 7305
    assert p.masa_kerja[0] == pytest.approx(7305 / 365.25) == pytest.approx(20.0)
    # 2022-04-01 -> 2026-04-01: 4 x 365 + 1 (2024-02-29) = 1461; + April 30 + May 31 + June 30
    assert p.masa_golongan[0] == pytest.approx((1461 + 91) / 365.25)
    # 2024-07-02 -> 2026-07-01: 730 - 1 = 729 days (no 29 February in between)
    assert p.masa_jabatan[0] == pytest.approx(729 / 365.25)


def test_years_until_bup_are_counted_from_the_first_of_the_next_month(tmp_path):
    (p, _) = derive(tmp_path, [person(1, tanggal_lahir="1970-05-10")])
    # A Pengawas retires at 58 (rules/bup.yaml): 58th birthday 2028-05-10, so BUP is
    # 2028-06-01 (first-of-next-month). 2026-07-01 -> 2027-07-01: 365 days; then July to
    # May: 31+31+30+31+30+31 + 31+29+31+30+31 = 336 (2028 is a leap year): 701 days.
    assert p.bup[0] == np.datetime64("2028-06-01")
    assert p.sisa_bup[0] == pytest.approx(701 / 365.25)


@pytest.mark.xfail(strict=True, reason="issue 14 item 1: age by birthday")
def test_age_on_the_birthday_is_the_new_age(tmp_path):
    (p, _) = derive(tmp_path, [person(1, tanggal_lahir="1969-07-01", tmt_cpns="1995-03-01")])
    # Born 1969-07-01: the 57th birthday is the scenario date itself.
    assert np.floor(p.usia[0]) == 57


def test_age_the_day_before_the_birthday_is_the_old_age(tmp_path):
    (p, _) = derive(tmp_path, [person(1, tanggal_lahir="1969-07-02", tmt_cpns="1995-03-01")])
    # Born 1969-07-02: 57 only tomorrow.
    assert np.floor(p.usia[0]) == 56


# -- experience -------------------------------------------------------------------


def test_experience_sums_the_history_to_the_day_and_never_counts_the_current_post_twice(
    tmp_path,
):
    a = person(1, jenis_jabatan="Pengawas", tmt_jabatan="2023-07-01")
    b = person(2, jenis_jabatan="Pengawas", tmt_jabatan="2024-07-02")
    history = [
        # a: Pelaksana 2010-07-01 -> 2023-07-01 = 13 x 365 + 3 (2012, 2016, 2020) = 4748 days
        {"nip": a["nip"], "jenis_jabatan": "Pelaksana", "tmt_mulai": "2010-07-01",
         "tmt_selesai": "2023-07-01"},
        # a: Pengawas 2023-07-01 -> (open) 2026-07-01 = 3 x 365 + 1 (2024-02-29) = 1096 days
        {"nip": a["nip"], "jenis_jabatan": "Pengawas", "tmt_mulai": "2023-07-01",
         "tmt_selesai": ""},
        # a: an acting Administrator post that starts after the scenario date counts nothing
        {"nip": a["nip"], "jenis_jabatan": "Administrator", "tmt_mulai": "2026-09-01",
         "tmt_selesai": ""},
    ]  # fmt: skip
    (p, _) = derive(tmp_path, [a, b], history=history)
    assert p.experience_from_history
    assert p.experience["Pelaksana"][0] == pytest.approx(4748 / 365.25)
    # The current post is the open history row: counted once, not again from tmt_jabatan.
    assert p.experience["Pengawas"][0] == pytest.approx(1096 / 365.25)
    assert p.experience["Administrator"][0] == 0.0
    # b has no history row: the current post only, 2024-07-02 -> 2026-07-01 = 729 days.
    assert p.experience["Pengawas"][1] == pytest.approx(729 / 365.25)
    assert p.experience["Pelaksana"][1] == 0.0
    others = set(scales.JENIS_JABATAN) - {"Pelaksana", "Pengawas"}
    assert all(p.experience[k][1] == 0.0 for k in others)


def test_a_history_row_that_ends_after_the_date_is_cut_at_the_date(tmp_path):
    a = person(1, jenis_jabatan="Fungsional Ahli Muda", tmt_jabatan="2025-07-01")
    history = [
        # 2025-07-01 -> 2027-01-01, cut at 2026-07-01: 365 days (no 29 February)
        {"nip": a["nip"], "jenis_jabatan": "Fungsional Ahli Muda", "tmt_mulai": "2025-07-01",
         "tmt_selesai": "2027-01-01"},
    ]  # fmt: skip
    (p, _) = derive(tmp_path, [a], history=history)
    assert p.experience_from_history  # one row is a history
    assert p.experience["Fungsional Ahli Muda"][0] == pytest.approx(365 / 365.25)


def test_without_a_history_everyone_has_their_current_post_only(tmp_path):
    a = person(1, jenis_jabatan="Pengawas", tmt_jabatan="2025-07-01")
    b = person(2, jenis_jabatan="Pelaksana", tmt_jabatan="2026-06-30")
    (p, _) = derive(tmp_path, [a, b])
    assert not p.experience_from_history
    # a: 2025-07-01 -> 2026-07-01 = 365 days; b: one day. Nobody is given a floor of a year.
    assert p.experience["Pengawas"].tolist() == pytest.approx([365 / 365.25, 0.0])
    assert p.experience["Pelaksana"].tolist() == pytest.approx([0.0, 1 / 365.25])


def test_a_post_taken_up_after_the_date_gives_no_experience(tmp_path):
    (p, _) = derive(tmp_path, [person(1, jenis_jabatan="Pengawas", tmt_jabatan="2026-09-01")])
    assert p.experience["Pengawas"][0] == 0.0


# -- SKP windows ------------------------------------------------------------------


def test_skp_years_are_the_years_before_the_scenario_year_most_recent_first(tmp_path):
    a = person(1, skp_2023="Baik", skp_2024="Sangat Kurang", skp_2025="", skp_2026="Sangat Baik")
    (p, _) = derive(tmp_path, [a])
    # 2026 is the scenario's own year: its SKP is partial and is not read.
    assert p.skp_years == [2025, 2024, 2023]
    sangat_kurang, baik = (scales.SKP_PREDIKAT.index(x) for x in ("Sangat Kurang", "Baik"))
    # 2025 missing (-1); Sangat Kurang is a predikat (code 0), not a missing year.
    assert p.skp[0].tolist() == [-1, sangat_kurang, baik] == [-1, 0, 3]


# -- posts ------------------------------------------------------------------------


def test_posts_know_their_level_parent_and_holder(tmp_path):
    a = person(1)
    posts = [
        post("KADIS", eselon="II.b", jenis_jabatan="JPT Pratama"),
        post("KABID", atasan_id="KADIS"),
        post("SEKSI", eselon="IV.a", jenis_jabatan="Pengawas", atasan_id="KABID",
             nip_pemangku=a["nip"]),
    ]  # fmt: skip
    b = person(2, jenis_jabatan="Fungsional Ahli Muda")
    (p, q) = derive(tmp_path, [a, b], posts=posts)
    assert q.level.tolist() == [4, 3, 2]  # JPT Pratama, Administrator, Pengawas
    assert q.atasan.tolist() == [-1, 0, 1]
    assert q.holder.tolist() == [-1, -1, 0]
    assert p.home.tolist() == [2, -1]  # b holds no structural post
    assert p.level.tolist() == [2, 2]  # Pengawas and Ahli Muda share a level


# -- calendar arithmetic: shift_years and whole_years ---------------------------


@pytest.mark.parametrize(
    ("day", "years", "expected"),
    [
        # 29 February moved to a common year falls on 28 February (clamped).
        (dt.date(2024, 2, 29), 1, dt.date(2025, 2, 28)),
        (dt.date(2024, 2, 29), -1, dt.date(2023, 2, 28)),
        (dt.date(2024, 2, 29), 4, dt.date(2028, 2, 29)),
        # The 29th-31st moved by months keep their day where the month has it.
        (dt.date(2023, 1, 31), 1 / 12, dt.date(2023, 2, 28)),
        (dt.date(2024, 1, 31), 1 / 12, dt.date(2024, 2, 29)),
        (dt.date(2024, 1, 30), 1 / 12, dt.date(2024, 2, 29)),
        (dt.date(2023, 1, 29), 1 / 12, dt.date(2023, 2, 28)),
        (dt.date(2024, 3, 31), -1 / 12, dt.date(2024, 2, 29)),
        (dt.date(2025, 5, 31), 0.5, dt.date(2025, 11, 30)),
        (dt.date(2025, 8, 31), 1 / 12, dt.date(2025, 9, 30)),
        (dt.date(2025, 7, 31), 1 / 12, dt.date(2025, 8, 31)),
        # Across the turn of a year, both ways.
        (dt.date(2025, 12, 31), 2 / 12, dt.date(2026, 2, 28)),
        (dt.date(2025, 12, 15), 1 / 12, dt.date(2026, 1, 15)),
        (dt.date(2026, 1, 15), -1 / 12, dt.date(2025, 12, 15)),
        (dt.date(2025, 11, 30), 1 / 12, dt.date(2025, 12, 30)),
        # Whole years; the README's defaults (45 years before the date).
        (dt.date(2026, 7, 1), -45, dt.date(1981, 7, 1)),
        (dt.date(2026, 7, 1), 0, dt.date(2026, 7, 1)),
        (dt.date(2025, 1, 2), 2, dt.date(2027, 1, 2)),
    ],
)
def test_shift_years_by_hand(day, years, expected):
    assert shift_years(day, years) == expected


@pytest.mark.parametrize(
    ("start", "day", "expected"),
    [
        (dt.date(1969, 7, 1), dt.date(2026, 7, 1), 57),  # the birthday itself
        (dt.date(1969, 7, 2), dt.date(2026, 7, 1), 56),  # the day before it
        (dt.date(1969, 6, 30), dt.date(2026, 7, 1), 57),
        (dt.date(1969, 8, 1), dt.date(2026, 7, 1), 56),  # a later month
        (dt.date(1968, 2, 29), dt.date(2025, 2, 28), 56),  # 29 February: 57 from 1 March
        (dt.date(1968, 2, 29), dt.date(2025, 3, 1), 57),
        (dt.date(1968, 2, 29), dt.date(2024, 2, 29), 56),
        (dt.date(1968, 2, 29), dt.date(2024, 2, 28), 55),
    ],
)
def test_whole_years_by_hand(start, day, expected):
    assert whole_years(start, day) == expected


DATES = st.dates(min_value=dt.date(1940, 1, 1), max_value=dt.date(2090, 12, 31))


@given(DATES, st.integers(min_value=-600, max_value=600))
def test_shift_by_months_lands_on_the_month_and_clamps_the_day(day, months):
    got = shift_years(day, months / 12)
    # Oracle: count months on the calendar, then clamp to the month's last day.
    total = day.year * 12 + day.month - 1 + months
    year, month = total // 12, total % 12 + 1
    last = calendar.monthrange(year, month)[1]
    assert got == dt.date(year, month, min(day.day, last))


@given(DATES, DATES, st.integers(min_value=-50, max_value=50))
def test_shift_keeps_the_order_of_dates(a, b, years):
    a, b = min(a, b), max(a, b)
    assert shift_years(a, years) <= shift_years(b, years)


@given(DATES, st.integers(min_value=1, max_value=60))
def test_a_whole_year_count_flips_exactly_on_the_anniversary(start, n):
    if (start.month, start.day) == (2, 29):
        return  # 29 February: see the hand-worked cases above
    anniversary = dt.date(start.year + n, start.month, start.day)
    assert whole_years(start, anniversary) == n
    assert whole_years(start, anniversary - dt.timedelta(days=1)) == n - 1
    assert shift_years(start, n) == anniversary


@pytest.mark.xfail(
    strict=True,
    reason="issue 14 item 1: one calendar arithmetic (shift_years puts the anniversary of "
    "29 February on 28 February, whole_years on 1 March)",
)
def test_a_29_february_anniversary_is_the_same_day_for_spans_and_ages():
    start = dt.date(2024, 2, 29)
    assert whole_years(start, shift_years(start, 1)) == 1


# -- per-person codes and records ------------------------------------------------


def test_codes_of_education_rank_sanction_and_training(tmp_path):
    a = person(1, pendidikan="S1", golongan="I/a", pelatihan="PKP:2015|PKA:2019")
    b = person(
        2, pendidikan="D4", golongan="IV/e", pelatihan="", hukuman_tingkat="sedang",
        hukuman_tmt="2024-01-01", hukuman_selesai="2025-01-01",
    )  # fmt: skip
    c = person(3, pendidikan="S3", golongan="III/d")
    (p, _) = derive(tmp_path, [a, b, c])
    assert p.pendidikan.tolist() == [6, 6, 8]  # S1 = D4 = 6, S3 = 8
    assert p.golongan.tolist() == [0, 16, 11]  # I/a, IV/e, III/d on the 17-step scale
    assert p.hukuman.tolist() == [-1, 1, -1]  # none, sedang (ringan 0, sedang 1, berat 2)
    assert p.hukuman_selesai[1] == np.datetime64("2025-01-01")
    assert np.isnat(p.hukuman_selesai[0])
    assert p.training_year("PKA")[0] == 2019 and np.isnan(p.training_year("PKA")[1:]).all()
    assert p.training_year("PKP")[0] == 2015
    assert np.isnan(p.training_year("PKN II")).all()
    # A golongan of code 0 (I/a) is a golongan, not a missing one.
    assert p.record(0)["golongan"] == "I/a"
    assert p.record(1) == {
        "nip": b["nip"],
        "nama": "Contoh Pegawai 2",
        "jenis_jabatan": "Pengawas",
        "golongan": "IV/e",
        "usia": p.usia[1],
    }


def test_an_empty_history_file_is_no_history(tmp_path):
    """A riwayat file with a header and no rows loads (it raised TypeError before the
    table loader was split, issue 19) and counts as no history."""
    a = person(1, jenis_jabatan="Pengawas", tmt_jabatan="2025-07-01")
    (p, _) = derive(tmp_path, [a], history=[])
    assert not p.experience_from_history
    assert p.experience["Pengawas"][0] == pytest.approx(365 / 365.25)
