"""kotak_talenta: box 1 is a box like any other; an unnamed regime is not shown."""

from dataclasses import replace

import numpy as np
import pytest
from factories import person

from engine.rules.kind import FAIL, PASS, UNKNOWN
from engine.rules.requirements import CATALOGUE, Requirement


def test_box_1_is_the_lowest_box_not_a_missing_one(judge):
    people = judge({"penilaian": {}}, [person(1), person(2), person(3)]).people
    # Boxes as talent_box gives them: 1-9, 0 where a person cannot be placed.
    boxed = replace(people, talent_box=np.array([1, 0, 2], dtype=np.int8), talent_regime=None)
    kind = CATALOGUE["kotak_talenta"]()
    p = Requirement.model_validate({"kotak_talenta": {"any_of": [1]}}).params
    assert kind.evaluate(p, boxed, None).tolist() == [PASS, UNKNOWN, FAIL]
    assert kind.explain(p, boxed, 0, None, "id") == "kotak talenta 1; syarat kotak 1"
    assert kind.explain(p, boxed, 2, None, "en") == "talent box 2; required box 1"
    assert kind.counterfactual(p, boxed, 2, None).id == (
        "perlu masuk kotak talenta 1 (sekarang kotak 2): kinerja atau potensial lebih tinggi"
    )
    assert kind.explain(p, boxed, 1, None, "en").startswith("talent box unknown")
    assert kind.counterfactual(p, boxed, 1, None).en.startswith("needs SKP and potential data")


def test_boxes_are_numbered_one_to_nine_and_each_bound_is_a_box():
    # One step either side of each bound: 0 and 10 are not boxes, 1 and 9 are.
    for outside in (0, 10):
        with pytest.raises(ValueError, match="numbered 1 to 9"):
            Requirement.model_validate({"kotak_talenta": {"any_of": [outside]}})
    assert Requirement.model_validate({"kotak_talenta": {"any_of": [1, 9]}}).params.any_of == [
        1,
        9,
    ]


def test_box_1_failing_the_talent_pool_is_told_which_boxes_would_do(judge):
    people = judge({"penilaian": {}}, [person(1)]).people
    boxed = replace(people, talent_box=np.array([1], dtype=np.int8), talent_regime=None)
    kind = CATALOGUE["kotak_talenta"]()
    p = Requirement.model_validate({"kotak_talenta": {"any_of": [7, 8, 9]}}).params
    assert kind.evaluate(p, boxed, None).tolist() == [FAIL]
    assert kind.explain(p, boxed, 0, None, "id") == "kotak talenta 1; syarat kotak 7, 8 atau 9"
    cf = kind.counterfactual(p, boxed, 0, None)
    assert cf.en == "needs talent box 7, 8 or 9 (now box 1): higher kinerja or potensial"
