"""The shortlist prices of a province round, alone: the post graph, the searches, every price.

Builds a province (:func:`bench_memory.build_project`, as ``bench_scale.py``
does), runs its round in this process up to the plan, keeps the problem,
the plan and the open posts the shortlists price, and then times the
prices step (:meth:`solvers.Evidence.all_prices` over those posts, as
``engine.plan.sections.build_shortlists`` calls it) ``--repeat`` times: CPU
and wall seconds of the post graph and of the searches, the process's peak
RSS. ``--whole`` also grows every post's whole shortest-path tree in one
thread (:func:`solvers.kernels.post_trees`, the search before it was
stopped early) and checks each price's distance and score against it.
Figures are printed, never asserted; run by hand. Above 10,000 people run
it under a memory cap (``ulimit -v``).

Usage::

    .venv/bin/python bench/bench_prices.py --people 20000 --seed 20260702
    .venv/bin/python bench/bench_prices.py --people 5000 --whole
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_memory import build_project  # noqa: E402

import solvers  # noqa: E402
from engine.plan import sections  # noqa: E402
from engine.plan.pipeline import load_context, plan_round  # noqa: E402


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def round_inputs(people: int, posts: int, seed: int) -> tuple:
    """The problem, plan and open posts (in the shortlists' order) of a province round."""
    kept: list[tuple] = []
    build = sections.build_shortlists

    def keep(out: sections.Outcome) -> tuple:
        order = sorted(np.flatnonzero(out.open_in_plan).tolist(), key=out.jabatan_id)
        kept.append((out.problem, out.solution, np.array(order, dtype=np.int64)))
        return build(out)

    sections.build_shortlists = keep
    try:
        with tempfile.TemporaryDirectory() as tmp:
            build_project(Path(tmp), people, posts, seed)
            plan_round(load_context(Path(tmp) / "scenarios/provinsi.yaml"))
    finally:
        sections.build_shortlists = build
    return kept[0]


def time_step(prob: solvers.AssignmentProblem, sol: solvers.Solution, posts: np.ndarray) -> dict:
    """One prices step from scratch: the post graph, then every price."""
    c0, w0 = time.process_time(), time.perf_counter()
    ev = solvers.Evidence(prob, sol)
    graph = ev.post_graph()
    c1, w1 = time.process_time(), time.perf_counter()
    priced = sum(price.size for _, _, price in ev.all_prices(posts))
    c2, w2 = time.process_time(), time.perf_counter()
    return {
        "graph": (c1 - c0, w1 - w0),
        "prices": (c2 - c1, w2 - w1),
        "priced": priced,
        "nodes": graph.n_nodes if graph else 0,
        "arcs": graph.n_arcs if graph else 0,
        "ev": ev,
    }


def whole_trees(ev: solvers.Evidence, posts: np.ndarray) -> tuple[float, int]:
    """Every post's whole tree in one thread (CPU s), and how many of the
    prices' distances and scores differ from it."""
    from solvers.kernels import post_paths, post_trees

    graph = ev.post_graph()
    assert graph is not None
    head, rc, delta = graph.by_rc()
    sources = np.where(graph.filled[posts], posts, graph.sink).astype(np.int64)
    targets = []
    for j in posts.tolist():
        cand = ev.candidates(j)
        at = graph.at[ev.prob.person[cand].astype(np.int64)]
        want = graph.in_net[cand] & (at != j)
        targets.append(np.where(at[want] >= 0, at[want], graph.sink))
    tptr = np.zeros(len(targets) + 1, dtype=np.int64)
    np.cumsum([t.size for t in targets], out=tptr[1:])
    flat = np.concatenate(targets)
    dist = np.empty(flat.size, dtype=np.int64)
    score = np.empty(flat.size, dtype=np.int64)
    sink_dist, sink_score = graph.sink_tree()
    every = np.arange(sources.size, dtype=np.int64)
    post_paths(sources, every, tptr, flat, graph.indptr, head, rc, delta, sink_dist, sink_score, dist, score)  # fmt: skip
    cpu, wrong = 0.0, 0
    for lo in range(0, sources.size, 256):
        part = sources[lo : lo + 256]
        d = np.empty((part.size, graph.n_nodes), dtype=np.int64)
        s = np.zeros((part.size, graph.n_nodes), dtype=np.int64)
        start = time.process_time()
        post_trees(part, graph.indptr, head, rc, delta, d, s)
        cpu += time.process_time() - start
        for r in range(part.size):
            got = slice(tptr[lo + r], tptr[lo + r + 1])
            t = flat[got]
            reached = d[r, t] != np.iinfo(np.int64).max
            wrong += int((d[r, t] != dist[got]).sum() + (s[r, t] != score[got])[reached].sum())
    return cpu, wrong


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--posts", type=int, default=None, help="default: a quarter of people")
    parser.add_argument("--seed", type=int, default=20260701)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--whole", action="store_true", help="also every whole tree, checked")
    opts = parser.parse_args(argv)
    n_posts = opts.posts or opts.people // 4
    prob, sol, posts = round_inputs(opts.people, n_posts, opts.seed)
    print(
        f"{opts.people:,} people x {n_posts:,} posts, seed {opts.seed}: {prob.n_arcs:,} arcs, "
        f"{posts.size:,} open posts priced; peak RSS after the round {_peak_mb():,.0f} MB"
    )
    got: dict = {}
    for k in range(opts.repeat):
        got = time_step(prob, sol, posts)
        (gc, gw), (pc, pw) = got["graph"], got["prices"]
        print(
            f"  run {k + 1}: post graph ({got['nodes']:,} nodes, {got['arcs']:,} arcs) "
            f"{gc:.2f} CPU s, {gw:.2f} s wall; {got['priced']:,} prices {pc:.2f} CPU s, "
            f"{pw:.2f} s wall; peak RSS {_peak_mb():,.0f} MB"
        )
    if opts.whole:
        cpu, wrong = whole_trees(got["ev"], posts)
        print(f"  whole trees, one thread: {cpu:.2f} CPU s; entries differing: {wrong:,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
