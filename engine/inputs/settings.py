"""Settings files that change with regulation: field taxonomy, score weights, BUP.

Each is a YAML file with a ``kind:`` key and dated content, read strictly
(:mod:`engine.inputs.schema`). Code holds no figure that a regulation may change.

- ``kind: taxonomy``: families -> fields -> majors, plus related fields.
- ``kind: weights``: dated versions of the fit-score weights, the SKP
  predikat points and the field-match grades (PermenPANRB 3/2020 until
  2025; Kepka BKN 411/2025 from 2026-01-01).
- ``kind: bup``: dated versions of the retirement age (batas usia pensiun) per
  jenis jabatan (UU 5/2014 jo. PP 11/2017; UU 20/2023).
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

import numpy as np
from pydantic import Field, field_validator, model_validator

from engine.errors import InputError, Problem, message
from engine.inputs import scales
from engine.inputs.schema import (
    Effective,
    Strict,
    every_level,
    in_force,
    validate,
    verified_field,
)
from engine.inputs.yamlio import LineMap, load_yaml

__all__ = [
    "FIELD_GRADES",
    "MISSING_ASSESSMENT",
    "STRUCTURAL",
    "BupTable",
    "BupVersion",
    "MissingAssessment",
    "Taxonomy",
    "Weights",
    "WeightsVersion",
    "load_bup",
    "load_taxonomy",
    "load_weights",
]

# Field-match grades, weakest first.
FIELD_GRADES: tuple[str, ...] = ("none", "related", "family", "exact")
COMPONENTS: tuple[str, ...] = ("kinerja", "potensi", "keilmuan", "pengalaman")
#: How a person without any assessment (neither JPM nor managerial competency
#: level) is scored, in the fit and in the talent box: ``neutral`` (the
#: missing measure is left out and the others count in its place), ``zero``
#: (it counts 0 points) or ``not_eligible`` (not eligible for the posts that
#: need an assessment, ``assessment_required_for``; neutral elsewhere).
MISSING_ASSESSMENT: tuple[str, ...] = ("neutral", "zero", "not_eligible")
MissingAssessment = Literal["neutral", "zero", "not_eligible"]
STRUCTURAL: tuple[str, ...] = ("JPT Pratama", "Administrator", "Pengawas")


class TaxonomyFile(Strict):
    kind: Literal["taxonomy"]
    source: str
    verified: bool = verified_field()
    effective: Effective
    families: dict[str, dict[str, list[str]]] = Field(description="family -> field -> majors")
    related: list[tuple[str, str]] = Field(
        default_factory=list, description="pairs of related fields"
    )

    @model_validator(mode="after")
    def _check(self) -> TaxonomyFile:
        fields: dict[str, str] = {}
        majors: dict[str, str] = {}
        for family, members in self.families.items():
            for name, listed in members.items():
                if name in fields:
                    raise ValueError(
                        message(
                            "field_in_two_families", name=name, first=fields[name], second=family
                        )
                    )
                fields[name] = family
                for major in listed:
                    if major in majors:
                        raise ValueError(
                            message(
                                "major_in_two_fields", major=major, first=majors[major], second=name
                            )
                        )
                    majors[major] = name
        for a, b in self.related:
            for f in (a, b):
                if f not in fields:
                    raise ValueError(message("related_not_in_taxonomy", name=f))
        return self


@dataclass(frozen=True)
class Taxonomy:
    """Majors -> field -> family, and a field x field grade matrix."""

    fields: tuple[str, ...]
    family_of: dict[str, str]
    field_of_major: dict[str, str]
    grade: np.ndarray  # (n_fields, n_fields) int8 codes into FIELD_GRADES
    source: str
    verified: bool = False

    def field_code(self, field: str | None) -> int:
        return self.fields.index(field) if field in self.family_of else -1

    def major_codes(self, majors: object) -> np.ndarray:
        """Field code of each major (``-1`` for an unknown or missing major)."""
        index = {f: i for i, f in enumerate(self.fields)}
        return np.array(
            [index.get(self.field_of_major.get(m, ""), -1) for m in majors], dtype=np.int32
        )  # type: ignore[attr-defined]

    def grade_of(self, major: str | None, field: str) -> str:
        f = self.field_of_major.get(major or "")
        if f is None or field not in self.family_of:
            return "none"
        return FIELD_GRADES[self.grade[self.fields.index(f), self.fields.index(field)]]


def load_taxonomy(path: Path, display: str | None = None) -> Taxonomy:
    """Read and check a taxonomy file."""
    name = display or str(path)
    data, lines = load_yaml(path, name)
    model, problems = validate(TaxonomyFile, data, lines, name)
    if problems:
        raise InputError(problems)
    assert model is not None
    fields = tuple(f for members in model.families.values() for f in members)
    family_of = {f: fam for fam, members in model.families.items() for f in members}
    field_of_major = {
        m: f for members in model.families.values() for f, ms in members.items() for m in ms
    }
    n = len(fields)
    grade = np.zeros((n, n), dtype=np.int8)
    fam = np.array([family_of[f] for f in fields], dtype=object)
    grade[fam[:, None] == fam[None, :]] = FIELD_GRADES.index("family")
    for a, b in model.related:
        i, j = fields.index(a), fields.index(b)
        grade[i, j] = grade[j, i] = max(grade[i, j], FIELD_GRADES.index("related"))
    np.fill_diagonal(grade, FIELD_GRADES.index("exact"))
    return Taxonomy(fields, family_of, field_of_major, grade, model.source, model.verified)


class WeightsVersion(Strict):
    effective: Effective
    source: str
    verified: bool = verified_field()
    regime: str = Field(description="short name of the regime, shown in the manifest")
    components: dict[Literal["kinerja", "potensi", "keilmuan", "pengalaman"], float] = Field(
        description="weight of each fit component, summing to 100"
    )
    skp_points: dict[str, float] = Field(description="points of each SKP predikat, 0-100")
    skp_years: int = Field(default=2, ge=1, le=5, description="SKP years averaged for kinerja")
    field_points: dict[Literal["none", "related", "family", "exact"], float] = Field(
        description="points of each field-match grade, 0-100"
    )
    experience_cap_years: float = Field(
        default=10, gt=0, description="years of relevant experience that give full points"
    )
    talent_box: dict[str, float] | None = Field(
        default=None, description="reserved for the talent-box thresholds"
    )
    missing_assessment: MissingAssessment = Field(
        default="neutral",
        description=(
            "a person with no assessment (neither JPM nor managerial competency level), in the fit "
            "(potensi) and in the talent box alike: neutral (default; the missing measure is left "
            "out and the others count in its place), zero (it counts 0 points) or not_eligible "
            "(not eligible for posts of `assessment_required_for`: a hard rule 'bobot.penilaian'; "
            "neutral elsewhere; no talent box)"
        ),
    )
    assessment_required_for: list[Literal[STRUCTURAL]] = Field(  # type: ignore[valid-type]
        default_factory=lambda: list(STRUCTURAL),
        description="with missing_assessment: not_eligible, the jenis jabatan whose posts need an assessment",
    )

    @field_validator("components")
    @classmethod
    def _sum_100(cls, value: dict[str, float]) -> dict[str, float]:
        missing = [c for c in COMPONENTS if c not in value]
        if missing:
            raise ValueError(message("components_missing", missing=", ".join(missing)))
        total = sum(value.values())
        if abs(total - 100) > 1e-9:
            raise ValueError(message("weights_not_100", total=f"{total:g}"))
        return value

    @field_validator("skp_points")
    @classmethod
    def _skp(cls, value: dict[str, float]) -> dict[str, float]:
        unknown = [k for k in value if k not in scales.SKP_PREDIKAT]
        if unknown:
            allowed = ", ".join(scales.SKP_PREDIKAT)
            raise ValueError(message("unknown_skp_predikat", found=unknown, allowed=allowed))
        missing = [k for k in scales.SKP_PREDIKAT if k not in value]
        if missing:
            raise ValueError(message("skp_predikat_missing", missing=", ".join(missing)))
        return value


class WeightsFile(Strict):
    kind: Literal["weights"]
    versions: list[WeightsVersion]


@dataclass(frozen=True)
class Weights:
    versions: tuple[WeightsVersion, ...]
    name: str = "weights"  # the file, as messages name it

    def at(self, day: dt.date) -> WeightsVersion:
        """The version in force on ``day``; an :class:`InputError` naming the dates the file covers."""
        return in_force(self.versions, day, self.name, "weights")


def load_weights(path: Path, display: str | None = None) -> Weights:
    """Read and check a weights file; versions must not overlap in time."""
    name = display or str(path)
    data, lines = load_yaml(path, name)
    model, problems = validate(WeightsFile, data, lines, name)
    if problems:
        raise InputError(problems)
    assert model is not None
    return Weights(_ordered(model.versions, lines, name), name)


class BupVersion(Strict):
    source: str
    verified: bool = verified_field()
    effective: Effective
    # Bounded: an age like 10**30 would overflow the date arithmetic of
    # retirement_dates (UU 20/2023 ages are 58-70).
    ages: dict[str, Annotated[int, Field(ge=40, le=80)]] = Field(
        description="retirement age per jenis jabatan"
    )
    rule: Literal["first-of-next-month", "birthday"] = Field(
        default="first-of-next-month", description="when retirement falls relative to the birthday"
    )

    @field_validator("ages")
    @classmethod
    def _levels(cls, value: dict[str, int]) -> dict[str, int]:
        return every_level(value, scales.JENIS_JABATAN, "jenis jabatan")

    def retirement_dates(self, born: np.ndarray, jenis: np.ndarray) -> np.ndarray:
        """Retirement date of each person (datetime64[D]) under this version's ages.

        Under ``first-of-next-month`` retirement falls on the first day of the
        month after the birthday at BUP age; under ``birthday`` on the birthday.
        """
        # Every jenis jabatan has its age in the file (BupVersion checks it): no fallback here.
        age = np.array([self.ages[str(j)] for j in jenis], dtype="int64")
        born_m = born.astype("datetime64[M]")
        months = born_m + (age * 12).astype("timedelta64[M]")
        if self.rule == "first-of-next-month":
            return (months + np.timedelta64(1, "M")).astype("datetime64[D]")
        day = born.astype("datetime64[D]") - born_m.astype("datetime64[D]")
        return months.astype("datetime64[D]") + day


class BupFile(Strict):
    kind: Literal["bup"]
    versions: list[BupVersion] = Field(min_length=1)


@dataclass(frozen=True)
class BupTable:
    """Every dated version of a BUP file, ordered by start date."""

    versions: tuple[BupVersion, ...]
    name: str = "bup"  # the file, as messages name it

    def at(self, day: dt.date) -> BupVersion:
        """The version in force on ``day``; an :class:`InputError` naming the dates the file covers."""
        return in_force(self.versions, day, self.name, "BUP")

    def retirement_dates(self, born: np.ndarray, jenis: np.ndarray, day: dt.date) -> np.ndarray:
        """Retirement date of each person under the ages in force on ``day`` (the round's date).

        A round reads the table in force on its own date: a change of the
        law takes effect for the rounds held from its date on.
        """
        return self.at(day).retirement_dates(born, jenis)


def load_bup(path: Path, display: str | None = None) -> BupTable:
    """Read and check a BUP file; versions must not overlap in time."""
    name = display or str(path)
    data, lines = load_yaml(path, name)
    model, problems = validate(BupFile, data, lines, name)
    if problems:
        raise InputError(problems)
    assert model is not None
    return BupTable(_ordered(model.versions, lines, name), name)


def _ordered(versions: list, lines: LineMap, name: str) -> tuple:
    """Versions by start date; an :class:`InputError` when two are in force on one day."""
    ordered = sorted(enumerate(versions), key=lambda iv: iv[1].effective.from_)
    problems = [
        Problem(
            name,
            message("versions_overlap", a=ia + 1, b=ib + 1, day=b.effective.from_),
            line=lines.line_of(("versions", ib, "effective")),
            allowed=message("versions_overlap_allowed"),
        )
        for (ia, a), (ib, b) in itertools.pairwise(ordered)
        if a.effective.until is None or a.effective.until >= b.effective.from_
    ]
    if problems:
        raise InputError(problems)
    return tuple(v for _, v in ordered)
