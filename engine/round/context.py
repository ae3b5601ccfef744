"""Load and check every input a scenario names, and derive people and posts at its date.

:func:`load_context` collects every problem of every input (scenario,
settings, rule files, tables, names in rule selectors, pins and bans) and
raises one :class:`~engine.errors.InputError` with all of them, so a user
fixes everything in one pass. :func:`with_state` gives the same inputs at
another state of the organisation (a later date, changed tables), for
multi-year horizons.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

from engine.errors import InputError, Problem, message
from engine.inputs.data import Tables, load_tables
from engine.inputs.derive import People, Posts, derive_people, derive_posts
from engine.inputs.equivalence import BUNDLED as EQUIVALENCES_BUNDLED
from engine.inputs.equivalence import Equivalences, bundled_equivalences, load_equivalences
from engine.inputs.scenario import LoadedScenario, Scenario, apply_changes, load_scenario
from engine.inputs.settings import (
    BupTable,
    Taxonomy,
    Weights,
    WeightsVersion,
    load_bup,
    load_taxonomy,
    load_weights,
)
from engine.rules import crossref
from engine.rules.ruleset import LoadedRule, Rule, RuleSet, load_rules, rule_files
from engine.scoring.talent import TalentBoxVersion, TalentSettings, load_talent_box, talent_box

__all__ = ["ASSESSMENT_RULE", "Context", "assessment_rules", "load_context", "with_state"]

T = TypeVar("T")


@dataclass
class Context:
    """Everything loaded and derived for one scenario, before solving."""

    loaded: LoadedScenario
    tables: Tables
    taxonomy: Taxonomy
    weights: WeightsVersion
    bup: BupTable
    ruleset: RuleSet
    people: People
    posts: Posts
    input_files: dict[str, Path]
    weights_file: Weights
    talent_settings: TalentSettings | None = None
    equivalences: Equivalences = field(default_factory=bundled_equivalences)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def day(self) -> dt.date:
        return self.loaded.scenario.date

    @property
    def talent(self) -> TalentBoxVersion | None:
        """The talent-box settings in force at the scenario date, if the scenario names them."""
        return self.talent_settings.at(self.day) if self.talent_settings else None


def with_state(ctx: Context, scenario: Scenario, tables: Tables) -> Context:
    """The same inputs at another state: a changed scenario (e.g. a later date) and tables.

    Re-derives people and posts at the scenario's date and picks the weights
    in force then; used by multi-year horizons, which age the organisation
    and apply each year's placements to the tables.
    """
    loaded = replace(ctx.loaded, scenario=scenario)
    weights = ctx.weights_file.at(scenario.date)
    ctx.equivalences.check(scenario.date)
    people, posts = _derive(
        tables,
        scenario.date,
        ctx.taxonomy,
        ctx.bup,
        ctx.talent_settings,
        weights,
        ctx.equivalences,
    )
    return replace(
        ctx,
        loaded=loaded,
        tables=tables,
        weights=weights,
        people=people,
        posts=posts,
        timings={},
    )


def _derive(
    tables: Tables,
    day: dt.date,
    taxonomy: Taxonomy,
    bup: BupTable,
    talent_settings: TalentSettings | None,
    weights: WeightsVersion,
    equivalences: Equivalences,
) -> tuple[People, Posts]:
    people = derive_people(tables, day, taxonomy, bup, equivalences=equivalences)
    index = {nip: i for i, nip in enumerate(people.nip)}
    posts = derive_posts(tables, index, taxonomy, equivalences)
    if talent_settings is not None:  # the talent box the kotak_talenta rules read
        version = talent_settings.at(day)
        box = talent_box(people, posts, taxonomy, version, weights)
        people.talent_box, people.talent_regime = box.box, box.regime
    return people, posts


@dataclass
class _Loaded:
    """What the scenario's files gave, each None where its file had problems."""

    problems: list[Problem] = field(default_factory=list)
    taxonomy: Taxonomy | None = None
    weights_file: Weights | None = None
    weights: WeightsVersion | None = None
    bup: BupTable | None = None
    equivalences: Equivalences | None = None
    ruleset: RuleSet | None = None
    tables: Tables | None = None
    talent_settings: TalentSettings | None = None
    rule_paths: list[Path] = field(default_factory=list)
    shown: dict[Path, str] = field(default_factory=dict)

    def attempt(self, load: Callable[[], T]) -> T | None:
        """``load()``'s result, or None with its problems collected."""
        try:
            return load()
        except InputError as exc:
            self.problems += exc.problems
            return None


def load_context(path: Path) -> Context:
    """Load and check every input a scenario names; raise one InputError for all problems."""
    t0 = time.perf_counter()
    loaded = load_scenario(path)
    sc = loaded.scenario
    got = _load_inputs(loaded)
    got.problems += crossref.unknown_selector_names(loaded, got.ruleset, got.tables)
    if got.problems:
        raise InputError(got.problems)
    assert got.taxonomy and got.weights and got.bup and got.ruleset and got.tables
    assert got.weights_file and got.equivalences
    t1 = time.perf_counter()
    people, posts = _derive(
        got.tables,
        sc.date,
        got.taxonomy,
        got.bup,
        got.talent_settings,
        got.weights,
        got.equivalences,
    )
    problems = _check_references(loaded, people, posts)
    if problems:
        raise InputError(problems)
    ctx = Context(
        loaded,
        got.tables,
        got.taxonomy,
        got.weights,
        got.bup,
        got.ruleset,
        people,
        posts,
        _input_files(loaded, got),
        got.weights_file,
        got.talent_settings,
        got.equivalences,
    )
    ctx.timings.update({"load": t1 - t0, "derive": time.perf_counter() - t1})
    return ctx


def _load_inputs(loaded: LoadedScenario) -> _Loaded:
    """Every file the scenario names, each loaded whatever the others' problems."""
    sc = loaded.scenario
    got = _Loaded()
    got.taxonomy = got.attempt(
        lambda: load_taxonomy(loaded.resolve(sc.taxonomy), loaded.display(sc.taxonomy))
    )
    got.weights_file = got.attempt(
        lambda: load_weights(loaded.resolve(sc.weights), loaded.display(sc.weights))
    )
    got.bup = got.attempt(lambda: load_bup(loaded.resolve(sc.bup), loaded.display(sc.bup)))
    got.equivalences = got.attempt(lambda: _equivalences(loaded))
    taxonomy = got.taxonomy
    got.rule_paths = rule_files(loaded.resolve(r) for r in sc.rules)
    got.shown = {
        p: _relative(p, loaded.path.parent, r)
        for r in sc.rules
        for p in rule_files([loaded.resolve(r)])
    }
    got.ruleset = got.attempt(
        lambda: apply_changes(
            load_rules(
                got.rule_paths,
                display=lambda p: got.shown.get(p, str(p)),
                fields=taxonomy.fields if taxonomy else None,
            ),
            loaded,
        )
    )
    got.tables = got.attempt(
        lambda: load_tables(
            loaded.resolve(sc.data.pegawai),
            loaded.resolve(sc.data.jabatan),
            loaded.resolve(sc.data.riwayat) if sc.data.riwayat else None,
            hukuman=loaded.resolve(sc.data.hukuman) if sc.data.hukuman else None,
            majors=list(taxonomy.field_of_major) if taxonomy else None,
            fields=taxonomy.fields if taxonomy else None,
            display=lambda p: _relative(p, loaded.path.parent, None),
            equivalences=got.equivalences,
        )
    )
    if sc.talent_box:
        got.talent_settings = got.attempt(lambda: _talent_settings(loaded))
    if got.weights_file is not None and got.ruleset is not None:
        got.ruleset.rules.extend(assessment_rules(got.weights_file, loaded.display(sc.weights)))
    if got.weights_file is not None:
        got.weights = got.attempt(lambda: got.weights_file.at(sc.date))
    if got.bup is not None and got.attempt(lambda: got.bup.at(sc.date)) is None:
        got.bup = None
    return got


#: The rule the weights file's ``missing_assessment: not_eligible`` puts in force.
ASSESSMENT_RULE = "bobot.penilaian"


def assessment_rules(weights: Weights, display: str) -> list[LoadedRule]:
    """The hard rule ``bobot.penilaian`` for each weights version whose policy is ``not_eligible``.

    With ``missing_assessment: not_eligible`` a person without any
    assessment is not eligible for the posts of ``assessment_required_for``:
    a real exclusion, with a verdict, an explanation and a counterfactual
    like any rule's, in force for the version's period.
    """
    return [
        LoadedRule(
            Rule.model_validate(
                {
                    "id": ASSESSMENT_RULE,
                    "title": "Ada hasil penilaian potensi (JPM atau level kompetensi manajerial).",
                    "applies_to": {"jenis_jabatan": list(v.assessment_required_for)},
                    "require": {"penilaian": {}},
                    "source": f"{display}: missing_assessment: not_eligible ({v.regime})",
                    "verified": v.verified,
                    "effective": v.effective.model_dump(by_alias=True),
                }
            ),
            display,
            None,
        )
        for v in weights.versions
        if v.missing_assessment == "not_eligible"
    ]


def _equivalences(loaded: LoadedScenario) -> Equivalences:
    """The scenario's equivalences file (else the bundled one), checked for its date."""
    sc = loaded.scenario
    if sc.equivalences is None:
        equivalences = bundled_equivalences()
    else:
        path = loaded.resolve(sc.equivalences)
        equivalences = load_equivalences(path, loaded.display(sc.equivalences))
    equivalences.check(sc.date)  # raises, naming the dates the file covers
    return equivalences


def _talent_settings(loaded: LoadedScenario) -> TalentSettings:
    sc = loaded.scenario
    assert sc.talent_box
    settings = load_talent_box(loaded.resolve(sc.talent_box), loaded.display(sc.talent_box))
    settings.at(sc.date)  # raises, naming the dates the file covers, when none is in force
    return settings


def _input_files(loaded: LoadedScenario, got: _Loaded) -> dict[str, Path]:
    """Every input file of the round, by role: what the manifest hashes."""
    sc = loaded.scenario
    files = {
        "scenario": loaded.path,
        "taxonomy": loaded.resolve(sc.taxonomy),
        "weights": loaded.resolve(sc.weights),
        "bup": loaded.resolve(sc.bup),
    }
    data_paths = {
        "pegawai": sc.data.pegawai,
        "jabatan": sc.data.jabatan,
        "riwayat": sc.data.riwayat,
        "hukuman": sc.data.hukuman,
    }
    files.update({f"data.{k}": loaded.resolve(v) for k, v in data_paths.items() if v})
    for k, p in enumerate(loaded.files[:-1]):
        files[f"extends.{k}"] = p
    for p in got.rule_paths:
        files[f"rules:{got.shown.get(p, p.name)}"] = p
    if sc.talent_box:
        files["talent_box"] = loaded.resolve(sc.talent_box)
    files["equivalences"] = (
        loaded.resolve(sc.equivalences) if sc.equivalences else EQUIVALENCES_BUNDLED
    )
    return files


def _relative(path: Path, base: Path, given: str | None) -> str:
    try:
        return str(path.resolve().relative_to(base.resolve().parent))
    except ValueError:
        return given or str(path)


def _check_references(loaded: LoadedScenario, people: People, posts: Posts) -> list[Problem]:
    """Pins, bans and posts opened by name must name people and posts the tables have."""
    sc = loaded.scenario
    index = {nip: i for i, nip in enumerate(people.nip)}
    problems = []
    post_ids = {pid: j for j, pid in enumerate(posts.jabatan_id)}
    for key, pairs in (("pins", sc.pins), ("bans", sc.bans)):
        for k, pair in enumerate(pairs):
            line = loaded.lines.line_of((key, k))
            if pair.nip not in index:
                problems.append(
                    Problem(
                        str(loaded.path),
                        message("nip_not_in_pegawai", nip=pair.nip),
                        line=line,
                        column=f"{key}[{k}].nip",
                    )
                )
            if pair.jabatan_id not in post_ids:
                problems.append(
                    Problem(
                        str(loaded.path),
                        message("jabatan_id_not_in_jabatan", jabatan=pair.jabatan_id),
                        line=line,
                        column=f"{key}[{k}].jabatan_id",
                    )
                )
    for k, pid in enumerate(sc.open.posts):
        if pid not in post_ids:
            problems.append(
                Problem(
                    str(loaded.path),
                    message("jabatan_id_not_in_jabatan", jabatan=pid),
                    line=loaded.lines.line_of(("open", "posts", k)),
                    column=f"open.posts[{k}]",
                )
            )
    return problems
