"""Obligations: what an appointee must still do after appointment, rule by rule.

Takes the rules that apply to a post on a date (:meth:`RuleSet.applicable`),
the people and one placement; gives each rule's
:class:`~engine.rules.kind.Obligation` for that person (a training due within
a year of appointment the person has not done). The plan's placements, the
reports, the workbook, ``explain`` and the app read them through this one
function.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np

from engine.inputs.derive import People
from engine.inputs.settings import Taxonomy
from engine.rules.kind import Obligation
from engine.rules.registry import CATALOGUE
from engine.rules.ruleset import LoadedRule

__all__ = ["obligations_of"]


def obligations_of(
    applicable: Sequence[tuple[LoadedRule, np.ndarray]],
    people: People,
    i: int,
    j: int,
    appointed: dt.date,
    taxonomy: Taxonomy | None = None,
) -> list[tuple[str, Obligation]]:
    """(rule id, obligation) of person ``i`` appointed to post ``j`` on ``appointed``, by rule id.

    Only the hard rules that apply to the post bind the appointee; a soft
    rule only prices a preference.
    """
    found = []
    for loaded, mask in applicable:
        rule = loaded.rule
        if not rule.hard or not mask[j]:
            continue
        due = CATALOGUE[rule.kind](taxonomy).obligation(rule.params, people, i, appointed)
        if due is not None:
            found.append((rule.id, due))
    return sorted(found, key=lambda pair: pair[0])
