"""The kind ``pelatihan``: required leadership training, before appointment or within N months.

Reads the person's trainings on record (name -> year) through
:meth:`engine.inputs.derive.People.training_year`.

With ``timing: before`` a person without the training fails. With ``timing:
within`` nobody fails: the training is due after appointment (PP 11/2017 jo.
PP 17/2020: PKP, PKA and PKN II within a year of appointment), so a person
placed without it carries an :class:`~engine.rules.kind.Obligation`, due on
the appointment date shifted by ``months`` on the calendar
(:func:`engine.inputs.derive.shift_years`): appointed 2027-01-04, due
2028-01-04.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar, Literal

import numpy as np
from pydantic import Field, field_validator

from engine.errors import message
from engine.inputs.derive import People, shift_years
from engine.inputs.schema import Strict
from engine.rules.kind import PASS, Counterfactual, Kind, Obligation, TimeBehaviour, tri

__all__ = ["PelatihanKind", "PelatihanParams"]


class PelatihanParams(Strict):
    any_of: list[str] = Field(
        min_length=1, description="trainings that satisfy the rule (PKP, PKA, PKN II, PKN I, ...)"
    )
    timing: Literal["before", "within"] = Field(
        default="before", description="before appointment, or within `months` after it"
    )
    months: int = Field(
        default=12, ge=1, le=60, description="for timing 'within': months after appointment"
    )

    @field_validator("any_of")
    @classmethod
    def _names(cls, value: list[str]) -> list[str]:
        for name in value:
            if not name.strip() or ":" in name or "|" in name:
                raise ValueError(message("not_training_name", name=name))
        return value


class PelatihanKind(Kind):
    name = "pelatihan"
    Params = PelatihanParams
    facts = ("pelatihan", "training_year")
    summary_id = (
        "Pelatihan kepemimpinan yang disyaratkan, sebelum pengangkatan atau paling lambat N bulan sesudahnya "
        "(timing 'within': tidak menggugurkan, menjadi kewajiban)."
    )
    summary_en = (
        "Required leadership training, before appointment or within N months after it "
        "(timing 'within': never excludes, becomes an obligation)."
    )
    example: ClassVar[dict[str, object]] = {"any_of": ["PKA"], "timing": "before"}

    def has(self, p, people: People) -> np.ndarray:
        done = np.zeros(people.n, dtype=bool)
        for name in p.any_of:
            done |= ~np.isnan(people.training_year(name))
        return done

    def evaluate(self, p, people, post):
        if p.timing == "within":
            return np.full(people.n, PASS, dtype=np.int8)
        return tri(self.has(p, people), np.ones(people.n, dtype=bool))

    def explain(self, p, people, i, post, lang):
        done = sorted(f"{k} {v}" for k, v in people.pelatihan[i].items()) or ["-"]
        need = " / ".join(p.any_of)
        when_id = (
            "sebelum pengangkatan"
            if p.timing == "before"
            else f"paling lambat {p.months} bulan setelah pengangkatan"
        )
        when_en = (
            "before appointment"
            if p.timing == "before"
            else f"within {p.months} months after appointment"
        )
        if lang == "id":
            return f"pelatihan {', '.join(done)}; syarat {need} {when_id}"
        return f"training {', '.join(done)}; required {need} {when_en}"

    def counterfactual(self, p, people, i, post):
        need = " / ".join(p.any_of)
        return Counterfactual(f"perlu pelatihan {need}", f"needs training {need}")

    def obligation(self, p, people, i, appointed: dt.date) -> Obligation | None:
        if p.timing != "within" or any(
            not np.isnan(people.training_year(name)[i]) for name in p.any_of
        ):
            return None
        return Obligation(tuple(p.any_of), shift_years(appointed, p.months / 12))

    def time_behaviour(self, p, rank_progression=False):
        return TimeBehaviour.CONSTANT
