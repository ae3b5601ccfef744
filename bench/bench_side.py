"""Solve times of the demo what-ifs that have side constraints (never run by the tests).

For each scenario: the solver's wall time (``Solution.wall_time``: flow,
pricing and CP-SAT), the end-to-end ``plan_round`` time (eligibility,
scoring, the solve, and assembling the plan, whose evidence re-solves the
problem once per side constraint dropped), and the status with its proven
bound and gap. Runs are in one process after one warm-up run (imports,
OR-Tools start-up), so they measure the work, not the loading.

Scenarios (``--scenario``, repeatable; default both):

* ``scenarios/perempuan-30.yaml``: at least 30% women among JPT Pratama
  placements (one :class:`~solvers.LinearConstraint`);
* ``scenarios/provinsi-batas.yaml``: chains of at most 3 and at most 5
  moves out of each unit (:class:`~solvers.MaxChainLength`,
  :class:`~solvers.GroupLimit`).

Target: the solve under 1 s, with an honest status (OPTIMAL, or FEASIBLE
with a proven gap, or INFEASIBLE naming the constraints in conflict).

Usage::

    .venv/bin/python bench/bench_side.py [--runs 5] [--scenario scenarios/perempuan-30.yaml]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SCENARIOS = ("scenarios/perempuan-30.yaml", "scenarios/provinsi-batas.yaml")


def _stats(values: list[float]) -> str:
    return (
        f"median {statistics.median(values):.3f} s, min {min(values):.3f} s, "
        f"max {max(values):.3f} s"
    )


def measure(scenario: str, runs: int) -> None:
    """Print the figures of ``runs`` plan rounds of ``scenario``."""
    from engine.plan.pipeline import load_context, plan_round

    path = ROOT / scenario
    plan_round(load_context(path))  # warm-up: imports, OR-Tools start-up
    solver_s: list[float] = []
    round_s: list[float] = []
    for _ in range(runs):
        ctx = load_context(path)
        start = time.perf_counter()
        plan = plan_round(ctx)
        round_s.append(time.perf_counter() - start)
        solver_s.append(float(plan.solution.wall_time))
    sol = plan.solution
    gap = "-" if sol.gap is None else f"{100 * sol.gap:.4f} %"
    print(f"{scenario}  ({len(plan.problem.side)} side constraints, {plan.problem.n_arcs} arcs)")
    print(f"  solver wall time  {_stats(solver_s)}")
    print(f"  plan_round        {_stats(round_s)}")
    timings = plan.run["timings_s"]
    print("  steps of the last run (s): " + ", ".join(f"{k} {v}" for k, v in timings.items()))
    print(
        f"  status {sol.status.value}, objective {sol.objective}, bound {sol.bound}, gap {gap}, "
        f"moves {sol.n_moves}, method {sol.method}"
    )
    if sol.message:
        print(f"  message: {sol.message}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--scenario", action="append", help="scenario file (repeatable)")
    args = parser.parse_args()
    for scenario in args.scenario or SCENARIOS:
        measure(scenario, args.runs)


if __name__ == "__main__":
    main()
