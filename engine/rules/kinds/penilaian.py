"""The kind ``penilaian``: an assessment on record (a JPM or a managerial competency level).

Reads the person's JPM and competency level (NaN missing). Never UNKNOWN:
the data it checks is whether the data is there. The weights file's
``missing_assessment: not_eligible`` puts a rule of this kind in force
(``bobot.penilaian``, engine.round.context); a rule file may use it too.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from engine.inputs.schema import Strict
from engine.rules.kind import Counterfactual, Kind, TimeBehaviour, tri

__all__ = ["PenilaianKind", "PenilaianParams"]


class PenilaianParams(Strict):
    """No parameters: ``require: {penilaian: {}}``."""


class PenilaianKind(Kind):
    name = "penilaian"
    Params = PenilaianParams
    facts = ("jpm", "kompetensi")
    summary_id = "Ada hasil penilaian potensi: JPM asesmen atau level kompetensi manajerial."
    summary_en = "An assessment on record: an assessment JPM or a managerial competency level."
    example: ClassVar[dict[str, object]] = {}

    def evaluate(self, p, people, post):
        have = ~np.isnan(people.jpm) | ~np.isnan(people.kompetensi)
        return tri(have, np.ones(people.n, dtype=bool))

    def explain(self, p, people, i, post, lang):
        jpm, level = people.jpm[i], people.kompetensi[i]
        if np.isnan(jpm) and np.isnan(level):
            return (
                "tidak ada hasil penilaian (JPM maupun level kompetensi kosong)"
                if lang == "id"
                else "no assessment on record (neither JPM nor competency level)"
            )
        shown_jpm = "-" if np.isnan(jpm) else f"{jpm:g}"
        shown_level = "-" if np.isnan(level) else f"{level:g}"
        return (
            f"JPM {shown_jpm}, level kompetensi {shown_level}"
            if lang == "id"
            else f"JPM {shown_jpm}, competency level {shown_level}"
        )

    def counterfactual(self, p, people, i, post):
        return Counterfactual(
            "perlu hasil asesmen (JPM) atau level kompetensi manajerial",
            "needs an assessment JPM or a managerial competency level",
        )

    def time_behaviour(self, p, rank_progression=False):
        return TimeBehaviour.CONSTANT
