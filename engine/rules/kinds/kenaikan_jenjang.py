"""The kind ``kenaikan_jenjang``: a promotion climbs at most N levels from the current post.

Career development in the ASN merit system is step by step (pengembangan
karier berjenjang): a Pengawas goes on to Administrator, an Administrator
to JPT Pratama. The move policy of a round only says whether promotion is
allowed at all; a rule of this kind, on the posts it applies to, limits how
far above the person's current post the post may be. A post at or below
the person's level passes (a lateral or downward move is the move policy's
matter).

Reads the person's level and jenis jabatan (the level rank of the current
post in rules/kesetaraan.yaml, derived in
:func:`engine.inputs.derive.derive_people`) and the post's level; names the
post's jenis jabatan in its explanation.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from pydantic import Field

from engine.inputs.schema import Strict
from engine.rules.kind import Counterfactual, Kind, TimeBehaviour, tri

__all__ = ["KenaikanJenjangKind", "KenaikanJenjangParams"]


class KenaikanJenjangParams(Strict):
    max_steps: int = Field(
        default=1,
        ge=1,
        le=5,
        description="most levels the post may be above the level of the person's current post",
    )


def _levels(people, level: int) -> str:
    """The jenis jabatan of one level: ``Fungsional Ahli Madya / Administrator``."""
    return " / ".join(people.equivalences.levels_of(level))


class KenaikanJenjangKind(Kind):
    name = "kenaikan_jenjang"
    Params = KenaikanJenjangParams
    facts = ("level", "jenis_jabatan", "equivalences")
    post_keys = ("level",)
    post_labels = ("jenis_jabatan",)
    summary_id = (
        "Kenaikan jenjang paling banyak sekian tingkat dari jabatan sekarang (promosi berjenjang: "
        "Pengawas ke Administrator, Administrator ke JPT Pratama); jabatan setingkat atau lebih "
        "rendah memenuhi syarat."
    )
    summary_en = (
        "A promotion climbs at most so many levels from the current post (step by step: "
        "Pengawas to Administrator, Administrator to JPT Pratama); a post at the same or a "
        "lower level passes."
    )
    example: ClassVar[dict[str, object]] = {"max_steps": 1}

    def evaluate(self, p, people, post):
        steps = post.level - people.level.astype(np.int64)
        return tri(steps <= p.max_steps, np.ones(people.n, dtype=bool))

    def explain(self, p, people, i, post, lang):
        have, steps = people.jenis_jabatan[i], post.level - int(people.level[i])
        if lang == "id":
            return (
                f"jabatan sekarang {have}, jabatan yang dituju {post.jenis_jabatan}: "
                f"naik {max(steps, 0)} jenjang; syarat paling banyak {p.max_steps}"
            )
        return (
            f"current post {have}, post applied for {post.jenis_jabatan}: "
            f"{max(steps, 0)} level(s) up; allowed at most {p.max_steps}"
        )

    def counterfactual(self, p, people, i, post):
        need = _levels(people, max(post.level - p.max_steps, 0))
        return Counterfactual(
            f"perlu menduduki jabatan {need} lebih dahulu",
            f"needs to hold a {need} post first",
        )

    def time_behaviour(self, p, rank_progression=False):
        # The level of the current post changes only by a move, never by time.
        return TimeBehaviour.CONSTANT
