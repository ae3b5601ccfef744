"""unit_kerja: the same-unit rule as an equality (join keys), with a unit nobody works in."""

from dataclasses import replace
from types import SimpleNamespace

import numpy as np
from factories import person

from engine.eligibility.verdicts import UnknownPolicy
from engine.rules.kind import FAIL, PASS, UNKNOWN
from engine.rules.requirements import CATALOGUE, Requirement


def test_a_post_of_a_unit_nobody_works_in_matches_nobody_not_the_unitless(judge):
    """Units by hand: people work in Inspektorat, in no unit on record, in Dinas
    Kesehatan; the posts are in Dinas Kesehatan, in Bappeda (where nobody works) and
    in Inspektorat. The person keys number the units in order of first appearance
    (Inspektorat 0, Dinas Kesehatan 1) and are -1 for no unit; a post's key is its
    unit's number, or -2 (matches nobody) for Bappeda."""
    people = judge({"penilaian": {}}, [person(1), person(2), person(3)]).people
    people = replace(people, unit=np.array(["Inspektorat", None, "Dinas Kesehatan"], dtype=object))
    posts = SimpleNamespace(
        unit=np.array(["Dinas Kesehatan", "Bappeda", "Inspektorat"], dtype=object)
    )
    kind = CATALOGUE["unit_kerja"]()
    p = Requirement.model_validate({"unit_kerja": {"same_as_post": True}}).params
    person_key, post_key = kind.join_keys(p, people, posts)
    assert person_key.tolist() == [0, -1, 1]
    assert post_key.tolist() == [1, -2, 0]
    # The verdicts the keys stand for, post by post, as the evaluator gives them.
    for j, expected in enumerate(
        ([FAIL, UNKNOWN, PASS], [FAIL, UNKNOWN, FAIL], [PASS, UNKNOWN, FAIL])
    ):
        assert kind.evaluate(p, people, SimpleNamespace(unit=posts.unit[j])).tolist() == expected
    # Where UNKNOWN counts as a fail, the person without a unit fails at Bappeda too.
    strict = UnknownPolicy(fails=True)
    assert strict.unequal(person_key, np.full(3, post_key[1])).tolist() == [True, True, True]
