"""A committee's plan on a busy machine: the same plan, and OPTIMAL, as on a quiet one.

CP-SAT's budget is deterministic time (docs/solvers.md, "Side
constraints"), so how busy the machine is changes how long a round takes,
not its plan. This runs a scenario's round (default
``scenarios/provinsi-batas.yaml``: chains of at most 3 moves, at most 5
moves out of a unit, solved by CP-SAT) once as the machine is, then again
with ``--busy`` processes (default 2) spinning on the CPU beside it, each
round in a fresh process. Printed per round: wall and CPU seconds, the
solver's status and message; then whether the plans are the same (status,
objective, every placement). Exit code 1 when a plan is not OPTIMAL or the
plans differ.

Not a unit test: it takes the machine's cores for a while on purpose.

Usage::

    .venv/bin/python bench/bench_busy.py
    .venv/bin/python bench/bench_busy.py scenarios/demo.yaml --busy 4 --repeat 2
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def spin(stop_at: float) -> None:  # pragma: no cover - a busy process
    x = 0
    while time.time() < stop_at:
        x = (x * 31 + 7) % 1_000_003


def one_round(scenario: Path) -> dict:
    """``talenta plan SCENARIO`` in a fresh process: wall, CPU, the plan's key facts."""
    with tempfile.TemporaryDirectory(prefix="talenta-bench-busy-") as folder:
        out = Path(folder) / "out"
        start = time.perf_counter()
        before = os.times()
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "engine.cli",
                "plan",
                str(scenario),
                "--out",
                str(out),
                "--quiet",
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        after = os.times()
        wall = time.perf_counter() - start
        cpu = (after.children_user - before.children_user) + (
            after.children_system - before.children_system
        )
        if done.returncode != 0:
            return {"wall_s": wall, "cpu_s": cpu, "error": done.stderr.strip()[-500:]}
        plan = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    solver = plan["manifest"]["solver"]
    return {
        "wall_s": wall,
        "cpu_s": cpu,
        "status": plan["status"],
        "message": solver.get("message", ""),
        "objective": plan["objective"],
        "placements": plan["placements"],
    }


def busy_round(scenario: Path, n_busy: int) -> dict:
    """One round with ``n_busy`` processes spinning until it ends."""
    ctx = multiprocessing.get_context("spawn")
    stop_at = time.time() + 3600
    procs = [ctx.Process(target=spin, args=(stop_at,), daemon=True) for _ in range(n_busy)]
    for p in procs:
        p.start()
    try:
        return one_round(scenario)
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.join()


def show(label: str, row: dict) -> None:
    if "error" in row:
        print(f"{label}: {row['wall_s']:.1f} s wall, failed: {row['error']}")
        return
    print(
        f"{label}: {row['wall_s']:.1f} s wall, {row['cpu_s']:.1f} CPU s, "
        f"{row['status']} ({row['message']})"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", nargs="?", default="scenarios/provinsi-batas.yaml")
    parser.add_argument("--busy", type=int, default=2, help="spinning processes beside it")
    parser.add_argument("--repeat", type=int, default=1, help="busy rounds")
    opts = parser.parse_args(argv)
    scenario = Path(opts.scenario)
    print(f"load average before: {os.getloadavg()[0]:.1f}")
    quiet = one_round(scenario)
    show("as the machine is", quiet)
    ok = quiet.get("status") == "OPTIMAL"
    for k in range(opts.repeat):
        loaded = busy_round(scenario, opts.busy)
        show(f"with {opts.busy} busy processes ({k + 1})", loaded)
        same = all(
            loaded.get(key) == quiet.get(key) for key in ("status", "objective", "placements")
        )
        print(f"  same plan: {'yes' if same else 'NO'}")
        ok &= same and loaded.get("status") == "OPTIMAL"
    print("ok" if ok else "FAILED: a plan differs or is not OPTIMAL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
