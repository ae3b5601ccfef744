"""The kind ``skp``: lowest SKP predikat in each of the last N years on record.

Reads the person's SKP matrix (codes into ``SKP_PREDIKAT``, most recent year
first) and the years of its columns.
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
    min: Predikat = Field(default="Baik", description="lowest SKP predikat accepted in each year")
    years: int = Field(default=2, ge=1, le=5, description="how many of the most recent years")


class SkpKind(Kind):
    name = "skp"
    Params = SkpParams
    facts = ("skp", "skp_years")
    summary_id = (
        "Predikat SKP paling rendah pada setiap tahun dari N tahun terakhir yang ada datanya sebelum tahun skenario "
        "(nilai angka PP 46/2011 dibaca dengan tabel konversi)."
    )
    summary_en = (
        "Lowest SKP predikat in each of the last N years on record before the scenario year "
        "(PP 46/2011 numbers are read through the conversion bands)."
    )
    example: ClassVar[dict[str, object]] = {"min": "Baik", "years": 2}

    def evaluate(self, p, people, post):
        window = people.skp[:, : p.years]
        if window.shape[1] < p.years:
            return np.full(people.n, UNKNOWN, dtype=np.int8)
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
        values = ", ".join(parts) or "-"
        if lang == "id":
            return f"SKP {values}; syarat paling rendah {p.min} selama {p.years} tahun"
        return f"SKP {values}; required at least {p.min} for {p.years} years"

    def counterfactual(self, p, people, i, post):
        return Counterfactual(
            f"perlu predikat SKP paling rendah {p.min} selama {p.years} tahun berturut-turut",
            f"needs SKP predikat {p.min} or better for {p.years} years in a row",
        )

    def time_behaviour(self, p, rank_progression=False):
        # A new year's predikat is a new record, not time alone.
        return TimeBehaviour.CONSTANT
