"""golongan: I/a (code 0) is the lowest rank, not a missing one, in the counterfactual too."""

from dataclasses import replace

import numpy as np
from factories import person

from engine.rules.kind import FAIL
from engine.rules.requirements import CATALOGUE, Requirement


def test_a_person_at_i_a_is_told_the_steps_to_the_minimum_not_that_golongan_is_missing(judge):
    people = judge({"penilaian": {}}, [person(1)]).people
    lowest = replace(people, golongan=np.array([0]))  # I/a, one step below I/b
    kind = CATALOGUE["golongan"]()
    p = Requirement.model_validate({"golongan": {"min": "I/b"}}).params
    assert kind.evaluate(p, lowest, None).tolist() == [FAIL]
    cf = kind.counterfactual(p, lowest, 0, None)
    assert cf.id.startswith("perlu golongan I/b (1 tingkat lagi")
    assert cf.en.startswith("needs golongan I/b (1 more step(s)")
