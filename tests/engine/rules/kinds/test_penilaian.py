"""penilaian: an assessment on record, explained with what is there."""

from factories import person

from engine.rules.kind import FAIL, PASS


def test_the_assessments_on_record_are_explained_in_each_language(judge):
    people = [
        person(1),  # JPM 75, competency level 3
        person(2, jpm=""),
        person(3, kompetensi=""),
        person(4, jpm="", kompetensi=""),
    ]
    got = judge({"penilaian": {}}, people)
    assert got.verdicts == [PASS, PASS, PASS, FAIL]
    assert got.id[0] == "JPM 75, level kompetensi 3"
    assert got.en[1] == "JPM -, competency level 3"
    assert got.id[2] == "JPM 75, level kompetensi -"
    assert got.id[3] == "tidak ada hasil penilaian (JPM maupun level kompetensi kosong)"
    assert got.en[3] == "no assessment on record (neither JPM nor competency level)"
    assert got.cf[3].en == "needs an assessment JPM or a managerial competency level"
