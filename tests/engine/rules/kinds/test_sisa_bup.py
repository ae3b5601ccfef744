"""sisa_bup: years left before BUP, explained with the BUP date."""

from factories import person

from engine.rules.kind import FAIL, PASS


def test_years_left_are_explained_with_the_bup_date(judge):
    # A Pelaksana retires at 58 on the first of the month after the birthday
    # (rules/bup.yaml): born 1970-06-15, BUP 2028-07-01, 24 months after 2026-07-01.
    got = judge(
        {"sisa_bup": {"min": 2.5}},
        [person(1, jenis_jabatan="Pelaksana", tanggal_lahir="1970-06-15")],
    )
    assert got.verdicts == [FAIL]
    assert got.id[0] == (
        "sisa masa kerja sebelum BUP (2028-07-01) 2.0 tahun; syarat paling sedikit 2.5 tahun"
    )
    assert got.en[0] == "years left before BUP (2028-07-01): 2.0; required at least 2.5"
    assert got.cf[0].id == (
        "BUP 2028-07-01: sisa masa kerja kurang dari 2.5 tahun; tidak dapat dipenuhi"
    )
    assert got.cf[0].from_date is None
    assert judge(
        {"sisa_bup": {"min": 2}}, [person(1, jenis_jabatan="Pelaksana", tanggal_lahir="1970-06-15")]
    ).verdicts == [PASS]
