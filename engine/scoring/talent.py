"""Kotak talenta: the 3 x 3 talent box of kinerja x potensial, by regime.

Both axes are weighted sums of measures (0-100) named in the talent-box
rules file; thresholds, the box numbering and the talent pool are data,
dated by regime (PermenPANRB 3/2020 until 2025; Kepka BKN 411/2025 from
2026-01-01), never code.

Assumptions:

- A measure missing for a person is left out of that axis and the remaining
  weights are scaled up; a person with no measure at all on an axis has no
  box (box 0, reported as "unknown", never guessed).
- A person with no assessment at all (neither ``jpm`` nor ``kompetensi``) is
  scored as the weights file's ``missing_assessment`` says, the same policy
  the fit's potensi follows: ``neutral`` counts each of the two measures as
  the median of the people who have it
  (:func:`engine.scoring.fit.neutral_value`), ``zero`` counts them 0 points,
  ``not_eligible`` gives no box on an axis that weighs them (box 0: unknown,
  outside the talent pool). A person with one of the two has an assessment;
  the other is left out as any missing measure is.
- A level is "from" its threshold: a score equal to ``high_from`` is high.
- ``kesesuaian_bidang`` is the match of the person's major to the field of
  the structural post they hold; people without one have no such measure.
- Regimes of one file must not overlap in time; the regime in force at the
  scenario date applies to everybody.

Examples
--------
>>> import numpy as np
>>> grid = Grid(high=(6, 8, 9), medium=(3, 5, 7), low=(1, 2, 4))
>>> grid.high[2]  # above-expectation kinerja, high potensial
9
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import Field, field_validator, model_validator

from engine.errors import InputError, Problem, message
from engine.inputs import scales
from engine.inputs.derive import People, Posts
from engine.inputs.schema import Effective, Strict, in_force, validate, verified_field
from engine.inputs.settings import FIELD_GRADES, Taxonomy, WeightsVersion
from engine.inputs.yamlio import load_yaml
from engine.scoring.fit import neutral_value

__all__ = [
    "LEVELS",
    "BoxCounts",
    "TalentBox",
    "TalentBoxVersion",
    "TalentSettings",
    "box_counts",
    "load_talent_box",
    "talent_box",
]

Measure = Literal["skp", "jpm", "kompetensi", "kualifikasi", "kesesuaian_bidang", "integritas"]
LEVELS: tuple[str, ...] = ("low", "medium", "high")


class Thresholds(Strict):
    medium_from: float = Field(
        ge=0, le=100, description="axis score from which the level is medium"
    )
    high_from: float = Field(ge=0, le=100, description="axis score from which the level is high")

    @model_validator(mode="after")
    def _order(self) -> Thresholds:
        if self.medium_from >= self.high_from:
            raise ValueError(message("medium_below_high"))
        return self


class Grid(Strict):
    high: tuple[int, int, int] = Field(
        description="boxes of high potensial for kinerja below, as expected, above"
    )
    medium: tuple[int, int, int]
    low: tuple[int, int, int]

    @model_validator(mode="after")
    def _numbering(self) -> Grid:
        numbers = sorted([*self.high, *self.medium, *self.low])
        if numbers != list(range(1, 10)):
            raise ValueError(message("grid_numbering", found=numbers))
        return self


class AxisThresholds(Strict):
    kinerja: Thresholds = Field(
        description="cuts of the kinerja axis (below / as expected / above)"
    )
    potensial: Thresholds = Field(description="cuts of the potensial axis (low / medium / high)")


class TalentBoxVersion(Strict):
    regime: str
    source: str
    verified: bool = verified_field()
    effective: Effective
    kinerja: dict[Measure, float] = Field(description="measure -> weight of the kinerja axis")
    potensial: dict[Measure, float] = Field(description="measure -> weight of the potensial axis")
    thresholds: AxisThresholds
    boxes: Grid
    pool: list[int] = Field(description="boxes that form the talent pool")
    skp_years: int = Field(default=2, ge=1, le=5)
    kualifikasi_points: dict[str, float]
    integritas_points: dict[Literal["ringan", "sedang", "berat"], float]

    @field_validator("kinerja", "potensial")
    @classmethod
    def _weights(cls, value: dict[str, float]) -> dict[str, float]:
        if not value or any(w <= 0 for w in value.values()):
            raise ValueError(message("measure_weights"))
        return value

    @field_validator("pool")
    @classmethod
    def _pool(cls, value: list[int]) -> list[int]:
        if any(not 1 <= b <= 9 for b in value):
            raise ValueError(message("pool_boxes_range"))
        if len(set(value)) != len(value):
            raise ValueError(message("pool_box_twice"))
        return value

    @field_validator("kualifikasi_points")
    @classmethod
    def _kualifikasi(cls, value: dict[str, float]) -> dict[str, float]:
        missing = [p for p in scales.PENDIDIKAN if p not in value]
        unknown = [p for p in value if p not in scales.PENDIDIKAN]
        if missing or unknown:
            raise ValueError(
                message("kualifikasi_points_exact", levels=", ".join(scales.PENDIDIKAN))
            )
        return value

    def box_of(self, kinerja_level: np.ndarray, potensial_level: np.ndarray) -> np.ndarray:
        grid = np.array([self.boxes.low, self.boxes.medium, self.boxes.high], dtype=np.int8)
        out = np.zeros(len(kinerja_level), dtype=np.int8)
        known = (kinerja_level >= 0) & (potensial_level >= 0)
        out[known] = grid[potensial_level[known], kinerja_level[known]]
        return out


class TalentFile(Strict):
    kind: Literal["talent_box"]
    versions: list[TalentBoxVersion]


@dataclass(frozen=True)
class TalentSettings:
    """Every regime of a talent-box file, ordered by start date."""

    versions: tuple[TalentBoxVersion, ...]
    name: str = "talent box"  # the file, as messages name it

    def at(self, day: dt.date) -> TalentBoxVersion:
        """The regime in force on ``day``; :class:`InputError`, naming the dates the file covers, if none is."""
        return in_force(self.versions, day, self.name, "talent-box")


def load_talent_box(path: Path, display: str | None = None) -> TalentSettings:
    """Read and check a talent-box settings file (``kind: talent_box``).

    Parameters
    ----------
    path:
        The YAML file.
    display:
        How the file is named in messages (default: ``path``).

    Returns
    -------
    TalentSettings
        The regimes, ordered by start date.

    Raises
    ------
    InputError
        Every problem at once, each as ``file:line``: unknown keys, wrong
        values, a box numbering that is not 1-9 once each, regimes that
        overlap in time.
    """
    name = display or str(path)
    data, lines = load_yaml(path, name)
    model, problems = validate(TalentFile, data, lines, name)
    if problems:
        raise InputError(problems)
    assert model is not None
    ordered = sorted(enumerate(model.versions), key=lambda iv: iv[1].effective.from_)
    for (ia, a), (ib, b) in itertools.pairwise(ordered):
        if a.effective.until is None or a.effective.until >= b.effective.from_:
            later = max(ia, ib)
            problems.append(
                Problem(
                    name,
                    message(
                        "regimes_overlap",
                        a=a.regime,
                        ia=ia,
                        b=b.regime,
                        ib=ib,
                        day=b.effective.from_,
                    ),
                    line=lines.line_of(("versions", later, "effective")),
                    column=f"versions[{later}].effective",
                    allowed=message("versions_overlap_allowed"),
                )
            )
    if problems:
        raise InputError(problems)
    return TalentSettings(tuple(v for _, v in ordered), name)


@dataclass(frozen=True)
class TalentBox:
    """Per person: axis scores (NaN if unknown), levels (0 low, 1 medium, 2 high, -1 unknown), box (0 unknown)."""

    kinerja: np.ndarray
    potensial: np.ndarray
    kinerja_level: np.ndarray
    potensial_level: np.ndarray
    box: np.ndarray
    in_pool: np.ndarray
    regime: str
    #: bool per person: no assessment (neither JPM nor kompetensi) where an axis weighs one
    missing_assessment: np.ndarray | None = None


def _measures(
    people: People, posts: Posts, taxonomy: Taxonomy, v: TalentBoxVersion, w: WeightsVersion
) -> dict[str, np.ndarray]:
    # The SKP predikat and field-match points are the weights file's (rules/bobot.yaml,
    # the version in force): one table for the fit and the talent box.
    window = people.skp[:, : v.skp_years]
    points = np.array([w.skp_points[p] for p in scales.SKP_PREDIKAT])
    known = window >= 0
    count = known.sum(axis=1)
    total = np.where(known, points[np.clip(window, 0, None)], 0.0).sum(axis=1)
    skp = np.where(count > 0, total / np.maximum(count, 1), np.nan)
    kualifikasi = np.array(
        [v.kualifikasi_points.get(p, np.nan) if p else np.nan for p in people.pendidikan_label]
    )
    field = np.full(people.n, np.nan)
    held = people.home >= 0
    post_field = posts.field[people.home[held]]
    major = people.field[held]
    ok = (post_field >= 0) & (major >= 0)
    grades = np.zeros(held.sum(), dtype=np.int64)
    grades[ok] = taxonomy.grade[major[ok], post_field[ok]]
    field[held] = np.array([w.field_points[FIELD_GRADES[g]] for g in grades]) if held.any() else []
    integ_points = np.array([v.integritas_points[t] for t in scales.HUKUMAN_TINGKAT])
    integritas = np.where(
        people.hukuman >= 0, integ_points[np.clip(people.hukuman, 0, None)], 100.0
    )
    return {
        "skp": skp,
        "jpm": people.jpm.astype(float),
        "kompetensi": people.kompetensi * 20.0,
        "kualifikasi": kualifikasi,
        "kesesuaian_bidang": field,
        "integritas": integritas,
    }


def _axis(measures: dict[str, np.ndarray], weights: dict[str, float], n: int) -> np.ndarray:
    total = np.zeros(n)
    weight = np.zeros(n)
    for name, w in weights.items():
        value = measures[name]
        have = ~np.isnan(value)
        total += np.where(have, value * w, 0.0)
        weight += np.where(have, w, 0.0)
    return np.where(weight > 0, total / np.maximum(weight, 1e-12), np.nan)


def _level(score: np.ndarray, t: Thresholds) -> np.ndarray:
    level = np.full(len(score), -1, dtype=np.int8)
    known = ~np.isnan(score)
    level[known] = (score[known] >= t.medium_from).astype(np.int8) + (
        score[known] >= t.high_from
    ).astype(np.int8)
    return level


def talent_box(
    people: People,
    posts: Posts,
    taxonomy: Taxonomy,
    version: TalentBoxVersion,
    weights: WeightsVersion,
) -> TalentBox:
    """Place every person in the talent box of ``version``.

    Parameters
    ----------
    people, posts:
        Derived arrays at the scenario date (the SKP window and the post held
        are read from them).
    taxonomy:
        Field taxonomy, for ``kesesuaian_bidang``.
    version:
        The regime in force (:meth:`TalentSettings.at`).
    weights:
        The weights version in force: its SKP predikat and field-match points
        score ``skp`` and ``kesesuaian_bidang``, and its ``missing_assessment``
        says how a person without any assessment counts (``neutral``,
        ``zero`` or ``not_eligible``; see the module docstring).

    Returns
    -------
    TalentBox
        Axis scores (rounded to 0.1), levels and box per person; box 0 where
        an axis has no measure at all.
    """
    missing_assessment = weights.missing_assessment
    measures = _measures(people, posts, taxonomy, version, weights)
    unassessed = np.isnan(measures["jpm"]) & np.isnan(measures["kompetensi"])
    if missing_assessment != "not_eligible":
        for name in ("jpm", "kompetensi"):
            have = ~np.isnan(measures[name])
            fill = 0.0 if missing_assessment == "zero" else neutral_value(measures[name][have])
            measures[name] = np.where(unassessed, fill, measures[name])
    kinerja = _axis(measures, version.kinerja, people.n)
    potensial = _axis(measures, version.potensial, people.n)
    weighs = [
        axis
        for axis, weights in ((kinerja, version.kinerja), (potensial, version.potensial))
        if {"jpm", "kompetensi"} & set(weights)
    ]
    if missing_assessment == "not_eligible":
        for axis in weighs:
            axis[unassessed] = np.nan
    kl = _level(kinerja, version.thresholds.kinerja)
    pl = _level(potensial, version.thresholds.potensial)
    box = version.box_of(kl, pl)
    return TalentBox(
        kinerja=np.round(kinerja, 1),
        potensial=np.round(potensial, 1),
        kinerja_level=kl,
        potensial_level=pl,
        box=box,
        in_pool=np.isin(box, version.pool),
        regime=version.regime,
        missing_assessment=unassessed & bool(weighs),
    )


@dataclass(frozen=True)
class BoxCounts:
    """Counts and names per box, and counts per unit and box.

    ``by_box`` has keys 0-9 (0: unknown, an axis without any measure);
    ``names[b]`` lists ``(nip, nama)`` of box ``b``, best combined score first
    (ties by NIP); ``by_unit[unit][b]`` counts people of ``unit`` in box ``b``
    (only non-zero counts).
    """

    regime: str
    pool: tuple[int, ...]
    by_box: dict[int, int]
    names: dict[int, list[tuple[str, str]]]
    by_unit: dict[str, dict[int, int]]
    pool_size: int
    counted: int

    def as_dict(self) -> dict[str, object]:
        """JSON-ready form (string keys)."""
        return {
            "regime": self.regime,
            "pool_boxes": list(self.pool),
            "pool_size": self.pool_size,
            "counted": self.counted,
            "by_box": {str(b): n for b, n in self.by_box.items()},
            "names": {
                str(b): [{"nip": nip, "nama": nama} for nip, nama in rows]
                for b, rows in self.names.items()
            },
            "by_unit": {
                unit: {str(b): n for b, n in counts.items()}
                for unit, counts in self.by_unit.items()
            },
        }


def box_counts(
    tb: TalentBox,
    people: People,
    version: TalentBoxVersion,
    mask: np.ndarray | None = None,
) -> BoxCounts:
    """Count the people of ``mask`` (default: everybody) per box and per unit.

    Parameters
    ----------
    tb:
        The talent box of ``people`` (:func:`talent_box`).
    people:
        The people it was computed for (names, units).
    version:
        The regime ``tb`` was computed under (its pool boxes).
    mask:
        Bool mask of the people to count.

    Examples
    --------
    A person in box 9 of a pool [7, 8, 9] is in the pool; one of box 0
    (unknown) is counted under "0" and never in the pool.
    """
    keep = np.ones(people.n, dtype=bool) if mask is None else np.asarray(mask, dtype=bool)
    idx = np.flatnonzero(keep)
    box = tb.box[idx].astype(np.int64)
    combined = np.nan_to_num(tb.kinerja[idx], nan=-1.0) + np.nan_to_num(tb.potensial[idx], nan=-1.0)
    order = np.lexsort((people.nip[idx].astype(str), -combined))
    by_box = {b: int(n) for b, n in enumerate(np.bincount(box, minlength=10))}
    names: dict[int, list[tuple[str, str]]] = {b: [] for b in range(10)}
    for k in order:
        names[int(box[k])].append((str(people.nip[idx[k]]), str(people.nama[idx[k]])))
    # per unit: one count of the distinct (unit, box) pairs, units in sorted order
    unit_names, unit_of = np.unique(people.unit[idx].astype(str), return_inverse=True)
    pairs, pair_count = np.unique(np.stack([unit_of.ravel(), box]), axis=1, return_counts=True)
    by_unit: dict[str, dict[int, int]] = {str(unit): {} for unit in unit_names.tolist()}
    for k, n in enumerate(pair_count.tolist()):
        unit, b = pairs[:, k].tolist()
        by_unit[str(unit_names[unit])][b] = n
    return BoxCounts(
        regime=tb.regime,
        pool=tuple(version.pool),
        by_box=by_box,
        names=names,
        by_unit=by_unit,
        pool_size=int(tb.in_pool[idx].sum()),
        counted=len(idx),
    )
