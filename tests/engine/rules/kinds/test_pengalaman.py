"""pengalaman: the years at the levels named, explained; what would meet them, by case."""

import datetime as dt

from factories import person

from engine.rules.kind import FAIL, UNKNOWN

RULE = {"pengalaman": {"levels": ["Pengawas"], "min_years": 3}}


def test_experience_is_explained_and_the_way_to_meet_it_depends_on_the_current_post(judge):
    people = [
        person(1, jenis_jabatan="Pengawas", tmt_jabatan="2023-07-02"),
        person(2, jenis_jabatan="Fungsional Ahli Pertama", tmt_jabatan="2021-07-01"),
        person(3, jenis_jabatan="Pelaksana"),  # no history row: only the current post known
    ]
    nip = [p["nip"] for p in people]
    history = [
        {"nip": nip[0], "jenis_jabatan": "Pelaksana", "tmt_mulai": "2006-07-01",
         "tmt_selesai": "2023-07-02"},
        {"nip": nip[0], "jenis_jabatan": "Pengawas", "tmt_mulai": "2023-07-02"},
        {"nip": nip[1], "jenis_jabatan": "Pengawas", "tmt_mulai": "2019-07-01",
         "tmt_selesai": "2021-07-01"},
        {"nip": nip[1], "jenis_jabatan": "Fungsional Ahli Pertama", "tmt_mulai": "2021-07-01"},
    ]  # fmt: skip
    got = judge(RULE, people, history=history)
    # Three years before 2026-07-01 are 1096 days (2024-02-29 among them).
    # Person 1: Pengawas 2023-07-02 -> 2026-07-01, 1095 days: one day short, and
    # still a Pengawas, so time alone meets it on 2026-07-02.
    assert got.verdicts == [FAIL, FAIL, UNKNOWN]
    assert got.id[0] == "pengalaman sebagai Pengawas: 3.0 tahun; syarat paling sedikit 3 tahun"
    assert got.cf[0].from_date == dt.date(2026, 7, 2)
    assert got.cf[0].id == "memenuhi syarat mulai 2026-07-02"
    # Person 2: Pengawas 2019-07-01 -> 2021-07-01, 731 days, and a Fungsional now:
    # 365 days (1.0 year) more as a Pengawas, which time alone does not bring.
    assert got.en[1] == "experience as Pengawas: 2.0 years; required at least 3 years"
    assert got.cf[1].from_date is None
    assert got.cf[1].id == "perlu 1.0 tahun lagi sebagai Pengawas"
    assert got.cf[1].en == "needs 1.0 more years as Pengawas"
    # Person 3: years as a Pengawas unknown without a post history.
    assert got.en[2] == (
        "experience as Pengawas: 0.0 years (no post history: only the current post is on "
        "record); required at least 3 years"
    )
    assert got.cf[2].from_date is None
    assert got.cf[2].id == "perlu riwayat jabatan yang menunjukkan pengalaman sebagai Pengawas"
