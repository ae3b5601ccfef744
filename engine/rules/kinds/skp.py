"""The kind ``skp``: lowest SKP predikat in each of the N assessment years before the date.

Reads the person's SKP matrix (codes into ``SKP_PREDIKAT``, the years before
the scenario's year, most recent first) and the years of its columns. The
look-back is the N years before the scenario's year (a round on 2027-01-04
with N = 2 reads 2025 and 2026); a year below the minimum is FAIL, a missing
year is UNKNOWN and never replaced by an older one. The verdict's text names
the years.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from pydantic import Field

from engine.inputs import scales
from engine.inputs.schema import Strict
from engine.rules.kind import FAIL, PASS, UNKNOWN, Counterfactual, Kind, Predikat, TimeBehaviour

__all__ = ["SkpKind", "SkpParams"]


class SkpParams(Strict):
    # No defaults: the predikat and the look-back are the regulation's, stated in the rule file.
    min: Predikat = Field(description="lowest SKP predikat accepted in each year")
    years: int = Field(
        ge=1, le=5, description="how many assessment years before the scenario's year"
    )


class SkpKind(Kind):
    name = "skp"
    Params = SkpParams
    facts = ("skp", "skp_years")
    summary_id = (
        "Predikat SKP paling rendah pada setiap tahun penilaian dari N tahun sebelum tahun "
        "skenario; tahun tanpa data UNKNOWN, tidak diganti tahun yang lebih lama "
        "(nilai angka PP 46/2011 dibaca dengan tabel konversi)."
    )
    summary_en = (
        "Lowest SKP predikat in each of the N assessment years before the scenario's year; "
        "a year without data is UNKNOWN, never replaced by an older one "
        "(PP 46/2011 numbers are read through the conversion bands)."
    )
    example: ClassVar[dict[str, object]] = {"min": "Baik", "years": 2}

    def evaluate(self, p, people, post):
        window = people.skp[:, : p.years]
        need = scales.SKP_PREDIKAT.index(p.min)
        fail = ((window >= 0) & (window < need)).any(axis=1)
        known = (window >= 0).all(axis=1)
        out = np.where(fail, FAIL, np.where(known, PASS, UNKNOWN)).astype(np.int8)
        return out

    def explain(self, p, people, i, post, lang):
        parts = []
        for k, year in enumerate(people.skp_years[: p.years]):
            code = people.skp[i, k]
            parts.append(f"{year}: {scales.SKP_PREDIKAT[code] if code >= 0 else '-'}")
        values = ", ".join(parts)
        span = _years_text(people.skp_years[: p.years])
        if lang == "id":
            return f"SKP {values}; syarat paling rendah {p.min} pada tahun {span}"
        return f"SKP {values}; required at least {p.min} in {span}"

    def counterfactual(self, p, people, i, post):
        span = _years_text(people.skp_years[: p.years])
        return Counterfactual(
            f"perlu predikat SKP paling rendah {p.min} pada tahun {span}",
            f"needs SKP predikat {p.min} or better in {span}",
        )

    def time_behaviour(self, p, rank_progression=False):
        # A new year's predikat is a new record, not time alone.
        return TimeBehaviour.CONSTANT


def _years_text(years: list[int]) -> str:
    """The look-back's years, oldest first: ``2024-2025`` or ``2025``."""
    return f"{min(years)}-{max(years)}" if len(years) > 1 else str(years[0])
