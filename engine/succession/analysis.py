"""The succession view of one state, and the ``talenta succession`` run that builds it.

Takes a round's state (a loaded scenario or a horizon year's context),
optionally its plan, its readiness and a horizon of yearly rounds; gives
:class:`Succession`: readiness, the successor graph, the talent box, bench
strength, uncovered posts, key persons, retirement waves, the plan's chains
and the horizon, with ``as_dict()`` for succession.json. Computes only:
rendering and writing the files is :mod:`engine.report.succession`'s.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from engine.inputs.progression import RankProgression, load_rank_progression
from engine.plan.pipeline import Context, KeptPlan, Plan, load_context
from engine.scoring.talent import BoxCounts, TalentBox, TalentBoxVersion, box_counts
from engine.succession.graph import (
    READY_NOW,
    Successors,
    bench_strength,
    chain_paths,
    graph_of,
    key_persons,
    retirement_waves,
    successors,
    uncovered_posts,
)
from engine.succession.horizon import Horizon, HorizonYear, run_horizon
from engine.succession.readiness import Readiness, current_talent_box, readiness, released

__all__ = ["Succession", "analyse", "succession_run"]


if TYPE_CHECKING:  # networkx is loaded only when a file needs the graph (graph_of)
    import networkx as nx


@dataclass
class Succession:
    """The succession view of one state, and optionally a horizon of yearly rounds.

    ``successors``: the successor edges shown, as arrays; ``graph`` builds the
    successor graph from them when first asked (the files that export it),
    so a plan's report, which draws the bench, never builds it.
    """

    context: Context
    ready: Readiness
    successors: Successors
    talent: TalentBox | None
    talent_version: TalentBoxVersion | None
    boxes: BoxCounts | None
    bench: list[dict[str, Any]]
    uncovered: list[dict[str, Any]]
    key_persons: list[dict[str, Any]]
    waves: list[dict[str, Any]]
    chains: list[dict[str, Any]]
    horizon: Horizon | None = None
    timings: dict[str, float] = field(default_factory=dict)
    pairs: dict[str, int] = field(default_factory=dict)  # ready now / soon / later pair counts
    _graph: nx.DiGraph | None = field(default=None, repr=False, compare=False)

    @property
    def graph(self) -> nx.DiGraph:
        """The successor graph (:func:`engine.succession.graph.graph_of`), built once."""
        if self._graph is None:
            self._graph = graph_of(self.context, self.successors)
        return self._graph

    def as_dict(self) -> dict[str, Any]:
        """succession.json: deterministic (no timings)."""
        ctx = self.context
        focus = [b for b in self.bench if b["focus"]]
        return {
            "scenario": {
                "name": ctx.loaded.scenario.name,
                "date": ctx.day.isoformat(),
                "file": ctx.loaded.path.name,
            },
            "window_years": self.ready.years,
            "summary": {
                "posts": int(ctx.posts.n),
                "focus_posts": len(focus),
                "focus_with_ready_now": sum(1 for b in focus if b[READY_NOW]["count"]),
                "focus_without_ready_successor": len(self.uncovered),
                **self.pairs,
                "key_persons": len(self.key_persons),
                "graph_nodes": self.graph.number_of_nodes(),
                "graph_edges": self.graph.number_of_edges(),
            },
            "talent_box": self.boxes.as_dict() if self.boxes else None,
            "bench": self.bench,
            "without_ready_successor": self.uncovered,
            "key_persons": self.key_persons,
            "retirement_waves": self.waves,
            "chains": self.chains,
            "horizon": self.horizon.as_dict() if self.horizon else [],
        }


def analyse(
    ctx: Context,
    plan: Plan | KeptPlan | None = None,
    *,
    ready: Readiness | None = None,
    progression: RankProgression | None = None,
    years: int = 2,
    wave_years: int = 5,
    horizon: Horizon | None = None,
) -> Succession:
    """Build the succession view of ``ctx`` (and ``plan``'s chains, if given).

    Parameters
    ----------
    ctx:
        The state to analyse (a loaded scenario, or a horizon year's context).
    plan:
        A plan of the same state; its placements are marked on the graph.
    ready:
        Readiness already computed for ``ctx`` (e.g. by the horizon).
    progression:
        Rank progression for the readiness projection.
    years:
        The "ready soon" window.
    wave_years:
        How many calendar years of retirement waves.
    horizon:
        Yearly rounds to report with it.
    """
    version = ctx.talent
    tb = current_talent_box(ctx)
    if ready is None:
        today = None
        if isinstance(plan, Plan) and plan.context is ctx:
            # The plan's own candidates are today's eligible pairs (its first arcs), their
            # fits computed when read (no array of a province's fits).
            today = (plan.candidates, plan.scores.fit)
        ready = readiness(
            ctx,
            years=years,
            progression=progression,
            box=tb.box if tb is not None else None,
            today=today,
        )
    shown = successors(ctx, ready, plan, tb)
    bench = bench_strength(ctx, shown)
    return Succession(
        context=ctx,
        ready=ready,
        successors=shown,
        talent=tb,
        talent_version=version,
        boxes=box_counts(tb, ctx.people, version) if tb is not None and version else None,
        bench=bench,
        uncovered=uncovered_posts(bench, ready, ctx.posts),
        key_persons=key_persons(ctx, shown),
        waves=retirement_waves(ctx.people, ctx.posts, ctx.day, wave_years),
        chains=chain_paths(plan.record) if plan is not None else [],
        horizon=horizon,
        pairs={
            "ready_now_pairs": len(ready.now_person),
            "ready_soon_pairs": int(ready.n_soon.sum()),
            "later_pairs": len(ready.later_person),
        },
    )


def succession_run(
    scenario: Path,
    horizon: int,
    pangkat: Path,
    *,
    window: int = 2,
    on_year: Callable[[int, dt.date], None] | None = None,
) -> Succession:
    """What ``talenta succession`` computes, from the files: load, then :func:`succession_of`."""
    start = time.perf_counter()
    ctx = load_context(scenario)
    result = succession_of(
        ctx, load_rank_progression(pangkat), horizon, window=window, on_year=on_year
    )
    result.timings["total"] = time.perf_counter() - start
    return result


def succession_of(
    ctx: Context,
    progression: RankProgression,
    horizon: int,
    *,
    window: int = 2,
    on_year: Callable[[int, dt.date], None] | None = None,
) -> Succession:
    """The successor graph of a loaded round and ``horizon`` yearly rounds, year 0 analysed.

    ``horizon`` 0 builds the successor graph only (no placement rounds, no
    solver); else that many yearly rounds are run and reported. ``window`` is
    the "ready soon" window; retirement waves cover ``max(horizon, 5)`` years.
    """
    views: list[Succession] = []

    def analyse_year_0(year: HorizonYear) -> None:
        # Year 0 is analysed as its round ends: its eligible pairs (GBs in a
        # province) then go, before the next year's round is built.
        if year.year == 0:
            view = analyse(
                year.context,
                year.plan,
                ready=year.ready,
                progression=progression,
                years=window,
                wave_years=max(horizon, 5),
            )
            view.ready = released(view.ready)
            views.append(view)

    hz = run_horizon(
        ctx,
        max(horizon, 1),
        progression,
        readiness_years=window,
        solve=horizon > 0,
        on_year=on_year,
        keep_arrays=False,
        on_round=analyse_year_0,
    )
    result = views[0]
    result.horizon = hz if horizon > 0 else None
    return result
