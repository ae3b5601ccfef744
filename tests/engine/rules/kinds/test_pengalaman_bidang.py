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
