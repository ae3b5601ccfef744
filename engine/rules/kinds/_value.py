"""Kinds that compare one number per person with a minimum (JPM, kompetensi, sisa BUP).

Takes the People fact a kind names in ``attr``; gives the shared params
model, evaluator, explanation and counterfactual (NaN is UNKNOWN).
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from pydantic import Field

from engine.inputs.schema import Strict
from engine.rules.kind import Counterfactual, Kind, tri

__all__ = ["ScoreParams", "ValueKind"]


class ScoreParams(Strict):
    min: float = Field(description="lowest value accepted")


class ValueKind(Kind):
    """A value per person (``attr`` of People), at least ``min``."""

    attr: ClassVar[str]
    label_id: ClassVar[str]
    label_en: ClassVar[str]

    def evaluate(self, p, people, post):
        have = getattr(people, self.attr)
        return tri(have >= p.min, ~np.isnan(have))

    def explain(self, p, people, i, post, lang):
        v = getattr(people, self.attr)[i]
        shown = "-" if np.isnan(v) else f"{v:g}"
        return (
            f"{self.label_id} {shown}; syarat paling rendah {p.min:g}"
            if lang == "id"
            else f"{self.label_en} {shown}; required at least {p.min:g}"
        )

    def counterfactual(self, p, people, i, post):
        return Counterfactual(
            f"perlu {self.label_id} paling rendah {p.min:g}",
            f"needs {self.label_en} of at least {p.min:g}",
        )
