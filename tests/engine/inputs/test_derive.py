"""Derived facts worked out by hand: spans, experience, SKP windows, BUP, calendar shifts.

Every expected number below is counted on a calendar in the comment beside
it, never taken from the code under test. Spans are complete calendar months
(a month complete on its monthly anniversary; an anniversary the month lacks
falls on the first of the next month), shown as months / 12; age is whole
years by birthday; experience summed over post-history rows is in days.
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
from engine.inputs.derive import (
    derive_people,
    derive_posts,
    months_between,
    shift_years,
    whole_years,
)
from engine.inputs.settings import load_bup, load_taxonomy

DAY = dt.date(2026, 7, 1)
TAXONOMY = load_taxonomy(ROOT / "rules/taksonomi.yaml")
BUP = load_bup(ROOT / "rules/bup.yaml")
HISTORY_HEADER = ["nip", "jenis_jabatan", "nama_jabatan", "unit", "tmt_mulai", "tmt_selesai"]
SANCTION_HEADER = ["nip", "hukuman_tingkat", "hukuman_tmt", "hukuman_selesai", "dibatalkan"]


def derive(
    tmp_path: Path,
    people: list[dict[str, str]],
    posts: list[dict[str, str]] | None = None,
    history: list[dict[str, str]] | None = None,
    day: dt.date = DAY,
    sanctions: list[dict[str, str]] | None = None,
    **options,
):
    header = PEGAWAI_HEADER + sorted({k for p in people for k in p} - set(PEGAWAI_HEADER))
    write_csv(tmp_path / "pegawai.csv", header, people)
    write_csv(tmp_path / "jabatan.csv", JABATAN_HEADER, posts or [post("KABID")])
    riwayat = None
    if history is not None:
        extra = sorted({k for row in history for k in row} - set(HISTORY_HEADER))
        riwayat = write_csv(tmp_path / "riwayat.csv", HISTORY_HEADER + extra, history)
    hukuman = None
    if sanctions is not None:
        hukuman = write_csv(tmp_path / "hukuman.csv", SANCTION_HEADER, sanctions)
    tables = load_tables(
        tmp_path / "pegawai.csv", tmp_path / "jabatan.csv", riwayat, hukuman=hukuman
    )
    people_ = derive_people(tables, day, TAXONOMY, BUP, **options)
    index = {n: i for i, n in enumerate(people_.nip)}
    posts_ = derive_posts(tables, index, TAXONOMY, options.get("equivalences"))
    return people_, posts_


# -- spans in complete calendar months -------------------------------------------


def test_spans_count_complete_calendar_months(tmp_path):
    (p, _) = derive(
        tmp_path,
        [person(1, tmt_cpns="2006-07-01", tmt_golongan="2022-04-01", tmt_jabatan="2024-07-02")],
    )
    # 2006-07-01 -> 2026-07-01: the 20th anniversary is the date itself: 240 months.
    assert p.masa_kerja[0] == 20.0
    # 2022-04-01 -> 2026-07-01: 4 years (48 months) + April, May, June = 51 months.
    assert p.masa_golongan[0] == 51 / 12
    # 2024-07-02 -> 2026-07-01: the 24th month is complete only on 2026-07-02: 23 months.
    assert p.masa_jabatan[0] == 23 / 12


def test_spans_from_a_month_end_complete_on_the_first_of_the_next_month(tmp_path):
    day = dt.date(2025, 3, 1)
    a = person(1, tanggal_lahir="1968-02-29", tmt_cpns="1995-01-31", tmt_golongan="2025-01-31")
    (p, _) = derive(tmp_path, [a], day=day)
    # Born 1968-02-29: 2025 has no 29 February, so the 57th birthday is 2025-03-01.
    assert p.usia[0] == 57
    # 2025-01-31 -> 2025-03-01: February has no 31st, so the first month is complete on
    # 2025-03-01 and the second only on 2025-03-31: one month.
    assert p.masa_golongan[0] == 1 / 12
    # 1995-01-31 -> 2025-03-01: 30 years on 2025-01-31, one more month on 2025-03-01.
    assert p.masa_kerja[0] == 361 / 12
    (q, _) = derive(tmp_path, [a], day=dt.date(2025, 2, 28))
    assert q.usia[0] == 56  # the day before: still 56
    assert q.masa_golongan[0] == 0.0


def test_years_until_bup_are_counted_from_the_first_of_the_next_month(tmp_path):
    (p, _) = derive(tmp_path, [person(1, tanggal_lahir="1970-05-10")])
    # A Pengawas retires at 58 (rules/bup.yaml): 58th birthday 2028-05-10, so BUP is
    # 2028-06-01 (first-of-next-month). 2026-07-01 -> 2028-06-01: 23 complete months.
    assert p.bup[0] == np.datetime64("2028-06-01")
    assert p.sisa_bup[0] == 23 / 12


def test_age_on_the_birthday_is_the_new_age(tmp_path):
    (p, _) = derive(tmp_path, [person(1, tanggal_lahir="1969-07-01", tmt_cpns="1995-03-01")])
    # Born 1969-07-01: the 57th birthday is the scenario date itself.
    assert p.usia[0] == 57


def test_age_the_day_before_the_birthday_is_the_old_age(tmp_path):
    (p, _) = derive(tmp_path, [person(1, tanggal_lahir="1969-07-02", tmt_cpns="1995-03-01")])
    # Born 1969-07-02: 57 only tomorrow.
    assert p.usia[0] == 56


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
    # Only the current post is on record: the years at the other levels are unknown.
    assert p.experience_known.tolist() == [False, False]


def test_a_person_without_a_history_row_has_unknown_experience_even_when_others_have_one(
    tmp_path,
):
    a = person(1, jenis_jabatan="Pengawas", tmt_jabatan="2023-07-01")
    b = person(2, jenis_jabatan="Administrator", tmt_jabatan="2020-01-02")
    history = [
        {"nip": a["nip"], "jenis_jabatan": "Pengawas", "tmt_mulai": "2023-07-01",
         "tmt_selesai": ""},
    ]  # fmt: skip
    (p, _) = derive(tmp_path, [a, b], history=history)
    assert p.experience_known.tolist() == [True, False]
    # b: the current post only, 2020-01-02 -> 2026-07-01 = 6 x 365 + 2 (2020, 2024) - 1 + 181
    # (2026-01-01 -> 2026-07-01) = 2372 days; the Pengawas years are not zero but unknown.
    assert p.experience["Administrator"][1] == pytest.approx(2372 / 365.25)


def test_a_post_taken_up_after_the_date_gives_no_experience(tmp_path):
    (p, _) = derive(tmp_path, [person(1, jenis_jabatan="Pengawas", tmt_jabatan="2026-09-01")])
    assert p.experience["Pengawas"][0] == 0.0


# -- SKP windows ------------------------------------------------------------------


def test_skp_years_are_the_years_before_the_scenario_year_most_recent_first(tmp_path):
    a = person(1, skp_2023="Baik", skp_2024="Sangat Kurang", skp_2025="", skp_2026="Sangat Baik")
    (p, _) = derive(tmp_path, [a])
    # 2026 is the scenario's own year: its SKP is partial and is not read. The matrix holds
    # the five years 2025 back to 2021, whether or not the table has their columns.
    assert p.skp_years == [2025, 2024, 2023, 2022, 2021]
    sangat_kurang, baik = (scales.SKP_PREDIKAT.index(x) for x in ("Sangat Kurang", "Baik"))
    # 2025 missing (-1); Sangat Kurang is a predikat (code 0), not a missing year.
    assert p.skp[0].tolist() == [-1, sangat_kurang, baik, -1, -1] == [-1, 0, 3, -1, -1]


def test_old_skp_years_never_stand_in_for_the_years_before_the_date(tmp_path):
    a = person(1, skp_2017="Baik", skp_2018="Baik", skp_2019="Baik", skp_2024="", skp_2025="")
    (p, _) = derive(tmp_path, [a], day=dt.date(2027, 1, 4))
    assert p.skp_years == [2026, 2025, 2024, 2023, 2022]
    assert p.skp[0].tolist() == [-1] * 5


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
        # Forward, a span from 29 February is complete in a common year on 1 March.
        (dt.date(2024, 2, 29), 1, dt.date(2025, 3, 1)),
        # Backward, the latest start: a year before 2024-02-29 is 2023-02-28 (clamped).
        (dt.date(2024, 2, 29), -1, dt.date(2023, 2, 28)),
        (dt.date(2024, 2, 29), 4, dt.date(2028, 2, 29)),
        # The 29th-31st moved forward by months keep their day where the month has it,
        # else the span is complete on the first of the next month.
        (dt.date(2023, 1, 31), 1 / 12, dt.date(2023, 3, 1)),
        (dt.date(2024, 1, 31), 1 / 12, dt.date(2024, 3, 1)),
        (dt.date(2024, 1, 30), 1 / 12, dt.date(2024, 3, 1)),
        (dt.date(2024, 1, 29), 1 / 12, dt.date(2024, 2, 29)),
        (dt.date(2023, 1, 29), 1 / 12, dt.date(2023, 3, 1)),
        (dt.date(2024, 3, 31), -1 / 12, dt.date(2024, 2, 29)),
        (dt.date(2025, 5, 31), 0.5, dt.date(2025, 12, 1)),
        (dt.date(2025, 8, 31), 1 / 12, dt.date(2025, 10, 1)),
        (dt.date(2025, 7, 31), 1 / 12, dt.date(2025, 8, 31)),
        # Across the turn of a year, both ways.
        (dt.date(2025, 12, 31), 2 / 12, dt.date(2026, 3, 1)),
        (dt.date(2026, 3, 31), -2 / 12, dt.date(2026, 1, 31)),
        (dt.date(2026, 3, 1), -1 / 12, dt.date(2026, 2, 1)),
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
def test_shift_by_months_lands_on_the_month_or_the_first_of_the_next(day, months):
    got = shift_years(day, months / 12)
    # Oracle: count months on the calendar; a day the month lacks is clamped to the
    # month's last day going back, and rolls to the first of the next month going forward.
    total = day.year * 12 + day.month - 1 + months
    year, month = total // 12, total % 12 + 1
    last = calendar.monthrange(year, month)[1]
    if day.day <= last:
        assert got == dt.date(year, month, day.day)
    elif months < 0:
        assert got == dt.date(year, month, last)
    else:
        assert got == dt.date(year, month, last) + dt.timedelta(days=1)


def _months_oracle(start: dt.date, day: dt.date) -> int:
    """Complete months by stepping one anniversary at a time (slow, independent)."""
    n = 0
    while True:
        total = start.year * 12 + start.month - 1 + n + 1
        year, month = total // 12, total % 12 + 1
        last = calendar.monthrange(year, month)[1]
        due = (
            dt.date(year, month, start.day)
            if start.day <= last
            else dt.date(year, month, last) + dt.timedelta(days=1)
        )
        if due > day:
            return n
        n += 1


SHORT = st.dates(min_value=dt.date(2019, 1, 1), max_value=dt.date(2029, 12, 31))


@given(SHORT, SHORT)
def test_months_between_counts_anniversaries_like_stepping_the_calendar(start, day):
    if start > day:
        start, day = day, start
    got = months_between(np.array([start], dtype="datetime64[D]"), day)[0]
    assert got == _months_oracle(start, day)
    assert whole_years(start, day) == _months_oracle(start, day) // 12


@given(DATES, DATES, st.integers(min_value=0, max_value=720))
def test_one_arithmetic_for_spans_look_backs_and_counterfactual_dates(start, day, months):
    # A span of n months is complete by day exactly when the start is on or before the
    # look-back's cut-off, and exactly when its counterfactual date is on or before day.
    have = months_between(np.array([start], dtype="datetime64[D]"), day)[0] >= months
    assert have == (start <= shift_years(day, -months / 12))
    assert have == (shift_years(start, months / 12) <= day)


@given(DATES, DATES, st.integers(min_value=-50, max_value=50))
def test_shift_keeps_the_order_of_dates(a, b, years):
    a, b = min(a, b), max(a, b)
    assert shift_years(a, years) <= shift_years(b, years)


@given(DATES, st.integers(min_value=1, max_value=60))
def test_a_whole_year_count_flips_exactly_on_the_anniversary(start, n):
    year = start.year + n
    if (start.month, start.day) == (2, 29) and not calendar.isleap(year):
        anniversary = dt.date(year, 3, 1)  # no 29 February that year: 1 March
    else:
        anniversary = dt.date(year, start.month, start.day)
    assert whole_years(start, anniversary) == n
    assert whole_years(start, anniversary - dt.timedelta(days=1)) == n - 1
    assert shift_years(start, n) == anniversary


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
    assert p.sanctions.person.tolist() == [1]
    assert p.sanctions.selesai[0] == np.datetime64("2025-01-01")
    assert p.pendidikan_label.tolist() == ["S1", "D4", "S3"]  # the own level, not the rank
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


# -- the sanction history ---------------------------------------------------------


def test_the_sanction_history_keeps_every_sanction_and_drops_annulled_and_future_ones(tmp_path):
    a = person(1, hukuman_tingkat="berat", hukuman_tmt="2012-03-01", hukuman_selesai="2015-03-01")
    b = person(2)
    rows = [
        # a: the single-column form's sanction again: counted once
        {"nip": a["nip"], "hukuman_tingkat": "berat", "hukuman_tmt": "2012-03-01",
         "hukuman_selesai": "2015-03-01"},
        # a: a recent moderate one beside the old heavy one
        {"nip": a["nip"], "hukuman_tingkat": "sedang", "hukuman_tmt": "2025-01-06",
         "hukuman_selesai": "2026-01-06"},
        # a: annulled: never counted
        {"nip": a["nip"], "hukuman_tingkat": "berat", "hukuman_tmt": "2024-05-01",
         "hukuman_selesai": "2025-05-01", "dibatalkan": "ya"},
        # b: imposed after the date 2026-07-01: not on record at the date
        {"nip": b["nip"], "hukuman_tingkat": "sedang", "hukuman_tmt": "2026-09-01",
         "hukuman_selesai": "2027-09-01"},
    ]  # fmt: skip
    (p, _) = derive(tmp_path, [a, b], sanctions=rows)
    s = p.sanctions
    assert s.person.tolist() == [0, 0]
    assert [scales.HUKUMAN_TINGKAT[c] for c in s.level[s.of(0)]] == ["berat", "sedang"]
    assert s.tmt[s.of(0)].tolist() == [dt.date(2012, 3, 1), dt.date(2025, 1, 6)]
    assert p.hukuman.tolist() == [2, -1]  # the most severe on record at the date
    # On 2027-01-04 b's sanction has been imposed.
    (q, _) = derive(tmp_path, [a, b], sanctions=rows, day=dt.date(2027, 1, 4))
    assert q.hukuman.tolist() == [2, 1]


def test_a_sanction_imposed_on_the_date_is_on_record_and_a_light_one_counts(tmp_path):
    # a: ringan (code 0, the lightest level) imposed on the scenario date itself, in the
    # pegawai table's columns; b: ringan in the sanction table, also on the date.
    a = person(1, hukuman_tingkat="ringan", hukuman_tmt="2026-07-01", hukuman_selesai="2026-10-01")
    b = person(2)
    rows = [
        {"nip": b["nip"], "hukuman_tingkat": "ringan", "hukuman_tmt": "2026-07-01",
         "hukuman_selesai": "2026-10-01"},
    ]  # fmt: skip
    (p, _) = derive(tmp_path, [a, b], sanctions=rows)
    assert scales.HUKUMAN_TINGKAT.index("ringan") == 0
    assert p.sanctions.person.tolist() == [0, 1]
    assert p.sanctions.level.tolist() == [0, 0]
    assert p.hukuman.tolist() == [0, 0]
    # The day before, neither has been imposed yet.
    (q, _) = derive(tmp_path, [a, b], sanctions=rows, day=dt.date(2026, 6, 30))
    assert len(q.sanctions.person) == 0
    assert q.hukuman.tolist() == [-1, -1]


def test_the_sanction_and_field_histories_are_read_only(tmp_path):
    import dataclasses

    a = person(1, hukuman_tingkat="sedang", hukuman_tmt="2024-01-01", hukuman_selesai="2025-01-01")
    (p, _) = derive(tmp_path, [a])
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.sanctions.level = np.zeros(1, dtype=np.int8)
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.field_history.field = np.zeros(1, dtype=np.int32)


# -- the field history ------------------------------------------------------------


def test_the_field_history_by_hand(tmp_path):
    """Each post held up to the date with its field: the row's own bidang, else the
    bidang of the post its jabatan_id names, else unknown (-1); a person without a
    history row has their current post alone, from its TMT, in the field of the post
    they hold."""
    a = person(1)  # holds SEKSI; a history of five rows
    b = person(2, jenis_jabatan="Fungsional Ahli Muda", tmt_jabatan="2026-07-01")
    c = person(3, jenis_jabatan="JPT Pratama", tmt_jabatan="2020-01-02")  # holds KADIS
    d = person(4, jenis_jabatan="Fungsional Ahli Muda", tmt_jabatan="2026-07-01")  # no post
    e = person(5, jenis_jabatan="Fungsional Ahli Muda", tmt_jabatan="2026-09-01")
    posts = [
        post("KADIS", eselon="II.b", jenis_jabatan="JPT Pratama", bidang="Ilmu Pemerintahan",
             nip_pemangku=c["nip"]),
        post("KABID", atasan_id="KADIS", bidang="Teknik Sipil"),
        post("SEKSI", eselon="IV.a", jenis_jabatan="Pengawas", atasan_id="KABID",
             bidang="Perencanaan Wilayah", nip_pemangku=a["nip"]),
    ]  # fmt: skip

    def row(who, start, end, jabatan_id="", bidang=""):
        return {"nip": who["nip"], "jenis_jabatan": who["jenis_jabatan"], "tmt_mulai": start,
                "tmt_selesai": end, "jabatan_id": jabatan_id, "bidang": bidang}  # fmt: skip

    history = [
        row(a, "2000-03-01", "2005-01-01", jabatan_id="LAMA"),  # a post no longer in the table
        row(a, "2005-01-01", "2010-01-01"),  # neither column
        # Its own bidang, Ilmu Pemerintahan (field 0), wins over KABID's Teknik Sipil.
        row(a, "2010-01-01", "2015-01-01", jabatan_id="KABID", bidang="Ilmu Pemerintahan"),
        row(a, "2015-01-01", "", jabatan_id="SEKSI"),  # open: to the date, SEKSI's field
        row(a, "2026-09-01", "", bidang="Teknik Sipil"),  # begins after the date: not held yet
        row(b, "2026-01-01", "2027-01-01", bidang="Hukum"),  # ends after the date: cut at it
        row(b, "2026-07-01", "", bidang="Teknik Sipil"),  # begins on the date: held, 0 days
    ]
    (p, _) = derive(tmp_path, [a, b, c, d, e], posts=posts, history=history)
    code = TAXONOMY.field_code
    assert code("Ilmu Pemerintahan") == 0  # the taxonomy's first field
    pw, hukum, sipil = code("Perencanaan Wilayah"), code("Hukum"), code("Teknik Sipil")
    assert min(pw, hukum, sipil) > 0
    h = p.field_history
    # The kept history rows in file order, then the people without a row: c (from the
    # TMT of KADIS, field 0) and d (taking up a post on the date, no structural post:
    # unknown field); e takes up the post only after the date.
    assert h.person.tolist() == [0, 0, 0, 0, 1, 1, 2, 3]
    assert h.field.tolist() == [-1, -1, 0, pw, hukum, sipil, 0, -1]
    dates = ["2000-03-01", "2005-01-01", "2010-01-01", "2015-01-01", "2026-01-01",
             "2026-07-01", "2020-01-02", "2026-07-01"]  # fmt: skip
    assert h.start.tolist() == [dt.date.fromisoformat(x) for x in dates]
    ends = ["2005-01-01", "2010-01-01", "2015-01-01"] + ["2026-07-01"] * 5
    assert h.end.tolist() == [dt.date.fromisoformat(x) for x in ends]
    assert h.complete.tolist() == [True, True, False, False, False]


# -- the ranks and the promotion schedule a round gives ---------------------------


def test_the_equivalences_and_the_rank_progression_given_are_the_ones_used(tmp_path):
    from dataclasses import replace

    from engine.inputs.equivalence import bundled_equivalences
    from engine.inputs.progression import bundled_rank_progression

    bundled = bundled_equivalences()
    # Every level rank ten higher, S1 and D4 rank 0: visibly not the bundled file's.
    ranks = replace(
        bundled,
        jenjang={j: r + 10 for j, r in bundled.jenjang.items()},
        pendidikan={**bundled.pendidikan, "S1": 0, "D4": 0},
    )
    progression = replace(bundled_rank_progression(), period_years=5)
    a = person(1, pendidikan="S1")
    posts = [post("KABID"), post("SEKSI", eselon="IV.a", jenis_jabatan="Pengawas")]
    (p, q) = derive(tmp_path, [a], posts=posts, equivalences=ranks, progression=progression)
    assert q.level.tolist() == [13, 12]  # Administrator 3 + 10, Pengawas 2 + 10
    assert p.level.tolist() == [12]
    assert p.pendidikan.tolist() == [0]
    assert p.equivalences is ranks
    assert p.rank_progression is progression and p.rank_progression.period_years == 5


# -- one person's record and spans with a date missing ----------------------------


def test_a_record_shows_a_missing_golongan_as_none(tmp_path):
    from dataclasses import replace

    (p, _) = derive(tmp_path, [person(1, golongan="III/a")])
    assert p.record(0)["golongan"] == "III/a"
    # golongan -1 is "missing" in People (a required column, so derive never gives it).
    q = replace(p, golongan=np.array([-1], dtype=np.int16))
    assert q.record(0)["golongan"] is None


NAT = np.datetime64("NaT", "D")


@given(
    st.lists(st.one_of(st.none(), SHORT), min_size=1, max_size=6),
    st.lists(st.one_of(st.none(), SHORT), min_size=1, max_size=6),
)
def test_a_span_with_either_date_missing_is_nan_and_the_others_are_counted(starts, ends):
    k = min(len(starts), len(ends))
    starts, ends = starts[:k], ends[:k]
    got = months_between(
        np.array([NAT if s is None else s for s in starts], dtype="datetime64[D]"),
        np.array([NAT if e is None else e for e in ends], dtype="datetime64[D]"),
    )
    for s, e, g in zip(starts, ends, got, strict=True):
        if s is None or e is None:
            assert np.isnan(g)
        elif s <= e:
            assert g == _months_oracle(s, e)
        else:
            assert g < 0  # a start after the day: negative


def test_sanction_dates_without_a_level_are_no_sanction(tmp_path):
    # The loader wants a level's dates, not a date's level: dates alone record nothing.
    a = person(1, hukuman_tmt="2024-01-01", hukuman_selesai="2025-01-01")
    (p, _) = derive(tmp_path, [a])
    assert len(p.sanctions.person) == 0
    assert p.hukuman.tolist() == [-1]
