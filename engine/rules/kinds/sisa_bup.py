"""The kind ``sisa_bup``: years left before the retirement age (BUP), at least.

Reads the person's years left before BUP and the BUP date (from the BUP
table of the scenario, derived in :func:`engine.inputs.derive.derive_people`).
"""

from __future__ import annotations

from typing import ClassVar

from engine.rules.kind import Counterfactual, TimeBehaviour, as_date, fmt_years
from engine.rules.kinds._value import ScoreParams, ValueKind

__all__ = ["SisaBupKind"]


class SisaBupKind(ValueKind):
    name = "sisa_bup"
    Params = ScoreParams
    attr, label_id, label_en = (
        "sisa_bup",
        "sisa masa kerja sebelum BUP (tahun)",
        "years left before BUP",
    )
    facts = (attr, "bup")
    summary_id = "Sisa tahun sebelum batas usia pensiun, paling sedikit."
    summary_en = "Years left before the retirement age (BUP), at least."
    example: ClassVar[dict[str, object]] = {"min": 2}

    def explain(self, p, people, i, post, lang):
        left, bup = fmt_years(people.sisa_bup[i]), as_date(people.bup[i]) or "-"
        if lang == "id":
            return f"sisa masa kerja sebelum BUP ({bup}) {left} tahun; syarat paling sedikit {p.min:g} tahun"
        return f"years left before BUP ({bup}): {left}; required at least {p.min:g}"

    def counterfactual(self, p, people, i, post):
        return Counterfactual(
            f"BUP {as_date(people.bup[i])}: sisa masa kerja kurang dari {p.min:g} tahun; tidak dapat dipenuhi",
            f"BUP {as_date(people.bup[i])}: fewer than {p.min:g} years left; cannot be met",
        )

    def time_behaviour(self, p, rank_progression=False):
        return TimeBehaviour.WORSENS
