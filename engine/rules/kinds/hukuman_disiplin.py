"""The kind ``hukuman_disiplin``: no sanction of given levels, within a look-back period.

Reads the sanction history at the scenario date (``People.sanctions``: every
sanction imposed on or before the date and not annulled, with its level,
start and end). A sanction excludes when its level is listed and, with a
look-back, it ended less than ``lookback_years`` before the scenario date
or has not ended (PP 94/2021).
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from pydantic import Field

from engine.inputs import scales
from engine.inputs.derive import People, shift_years
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
    # No default: the levels that exclude are the regulation's, stated in the rule file.
    levels: list[Tingkat] = Field(min_length=1, description="sanction levels that exclude")
    lookback_years: float | None = Field(
        default=None,
        ge=0,
        le=40,
        description="years after a sanction ends that it still excludes; empty: ever",
    )


class HukumanKind(Kind):
    name = "hukuman_disiplin"
    Params = HukumanParams
    facts = ("sanctions",)
    summary_id = (
        "Tidak sedang/pernah dijatuhi hukuman disiplin tingkat tertentu, dalam masa tinjau "
        "dihitung mundur dari tanggal skenario (riwayat hukuman; yang dibatalkan atau "
        "dijatuhkan sesudah tanggal itu tidak dihitung; PP 94/2021)."
    )
    summary_en = (
        "No current or past disciplinary sanction of given levels within a look-back counted "
        "back from the scenario date (the sanction history; annulled ones and those imposed "
        "after the date do not count; PP 94/2021)."
    )
    example: ClassVar[dict[str, object]] = {"levels": ["sedang", "berat"], "lookback_years": 5}

    def _counted(self, p, people: People) -> np.ndarray:
        """Bool per sanction on record: it excludes at the date."""
        s = people.sanctions
        codes = [scales.HUKUMAN_TINGKAT.index(level) for level in p.levels]
        hit = np.isin(s.level, codes)
        if p.lookback_years is not None:
            # No end on record: still running, it counts.
            hit &= ~on_or_before(s.selesai, shift_years(people.date, -p.lookback_years))
        return hit

    def evaluate(self, p, people, post):
        hit = np.zeros(people.n, dtype=bool)
        hit[people.sanctions.person[self._counted(p, people)]] = True
        return tri(~hit, np.ones(people.n, dtype=bool))

    def explain(self, p, people, i, post, lang):
        s = people.sanctions
        rows = s.of(i)
        look = f"{p.lookback_years:g}" if p.lookback_years is not None else None
        if not len(rows):
            return (
                "tidak ada hukuman disiplin tercatat"
                if lang == "id"
                else "no disciplinary sanction on record"
            )
        upto = "s.d." if lang == "id" else "to"
        listed = "; ".join(
            f"{scales.HUKUMAN_TINGKAT[s.level[k]]} {as_date(s.tmt[k])} {upto} "
            f"{as_date(s.selesai[k]) or '-'}"
            for k in rows
        )
        if lang == "id":
            return f"hukuman disiplin {listed}; dilarang: {', '.join(p.levels)}" + (
                f" dalam {look} tahun terakhir" if look else ""
            )
        return f"disciplinary sanctions {listed}; excluded: {', '.join(p.levels)}" + (
            f" within the last {look} years" if look else ""
        )

    def counterfactual(self, p, people, i, post):
        s = people.sanctions
        rows = s.of(i)
        counted = rows[self._counted(p, people)[rows]]
        ends = s.selesai[counted]
        if p.lookback_years is not None and len(counted) and not np.isnat(ends).any():
            when = shift_years(as_date(ends.max()), p.lookback_years)  # type: ignore[arg-type]
            return Counterfactual(f"memenuhi syarat mulai {when}", f"eligible from {when}", when)
        return Counterfactual(
            "tidak dapat dipenuhi (hukuman tercatat)", "cannot be met (sanction on record)"
        )

    def time_behaviour(self, p, rank_progression=False):
        # With a look-back a sanction stops counting in time; without, never. (A new
        # sanction is a new record, not time alone.)
        if p.lookback_years is not None:
            return TimeBehaviour.IMPROVES
        return TimeBehaviour.CONSTANT
