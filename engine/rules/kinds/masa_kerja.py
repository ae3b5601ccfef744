"""The kind ``masa_kerja``: years of service since TMT CPNS, at least.

Reads the person's years of service and TMT CPNS (the span's start).
"""

from __future__ import annotations

from typing import ClassVar

from engine.rules.kinds._span import SpanKind, YearsParams

__all__ = ["MasaKerjaKind"]


class MasaKerjaKind(SpanKind):
    name = "masa_kerja"
    Params = YearsParams
    attr, start_attr = "masa_kerja", "tmt_cpns"
    facts = (attr, start_attr)
    label_id, label_en = "masa kerja", "years of service"
    summary_id = "Masa kerja sejak TMT CPNS, paling sedikit sekian tahun."
    summary_en = "Years of service since TMT CPNS, at least."
    example: ClassVar[dict[str, object]] = {"min_years": 10}
