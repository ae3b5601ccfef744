"""The kind ``masa_jabatan``: years in the current post, at least (optionally only for a step up).

Reads the person's years in post, TMT jabatan (the span's start) and the
level of the current post, and the post's level.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from engine.rules.kind import PASS
from engine.rules.kinds._span import SpanKind, YearsParams

__all__ = ["MasaJabatanKind", "MasaJabatanParams"]


class MasaJabatanParams(YearsParams):
    only_promotion: bool = Field(
        default=True,
        description="apply only when the post is a step up from the person's current level",
    )


class MasaJabatanKind(SpanKind):
    name = "masa_jabatan"
    Params = MasaJabatanParams
    attr, start_attr = "masa_jabatan", "tmt_jabatan"
    facts = (attr, start_attr, "level")
    post_keys = ("level",)
    label_id, label_en = "masa jabatan", "years in post"
    summary_id = (
        "Lama menduduki jabatan sekarang, paling sedikit sekian tahun (bisa hanya untuk promosi)."
    )
    summary_en = "Years in the current post, at least (optionally only for a step up)."
    example: ClassVar[dict[str, object]] = {"min_years": 2, "only_promotion": True}

    def evaluate(self, p, people, post):
        out = super().evaluate(p, people, post)
        if p.only_promotion:
            out[people.level >= post.level] = PASS
        return out
