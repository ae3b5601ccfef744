"""jpm and kompetensi (a value per person against a minimum): the texts in each language."""

from factories import person

from engine.rules.kind import FAIL, PASS, UNKNOWN


def test_a_jpm_is_explained_with_its_minimum_in_each_language(judge):
    got = judge({"jpm": {"min": 68}}, [person(1), person(2, jpm=""), person(3, jpm="67.5")])
    assert got.verdicts == [PASS, UNKNOWN, FAIL]
    assert got.id[0] == "JPM 75; syarat paling rendah 68"
    assert got.en[0] == "JPM 75; required at least 68"
    assert got.en[1] == "JPM -; required at least 68"
    assert got.id[2] == "JPM 67.5; syarat paling rendah 68"
    assert (got.cf[2].id, got.cf[2].en) == (
        "perlu JPM paling rendah 68",
        "needs JPM of at least 68",
    )
    assert got.cf[2].from_date is None


def test_a_competency_level_is_explained_with_its_minimum_in_each_language(judge):
    got = judge({"kompetensi": {"min": 4}}, [person(1), person(2, kompetensi="4")])
    assert got.verdicts == [FAIL, PASS]
    assert got.id[0] == "level kompetensi manajerial 3; syarat paling rendah 4"
    assert got.en[0] == "managerial competency level 3; required at least 4"
    assert got.cf[0].en == "needs managerial competency level of at least 4"
