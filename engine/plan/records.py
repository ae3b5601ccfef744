"""The plan as typed records: what plan.json holds, section by section.

A plan is a tree of pydantic models. The builders in
:mod:`engine.plan.sections` make each section from a solved round; the
reports, the workbook, ``compare``, succession and the committee's web app
read the fields of these records, never string keys. ``plan.json`` is the
serialisation of :class:`PlanRecord` (:meth:`PlanRecord.to_json`), and
:func:`PlanRecord.from_json` reads one back, checked against the same types.

The JSON Schema of plan.json (``schemas/plan.schema.json``) and the reference
page docs/plan-json.md are generated from these classes
(``python -m engine.report.reference``), so the documentation cannot drift
from what is written. Field descriptions here are that documentation.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from engine.i18n import obligation_text

__all__ = [
    "SCHEMA_VERSION",
    "Baseline",
    "Chain",
    "ChainStep",
    "ConstraintPrice",
    "Decision",
    "DecisionMove",
    "Exclusion",
    "Manifest",
    "Objective",
    "ObligationRecord",
    "Pair",
    "PersonRef",
    "PlacedElsewhere",
    "Placement",
    "PlanRecord",
    "PostRef",
    "RuleTerms",
    "ScenarioRef",
    "ScenarioSettings",
    "ShortlistEntry",
    "SolverInfo",
    "Summary",
    "Unfilled",
    "read_plan",
]

SCHEMA_VERSION = "2"  # 2: the manifest records the settings and the rules in force

PlacementKind = Literal["promosi", "rotasi", "dari luar jabatan struktural"]
ChainEnd = Literal["outside", "unfilled", "cycle"]
OpenedBy = Literal["vacant", "retirement", "named", "chain"]
UnfilledReason = Literal["no_eligible_person", "eligible_placed_elsewhere"]


class Record(BaseModel):
    """Base of every plan record: no unknown keys, immutable once built."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class PostRef(Record):
    """A post, as a placement, chain or unfilled entry names it."""

    jabatan_id: str | None = Field(
        description="the post's id; null for a person's origin outside structural posts"
    )
    nama_jabatan: str = Field(
        description="the post's name (for an origin outside structural posts: the jenis jabatan)"
    )
    jenis_jabatan: str = Field(description="the post's level (jenis jabatan)")
    unit: str = Field(description="the unit (OPD) the post belongs to")


class PersonRef(Record):
    """A person, by NIP and name (pseudonyms in a pseudonymised plan)."""

    nip: str = Field(description="NIP (or its pseudonym)")
    nama: str = Field(description="name (or its pseudonym)")


class ObligationRecord(Record):
    """What the person placed must still do after appointment, and by when."""

    rule: str = Field(description="id of the rule that sets the obligation")
    training: list[str] = Field(
        description="trainings that meet it (any one); the first is the one named"
    )
    due: str = Field(description="the last day it may be met, ISO (appointment date + months)")

    def text(self, lang: str) -> str:
        """In words: "wajib PKA paling lambat 2028-01-04" / "must complete PKA by 2028-01-04"."""
        return obligation_text(self.training, self.due, lang)


class Placement(Record):
    """One move the plan makes: a person into a post that is not their own."""

    nip: str = Field(description="NIP of the person placed (or its pseudonym)")
    nama: str = Field(description="name of the person placed (or its pseudonym)")
    origin: PostRef = Field(
        alias="from",
        description="the post the person leaves; for people outside structural posts, their jenis jabatan and unit",
    )
    to: PostRef = Field(description="the post the person takes")
    kind: PlacementKind = Field(
        description="promosi (to a higher level), rotasi (same level) or from outside structural posts"
    )
    fit: float = Field(description="fit of the person for the post, 0-100, one decimal")
    components: dict[str, float] = Field(
        description="each fit component on its 0-100 scale (kinerja, potensi, keilmuan, pengalaman)"
    )
    weighted: dict[str, float] = Field(
        description="each component times its weight; they add up to the fit before soft penalties"
    )
    penalty: float = Field(description="fit points lost to the soft rules the pair fails")
    soft_rules_failed: list[str] = Field(description="ids of the soft rules the pair fails")
    rules_passed: list[str] = Field(description="ids of the hard rules of the post, all passed")
    arc_score: int = Field(description="the integer value the optimiser maximised for this pair")
    obligations: list[ObligationRecord] = Field(
        default_factory=list,
        description="what the person must still do after appointment (training due within "
        "months of the scenario date, the appointment date); empty: nothing",
    )
    pinned: bool = Field(
        default=False, description="the scenario fixes this placement (a pin); see `decisions`"
    )
    missing_data: list[Literal["kinerja", "potensi"]] = Field(
        default_factory=list,
        description="fit components made without their data: `potensi` (no assessment, neither JPM nor competency level: scored as the weights file's `missing_assessment` says, see `manifest.missing_assessment`) and `kinerja` (no SKP in the window: 0 points); empty: none",
    )


class ChainStep(Record):
    """One post of a vacancy chain and who fills it."""

    post: PostRef = Field(description="the post")
    filled_by: PersonRef | None = Field(description="who fills it; null: it stays unfilled")
    from_jabatan_id: str | None = Field(
        description="the post the filler leaves (null: they come from outside structural posts)"
    )


class Chain(Record):
    """A vacancy chain: each placement fills the post the previous mover left."""

    start: str = Field(description="jabatan_id of the post that starts the chain")
    length: int = Field(description="placements in the chain, the last one included")
    end: ChainEnd = Field(
        description="outside: the last mover had no structural post; unfilled: a post is left empty; cycle: a rotation"
    )
    steps: list[ChainStep] = Field(description="the chain's posts, from its start")


class Exclusion(Record):
    """How many people one hard rule excluded from a post."""

    rule: str = Field(description="rule id")
    people: int = Field(description="people the rule excluded")


class PlacedElsewhere(Record):
    """An eligible person for an unfilled post, and where the plan put them."""

    nip: str = Field(description="NIP (or its pseudonym)")
    nama: str = Field(description="name (or its pseudonym)")
    placed_at: str | None = Field(description="jabatan_id they hold in the plan; null: unplaced")


class Unfilled(Record):
    """A post open in the plan that nobody fills, and why."""

    post: PostRef = Field(description="the post")
    opened_by: OpenedBy = Field(
        description="vacant now, the incumbent retires, opened by name, or opened by a chain"
    )
    considered: int = Field(description="people considered for the post")
    eligible: int = Field(description="people eligible for it")
    unknown: int = Field(description="people for whom a rule's data was missing")
    excluded_by: list[Exclusion] = Field(description="hard rules that excluded people, most first")
    eligible_placed_elsewhere: list[PlacedElsewhere] = Field(
        description="up to 10 eligible people and where the plan placed them"
    )
    reason: UnfilledReason = Field(
        description="no_eligible_person, or eligible_placed_elsewhere (every eligible person is worth more elsewhere)"
    )


class DecisionMove(Record):
    """A person whose post differs between the plan and the plan without one decision."""

    nip: str = Field(description="NIP (or its pseudonym)")
    nama: str = Field(description="name (or its pseudonym)")
    with_decision: str | None = Field(
        description="jabatan_id the person takes in the plan (null: no move, keeps their post)"
    )
    without_decision: str | None = Field(
        description="jabatan_id the person would take without the decision (null: no move)"
    )


class Decision(Record):
    """A committee decision the scenario states: a pin or a ban, with what it costs."""

    kind: Literal["pin", "ban"] = Field(
        description="pin: the person is placed in the post; ban: never in it"
    )
    nip: str = Field(description="NIP (or its pseudonym)")
    nama: str = Field(description="name (or its pseudonym)")
    jabatan_id: str = Field(description="the post")
    nama_jabatan: str = Field(description="the post's name")
    price: float = Field(
        description="objective points the decision costs: the best plan without it minus this plan (0: it costs nothing)"
    )
    displaced: list[DecisionMove] = Field(
        description="everyone whose placement the decision changes, with their post with and without it"
    )


class ShortlistEntry(Record):
    """One of the best names for an open post, with the price of choosing them."""

    rank: int = Field(description="1 is the placed person (if any), then by price and fit")
    nip: str = Field(description="NIP (or its pseudonym)")
    nama: str = Field(description="name (or its pseudonym)")
    fit: float = Field(description="fit for the post, 0-100")
    price: float | None = Field(
        description="objective points lost against the optimum by choosing this person (0: an equally good plan exists); null: no plan places them here"
    )
    chosen: bool = Field(description="the plan places this person here")
    missing_data: list[Literal["kinerja", "potensi"]] = Field(
        default_factory=list,
        description="fit components made without their data: `potensi` (no assessment, neither JPM nor competency level: scored as the weights file's `missing_assessment` says, see `manifest.missing_assessment`) and `kinerja` (no SKP in the window: 0 points); empty: none",
    )


class Objective(Record):
    """The value the plan maximises, and what it is made of."""

    value: float = Field(
        description="total of the chosen arcs, in fit points weighted by post (`post_weights`), with stay bonuses and move penalties"
    )
    bound: float | None = Field(description="proven upper bound (equal to value when OPTIMAL)")
    gap: float | None = Field(description="relative gap between value and bound (0 when OPTIMAL)")
    components: dict[str, float] = Field(
        description="each fit component's weighted share of the objective; with `soft_penalties`, `stability_bonus` and `move_penalty` they add up to `value`"
    )
    soft_penalties: float = Field(description="soft-rule penalties (negative)")
    stability_bonus: float = Field(description="stability bonus of the incumbents who stay")
    move_penalty: float = Field(description="move penalties (negative)")
    unit: str = Field(description="the unit the figures are in")


class Baseline(Record):
    """A heuristic plan of the same round, to show what the optimiser gains."""

    objective: float | None = Field(description="its objective; null: it found no plan")
    gain_of_optimum: float | None = Field(description="the optimum's objective minus this one")
    posts_filled: int | None = Field(default=None, description="posts it fills")
    status: str = Field(description="its status (FEASIBLE, or INFEASIBLE when it found no plan)")


class Summary(Record):
    """The round's key figures, in the order the reports show them."""

    posts: int = Field(description="posts in the jabatan table")
    posts_opened: int = Field(description="posts open before the solve")
    posts_vacated_by_moves: int = Field(description="posts opened by the plan's moves")
    posts_filled: int = Field(description="open posts the plan fills")
    posts_unfilled: int = Field(description="open posts nobody fills")
    moves: int = Field(description="placements (moves)")
    promotions: int = Field(description="placements to a higher level")
    from_outside: int = Field(description="placements of people from outside structural posts")
    stays: int = Field(description="incumbents who stay")
    leaving_at_bup: int = Field(description="incumbents reaching BUP before the cut-off")
    chains: int = Field(description="vacancy chains and rotations")
    longest_chain: int = Field(description="placements in the longest chain")
    mean_fit: float | None = Field(description="mean fit of the placements")
    field_match_rate: float | None = Field(
        description="share of placements whose keilmuan component is 60 or more, in %"
    )
    women_share: float | None = Field(description="share of women among the moves, in %")
    eligible_pairs: int = Field(description="eligible (person, post) pairs")

    def kpis(self) -> list[tuple[str, int | float | None]]:
        """(key, value) of every figure, in order: what the reports list."""
        return [(name, getattr(self, name)) for name in type(self).model_fields]


class ConstraintPrice(Record):
    """A committee constraint and what it costs."""

    name: str = Field(description="the constraint, in words")
    price: float = Field(description="objective points it costs (the plan without it, minus this)")


class ScenarioRef(Record):
    """The scenario a plan was made from."""

    name: str = Field(description="scenario name")
    committee: str = Field(description="the committee (Baperjakat, ...)")
    date: str = Field(description="scenario date, ISO")
    file: str = Field(description="scenario file name")
    path: str = Field(description="scenario path, relative to the project folder (for rerun)")


class SolverInfo(Record):
    """How the plan was solved."""

    method: str = Field(description="solver method")
    status: str = Field(description="OPTIMAL, FEASIBLE, ...")
    message: str = Field(
        description="what the solver says about the plan (e.g. which level is not proven); empty if nothing"
    )


class Pair(Record):
    """A (person, post) pair the scenario pins or bans."""

    nip: str = Field(description="NIP (or its pseudonym)")
    jabatan_id: str = Field(description="the post")


class ScenarioSettings(Record):
    """The scenario's choices that shape a plan: what ``compare`` lists as input differences."""

    date: str = Field(description="scenario date, ISO")
    round: str = Field(
        default="regular",
        description="the kind of round: `regular`, or `open_selection` (seleksi terbuka), "
        "where the rules whose `rounds` name it apply too",
    )
    open: dict[str, Any] = Field(
        description="which posts are open: `vacant`, `retiring_before` (the BUP cut-off), `posts` opened by name"
    )
    moves: dict[str, Any] = Field(
        description="which moves are allowed: `promotion`, `lateral`, `from_outside`, `within_kecamatan`"
    )
    component_weights: dict[str, float] | None = Field(
        description="the scenario's override of the regime's component weights (null: the regime's)"
    )
    weights_in_force: dict[str, float] | None = Field(
        default=None,
        description="what each fit component was worth, as shares of 100: the regime's "
        "weights with `component_weights` put over them (null in plans written before it "
        "was recorded); `compare` lists these instead of the override",
    )
    fill_priority: str = Field(description="level, flat or none")
    post_weights: dict[str, float] = Field(
        description="weight of a placement's fit by jenis jabatan"
    )
    stability_bonus: float = Field(description="fit points added to staying in one's post")
    move_penalty: float = Field(description="fit points a move costs")
    shortlist: int = Field(description="names per open post")
    unknown: str = Field(description="how a rule with missing data counts: fail or pass")
    constraints: dict[str, Any] = Field(description="the committee's side constraints")
    pins: list[Pair] = Field(description="people fixed to posts")
    bans: list[Pair] = Field(description="people never to be placed in posts")


class RuleTerms(Record):
    """A rule in force, as it was applied: what ``compare`` checks for changed parameters."""

    title: str = Field(description="the rule's title")
    applies_to: dict[str, Any] = Field(description="the posts it selects")
    require: dict[str, Any] = Field(description="the requirement kind and its parameters")
    hard: bool = Field(description="true: excludes; false: costs `penalty` fit points")
    penalty: float | None = Field(description="fit points a soft rule costs when failed")
    source: str = Field(description="legal basis")
    verified: bool = Field(
        default=False,
        description="true: the source was checked against the regulation's text; false: not yet",
    )


class SettingsSource(Record):
    """The legal basis of a settings file (or of the version of it) in force."""

    setting: str = Field(
        description="which settings: weights, talent_box, taxonomy, bup, rank_progression"
    )
    source: str = Field(description="legal basis")
    verified: bool = Field(
        description="true: the source was checked against the regulation's text; false: not yet"
    )


class Manifest(Record):
    """What a plan was made from: enough to re-run it and to trust it."""

    schema_version: str = Field(description="version of this plan.json layout")
    scenario: ScenarioRef = Field(description="the scenario")
    inputs_sha256: dict[str, str] = Field(description="SHA-256 of every input file, by role")
    rules_in_force: list[str] = Field(description="ids of the rules in force on the date")
    rule_changes: list[dict[str, Any]] = Field(
        description="the scenario's changes to rule parameters"
    )
    regime: str = Field(description="the scoring weights regime in force")
    missing_assessment: str | None = Field(
        default=None,
        description="how the weights in force score a person without an assessment: neutral, zero or not_eligible (null in plans written before it was recorded)",
    )
    talent_regime: str | None = Field(description="the talent-box regime in force, if any")
    solver: SolverInfo = Field(description="solver and status")
    versions: dict[str, str] = Field(
        description="versions of the software that made the plan (talenta, OR-Tools, pandas, numpy, networkx, pyyaml, pydantic, Python)"
    )
    pseudonymised: Literal[False] | str = Field(
        default=False,
        description="false, or how the pseudonym key was chosen when names and NIPs are pseudonyms",
    )
    settings: ScenarioSettings | None = Field(
        default=None, description="the scenario's choices (absent in plans of schema version 1)"
    )
    settings_sources: list[SettingsSource] = Field(
        default_factory=list,
        description="the legal basis of each settings file in force and whether it was verified (empty in plans written before it was recorded)",
    )
    rules: dict[str, RuleTerms] = Field(
        default_factory=dict,
        description="the rules in force by id, as applied (absent in plans of schema version 1)",
    )


class PlanRecord(Record):
    """A placement plan: the content of plan.json."""

    status: str = Field(
        description="OPTIMAL: proven optimal; FEASIBLE: every constraint holds, `objective.gap` says how far from optimal it can be"
    )
    objective: Objective = Field(description="the objective and its components")
    summary: Summary = Field(description="key figures")
    baselines: dict[str, Baseline] = Field(
        description="`greedy` (highest score first) and `cascade` (a single-path cascade) plans of the same problem"
    )
    placements: list[Placement] = Field(description="every move, sorted by post")
    chains: list[Chain] = Field(description="vacancy chains, then rotations")
    unfilled: list[Unfilled] = Field(description="open posts nobody fills, with the reason")
    shortlists: dict[str, list[ShortlistEntry]] = Field(
        description="per open post (jabatan_id), the best names with the price of each"
    )
    shortlist_prices: str = Field(
        description="`exact` (at every size); `without side constraints` when the round has side constraints (prices of the plan without them); `not computed` in the yearly rounds of a succession horizon (no shortlists, no baselines)"
    )
    rule_exclusions: dict[str, int] = Field(
        description="(person, post) pairs each hard rule excluded, summed over the posts open in the plan: a person turned away from ten posts counts ten times (the people are `rule_exclusions_people`)"
    )
    rule_exclusions_people: dict[str, int] | None = Field(
        default=None,
        description="distinct people each hard rule excluded from at least one post open in the plan, each counted once (null in plans written before it was recorded)",
    )
    constraints: list[ConstraintPrice] = Field(description="committee constraints and their prices")
    decisions: list[Decision] = Field(
        default_factory=list,
        description="the scenario's pins and bans, each with its price and whom it displaces",
    )
    manifest: Manifest = Field(description="inputs, rules, solver and versions")

    def to_dict(self) -> dict[str, Any]:
        """The plan as plan.json's JSON value."""
        return self.model_dump(mode="json", by_alias=True)

    def to_json(self) -> str:
        """plan.json: deterministic (sorted keys, no time, no output path)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, text: str | bytes) -> PlanRecord:
        """Read plan.json back, checked against these types."""
        return cls.model_validate_json(text)


# A plan.json of a national round is tens of MB; read whole, so bounded.
MAX_PLAN_JSON_BYTES = 512 * 1024 * 1024


def read_plan(path: Path) -> PlanRecord:
    """A plan.json file read back and checked; an InputError names what is wrong and where.

    Only a regular file of at most :data:`MAX_PLAN_JSON_BYTES` is read.
    """
    from engine.errors import InputError, Problem, message
    from engine.inputs.yamlio import read_text

    text = read_text(path, str(path), max_bytes=MAX_PLAN_JSON_BYTES)
    try:
        return PlanRecord.from_json(text)
    except ValidationError as exc:
        problems = [
            Problem(
                str(path),
                message(
                    "plan_json_at",
                    where=".".join(str(p) for p in err["loc"]) or message("plan_json_whole"),
                    error=err["msg"],
                ),
                allowed=message("plan_json_allowed"),
            )
            for err in exc.errors()[:20]
        ]
        raise InputError(problems) from None
