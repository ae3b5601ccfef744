"""Kinds that count years since a start date (masa kerja, masa golongan, masa jabatan).

Takes the start date a kind names among the People facts; gives the shared
params model and evaluator: the span is complete on the calendar date
``start + min_years``, so a verdict and its counterfactual date agree to the day.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from pydantic import Field

from engine.inputs.derive import People, shift_years
from engine.inputs.schema import Strict
from engine.rules.kind import (
    Counterfactual,
    Kind,
    TimeBehaviour,
    as_date,
    fmt_years,
    on_or_before,
    tri,
)

__all__ = ["SpanKind", "YearsParams"]


class YearsParams(Strict):
    min_years: float = Field(ge=0, le=60, description="least number of years")


class SpanKind(Kind):
    """A span of years since a start date: ``attr`` (years) and ``start_attr`` (date) of People."""

    attr: ClassVar[str]
    start_attr: ClassVar[str]
    label_id: ClassVar[str]
    label_en: ClassVar[str]

    def span(self, people: People) -> np.ndarray:
        return getattr(people, self.attr)

    def evaluate(self, p, people, post):
        start = getattr(people, self.start_attr)
        ok = on_or_before(start, shift_years(people.date, -p.min_years))
        return tri(ok, ~np.isnat(start))

    def explain(self, p, people, i, post, lang):
        have = fmt_years(self.span(people)[i])
        if lang == "id":
            return f"{self.label_id} {have} tahun; syarat paling sedikit {p.min_years:g} tahun"
        return f"{self.label_en} {have} years; required at least {p.min_years:g} years"

    def counterfactual(self, p, people, i, post):
        start = as_date(getattr(people, self.start_attr)[i])
        if start is None:
            return Counterfactual(f"data {self.label_id} kosong", f"{self.label_en} is missing")
        when = shift_years(start, p.min_years)
        return Counterfactual(f"memenuhi syarat mulai {when}", f"eligible from {when}", when)

    def time_behaviour(self, p, rank_progression=False):
        return TimeBehaviour.IMPROVES
