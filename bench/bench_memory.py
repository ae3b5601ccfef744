"""The whole pipeline at province scale: peak memory and wall time per step.

A province (:func:`engine.synth.make_province`, 20,000 people x 5,000 posts
by default) is written as CSV into a temporary project with the demo's rule
files and a scenario like ``scenarios/demo.yaml``; then, in a fresh process
so that the figures are the pipeline's own, the steps ``talenta plan`` runs:

1. ``load_context`` (scenario, settings, rules, tables; derive people/posts)
2. ``plan_round`` (eligibility, scores, solve, validate, assemble), as
   :func:`engine.plan.build_plan` chains them
3. ``render`` (plan.json, report.md, report.html, plan.xlsx in memory) and
   writing them atomically

After each step: wall time, the process's current RSS and its peak RSS so
far (``resource.getrusage(...).ru_maxrss``). The run fails (exit code 1)
if the peak passes ``--limit-gb`` (4 GB).

The demo's field-of-study rules (``rules/keilmuan.yaml``) name the units of
the demo regency; the province repeats that regency with the unit names
suffixed (" K01", " K02", ...), so the bench writes the same rules with each
named unit expanded to its copies. A rule naming a unit the data lacks is
an error (engine.crossref), so the bundled file cannot be used unchanged.

Usage::

    .venv/bin/python bench/bench_memory.py
    .venv/bin/python bench/bench_memory.py --people 50000 --posts 30000
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RULE_FILES = ("struktural.yaml", "golongan.yaml")
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

    from engine import synth

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


def run_pipeline(scenario: Path, out: Path) -> dict:
    """The steps of ``talenta plan`` with time and memory after each (in this process)."""
    from engine.plan import load_context, plan_round
    from engine.report import render, write_all

    steps: list[dict] = []
    base = {"step": "imports", "wall_s": 0.0, "rss_mb": current_mb(), "peak_mb": peak_mb()}
    steps.append(base)

    def record(name: str, start: float, **extra: object) -> None:
        steps.append(
            {
                "step": name,
                "wall_s": round(time.perf_counter() - start, 2),
                "rss_mb": round(current_mb(), 1),
                "peak_mb": round(peak_mb(), 1),
                **extra,
            }
        )

    t = time.perf_counter()
    ctx = load_context(scenario)
    record("load_context", t, **{k: round(v, 2) for k, v in ctx.timings.items()})
    t = time.perf_counter()
    plan = plan_round(ctx, t)
    record(
        "plan_round",
        t,
        pairs_eligible=plan.run["pairs_eligible"],
        arcs=plan.run["arcs"],
        status=plan.data["status"],
        **{
            k: v
            for k, v in plan.run["timings_s"].items()
            if k in ("eligibility", "solve", "assemble")
        },
    )
    t = time.perf_counter()
    contents = render(plan)
    record("render", t)
    t = time.perf_counter()
    write_all(contents, out)
    record("write", t, bytes={k: len(v) for k, v in contents.items()})
    return {"steps": steps, "summary": plan.summary}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--posts", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=20260701)
    parser.add_argument("--limit-gb", type=float, default=4.0)
    parser.add_argument(
        "--keep", type=Path, default=None, help="build the project here and keep it"
    )
    parser.add_argument("--child", type=Path, default=None, help=argparse.SUPPRESS)
    opts = parser.parse_args(argv)
    if opts.child:  # the measured process
        print(json.dumps(run_pipeline(opts.child / "scenarios/provinsi.yaml", opts.child / "out")))
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
            [sys.executable, __file__, "--child", str(folder)],
            capture_output=True,
            text=True,
        )
        total = time.perf_counter() - start
        if proc.returncode != 0:
            print(proc.stderr, file=sys.stderr)
            return 1
        result = json.loads(proc.stdout.strip().splitlines()[-1])
    finally:
        if opts.keep is None:
            shutil.rmtree(folder, ignore_errors=True)
    print(f"{'step':14s} {'wall s':>8s} {'RSS MB':>9s} {'peak MB':>9s}  detail")
    for s in result["steps"]:
        detail = {k: v for k, v in s.items() if k not in ("step", "wall_s", "rss_mb", "peak_mb")}
        print(
            f"{s['step']:14s} {s['wall_s']:8.2f} {s['rss_mb']:9.1f} {s['peak_mb']:9.1f}  "
            + ", ".join(f"{k}={v}" for k, v in detail.items())
        )
    peak = max(s["peak_mb"] for s in result["steps"])
    summary = result["summary"]
    print(
        f"plan: {summary['posts_opened']} posts opened, {summary['posts_filled']} filled, "
        f"{summary['moves']} moves; process wall time {total:.1f} s (incl. imports)"
    )
    within = peak <= opts.limit_gb * 1024
    print(f"peak RSS {peak:,.0f} MB: {'within' if within else 'ABOVE'} {opts.limit_gb:g} GB")
    return 0 if within else 1


if __name__ == "__main__":
    sys.exit(main())
