"""The whole pipeline at province scale: peak memory and wall time per step.

A province (:func:`engine.demo.synth.make_province`, 20,000 people x 5,000 posts
by default) is written as CSV into a temporary project with the demo's rule
files and a scenario like ``scenarios/demo.yaml``; then, in a fresh process
so that the figures are the pipeline's own, the steps ``talenta plan`` runs:

1. ``load_context`` (scenario, settings, rules, tables; derive people/posts)
2. ``plan_round`` (eligibility, scores, solve, validate, assemble), as
   :func:`engine.plan.pipeline.build_plan` chains them
3. ``render`` (plan.json, report.md, report.html, plan.xlsx in memory) and
   writing them atomically

After each step: wall time, the process's current RSS and its peak RSS so
far (``resource.getrusage(...).ru_maxrss``). The run fails (exit code 1)
if the peak passes ``--limit-gb`` (4 GB).

The demo's field-of-study rules (``rules/keilmuan.yaml``) name the units of
the demo regency; the province repeats that regency with the unit names
suffixed (" K01", " K02", ...), so the bench writes the same rules with each
named unit expanded to its copies. A rule naming a unit the data lacks is
an error (engine.rules.crossref), so the bundled file cannot be used unchanged.

Usage::

    .venv/bin/python bench/bench_memory.py
    .venv/bin/python bench/bench_memory.py --people 50000 --posts 30000
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RULE_FILES = ("struktural.yaml", "golongan.yaml", "seleksi-terbuka.yaml")
SETTINGS = ("taksonomi.yaml", "bobot.yaml", "bup.yaml", "kotak-talenta.yaml")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_mb() -> float:
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * resource.getpagesize() / 2**20


def build_project(folder: Path, people: int, posts: int, seed: int) -> dict:
    """Write the province tables, the rules and the scenario; return what was made."""
    import yaml

    from engine.demo import synth

    t0 = time.perf_counter()
    data = synth.make_province(seed, n_posts=posts, n_people=people)
    synth.write(data, folder / "data")
    t1 = time.perf_counter()
    (folder / "rules").mkdir()
    for name in (*RULE_FILES, *SETTINGS):
        shutil.copyfile(ROOT / "rules" / name, folder / "rules" / name)
    units = sorted(set(data.jabatan["unit"]))
    rules = yaml.safe_load((ROOT / "rules/keilmuan.yaml").read_text(encoding="utf-8"))
    for rule in rules:
        named = rule.get("applies_to", {}).get("unit")
        if named:
            wanted = [named] if isinstance(named, str) else named
            rule["applies_to"]["unit"] = [u for u in units if u.rsplit(" K", 1)[0] in wanted]
    (folder / "rules/keilmuan.yaml").write_text(
        "# rules/keilmuan.yaml with each unit expanded to its province copies\n"
        + yaml.safe_dump(rules, allow_unicode=True, sort_keys=False),
        encoding="utf-8",
    )
    demo = (ROOT / "scenarios/demo.yaml").read_text(encoding="utf-8")
    demo = demo.replace("../data/demo/riwayat_jabatan.csv", "../data/riwayat_jabatan.csv")
    demo = demo.replace("../data/demo/", "../data/")
    (folder / "scenarios").mkdir()
    (folder / "scenarios/provinsi.yaml").write_text(
        demo.replace("name: Demo baseline", "name: Provinsi (bench)"), encoding="utf-8"
    )
    sizes = {p.name: p.stat().st_size for p in (folder / "data").glob("*.csv")}
    return {
        "people": len(data.pegawai),
        "posts": len(data.jabatan),
        "riwayat_rows": len(data.riwayat),
        "csv_bytes": sizes,
        "generate_s": round(t1 - t0, 2),
    }


class Sampler:
    """Samples the process's RSS every 20 ms: the peak of each (sub)step, and an abort.

    ``ru_maxrss`` only gives the peak of the whole life of a process; the
    sampler gives the peak while each step runs. Above ``abort_mb`` it prints
    what it has and ends the process (exit code 3) before the kernel's OOM
    killer takes it, or another user's process, on a shared machine.
    """

    def __init__(self, abort_mb: float, abort_s: float):
        import threading

        self.abort_mb = abort_mb
        self.abort_s = abort_s
        self.started = time.perf_counter()
        self.stack: list[str] = []
        self.peaks: dict[str, float] = {}
        self.rows: list[dict] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stop.wait(0.02):
            rss = current_mb()
            for name in self.stack:
                self.peaks[name] = max(self.peaks.get(name, 0.0), rss)
            elapsed = time.perf_counter() - self.started
            if rss > self.abort_mb or elapsed > self.abort_s:
                print(
                    json.dumps(
                        {
                            "aborted": "memory" if rss > self.abort_mb else "time",
                            "rss_mb": round(rss, 1),
                            "elapsed_s": round(elapsed, 1),
                            "in": list(self.stack),
                            "steps": self.rows,
                        }
                    ),
                    flush=True,
                )
                os._exit(3)

    def step(self, name: str, fn, *args, depth: int = 0, **kwargs):
        """Run ``fn`` as step ``name``; record wall time, RSS after, and peak RSS during."""
        label = "  " * depth + name
        self.stack.append(label)
        self.peaks[label] = current_mb()
        row = {"step": label}
        self.rows.append(row)
        start = time.perf_counter()
        self._progress(f"start {label.strip()}")
        try:
            return fn(*args, **kwargs)
        finally:
            self.stack.pop()
            row.update(
                wall_s=round(time.perf_counter() - start, 2),
                rss_mb=round(current_mb(), 1),
                peak_mb=round(max(self.peaks[label], current_mb()), 1),
            )
            self._progress(f"end   {label.strip()} ({row['wall_s']} s, peak {row['peak_mb']} MB)")

    def _progress(self, text: str) -> None:
        elapsed = time.perf_counter() - self.started
        print(f"[{elapsed:7.1f} s, {current_mb():7.0f} MB] {text}", file=sys.stderr, flush=True)

    def wrap_many(self, owner: object, attr: str, name: str, depth: int = 2) -> None:
        """Like :meth:`wrap` for a function called many times (once per post): one row
        adding up the calls' wall time, with the highest peak."""
        fn = getattr(owner, attr)
        label = "  " * depth + name
        row: dict = {}

        def counted(*args, **kwargs):
            if not row:
                row.update(step=label, calls=0, wall_s=0.0, rss_mb=0.0, peak_mb=0.0)
                self.rows.append(row)
                self._progress(f"first call of {name}")
            self.stack.append(label)
            self.peaks[label] = max(self.peaks.get(label, 0.0), current_mb())
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.stack.pop()
                row["calls"] += 1
                row["wall_s"] = round(row["wall_s"] + time.perf_counter() - start, 2)
                row["rss_mb"] = round(current_mb(), 1)
                row["peak_mb"] = round(max(self.peaks[label], current_mb()), 1)
                if row["calls"] % 100 == 0:
                    self._progress(f"{name}: {row['calls']} calls, {row['wall_s']} s")

        setattr(owner, attr, counted)

    def wrap(self, owner: object, attr: str, name: str, depth: int = 1) -> None:
        """Make ``owner.attr`` a sub-step (the pipeline looks its steps up by module global)."""
        fn = getattr(owner, attr)
        setattr(owner, attr, lambda *a, **k: self.step(name, fn, *a, depth=depth, **k))


def run_pipeline(scenario: Path, out: Path, abort_mb: float, abort_s: float) -> dict:
    """The steps of ``talenta plan`` with time and memory of each (in this process)."""
    import solvers
    from engine.plan import pipeline
    from engine.report import render as report
    from engine.round import context

    sampler = Sampler(abort_mb, abort_s)
    sampler.rows.append(
        {"step": "imports", "wall_s": 0.0, "rss_mb": round(current_mb(), 1), "peak_mb": peak_mb()}
    )
    for owner, attr, name in (
        (context, "load_scenario", "scenario"),
        (context, "load_rules", "rules"),
        (context, "load_tables", "tables (CSV -> typed)"),
        (context, "derive_people", "derive people"),
        (context, "derive_posts", "derive posts"),
        (context, "talent_box", "talent box"),
        (pipeline, "find_candidates", "eligibility"),
        (pipeline, "score_pairs", "scores"),
        (pipeline, "build_problem", "model"),
        (solvers, "solve", "solve"),
        (solvers, "validate", "validate"),
        (pipeline, "assemble", "assemble"),
        (report, "analyse", "succession view"),
        (report, "pictures", "pictures"),
        (report, "plan_json", "plan.json"),
        (report, "workbook_bytes", "plan.xlsx"),
    ):
        sampler.wrap(owner, attr, name)
    # Inside assemble: prices of the shortlists (one call per open post, through
    # the plan's Evidence object) and the baselines.
    sampler.wrap_many(solvers.Evidence, "forcing_prices", "shortlist prices")
    for attr, name in (("greedy", "greedy baseline"), ("cascade", "cascade baseline")):
        sampler.wrap_many(solvers, attr, name)
    ctx = sampler.step("load_context", pipeline.load_context, scenario)
    plan = sampler.step("plan_round", pipeline.plan_round, ctx)
    contents = sampler.step("render", report.render, plan)
    sampler.step("write", report.write_all, contents, out)
    sampler.stop.set()
    facts = {
        "pairs_eligible": plan.run["pairs_eligible"],
        "arcs": plan.run["arcs"],
        "status": plan.record.status,
        "bytes": {k: len(v) for k, v in contents.items()},
    }
    return {
        "steps": sampler.rows,
        "summary": plan.summary.model_dump(),
        "facts": facts,
        "peak_mb": peak_mb(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--posts", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=20260701)
    parser.add_argument("--limit-gb", type=float, default=4.0, help="fail above this peak RSS")
    parser.add_argument(
        "--abort-gb",
        type=float,
        default=8.0,
        help="stop the measured process above this RSS (before the OOM killer does)",
    )
    parser.add_argument(
        "--abort-minutes", type=float, default=60.0, help="stop the measured process after this"
    )
    parser.add_argument(
        "--keep", type=Path, default=None, help="build the project here and keep it"
    )
    parser.add_argument("--child", type=Path, default=None, help=argparse.SUPPRESS)
    opts = parser.parse_args(argv)
    if opts.child:  # the measured process
        result = run_pipeline(
            opts.child / "scenarios/provinsi.yaml",
            opts.child / "out",
            opts.abort_gb * 1024,
            opts.abort_minutes * 60,
        )
        print(json.dumps(result))
        return 0

    folder = opts.keep or Path(tempfile.mkdtemp(prefix="talenta-bench-memory-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        made = build_project(folder, opts.people, opts.posts, opts.seed)
        print(
            f"province: {made['people']:,} people, {made['posts']:,} posts, "
            f"{made['riwayat_rows']:,} riwayat rows; CSV "
            + ", ".join(f"{k} {v / 2**20:.1f} MB" for k, v in made["csv_bytes"].items())
            + f"; generated in {made['generate_s']} s"
        )
        start = time.perf_counter()
        proc = subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                str(folder),
                "--abort-gb",
                str(opts.abort_gb),
                "--abort-minutes",
                str(opts.abort_minutes),
            ],
            stdout=subprocess.PIPE,  # the result; progress lines go to stderr as they come
            text=True,
        )
        total = time.perf_counter() - start
        lines = proc.stdout.strip().splitlines()
        if proc.returncode not in (0, 3) or not lines:
            print(f"measured process ended with code {proc.returncode}", file=sys.stderr)
            return 1
        result = json.loads(lines[-1])
    finally:
        if opts.keep is None:
            shutil.rmtree(folder, ignore_errors=True)
    print(f"{'step':28s} {'wall s':>8s} {'RSS MB':>9s} {'peak MB':>9s}")
    for row in result["steps"]:
        if "wall_s" not in row:  # the step running when the process was stopped
            print(f"{row['step']:28s} {'(running)':>8s}")
            continue
        calls = f"  ({row['calls']} calls)" if "calls" in row else ""
        print(
            f"{row['step']:28s} {row['wall_s']:8.2f} {row['rss_mb']:9.1f} {row['peak_mb']:9.1f}"
            + calls
        )
    if result.get("aborted"):
        print(
            f"STOPPED ({result['aborted']}) at {result['rss_mb']:,.0f} MB RSS after "
            f"{result['elapsed_s']:.0f} s, in: " + " > ".join(s.strip() for s in result["in"])
        )
        return 1
    facts, summary = result["facts"], result["summary"]
    print(
        f"status {facts['status']}; {facts['pairs_eligible']:,} eligible pairs, {facts['arcs']:,} arcs; "
        f"{summary['posts_opened']} posts opened, {summary['posts_filled']} filled, "
        f"{summary['moves']} moves; outputs "
        + ", ".join(f"{k} {v / 2**20:.1f} MB" for k, v in facts["bytes"].items())
    )
    peak = max(result["peak_mb"], *(r.get("peak_mb", 0) for r in result["steps"]))
    print(f"process wall time {total:.1f} s (incl. imports)")
    within = peak <= opts.limit_gb * 1024
    print(f"peak RSS {peak:,.0f} MB: {'within' if within else 'ABOVE'} {opts.limit_gb:g} GB")
    return 0 if within else 1


if __name__ == "__main__":
    sys.exit(main())
