"""The kind ``kotak_talenta``: the talent box is one of those named.

Reads the person's talent box and the regime it was computed under (set on
People by the pipeline from :func:`engine.scoring.talent.talent_box`).
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from pydantic import Field, field_validator

from engine.errors import message
from engine.inputs.schema import Strict
from engine.rules.kind import UNKNOWN, Counterfactual, Kind, TimeBehaviour, tri

__all__ = ["KotakTalentaKind", "KotakTalentaParams"]


def _either(numbers: list[int], word: str) -> str:
    """``7, 8 atau 9`` / ``7, 8 or 9``."""
    text = [str(n) for n in numbers]
    return text[0] if len(text) == 1 else f"{', '.join(text[:-1])} {word} {text[-1]}"


class KotakTalentaParams(Strict):
    any_of: list[int] = Field(
        min_length=1,
        description="talent boxes accepted, 1-9 (the talent pool, kelompok rencana suksesi, is 7, 8, 9)",
    )

    @field_validator("any_of")
    @classmethod
    def _boxes(cls, value: list[int]) -> list[int]:
        bad = [b for b in value if not 1 <= b <= 9]
        if bad:
            raise ValueError(message("boxes_one_to_nine", found=bad))
        if len(set(value)) != len(value):
            raise ValueError(message("box_named_twice"))
        return sorted(value)


class KotakTalentaKind(Kind):
    """The talent box (kotak talenta) of the regime in force at the scenario date.

    The box comes from :func:`engine.scoring.talent.talent_box` (kinerja x potensial,
    thresholds and numbering from the talent-box file the scenario names);
    without such a file, or without the data to place a person, the verdict
    is UNKNOWN, never a guess.
    """

    name = "kotak_talenta"
    Params = KotakTalentaParams
    facts = ("talent_box", "talent_regime")
    summary_id = (
        "Kotak talenta (kinerja x potensial, PermenPANRB 3/2020; Kepka BKN 411/2025) termasuk salah satu "
        "kotak yang disebut; tanpa berkas kotak talenta pada skenario hasilnya UNKNOWN."
    )
    summary_en = (
        "Talent box (kinerja x potensial, PermenPANRB 3/2020; Kepka BKN 411/2025) is one of the boxes named; "
        "without a talent-box file in the scenario the verdict is UNKNOWN."
    )
    example: ClassVar[dict[str, object]] = {"any_of": [7, 8, 9]}

    def evaluate(self, p, people, post):
        box = people.talent_box
        if box is None:
            return np.full(people.n, UNKNOWN, dtype=np.int8)
        return tri(np.isin(box, p.any_of), box > 0)

    def explain(self, p, people, i, post, lang):
        need_id, need_en = _either(p.any_of, "atau"), _either(p.any_of, "or")
        box = people.talent_box
        if box is None:
            if lang == "id":
                return f"kotak talenta tidak dihitung (skenario tidak menyebut berkas kotak talenta); syarat kotak {need_id}"
            return f"talent box not computed (the scenario names no talent-box file); required box {need_en}"
        if box[i] <= 0:
            if lang == "id":
                return f"kotak talenta tidak diketahui (data kinerja atau potensial kosong); syarat kotak {need_id}"
            return f"talent box unknown (no kinerja or potensial data); required box {need_en}"
        regime = f" ({people.talent_regime})" if people.talent_regime else ""
        if lang == "id":
            return f"kotak talenta {box[i]}{regime}; syarat kotak {need_id}"
        return f"talent box {box[i]}{regime}; required box {need_en}"

    def counterfactual(self, p, people, i, post):
        need_id, need_en = _either(p.any_of, "atau"), _either(p.any_of, "or")
        box = people.talent_box
        if box is None:
            return Counterfactual(
                "sebutkan berkas kotak talenta (talent_box) pada skenario",
                "name a talent-box file (talent_box) in the scenario",
            )
        if box[i] <= 0:
            return Counterfactual(
                "perlu data SKP dan potensial (JPM atau kompetensi) agar kotak talenta dapat dihitung",
                "needs SKP and potential data (JPM or competency) to be placed in a talent box",
            )
        return Counterfactual(
            f"perlu masuk kotak talenta {need_id} (sekarang kotak {box[i]}): kinerja atau potensial lebih tinggi",
            f"needs talent box {need_en} (now box {box[i]}): higher kinerja or potensial",
        )

    def time_behaviour(self, p, rank_progression=False):
        # Succession reads today's box (a new box needs new SKP and assessment records).
        return TimeBehaviour.CONSTANT
