"""The kind ``bidang_keilmuan``: the person's major against the post's field.

Reads the person's field code (the jurusan in the field taxonomy) and the
post's field; the match grade (exact, same family, related) comes from the
scenario's taxonomy. ``exact`` and ``family`` are equalities, so eligibility
joins people to posts on them (:meth:`BidangKind.join_keys`).
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from pydantic import Field

from engine.inputs.derive import People
from engine.inputs.schema import Strict
from engine.inputs.settings import FIELD_GRADES
from engine.rules.kind import Counterfactual, Grade, Kind, TimeBehaviour, tri

__all__ = ["BidangKind", "BidangParams"]


class BidangParams(Strict):
    min: Grade = Field(
        default="family",
        description="weakest field-of-study match accepted: exact (same field), family (same family), related",
    )


class BidangKind(Kind):
    name = "bidang_keilmuan"
    Params = BidangParams
    facts = ("field", "jurusan")
    post_keys = ("field",)
    post_labels = ("bidang",)
    summary_id = "Kesesuaian jurusan dengan bidang jabatan, menurut taksonomi bidang keilmuan: sama bidang (exact), satu rumpun (family), atau terkait (related)."
    summary_en = "Match of the person's major to the post's field, through the field taxonomy: exact, same family, or related."
    example: ClassVar[dict[str, object]] = {"min": "family"}

    def join_keys(self, p, people, posts):
        # exact: the same field; family: the same family. "related" is not an
        # equivalence (a field relates to fields of other families): no join.
        if p.min == "related":
            return None
        assert self.taxonomy is not None
        if p.min == "exact":
            code = np.arange(len(self.taxonomy.fields), dtype=np.int64)
        else:
            families = sorted(set(self.taxonomy.family_of.values()))
            code = np.array(
                [families.index(self.taxonomy.family_of[f]) for f in self.taxonomy.fields],
                dtype=np.int64,
            )
        person = np.where(people.field >= 0, code[np.maximum(people.field, 0)], -1)
        post = np.where(posts.field >= 0, code[np.maximum(posts.field, 0)], -2)
        return person.astype(np.int64), post.astype(np.int64)

    def grades(self, people: People, post) -> np.ndarray:
        """Match grade per person (index into ``FIELD_GRADES``) for the post's field."""
        assert self.taxonomy is not None
        known = (people.field >= 0) & (post.field >= 0)
        grade = np.zeros(people.n, dtype=np.int8)
        if post.field >= 0:
            grade[known] = self.taxonomy.grade[people.field[known], post.field]
        return grade

    def evaluate(self, p, people, post):
        known = people.field >= 0
        return tri(self.grades(people, post) >= FIELD_GRADES.index(p.min), known)

    def explain(self, p, people, i, post, lang):
        grade = FIELD_GRADES[self.grades(people, post)[i]]
        major = people.jurusan[i] or "-"
        if lang == "id":
            return f"jurusan {major}, bidang jabatan {post.bidang}: kecocokan '{grade}'; syarat paling lemah '{p.min}'"
        return (
            f"major {major}, post field {post.bidang}: match '{grade}'; required at least '{p.min}'"
        )

    def counterfactual(self, p, people, i, post):
        return Counterfactual(
            f"perlu jurusan dalam bidang {post.bidang} (kecocokan '{p.min}' atau lebih)",
            f"needs a major in the field {post.bidang} (match '{p.min}' or better)",
        )

    def time_behaviour(self, p, rank_progression=False):
        return TimeBehaviour.CONSTANT
