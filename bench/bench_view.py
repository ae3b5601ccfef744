"""The succession view of a plan (report.html's bench, ``talenta succession``'s year 0), part by part.

Builds a province (:func:`bench_memory.build_project`), loads it and plans its
round as ``talenta plan`` does (without the priced shortlists and baselines,
which the view does not read), then builds the plan's succession view
(:func:`engine.succession.analysis.analyse`) ``--repeat`` times and prints
the CPU seconds of each part (the best of the repeats): readiness (ready
soon, near misses; ready now are the plan's own pairs), the successor
graph, bench strength, uncovered posts, key persons, retirement waves, and
the whole view; with the number of ready-now pairs, so that sizes can be
compared per pair. ``--profile`` prints cProfile's top functions of one
whole view (CPU time); ``--dump FILE`` writes succession.json's text and
the GraphML's digest, to compare two versions of the code on the same
province. ``--project DIR`` reads a province already built (its
``scenarios/provinsi.yaml``; nothing is written into it) and ``--saved
FILE`` keeps the planned round (its plan record, eligible pairs and their
fits) in FILE, read from it when it exists: the view of a 50,000-person
province measured without planning its round again. Figures are printed,
never asserted.

Usage::

    (ulimit -v 7000000; .venv/bin/python bench/bench_view.py --people 20000)
    .venv/bin/python bench/bench_view.py --people 5000 --profile
    .venv/bin/python bench/bench_view.py --project PROVINCE --saved round.pkl --repeat 1
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import io
import json
import pickle
import pstats
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_memory import build_project  # noqa: E402

from engine.eligibility.soft import PenaltyView  # noqa: E402
from engine.inputs.progression import load_rank_progression  # noqa: E402
from engine.plan.pipeline import KeptPlan, load_context, plan_round  # noqa: E402
from engine.report.succession import graphml  # noqa: E402
from engine.scoring.fit import score_pairs  # noqa: E402
from engine.succession import analysis  # noqa: E402

PARTS = (
    (analysis, "readiness", "readiness"),
    (analysis, "successors", "successor edges"),
    (analysis, "successor_graph", "successor graph"),
    (analysis, "bench_strength", "bench strength"),
    (analysis, "uncovered_posts", "uncovered posts"),
    (analysis, "key_persons", "key persons"),
    (analysis, "retirement_waves", "retirement waves"),
)


def _timed(owner: object, attr: str, label: str, cpu: dict[str, float]) -> None:
    fn = getattr(owner, attr, None)
    if fn is None:  # a part the code no longer has
        return

    def wrapped(*args, **kwargs):
        start = time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            cpu[label] = cpu.get(label, 0.0) + time.process_time() - start

    setattr(owner, attr, wrapped)


def _round(opts: argparse.Namespace, folder: Path) -> tuple:
    """The loaded round, its plan kept, and today's pairs with their fit (saved or planned)."""
    ctx = load_context(folder / "scenarios/provinsi.yaml")
    if opts.saved is not None and opts.saved.exists():
        with opts.saved.open("rb") as f:
            record, cands, fit = pickle.load(f)
        if opts.fit == "computed":  # as a plan's view reads them: computed when read
            del fit
            fit = score_pairs(
                ctx.people,
                ctx.posts,
                cands.person,
                cands.post,
                PenaltyView(cands.soft),
                ctx.taxonomy,
                ctx.weights,
                ctx.loaded.scenario.component_weights,
            ).fit
        return ctx, KeptPlan(record, {}, ctx), cands, fit
    plan = plan_round(ctx, evidence=False)
    cands = replace(plan.candidates, excluded_people_of=None)
    fit = np.asarray(plan.scores.fit[: len(cands)])
    if opts.saved is not None:
        with opts.saved.open("wb") as f:
            pickle.dump((plan.record, cands, fit), f, protocol=pickle.HIGHEST_PROTOCOL)
    return ctx, plan.kept(), cands, fit


def _view(ctx, kept, today, progression) -> analysis.Succession:
    """The plan's view as the report builds it (its own pairs are today's ready now)."""
    tb = analysis.current_talent_box(ctx)
    ready = analysis.readiness(
        ctx, progression=progression, box=tb.box if tb is not None else None, today=today
    )
    return analysis.analyse(ctx, kept, ready=ready, progression=progression)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--posts", type=int, default=None, help="default: a quarter of people")
    parser.add_argument("--seed", type=int, default=20260701)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--dump", type=Path, default=None)
    parser.add_argument(
        "--project", type=Path, default=None, help="a province folder already built (read only)"
    )
    parser.add_argument(
        "--saved",
        type=Path,
        default=None,
        help="the planned round: read from this file if it exists, else planned and saved to it",
    )
    parser.add_argument(
        "--fit",
        choices=("computed", "array"),
        default="computed",
        help="a saved round's fits: computed when read (as a plan's view reads them) or an array",
    )
    opts = parser.parse_args(argv)
    posts = opts.posts or opts.people // 4
    progression = load_rank_progression(ROOT / "rules/kenaikan-pangkat.yaml")
    with tempfile.TemporaryDirectory() as tmp:
        folder = opts.project or Path(tmp)
        if opts.project is None:
            build_project(folder, opts.people, posts, opts.seed)
        ctx, kept, cands, fit = _round(opts, folder)
    today = (cands, fit)
    print(
        f"{ctx.people.n:,} people x {ctx.posts.n:,} posts: "
        f"{len(cands):,} ready-now pairs, {len(kept.record.placements):,} placements"
    )
    best: dict[str, float] = {}
    for _ in range(opts.repeat):
        cpu: dict[str, float] = {}
        saved = {attr: getattr(owner, attr) for owner, attr, _ in PARTS if hasattr(owner, attr)}
        for owner, attr, label in PARTS:
            _timed(owner, attr, label, cpu)
        start = time.process_time()
        view = _view(ctx, kept, today, progression)
        cpu["whole view"] = time.process_time() - start
        for attr, fn in saved.items():
            setattr(analysis, attr, fn)
        for k, v in cpu.items():
            best[k] = min(best.get(k, v), v)
    for label, v in best.items():
        print(f"  {label:<18} {v:7.3f} CPU s")
    print(f"  per million ready-now pairs: {best['whole view'] / len(cands) * 1e6:.3f} s")
    if opts.profile:
        prof = cProfile.Profile(time.process_time)
        prof.enable()
        _view(ctx, kept, today, progression)
        prof.disable()
        out = io.StringIO()
        pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(30)
        print(out.getvalue())
    if opts.dump is not None:
        g = graphml(view.graph)
        text = view.as_dict()
        opts.dump.write_text(
            json.dumps(text, ensure_ascii=False, indent=1, sort_keys=True)
            + "\ngraphml sha256 "
            + hashlib.sha256(g.encode()).hexdigest()
            + "\n",
            encoding="utf-8",
        )
        print(f"  written {opts.dump}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
