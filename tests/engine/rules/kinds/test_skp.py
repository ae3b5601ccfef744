"""skp: the years of the look-back, the lowest predikat, in each language."""

from factories import person

from engine.rules.kind import FAIL, PASS, UNKNOWN


def test_the_look_back_is_explained_year_by_year_in_each_language(judge):
    people = [
        person(1),  # Baik in 2024 and 2025
        person(2, skp_2025="Sangat Kurang"),  # the lowest predikat: known, and below
        person(3, skp_2024=""),
    ]
    one = judge({"skp": {"min": "Baik", "years": 1}}, people)
    assert one.verdicts == [PASS, FAIL, PASS]  # one year: 2025 only
    assert one.id[0] == "SKP 2025: Baik; syarat paling rendah Baik pada tahun 2025"
    assert one.en[1] == "SKP 2025: Sangat Kurang; required at least Baik in 2025"
    assert one.cf[1].id == "perlu predikat SKP paling rendah Baik pada tahun 2025"
    two = judge({"skp": {"min": "Butuh Perbaikan", "years": 2}}, people)
    assert two.verdicts == [PASS, FAIL, UNKNOWN]
    assert two.en[2] == "SKP 2025: Baik, 2024: -; required at least Butuh Perbaikan in 2024-2025"
    assert two.cf[2].en == "needs SKP predikat Butuh Perbaikan or better in 2024-2025"
    # The lowest predikat is a predikat on record: it meets a minimum of Sangat Kurang.
    lowest = judge({"skp": {"min": "Sangat Kurang", "years": 1}}, people)
    assert lowest.verdicts == [PASS, PASS, PASS]
