"""hukuman_disiplin: the sanctions on record, explained; the date the last one stops counting."""

import datetime as dt

from factories import person

from engine.rules.kind import FAIL, PASS

RULE = {"hukuman_disiplin": {"levels": ["sedang", "berat"], "lookback_years": 5}}


def test_sanctions_are_listed_and_the_latest_end_dates_the_counterfactual(judge):
    people = [person(1), person(2), person(3), person(4)]
    nip = [p["nip"] for p in people]
    sanctions = [
        # person 2: two sanctions that count, ended 2023-01-01 and 2024-06-01 (after
        # 2021-07-01, five years before the date); the later end plus five years.
        {"nip": nip[1], "hukuman_tingkat": "sedang", "hukuman_tmt": "2022-01-01",
         "hukuman_selesai": "2023-01-01"},
        {"nip": nip[1], "hukuman_tingkat": "berat", "hukuman_tmt": "2023-06-01",
         "hukuman_selesai": "2024-06-01"},
        # person 3: a berat sanction with no end on record: still running.
        {"nip": nip[2], "hukuman_tingkat": "berat", "hukuman_tmt": "2025-03-01"},
        # person 4: a ringan sanction, a level the rule does not list.
        {"nip": nip[3], "hukuman_tingkat": "ringan", "hukuman_tmt": "2025-03-01",
         "hukuman_selesai": "2025-09-01"},
    ]  # fmt: skip
    got = judge(RULE, people, sanctions=sanctions)
    assert got.verdicts == [PASS, FAIL, FAIL, PASS]
    assert got.id[0] == "tidak ada hukuman disiplin tercatat"
    assert got.en[0] == "no disciplinary sanction on record"
    assert got.id[1] == (
        "hukuman disiplin sedang 2022-01-01 s.d. 2023-01-01; berat 2023-06-01 s.d. 2024-06-01; "
        "dilarang: sedang, berat dalam 5 tahun terakhir"
    )
    assert got.en[2] == (
        "disciplinary sanctions berat 2025-03-01 to -; excluded: sedang, berat "
        "within the last 5 years"
    )
    assert got.cf[1].from_date == dt.date(2029, 6, 1)
    assert got.cf[1].en == "eligible from 2029-06-01"
    assert got.cf[2].from_date is None
    assert got.cf[2].id == "tidak dapat dipenuhi (hukuman tercatat)"
    ever = judge({"hukuman_disiplin": {"levels": ["berat"]}}, people, sanctions=sanctions)
    assert ever.verdicts == [PASS, FAIL, FAIL, PASS]
    assert ever.id[3] == "hukuman disiplin ringan 2025-03-01 s.d. 2025-09-01; dilarang: berat"
    assert ever.en[3] == "disciplinary sanctions ringan 2025-03-01 to 2025-09-01; excluded: berat"
    assert ever.cf[1].from_date is None  # without a look-back a sanction counts for ever
