"""Scenario files: one placement round (or a what-if of one) as data.

A scenario names its data, rule files, date, which posts are open, which
moves are allowed, the weights and the committee's parameters. Paths are
relative to the scenario file. ``extends:`` names a base scenario whose
keys this one overrides (mappings are merged key by key, lists and values
replaced), so a what-if is a small diff of a baseline.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, model_validator

from engine.errors import InputError, Problem
from engine.schema import Strict, validate
from engine.yamlio import LineMap, load_yaml

__all__ = ["DEFAULT_SCENARIO", "LoadedScenario", "Scenario", "load_scenario"]

DEFAULT_SCENARIO = Path("scenarios/demo.yaml")
MAX_EXTENDS = 8


class DataSpec(Strict):
    pegawai: str = Field(description="pegawai table (CSV or XLSX)")
    jabatan: str = Field(description="jabatan table (CSV or XLSX)")
    riwayat: str | None = Field(default=None, description="riwayat_jabatan table (optional)")


class OpenSpec(Strict):
    vacant: bool = Field(default=True, description="posts vacant now are open")
    retiring_before: dt.date | None = Field(
        default=None,
        description="incumbents whose BUP falls before this date leave; their posts open",
    )
    posts: list[str] = Field(
        default_factory=list, description="further posts to open (their incumbents may move)"
    )


class MoveSpec(Strict):
    promotion: bool = Field(default=True, description="incumbents may move to a higher level")
    lateral: bool = Field(
        default=False, description="incumbents may move to a post of the same level"
    )
    from_outside: bool = Field(
        default=True,
        description="people outside structural posts (fungsional, pelaksana) may be placed",
    )


class PairSpec(Strict):
    nip: str
    jabatan_id: str


class Scenario(Strict):
    """One placement round, as the committee sets it."""

    kind: Literal["scenario"]
    name: str = Field(description="short title shown in reports")
    description: str | None = None
    committee: str = Field(default="Baperjakat", description="name of the deciding body")
    date: dt.date = Field(
        description="the date the round is decided at; ages and rules are taken at this date"
    )
    data: DataSpec
    rules: list[str] = Field(min_length=1, description="rule files or folders")
    taxonomy: str
    weights: str
    bup: str
    open: OpenSpec = Field(default_factory=OpenSpec)
    moves: MoveSpec = Field(default_factory=MoveSpec)
    component_weights: (
        dict[Literal["kinerja", "potensi", "keilmuan", "pengalaman"], float] | None
    ) = Field(
        default=None, description="override of the regime's component weights (renormalised to 100)"
    )
    stability_bonus: float = Field(
        default=5, ge=0, le=100, description="fit points added to staying in one's post"
    )
    move_penalty: float = Field(default=2, ge=0, le=100, description="fit points a move costs")
    shortlist: int = Field(default=3, ge=1, le=10, description="names per open post")
    unknown: Literal["fail", "pass"] = Field(
        default="fail", description="how a rule with missing data counts"
    )
    max_chain: int | None = Field(
        default=None, ge=1, le=20, description="longest vacancy chain (moves)"
    )
    pins: list[PairSpec] = Field(default_factory=list, description="person fixed to post")
    bans: list[PairSpec] = Field(default_factory=list, description="person never to post")
    time_limit: float = Field(default=30, gt=0, le=3600, description="solver time limit, seconds")

    @model_validator(mode="after")
    def _checks(self) -> Scenario:
        if self.component_weights is not None and sum(self.component_weights.values()) <= 0:
            raise ValueError("component_weights must have a positive sum")
        return self


@dataclass(frozen=True)
class LoadedScenario:
    scenario: Scenario
    path: Path
    files: tuple[Path, ...]  # the scenario and every file it extends
    lines: LineMap

    def resolve(self, relative: str) -> Path:
        return (self.path.parent / relative).resolve()

    def display(self, relative: str) -> str:
        return str(Path(self.path.parent, relative))


def _merge(base: Any, over: Any) -> Any:
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for k, v in over.items():
            out[k] = _merge(base.get(k), v) if k in base else v
        return out
    return over


def _read(path: Path, chain: tuple[Path, ...]) -> tuple[dict[str, Any], LineMap, tuple[Path, ...]]:
    data, lines = load_yaml(path, str(path))
    if not isinstance(data, dict):
        raise InputError(
            [
                Problem(
                    str(path),
                    "a scenario is a mapping of keys",
                    line=1,
                    hint="start with 'kind: scenario'",
                )
            ]
        )
    parent = data.pop("extends", None)
    if parent is None:
        return data, lines, (*chain, path)
    if not isinstance(parent, str):
        raise InputError(
            [Problem(str(path), "extends must be a file name", line=lines.line_of(("extends",)))]
        )
    base_path = (path.parent / parent).resolve()
    if base_path in chain or base_path == path.resolve():
        raise InputError(
            [
                Problem(
                    str(path), f"extends '{parent}' makes a cycle", line=lines.line_of(("extends",))
                )
            ]
        )
    if len(chain) >= MAX_EXTENDS:
        raise InputError(
            [Problem(str(path), "extends chain too long", allowed=f"{MAX_EXTENDS} levels")]
        )
    if not base_path.is_file():
        raise InputError(
            [
                Problem(
                    str(path),
                    f"extends '{parent}': file not found",
                    line=lines.line_of(("extends",)),
                )
            ]
        )
    base, _, files = _read(base_path, (*chain, path.resolve()))
    # Paths in the base are relative to the base's folder: rebase them.
    base = _rebase(base, base_path.parent, path.parent)
    return _merge(base, data), lines, (*files, path)


def _rebase(data: dict[str, Any], src: Path, dst: Path) -> dict[str, Any]:
    def move(p: str) -> str:
        return os.path.relpath((src / p).resolve(), dst.resolve())

    out = dict(data)
    for key in ("taxonomy", "weights", "bup"):
        if isinstance(out.get(key), str):
            out[key] = move(out[key])
    if isinstance(out.get("rules"), list):
        out["rules"] = [move(p) if isinstance(p, str) else p for p in out["rules"]]
    if isinstance(out.get("data"), dict):
        out["data"] = {k: move(v) if isinstance(v, str) else v for k, v in out["data"].items()}
    return out


def load_scenario(path: Path) -> LoadedScenario:
    """Read a scenario (following ``extends``) and check it strictly."""
    data, lines, files = _read(path, ())
    model, problems = validate(Scenario, data, lines, str(path))
    if problems:
        raise InputError(problems)
    assert model is not None
    loaded = LoadedScenario(model, path, files, lines)
    missing = []
    refs: list[tuple[tuple[Any, ...], str | None]] = [
        (("taxonomy",), model.taxonomy),
        (("weights",), model.weights),
        (("bup",), model.bup),
        (("data", "pegawai"), model.data.pegawai),
        (("data", "jabatan"), model.data.jabatan),
        (("data", "riwayat"), model.data.riwayat),
        *((("rules", k), r) for k, r in enumerate(model.rules)),
    ]
    for key, rel in refs:
        if rel is not None and not loaded.resolve(rel).exists():
            missing.append(
                Problem(
                    str(path),
                    f"'{rel}' not found (relative to the scenario's folder)",
                    line=lines.line_of(key),
                    column=".".join(str(k) for k in key),
                )
            )
    if missing:
        raise InputError(missing)
    return loaded
