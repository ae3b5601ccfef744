"""Wall time of `talenta plan` on the demo, Python start-up included, and of each step.

Run: .venv/bin/python bench/bench_plan.py [--runs 3] [--scenario scenarios/demo.yaml]
Prints measured figures; the target for the demo baseline is under 5 s wall.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scenario", default="scenarios/demo.yaml")
    args = parser.parse_args()
    talenta = Path(sys.executable).with_name("talenta")
    walls = []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as out:
            start = time.perf_counter()
            subprocess.run(
                [str(talenta), "plan", args.scenario, "--out", out, "--quiet"], cwd=ROOT, check=True
            )
            walls.append(time.perf_counter() - start)
            run = json.loads((Path(out) / "run.json").read_text())
    print(f"scenario {args.scenario}: talenta plan wall time over {args.runs} runs")
    print(
        f"  median {statistics.median(walls):.2f} s, min {min(walls):.2f} s, max {max(walls):.2f} s"
    )
    print(
        "  steps of the last run (s): " + ", ".join(f"{k} {v}" for k, v in run["timings_s"].items())
    )
    print(f"  eligible pairs {run['pairs_eligible']}, arcs {run['arcs']}")


if __name__ == "__main__":
    main()
