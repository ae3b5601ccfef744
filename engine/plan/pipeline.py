"""The one pipeline: scenario -> tables -> rules -> eligibility -> score -> model -> solve -> Plan.

:func:`build_plan` is the only place the steps are chained; the CLI, the
reports and the tests call it. Each step lives in its own package:

- :mod:`engine.round` loads and checks the inputs and derives people and
  posts at the scenario date (:func:`load_context`), and turns the
  scenario's choices into masks (:func:`round_setup`);
- :mod:`engine.eligibility` finds the eligible pairs;
- :mod:`engine.model` adds the incumbents' stay arcs and, once the arcs are
  scored by :mod:`engine.scoring`, builds the solver problem;
- :mod:`solvers` solves it, and its independent validator checks the plan;
- :mod:`engine.plan.sections` builds the typed plan
  (:class:`~engine.plan.records.PlanRecord`) section by section.
"""

from __future__ import annotations

import platform
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

import solvers
from engine.eligibility.candidates import Candidates, find_candidates
from engine.errors import TalentaError, message
from engine.model.problem import Arcs, build_problem, round_arcs
from engine.plan.privacy import pseudonymise_people
from engine.plan.records import PlanRecord, Summary
from engine.plan.sections import Outcome, assemble
from engine.round.context import Context, load_context, with_state
from engine.round.setup import RoundSetup, round_setup
from engine.scoring.fit import Scores, score_pairs

__all__ = [
    "Context",
    "Held",
    "KeptPlan",
    "Plan",
    "PlanError",
    "RoundSetup",
    "build_plan",
    "load_context",
    "plan_round",
    "round_candidates",
    "round_setup",
    "warm_start",
    "with_state",
]


class PlanError(TalentaError):
    """The round cannot be planned as stated (e.g. pins that cannot hold)."""


@dataclass
class Plan:
    """The outcome of a round: the typed plan (plan.json), plus the arrays behind it."""

    record: PlanRecord  # deterministic: plan.json is its serialisation
    run: dict[str, Any]  # timings and machine facts (run.json)
    context: Context
    candidates: Candidates
    scores: Scores
    problem: solvers.AssignmentProblem
    solution: solvers.Solution

    @property
    def summary(self) -> Summary:
        return self.record.summary

    def kept(self) -> KeptPlan:
        """The plan without the arrays behind it, for keeping after its round."""
        return KeptPlan(self.record, self.run, self.context)

    def held(self) -> Held:
        """Who holds which post under this plan, by NIP and jabatan_id (every chosen pair)."""
        sol = self.solution
        return Held(
            self.context.people.nip[sol.person].astype(object),
            self.context.posts.jabatan_id[sol.post].astype(object),
        )


@dataclass(frozen=True)
class Held:
    """A plan's chosen pairs by NIP and jabatan_id, aligned: ids that outlive the round's indices.

    A horizon's next round starts its solve from them (:func:`warm_start`).
    """

    nip: np.ndarray
    jabatan_id: np.ndarray

    def __len__(self) -> int:
        return len(self.nip)


@dataclass
class KeptPlan:
    """A plan kept after its round: the typed record, run facts and the round's context.

    Without the eligible pairs, their scores and the solver problem (GBs in a
    province round), so that a multi-year horizon holds one round's arrays
    at a time.
    """

    record: PlanRecord
    run: dict[str, Any]
    context: Context

    @property
    def summary(self) -> Summary:
        return self.record.summary


def build_plan(path: Path, *, pseudonymise: bool = False) -> Plan:
    """Run the whole round for the scenario at ``path``.

    With ``pseudonymise``, names and NIPs in the plan and everything
    rendered from it are replaced by stable pseudonyms (engine.plan.privacy).
    """
    t_start = time.perf_counter()
    return plan_round(load_context(path), t_start, pseudonymise=pseudonymise)


def round_candidates(ctx: Context, setup: RoundSetup) -> Candidates:
    """The eligible pairs the scenario's move policy allows, to posts that can be filled:
    a round's own pairs, and the ready-now pairs of its bench.

    A post vacant now is open only when the scenario opens vacant posts
    (``open.vacant``) or names it; otherwise nobody holds it and no move can
    open it, so no pair leads to it (``RoundSetup.closed``).
    """
    sc = ctx.loaded.scenario
    people, posts = ctx.people, ctx.posts
    cands = find_candidates(
        people,
        posts,
        ctx.ruleset,
        ctx.taxonomy,
        sc.date,
        pool=setup.pool,
        allowed=setup.allowed,
        unknown=sc.unknown,
    )
    cands = setup.moves.restrict(cands, people, posts)
    if setup.closed.any():
        cands = cands.subset(~setup.closed[cands.post])
    return cands


def warm_start(
    ctx: Context, arcs: Arcs, problem: solvers.AssignmentProblem, held: Held
) -> solvers.Solution:
    """An earlier plan's pairs as a plan of this round: its solve's ``start``.

    ``held`` names people and posts by NIP and jabatan_id (a horizon's
    previous year, :meth:`Plan.held`); each pair is mapped to this round's
    indices and kept when it is one of this round's stay arcs (the person
    holds the post now and stays in the pool). After a year's tables are
    moved on by its plan, everybody that plan placed holds the post it gave
    them, so the previous optimum becomes its people staying: a plan of this
    round (each person and post once, every pair an arc), with its
    objective, moves and fills stated as the validator recomputes them. A
    pair whose person left or whose post is opened by name is dropped.
    """
    person = pd.Index(ctx.people.nip).get_indexer(pd.Index(held.nip))
    post = pd.Index(ctx.posts.jabatan_id).get_indexer(pd.Index(held.jabatan_id))
    stay_arc = np.full(ctx.people.n, -1, dtype=np.int64)
    n_stay = len(arcs.stay_person)
    stay_arc[arcs.stay_person] = np.arange(len(arcs) - n_stay, len(arcs), dtype=np.int64)
    arc = np.where(person >= 0, stay_arc[np.maximum(person, 0)], -1)
    keep = (arc >= 0) & (post >= 0)
    keep[keep] = problem.post[arc[keep]] == post[keep]
    arc = arc[keep]
    arc = arc[np.lexsort((problem.person[arc], problem.post[arc]))]
    chosen_post = problem.post[arc]
    home = problem.home[problem.person[arc]]
    filled: dict[int, int] = {}
    if problem.priority is not None:
        tiers, counts = np.unique(problem.priority[chosen_post], return_counts=True)
        filled = {int(t): int(c) for t, c in zip(tiers, counts, strict=True)}
    return solvers.Solution(
        status=solvers.Status.FEASIBLE,
        person=problem.person[arc].astype(np.int64),
        post=chosen_post.astype(np.int64),
        arc=arc,
        objective=int(problem.score[arc].sum()),
        method="previous_plan",
        n_moves=int(((home >= 0) & (home != chosen_post)).sum()),
        filled=filled,
    )


def _solve(
    ctx: Context, problem: solvers.AssignmentProblem, start: solvers.Solution | None = None
) -> solvers.Solution:
    """Solve (from ``start`` when given), and refuse anything but a validated plan."""
    sc = ctx.loaded.scenario
    solution = solvers.solve(problem, time_limit=sc.time_limit, start=start)
    if solution.status == solvers.Status.INFEASIBLE:
        names = ", ".join(solution.conflicts) or message("plan_infeasible_names")
        if solution.message:
            raise PlanError(
                message(
                    "plan_infeasible_detail",
                    file=ctx.loaded.path,
                    names=names,
                    detail=solution.message,
                )
            )
        raise PlanError(message("plan_infeasible", file=ctx.loaded.path, names=names))
    if solution.status == solvers.Status.UNKNOWN:
        raise PlanError(
            message("plan_time_limit", file=ctx.loaded.path, seconds=f"{sc.time_limit:g}")
        )
    violations = solvers.validate(problem, solution)
    if violations:
        raise PlanError(message("plan_invalid", violations="\n".join(violations)))
    return solution


def plan_round(
    ctx: Context,
    t_start: float | None = None,
    *,
    pseudonymise: bool = False,
    evidence: bool = True,
    start: Held | None = None,
) -> Plan:
    """Solve the round a Context describes and assemble its Plan.

    ``evidence=False``: no priced shortlists and no baselines
    (:func:`engine.plan.sections.assemble`), for rounds nobody reads them of.
    ``start``: an earlier plan's pairs (a horizon's previous year), given to
    the solver as its warm start (:func:`warm_start`); the plan is the same
    optimum with or without it.
    """
    t_start = time.perf_counter() if t_start is None else t_start
    sc = ctx.loaded.scenario
    t0 = time.perf_counter()
    setup = round_setup(ctx)
    cands = round_candidates(ctx, setup)
    t1 = time.perf_counter()
    # The candidates become views of the arc arrays (they are its first part):
    # a province round has tens of millions of pairs, kept once.
    arcs = round_arcs(ctx.posts, setup, cands)
    scores = score_pairs(
        ctx.people,
        ctx.posts,
        arcs.person,
        arcs.post,
        arcs.penalty,
        ctx.taxonomy,
        ctx.weights,
        sc.component_weights,
    )
    problem = build_problem(ctx, setup, arcs, scores)
    warm = warm_start(ctx, arcs, problem, start) if start is not None else None
    solution = _solve(ctx, problem, warm)
    del warm
    t2 = time.perf_counter()
    privacy = None
    if pseudonymise:
        # After pins and bans are resolved against real NIPs; before anything is shown.
        masked, privacy = pseudonymise_people(ctx.people)
        ctx = replace(ctx, people=masked)
    record = assemble(
        Outcome(ctx, setup, cands, scores, arcs, problem, solution), privacy, evidence=evidence
    )
    problem.drop_caches()  # the solver's indexes: hundreds of MB in a province round
    t3 = time.perf_counter()
    timings = {
        **ctx.timings,
        "eligibility": t1 - t0,
        "solve": t2 - t1,
        "assemble": t3 - t2,
        "total": t3 - t_start,
    }
    return Plan(
        record, _run_facts(timings, solution, cands, arcs), ctx, cands, scores, problem, solution
    )


def _run_facts(
    timings: dict[str, float], solution: solvers.Solution, cands: Candidates, arcs: Arcs
) -> dict[str, Any]:
    """run.json: what varies from run to run (timings, machine)."""
    return {
        "timings_s": {k: round(v, 4) for k, v in timings.items()},
        "solver_wall_time_s": round(float(solution.wall_time), 4),
        "pairs_eligible": len(cands),
        "arcs": len(arcs),
        "machine": {"python": platform.python_version(), "platform": platform.platform()},
    }
