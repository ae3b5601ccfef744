"""Equivalences the regulations set between levels of a scale (``kind: equivalences``).

Takes ``rules/kesetaraan.yaml`` (or the file a scenario names under
``equivalences:``), the one place these figures live:

- ``pendidikan``: education levels, lowest first; levels in one entry are
  equal (PP 11/2017 asks for "sarjana atau diploma IV": S1 and D4 share a rank);
- ``jenjang``: jenis jabatan by level, lowest first; a functional level sits
  in the entry of the structural level it is equivalent to (a move between
  two posts of one entry is lateral, a move to a later entry a promotion);
- ``skp_angka``: the numeric SKP scores of PP 46/2011 onto today's predikat,
  highest band first, each band from its lowest number.

Each section has its ``source`` and ``effective`` period; a round dated
outside the period of ``pendidikan`` or ``jenjang`` is refused, naming the
file and the dates it covers. A number in an SKP column is read through the
bands whatever its year (a number for a year after the period is still a
PP 46/2011 score carried over). The labels that exist (which golongan,
pendidikan and jenis jabatan codes a table may hold) are the scales of
:mod:`engine.inputs.scales`; only their order and equivalences are here.
The file is read strictly: every problem at once, as ``file:line``.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator

from engine.errors import InputError, message
from engine.inputs import scales
from engine.inputs.schema import Effective, Strict, not_in_force, validate, verified_field
from engine.inputs.yamlio import load_yaml

__all__ = ["BUNDLED", "Equivalences", "bundled_equivalences", "load_equivalences"]

# The bundled file: what a round reads when its scenario names none.
BUNDLED = Path(__file__).resolve().parents[2] / "rules" / "kesetaraan.yaml"

Predikat = Literal[scales.SKP_PREDIKAT]  # type: ignore[valid-type]


def _ranks(value: list[list[str]], labels: tuple[str, ...], what: str) -> list[list[str]]:
    listed = [label for entry in value for label in entry]
    unknown = [label for label in listed if label not in labels]
    if unknown:
        raise ValueError(
            message("rank_unknown", what=what, found=unknown, allowed=", ".join(labels))
        )
    twice = sorted({label for label in listed if listed.count(label) > 1})
    if twice:
        raise ValueError(message("rank_twice", what=what, twice=", ".join(twice)))
    missing = [label for label in labels if label not in listed]
    if missing:
        raise ValueError(message("rank_missing", what=what, missing=", ".join(missing)))
    if any(not entry for entry in value):
        raise ValueError(message("rank_empty_entry"))
    return value


class RankSection(Strict):
    source: str = Field(min_length=3, description="legal basis")
    verified: bool = verified_field()
    effective: Effective
    ranks: list[list[str]] = Field(
        min_length=1, description="levels lowest first; levels in one entry are equal"
    )


class PendidikanSection(RankSection):
    @field_validator("ranks")
    @classmethod
    def _every(cls, value: list[list[str]]) -> list[list[str]]:
        return _ranks(value, scales.PENDIDIKAN, "pendidikan")


class JenjangSection(RankSection):
    @field_validator("ranks")
    @classmethod
    def _every(cls, value: list[list[str]]) -> list[list[str]]:
        return _ranks(value, scales.JENIS_JABATAN, "jenis jabatan")


class Band(Strict):
    min: float = Field(ge=0, le=100, description="lowest number of the band")
    value: Predikat  # type: ignore[valid-type]


class SkpAngkaSection(Strict):
    source: str = Field(min_length=3, description="legal basis")
    verified: bool = verified_field()
    effective: Effective = Field(description="the assessment years scored as numbers")
    bands: list[Band] = Field(min_length=1, description="highest band first")

    @field_validator("bands")
    @classmethod
    def _order(cls, value: list[Band]) -> list[Band]:
        bounds = [b.min for b in value]
        if any(a <= b for a, b in itertools.pairwise(bounds)):
            raise ValueError(message("bands_order", found=bounds))
        if bounds[-1] != 0:
            raise ValueError(message("bands_last_zero"))
        return value


class EquivalencesFile(Strict):
    kind: Literal["equivalences"]
    pendidikan: PendidikanSection
    jenjang: JenjangSection
    skp_angka: SkpAngkaSection


@dataclass(frozen=True)
class Section:
    """The legal basis of one section of the file, and whether it was verified."""

    regime: str  # the section: pendidikan, jenjang or skp_angka
    source: str
    verified: bool


@dataclass(frozen=True)
class Equivalences:
    """Ranks of pendidikan and jenis jabatan, and the SKP number bands, as read from a file."""

    pendidikan: dict[str, int]  # label -> rank (S1 and D4 share one)
    jenjang: dict[str, int]  # jenis jabatan -> level rank
    bands: tuple[tuple[float, str], ...]  # (lowest number, predikat), highest first
    periods: dict[str, Effective]
    name: str = "equivalences"  # the file, as messages name it
    versions: tuple[Section, ...] = ()  # each section's source, as check and the manifest list it

    def check(self, day: dt.date) -> None:
        """Raise :class:`InputError` when ``pendidikan`` or ``jenjang`` is not in force on ``day``."""
        problems = [
            not_in_force(self.name, section, day, [period])
            for section, period in self.periods.items()
            if section != "skp_angka" and not period.covers(day)
        ]
        if problems:
            raise InputError(problems)

    def predikat(self, number: float) -> str:
        """The predikat of a numeric SKP score (0-100)."""
        return next(label for bound, label in self.bands if number >= bound)

    def levels_of(self, rank: int) -> list[str]:
        """The jenis jabatan of one level rank, in the file's order."""
        return [name for name, r in self.jenjang.items() if r == rank]


def load_equivalences(path: Path, display: str | None = None) -> Equivalences:
    """Read and check an equivalences file (``kind: equivalences``)."""
    name = display or str(path)
    data, lines = load_yaml(path, name)
    model, problems = validate(EquivalencesFile, data, lines, name)
    if problems:
        raise InputError(problems)
    assert model is not None
    return Equivalences(
        {label: k for k, entry in enumerate(model.pendidikan.ranks) for label in entry},
        {label: k for k, entry in enumerate(model.jenjang.ranks) for label in entry},
        tuple((b.min, b.value) for b in model.skp_angka.bands),
        {
            "pendidikan": model.pendidikan.effective,
            "jenjang": model.jenjang.effective,
            "skp_angka": model.skp_angka.effective,
        },
        name,
        tuple(
            Section(key, section.source, section.verified)
            for key, section in (
                ("pendidikan", model.pendidikan),
                ("jenjang", model.jenjang),
                ("skp_angka", model.skp_angka),
            )
        ),
    )


@functools.cache
def bundled_equivalences() -> Equivalences:
    """The bundled rules/kesetaraan.yaml (read once)."""
    return load_equivalences(BUNDLED, "rules/kesetaraan.yaml")
