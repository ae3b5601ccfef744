"""The engine's own steps of one round, one at a time: CPU, wall and memory.

Runs a scenario's round in this process the way
:func:`engine.plan.pipeline.plan_round` chains it, step by step (the
tables, eligibility, the round's arcs, the scores, the solver problem, then
optionally the solve, the plan's sections and the baselines) and prints per
step its wall and CPU seconds, the process's RSS once it has run and its
peak RSS while it ran (sampled every 5 ms by a thread reading
``/proc/self/statm``), and the bytes per pair the process holds after it
beyond the loaded tables. ``--profile DIR`` writes a cProfile of each step
(``DIR/<step>.prof``); ``--alive`` lists, after each step, the largest numpy
arrays reachable from the round's objects (which arrays are held at a peak).

Figures are printed, never asserted. Usage (a 20,000-person province from
``bench/bench_memory.build_project``; above 10,000 people under a memory cap)::

    (ulimit -v 7000000; .venv/bin/python bench/bench_engine_steps.py PROJECT/scenarios/provinsi.yaml)
    .venv/bin/python bench/bench_engine_steps.py SCENARIO --solve --evidence --profile /tmp/prof
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import os
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PAGE = os.sysconf("SC_PAGE_SIZE")


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE / 2**20


class Sampler:
    """The peak RSS between :meth:`reset` and :meth:`peak`, sampled by a thread."""

    def __init__(self, every: float = 0.005) -> None:
        self.every, self.top, self.stop = every, 0.0, False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stop:
            self.top = max(self.top, rss_mb())
            time.sleep(self.every)

    def reset(self) -> None:
        self.top = rss_mb()

    def peak(self) -> float:
        return max(self.top, rss_mb())


def alive(objects: dict[str, object], top: int = 8) -> list[tuple[str, float]]:
    """The largest numpy arrays reachable from ``objects`` (by attribute), as (path, MB)."""
    seen: dict[int, tuple[str, float]] = {}

    def walk(obj: object, path: str, depth: int) -> None:
        if depth > 4 or obj is None:
            return
        if isinstance(obj, np.ndarray):
            base = obj
            while isinstance(base.base, np.ndarray):
                base = base.base
            if id(base) not in seen or len(path) < len(seen[id(base)][0]):
                seen[id(base)] = (path, base.nbytes / 2**20)
            return
        if isinstance(obj, str | bytes | int | float | bool | Path):
            return
        if isinstance(obj, dict):
            for k, v in list(obj.items())[:64]:
                walk(v, f"{path}[{k!r}]", depth + 1)
            return
        if isinstance(obj, list | tuple):
            for k, v in enumerate(obj[:64]):
                walk(v, f"{path}[{k}]", depth + 1)
            return
        fields = getattr(obj, "__dict__", None)
        if fields is None and hasattr(obj, "__dataclass_fields__"):
            fields = {k: getattr(obj, k, None) for k in obj.__dataclass_fields__}
        for k, v in (fields or {}).items():
            walk(v, f"{path}.{k}", depth + 1)

    for name, obj in objects.items():
        walk(obj, name, 0)
    return sorted(seen.values(), key=lambda x: -x[1])[:top]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scenario", type=Path)
    ap.add_argument("--solve", action="store_true", help="solve the problem too")
    ap.add_argument("--evidence", action="store_true", help="and assemble the plan (needs --solve)")
    ap.add_argument("--baselines", action="store_true", help="greedy and cascade")
    ap.add_argument("--profile", type=Path, help="a cProfile per step into this folder")
    ap.add_argument("--alive", action="store_true", help="the largest arrays held after each step")
    args = ap.parse_args(argv)

    import solvers
    from engine.model.problem import build_problem, round_arcs
    from engine.plan import pipeline
    from engine.plan.sections import Outcome, assemble
    from engine.round.context import load_context
    from engine.round.setup import round_setup
    from engine.scoring.fit import score_pairs

    sampler = Sampler()
    state: dict[str, object] = {}
    rows: list[tuple[str, float, float, float, float]] = []
    base = [0.0]

    def step(name: str, fn: Callable[[], object]) -> object:
        gc.collect()
        sampler.reset()
        prof = cProfile.Profile(time.process_time) if args.profile else None
        w0, c0 = time.perf_counter(), time.process_time()
        if prof:
            prof.enable()
        got = fn()
        if prof:
            prof.disable()
            args.profile.mkdir(parents=True, exist_ok=True)
            prof.dump_stats(args.profile / f"{name.replace(' ', '_')}.prof")
        w1, c1 = time.perf_counter(), time.process_time()
        rows.append((name, w1 - w0, c1 - c0, rss_mb(), sampler.peak()))
        print(
            f"{name:<16s} {w1 - w0:8.2f} s {c1 - c0:8.2f} CPU s  RSS {rss_mb():8,.0f} MB"
            f"  peak {sampler.peak():8,.0f} MB",
            flush=True,
        )
        if args.alive:
            for path, mb in alive(state):
                print(f"    {mb:9,.1f} MB  {path}")
        return got

    ctx = step("tables", lambda: load_context(args.scenario))
    base[0] = rss_mb()
    sc = ctx.loaded.scenario
    setup = round_setup(ctx)
    cands = step("eligibility", lambda: pipeline.round_candidates(ctx, setup))
    state["cands"] = cands
    arcs = step("arcs", lambda: round_arcs(ctx.posts, setup, cands))
    state["arcs"] = arcs
    scores = step(
        "scores",
        lambda: score_pairs(
            ctx.people,
            ctx.posts,
            arcs.person,
            arcs.post,
            arcs.penalty,
            ctx.taxonomy,
            ctx.weights,
            sc.component_weights,
        ),
    )
    state["scores"] = scores
    problem = step("model", lambda: build_problem(ctx, setup, arcs, scores))
    state["problem"] = problem
    n = len(arcs)
    print(f"arcs {n:,}; after the model {(rss_mb() - base[0]) * 2**20 / n:.1f} bytes an arc")
    if args.baselines:
        step("greedy", lambda: solvers.greedy(problem))
        step("cascade", lambda: solvers.cascade(problem))
    if args.solve:
        solution = step("solve", lambda: pipeline._solve(ctx, problem))
        state["solution"] = solution
        if args.evidence:
            out = Outcome(ctx, setup, cands, scores, arcs, problem, solution)
            step("assemble", lambda: assemble(out, None))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
