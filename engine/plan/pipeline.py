"""The one pipeline: scenario -> tables -> rules -> eligibility -> score -> solve -> Plan.

:func:`build_plan` is the only place the steps are chained; the CLI, the
reports and the tests call it. The optimisation model (DESIGN.md):

- every incumbent who stays in the pool has a *stay* arc to their own post,
  worth their fit there plus the scenario's stability bonus, and must be
  placed somewhere (stay or move): nobody loses a post to the model;
- every eligible (person, post) pair allowed by the move policy is an arc
  worth its fit minus the move penalty;
- people outside structural posts have no stay arc: being left unplaced
  keeps them where they are;
- a post takes at most one person and a person at most one post, so a post
  freed by a move can be filled in the same solve: vacancy chains come out
  of one optimisation.

Scores are integers (fit x :data:`~engine.scoring.fit.SCALE`); the solver's
tie-break makes the plan deterministic. Every solution is checked by the
independent validator before a Plan is made from it.
"""

from __future__ import annotations

import datetime as dt
import platform
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

import solvers
from engine.eligibility.candidates import Candidates, find_candidates
from engine.eligibility.moves import MovePolicy
from engine.errors import InputError, Problem, TalentaError
from engine.inputs.data import Tables, load_tables
from engine.inputs.derive import People, Posts, derive_people, derive_posts
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
from engine.plan.assemble import assemble
from engine.plan.privacy import pseudonymise_people
from engine.rules import crossref
from engine.rules.ruleset import RuleSet, load_rules, rule_files
from engine.scoring.fit import SCALE, Scores, post_weights, score_pairs
from engine.scoring.talent import TalentBoxVersion, TalentSettings, load_talent_box, talent_box

__all__ = [
    "Context",
    "Plan",
    "PlanError",
    "RoundSetup",
    "build_plan",
    "load_context",
    "plan_round",
    "round_setup",
    "with_state",
]


class PlanError(TalentaError):
    """The round cannot be planned as stated (e.g. pins that cannot hold)."""


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
    people = derive_people(tables, scenario.date, ctx.taxonomy, ctx.bup)
    posts = derive_posts(tables, {nip: i for i, nip in enumerate(people.nip)}, ctx.taxonomy)
    if ctx.talent_settings is not None:  # the talent box the kotak_talenta rules read
        box = talent_box(people, posts, ctx.taxonomy, ctx.talent_settings.at(scenario.date))
        people.talent_box, people.talent_regime = box.box, box.regime
    return replace(
        ctx,
        loaded=loaded,
        tables=tables,
        weights=ctx.weights_file.at(scenario.date),
        people=people,
        posts=posts,
        timings={},
    )


def load_context(path: Path) -> Context:
    """Load and check every input a scenario names; raise one InputError for all problems."""
    t0 = time.perf_counter()
    loaded = load_scenario(path)
    sc = loaded.scenario
    problems: list[Problem] = []
    taxonomy = weights_file = bup = ruleset = None
    try:
        taxonomy = load_taxonomy(loaded.resolve(sc.taxonomy), loaded.display(sc.taxonomy))
    except InputError as exc:
        problems += exc.problems
    try:
        weights_file = load_weights(loaded.resolve(sc.weights), loaded.display(sc.weights))
    except InputError as exc:
        problems += exc.problems
    try:
        bup = load_bup(loaded.resolve(sc.bup), loaded.display(sc.bup))
    except InputError as exc:
        problems += exc.problems
    rule_paths = rule_files(loaded.resolve(r) for r in sc.rules)
    shown = {
        p: _relative(p, loaded.path.parent, r)
        for r in sc.rules
        for p in rule_files([loaded.resolve(r)])
    }
    try:
        ruleset = load_rules(
            rule_paths,
            display=lambda p: shown.get(p, str(p)),
            fields=taxonomy.fields if taxonomy else None,
        )
        ruleset = apply_changes(ruleset, loaded)
    except InputError as exc:
        problems += exc.problems
    tables = None
    data_paths = {
        "pegawai": sc.data.pegawai,
        "jabatan": sc.data.jabatan,
        "riwayat": sc.data.riwayat,
    }
    try:
        tables = load_tables(
            loaded.resolve(sc.data.pegawai),
            loaded.resolve(sc.data.jabatan),
            loaded.resolve(sc.data.riwayat) if sc.data.riwayat else None,
            majors=list(taxonomy.field_of_major) if taxonomy else None,
            fields=taxonomy.fields if taxonomy else None,
            display=lambda p: _relative(p, loaded.path.parent, None),
        )
    except InputError as exc:
        problems += exc.problems
    talent_settings = None
    if sc.talent_box:
        try:
            talent_settings = load_talent_box(
                loaded.resolve(sc.talent_box), loaded.display(sc.talent_box)
            )
            talent_settings.at(sc.date)
        except InputError as exc:
            problems += exc.problems
    weights = None
    if weights_file is not None:
        try:
            weights = weights_file.at(sc.date)
        except InputError:
            problems.append(
                Problem(
                    loaded.display(sc.weights),
                    f"no weights version is in force on the scenario date {sc.date}",
                )
            )
    problems += crossref.unknown_selector_names(loaded, ruleset, tables)
    if problems:
        raise InputError(problems)
    assert taxonomy and weights and bup and ruleset and tables
    t1 = time.perf_counter()
    people = derive_people(tables, sc.date, taxonomy, bup)
    index = {nip: i for i, nip in enumerate(people.nip)}
    posts = derive_posts(tables, index, taxonomy)
    if talent_settings is not None:  # the talent box the kotak_talenta rules read
        box = talent_box(people, posts, taxonomy, talent_settings.at(sc.date))
        people.talent_box, people.talent_regime = box.box, box.regime
    problems = _check_references(loaded, people, posts, index)
    if problems:
        raise InputError(problems)
    files = {
        "scenario": loaded.path,
        "taxonomy": loaded.resolve(sc.taxonomy),
        "weights": loaded.resolve(sc.weights),
        "bup": loaded.resolve(sc.bup),
    }
    files.update({f"data.{k}": loaded.resolve(v) for k, v in data_paths.items() if v})
    for k, p in enumerate(loaded.files[:-1]):
        files[f"extends.{k}"] = p
    for p in rule_paths:
        files[f"rules:{shown.get(p, p.name)}"] = p
    if sc.talent_box:
        files["talent_box"] = loaded.resolve(sc.talent_box)
    ctx = Context(
        loaded,
        tables,
        taxonomy,
        weights,
        bup,
        ruleset,
        people,
        posts,
        files,
        weights_file,
        talent_settings,
    )
    ctx.timings.update({"load": t1 - t0, "derive": time.perf_counter() - t1})
    return ctx


def _relative(path: Path, base: Path, given: str | None) -> str:
    try:
        return str(path.resolve().relative_to(base.resolve().parent))
    except ValueError:
        return given or str(path)


def _check_references(
    loaded: LoadedScenario, people: People, posts: Posts, index: dict[str, int]
) -> list[Problem]:
    sc = loaded.scenario
    problems = []
    post_ids = {pid: j for j, pid in enumerate(posts.jabatan_id)}
    for key, pairs in (("pins", sc.pins), ("bans", sc.bans)):
        for k, pair in enumerate(pairs):
            line = loaded.lines.line_of((key, k))
            if pair.nip not in index:
                problems.append(
                    Problem(
                        str(loaded.path),
                        f"NIP {pair.nip} is not in the pegawai table",
                        line=line,
                        column=f"{key}[{k}].nip",
                    )
                )
            if pair.jabatan_id not in post_ids:
                problems.append(
                    Problem(
                        str(loaded.path),
                        f"jabatan_id '{pair.jabatan_id}' is not in the jabatan table",
                        line=line,
                        column=f"{key}[{k}].jabatan_id",
                    )
                )
    for k, pid in enumerate(sc.open.posts):
        if pid not in post_ids:
            problems.append(
                Problem(
                    str(loaded.path),
                    f"jabatan_id '{pid}' is not in the jabatan table",
                    line=loaded.lines.line_of(("open", "posts", k)),
                    column=f"open.posts[{k}]",
                )
            )
    return problems


@dataclass
class Plan:
    """The outcome of a round: what plan.json holds, plus the arrays behind it."""

    data: dict[str, Any]  # JSON-serialisable, deterministic (plan.json)
    run: dict[str, Any]  # timings and machine facts (run.json)
    context: Context
    candidates: Candidates
    scores: Scores
    problem: solvers.AssignmentProblem
    solution: solvers.Solution

    @property
    def summary(self) -> dict[str, Any]:
        return self.data["summary"]


@dataclass(frozen=True)
class RoundSetup:
    """Who leaves, who may be considered, which posts are open, which moves are allowed."""

    leaving: np.ndarray  # people reaching BUP before the scenario's cut-off
    pool: np.ndarray  # people who may be placed
    open_now: np.ndarray  # posts open before the solve
    named: np.ndarray  # posts opened by name
    moves: MovePolicy  # which moves are allowed (engine.eligibility.moves)

    @property
    def allowed(self) -> Any:
        """``allowed(people, post_level)`` -> bool mask: the move policy by level."""
        return self.moves.allowed


def round_setup(ctx: Context) -> RoundSetup:
    """The scenario's choices as masks over people and posts."""
    sc = ctx.loaded.scenario
    people, posts = ctx.people, ctx.posts
    leaving = np.zeros(people.n, dtype=bool)
    if sc.open.retiring_before is not None:
        leaving = people.bup < np.datetime64(sc.open.retiring_before, "D")
    named = np.isin(posts.jabatan_id, sc.open.posts)
    held = posts.holder >= 0
    holder_leaves = held & leaving[np.where(held, posts.holder, 0)]
    open_now = (~held & sc.open.vacant) | holder_leaves | named
    return RoundSetup(leaving, ~leaving, open_now, named, MovePolicy.of(sc.moves))


def build_plan(path: Path, *, pseudonymise: bool = False) -> Plan:
    """Run the whole round for the scenario at ``path``.

    With ``pseudonymise``, names and NIPs in the plan and everything
    rendered from it are replaced by stable pseudonyms (engine.plan.privacy).
    """
    t_start = time.perf_counter()
    return plan_round(load_context(path), t_start, pseudonymise=pseudonymise)


def plan_round(ctx: Context, t_start: float | None = None, *, pseudonymise: bool = False) -> Plan:
    """Solve the round a Context describes and assemble its Plan."""
    t_start = time.perf_counter() if t_start is None else t_start
    sc = ctx.loaded.scenario
    people, posts = ctx.people, ctx.posts
    t0 = time.perf_counter()

    setup = round_setup(ctx)
    leaving, pool, open_now = setup.leaving, setup.pool, setup.open_now
    named, holder = setup.named, posts.holder
    held = holder >= 0
    holder_leaves = held & leaving[np.where(held, holder, 0)]

    cands = find_candidates(
        people,
        posts,
        ctx.ruleset,
        ctx.taxonomy,
        sc.date,
        pool=pool,
        allowed=setup.allowed,
        unknown=sc.unknown,
    )
    cands = setup.moves.restrict(cands, people, posts)
    t1 = time.perf_counter()

    # Stay arcs: incumbents who stay in the pool, on posts not opened by name.
    stay_post = np.flatnonzero(held & ~holder_leaves & ~named)
    stay_person = holder[stay_post]
    all_person = np.concatenate([cands.person, stay_person])
    all_post = np.concatenate([cands.post, stay_post])
    penalty = np.concatenate([cands.penalty, np.zeros(len(stay_post))])
    # The candidates become views of the arc arrays (they are its first part):
    # a province round has tens of millions of pairs, kept once.
    n_cand = len(cands)
    cands = replace(
        cands, person=all_person[:n_cand], post=all_post[:n_cand], penalty=penalty[:n_cand]
    )
    scores = score_pairs(
        people,
        posts,
        all_person,
        all_post,
        penalty,
        ctx.taxonomy,
        ctx.weights,
        sc.component_weights,
    )
    is_stay = np.zeros(len(all_person), dtype=bool)
    is_stay[n_cand:] = True
    value = scores.fit * post_weights(posts, sc.post_weights)[all_post]
    value += np.where(is_stay, sc.stability_bonus, -sc.move_penalty)
    value *= SCALE
    arc_score = np.round(value, out=value).astype(np.int64)
    del value

    # Incumbents who stay in the pool must hold some post: stay or move.
    must_place = np.zeros(people.n, dtype=bool)
    must_place[stay_person] = True
    home = np.where(pool, people.home, -1)
    index = {nip: i for i, nip in enumerate(people.nip)}
    post_index = {pid: j for j, pid in enumerate(posts.jabatan_id)}
    pins = np.array(
        [[index[p.nip], post_index[p.jabatan_id]] for p in sc.pins], dtype=np.int64
    ).reshape(-1, 2)
    bans = np.array(
        [[index[p.nip], post_index[p.jabatan_id]] for p in sc.bans], dtype=np.int64
    ).reshape(-1, 2)
    _check_pins(ctx, pins, all_person, all_post)
    side = side_constraints(ctx, all_person, all_post, is_stay)
    priority = fill_tiers(posts, sc.fill_priority)
    problem = solvers.AssignmentProblem(
        n_persons=people.n,
        n_posts=posts.n,
        person=all_person,
        post=all_post,
        score=arc_score,
        home=home,
        must_place=must_place,
        pins=pins,
        bans=bans,
        side=side,
        priority=priority,
        # Promotion-only moves cannot form a cycle; with lateral moves a rotation
        # (A takes B's post, B takes A's) is what the scenario allows.
        allow_cycles=True,
    )
    solution = solvers.solve(problem, time_limit=sc.time_limit)
    t2 = time.perf_counter()
    if solution.status == solvers.Status.INFEASIBLE:
        names = ", ".join(solution.conflicts) or "pins, bans or side constraints"
        raise PlanError(
            f"{ctx.loaded.path}: no plan satisfies the scenario: {names} cannot all hold"
            + (f" ({solution.message})" if solution.message else "")
        )
    if solution.status == solvers.Status.UNKNOWN:
        raise PlanError(
            f"{ctx.loaded.path}: no plan found within time_limit {sc.time_limit:g} s"
            " (and none proven impossible); raise time_limit or loosen the constraints"
        )
    violations = solvers.validate(problem, solution)
    if violations:
        raise PlanError("the solver returned an invalid plan:\n" + "\n".join(violations))

    privacy = None
    if pseudonymise:
        # After pins and bans are resolved against real NIPs; before anything is shown.
        masked, privacy = pseudonymise_people(people, ctx.tables.sources["pegawai"])
        ctx = replace(ctx, people=masked)
    data = assemble(ctx, cands, scores, problem, solution, open_now, leaving, is_stay)
    problem.drop_caches()  # the solver's indexes: hundreds of MB in a province round
    data["manifest"]["pseudonymised"] = privacy or False
    t3 = time.perf_counter()
    timings = {
        **ctx.timings,
        "eligibility": t1 - t0,
        "solve": t2 - t1,
        "assemble": t3 - t2,
        "total": t3 - t_start,
    }
    run = {
        "timings_s": {k: round(v, 4) for k, v in timings.items()},
        "solver_wall_time_s": round(float(solution.wall_time), 4),
        "pairs_eligible": len(cands),
        "arcs": len(all_person),
        "machine": {"python": platform.python_version(), "platform": platform.platform()},
    }
    return Plan(data, run, ctx, cands, scores, problem, solution)


def fill_tiers(posts: Posts, mode: str) -> np.ndarray | None:
    """Fill priority of each post for the lexicographic objective.

    ``level``: a post's tier is its level on the structural ladder
    (Pengawas 1, Administrator 2, JPT Pratama 3, ...), so a JPT vacancy is
    filled before an Administrator post it may open; ``flat``: every post
    tier 1; ``none``: no fill priority (fit alone).
    """
    if mode == "none":
        return None
    if mode == "flat":
        return np.ones(posts.n, dtype=np.int64)
    return np.maximum(posts.level.astype(np.int64) - 1, 1)


def side_constraints(
    ctx: Context, person: np.ndarray, post: np.ndarray, is_stay: np.ndarray
) -> list[object]:
    """The scenario's committee constraints as generic solver side constraints."""
    c = ctx.loaded.scenario.constraints
    people, posts = ctx.people, ctx.posts
    side: list[object] = []
    move = ~is_stay
    if c.max_chain is not None:
        side.append(
            solvers.MaxChainLength(c.max_chain, name=f"rantai paling panjang {c.max_chain}")
        )
    if c.max_moves is not None:
        side.append(
            solvers.MaxMoves(
                c.max_moves, name=f"paling banyak {c.max_moves} perpindahan", count_new=True
            )
        )
    units, unit_code = np.unique(people.unit, return_inverse=True)
    if c.max_moves_per_unit is not None:
        group = np.where(move, unit_code[person], -1).astype(np.int64)
        side.append(
            solvers.GroupLimit(
                group,
                c.max_moves_per_unit,
                name=f"paling banyak {c.max_moves_per_unit} perpindahan dari satu unit",
            )
        )
    if c.max_between_units is not None:
        post_unit = np.searchsorted(units, posts.unit)
        known = np.isin(posts.unit, units)
        to_unit = np.where(known[post], post_unit[post], len(units))
        pair = unit_code[person] * (len(units) + 1) + to_unit
        group = np.where(move & (unit_code[person] != to_unit), pair, -1).astype(np.int64)
        side.append(
            solvers.GroupLimit(
                group,
                c.max_between_units,
                name=f"paling banyak {c.max_between_units} orang dari satu unit ke unit lain",
            )
        )
    for share in c.min_women_share:
        into = move & np.isin(posts.jenis_jabatan[post], share.jenis_jabatan)
        woman = people.jenis_kelamin[person] == "P"
        # sum(woman) >= share x sum(placed), in integer hundredths.
        coef = np.where(
            into, np.where(woman, 100 - round(share.share * 100), -round(share.share * 100)), 0
        )
        levels = ", ".join(share.jenis_jabatan)
        side.append(
            solvers.LinearConstraint(
                coef.astype(np.int64),
                lower=0,
                name=f"perempuan paling sedikit {share.share:.0%} pada {levels}",
            )
        )
    return side


def _check_pins(ctx: Context, pins: np.ndarray, person: np.ndarray, post: np.ndarray) -> None:
    if not len(pins):
        return
    arcs = set(zip(person.tolist(), post.tolist(), strict=True))
    bad = []
    for k, (i, j) in enumerate(pins.tolist()):
        if (i, j) not in arcs:
            line = ctx.loaded.lines.line_of(("pins", k))
            bad.append(
                Problem(
                    str(ctx.loaded.path),
                    f"pin {ctx.people.nip[i]} -> {ctx.posts.jabatan_id[j]}: the person is not eligible for that post",
                    line=line,
                    column=f"pins[{k}]",
                    hint=f"run 'talenta explain {ctx.people.nip[i]} {ctx.posts.jabatan_id[j]}' to see which rule fails",
                )
            )
    if bad:
        raise InputError(bad)
