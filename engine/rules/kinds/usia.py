"""The kind ``usia``: age at the scenario date, in whole years by birthday.

Reads the person's age in whole years (a year older on the birthday itself;
born on 29 February, on 1 March in a common year: the one calendar
arithmetic of :mod:`engine.inputs.derive`) and birth date (for the date a
minimum age is reached).
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from pydantic import Field, model_validator

from engine.errors import message
from engine.inputs.derive import shift_years, whole_years
from engine.inputs.schema import Strict
from engine.rules.kind import Counterfactual, Kind, TimeBehaviour, as_date, tri

__all__ = ["UsiaKind", "UsiaParams"]


class UsiaParams(Strict):
    min: int | None = Field(default=None, ge=0, le=100, description="youngest age in whole years")
    max: int | None = Field(
        default=None, ge=0, le=100, description="oldest age in whole years at the scenario date"
    )

    @model_validator(mode="after")
    def _some(self) -> UsiaParams:
        if self.min is None and self.max is None:
            raise ValueError(message("give_min_max"))
        return self


class UsiaKind(Kind):
    name = "usia"
    Params = UsiaParams
    facts = ("usia", "born")
    summary_id = "Usia pada tanggal skenario, dalam tahun penuh."
    summary_en = "Age at the scenario date, in whole years."
    example: ClassVar[dict[str, object]] = {"max": 56}

    def evaluate(self, p, people, post):
        age = people.usia
        ok = np.ones(people.n, dtype=bool)
        if p.min is not None:
            ok &= age >= p.min
        if p.max is not None:
            ok &= age <= p.max
        return tri(ok, ~np.isnan(age))

    def explain(self, p, people, i, post, lang):
        need = " – ".join(
            x for x in (p.min is not None and f"≥ {p.min}", p.max is not None and f"≤ {p.max}") if x
        )
        age = "-" if np.isnan(people.usia[i]) else int(people.usia[i])
        return f"usia {age} tahun; syarat {need}" if lang == "id" else f"age {age}; required {need}"

    def counterfactual(self, p, people, i, post):
        born = as_date(people.born[i])
        if p.min is not None and born and whole_years(born, people.date) < p.min:
            when = shift_years(born, p.min)
            return Counterfactual(f"memenuhi syarat mulai {when}", f"eligible from {when}", when)
        return Counterfactual(
            f"melewati batas usia {p.max} tahun; tidak dapat dipenuhi",
            f"past the age limit of {p.max}; cannot be met",
        )

    def time_behaviour(self, p, rank_progression=False):
        return TimeBehaviour.of_range(p.min is not None, p.max is not None)
