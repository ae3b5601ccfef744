"""The flow when the folded levels do not fit 64-bit costs: what solving them in
sequence costs.

A random round shaped like a province (people, a quarter as many posts, each
person with about ``--degree`` eligible posts, scores on a few values so
that they tie, post tiers 0-3, a quarter of the people holding a post and
half of those who must be placed) is solved by the flow in several ways, each
in a fresh process so that the CPU seconds and peak RSS are its own:

* ``folded``: a bound so large that every level folds (small rounds only:
  OR-Tools itself refuses costs past ``2**62`` over the node count);
* ``moves after``: ``Settings().cost_limit``, the real bound; on a large
  round the tiers and score fit and the moves do not, so the moves are solved
  after the rest on its optimal face;
* ``stages``: a bound that holds one level at a time, so that every level
  is a stage of its own;
* ``moves after, whole`` and ``stages, whole``: the same without the
  sparse core (``Settings.core_min_arcs`` out of reach), each stage one
  OR-Tools flow over every arc of its face.

Printed per way: wall and CPU seconds, peak RSS, the levels' own CPU
seconds (from the flow's log) and whether the plan's lexicographic key
(fills per tier, score, non-stay arcs) equals the first way's.

Usage::

    .venv/bin/python bench/bench_levels.py                  # 20,000 x 5,000
    .venv/bin/python bench/bench_levels.py --people 5000 --degree 200
    .venv/bin/python bench/bench_levels.py --people 50000 --degree 2600 --lean --ways "moves after"
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def make_problem(people: int, degree: int, seed: int):
    from solvers import AssignmentProblem

    rng = np.random.default_rng(seed)
    n, m = people, max(people // 4, 1)
    per = rng.poisson(degree, size=n).clip(1, m)
    person = np.repeat(np.arange(n), per)
    post = rng.integers(0, m, size=person.size)
    key = np.unique(person * m + post)
    home = np.full(n, -1, dtype=np.int64)
    held = rng.permutation(m)[: n // 4]
    home[: held.size] = held
    key = np.union1d(key, np.arange(held.size) * m + held)
    must = np.zeros(n, dtype=bool)
    must[: held.size // 2] = True
    score = rng.choice(np.arange(400, 2021, 20), size=key.size)
    return AssignmentProblem(
        n_persons=n,
        n_posts=m,
        person=key // m,
        post=key % m,
        score=score,
        home=home,
        must_place=must,
        priority=rng.integers(0, 4, size=m),
    )


def make_lean(people: int, degree: int, seed: int):
    """The same shape as :func:`make_problem` (not the same draws), built in
    chunks of persons with 32-bit arrays, so that a round of 130 M arcs
    (50,000 people of degree 2,600) can be made within a few GB."""
    from solvers import AssignmentProblem

    rng = np.random.default_rng(seed)
    n, m = people, max(people // 4, 1)
    home = np.full(n, -1, dtype=np.int64)
    held = rng.permutation(m)[: n // 4]
    home[: held.size] = held
    must = np.zeros(n, dtype=bool)
    must[: held.size // 2] = True
    parts_p, parts_q = [], []
    chunk = max(1, 4_000_000 // m)
    for lo in range(0, n, chunk):
        hi = min(n, lo + chunk)
        cell = rng.random((hi - lo, m)) < degree / m
        rows = np.arange(lo, hi)
        mine = home[rows]
        cell[(mine >= 0).nonzero()[0], mine[mine >= 0]] = True  # every holder's stay arc
        i, j = np.nonzero(cell)
        parts_p.append((i + lo).astype(np.int32))
        parts_q.append(j.astype(np.int32))
    person = np.concatenate(parts_p)
    del parts_p
    post = np.concatenate(parts_q)
    del parts_q
    values = np.arange(400, 2021, 20, dtype=np.int32)
    score = values[rng.integers(0, values.size, size=person.size, dtype=np.int32)]
    return AssignmentProblem(
        n_persons=n,
        n_posts=m,
        person=person,
        post=post,
        score=score,
        home=home,
        must_place=must,
        priority=rng.integers(0, 4, size=m),
    )


def lex_key(prob, arcs: np.ndarray) -> list[int]:
    tiers = [int((prob.priority[prob.post[arcs]] == t).sum()) for t in (3, 2, 1)]
    return [*tiers, int(prob.score[arcs].sum()), -int((~prob.is_stay[arcs]).sum())]


def _children_cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def child(way: str, people: int, degree: int, seed: int, lean: bool = False) -> None:
    from solvers import Settings
    from solvers.backends.flow import solve_flow

    prob = (make_lean if lean else make_problem)(people, degree, seed)
    made_mb = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    base, whole = way.removesuffix(", whole"), way.endswith(", whole")
    limit = {"folded": 2**200, "moves after": Settings().cost_limit, "stages": 0}[base]
    if base == "stages":  # one level at a time: the score alone on every node
        limit = int(np.abs(prob.score).max()) * (prob.n_persons + prob.n_posts + 2) + 1
    settings = dataclasses.replace(Settings(), cost_limit=limit)
    if whole:  # every stage one OR-Tools flow over every arc (no sparse core)
        settings = dataclasses.replace(settings, core_min_arcs=2**62)
    w0, c0, k0 = time.perf_counter(), time.process_time(), _children_cpu()
    got = solve_flow(prob, settings=settings)
    wall = time.perf_counter() - w0
    cpu = time.process_time() - c0 + _children_cpu() - k0  # forked batches included
    levels = [e for e in got.sparse_rounds if "cpu_s" in e]
    print(
        json.dumps(
            {
                "arcs": int(prob.n_arcs),
                "wall_s": round(wall, 2),
                "cpu_s": round(cpu, 2),
                "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                "made_mb": made_mb,
                "method": got.method,
                "levels": levels,
                "key": lex_key(prob, got.chosen),
            }
        )
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--people", type=int, default=20_000)
    ap.add_argument("--degree", type=int, default=1_000)
    ap.add_argument("--seed", type=int, default=20260701)
    ap.add_argument("--ways", nargs="+", default=["moves after", "stages"])
    ap.add_argument(
        "--lean", action="store_true", help="make the round in chunks (130 M arcs fit a few GB)"
    )
    ap.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        way, people, degree, seed = args.child
        child(way, int(people), int(degree), int(seed), args.lean)
        return 0
    ref = None
    for way in args.ways:
        argv = [sys.executable, __file__, "--child", way, str(args.people), str(args.degree)]
        argv += [str(args.seed), *(["--lean"] if args.lean else [])]
        out = subprocess.run(argv, capture_output=True, text=True)
        if out.returncode:
            print(f"{way}: exit {out.returncode}\n{out.stderr[-2000:]}")
            continue
        row = json.loads(out.stdout.strip().splitlines()[-1])
        ref = row["key"] if ref is None else ref
        same = "-" if ref is None else ("same" if row["key"] == ref else "DIFFERENT")
        lv = ", ".join(
            f"{e['cpu_s']} s CPU on {e['arcs']:,} arcs"
            if "arcs" in e
            else f"stage {e['cpu_s']} s CPU, core {e['core_arcs']:,} arcs, "
            f"{e['pricing_rounds']} pricing rounds"
            for e in row["levels"]
        )
        print(
            f"{way:12} {row['arcs']:>12,} arcs  wall {row['wall_s']:8.2f} s  "
            f"CPU {row['cpu_s']:8.2f} s  peak {row['peak_mb']:>7,} MB "
            f"(problem made: {row['made_mb']:,} MB)  {row['method']:32} "
            f"levels: {lv or '-'}  key {row['key']} ({same})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
