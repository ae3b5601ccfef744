"""The kind ``masa_golongan``: years in the current golongan, at least.

Reads the person's years in golongan and TMT golongan (the span's start).
"""

from __future__ import annotations

from typing import ClassVar

from engine.rules.kind import TimeBehaviour
from engine.rules.kinds._span import SpanKind, YearsParams

__all__ = ["MasaGolonganKind"]


class MasaGolonganKind(SpanKind):
    name = "masa_golongan"
    Params = YearsParams
    attr, start_attr = "masa_golongan", "tmt_golongan"
    facts = (attr, start_attr)
    label_id, label_en = "masa kerja dalam golongan", "years in golongan"
    summary_id = "Masa kerja dalam golongan sekarang, paling sedikit sekian tahun."
    summary_en = "Years in the current golongan, at least."
    example: ClassVar[dict[str, object]] = {"min_years": 2}

    def time_behaviour(self, p, rank_progression=False):
        # Years in grade start again at every regular promotion: under a
        # rank-progression schedule time both builds them up and resets them.
        return TimeBehaviour.MIXED if rank_progression else TimeBehaviour.IMPROVES
