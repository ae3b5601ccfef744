"""Regular promotion in rank (kenaikan pangkat reguler) on schedule.

Takes a ``kind: rank_progression`` rules file (``rules/kenaikan-pangkat.yaml``,
the one place its figures live): a golongan step falls due after
``period_years`` complete calendar years in grade, counted from TMT golongan,
and takes effect on the first of the fixed ``promotion_dates`` (1 April and
1 October) on or after it; never above the ceiling of the person's jenis
jabatan. Gives :class:`RankProgression`, which projects golongan and TMT
golongan to a later date (for succession's "ready soon" and the golongan
rule's counterfactual date) and applies the steps due to the tables (between
a horizon's yearly rounds). The file is read strictly: every problem at
once, as ``file:line``.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import Field, field_validator

from engine.errors import InputError, message
from engine.inputs import scales
from engine.inputs.data import Tables
from engine.inputs.schema import Effective, Strict, every_level, validate, verified_field
from engine.inputs.yamlio import load_yaml

__all__ = ["BUNDLED", "RankProgression", "bundled_rank_progression", "load_rank_progression"]

Golongan = Literal[scales.GOLONGAN]  # type: ignore[valid-type]
_MONTH_DAY = re.compile(r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")
# The bundled file: what the golongan rule's counterfactual reads when a caller gives none.
BUNDLED = Path(__file__).resolve().parents[2] / "rules" / "kenaikan-pangkat.yaml"


class RankProgressionFile(Strict):
    kind: Literal["rank_progression"]
    source: str = Field(min_length=3, description="legal basis")
    verified: bool = verified_field()
    effective: Effective
    period_years: int = Field(
        ge=1, le=10, description="complete years in grade for one regular step"
    )
    ceilings: dict[str, Golongan] = Field(  # type: ignore[valid-type]
        description="highest golongan regular promotion reaches, per jenis jabatan"
    )
    promotion_dates: list[str] = Field(
        min_length=1,
        description="the fixed days (MM-DD) on which regular promotions take effect",
    )

    @field_validator("promotion_dates")
    @classmethod
    def _days(cls, value: list[str]) -> list[str]:
        for day in value:
            if not _MONTH_DAY.match(day):
                raise ValueError(message("not_month_day", day=day))
        return sorted(set(value))

    @field_validator("ceilings")
    @classmethod
    def _levels(cls, value: dict[str, str]) -> dict[str, str]:
        return every_level(value, scales.JENIS_JABATAN, "jenis jabatan")


@dataclass(frozen=True)
class RankProgression:
    """Regular promotion in rank: one step every ``period_years``, up to a ceiling per level.

    Examples
    --------
    >>> rp = RankProgression(4, {j: "III/d" for j in scales.JENIS_JABATAN}, "contoh")
    >>> g = np.array([scales.golongan_index("III/b")], dtype=np.int16)
    >>> tmt = np.array(["2018-04-01"], dtype="datetime64[D]")
    >>> new, new_tmt = rp.project(g, tmt, np.array(["Pengawas"], dtype=object), dt.date(2027, 1, 4))
    >>> scales.GOLONGAN[new[0]], str(new_tmt[0])  # 8 years in grade: two steps, capped at III/d
    ('III/d', '2026-04-01')
    >>> tmt = np.array(["2022-09-01"], dtype="datetime64[D]")  # due 2026-09-01, in effect 1 October
    >>> new, new_tmt = rp.project(g, tmt, np.array(["Pengawas"], dtype=object), dt.date(2027, 1, 4))
    >>> scales.GOLONGAN[new[0]], str(new_tmt[0])
    ('III/c', '2026-10-01')
    """

    period_years: int
    ceilings: dict[str, str]
    source: str
    promotion_dates: tuple[str, ...] = ("04-01", "10-01")
    verified: bool = False

    def first_effective(self, due: np.ndarray) -> np.ndarray:
        """The first promotion date on or after each ``due`` date (datetime64[D])."""
        due = np.asarray(due, dtype="datetime64[D]")
        year = due.astype("datetime64[Y]")
        out = np.full(due.shape, np.datetime64("NaT"), dtype="datetime64[D]")
        for offset in (0, 1):
            for md in self.promotion_dates:
                month, day = (int(x) for x in md.split("-"))
                when = (
                    (year + np.timedelta64(offset, "Y")).astype("datetime64[M]")
                    + np.timedelta64(month - 1, "M")
                ).astype("datetime64[D]") + np.timedelta64(day - 1, "D")
                take = np.isnat(out) & (when >= due)
                out[take] = when[take]
        return out

    def earliest(self, golongan: int, need: int, tmt: dt.date, jenis: str, day: dt.date):
        """The first date after ``day`` on which regular promotion brings ``golongan`` to
        ``need`` (a code), or ``None`` when the ceiling of ``jenis`` is below it.

        The first step takes effect on the first promotion date on or after
        ``period_years`` in grade from ``tmt``, or, when that is already past
        at ``day`` (the data shows no step), on the first promotion date after
        ``day``; each further step ``period_years`` after the one before.
        """
        ceiling = self.ceiling_codes(np.array([jenis], dtype=object))[0]
        if need > ceiling:
            return None
        steps = need - golongan
        due = np.datetime64(_shift_months(tmt, 12 * self.period_years), "D")
        first = self.first_effective(np.array([due]))[0]
        if first <= np.datetime64(day, "D"):
            first = self.first_effective(np.array([np.datetime64(day, "D") + 1]))[0]
        start = dt.date.fromisoformat(str(first))
        return _shift_months(start, 12 * self.period_years * (steps - 1))

    def ceiling_codes(self, jenis: np.ndarray) -> np.ndarray:
        """Golongan code of the ceiling of each person's jenis jabatan."""
        codes = {j: scales.golongan_index(g) for j, g in self.ceilings.items()}
        return np.array([codes.get(str(j), -1) for j in jenis], dtype=np.int16)

    def project(
        self, golongan: np.ndarray, tmt_golongan: np.ndarray, jenis: np.ndarray, day: dt.date
    ) -> tuple[np.ndarray, np.ndarray]:
        """Golongan codes and TMT golongan on ``day`` if regular promotion ran on schedule.

        The first step falls due after ``period_years`` complete calendar
        years from TMT golongan and takes effect on the first promotion date on
        or after that; each further step ``period_years`` after the one
        before. A person gets every step in effect by ``day`` up to the
        ceiling, and the new TMT is the date the last step took effect.
        Missing golongan or TMT: unchanged.
        """
        g = np.asarray(golongan, dtype=np.int16)
        tmt = np.asarray(tmt_golongan, dtype="datetime64[D]")
        known = (g >= 0) & ~np.isnat(tmt)
        period = 12 * self.period_years
        month0 = tmt.astype("datetime64[M]")
        offset = tmt - month0.astype("datetime64[D]")
        # The day the first step falls due (a day the month lacks: the 1st of the next).
        due = (month0 + np.timedelta64(period, "M")).astype("datetime64[D]") + offset
        last = (month0 + np.timedelta64(period + 1, "M")).astype("datetime64[D]")
        due = np.where(known, np.minimum(due, last), np.datetime64("1970-01-01", "D"))
        first = self.first_effective(due)
        months = _complete_months(first, day)
        reached = known & (first <= np.datetime64(day, "D"))
        due_steps = np.where(reached, 1 + np.maximum(months, 0) // period, 0)
        room = np.maximum(self.ceiling_codes(jenis).astype(np.int64) - g, 0)
        steps = np.where(known, np.minimum(due_steps, room), 0).astype(np.int64)
        first_m = first.astype("datetime64[M]")
        shifted = (first_m + (np.maximum(steps - 1, 0) * period).astype("timedelta64[M]")).astype(
            "datetime64[D]"
        ) + (first - first_m.astype("datetime64[D]"))
        new_tmt = np.where(steps > 0, shifted, tmt)
        return (g + steps).astype(np.int16), new_tmt

    def apply(self, tables: Tables, day: dt.date) -> tuple[Tables, int]:
        """New tables with every step due by ``day`` applied; and how many people moved up."""
        peg = tables.pegawai
        g = np.asarray(peg["golongan"].cat.codes, dtype=np.int16)
        tmt = peg["tmt_golongan"].to_numpy(dtype="datetime64[D]")
        jenis = peg["jenis_jabatan"].astype(str).to_numpy(dtype=object)
        new_g, new_tmt = self.project(g, tmt, jenis, day)
        changed = new_g != g
        if not changed.any():
            return tables, 0
        peg = peg.copy()
        labels = np.array(scales.GOLONGAN, dtype=object)
        peg["golongan"] = pd.Series(
            scales.categorical(
                np.where(new_g >= 0, labels[np.clip(new_g, 0, None)], None), scales.GOLONGAN
            ),
            index=peg.index,
        )
        peg["tmt_golongan"] = pd.Series(new_tmt, index=peg.index).astype(peg["tmt_golongan"].dtype)
        return replace(tables, pegawai=peg), int(changed.sum())


def _complete_months(start: np.ndarray, day: dt.date) -> np.ndarray:
    """Complete calendar months from each ``start`` to ``day`` (NaT: 0)."""
    month0 = start.astype("datetime64[M]")
    start_day = (start - month0.astype("datetime64[D]")).astype(np.int64) + 1
    months = (np.datetime64(day, "M") - month0).astype(np.int64)
    months = months - (day.day < start_day)
    return np.where(np.isnat(start), 0, months)


def _shift_months(day: dt.date, months: int) -> dt.date:
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    try:
        return dt.date(year, month + 1, day.day)
    except ValueError:  # the month lacks the day: the first of the next month
        return dt.date(year + (month == 11), (month + 1) % 12 + 1, 1)


@functools.cache
def bundled_rank_progression() -> RankProgression:
    """The bundled rules/kenaikan-pangkat.yaml (read once)."""
    return load_rank_progression(BUNDLED, "rules/kenaikan-pangkat.yaml")


def load_rank_progression(path: Path, display: str | None = None) -> RankProgression:
    """Read and check a rank-progression file (``kind: rank_progression``).

    Raises
    ------
    InputError
        Every problem at once as ``file:line``: unknown keys, a golongan that
        does not exist, a jenis jabatan without a ceiling.
    """
    name = display or str(path)
    data, lines = load_yaml(path, name)
    model, problems = validate(RankProgressionFile, data, lines, name)
    if problems:
        raise InputError(problems)
    assert model is not None
    return RankProgression(
        model.period_years,
        dict(model.ceilings),
        model.source,
        tuple(model.promotion_dates),
        model.verified,
    )
