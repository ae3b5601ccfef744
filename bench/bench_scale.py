"""The scale curve: a whole round, as the CLI runs it, from 1,000 to 50,000 people.

For each size (people; posts a quarter of that) and seed, a province
(:func:`bench_memory.build_project`: the demo regency repeated, its rules and
scenario) is written into a temporary project, and then ``talenta plan
SCENARIO --out DIR`` (every output: plan.json, run.json, report.md,
report.html, plan.xlsx) runs in a fresh process, Python start-up included.
With ``--command succession`` it is ``talenta succession SCENARIO --horizon
5 --out DIR`` instead.

Per size and seed it prints the wall time of the process, its CPU time and
peak RSS (``os.wait4``'s ``ru_utime + ru_stime`` and ``ru_maxrss`` of that
child alone), whether every output was
written, and each step's wall and CPU time and the process's peak RSS once it has run
(the child wraps the pipeline's functions before calling the CLI's entry
point; a step called many times adds up its calls). Per size: the median of the seeds, and the slowest seed's ratio to
it. The targets of issue 18 are checked at the end (exit code 1 when one
fails): every size up to 20,000 people under 20 s and 2.5 GB, 50,000
under 60 s and 6 GB, no seed more than twice its size's median, the demo
round under 1.5 s; for succession (issue 22) up to 20,000 people under 60 s
and 3 GB, 50,000 under 3 minutes and 6 GB, no seed above twice the median.

Before anything is measured, engine/ and solvers/ are compiled to bytecode
(:func:`compile_project`), as an installed package has them: the figures are
a user's round, not a round that compiles the project from source.

Usage::

    .venv/bin/python bench/bench_scale.py                       # every size, 3 seeds
    .venv/bin/python bench/bench_scale.py --sizes 1000 5000 --seeds 1
    .venv/bin/python bench/bench_scale.py --sizes                # the demo round only
    .venv/bin/python bench/bench_scale.py --command succession --sizes 20000
    .venv/bin/python bench/bench_scale.py --json curve.json     # the figures, kept
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

SIZES = (1_000, 2_000, 5_000, 10_000, 20_000, 50_000)
SEEDS = (20260701, 20260702, 20260703)
OUTPUTS = {
    "plan": ("plan.json", "run.json", "report.md", "report.html", "plan.xlsx"),
    "succession": ("succession.json", "succession.md"),
}
# Targets per command (plan: issue 18; succession --horizon 5: issue 22):
# (largest size, wall s, peak GB)
TARGETS = {
    "plan": ((20_000, 20.0, 2.5), (50_000, 60.0, 6.0)),
    "succession": ((20_000, 60.0, 3.0), (50_000, 180.0, 6.0)),
}
DEMO_TARGET_S = 1.5

# The steps timed in the child: (module, attribute, label, depth). A step is
# wrapped where its caller looks it up (a module global read at call time);
# an attribute a module no longer has is skipped, so the table follows the code.
STEPS: dict[str, tuple[tuple[str, str, str, int], ...]] = {
    "plan": (
        ("engine.plan.pipeline", "load_context", "load_context", 0),
        ("engine.round.context", "load_tables", "tables", 1),
        ("engine.round.context", "derive_people", "derive people", 1),
        ("engine.round.context", "talent_box", "talent box", 1),
        ("engine.plan.pipeline", "plan_round", "plan_round", 0),
        ("engine.plan.pipeline", "find_candidates", "eligibility", 1),
        ("engine.plan.pipeline", "score_pairs", "scores", 1),
        ("engine.plan.pipeline", "build_problem", "model", 1),
        ("solvers", "solve", "solve", 1),
        ("solvers", "validate", "validate", 1),
        ("engine.plan.pipeline", "assemble", "assemble", 1),
        ("engine.plan.sections", "build_shortlists", "shortlist prices", 2),
        ("solvers", "greedy", "greedy baseline", 2),
        ("solvers", "cascade", "cascade baseline", 2),
        ("engine.plan.sections", "build_decisions", "decisions", 2),
        ("engine.plan.sections", "build_chains", "chains", 2),
        ("engine.report.render", "render", "render", 0),
        ("engine.report.render", "analyse", "succession view", 1),
        ("engine.report.render", "pictures", "pictures", 1),
        ("engine.report.render", "plan_json", "plan.json", 1),
        ("engine.report.render", "workbook_bytes", "plan.xlsx", 1),
        ("engine.report.publish", "OutputFolder.publish", "publish", 0),
    ),
    "succession": (
        ("engine.plan.pipeline", "load_context", "load_context", 0),
        ("engine.succession.analysis", "succession_of", "succession_of", 0),
        ("engine.succession.analysis", "analyse", "successor graph", 1),
        ("engine.succession.analysis", "run_horizon", "horizon", 1),
        ("engine.succession.horizon", "plan_round", "yearly rounds", 2),
        ("engine.succession.horizon", "readiness", "readiness", 2),
        ("engine.succession.horizon", "bare_posts", "bare posts (years 1+)", 2),
        ("engine.succession.horizon", "apply_round", "tables moved on", 2),
        ("engine.report.succession", "succession_files", "render", 0),
        ("engine.report.svg", "svg_bench", "bench picture", 1),
        ("engine.report.svg", "svg_chains", "chains picture", 1),
        ("engine.report.succession", "markdown", "succession.md", 1),
        ("engine.report.publish", "OutputFolder.publish", "publish", 0),
    ),
}


# ----------------------------------------------------------------- the child
def _wrap(owner: object, attr: str, label: str, depth: int, rows: dict, save) -> None:
    fn = getattr(owner, attr)

    def timed(*args, **kwargs):
        start, cpu = time.perf_counter(), time.process_time()
        row = rows.setdefault(label, {"depth": depth, "s": 0.0, "cpu_s": 0.0, "calls": 0})
        row["running"] = True
        save()
        try:
            return fn(*args, **kwargs)
        finally:
            row["s"] += time.perf_counter() - start
            row["cpu_s"] += time.process_time() - cpu
            row["calls"] += 1
            row["running"] = False
            save()
            # The process's peak RSS so far, once the step has run (MB).
            row["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    if isinstance(owner, type):
        setattr(owner, attr, lambda self, *a, **k: timed(self, *a, **k))
    else:
        setattr(owner, attr, timed)


def child(command: str, timings: Path, cli_args: list[str]) -> int:
    """Run ``talenta COMMAND ...`` in this process with its steps timed."""
    import gc
    import importlib

    from engine import cli

    # What cli.main() does first, done here before the steps' modules load numpy:
    # ordinary pages, and the garbage collector off while they are imported (the
    # command turns it back on after its own imports).
    cli.small_pages_for_numpy()
    gc.disable()
    rows: dict[str, dict] = {}

    def save() -> None:  # after each step: a run killed on time still says where it was
        timings.write_text(json.dumps(rows), encoding="utf-8")

    for module, attr, label, depth in STEPS[command]:
        try:
            owner: object = importlib.import_module(module)
            *path, name = attr.split(".")
            for part in path:
                owner = getattr(owner, part)
        except (ImportError, AttributeError):
            continue
        if hasattr(owner, name):
            rows[label] = {"depth": depth, "s": 0.0, "cpu_s": 0.0, "calls": 0}
            _wrap(owner, name, label, depth, rows, save)
    sys.argv = ["talenta", command, *cli_args]
    code = 0
    try:
        cli.main()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    finally:
        save()
    return code


# ---------------------------------------------------------------- the parent
def run_child(argv: list[str], timeout: float) -> dict:
    """Run ``argv``; wall time, peak RSS (MB) of that process alone, exit code."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    killed = False
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() - start > timeout:
            os.killpg(proc.pid, signal.SIGKILL)
            pid, status, usage = os.wait4(proc.pid, 0)
            killed = True
            break
        time.sleep(0.02)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    return {
        "wall_s": round(wall, 2),
        "peak_mb": round(usage.ru_maxrss / 1024, 1),
        "cpu_s": round(
            usage.ru_utime + usage.ru_stime, 2
        ),  # steadier than wall on a shared machine
        "code": proc.returncode,
        "killed": killed,
        "stderr": err[-2000:],
    }


def cli_args(command: str, scenario: Path, out: Path) -> list[str]:
    if command == "succession":
        pangkat = scenario.parents[1] / "rules" / "kenaikan-pangkat.yaml"
        return [str(scenario), "--horizon", "5", "--out", str(out), "--pangkat", str(pangkat)]
    return [str(scenario), "--out", str(out)]


def measure(command: str, scenario: Path, out: Path, timeout: float) -> dict:
    """One run of ``talenta COMMAND`` on ``scenario`` in a fresh process."""
    fd, name = tempfile.mkstemp(prefix="talenta-timings-", suffix=".json")
    os.close(fd)
    timings = Path(name)
    try:
        got = run_child(
            [
                sys.executable,
                __file__,
                "--child",
                command,
                str(timings),
                *cli_args(command, scenario, out),
            ],
            timeout,
        )
        text = timings.read_text(encoding="utf-8")
        got["steps"] = json.loads(text) if text else {}
    finally:
        timings.unlink(missing_ok=True)
    got["outputs_ok"] = all((out / f).is_file() for f in OUTPUTS[command])
    return got


def run_size(command: str, people: int, seed: int, timeout: float) -> dict:
    import bench_memory

    folder = Path(tempfile.mkdtemp(prefix="talenta-bench-scale-"))
    try:
        t0 = time.perf_counter()
        made = bench_memory.build_project(folder, people, max(people // 4, 1), seed)
        row = {"people": made["people"], "posts": made["posts"], "seed": seed}
        row["generate_s"] = round(time.perf_counter() - t0, 1)
        if command == "succession":
            shutil.copyfile(
                ROOT / "rules/kenaikan-pangkat.yaml", folder / "rules/kenaikan-pangkat.yaml"
            )
        row.update(measure(command, folder / "scenarios/provinsi.yaml", folder / "out", timeout))
        return row
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def compile_project() -> str:
    """Compile the project's modules to bytecode, as an installed package has them.

    pip compiles a wheel's modules when it installs it, and Python writes the
    bytecode of an editable install on its first run; where
    PYTHONDONTWRITEBYTECODE is set (or the tree was changed since) every
    measured process would compile the modules it imports from source, a
    cost no user's round pays. Compiled here, once, before anything is measured.
    """
    import compileall

    ok = all(
        compileall.compile_dir(ROOT / package, quiet=2, workers=1)
        for package in ("engine", "solvers")
    )
    state = "compiled" if ok else "NOT all compiled (a module failed to compile)"
    return f"bytecode of engine/ and solvers/: {state} before measuring, as an installed package"


def run_demo(command: str, timeout: float) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="talenta-bench-scale-demo-"))
    try:
        cwd = os.getcwd()
        os.chdir(ROOT)  # the demo scenario's default paths are the project's
        try:
            return measure(command, ROOT / "scenarios/demo.yaml", folder / "out", timeout)
        finally:
            os.chdir(cwd)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# ------------------------------------------------------------------- printing
def _status(row: dict) -> str:
    if row["killed"]:
        return f"killed after {row['wall_s']:.0f} s"
    if row["code"] != 0:
        return f"exit {row['code']}"
    return "ok" if row["outputs_ok"] else "OUTPUTS MISSING"


def print_size(rows: list[dict], say: Callable[[str], None]) -> None:
    """One size: a column per seed, a row per step, then wall and peak RSS."""
    labels: dict[str, int] = {}
    for r in rows:
        for label, step in r["steps"].items():
            labels.setdefault(label, step["depth"])
    head = f"{'':28s}" + "".join(f"{'seed ' + str(r['seed']):>40s}" for r in rows)
    say(f"{rows[0]['people']:,} people x {rows[0]['posts']:,} posts")
    say(head)
    for label, depth in labels.items():
        cells = []
        for r in rows:
            step = r["steps"].get(label)
            if step is not None and step.get("running"):
                cells.append(f"{'(running)':>40s}")
            elif step is None or not step["calls"]:
                cells.append(f"{'-':>40s}")
            else:
                calls = f" ({step['calls']}x)" if step["calls"] > 1 else ""
                peak = f" {step['peak_mb']:>6,.0f} MB" if "peak_mb" in step else ""
                cpu = f" ({step['cpu_s']:.1f} CPU)" if "cpu_s" in step else ""
                cells.append(f"{step['s']:>9.2f} s{cpu:>12s}{calls:>7s}{peak}")
        say(f"{'  ' * depth + label:28s}" + "".join(cells))
    rest = [r["wall_s"] - sum(s["s"] for s in r["steps"].values() if s["depth"] == 0) for r in rows]
    say(f"{'start-up, imports, rest':28s}" + "".join(f"{x:>18.2f} s" for x in rest))
    say(f"{'wall (process)':28s}" + "".join(f"{r['wall_s']:>18.2f} s" for r in rows))
    say(f"{'CPU (user + system)':28s}" + "".join(f"{r.get('cpu_s', 0):>18.2f} s" for r in rows))
    say(f"{'peak RSS':28s}" + "".join(f"{r['peak_mb']:>17,.0f} MB" for r in rows))
    say(f"{'status':28s}" + "".join(f"{_status(r):>20s}" for r in rows))
    for r in rows:
        if r["code"] != 0 and not r["killed"]:
            say(f"  seed {r['seed']} stderr: {r['stderr'].strip()[-500:]}")


def summarise(results: list[dict], say: Callable[[str], None], command: str = "plan") -> list[str]:
    """The curve (median per size) and the targets that fail."""
    failed: list[str] = []
    say("")
    say(
        f"{'people x posts':>18s} {'seeds':>5s} {'median wall':>12s} {'max/median':>11s}"
        f" {'median RSS':>11s} {'max RSS':>9s}  status"
    )
    sizes = sorted({r["people"] for r in results})
    for n in sizes:
        rows = [r for r in results if r["people"] == n]
        walls = [r["wall_s"] for r in rows]
        med = statistics.median(walls)
        rss = [r["peak_mb"] for r in rows]
        bad = [r for r in rows if r["killed"] or r["code"] != 0 or not r["outputs_ok"]]
        status = "ok" if not bad else "; ".join(f"{r['seed']}: {_status(r)}" for r in bad)
        say(
            f"{n:>8,} x {rows[0]['posts']:>7,} {len(rows):>5d} {med:>10.2f} s"
            f" {max(walls) / med:>11.2f} {statistics.median(rss):>8,.0f} MB"
            f" {max(rss):>6,.0f} MB  {status}"
        )
        limit = next(((s, g) for top, s, g in TARGETS[command] if n <= top), None)
        if bad:
            failed.append(f"{n:,}: {status}")
        if limit and med > limit[0]:
            failed.append(f"{n:,}: median wall {med:.1f} s above {limit[0]:g} s")
        if limit and statistics.median(rss) > limit[1] * 1024:
            failed.append(
                f"{n:,}: median peak RSS {statistics.median(rss):,.0f} MB above {limit[1]:g} GB"
            )
        if max(walls) > 2 * med:
            failed.append(f"{n:,}: a seed takes {max(walls) / med:.1f} x the median")
    return failed


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["--child"]:  # the measured process
        return child(args[1], Path(args[2]), args[3:])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--command", choices=sorted(OUTPUTS), default="plan")
    parser.add_argument(
        "--sizes", type=int, nargs="*", default=list(SIZES), help="people (none: the demo only)"
    )
    parser.add_argument("--seeds", type=int, nargs="+", default=list(SEEDS))
    parser.add_argument(
        "--timeout", type=float, default=600.0, help="kill a run after this many seconds"
    )
    parser.add_argument("--no-demo", action="store_true", help="skip the demo round")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    opts = parser.parse_args(args)

    def say(text: str) -> None:
        print(text, flush=True)

    results: list[dict] = []
    demo = None
    say(compile_project())
    if not opts.no_demo:
        demo = run_demo(opts.command, opts.timeout)
        say(
            f"demo round: {demo['wall_s']:.2f} s wall (Python start-up included), "
            f"{demo['cpu_s']:.2f} CPU s, peak RSS {demo['peak_mb']:,.0f} MB, {_status(demo)}"
        )
    for n in opts.sizes:
        rows = []
        for seed in opts.seeds:
            rows.append(run_size(opts.command, n, seed, opts.timeout))
        results.extend(rows)
        print_size(rows, say)
        say("")
    failed = summarise(results, say, opts.command) if results else []
    if demo is not None and opts.command == "plan":
        if demo["wall_s"] > DEMO_TARGET_S:
            failed.append(f"demo: {demo['wall_s']:.2f} s above {DEMO_TARGET_S} s")
        if _status(demo) != "ok":
            failed.append(f"demo: {_status(demo)}")
    if opts.json:
        opts.json.write_text(
            json.dumps({"command": opts.command, "demo": demo, "runs": results}, indent=2),
            encoding="utf-8",
        )
    say("")
    say("targets: " + ("all hold" if not failed else "FAILED: " + "; ".join(failed)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
