"""Scenario files: one placement round (or a what-if of one) as data.

A scenario names its data, rule files, date, which posts are open, which
moves are allowed, the weights and the committee's parameters. Paths are
relative to the scenario file. ``extends:`` names a base scenario whose
keys this one overrides (mappings are merged key by key, lists and values
replaced), so a what-if is a small diff of a baseline.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from engine.errors import InputError, Message, Problem, did_you_mean, message
from engine.inputs import scales
from engine.inputs.schema import Strict, validate
from engine.inputs.yamlio import LineMap, load_yaml
from engine.rules.ruleset import LoadedRule, RoundKind, Rule, RuleSet

__all__ = [
    "DEFAULT_SCENARIO",
    "LoadedScenario",
    "Scenario",
    "apply_changes",
    "load_scenario",
    "project_root",
]

DEFAULT_SCENARIO = Path("scenarios/demo.yaml")
# Senior posts weigh more, so the best-fitting person goes to the most senior post.
DEFAULT_POST_WEIGHTS: dict[str, float] = {
    "Pengawas": 1.0,
    "Administrator": 1.5,
    "JPT Pratama": 2.0,
    "JPT Madya": 2.5,
    "JPT Utama": 3.0,
}
MAX_EXTENDS = 8
# The dates a round can be decided at (docs/data.md, "Limits"). From 1990:
# before the oldest rule bundled (PP 13/2002) with room to replay rounds under
# older local rules; to 2100: the last day the tables' own dates allow, and
# far enough below year 9999 that horizons of 30 years and retirement ages
# stay valid dates (9999-12-31 used to crash with "year 10001").
EARLIEST_DATE = dt.date(1990, 1, 1)
LATEST_DATE = dt.date(2100, 12, 31)


def _in_window(value: dt.date | None) -> dt.date | None:
    if value is not None and not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValueError(
            message("date_outside_window", day=value.isoformat()),
            message("date_window", first=EARLIEST_DATE.isoformat(), last=LATEST_DATE.isoformat()),
        )
    return value


class DataSpec(Strict):
    pegawai: str = Field(description="pegawai table (CSV or XLSX)")
    jabatan: str = Field(description="jabatan table (CSV or XLSX)")
    riwayat: str | None = Field(default=None, description="riwayat_jabatan table (optional)")
    hukuman: str | None = Field(
        default=None,
        description="hukuman_disiplin table: the sanction history, one row per sanction (optional)",
    )


class OpenSpec(Strict):
    vacant: bool = Field(
        default=True,
        description="posts vacant now are open; false: nobody is placed in them unless `posts` names them",
    )
    retiring_before: dt.date | None = Field(
        default=None,
        description="incumbents whose BUP falls before this date leave; their posts open",
    )
    posts: list[str] = Field(
        default_factory=list, description="further posts to open (their incumbents may move)"
    )

    @field_validator("retiring_before")
    @classmethod
    def _window(cls, value: dt.date | None) -> dt.date | None:
        return _in_window(value)

    @field_validator("posts", mode="before")
    @classmethod
    def _quoted(cls, value: Any) -> Any:
        if isinstance(value, list):
            for item in value:
                _unquoted("jabatan_id", item)
        return value


class RoundSpec(Strict):
    kind: RoundKind = Field(
        default="regular",
        description="`regular`, or `open_selection` (seleksi terbuka for JPT posts): the rules "
        "whose `rounds` name it apply too (rules/seleksi-terbuka.yaml: golongan at least IV/b, "
        "no sedang/berat sanction)",
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
    within_kecamatan: bool = Field(
        default=False,
        description="moves stay in the kecamatan of the person's current post (or unit)",
    )


class WomenShare(Strict):
    jenis_jabatan: list[str] = Field(
        description="levels of the posts counted (a list means any of)"
    )
    share: float = Field(
        gt=0, le=1, description="least share of women among placements into those posts"
    )

    @field_validator("jenis_jabatan", mode="before")
    @classmethod
    def _listify(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value


class Constraints(Strict):
    """Committee constraints that a plain assignment cannot state (solved with CP-SAT)."""

    max_chain: int | None = Field(
        default=None, ge=1, le=20, description="longest vacancy chain (moves)"
    )
    max_moves: int | None = Field(default=None, ge=0, description="most moves in all")
    max_moves_per_unit: int | None = Field(
        default=None, ge=0, description="most people moved out of any one unit"
    )
    max_between_units: int | None = Field(
        default=None, ge=0, description="most people moved from one unit to one other unit"
    )
    min_women_share: list[WomenShare] = Field(
        default_factory=list, description="least share of women among placements into levels"
    )


class RuleChange(Strict):
    """A what-if change to one rule: new values for some of its keys, or its removal."""

    rule: str = Field(description="id of the rule to change")
    remove: bool = Field(default=False, description="take the rule out of force")
    title: str | None = Field(default=None, description="a new title")
    applies_to: dict[str, Any] | None = Field(
        default=None, description="new selector keys (docs/rules-reference.md)"
    )
    require: dict[str, Any] | None = Field(
        default=None, description="a new requirement (kind and fields)"
    )
    hard: bool | None = Field(default=None, description="hard (excludes) or soft (costs points)")
    penalty: float | None = Field(default=None, description="fit points a soft rule costs")
    effective: dict[str, Any] | None = Field(default=None, description="new dates in force")


def _unquoted(key: str, value: Any) -> Any:
    """Refuse a NIP or post id that YAML read as a number, saying to quote it."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        what = message("a_nip" if key == "nip" else "a_post_id")
        raise ValueError(message("unquoted_number", what=what, key=key, value=value))
    return value


class PairSpec(Strict):
    nip: str = Field(description="NIP of the person, in quotes ('1975...')")
    jabatan_id: str = Field(description="the post's jabatan_id")

    @field_validator("nip", "jabatan_id", mode="before")
    @classmethod
    def _quoted(cls, value: Any, info: ValidationInfo) -> Any:
        return _unquoted(str(info.field_name), value)


class Scenario(Strict):
    """One placement round, as the committee sets it."""

    kind: Literal["scenario"] = Field(
        description="what the file is: always `scenario`", examples=["scenario"]
    )
    name: str = Field(description="short title shown in reports", examples=["Demo baseline"])
    description: str | None = Field(
        default=None,
        description="what the round is for, in a sentence or two",
        examples=["Jabatan lowong dan yang pemangkunya mencapai BUP sebelum 1 Juli 2027 diisi."],
    )
    committee: str = Field(
        default="Baperjakat",
        description="name of the deciding body",
        examples=["Baperjakat Kabupaten Demo"],
    )
    date: dt.date = Field(
        description="the date the round is decided at; ages and rules are taken at this date",
        examples=[dt.date(2027, 1, 4)],
    )
    data: DataSpec = Field(
        description="the tables, relative to the scenario's folder (docs/data.md)",
        examples=[
            {
                "pegawai": "../data/demo/pegawai.csv",
                "jabatan": "../data/demo/jabatan.csv",
                "riwayat": "../data/demo/riwayat_jabatan.csv",
            }
        ],
    )
    rules: list[str] = Field(
        min_length=1,
        description="rule files or folders",
        examples=[["../rules/struktural.yaml", "../rules/golongan.yaml"]],
    )
    taxonomy: str = Field(
        description="field-of-study taxonomy (majors, fields, families)",
        examples=["../rules/taksonomi.yaml"],
    )
    weights: str = Field(
        description="fit weights by regime, and how a missing assessment counts",
        examples=["../rules/bobot.yaml"],
    )
    bup: str = Field(
        description="retirement ages (BUP) per jenis jabatan", examples=["../rules/bup.yaml"]
    )
    talent_box: str | None = Field(
        default=None,
        description="talent-box settings (kotak talenta) file",
        examples=["../rules/kotak-talenta.yaml"],
    )
    equivalences: str | None = Field(
        default=None,
        description=(
            "equivalences file (kesetaraan: ranks of pendidikan and jenis jabatan, the SKP "
            "number bands of PP 46/2011); empty: the bundled rules/kesetaraan.yaml"
        ),
        examples=["../rules/kesetaraan.yaml"],
    )
    round: RoundSpec = Field(
        default_factory=RoundSpec,
        description="what kind of round this is (regular by default)",
        examples=[{"kind": "open_selection"}],
    )
    open: OpenSpec = Field(
        default_factory=OpenSpec,
        description="which posts are open",
        examples=[
            {"vacant": True, "retiring_before": dt.date(2027, 7, 1), "posts": ["BAPENDA.KEPALA"]}
        ],
    )
    moves: MoveSpec = Field(
        default_factory=MoveSpec,
        description="which moves are allowed",
        examples=[{"promotion": True, "lateral": False, "from_outside": True}],
    )
    component_weights: (
        dict[Literal["kinerja", "potensi", "keilmuan", "pengalaman"], float] | None
    ) = Field(
        default=None,
        description="override of the regime's component weights (renormalised to 100)",
        examples=[{"keilmuan": 40}],
    )
    fill_priority: Literal["level", "flat", "none"] = Field(
        default="level",
        description=(
            "level: fill higher posts first (JPT before Administrator before Pengawas), then "
            "maximise fit; flat: fill as many posts as possible, then fit; none: fit only"
        ),
        examples=["flat"],
    )
    post_weights: dict[str, float] = Field(
        default_factory=lambda: dict(DEFAULT_POST_WEIGHTS),
        description="weight of a placement's fit by the post's jenis jabatan (others: 1)",
        examples=[{"Pengawas": 1, "Administrator": 1.5, "JPT Pratama": 3}],
    )
    stability_bonus: float = Field(
        default=5,
        ge=0,
        le=100,
        description="fit points added to staying in one's post",
        examples=[5],
    )
    move_penalty: float = Field(
        default=2, ge=0, le=100, description="fit points a move costs", examples=[2]
    )
    shortlist: int = Field(default=3, ge=1, le=10, description="names per open post", examples=[3])
    unknown: Literal["fail", "pass"] = Field(
        default="fail",
        description="how a rule with missing data counts: fail (not eligible) or pass",
        examples=["fail"],
    )
    constraints: Constraints = Field(
        default_factory=Constraints,
        description="the committee's side constraints (solved with CP-SAT)",
        examples=[
            {
                "max_chain": 3,
                "min_women_share": [{"jenis_jabatan": "JPT Pratama", "share": 0.3}],
            }
        ],
    )
    changes: list[RuleChange] = Field(
        default_factory=list,
        description="what-if changes to rules",
        examples=[[{"rule": "jpt-pratama.pendidikan", "require": {"pendidikan": {"min": "S2"}}}]],
    )
    pins: list[PairSpec] = Field(
        default_factory=list,
        description="person fixed to post (NIP in quotes)",
        examples=[[{"nip": "196807141995101008", "jabatan_id": "BAPENDA.KEPALA"}]],
    )
    bans: list[PairSpec] = Field(
        default_factory=list,
        description="person never to post (NIP in quotes)",
        examples=[[{"nip": "196807141995101008", "jabatan_id": "BAPENDA.KEPALA"}]],
    )
    time_limit: float = Field(
        default=10,
        gt=0,
        le=3600,
        description=(
            "solver time limit, seconds; the side constraints' solver (CP-SAT) gets it as "
            "deterministic time (0.25 units a second: docs/solvers.md), so the plan is the "
            "same however busy the machine is, and the wall clock stops it only at 10 times this"
        ),
        examples=[30],
    )
    allow_outside_paths: bool = Field(
        default=False,
        description=(
            "allow paths outside the scenario's project folder (the nearest folder above the "
            "scenario holding rules/ or pyproject.toml); talenta's own rules/ are always allowed"
        ),
        examples=[True],
    )

    @field_validator("date")
    @classmethod
    def _window(cls, value: dt.date) -> dt.date | None:
        return _in_window(value)

    @field_validator("post_weights")
    @classmethod
    def _weights(cls, value: dict[str, float]) -> dict[str, float]:
        unknown = [k for k in value if k not in scales.JENIS_JABATAN]
        if unknown:
            raise ValueError(
                message("unknown_jenis_jabatan", unknown=unknown), ", ".join(scales.JENIS_JABATAN)
            )
        if any(not 0 < w <= 10 for w in value.values()):
            raise ValueError(message("post_weights_range"))
        return value

    @model_validator(mode="after")
    def _checks(self) -> Scenario:
        if self.component_weights is not None and sum(self.component_weights.values()) <= 0:
            raise ValueError(message("component_weights_sum"))
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


def _read(
    path: Path, chain: tuple[Path, ...], root: Path | None = None, allow: bool = False
) -> tuple[dict[str, Any], LineMap, tuple[Path, ...]]:
    data, lines = load_yaml(path, str(path))
    if not isinstance(data, dict):
        raise InputError(
            [
                Problem(
                    str(path),
                    message("scenario_mapping"),
                    line=1,
                    hint=message("start_kind_scenario"),
                )
            ]
        )
    parent = data.pop("extends", None)
    if parent is None:
        return data, lines, (*chain, path)
    if not isinstance(parent, str):
        raise InputError(
            [Problem(str(path), message("extends_file_name"), line=lines.line_of(("extends",)))]
        )
    allow = allow or data.get("allow_outside_paths") is True
    root = root or project_root(path)
    base_path, why = _locate(path.parent, parent, None if allow else root)
    if base_path is None:
        raise InputError(
            [
                Problem(
                    str(path),
                    message("extends_why", path=_clip(parent), why=why),
                    line=lines.line_of(("extends",)),
                    column="extends",
                    **_outside_help(root, why),
                )
            ]
        )
    if base_path in chain or base_path == path.resolve():
        raise InputError(
            [
                Problem(
                    str(path),
                    message("extends_cycle", path=parent),
                    line=lines.line_of(("extends",)),
                )
            ]
        )
    if len(chain) >= MAX_EXTENDS:
        raise InputError(
            [
                Problem(
                    str(path),
                    message("extends_too_long"),
                    allowed=message("levels", n=MAX_EXTENDS),
                )
            ]
        )
    if not base_path.is_file():
        raise InputError(
            [
                Problem(
                    str(path),
                    message("extends_not_found", path=parent),
                    line=lines.line_of(("extends",)),
                )
            ]
        )
    base, _, files = _read(base_path, (*chain, path.resolve()), root, allow)
    # Paths in the base are relative to the base's folder: rebase them.
    base = _rebase(base, base_path.parent, path.parent)
    return _merge(base, data), lines, (*files, path)


def _rebase(data: dict[str, Any], src: Path, dst: Path) -> dict[str, Any]:
    def move(p: str) -> str:
        try:
            return os.path.relpath((src / p).resolve(), dst.resolve())
        except (OSError, ValueError):
            return p  # not a usable path: load_scenario reports it

    out = dict(data)
    for key in ("taxonomy", "weights", "bup", "talent_box", "equivalences"):
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
        (("talent_box",), model.talent_box),
        (("equivalences",), model.equivalences),
        (("data", "pegawai"), model.data.pegawai),
        (("data", "jabatan"), model.data.jabatan),
        (("data", "riwayat"), model.data.riwayat),
        (("data", "hukuman"), model.data.hukuman),
        *((("rules", k), r) for k, r in enumerate(model.rules)),
    ]
    root = project_root(path)
    for key, rel in refs:
        if rel is None:
            continue
        target, why = _locate(path.parent, rel, None if model.allow_outside_paths else root)
        if target is None:
            missing.append(
                Problem(
                    str(path),
                    message("path_why", path=_clip(rel), why=why),
                    line=lines.line_of(key),
                    column=".".join(str(k) for k in key),
                    **_outside_help(root, why),
                )
            )
        elif not _exists(target):
            missing.append(
                Problem(
                    str(path),
                    message("path_not_found_relative", path=_clip(rel)),
                    line=lines.line_of(key),
                    column=".".join(str(k) for k in key),
                )
            )
    if missing:
        raise InputError(missing)
    return loaded


# talenta's own bundled settings and rules (public regulation data, shipped
# with the program): any scenario may name them.
_BUNDLED_RULES = Path(__file__).resolve().parents[2] / "rules"
_OUTSIDE = message("outside_project")


def project_root(scenario: Path) -> Path:
    """The folder a scenario's paths must stay in.

    The nearest folder at or above the scenario's own that holds a
    ``rules/`` folder or a ``pyproject.toml`` (a talenta project), else the
    folder above the scenario's. A scenario passed on by someone else cannot
    then make a report out of files elsewhere on the machine (``../../..`` or
    an absolute path) unless it says ``allow_outside_paths: true``.
    """
    folder = Path(os.path.abspath(scenario)).parent
    try:
        folder = folder.resolve()
        for candidate in (folder, *folder.parents):
            if (candidate / "rules").is_dir() or (candidate / "pyproject.toml").is_file():
                return candidate
    except (OSError, ValueError):
        pass
    return folder.parent


def _locate(base: Path, rel: str, root: Path | None) -> tuple[Path | None, Message | None]:
    """Resolve ``rel`` against ``base``; None and the reason if it is unusable or outside ``root``."""
    if "\x00" in rel:
        return None, message("path_nul")
    try:
        target = (base / rel).resolve()
    except (OSError, ValueError, RuntimeError) as exc:
        return None, message("path_unusable", error=type(exc).__name__)
    if root is not None and not (
        target.is_relative_to(root) or target.is_relative_to(_BUNDLED_RULES)
    ):
        return None, _OUTSIDE
    return target, None


def _outside_help(root: Path | None, why: Message | None) -> dict[str, Message]:
    if why != _OUTSIDE or root is None:
        return {}
    return {
        "allowed": message("paths_inside", root=root),
        "hint": message("move_into_project"),
    }


def _exists(target: Path) -> bool:
    try:
        return target.exists()
    except (OSError, ValueError):
        return False


def _clip(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def apply_changes(ruleset: RuleSet, loaded: LoadedScenario) -> RuleSet:
    """The rule set of the scenario's round kind, with its what-if ``changes`` applied.

    The round kind (``round: {kind: open_selection}``) switches on the rules
    whose ``rounds`` name it; the others never apply.

    A changed rule keeps its id and is cited as coming from the scenario
    file (``file:line`` of the change), so an explanation shows where the
    value in force was set.
    """
    ruleset = dataclasses.replace(ruleset, round_kind=loaded.scenario.round.kind)
    changes = loaded.scenario.changes
    if not changes:
        return ruleset
    by_id = {r.rule.id: k for k, r in enumerate(ruleset.rules)}
    rules: list[LoadedRule | None] = list(ruleset.rules)
    problems: list[Problem] = []
    name = str(loaded.path)
    for k, change in enumerate(changes):
        line = loaded.lines.line_of(("changes", k))
        if change.rule not in by_id:
            problems.append(
                Problem(
                    name,
                    message("no_rule_to_change", k=k, rule=change.rule),
                    line=line,
                    hint=did_you_mean(change.rule, sorted(by_id)),
                )
            )
            continue
        index = by_id[change.rule]
        current = rules[index]
        if current is None:
            problems.append(
                Problem(name, message("rule_already_removed", rule=change.rule), line=line)
            )
            continue
        if change.remove:
            rules[index] = None
            continue
        merged = current.rule.model_dump(by_alias=True, exclude_none=True)
        update = change.model_dump(exclude_none=True, exclude={"rule", "remove"})
        if "require" in update:
            merged["require"] = update.pop("require")
        if update.get("hard") is True:
            merged.pop("penalty", None)
        merged.update(update)
        rule, found = validate(Rule, merged, loaded.lines, name, prefix=("changes", k))
        problems.extend(found)
        if rule is not None:
            rules[index] = LoadedRule(rule, name, line)
    if problems:
        raise InputError(problems)
    return RuleSet([r for r in rules if r is not None], [*ruleset.files, name], ruleset.round_kind)
