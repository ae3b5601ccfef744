"""The kind ``hukuman_disiplin``: no sanction of given levels, within a look-back period.

Reads the person's sanction level (codes into ``HUKUMAN_TINGKAT``, -1 none)
and the date the sanction ended (PP 94/2021).
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from pydantic import Field

from engine.inputs import scales
from engine.inputs.derive import shift_years
from engine.inputs.schema import Strict
from engine.rules.kind import (
    Counterfactual,
    Kind,
    TimeBehaviour,
    Tingkat,
    as_date,
    on_or_before,
    tri,
)

__all__ = ["HukumanKind", "HukumanParams"]


class HukumanParams(Strict):
    levels: list[Tingkat] = Field(
        default=["sedang", "berat"], min_length=1, description="sanction levels that exclude"
    )
    lookback_years: float | None = Field(
        default=None,
        ge=0,
        le=40,
        description="years after a sanction ends that it still excludes; empty: ever",
    )


class HukumanKind(Kind):
    name = "hukuman_disiplin"
    Params = HukumanParams
    facts = ("hukuman", "hukuman_selesai")
    summary_id = "Tidak sedang/pernah dijatuhi hukuman disiplin tingkat tertentu, dalam masa tinjau (PP 94/2021)."
    summary_en = "No current or past disciplinary sanction of given levels within a look-back period (PP 94/2021)."
    example: ClassVar[dict[str, object]] = {"levels": ["sedang", "berat"], "lookback_years": 5}

    def evaluate(self, p, people, post):
        codes = [scales.HUKUMAN_TINGKAT.index(level) for level in p.levels]
        hit = np.isin(people.hukuman, codes)
        if p.lookback_years is not None:
            end = people.hukuman_selesai
            hit &= ~on_or_before(end, shift_years(people.date, -p.lookback_years))
        return tri(~hit, np.ones(people.n, dtype=bool))

    def explain(self, p, people, i, post, lang):
        code = people.hukuman[i]
        look = f"{p.lookback_years:g}" if p.lookback_years is not None else None
        if code < 0:
            return (
                "tidak ada hukuman disiplin tercatat"
                if lang == "id"
                else "no disciplinary sanction on record"
            )
        level, end = scales.HUKUMAN_TINGKAT[code], as_date(people.hukuman_selesai[i])
        if lang == "id":
            return f"hukuman disiplin {level}, selesai {end}; dilarang: {', '.join(p.levels)}" + (
                f" dalam {look} tahun terakhir" if look else ""
            )
        return f"disciplinary sanction {level}, ended {end}; excluded: {', '.join(p.levels)}" + (
            f" within the last {look} years" if look else ""
        )

    def counterfactual(self, p, people, i, post):
        end = as_date(people.hukuman_selesai[i])
        if p.lookback_years is not None and end is not None:
            when = shift_years(end, p.lookback_years)
            return Counterfactual(f"memenuhi syarat mulai {when}", f"eligible from {when}", when)
        return Counterfactual(
            "tidak dapat dipenuhi (hukuman tercatat)", "cannot be met (sanction on record)"
        )

    def time_behaviour(self, p, rank_progression=False):
        # With a look-back a sanction stops counting in time; without, never.
        if p.lookback_years is not None:
            return TimeBehaviour.IMPROVES
        return TimeBehaviour.CONSTANT
