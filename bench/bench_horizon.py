"""A horizon's yearly rounds taken apart: CPU seconds per year and step, each year's own peak.

Runs ``run_horizon`` as ``talenta succession --horizon N`` runs it (one
round's arrays held at a time, later years' bench reduced to the posts
nobody is ready for) on a scenario, or on the province that
bench/bench_memory.py builds (``--people``; posts a quarter of that), in
this process, and prints per year:

- the CPU seconds (user + system, this process and its waited-for
  children: the flow solver forks for large rounds) of each step: the
  year's state derived, eligibility, the arcs, scores, the solver's
  problem (model), the warm start (the year before's plan mapped to
  this year's arcs), the solve, its validation, the plan assembled,
  readiness (year 0: the whole bench; later: the posts nobody is ready
  for) and the tables moved on;
- the year's own peak RSS (the kernel's high-water mark, reset as each year
  starts: ``/proc/self/clear_refs``) and the RSS when it ends;
- the eligible pairs (arcs) of its round;
- with ``--held``, what the horizon holds as each year starts (memory
  allocated by Python and numpy, tracemalloc; slower);
- with ``--changes``, how much of each later year's solver problem is the
  year before's: its arcs (pairs of NIP and jabatan_id) kept, new and gone,
  and the kept arcs whose score is the same (it holds two years' pairs and
  scores besides the round: 16 bytes an arc, so the peaks are not the
  command's).

numpy is asked for ordinary pages, as ``talenta`` asks for them
(:func:`engine.cli.small_pages_for_numpy`).

With ``--cold`` every year's solve starts from scratch (no warm start from
the year before's plan), to measure what the warm start saves.

CPU seconds are the figures to compare on a shared machine (wall times
grow with the load; the load average is printed). Run by hand, under a
memory cap above 10,000 people::

    (ulimit -v 7000000; .venv/bin/python bench/bench_horizon.py --people 20000 --years 3)
    .venv/bin/python bench/bench_horizon.py --scenario scenarios/demo.yaml --years 5
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from engine import cli  # noqa: E402  (imports no numpy)

cli.small_pages_for_numpy()  # before numpy is imported, as the command does

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

import engine.plan.pipeline as pipeline  # noqa: E402
import engine.succession.horizon as horizon  # noqa: E402
import solvers  # noqa: E402
from engine.inputs.progression import load_rank_progression  # noqa: E402

# (module, attribute, label): wrapped where the caller looks them up.
STEPS = (
    (horizon, "with_state", "derive"),
    (pipeline, "round_candidates", "eligibility"),
    (pipeline, "round_arcs", "arcs"),
    (pipeline, "score_pairs", "scores"),
    (pipeline, "build_problem", "model"),
    (pipeline, "warm_start", "start"),
    (solvers, "solve", "solve"),
    (solvers, "validate", "validate"),
    (pipeline, "assemble", "assemble"),
    (horizon, "_bench", "readiness"),
    (horizon, "apply_round", "tables"),
)


def cpu() -> float:
    """CPU seconds of this process and its waited-for children."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def status_gb(key: str) -> float:
    """A line of /proc/self/status (VmHWM, VmRSS) in GB; NaN elsewhere."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) / 1e6
    except OSError:
        pass
    return float("nan")


def reset_peak() -> None:
    """Reset the kernel's RSS high-water mark (Linux), so each year's peak is its own."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as f:
            f.write("5")
    except OSError:
        pass


class Meter:
    """CPU seconds per (year, step), each year's peak and end RSS, what is held as it starts."""

    def __init__(self, held: bool):
        self.year = 0
        self.cpu: dict[tuple[int, str], float] = defaultdict(float)
        self.peak: dict[int, tuple[float, float]] = {}
        self.held: dict[int, float] = {}
        self.trace = held
        if held:
            tracemalloc.start()

    def wrap(self, module: object, name: str, label: str) -> None:
        inner: Callable = getattr(module, name)

        def timed(*args, **kwargs):
            t0 = cpu()
            try:
                return inner(*args, **kwargs)
            finally:
                self.cpu[(self.year, label)] += cpu() - t0

        setattr(module, name, timed)

    def on_year(self, k: int, _day: object) -> None:
        if k > 0:
            self.peak[k - 1] = (status_gb("VmHWM"), status_gb("VmRSS"))
        if self.trace:
            gc.collect()
            self.held[k] = tracemalloc.get_traced_memory()[0] / 1e6
        reset_peak()
        self.year = k


class Changes:
    """Per later year: the arcs kept from the year before, new and gone, and
    the kept arcs whose score is the same. An arc is named by its pair of
    NIP and jabatan_id (year 0's people and posts: nobody joins later)."""

    def __init__(self, ctx: pipeline.Context):
        self.nip = pd.Index(ctx.people.nip)
        self.post = pd.Index(ctx.posts.jabatan_id)
        self.prev: tuple[np.ndarray, np.ndarray] | None = None
        self.rows: dict[int, tuple[int, int, int, int, int]] = {}

    def on_round(self, year: horizon.HorizonYear) -> None:
        ctx, prob = year.context, year.plan.problem
        who = self.nip.get_indexer(ctx.people.nip).astype(np.int64)
        where = self.post.get_indexer(ctx.posts.jabatan_id).astype(np.int64)
        key = who[np.asarray(prob.person)] * len(self.post) + where[np.asarray(prob.post)]
        order = np.argsort(key)
        key, score = key[order], np.asarray(prob.score)[order]
        if self.prev is not None:
            k0, s0 = self.prev
            kept, i0, i1 = np.intersect1d(k0, key, assume_unique=True, return_indices=True)
            same = int((s0[i0] == score[i1]).sum())
            self.rows[year.year] = (
                key.size,
                kept.size,
                key.size - kept.size,
                k0.size - kept.size,
                same,
            )
        self.prev = (key, score)


def scenario_path(args: argparse.Namespace, folder: Path) -> Path:
    if args.scenario is not None:
        return args.scenario
    from bench_memory import build_project

    build_project(folder, args.people, args.people // 4, args.seed)
    return folder / "scenarios/provinsi.yaml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", type=Path, default=None)
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=20260701)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--held", action="store_true", help="tracemalloc as each year starts")
    parser.add_argument(
        "--cold", action="store_true", help="every solve from scratch (no warm start)"
    )
    parser.add_argument(
        "--changes", action="store_true", help="arcs kept, new, gone and rescored per year"
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        scenario = scenario_path(args, Path(tmp))
        ctx = pipeline.load_context(scenario)
        progression = load_rank_progression(ROOT / "rules/kenaikan-pangkat.yaml")
        meter = Meter(args.held)
        for module, name, label in STEPS:
            meter.wrap(module, name, label)
        changes = Changes(ctx) if args.changes else None
        t0, w0 = cpu(), time.perf_counter()
        hz = horizon.run_horizon(
            ctx,
            args.years,
            progression,
            keep_arrays=False,
            on_year=meter.on_year,
            warm=not args.cold,
            on_round=changes.on_round if changes else None,
        )
        total, wall = cpu() - t0, time.perf_counter() - w0
        meter.peak[meter.year] = (status_gb("VmHWM"), status_gb("VmRSS"))
    labels = [label for _, _, label in STEPS]
    start = "from scratch" if args.cold else "warm-started"
    print(
        f"{scenario.name}: {ctx.people.n:,} people x {ctx.posts.n:,} posts, "
        f"{args.years} years, later solves {start}"
    )
    print(f"horizon: {total:.1f} CPU s, {wall:.1f} s wall, load average {os.getloadavg()}")
    print("CPU s per step".ljust(10) + "".join(f"{label:>12}" for label in labels))
    for y in hz.years:
        row = "".join(f"{meter.cpu[(y.year, label)]:12.2f}" for label in labels)
        print(f"year {y.year:<5}" + row)
    print(f"{'year':<6}{'round CPU s':>12}{'arcs':>14}{'peak GB':>10}{'end GB':>9}{'held MB':>10}")
    for y in hz.years:
        round_cpu = sum(meter.cpu[(y.year, label)] for label in labels[1:9])
        peak, end = meter.peak.get(y.year, (float("nan"), float("nan")))
        held = meter.held.get(y.year, float("nan"))
        arcs = y.plan.run["arcs"] if y.plan is not None else 0
        print(f"{y.year:<6}{round_cpu:12.2f}{arcs:14,}{peak:10.2f}{end:9.2f}{held:10.1f}")
    if changes is not None:
        print_changes(changes, meter, labels)


def print_changes(changes: Changes, meter: Meter, labels: list[str]) -> None:
    """Each later year's arcs against the year before's, and its round's CPU per million arcs."""
    print(
        f"{'year':<6}{'arcs':>14}{'kept':>14}{'new':>12}{'gone':>12}"
        f"{'same score':>14}{'changed':>9}{'CPU s/M arcs':>14}"
    )
    for k, (n, kept, new, gone, same) in sorted(changes.rows.items()):
        round_cpu = sum(meter.cpu[(k, label)] for label in labels[1:9])
        changed = (n - same) / n
        print(
            f"{k:<6}{n:14,}{kept:14,}{new:12,}{gone:12,}{same:14,}{changed:9.1%}"
            f"{round_cpu / n * 1e6:14.3f}"
        )


if __name__ == "__main__":
    main()
