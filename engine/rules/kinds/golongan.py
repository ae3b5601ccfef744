"""The kind ``golongan``: lowest and/or highest golongan/ruang.

Reads the person's golongan code and TMT golongan (for the counterfactual
date under regular promotion).
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from pydantic import Field, model_validator

from engine.inputs import scales
from engine.inputs.derive import shift_years
from engine.inputs.schema import Strict
from engine.rules.kind import Counterfactual, Golongan, Kind, TimeBehaviour, as_date, tri

__all__ = ["GolonganKind", "GolonganParams"]


class GolonganParams(Strict):
    min: Golongan | None = Field(default=None, description="lowest golongan/ruang allowed")
    max: Golongan | None = Field(default=None, description="highest golongan/ruang allowed")

    @model_validator(mode="after")
    def _some(self) -> GolonganParams:
        if self.min is None and self.max is None:
            raise ValueError("give min, max or both")
        if (
            self.min
            and self.max
            and scales.golongan_index(self.min) > scales.golongan_index(self.max)
        ):
            raise ValueError(f"min {self.min} is above max {self.max}")
        return self


class GolonganKind(Kind):
    name = "golongan"
    Params = GolonganParams
    facts = ("golongan", "tmt_golongan")
    summary_id = "Golongan/ruang paling rendah dan/atau paling tinggi."
    summary_en = "Lowest and/or highest golongan/ruang."
    example: ClassVar[dict[str, object]] = {"min": "III/d"}
    # Regular promotion in rank (kenaikan pangkat reguler) every 4 years: the
    # earliest date time alone could bring the missing steps (PP 99/2000 Ps. 7).
    YEARS_PER_STEP = 4

    def evaluate(self, p, people, post):
        g = people.golongan
        ok = np.ones(people.n, dtype=bool)
        if p.min:
            ok &= g >= scales.golongan_index(p.min)
        if p.max:
            ok &= g <= scales.golongan_index(p.max)
        return tri(ok, g >= 0)

    def explain(self, p, people, i, post, lang):
        have = scales.GOLONGAN[people.golongan[i]] if people.golongan[i] >= 0 else "-"
        need = " – ".join(x for x in (p.min and f"≥ {p.min}", p.max and f"≤ {p.max}") if x)
        return (
            f"golongan {have}; syarat {need}"
            if lang == "id"
            else f"golongan {have}; required {need}"
        )

    def counterfactual(self, p, people, i, post):
        g = people.golongan[i]
        if p.min and g < scales.golongan_index(p.min):
            steps = scales.golongan_index(p.min) - g
            since = as_date(people.tmt_golongan[i]) or people.date
            when = max(people.date, shift_years(since, self.YEARS_PER_STEP * steps))
            return Counterfactual(
                f"perlu golongan {p.min} ({steps} tingkat lagi; paling cepat {when} bila naik pangkat reguler)",
                f"needs golongan {p.min} ({steps} more step(s); at the earliest {when} by regular promotion)",
                when,
            )
        return Counterfactual(f"golongan paling tinggi {p.max}", f"golongan at most {p.max}")

    def time_behaviour(self, p, rank_progression=False):
        # Golongan only rises (regular promotion), so a minimum is met in time
        # and a maximum is lost in time.
        return TimeBehaviour.of_range(p.min is not None, p.max is not None)
