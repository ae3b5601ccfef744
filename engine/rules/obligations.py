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
from engine.inputs.schema import Strict
from engine.inputs.settings import Taxonomy
from engine.rules.kind import Kind, Obligation
from engine.rules.registry import CATALOGUE
from engine.rules.ruleset import LoadedRule

__all__ = ["binding_rules", "obligations_among", "obligations_of"]


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
    return obligations_among(binding_rules(applicable, j, taxonomy), people, i, appointed)


def binding_rules(
    applicable: Sequence[tuple[LoadedRule, np.ndarray]], j: int, taxonomy: Taxonomy | None = None
) -> list[tuple[str, Kind, Strict]]:
    """(rule id, kind, parameters) of the hard rules that apply to post ``j``, by rule id.

    Made once for a post whose many candidates are asked about
    (:func:`obligations_among`); a rule's kind and parameters are looked up
    once, not once per person.
    """
    found = [
        (loaded.rule.id, CATALOGUE[loaded.rule.kind](taxonomy), loaded.rule.params)
        for loaded, mask in applicable
        if loaded.rule.hard and mask[j]
    ]
    return sorted(found, key=lambda rule: rule[0])


def obligations_among(
    binding: Sequence[tuple[str, Kind, Strict]], people: People, i: int, appointed: dt.date
) -> list[tuple[str, Obligation]]:
    """(rule id, obligation) of person ``i`` appointed on ``appointed`` under ``binding`` (:func:`binding_rules`)."""
    found = []
    for rid, kind, params in binding:
        due = kind.obligation(params, people, i, appointed)
        if due is not None:
            found.append((rid, due))
    return found
