"""The kind ``pengalaman``: years held at given levels, together.

Reads the person's years per jenis jabatan (summed from the post history
when the person has a history row, else the current post; derived in
:func:`engine.inputs.derive.derive_people`), whether those years are known,
the current jenis jabatan (experience accrues at it with time) and level.

Without a history row only the current post is on record: years enough at
it pass, and otherwise the years at the other levels are UNKNOWN, never
zero. A rule may state that holding a post at the post's level or higher
meets it (``held_level_satisfies``), as a rule text that counts "sedang atau
pernah menduduki jabatan ... setingkat" does for an incumbent of that level.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

import numpy as np
from pydantic import Field

from engine.inputs.derive import DAYS_PER_YEAR, People, shift_years
from engine.inputs.schema import Strict
from engine.rules.kind import (
    FAIL,
    PASS,
    UNKNOWN,
    Counterfactual,
    JenisJabatan,
    Kind,
    TimeBehaviour,
    fmt_years,
)

__all__ = ["PengalamanKind", "PengalamanParams"]


class PengalamanParams(Strict):
    levels: list[JenisJabatan] = Field(min_length=1, description="jenis jabatan whose years count")
    min_years: float = Field(
        ge=0, le=60, description="least number of years at those levels, together"
    )
    held_level_satisfies: bool = Field(
        default=False,
        description="a person whose current post is at the post's level or higher meets it",
    )


class PengalamanKind(Kind):
    name = "pengalaman"
    Params = PengalamanParams
    facts = ("experience", "experience_known", "jenis_jabatan", "level")
    post_keys = ("level",)
    summary_id = (
        "Pengalaman pada jenjang tertentu (dijumlah dari riwayat jabatan; tanpa riwayat "
        "hanya jabatan sekarang yang diketahui, jenjang lain UNKNOWN)."
    )
    summary_en = (
        "Experience at given levels (summed from the post history; without a history "
        "row only the current post is known and the other levels are UNKNOWN)."
    )
    example: ClassVar[dict[str, object]] = {
        "levels": ["Pengawas", "Fungsional Ahli Muda"],
        "min_years": 3,
        "held_level_satisfies": True,
    }

    def years(self, p, people: People) -> np.ndarray:
        return sum((people.experience[level] for level in p.levels), np.zeros(people.n))

    @staticmethod
    def needed_days(p, people: People) -> int:
        """Days in the ``min_years`` calendar years that end at the scenario date."""
        return (people.date - shift_years(people.date, -p.min_years)).days

    def reads(self, p):
        return self.post_keys if p.held_level_satisfies else ()

    def evaluate(self, p, people, post):
        have_days = np.round(self.years(p, people) * DAYS_PER_YEAR)
        ok = have_days >= self.needed_days(p, people)
        out = np.where(ok, PASS, np.where(people.experience_known, FAIL, UNKNOWN)).astype(np.int8)
        if p.held_level_satisfies:
            out[people.level >= post.level] = PASS
        return out

    def explain(self, p, people, i, post, lang):
        have = fmt_years(self.years(p, people)[i])
        levels = ", ".join(p.levels)
        known = bool(people.experience_known[i])
        if lang == "id":
            note = "" if known else " (tanpa riwayat jabatan: hanya jabatan sekarang tercatat)"
            return (
                f"pengalaman sebagai {levels}: {have} tahun{note}; "
                f"syarat paling sedikit {p.min_years:g} tahun"
            )
        note = "" if known else " (no post history: only the current post is on record)"
        return (
            f"experience as {levels}: {have} years{note}; required at least {p.min_years:g} years"
        )

    def counterfactual(self, p, people, i, post):
        short_days = self.needed_days(p, people) - round(self.years(p, people)[i] * DAYS_PER_YEAR)
        short = short_days / DAYS_PER_YEAR
        if people.jenis_jabatan[i] in p.levels:
            when = people.date + dt.timedelta(days=int(short_days))
            return Counterfactual(f"memenuhi syarat mulai {when}", f"eligible from {when}", when)
        if not people.experience_known[i]:
            return Counterfactual(
                f"perlu riwayat jabatan yang menunjukkan pengalaman sebagai {', '.join(p.levels)}",
                f"needs a post history showing experience as {', '.join(p.levels)}",
            )
        return Counterfactual(
            f"perlu {short:.1f} tahun lagi sebagai {', '.join(p.levels)}",
            f"needs {short:.1f} more years as {', '.join(p.levels)}",
        )

    def time_behaviour(self, p, rank_progression=False):
        # Experience accrues at the current level and is never lost.
        return TimeBehaviour.IMPROVES
