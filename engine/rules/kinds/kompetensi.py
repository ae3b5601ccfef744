"""The kind ``kompetensi``: lowest managerial competency level (1-5, PermenPANRB 38/2017).

Reads the person's competency level (NaN missing).
"""

from __future__ import annotations

from typing import ClassVar

from engine.rules.kind import TimeBehaviour
from engine.rules.kinds._value import ScoreParams, ValueKind

__all__ = ["KompetensiKind"]


class KompetensiKind(ValueKind):
    name = "kompetensi"
    Params = ScoreParams
    attr, label_id, label_en = (
        "kompetensi",
        "level kompetensi manajerial",
        "managerial competency level",
    )
    facts = (attr,)
    summary_id = "Level kompetensi manajerial paling rendah (1–5, PermenPANRB 38/2017)."
    summary_en = "Lowest managerial competency level (1–5, PermenPANRB 38/2017)."
    example: ClassVar[dict[str, object]] = {"min": 3}

    def time_behaviour(self, p, rank_progression=False):
        return TimeBehaviour.CONSTANT
