"""The kind ``golongan``: lowest and/or highest golongan/ruang.

Reads the person's golongan code, and for the counterfactual date under
regular promotion their TMT golongan, jenis jabatan (whose ceiling bounds
regular promotion) and the rank-progression schedule (period, ceilings and
the fixed promotion dates of rules/kenaikan-pangkat.yaml): the date given
is one on which the rule would pass.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from pydantic import Field, model_validator

from engine.errors import message
from engine.inputs import scales
from engine.inputs.schema import Strict
from engine.rules.kind import Counterfactual, Golongan, Kind, TimeBehaviour, as_date, tri

__all__ = ["GolonganKind", "GolonganParams"]


class GolonganParams(Strict):
    min: Golongan | None = Field(default=None, description="lowest golongan/ruang allowed")
    max: Golongan | None = Field(default=None, description="highest golongan/ruang allowed")

    @model_validator(mode="after")
    def _some(self) -> GolonganParams:
        if self.min is None and self.max is None:
            raise ValueError(message("give_min_max"))
        if (
            self.min
            and self.max
            and scales.golongan_index(self.min) > scales.golongan_index(self.max)
        ):
            raise ValueError(message("golongan_min_above_max", min=self.min, max=self.max))
        return self


class GolonganKind(Kind):
    name = "golongan"
    Params = GolonganParams
    facts = ("golongan", "tmt_golongan", "jenis_jabatan", "rank_progression")
    summary_id = "Golongan/ruang paling rendah dan/atau paling tinggi."
    summary_en = "Lowest and/or highest golongan/ruang."
    example: ClassVar[dict[str, object]] = {"min": "III/d"}

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
        g = int(people.golongan[i])
        if g < 0:
            return Counterfactual("data golongan kosong", "golongan is missing")
        if p.min and g < scales.golongan_index(p.min):
            need = scales.golongan_index(p.min)
            steps = need - g
            rp = people.rank_progression
            jenis = str(people.jenis_jabatan[i])
            since = as_date(people.tmt_golongan[i]) or people.date
            when = rp.earliest(g, need, since, jenis, people.date)
            if when is None:
                top = rp.ceilings.get(jenis, "-")
                return Counterfactual(
                    f"perlu golongan {p.min} ({steps} tingkat lagi); kenaikan pangkat reguler "
                    f"sebagai {jenis} paling tinggi {top}",
                    f"needs golongan {p.min} ({steps} more step(s)); regular promotion as "
                    f"{jenis} stops at {top}",
                )
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
