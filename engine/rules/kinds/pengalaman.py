"""The kind ``pengalaman``: years held at given levels, together.

Reads the person's years per jenis jabatan (summed from the post history
when the data has one, else the current post; derived in
:func:`engine.inputs.derive.derive_people`) and the current jenis jabatan
(experience accrues at it with time).
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

import numpy as np
from pydantic import Field

from engine.inputs.derive import DAYS_PER_YEAR, People, shift_years
from engine.inputs.schema import Strict
from engine.rules.kind import Counterfactual, JenisJabatan, Kind, TimeBehaviour, fmt_years, tri

__all__ = ["PengalamanKind", "PengalamanParams"]


class PengalamanParams(Strict):
    levels: list[JenisJabatan] = Field(min_length=1, description="jenis jabatan whose years count")
    min_years: float = Field(
        ge=0, le=60, description="least number of years at those levels, together"
    )


class PengalamanKind(Kind):
    name = "pengalaman"
    Params = PengalamanParams
    facts = ("experience", "jenis_jabatan")
    summary_id = "Pengalaman pada jenjang tertentu (dijumlah dari riwayat jabatan bila ada, selain itu dari jabatan sekarang)."
    summary_en = "Experience at given levels (summed from the post history when there is one, else the current post)."
    example: ClassVar[dict[str, object]] = {
        "levels": ["Pengawas", "Fungsional Ahli Muda"],
        "min_years": 3,
    }

    def years(self, p, people: People) -> np.ndarray:
        return sum((people.experience[level] for level in p.levels), np.zeros(people.n))

    @staticmethod
    def needed_days(p, people: People) -> int:
        """Days in the ``min_years`` calendar years that end at the scenario date."""
        return (people.date - shift_years(people.date, -p.min_years)).days

    def evaluate(self, p, people, post):
        have_days = np.round(self.years(p, people) * DAYS_PER_YEAR)
        return tri(have_days >= self.needed_days(p, people), np.ones(people.n, dtype=bool))

    def explain(self, p, people, i, post, lang):
        have = fmt_years(self.years(p, people)[i])
        levels = ", ".join(p.levels)
        if lang == "id":
            return f"pengalaman sebagai {levels}: {have} tahun; syarat paling sedikit {p.min_years:g} tahun"
        return f"experience as {levels}: {have} years; required at least {p.min_years:g} years"

    def counterfactual(self, p, people, i, post):
        short_days = self.needed_days(p, people) - round(self.years(p, people)[i] * DAYS_PER_YEAR)
        short = short_days / DAYS_PER_YEAR
        if people.jenis_jabatan[i] in p.levels:
            when = people.date + dt.timedelta(days=int(short_days))
            return Counterfactual(f"memenuhi syarat mulai {when}", f"eligible from {when}", when)
        return Counterfactual(
            f"perlu {short:.1f} tahun lagi sebagai {', '.join(p.levels)}",
            f"needs {short:.1f} more years as {', '.join(p.levels)}",
        )

    def time_behaviour(self, p, rank_progression=False):
        # Experience accrues at the current level and is never lost.
        return TimeBehaviour.IMPROVES
