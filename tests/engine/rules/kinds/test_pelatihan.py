"""pelatihan: the trainings on record and the timing, explained; the obligation's due date."""

import datetime as dt

import pytest
from factories import person

from engine.rules.kind import FAIL, PASS
from engine.rules.requirements import CATALOGUE, Requirement


def test_trainings_and_timing_are_explained_in_each_language(judge):
    people = [person(1), person(2, pelatihan="")]  # person 1 has PKP of 2015
    got = judge({"pelatihan": {"any_of": ["PKA", "PKP"]}}, people)
    assert got.verdicts == [PASS, FAIL]
    assert got.id[0] == "pelatihan PKP 2015; syarat PKA / PKP sebelum pengangkatan"
    assert got.en[1] == "training -; required PKA / PKP before appointment"
    assert (got.cf[1].id, got.cf[1].en) == ("perlu pelatihan PKA / PKP", "needs training PKA / PKP")
    within = judge({"pelatihan": {"any_of": ["PKA"], "timing": "within", "months": 6}}, people)
    assert within.verdicts == [PASS, PASS]  # due after appointment: never excludes
    assert within.id[1] == "pelatihan -; syarat PKA paling lambat 6 bulan setelah pengangkatan"
    assert within.en[0] == "training PKP 2015; required PKA within 6 months after appointment"


def test_an_obligation_is_due_the_given_months_after_appointment(judge):
    people = judge({"pelatihan": {"any_of": ["PKP"]}}, [person(1), person(2, pelatihan="")]).people
    kind = CATALOGUE["pelatihan"]()
    appointed = dt.date(2027, 1, 4)
    for months, due in (
        (6, dt.date(2027, 7, 4)),
        (12, dt.date(2028, 1, 4)),
        (18, dt.date(2028, 7, 4)),
    ):
        spec = {"pelatihan": {"any_of": ["PKP"], "timing": "within", "months": months}}
        p = Requirement.model_validate(spec).params
        assert kind.obligation(p, people, 0, appointed) is None  # PKP on record
        owed = kind.obligation(p, people, 1, appointed)
        assert owed is not None and owed.due == due and owed.training == ("PKP",)
    before = Requirement.model_validate({"pelatihan": {"any_of": ["PKP"]}}).params
    assert kind.obligation(before, people, 1, appointed) is None  # "before": no obligation


def test_a_training_name_is_text_without_the_column_separators():
    """The pelatihan column writes trainings as ``NAME:YEAR|NAME:YEAR``, so a name is
    neither blank nor holds ``:`` or ``|``; each way to break it is refused alone."""
    for bad in ("", "  ", "PKA:2020", "PKA|PKP"):
        with pytest.raises(ValueError, match="is not a training name"):
            Requirement.model_validate({"pelatihan": {"any_of": ["PKP", bad]}})
    ok = Requirement.model_validate({"pelatihan": {"any_of": ["PKN II", "PKA"]}})
    assert ok.params.any_of == ["PKN II", "PKA"]
