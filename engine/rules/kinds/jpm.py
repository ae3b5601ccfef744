"""The kind ``jpm``: lowest assessment job-person match %.

Reads the person's JPM (NaN missing).
"""

from __future__ import annotations

from typing import ClassVar

from engine.rules.kind import TimeBehaviour
from engine.rules.kinds._value import ScoreParams, ValueKind

__all__ = ["JpmKind"]


class JpmKind(ValueKind):
    name = "jpm"
    Params = ScoreParams
    attr, label_id, label_en = "jpm", "JPM", "JPM"
    facts = (attr,)
    summary_id = "Hasil asesmen job-person match (%) paling rendah (MS ≥ 80, MMS 68–79)."
    summary_en = "Lowest assessment job-person match % (MS ≥ 80, MMS 68–79)."
    example: ClassVar[dict[str, object]] = {"min": 68}

    def time_behaviour(self, p, rank_progression=False):
        return TimeBehaviour.CONSTANT
