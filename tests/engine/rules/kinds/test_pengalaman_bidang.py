"""The kind pengalaman_bidang (issue 14 item 7): merged spans in complete months, the
explanation and the counterfactual date, worked out by hand. All data is synthetic."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest
from factories import JABATAN_HEADER, PEGAWAI_HEADER, ROOT, person, post, write_csv
from hypothesis import given
from hypothesis import strategies as st

from engine.eligibility.candidates import post_view
from engine.inputs.data import load_tables
from engine.inputs.derive import derive_people, derive_posts
from engine.inputs.settings import load_bup, load_taxonomy
from engine.rules.kinds.pengalaman_bidang import union_months
from engine.rules.requirements import CATALOGUE, FAIL, PASS, UNKNOWN, Requirement

DAY = dt.date(2026, 7, 1)
TAXONOMY = load_taxonomy(ROOT / "rules/taksonomi.yaml")
RIWAYAT_HEADER = ["nip", "jenis_jabatan", "tmt_mulai", "tmt_selesai", "jabatan_id", "bidang"]


def _months(start: dt.date, end: dt.date) -> int:
    """Complete calendar months, counted the slow way: step one anniversary at a time."""
    n = 0
    while True:
        total = start.year * 12 + start.month - 1 + n + 1
        year, month = divmod(total, 12)
        try:
            anniversary = dt.date(year, month + 1, start.day)
        except ValueError:  # the month lacks the day: the first of the next month
            anniversary = dt.date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1)
        if anniversary > end:
            return n
        n += 1


def _oracle(spans: list[tuple[dt.date, dt.date]]) -> int:
    merged: list[list[dt.date]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return sum(_months(s, e) for s, e in merged)


DATES = st.dates(dt.date(1985, 1, 1), dt.date(2026, 7, 1))


@given(st.lists(st.tuples(DATES, DATES), min_size=1, max_size=6))
def test_union_months_counts_every_month_once(pairs) -> None:
    spans = [(min(a, b), max(a, b)) for a, b in pairs]
    start = np.array([s for s, _ in spans], dtype="datetime64[D]")
    end = np.array([e for _, e in spans], dtype="datetime64[D]")
    person_ = np.zeros(len(spans), dtype=np.int64)
    assert union_months(person_, start, end, 1)[0] == _oracle(spans)


def test_union_months_keeps_people_apart() -> None:
    # Person 0: 2020-01-15 to 2021-01-15 (12 months); person 1: 2021-01-15 to 2021-03-14 (1).
    start = np.array(["2021-01-15", "2020-01-15"], dtype="datetime64[D]")
    end = np.array(["2021-03-14", "2021-01-15"], dtype="datetime64[D]")
    got = union_months(np.array([1, 0]), start, end, 3)
    assert got.tolist() == [12, 1, 0]


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    tmp: Path = tmp_path_factory.mktemp("bidang")
    people = [person(1), person(2), person(3)]
    write_csv(tmp / "p.csv", PEGAWAI_HEADER, people)
    write_csv(tmp / "j.csv", JABATAN_HEADER, [post("KADIS", bidang="Teknik Sipil")])
    nips = [p["nip"] for p in people]
    rows = [
        # 0: Teknik Sipil since 2022-03-31 (51 months on 2026-07-01), before it Akuntansi.
        {
            "nip": nips[0],
            "jenis_jabatan": "Pengawas",
            "tmt_mulai": "2015-01-05",
            "tmt_selesai": "2022-03-31",
            "bidang": "Akuntansi",
        },
        {
            "nip": nips[0],
            "jenis_jabatan": "Administrator",
            "tmt_mulai": "2022-03-31",
            "bidang": "Teknik Sipil",
        },
        # 1: three years of Perencanaan Wilayah (same rumpun) ending 2024-01-02, then a post
        #    of unknown field: 36 months known, up to 65 with the unknown one.
        {
            "nip": nips[1],
            "jenis_jabatan": "Pengawas",
            "tmt_mulai": "2021-01-02",
            "tmt_selesai": "2024-01-02",
            "bidang": "Perencanaan Wilayah",
        },
        {"nip": nips[1], "jenis_jabatan": "Administrator", "tmt_mulai": "2024-01-02"},
    ]
    write_csv(tmp / "r.csv", RIWAYAT_HEADER, rows)
    tables = load_tables(tmp / "p.csv", tmp / "j.csv", tmp / "r.csv", fields=TAXONOMY.fields)
    derived = derive_people(tables, DAY, TAXONOMY, load_bup(ROOT / "rules/bup.yaml"))
    posts = derive_posts(tables, {n: i for i, n in enumerate(derived.nip)}, TAXONOMY)
    return derived, post_view(posts, 0)


def test_verdicts_explanations_and_counterfactuals(world) -> None:
    people, view = world
    req = Requirement.model_validate({"pengalaman_bidang": {"min_years": 5}})
    kind = CATALOGUE["pengalaman_bidang"](TAXONOMY)
    assert kind.evaluate(req.params, people, view).tolist() == [FAIL, UNKNOWN, UNKNOWN]
    # 51 complete months = 4.2 years (2022-03-31 + 51 months is 2026-06-30 <= 2026-07-01).
    assert kind.explain(req.params, people, 0, view, "en") == (
        "experience in fields related to Teknik Sipil (at least 'family'): 4.2 years; "
        "required at least 5 years"
    )
    # Nine months more in the current post: 2022-03-31 + 60 months = 2027-03-31.
    cf = kind.counterfactual(req.params, people, 0, view)
    assert cf.from_date == dt.date(2027, 3, 31)
    # Person 1: 36 months known; the post of unknown field runs 2024-01-02 to 2026-07-01,
    # 29 complete months (the 30th is complete on 2026-07-02): together 65 of the 60 needed.
    assert kind.explain(req.params, people, 1, view, "id") == (
        "pengalaman dalam bidang terkait Teknik Sipil (paling lemah 'family'): 3.0 tahun; "
        "2.4 tahun lagi di jabatan yang bidangnya tidak diketahui; syarat paling sedikit 5 tahun"
    )
    # Person 2 has no history row and holds no post: nothing known.
    assert "no post history" in kind.explain(req.params, people, 2, view, "en")
    exact = Requirement.model_validate({"pengalaman_bidang": {"min_years": 3, "min": "exact"}})
    assert kind.evaluate(exact.params, people, view).tolist()[:2] == [PASS, FAIL]


def test_union_months_keeps_a_person_apart_from_one_who_ends_later() -> None:
    """Person 0's span ends last of all; the others' spans must not reach into it.

    Person 0: 2020-01-01 to 2026-01-01, 72 months. Person 1: a post held for no
    time on 2020-01-01, then 2020-01-02 to 2020-02-01: the two do not touch, and
    the second lacks a day of its month (0 months). Person 2: 2021-01-01 to
    2021-06-01 (5 months) and 2022-01-01 to 2022-03-01 (2): 7.
    """
    start = ["2020-01-01", "2020-01-01", "2020-01-02", "2021-01-01", "2022-01-01"]
    end = ["2026-01-01", "2020-01-01", "2020-02-01", "2021-06-01", "2022-03-01"]
    got = union_months(
        np.array([0, 1, 1, 2, 2]),
        np.array(start, dtype="datetime64[D]"),
        np.array(end, dtype="datetime64[D]"),
        4,
    )
    assert got.tolist() == [72, 0, 7, 0]


def _row(nip: str, start: str, end: str = "", bidang: str = "") -> dict[str, str]:
    kind = "Pengawas" if end else "Administrator"
    return {"nip": nip, "jenis_jabatan": kind, "tmt_mulai": start, "tmt_selesai": end,
            "bidang": bidang}  # fmt: skip


def test_ten_years_in_related_posts_counted_explained_and_dated(judge) -> None:
    """An Administrasi Publik post asking ten years (120 months) of related posts, on 2026-07-01.

    0: Hukum 2010-03-01 to 2012-04-01 (25 months), Teknik Sipil until 2020-02-10,
       then Administrasi Publik to 2023-05-20 and Hukum since, back to back: one
       span of 76 months (2020-02-10 + 76 months = 2026-06-10). 101 in all, 19
       short; the span goes on, so 120 are reached 95 months after 2020-02-10:
       2028-01-10.
    1: Administrasi Publik 2018-01-05 to 2022-02-03, then Ilmu Pemerintahan (the
       first field of the taxonomy, same rumpun) since: one span of 101 months
       (counted apart, the two rows would be 48 and 52); 120 are reached 120
       months after 2018-01-05: 2028-01-05.
    2: Hukum 2015-01-05 to 2019-08-05 (55 months), Teknik Sipil since: 65 months
       short, 5.4 years, which time alone does not bring.
    3: no history row: the current post since 2016-07-01, of unknown field,
       could make the 120 months; UNKNOWN.
    4: a history whose only row begins after the date (2026-09-01): no post on
       record up to the date, so nothing to count from: FAIL, and what is
       needed is a history of the posts held.
    """
    people = [
        person(k, jenis_jabatan="Administrator", tmt_jabatan=tmt)
        for k, tmt in (
            (1, "2023-05-20"),
            (2, "2022-02-03"),
            (3, "2019-08-05"),
            (4, "2016-07-01"),
            (5, "2026-09-01"),
        )
    ]
    nip = [p["nip"] for p in people]
    history = [
        _row(nip[0], "2010-03-01", "2012-04-01", "Hukum"),
        _row(nip[0], "2012-04-01", "2020-02-10", "Teknik Sipil"),
        _row(nip[0], "2020-02-10", "2023-05-20", "Administrasi Publik"),
        _row(nip[0], "2023-05-20", bidang="Hukum"),
        _row(nip[1], "2018-01-05", "2022-02-03", "Administrasi Publik"),
        _row(nip[1], "2022-02-03", bidang="Ilmu Pemerintahan"),
        _row(nip[2], "2015-01-05", "2019-08-05", "Hukum"),
        _row(nip[2], "2019-08-05", bidang="Teknik Sipil"),
        _row(nip[4], "2026-09-01", bidang="Administrasi Publik"),
    ]
    got = judge(
        {"pengalaman_bidang": {"min_years": 10}},
        people,
        post=post("CONTOH", bidang="Administrasi Publik"),
        history=history,
    )
    assert got.verdicts == [FAIL, FAIL, FAIL, UNKNOWN, FAIL]
    head = "pengalaman dalam bidang terkait Administrasi Publik (paling lemah 'family'): "
    tail = "; syarat paling sedikit 10 tahun"
    assert got.id[0] == head + "8.4 tahun" + tail  # 101 / 12 = 8.42
    assert got.id[2] == head + "4.6 tahun" + tail  # 55 / 12 = 4.58
    assert (
        got.id[3]
        == head
        + (
            "0.0 tahun; 10.0 tahun lagi di jabatan yang bidangnya tidak diketahui "
            "(tanpa riwayat jabatan: hanya jabatan sekarang tercatat)"
        )
        + tail
    )
    assert got.en[1] == (
        "experience in fields related to Administrasi Publik (at least 'family'): 8.4 years; "
        "required at least 10 years"
    )
    assert got.en[3] == (
        "experience in fields related to Administrasi Publik (at least 'family'): 0.0 years; "
        "10.0 more years in posts of unknown field (no post history: only the current post "
        "is on record); required at least 10 years"
    )
    assert [cf.from_date for cf in got.cf] == [
        dt.date(2028, 1, 10),
        dt.date(2028, 1, 5),
        None,
        None,
        None,
    ]
    assert got.cf[0].id == "memenuhi syarat mulai 2028-01-10"
    assert got.cf[1].en == "eligible from 2028-01-05"
    assert (
        got.cf[2].id == "perlu 5.4 tahun lagi di jabatan dalam bidang terkait Administrasi Publik"
    )
    assert got.cf[2].en == "needs 5.4 more years in posts of fields related to Administrasi Publik"
    # Person 3's only entry is of unknown field: none of it counts yet.
    assert got.cf[3].en == (
        "needs 10.0 more years in posts of fields related to Administrasi Publik"
    )
    assert got.cf[4].en == (
        "needs a post history giving each post's field (related to Administrasi Publik)"
    )


def test_the_first_field_of_the_taxonomy_on_either_side(judge) -> None:
    """Ilmu Pemerintahan is field 0 of the taxonomy; by hand, on 2026-07-01:

    For an Ilmu Pemerintahan post with ``min: exact`` (five years): person 0 has
    Ilmu Pemerintahan 2019-03-01 to 2021-03-01 (24 months, exact) and Hukum since
    (same rumpun, not exact): 36 months short (3.0 years). Person 1 has only
    Administrasi Publik since 2016-07-01: not exact, nothing counts.
    For a Teknik Sipil post (``min: family``): Ilmu Pemerintahan 2016-07-01 to
    2023-07-01 is unrelated, and only Teknik Sipil since (36 months) counts: FAIL,
    not UNKNOWN (the unrelated field is known).
    """
    people = [
        person(1, jenis_jabatan="Administrator", tmt_jabatan="2021-03-01"),
        person(2, jenis_jabatan="Administrator", tmt_jabatan="2016-07-01"),
    ]
    nip = [p["nip"] for p in people]
    history = [
        _row(nip[0], "2019-03-01", "2021-03-01", "Ilmu Pemerintahan"),
        _row(nip[0], "2021-03-01", bidang="Hukum"),
        _row(nip[1], "2016-07-01", bidang="Administrasi Publik"),
    ]
    exact = {"pengalaman_bidang": {"min_years": 5, "min": "exact"}}
    got = judge(exact, people, post=post("CONTOH", bidang="Ilmu Pemerintahan"), history=history)
    assert got.verdicts == [FAIL, FAIL]
    assert got.en[0] == (
        "experience in fields related to Ilmu Pemerintahan (at least 'exact'): 2.0 years; "
        "required at least 5 years"
    )
    assert got.cf[0].en == "needs 3.0 more years in posts of fields related to Ilmu Pemerintahan"
    assert got.en[1].startswith("experience in fields related to Ilmu Pemerintahan (at least "
                                "'exact'): 0.0 years; required")  # fmt: skip
    history = [
        _row(nip[0], "2016-07-01", "2023-07-01", "Ilmu Pemerintahan"),
        _row(nip[0], "2023-07-01", bidang="Teknik Sipil"),
    ]
    got = judge({"pengalaman_bidang": {"min_years": 5}}, people[:1], history=history)
    assert got.verdicts == [FAIL]
    assert got.en[0] == (
        "experience in fields related to Teknik Sipil (at least 'family'): 3.0 years; "
        "required at least 5 years"
    )
