"""usia: the range is explained as written; a minimum not yet reached has a date."""

import datetime as dt

from factories import person

from engine.rules.kind import FAIL, PASS


def test_an_age_range_is_explained_and_dated(judge):
    people = [
        person(1),  # born 1975-05-10: 51 on 2026-07-01
        person(2, tanggal_lahir="1986-07-02", tmt_cpns="2010-03-01"),  # 39, 40 tomorrow
        person(3, tanggal_lahir="1969-07-01"),  # 57 today
    ]
    got = judge({"usia": {"min": 40, "max": 56}}, people)
    assert got.verdicts == [PASS, FAIL, FAIL]
    assert got.id[0] == "usia 51 tahun; syarat ≥ 40 – ≤ 56"
    assert got.en[1] == "age 39; required ≥ 40 – ≤ 56"
    assert got.cf[1].from_date == dt.date(2026, 7, 2)
    assert got.cf[1].id == "memenuhi syarat mulai 2026-07-02"
    assert got.cf[2].from_date is None
    assert got.cf[2].id == "melewati batas usia 56 tahun; tidak dapat dipenuhi"
    assert got.cf[2].en == "past the age limit of 56; cannot be met"
    only_max = judge({"usia": {"max": 56}}, people)
    assert only_max.verdicts == [PASS, PASS, FAIL]
    assert only_max.id[2] == "usia 57 tahun; syarat ≤ 56"
    only_min = judge({"usia": {"min": 40}}, people)
    assert only_min.verdicts == [PASS, FAIL, PASS]
    assert only_min.en[1] == "age 39; required ≥ 40"
    assert only_min.cf[1].from_date == dt.date(2026, 7, 2)
