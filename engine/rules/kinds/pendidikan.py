"""The kind ``pendidikan``: lowest education level (S1 and D-IV count as equal).

Reads the person's education rank (``equivalences.pendidikan``, from
rules/kesetaraan.yaml; -1 missing): the comparison is on the shared rank; the
explanation shows the person's own level (an S1 holder is shown as S1, never
as D4).
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from engine.inputs.schema import Strict
from engine.rules.kind import Counterfactual, Kind, Pendidikan, TimeBehaviour, tri

__all__ = ["PendidikanKind", "PendidikanParams"]


class PendidikanParams(Strict):
    min: Pendidikan = Field(description="lowest education level (S1 and D4 count as equal)")


class PendidikanKind(Kind):
    name = "pendidikan"
    Params = PendidikanParams
    facts = ("pendidikan", "pendidikan_label", "equivalences")
    summary_id = "Pendidikan paling rendah (S1 dan D-IV setara)."
    summary_en = "Lowest education level (S1 and D-IV are equal)."
    example: ClassVar[dict[str, object]] = {"min": "S1"}

    def evaluate(self, p, people, post):
        have = people.pendidikan
        return tri(have >= people.equivalences.pendidikan[p.min], have >= 0)

    def explain(self, p, people, i, post, lang):
        have = people.pendidikan_label[i] or "-"
        return (
            f"pendidikan {have}; syarat paling rendah {p.min}"
            if lang == "id"
            else f"pendidikan {have}; required at least {p.min}"
        )

    def counterfactual(self, p, people, i, post):
        return Counterfactual(f"perlu pendidikan {p.min}", f"needs pendidikan {p.min}")

    def time_behaviour(self, p, rank_progression=False):
        return TimeBehaviour.CONSTANT
