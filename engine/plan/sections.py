"""One builder per section of the plan, from a solved round.

Every figure here is traced to its source: a placement carries its score
components and the rules it passed; an unfilled post names the rules that
excluded its candidates or the people placed elsewhere; a shortlist entry
carries the exact price (fit points lost against the optimum) of choosing
that person instead.

:class:`Outcome` holds what every builder needs from the solved round
(who holds which post, which arcs are moves, which posts were vacated),
computed once; :func:`assemble` calls the builders and returns the typed
:class:`~engine.plan.records.PlanRecord`.
"""

from __future__ import annotations

import platform
from dataclasses import dataclass
from functools import cached_property
from importlib import metadata
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

import solvers
from engine.eligibility.candidates import Candidates
from engine.inputs.data import file_sha256
from engine.model.problem import Arcs
from engine.plan.records import (
    SCHEMA_VERSION,
    Baseline,
    Chain,
    ChainStep,
    ConstraintPrice,
    Decision,
    DecisionMove,
    Exclusion,
    Manifest,
    Objective,
    ObligationRecord,
    Pair,
    PersonRef,
    PlacedElsewhere,
    Placement,
    PlanRecord,
    PostRef,
    RuleTerms,
    ScenarioRef,
    ScenarioSettings,
    SettingsSource,
    ShortlistEntry,
    SolverInfo,
    Summary,
    Unfilled,
)
from engine.round.context import Context
from engine.round.setup import RoundSetup
from engine.rules.obligations import binding_rules, obligations_among
from engine.scoring.fit import SCALE, PairScores, Scores, post_weights, weight_shares

__all__ = ["Outcome", "assemble", "input_hashes", "versions"]


def _r(x: float, digits: int = 1) -> float:
    return float(round(float(x), digits))


@dataclass(frozen=True)
class Outcome:
    """A solved round: its inputs, and who holds which post after the solve."""

    ctx: Context
    setup: RoundSetup
    cands: Candidates
    scores: Scores
    arcs: Arcs
    problem: solvers.AssignmentProblem
    solution: solvers.Solution

    @cached_property
    def arc_of(self) -> dict[tuple[int, int], int]:
        """The chosen arcs by (person, post): only those (a province has tens of millions)."""
        s = self.solution
        chosen = zip(s.person.tolist(), s.post.tolist(), s.arc.tolist(), strict=True)
        return {(i, j): k for i, j, k in chosen}

    @cached_property
    def occupant(self) -> np.ndarray:
        """Who holds each post after the solve (-1: nobody)."""
        out = np.full(self.ctx.posts.n, -1, dtype=np.int64)
        for i, j in self.arc_of:
            out[j] = i
        return out

    @cached_property
    def placed_at(self) -> np.ndarray:
        """The post each person holds after the solve (-1: none)."""
        out = np.full(self.ctx.people.n, -1, dtype=np.int64)
        for i, j in self.arc_of:
            out[i] = j
        return out

    @cached_property
    def moves(self) -> list[tuple[int, int]]:
        """(person, post) of every chosen arc that is not a stay."""
        return [(i, j) for (i, j), k in self.arc_of.items() if not self.arcs.is_stay[k]]

    @cached_property
    def vacated(self) -> np.ndarray:
        """Posts left by a mover."""
        out = np.zeros(self.ctx.posts.n, dtype=bool)
        home = self.ctx.people.home
        for i, _ in self.moves:
            if home[i] >= 0:
                out[home[i]] = True
        return out

    @cached_property
    def open_in_plan(self) -> np.ndarray:
        """Posts open before the solve or vacated by a move."""
        return self.setup.open_now | self.vacated

    @cached_property
    def chosen_arcs(self) -> np.ndarray:
        return np.array(list(self.arc_of.values()), dtype=np.int64)

    @cached_property
    def applicable(self) -> list:
        """The rules in force on the round's date, with the posts each applies to."""
        return self.ctx.ruleset.applicable(self.ctx.day, self.ctx.posts)

    @cached_property
    def pinned(self) -> set[tuple[int, int]]:
        return {(int(i), int(j)) for i, j in self.problem.pins.tolist()}

    def binding(self, j: int) -> list:
        """The hard rules that bind whoever is placed in post ``j`` (as
        :func:`engine.rules.obligations.binding_rules` gives them), made once
        per set of rules that apply to a post."""
        key = tuple(bool(m[j]) for _, m in self.applicable)
        if key not in self._binding:
            self._binding[key] = binding_rules(self.applicable, j, self.ctx.taxonomy)
        return self._binding[key]

    @cached_property
    def _binding(self) -> dict[tuple[bool, ...], list]:
        return {}

    def jabatan_id(self, j: int) -> str:
        return str(self.ctx.posts.jabatan_id[j])

    def post_ref(self, j: int) -> PostRef:
        posts = self.ctx.posts
        return PostRef(
            jabatan_id=str(posts.jabatan_id[j]),
            nama_jabatan=str(posts.nama[j]),
            jenis_jabatan=str(posts.jenis_jabatan[j]),
            unit=str(posts.unit[j]),
        )

    def person_ref(self, i: int) -> PersonRef:
        return PersonRef(nip=str(self.ctx.people.nip[i]), nama=str(self.ctx.people.nama[i]))


# The shortlist basis of a plan assembled without evidence (a horizon year).
NOT_PRICED = "not computed"


def assemble(
    out: Outcome, pseudonymised: str | None = None, *, evidence: bool = True
) -> PlanRecord:
    """The plan of a solved round, section by section.

    ``pseudonymised`` says how the pseudonym key was chosen when the round's
    people carry pseudonyms (the manifest records it). ``evidence=False``
    leaves out the priced shortlists and the baselines (a horizon's yearly
    rounds read only placements, chains, unfilled posts and the summary).
    """
    placements = build_placements(out)
    chains = build_chains(out)
    unfilled = build_unfilled(out)
    shortlists, price_basis = build_shortlists(out) if evidence else ({}, NOT_PRICED)
    return PlanRecord(
        status=out.solution.status.name,
        objective=build_objective(out),
        summary=build_summary(out, placements, chains, unfilled),
        baselines=build_baselines(out) if evidence else {},
        placements=placements,
        chains=chains,
        unfilled=unfilled,
        shortlists=shortlists,
        shortlist_prices=price_basis,
        rule_exclusions=build_rule_exclusions(out),
        rule_exclusions_people=out.cands.excluded_people(out.open_in_plan),
        constraints=build_constraints(out),
        decisions=build_decisions(out),
        manifest=build_manifest(out, pseudonymised),
    )


def build_placements(out: Outcome) -> list[Placement]:
    """Every move, sorted by post: who, from where, to where, kind, fit and its parts.

    The figures of every move are read at once (fit, components and penalty
    are each an operation per pair alone: the same values pair by pair)."""
    people, posts = out.ctx.people, out.ctx.posts
    # Two moves never share a post: the post's jabatan_id orders them.
    moves = sorted(out.moves, key=lambda ij: out.jabatan_id(ij[1]))
    ks = np.array([out.arc_of[ij] for ij in moves], dtype=np.int64)
    parts = out.scores.at(ks)
    fit = np.asarray(out.scores.fit[ks], dtype=np.float64).tolist()
    penalty = np.asarray(out.scores.penalty[ks], dtype=np.float64).tolist()
    score = out.problem.score[ks].tolist()
    components = {c: v.tolist() for c, v in parts.components.items()}
    weighted = {c: v.tolist() for c, v in parts.weighted.items()}
    placements = []
    for n, (i, j) in enumerate(moves):
        k = int(ks[n])
        home = int(people.home[i])
        if home < 0:
            kind = "dari luar jabatan struktural"
            origin = PostRef(
                jabatan_id=None,
                nama_jabatan=str(people.jenis_jabatan[i]),
                jenis_jabatan=str(people.jenis_jabatan[i]),
                unit=str(people.unit[i]),
            )
        else:
            kind = "promosi" if posts.level[j] > posts.level[home] else "rotasi"
            origin = out.post_ref(home)
        person = out.person_ref(i)
        placements.append(
            Placement(
                nip=person.nip,
                nama=person.nama,
                origin=origin,
                to=out.post_ref(j),
                kind=kind,
                fit=_r(fit[n]),
                components={c: _r(v[n]) for c, v in components.items()},
                weighted={c: _r(v[n], 2) for c, v in weighted.items()},
                penalty=_r(penalty[n]),
                soft_rules_failed=out.cands.soft.failed_at(k),
                rules_passed=[r.rule.id for r, m in out.applicable if m[j] and r.rule.hard],
                arc_score=int(score[n]),
                obligations=build_obligations(out, i, j),
                pinned=(i, j) in out.pinned,
                missing_data=_missing(parts, n),
            )
        )
    return placements


def build_obligations(out: Outcome, i: int, j: int) -> list[ObligationRecord]:
    """What person ``i`` placed in post ``j`` must still do, due from the round's date."""
    ctx = out.ctx
    return [
        ObligationRecord(rule=rid, training=list(o.training), due=o.due.isoformat())
        for rid, o in obligations_among(out.binding(j), ctx.people, i, ctx.day)
    ]


def _step(out: Outcome, j: int, mover_home: dict[int, int]) -> ChainStep:
    home = mover_home[j]
    return ChainStep(
        post=out.post_ref(j),
        filled_by=out.person_ref(int(out.occupant[j])),
        from_jabatan_id=out.jabatan_id(home) if home >= 0 else None,
    )


def build_chains(out: Outcome) -> list[Chain]:
    """Vacancy chains from each post opened before the solve, then rotations."""
    occupant, home_of = out.occupant, out.ctx.people.home
    move_set = set(out.moves)
    mover_home = {j: int(home_of[i]) for i, j in out.moves}
    visited: set[int] = set()
    # A post open before the solve starts a chain if a mover takes it (nobody,
    # -1, is never a mover).
    starts = [j for j in np.flatnonzero(out.setup.open_now) if (occupant[j], j) in move_set]
    chains = []
    for start in sorted(starts, key=out.jabatan_id):
        steps, j, end = [], int(start), "outside"
        while True:
            visited.add(j)
            steps.append(_step(out, j, mover_home))
            home = mover_home[j]
            if home < 0:
                end = "outside"
                break
            if occupant[home] < 0:
                end = "unfilled"
                steps.append(
                    ChainStep(post=out.post_ref(home), filled_by=None, from_jabatan_id=None)
                )
                break
            if home in visited:
                end = "cycle"
                break
            j = home
        length = sum(1 for s in steps if s.filled_by)
        chains.append(Chain(start=out.jabatan_id(start), length=length, end=end, steps=steps))
    # Rotations: cycles of moves that no open post starts. A move no chain
    # reached lies on a cycle (who took the post its mover left leads back to
    # it, or to a post open before the solve, whose chain would have reached
    # it): every post of the cycle is taken by a mover who left another.
    for _, j in sorted(out.moves, key=lambda ij: out.jabatan_id(ij[1])):
        if j in visited:
            continue
        steps, cur = [], j
        while cur not in visited:
            visited.add(cur)
            steps.append(_step(out, cur, mover_home))
            cur = mover_home[cur]
        chains.append(Chain(start=out.jabatan_id(j), length=len(steps), end="cycle", steps=steps))
    return chains


def build_unfilled(out: Outcome) -> list[Unfilled]:
    """Every open post nobody holds after the solve, with why (a vacant post the
    scenario does not open is not open: ``RoundSetup.closed``)."""
    posts, cands, setup = out.ctx.posts, out.cands, out.setup
    # Candidates are sorted by post, then person. Needles of the pairs' own
    # type: int64 ones would have numpy cast every pair's post first.
    post_start = np.searchsorted(cands.post, np.arange(posts.n + 1, dtype=cands.post.dtype))
    unfilled = []
    for j in np.flatnonzero((out.occupant < 0) & ~setup.closed).tolist():
        holder = posts.holder[j]
        if holder < 0:
            opened_by = "vacant"
        elif setup.leaving[holder]:
            opened_by = "retirement"
        else:
            opened_by = "named" if setup.open_now[j] else "chain"
        first, end = int(post_start[j]), int(post_start[j + 1])
        eligible = cands.person[first : min(end, first + 10)].tolist()
        excluded = sorted(cands.excluded[j].items(), key=lambda kv: (-kv[1], kv[0]))
        elsewhere = [
            PlacedElsewhere(
                **out.person_ref(i).model_dump(),
                placed_at=out.jabatan_id(out.placed_at[i]) if out.placed_at[i] >= 0 else None,
            )
            for i in eligible
        ]
        unfilled.append(
            Unfilled(
                post=out.post_ref(j),
                opened_by=opened_by,
                considered=int(cands.considered[j]),
                eligible=end - first,
                unknown=int(cands.unknown[j]),
                excluded_by=[Exclusion(rule=rid, people=n) for rid, n in excluded],
                eligible_placed_elsewhere=elsewhere,
                reason="eligible_placed_elsewhere" if end > first else "no_eligible_person",
            )
        )
    unfilled.sort(key=lambda e: e.post.jabatan_id or "")
    return unfilled


def build_shortlists(out: Outcome) -> tuple[dict[str, list[ShortlistEntry]], str]:
    """The best names for every post open in the plan, with prices; and how they were priced.

    Prices are exact at every size: every candidate of every open post is
    priced from the optimal flow's duals in one batch
    (:meth:`solvers.Evidence.all_prices`). Under side constraints an exact
    price needs a constrained re-solve per candidate; the prices are then
    those of the plan without the side constraints, and the plan says so.
    """
    problem, solution = out.problem, out.solution
    sc = out.ctx.loaded.scenario
    price_problem, price_solution, basis = problem, solution, "exact"
    if problem.side:
        price_problem = problem.with_changes(side=[])
        price_solution = solvers.solve(price_problem, time_limit=sc.time_limit)
        basis = "without side constraints"
    shortlists: dict[str, list[ShortlistEntry]] = {}
    evidence = solvers.Evidence(price_problem, price_solution)
    posts = sorted(np.flatnonzero(out.open_in_plan).tolist(), key=out.jabatan_id)
    near = [
        _near(out, j, persons, price, sc.shortlist)
        for j, persons, price in evidence.all_prices(np.array(posts, dtype=np.int64))
    ]
    for post_id, entries in _shortlist_entries(out, near, sc.shortlist):
        shortlists[post_id] = entries
    return shortlists, basis


class _Near(NamedTuple):
    """One open post's candidates that can be among its first names (:func:`nearest`)."""

    post: int
    persons: np.ndarray
    cost: np.ndarray  # the price's size, in the solver's units
    priced: np.ndarray  # bool: the price is a number
    chosen: np.ndarray  # bool: placed in the post by the plan


def _near(out: Outcome, j: int, persons: np.ndarray, price: np.ndarray, size: int) -> _Near:
    cost = np.abs(price)
    chosen_here = persons == out.occupant[j]
    keep = nearest(cost, chosen_here, size)
    return _Near(j, persons[keep], cost[keep], np.isfinite(price[keep]), chosen_here[keep])


def _shortlist_entries(
    out: Outcome, near: list[_Near], size: int
) -> list[tuple[str, list[ShortlistEntry]]]:
    """Each post's first ``size`` names: the placed person first, then by price
    (ties: an equally good plan exists with them), then by fit; NIP makes the
    order total. The arcs, fits and components of every post's nearest
    candidates are read in one call each (a province has thousands of open posts)."""
    counts = [len(n.persons) for n in near]
    if not sum(counts):  # no open post, or nobody eligible for any
        return [(out.jabatan_id(n.post), []) for n in near]
    persons = np.concatenate([n.persons for n in near])
    arcs = out.problem.arc_index(persons, np.repeat([n.post for n in near], counts))
    fit = np.asarray(out.scores.fit[arcs], dtype=np.float64)
    starts = (np.cumsum(counts) - counts).tolist()
    firsts = [
        np.lexsort((n.persons, -fit[lo : lo + len(n.persons)], n.cost, ~n.chosen))[:size]
        for n, lo in zip(near, starts, strict=True)
    ]
    picked = np.concatenate([lo + f for lo, f in zip(starts, firsts, strict=True)])
    scores = out.scores.at(arcs[picked.astype(np.int64)])
    fit_of = fit.tolist()
    out_rows = []
    k = 0
    for n, lo, first in zip(near, starts, firsts, strict=True):
        entries = []
        for r, f in enumerate(first.tolist()):
            entries.append(
                ShortlistEntry(
                    rank=r + 1,
                    **out.person_ref(int(n.persons[f])).model_dump(),
                    fit=_r(fit_of[lo + f]),
                    price=_r(n.cost[f] / SCALE) if n.priced[f] else None,
                    chosen=bool(n.chosen[f]),
                    missing_data=_missing(scores, k),
                )
            )
            k += 1
        out_rows.append((out.jabatan_id(n.post), entries))
    return out_rows


def nearest(cost: np.ndarray, chosen: np.ndarray, size: int) -> np.ndarray:
    """The candidates (ascending) that can be among the first ``size`` when
    ordered chosen first, then by ``cost``: the chosen, and every one whose
    cost is at most the ``size``-th least cost (any other has ``size`` before it).
    """
    n = len(cost)
    if n <= size:
        return np.arange(n)
    kth = size - 1  # the size-th least cost's place in the sorted costs
    bound = np.partition(cost, kth)[kth]
    if np.isnan(bound):  # fewer than ``size`` costs are numbers: keep every candidate
        return np.arange(n)
    return np.flatnonzero((cost <= bound) | chosen)


def _missing(parts: PairScores, k: int) -> list[str]:
    """The fit components of pair ``k`` of ``parts`` made without their data."""
    flags = (("kinerja", parts.missing_kinerja), ("potensi", parts.missing_potensi))
    return [name for name, missing in flags if missing[k]]


def build_objective(out: Outcome) -> Objective:
    """The objective and its parts over every chosen arc.

    Components add up to the objective: each arc's weighted components times
    its post's weight, minus soft penalties, plus stay bonuses, minus moves.
    """
    sc = out.ctx.loaded.scenario
    ks = out.chosen_arcs
    stays = int(out.arcs.is_stay[ks].sum())
    w = post_weights(out.ctx.posts, sc.post_weights)[out.problem.post[ks]]
    solution = out.solution
    return Objective(
        value=_r(solution.objective / SCALE),
        bound=_r(solution.bound / SCALE) if solution.bound is not None else None,
        gap=solution.gap,
        components={c: _r((v * w).sum()) for c, v in out.scores.at(ks).weighted.items()},
        soft_penalties=-_r((out.scores.penalty[ks] * w).sum()),
        stability_bonus=_r(stays * sc.stability_bonus),
        move_penalty=-_r((len(ks) - stays) * sc.move_penalty),
        unit="fit points, weighted by post (post_weights)",
    )


def build_baselines(out: Outcome) -> dict[str, Baseline]:
    """Greedy and cascade plans of the same problem, and what the optimum gains over each."""
    baselines = {}
    for name, heuristic in (("greedy", solvers.greedy), ("cascade", solvers.cascade)):
        base = heuristic(out.problem)
        if base.objective is None:  # the heuristic found no plan under the side constraints
            baselines[name] = Baseline(
                objective=None, gain_of_optimum=None, status=base.status.name
            )
            continue
        baselines[name] = Baseline(
            objective=_r(base.objective / SCALE),
            gain_of_optimum=_r((out.solution.objective - base.objective) / SCALE),
            posts_filled=len(base.post),
            status=base.status.name,
        )
    return baselines


def build_summary(
    out: Outcome, placements: list[Placement], chains: list[Chain], unfilled: list[Unfilled]
) -> Summary:
    """The round's key figures."""
    people, posts = out.ctx.people, out.ctx.posts
    moves = out.moves
    fits = [p.fit for p in placements]
    return Summary(
        posts=int(posts.n),
        posts_opened=int(out.setup.open_now.sum()),
        posts_vacated_by_moves=int(out.vacated.sum()),
        posts_filled=int((out.open_in_plan & (out.occupant >= 0)).sum()),
        posts_unfilled=len(unfilled),
        moves=len(moves),
        promotions=sum(1 for p in placements if p.kind == "promosi"),
        from_outside=sum(1 for p in placements if p.kind == "dari luar jabatan struktural"),
        stays=int(out.arcs.is_stay[out.chosen_arcs].sum()),
        leaving_at_bup=int(out.setup.leaving[posts.holder[posts.holder >= 0]].sum()),
        chains=len(chains),
        longest_chain=max((c.length for c in chains), default=0),
        mean_fit=_r(np.mean(fits)) if fits else None,
        field_match_rate=_r(np.mean([p.components["keilmuan"] >= 60 for p in placements]) * 100)
        if placements
        else None,
        women_share=_r(np.mean([people.jenis_kelamin[i] == "P" for i, _ in moves]) * 100)
        if moves
        else None,
        eligible_pairs=len(out.cands),
    )


def build_rule_exclusions(out: Outcome) -> dict[str, int]:
    """Which rules bite: (person, post) pairs each hard rule excluded, over the posts open in the plan.

    A pair count: a person excluded from several posts counts once per post.
    The people are :meth:`Candidates.excluded_people`.
    """
    exclusions: dict[str, int] = {}
    for j in np.flatnonzero(out.open_in_plan).tolist():
        for rid, n in out.cands.excluded[j].items():
            exclusions[rid] = exclusions.get(rid, 0) + int(n)
    return dict(sorted(exclusions.items()))


def build_decisions(out: Outcome) -> list[Decision]:
    """Each pin and ban of the scenario, with its price and whom it displaces.

    The price is exact: the round is solved again without that one decision
    (every other pin, ban and constraint kept), and the difference of the two
    optima is what the decision costs.
    """
    problem = out.problem
    decisions = []
    for kind, pairs in (("pin", problem.pins), ("ban", problem.bans)):
        for k, (i, j) in enumerate(pairs.tolist()):
            without = problem.with_changes(**{f"{kind}s": np.delete(pairs, k, axis=0)})
            other = solvers.solve(without, time_limit=out.ctx.loaded.scenario.time_limit)
            person = out.person_ref(i)
            decisions.append(
                Decision(
                    kind=kind,
                    nip=person.nip,
                    nama=person.nama,
                    jabatan_id=out.jabatan_id(j),
                    nama_jabatan=str(out.ctx.posts.nama[j]),
                    price=_r((other.objective - out.solution.objective) / SCALE),
                    displaced=_displaced(out, other),
                )
            )
    return decisions


def _displaced(out: Outcome, other: solvers.Solution) -> list[DecisionMove]:
    """People whose post differs between the plan and ``other`` (moves only, not stays)."""
    is_stay = out.arcs.is_stay

    def moves(solution: solvers.Solution) -> dict[int, int]:
        keep = ~is_stay[solution.arc]
        return dict(zip(solution.person[keep].tolist(), solution.post[keep].tolist(), strict=True))

    now, then = moves(out.solution), moves(other)
    changed = sorted(i for i in set(now) | set(then) if now.get(i) != then.get(i))
    return [
        DecisionMove(
            **out.person_ref(i).model_dump(),
            with_decision=out.jabatan_id(now[i]) if i in now else None,
            without_decision=out.jabatan_id(then[i]) if i in then else None,
        )
        for i in changed
    ]


def build_constraints(out: Outcome) -> list[ConstraintPrice]:
    """Each committee constraint and its price (the objective it costs)."""
    if not out.problem.side:
        return []
    sc = out.ctx.loaded.scenario
    prices = solvers.side_constraint_prices(out.problem, out.solution, time_limit=sc.time_limit)
    return [
        ConstraintPrice(name=c.name, price=_r(prices.get(c.name, 0) / SCALE))
        for c in out.problem.side
    ]


def settings_sources(ctx: Context) -> list[SettingsSource]:
    """The legal basis of each settings file (the version in force) and whether it was verified."""
    found: list[tuple[str, Any]] = [
        ("weights", ctx.weights),
        ("talent_box", ctx.talent),
        ("taxonomy", ctx.taxonomy),
        ("bup", ctx.bup.at(ctx.day)),
        ("rank_progression", ctx.people.rank_progression),
    ]
    found += [(f"equivalences.{v.regime}", v) for v in ctx.equivalences.versions]
    return [
        SettingsSource(setting=name, source=s.source, verified=s.verified)
        for name, s in found
        if s is not None
    ]


def build_manifest(out: Outcome, pseudonymised: str | None = None) -> Manifest:
    """What the plan was made from: scenario, input hashes, rules, regimes, solver, versions."""
    ctx, sc = out.ctx, out.ctx.loaded.scenario
    return Manifest(
        schema_version=SCHEMA_VERSION,
        scenario=ScenarioRef(
            name=sc.name,
            committee=sc.committee,
            date=sc.date.isoformat(),
            file=ctx.loaded.path.name,
            # Relative to the project folder (the scenario folder's parent), so
            # the plan can be re-run from its manifest: talenta rerun plan.json.
            path=_project_relative(ctx.loaded.path),
        ),
        inputs_sha256=input_hashes(ctx.input_files),
        rules_in_force=out.cands.rules_in_force,
        settings_sources=settings_sources(ctx),
        rule_changes=[c.model_dump(mode="json", exclude_none=True) for c in sc.changes],
        regime=ctx.weights.regime,
        missing_assessment=ctx.weights.missing_assessment,
        talent_regime=ctx.talent.regime if ctx.talent is not None else None,
        solver=SolverInfo(
            method=out.solution.method,
            status=out.solution.status.name,
            message=out.solution.message,
        ),
        versions=versions(),
        pseudonymised=pseudonymised or False,
        settings=build_settings(out),
        rules={
            r.rule.id: RuleTerms(
                title=r.rule.title,
                applies_to=r.rule.applies_to.model_dump(mode="json", exclude_defaults=True),
                require=r.rule.require.model_dump(mode="json", exclude_none=True),
                hard=r.rule.hard,
                penalty=r.rule.penalty,
                source=r.rule.source,
                verified=r.rule.verified,
            )
            for r, _ in out.applicable
        },
    )


def build_settings(out: Outcome) -> ScenarioSettings:
    """The scenario's choices; pins and bans name people as the plan does (pseudonyms too)."""
    sc = out.ctx.loaded.scenario
    people, posts = out.ctx.people, out.ctx.posts

    def pairs(arr: np.ndarray) -> list[Pair]:
        return [
            Pair(nip=str(people.nip[i]), jabatan_id=str(posts.jabatan_id[j]))
            for i, j in arr.tolist()
        ]

    return ScenarioSettings(
        date=sc.date.isoformat(),
        round=sc.round.kind,
        open=sc.open.model_dump(mode="json"),
        moves=sc.moves.model_dump(mode="json"),
        component_weights=sc.component_weights,
        weights_in_force=weight_shares(out.ctx.weights, sc.component_weights),
        fill_priority=sc.fill_priority,
        post_weights=sc.post_weights,
        stability_bonus=sc.stability_bonus,
        move_penalty=sc.move_penalty,
        shortlist=sc.shortlist,
        unknown=sc.unknown,
        constraints=sc.constraints.model_dump(mode="json"),
        # From the problem, where pins and bans are (person, post) indices: the
        # plan's people carry pseudonyms when the plan is pseudonymised.
        pins=pairs(out.problem.pins),
        bans=pairs(out.problem.bans),
    )


def _project_relative(path: Path) -> str:
    resolved = path.resolve()
    return resolved.relative_to(resolved.parent.parent).as_posix()


def versions() -> dict[str, str]:
    """Versions of the software that made a plan."""
    out = {"python": platform.python_version()}
    for dist in ("talenta", "ortools", "pandas", "numpy", "networkx", "pyyaml", "pydantic"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = "not installed"
    return out


def input_hashes(files: dict[str, Path]) -> dict[str, str]:
    """SHA-256 of each input file, by role."""
    return {role: file_sha256(path) for role, path in sorted(files.items())}
