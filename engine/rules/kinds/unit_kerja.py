"""The kind ``unit_kerja``: the unit (OPD, instansi) a person works in now.

Reads the person's unit and the post's unit. ``same_as_post`` is an
equality, so eligibility joins people to posts on it
(:meth:`UnitKerjaKind.join_keys`).
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
import pandas as pd
from pydantic import Field, model_validator

from engine.errors import message
from engine.inputs.schema import Strict
from engine.rules.kind import Counterfactual, Kind, TimeBehaviour, tri

__all__ = ["UnitKerjaKind", "UnitKerjaParams"]


class UnitKerjaParams(Strict):
    same_as_post: bool = Field(
        default=False,
        description="the person works now in the unit of the post (promotion or rotation within the unit)",
    )
    any_of: list[str] | None = Field(
        default=None, min_length=1, description="units (OPD) one of which the person works in now"
    )

    @model_validator(mode="after")
    def _one(self) -> UnitKerjaParams:
        if self.same_as_post == (self.any_of is not None):
            raise ValueError(message("unit_kerja_either"))
        return self


class UnitKerjaKind(Kind):
    """The unit (OPD, instansi) a person works in now, against the post's unit or a list.

    ``same_as_post`` is an equality between the person's unit and the post's:
    at national scale eligibility joins people to posts on it (formation
    within the instansi) instead of checking every pair.
    """

    name = "unit_kerja"
    Params = UnitKerjaParams
    facts = ("unit",)
    post_keys = ("unit",)
    summary_id = (
        "Unit kerja (OPD/instansi) pegawai sekarang: sama dengan unit jabatan (same_as_post), "
        "atau salah satu unit yang disebut (any_of)."
    )
    summary_en = (
        "The unit (OPD/instansi) the person works in now: the post's own unit (same_as_post), "
        "or one of the units named (any_of)."
    )
    example: ClassVar[dict[str, object]] = {"same_as_post": True}

    def reads(self, p):
        return self.post_keys if p.same_as_post else ()

    def join_keys(self, p, people, posts):
        if not p.same_as_post:
            return None
        person_unit = np.asarray(people.unit, dtype=object)
        codes, uniques = pd.factorize(person_unit, use_na_sentinel=True)
        post = pd.Index(uniques).get_indexer(np.asarray(posts.unit, dtype=object))
        return codes.astype(np.int64), np.where(post >= 0, post, -2).astype(np.int64)

    def evaluate(self, p, people, post):
        unit = np.asarray(people.unit, dtype=object)
        known = ~pd.isna(unit)
        wanted = [post.unit] if p.same_as_post else p.any_of
        return tri(np.isin(unit, wanted) & known, known)

    def explain(self, p, people, i, post, lang):
        have = people.unit[i] or "-"
        if p.same_as_post:
            need_id, need_en = f"unit jabatan ({post.unit})", f"the post's unit ({post.unit})"
        else:
            need_id = f"salah satu dari: {', '.join(p.any_of)}"
            need_en = f"one of: {', '.join(p.any_of)}"
        if lang == "id":
            return f"unit kerja sekarang {have}; syarat {need_id}"
        return f"works now in {have}; required {need_en}"

    def counterfactual(self, p, people, i, post):
        units = post.unit if p.same_as_post else " / ".join(p.any_of)
        return Counterfactual(
            f"perlu bertugas lebih dahulu di {units}", f"needs to be working in {units} first"
        )

    def time_behaviour(self, p, rank_progression=False):
        return TimeBehaviour.CONSTANT
