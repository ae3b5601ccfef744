"""talenta explain and talenta eligible on a loaded round: what a running process (the web app) pays per question.

Builds the province that bench/bench_memory.py builds (20,000 people x
5,000 posts by default; ``--scenario`` for another round), loads it once,
keeps an :class:`engine.plan.explain.LoadedRound`, and asks ``eligible``
for ``--posts`` random posts (each twice: first and repeated question) and
``explain`` for as many random (person, post) pairs. Prints the load, the
LoadedRound's construction, and per question kind the median, 95th
percentile and slowest time in ms. Also the command line's cold start
(``talenta eligible`` in a fresh process: imports, load, one question).
Figures are printed, never asserted; run by hand.

Usage::

    .venv/bin/python bench/bench_explain.py
    .venv/bin/python bench/bench_explain.py --scenario scenarios/demo.yaml --posts 50
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def _ms(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return (
        f"median {1000 * statistics.median(ordered):7.1f} ms   p95 {1000 * p95:7.1f} ms"
        f"   max {1000 * ordered[-1]:7.1f} ms   ({len(ordered)} questions)"
    )


def measure(scenario: Path, n_questions: int, seed: int) -> None:
    import numpy as np

    from engine.plan.explain import LoadedRound
    from engine.plan.pipeline import load_context

    t0 = time.perf_counter()
    ctx = load_context(scenario)
    t1 = time.perf_counter()
    loaded = LoadedRound(ctx)
    t2 = time.perf_counter()
    print(f"{ctx.people.n:,} people x {ctx.posts.n:,} posts")
    print(f"load_context            {t1 - t0:7.2f} s")
    print(f"LoadedRound(ctx)        {t2 - t1:7.2f} s")
    rng = np.random.default_rng(seed)
    posts = rng.choice(ctx.posts.n, size=min(n_questions, ctx.posts.n), replace=False).tolist()
    first, again, explain = [], [], []
    for j in posts:
        start = time.perf_counter()
        loaded.eligible(j)
        first.append(time.perf_counter() - start)
    for j in posts:
        start = time.perf_counter()
        loaded.eligible(j)
        again.append(time.perf_counter() - start)
    for j in posts:
        i = int(rng.integers(ctx.people.n))
        start = time.perf_counter()
        loaded.explain(i, j)
        explain.append(time.perf_counter() - start)
    print(f"eligible, first ask     {_ms(first)}")
    print(f"eligible, asked again   {_ms(again)}")
    print(f"explain                 {_ms(explain)}")
    jid = str(ctx.posts.jabatan_id[posts[0]])
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "engine.cli", "eligible", jid, "--scenario", str(scenario)],
        check=True,
        stdout=subprocess.DEVNULL,
        cwd=ROOT,
    )
    print(f"talenta eligible (fresh process, cold start) {time.perf_counter() - start:7.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", type=Path, default=None)
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--posts", type=int, default=30, help="questions of each kind")
    parser.add_argument("--seed", type=int, default=20260701)
    opts = parser.parse_args()
    if opts.scenario is not None:
        measure(opts.scenario, opts.posts, opts.seed)
        return
    import bench_memory

    folder = Path(tempfile.mkdtemp(prefix="talenta-bench-explain-"))
    try:
        bench_memory.build_project(folder, opts.people, opts.people // 4, opts.seed)
        measure(folder / "scenarios/provinsi.yaml", opts.posts, opts.seed)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
