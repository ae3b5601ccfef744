"""Succession on the demo regency: a multi-year horizon's wall time, and the figures it gives.

Runs what ``talenta succession scenarios/demo.yaml --horizon N`` runs (load,
N yearly rounds with readiness, the successor graph of year 0, every output
rendered in memory) and prints the wall time of each step and each year,
then the succession figures: focus posts, posts without a ready successor
within the window, key persons, graph size. Figures are printed, never
asserted; run by hand, not by the test suite.

Usage::

    .venv/bin/python bench/bench_succession.py                 # 5 years
    .venv/bin/python bench/bench_succession.py --horizon 10 --scenario scenarios/jpt-s2.yaml
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from engine.inputs.progression import load_rank_progression  # noqa: E402
from engine.plan.pipeline import load_context  # noqa: E402
from engine.report.succession import render_succession  # noqa: E402
from engine.succession.analysis import analyse  # noqa: E402
from engine.succession.horizon import run_horizon  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", type=Path, default=ROOT / "scenarios/demo.yaml")
    parser.add_argument("--horizon", type=int, default=5)
    parser.add_argument("--pangkat", type=Path, default=ROOT / "rules/kenaikan-pangkat.yaml")
    args = parser.parse_args()

    t0 = time.perf_counter()
    ctx = load_context(args.scenario)
    progression = load_rank_progression(args.pangkat)
    t1 = time.perf_counter()
    hz = run_horizon(ctx, args.horizon, progression)
    t2 = time.perf_counter()
    y0 = hz.years[0]
    result = analyse(y0.context, y0.plan, ready=y0.ready, progression=progression, horizon=hz)
    texts = render_succession(result)
    t3 = time.perf_counter()

    print(f"scenario {args.scenario.name}, horizon {args.horizon} years")
    print(f"  load                {t1 - t0:6.2f} s")
    for y in hz.years:
        d = y.summary()
        print(
            f"  year {y.year} {d['date']}   {y.wall_time:6.2f} s  "
            f"retiring {d['retiring']:3d}  opened {d['posts_opened']:3d}  "
            f"filled {d['posts_filled']:3d}  unfilled {d['posts_unfilled']:3d}  "
            f"no ready successor {len(d['without_ready_successor']):3d}  "
            f"rank steps {d['rank_promotions']:3d}  chains {len(d['chains']):3d}"
        )
    print(f"  horizon total       {t2 - t1:6.2f} s")
    print(f"  graph + render      {t3 - t2:6.2f} s")
    print(f"  TOTAL               {t3 - t0:6.2f} s")
    s = result.as_dict()["summary"]
    print("figures (year 0):")
    for key, value in s.items():
        print(f"  {key:32s} {value}")
    smallest = sorted(
        (b["ready_now"]["count"], b["jabatan_id"]) for b in result.bench if b["focus"]
    )[:5]
    print("  smallest benches (ready now)   " + ", ".join(f"{p} {n}" for n, p in smallest))
    for u in result.uncovered[:10]:
        print(f"  no successor: {u['jabatan_id']:24s} blocked by {u['blocking_rule']}")
    for k in result.key_persons[:5]:
        print(f"  key person: {k['nip']} sole within {k['sole_within']} sole now {k['sole_now']}")
    print("outputs: " + ", ".join(f"{n} {len(t) // 1024} KiB" for n, t in texts.items()))


if __name__ == "__main__":
    main()
