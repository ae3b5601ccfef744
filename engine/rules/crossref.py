"""Where rules meet data: names in rule selectors must exist in the tables.

A rule file is written once and used with many tables. A selector that
names a unit (OPD) or a post the jabatan table does not have selects
nothing, silently: after a reorganisation renames "Dinas PUPR", its
field-of-study rule would stop applying and nobody would notice. Such names
are therefore errors, reported when a scenario brings rules and tables
together (:func:`engine.plan.pipeline.load_context`), with the rule's ``file:line``
and the nearest name the table does have.

Only rules in force at the scenario's date are checked: an expired rule may
name a unit that no longer exists.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from engine.errors import Problem, allowed_list, did_you_mean, message

if TYPE_CHECKING:
    from engine.inputs.data import Tables
    from engine.inputs.scenario import LoadedScenario
    from engine.rules.ruleset import RuleSet

__all__ = ["unknown_selector_names"]

# Selector key -> the jabatan column it names values of.
_NAMED = (("unit", "unit"), ("jabatan_id", "jabatan_id"))


def unknown_selector_names(
    loaded: LoadedScenario, ruleset: RuleSet | None, tables: Tables | None
) -> list[Problem]:
    """Problems for every unit or post id a rule in force names that the jabatan table lacks.

    Parameters
    ----------
    loaded:
        The scenario (for its date and the jabatan file's name).
    ruleset, tables:
        What was loaded; ``None`` when loading failed (then there is nothing
        to compare and the loading problems are reported instead).

    Examples
    --------
    A rule ``applies_to: {unit: Dinas PUPR}`` against a table whose units
    are "Dinas Pekerjaan Umum dan Penataan Ruang" and others gives
    ``rules/keilmuan.yaml:7: 'pupr.keilmuan.applies_to.unit': unit 'Dinas
    PUPR' is not in the jabatan table (data/jabatan.csv); allowed: ...``.
    """
    if ruleset is None or tables is None:
        return []
    day: dt.date = loaded.scenario.date
    table_name = loaded.display(loaded.scenario.data.jabatan)
    known = {
        column: sorted({str(v) for v in tables.jabatan[column].dropna()}) for _, column in _NAMED
    }
    problems: list[Problem] = []
    for r in ruleset.in_force(day):
        for key, column in _NAMED:
            names = getattr(r.rule.applies_to, key) or []
            have = set(known[column])
            for name in names:
                if name in have:
                    continue
                key_of = "unit_not_in_jabatan" if key == "unit" else "post_not_in_jabatan"
                problems.append(
                    Problem(
                        r.file,
                        message(key_of, name=name, table=table_name),
                        line=r.line,
                        column=f"{r.rule.id}.applies_to.{key}",
                        allowed=allowed_list(known[column], 8),
                        hint=did_you_mean(name, known[column])
                        or message("rule_names_unit_of_data"),
                    )
                )
    return problems
