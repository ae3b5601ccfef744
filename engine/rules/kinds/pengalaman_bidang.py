"""The kind ``pengalaman_bidang``: cumulative time in posts of fields related to the post's field.

PP 11/2017 jo. PP 17/2020 asks of a JPT Pratama candidate experience "dalam
bidang tugas yang terkait dengan jabatan yang akan diduduki secara kumulatif"
for a number of years. Reads the post history with each post's field
(:class:`engine.inputs.derive.FieldHistory`: a history row's ``bidang``, or
the bidang of the jabatan table's post its ``jabatan_id`` names) and the
post's field. A past post relates to the post when the taxonomy grades the
two fields at least ``min`` (``family``, the default: the same field or the
same rumpun; ``exact``: the same field; ``related``: also the taxonomy's
related pairs).

Time is counted on the project's one calendar: the related rows are merged
where they overlap or touch (a month is never counted twice), and each
merged span counts its complete calendar months up to the scenario date (the
current post runs to it). A row whose field is unknown could be related:
the verdict is PASS when the related time known already reaches the
threshold, UNKNOWN when it does not but the unknown rows could make it up
(or the person has no history row, so the posts before the current one are
not on record), and FAIL otherwise.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from pydantic import Field

from engine.inputs.derive import FieldHistory, People, months_between, shift_years
from engine.inputs.schema import Strict
from engine.inputs.settings import FIELD_GRADES
from engine.rules.kind import (
    FAIL,
    PASS,
    UNKNOWN,
    Counterfactual,
    Grade,
    Kind,
    TimeBehaviour,
    as_date,
    fmt_years,
)

__all__ = ["PengalamanBidangKind", "PengalamanBidangParams", "union_months"]


class PengalamanBidangParams(Strict):
    min_years: float = Field(
        ge=0, le=60, description="least number of years in posts of related fields, together"
    )
    min: Grade = Field(
        default="family",
        description=(
            "weakest match of a past post's field to the post's field that counts: "
            "exact (same field), family (same rumpun), related"
        ),
    )


def union_months(person: np.ndarray, start: np.ndarray, end: np.ndarray, n: int) -> np.ndarray:
    """Complete calendar months per person of the union of the spans ``start``-``end``.

    Spans of one person that overlap or touch are merged first, so no day
    counts twice; each merged span counts its complete months
    (:func:`engine.inputs.derive.months_between`).
    """
    out = np.zeros(n, dtype=np.int64)
    if not len(person):
        return out
    order = np.lexsort((start, person))
    p = person[order].astype(np.int64)
    s, e = start[order].astype("datetime64[D]"), end[order].astype("datetime64[D]")
    base = min(s.min(), e.min())
    s_days = (s - base).astype(np.int64)
    e_days = (e - base).astype(np.int64)
    width = int(e_days.max()) + 1
    # Running latest end within each person (rows are sorted by person, start).
    reach = np.maximum.accumulate(p * width + e_days) - p * width
    first = np.ones(len(p), dtype=bool)
    first[1:] = (p[1:] != p[:-1]) | (s_days[1:] > reach[:-1])
    starts = np.flatnonzero(first)
    last = np.append(starts[1:] - 1, len(p) - 1)
    ends = base + reach[last].astype("timedelta64[D]")
    months = months_between(s[starts], ends)
    np.add.at(out, p[starts], np.nan_to_num(months).astype(np.int64))
    return out


class PengalamanBidangKind(Kind):
    name = "pengalaman_bidang"
    Params = PengalamanBidangParams
    facts = ("field_history",)
    post_keys = ("field",)
    post_labels = ("bidang",)
    summary_id = (
        "Pengalaman jabatan kumulatif dalam bidang yang terkait dengan bidang jabatan "
        "(riwayat jabatan dengan bidang tiap jabatan; sama bidang atau satu rumpun menurut "
        "taksonomi bidang keilmuan). Bidang yang tidak diketahui dapat membuatnya UNKNOWN."
    )
    summary_en = (
        "Cumulative experience in posts whose field relates to the post's field (the post "
        "history with each post's field; same field or same family through the field "
        "taxonomy). Posts of unknown field can make it UNKNOWN."
    )
    example: ClassVar[dict[str, object]] = {"min_years": 5, "min": "family"}

    def _related(self, p, field: int) -> np.ndarray:
        """Bool per taxonomy field: a past post of that field counts for a post of ``field``."""
        assert self.taxonomy is not None
        return self.taxonomy.grade[:, field] >= FIELD_GRADES.index(p.min)

    def months(self, p, people: People, field: int) -> tuple[np.ndarray, np.ndarray]:
        """Per person: months in related posts, and months that related or unknown posts reach."""
        h: FieldHistory = people.field_history
        if field < 0:
            related = np.zeros(len(h.field), dtype=bool)
        else:
            related = (h.field >= 0) & self._related(p, field)[np.maximum(h.field, 0)]
        maybe = related | (h.field < 0)
        known = union_months(h.person[related], h.start[related], h.end[related], people.n)
        reach = union_months(h.person[maybe], h.start[maybe], h.end[maybe], people.n)
        return known, reach

    def evaluate(self, p, people, post):
        need = round(p.min_years * 12)
        known, reach = self.months(p, people, int(post.field))
        complete = people.field_history.complete
        out = np.where(known >= need, PASS, FAIL).astype(np.int8)
        out[(known < need) & ((reach >= need) | ~complete)] = UNKNOWN
        if post.field < 0:
            out[:] = UNKNOWN
        return out

    def explain(self, p, people, i, post, lang):
        known, reach = (int(m[i]) for m in self.months(p, people, int(post.field)))
        have, unknown = fmt_years(known / 12), fmt_years((reach - known) / 12)
        complete = bool(people.field_history.complete[i])
        if lang == "id":
            note = f"; {unknown} tahun lagi di jabatan yang bidangnya tidak diketahui" * (
                reach > known
            )
            if not complete:
                note += " (tanpa riwayat jabatan: hanya jabatan sekarang tercatat)"
            return (
                f"pengalaman dalam bidang terkait {post.bidang} (paling lemah '{p.min}'): "
                f"{have} tahun{note}; syarat paling sedikit {p.min_years:g} tahun"
            )
        note = f"; {unknown} more years in posts of unknown field" * (reach > known)
        if not complete:
            note += " (no post history: only the current post is on record)"
        return (
            f"experience in fields related to {post.bidang} (at least '{p.min}'): "
            f"{have} years{note}; required at least {p.min_years:g} years"
        )

    def counterfactual(self, p, people, i, post):
        need = round(p.min_years * 12)
        h = people.field_history
        rows = np.flatnonzero(h.person == i)
        field = int(post.field)
        today = np.datetime64(people.date, "D")
        if field >= 0 and len(rows):
            ok = (h.field[rows] >= 0) & self._related(p, field)[np.maximum(h.field[rows], 0)]
            mine = rows[ok]
            known = union_months(np.zeros(len(mine), np.int64), h.start[mine], h.end[mine], 1)[0]
            ongoing = mine[h.end[mine] == today]
            if len(ongoing):
                # The related span that runs to the date goes on: it gains the months missing.
                span_start = _span_start(h.start[mine], h.end[mine], today)
                span = int(months_between(np.array([span_start]), people.date)[0])
                when = shift_years(as_date(span_start), (span + need - int(known)) / 12)
                return Counterfactual(
                    f"memenuhi syarat mulai {when}", f"eligible from {when}", when
                )
            short = fmt_years((need - known) / 12)
            return Counterfactual(
                f"perlu {short} tahun lagi di jabatan dalam bidang terkait {post.bidang}",
                f"needs {short} more years in posts of fields related to {post.bidang}",
            )
        return Counterfactual(
            f"perlu riwayat jabatan dengan bidang tiap jabatan (bidang terkait {post.bidang})",
            f"needs a post history giving each post's field (related to {post.bidang})",
        )

    def time_behaviour(self, p, rank_progression=False):
        # Time in the current post accrues, and time on record is never lost.
        return TimeBehaviour.IMPROVES


def _span_start(start: np.ndarray, end: np.ndarray, today: np.datetime64) -> np.datetime64:
    """The first day of the merged span (of these rows) that reaches ``today``."""
    order = np.argsort(start, kind="stable")
    s, e = start[order], end[order]
    begin = s[-1]
    for k in range(len(s) - 1, -1, -1):
        if e[k] >= begin:
            begin = min(begin, s[k])
    return begin
