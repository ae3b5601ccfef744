"""Regular promotion in rank (kenaikan pangkat reguler) on schedule.

Takes a ``kind: rank_progression`` rules file (e.g.
``rules/kenaikan-pangkat.yaml``): one golongan step every ``period_years``
complete calendar years in grade, counted from TMT golongan, never above the
ceiling of the person's jenis jabatan. Gives :class:`RankProgression`, which
projects golongan and TMT golongan to a later date (for succession's "ready
soon") and applies the steps due to the tables (between a horizon's yearly
rounds). The file is read strictly: every problem at once, as ``file:line``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import Field, field_validator

from engine.errors import InputError
from engine.inputs import scales
from engine.inputs.data import Tables
from engine.inputs.schema import Effective, Strict, every_level, validate
from engine.inputs.yamlio import load_yaml

__all__ = ["RankProgression", "load_rank_progression"]

Golongan = Literal[scales.GOLONGAN]  # type: ignore[valid-type]


class RankProgressionFile(Strict):
    kind: Literal["rank_progression"]
    source: str = Field(min_length=3, description="legal basis")
    effective: Effective
    period_years: int = Field(
        ge=1, le=10, description="complete years in grade for one regular step"
    )
    ceilings: dict[str, Golongan] = Field(  # type: ignore[valid-type]
        description="highest golongan regular promotion reaches, per jenis jabatan"
    )

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
    """

    period_years: int
    ceilings: dict[str, str]
    source: str

    def ceiling_codes(self, jenis: np.ndarray) -> np.ndarray:
        """Golongan code of the ceiling of each person's jenis jabatan."""
        codes = {j: scales.golongan_index(g) for j, g in self.ceilings.items()}
        return np.array([codes.get(str(j), -1) for j in jenis], dtype=np.int16)

    def project(
        self, golongan: np.ndarray, tmt_golongan: np.ndarray, jenis: np.ndarray, day: dt.date
    ) -> tuple[np.ndarray, np.ndarray]:
        """Golongan codes and TMT golongan on ``day`` if regular promotion ran on schedule.

        Steps fall due every ``period_years`` complete calendar years from TMT
        golongan (the golongan counterfactual's schedule); a person gets every
        step due by ``day`` up to the ceiling, and the new TMT is the date the
        last step fell due. Missing golongan or TMT: unchanged.
        """
        g = np.asarray(golongan, dtype=np.int16)
        tmt = np.asarray(tmt_golongan, dtype="datetime64[D]")
        known = (g >= 0) & ~np.isnat(tmt)
        months = _complete_months(tmt, day)
        due = np.where(known, np.maximum(months, 0) // (12 * self.period_years), 0)
        room = np.maximum(self.ceiling_codes(jenis).astype(np.int64) - g, 0)
        steps = np.where(known, np.minimum(due, room), 0).astype(np.int64)
        month0 = tmt.astype("datetime64[M]")
        offset = tmt - month0.astype("datetime64[D]")
        shifted = (month0 + (steps * 12 * self.period_years).astype("timedelta64[M]")).astype(
            "datetime64[D]"
        ) + offset
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
    return RankProgression(model.period_years, dict(model.ceilings), model.source)
