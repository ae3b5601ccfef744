"""Benchmarks for :mod:`solvers` (never run by the unit tests).

Each measurement runs in a fresh process that builds its instance from a
seed, so wall time and peak RSS (``resource.getrusage``) belong to that
measurement alone, and two methods compared in one run see the very same
instance.

Targets (``--target``):

a      50,000 persons x 30,000 posts, ~100 allowed posts each, talent-like
       scores (person merit + pair fit). Every post has tier 1, so the
       optimum fills every post first, then maximises the score: the same
       problem as ``scipy.sparse.csgraph.min_weight_full_bipartite_matching``
       on weights ``(max+1) - score`` (a full matching exists). Compared in
       the same run; ``--a-scores uniform`` for uniform random scores.
b      national, realistic: 300,000 x 300,000, eligibility from a join on
       job family and grade ranges (many components), ~5 M arcs.
c      adversarial: uniform random 300,000 x 300,000, 50 arcs each (15 M
       arcs, one giant component), anyone may stay unplaced; compared with
       one plain ``SimpleMinCostFlow`` on the same instance in the same run.
prov   province: 20,000 persons x 5,000 posts, ~100 arcs per person, home
       posts and must-place incumbents, vacancy chains <= 3, <= 5 moves
       into each unit; the stated gap must be below 1% within 60 s.

The demo what-ifs with side constraints (solve under 1 s, honest status)
are measured by ``bench/bench_side.py``.

Usage::

    .venv/bin/python bench/bench_solvers.py --target a
    .venv/bin/python bench/bench_solvers.py --target all --quick
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# ----------------------------------------------------------------- instances


def _dedupe(person: np.ndarray, post: np.ndarray, m: int) -> tuple[np.ndarray, np.ndarray]:
    key = np.unique(person.astype(np.int64) * m + post)
    return key // m, key % m


def uniform_instance(n: int, m: int, deg: int, seed: int = 0):
    """Each person gets ``deg`` uniformly random posts; scores 1..100."""
    rng = np.random.default_rng(seed)
    person = np.repeat(np.arange(n, dtype=np.int64), deg)
    post = rng.integers(0, m, size=n * deg)
    person, post = _dedupe(person, post, m)
    score = rng.integers(1, 101, size=person.size).astype(np.int64)
    return person, post, score


def talent_instance(n: int, m: int, deg: int, seed: int = 0):
    """Uniform eligibility; score = person merit (0..200, bell-shaped) + pair fit (0..100).

    Merit stands for the person-level components of a talent score (kinerja,
    potensi), fit for the pair-level ones (keilmuan, pengalaman).
    """
    rng = np.random.default_rng(seed)
    person, post, _ = uniform_instance(n, m, deg, seed)
    merit = np.clip(np.round(rng.normal(100, 35, n)), 0, 200).astype(np.int64)
    fit = rng.integers(0, 101, size=person.size)
    return person, post, merit[person] + fit


def national_instance(n: int, m: int, seed: int = 0, families: int | None = None):
    """Eligibility = same job family, person grade within the post's range.

    Family sizes follow a Zipf-like law; 17 grades; a post accepts grades
    ``g-1 .. g+1`` around its own grade ``g``. Scores = merit + fit.
    """
    rng = np.random.default_rng(seed)
    families = families or max(1, n // 90)
    weights = 1.0 / np.arange(1, families + 1) ** 0.3
    weights /= weights.sum()
    pf = rng.choice(families, size=n, p=weights)
    qf = rng.choice(families, size=m, p=weights)
    pg = rng.integers(1, 18, size=n)
    qg = rng.integers(1, 18, size=m)
    # join on (family, grade): expand each post to the grades it accepts
    q_ids = np.repeat(np.arange(m), 3)
    q_grade = np.repeat(qg, 3) + np.tile([-1, 0, 1], m)
    q_key = qf[q_ids] * 32 + q_grade
    p_key = pf * 32 + pg
    p_order = np.argsort(p_key, kind="stable")
    pk_sorted = p_key[p_order]
    lo = np.searchsorted(pk_sorted, q_key, side="left")
    hi = np.searchsorted(pk_sorted, q_key, side="right")
    cnt = hi - lo
    total = int(cnt.sum())
    rep_q = np.repeat(q_ids, cnt)
    offs = np.repeat(lo - np.cumsum(cnt) + cnt, cnt) + np.arange(total)
    rep_p = p_order[offs]
    order = np.lexsort((rep_q, rep_p))
    person, post = rep_p[order].astype(np.int64), rep_q[order].astype(np.int64)
    merit = np.clip(np.round(rng.normal(100, 35, n)), 0, 200).astype(np.int64)
    score = merit[person] + rng.integers(0, 101, size=person.size)
    return person, post, score


def province_instance(
    n: int = 20_000,
    m: int = 5_000,
    deg: int = 100,
    units: int = 250,
    vacancy: float = 0.15,
    seed: int = 0,
    stay_bonus: int = 60,
    move_penalty: int = 20,
):
    """A province round with incumbents, vacancies, chains and unit limits.

    ``m * (1 - vacancy)`` incumbents hold a post each (must be placed: they
    stay or move); the other persons hold no structural post (they may stay
    unplaced). Each person has ~``deg`` allowed posts; incumbents also have
    their stay arc, worth their fit plus a stability bonus. Score = merit +
    fit, plus ``stay_bonus`` on a stay arc and minus ``move_penalty`` on a move
    (the committee's price of stability). Group of a move arc = unit of
    its post (for "at most 5 moves into each unit"), -1 on stay arcs.
    """
    rng = np.random.default_rng(seed)
    n_inc = int(m * (1 - vacancy))
    held = rng.permutation(m)[:n_inc]
    home = np.full(n, -1, dtype=np.int64)
    home[:n_inc] = held
    person, post, _ = uniform_instance(n, m, deg, seed)
    # add stay arcs
    person = np.concatenate([person, np.arange(n_inc)])
    post = np.concatenate([post, held])
    person, post = _dedupe(person, post, m)
    merit = np.clip(np.round(rng.normal(100, 35, n)), 0, 200).astype(np.int64)
    fit = rng.integers(0, 101, size=person.size)
    stay = home[person] == post
    move = (home[person] >= 0) & ~stay
    score = merit[person] + fit + stay_bonus * stay - move_penalty * move
    unit = rng.integers(0, units, size=m)
    group = np.where(stay, -1, unit[post])
    must = home >= 0
    return person, post, score, home, must, group


# ---------------------------------------------------------------- measuring


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _child(fn, args, queue) -> None:
    try:
        queue.put(fn(*args))
    except BaseException as exc:  # report, do not hang the parent
        queue.put({"error": repr(exc)})


def run_isolated(fn, *args) -> dict:
    """Run ``fn(*args)`` in a fresh process; return its dict (with peak RSS)."""
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_child, args=(fn, args, queue))
    proc.start()
    out = queue.get()
    proc.join()
    return out


def _problem(person, post, score, n, m, **kw):
    from solvers import AssignmentProblem

    return AssignmentProblem(n_persons=n, n_posts=m, person=person, post=post, score=score, **kw)


def measure_ours(kind: str, n: int, m: int, deg: int, seed: int, priority: bool) -> dict:
    """Our solve on an instance built in this process."""
    from solvers import solve, validate, warm_up

    person, post, score = _build(kind, n, m, deg, seed)
    warm = warm_up()  # load the compiled code (scipy's is loaded by its import)
    rss0 = _rss_mb()
    t0 = time.perf_counter()
    c0 = time.process_time()
    prob = _problem(
        person, post, score, n, m, priority=np.ones(m, dtype=np.int64) if priority else None
    )
    sol = solve(prob)
    wall = time.perf_counter() - t0
    cpu = time.process_time() - c0
    problems = validate(prob, sol)
    return {
        "method": sol.method,
        "status": sol.status.value,
        "wall_s": round(wall, 3),
        "cpu_s": round(cpu, 3),
        "objective": sol.objective,
        "placed": int(sol.person.size),
        "arcs": int(person.size),
        "rss_before_solve_mb": round(rss0),
        "jit_load_s": round(warm, 3),
        "peak_rss_mb": round(_rss_mb()),
        "valid": not problems,
    }


def measure_scipy(kind: str, n: int, m: int, deg: int, seed: int) -> dict:
    """``min_weight_full_bipartite_matching`` on weights ``(max+1) - score``."""
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import min_weight_full_bipartite_matching

    person, post, score = _build(kind, n, m, deg, seed)
    top = int(score.max()) + 1
    t0 = time.perf_counter()
    c0 = time.process_time()
    graph = csr_matrix(((top - score).astype(np.float64), (post, person)), shape=(m, n))
    rows, cols = min_weight_full_bipartite_matching(graph)
    wall = time.perf_counter() - t0
    cpu = time.process_time() - c0
    total = int(top * rows.size - graph[rows, cols].sum())
    return {
        "wall_s": round(wall, 3),
        "cpu_s": round(cpu, 3),
        "objective": total,
        "placed": int(rows.size),
        "peak_rss_mb": round(_rss_mb()),
    }


def measure_plain_flow(kind: str, n: int, m: int, deg: int, seed: int) -> dict:
    """One plain ``SimpleMinCostFlow`` over every arc (unplaced arcs, no splitting)."""
    from ortools.graph.python import min_cost_flow

    person, post, score = _build(kind, n, m, deg, seed)
    t0 = time.perf_counter()
    c0 = time.process_time()
    mcf = min_cost_flow.SimpleMinCostFlow()
    sink = n + m
    tails = np.concatenate([person, n + np.arange(m), np.arange(n)]).astype(np.int32)
    heads = np.concatenate([n + post, np.full(m + n, sink)]).astype(np.int32)
    costs = np.concatenate([-score, np.zeros(m + n, dtype=np.int64)])
    mcf.add_arcs_with_capacity_and_unit_cost(
        tails, heads, np.ones(tails.size, dtype=np.int64), costs
    )
    supplies = np.zeros(sink + 1, dtype=np.int64)
    supplies[:n] = 1
    supplies[sink] = -n
    mcf.set_nodes_supplies(np.arange(sink + 1, dtype=np.int32), supplies)
    status = mcf.solve()
    wall = time.perf_counter() - t0
    cpu = time.process_time() - c0
    if status != mcf.OPTIMAL:
        return {"error": f"status {status}"}
    return {
        "wall_s": round(wall, 3),
        "cpu_s": round(cpu, 3),
        "objective": int(-mcf.optimal_cost()),
        "peak_rss_mb": round(_rss_mb()),
    }


def measure_province(n: int, m: int, deg: int, seed: int, time_limit: float, workers: int) -> dict:
    from solvers import GroupLimit, MaxChainLength, solve, validate

    person, post, score, home, must, group = province_instance(n, m, deg, seed=seed)
    t0 = time.perf_counter()
    c0 = time.process_time()
    prob = _problem(
        person,
        post,
        score,
        n,
        m,
        home=home,
        must_place=must,
        side=[MaxChainLength(3, "rantai <= 3"), GroupLimit(group, 5, "maks. 5 mutasi per unit")],
    )
    sol = solve(prob, time_limit=time_limit, workers=workers)
    wall = time.perf_counter() - t0
    cpu = time.process_time() - c0
    problems = validate(prob, sol)
    return {
        "method": sol.method,
        "status": sol.status.value,
        "wall_s": round(wall, 2),
        "cpu_s": round(cpu, 2),
        "objective": sol.objective,
        "bound": sol.bound,
        "gap_pct": None if sol.gap is None else round(100 * sol.gap, 3),
        "moves": sol.n_moves,
        "message": sol.message,
        "arcs": int(person.size),
        "peak_rss_mb": round(_rss_mb()),
        "valid": not problems,
        "problems": problems[:3],
    }


def _build(kind: str, n: int, m: int, deg: int, seed: int):
    if kind == "uniform":
        return uniform_instance(n, m, deg, seed)
    if kind == "talent":
        return talent_instance(n, m, deg, seed)
    if kind == "national":
        return national_instance(n, m, seed)
    raise ValueError(kind)


# -------------------------------------------------------------------- targets


def target_a(args) -> None:
    n, m, deg = (5_000, 3_000, 100) if args.quick else (50_000, 30_000, 100)
    kind = args.a_scores
    print(f"[a] {kind} scores, {n} x {m}, ~{deg} arcs per person, all posts tier 1")
    ours = run_isolated(measure_ours, kind, n, m, deg, args.seed, True)
    print("    ours :", ours)
    ref = run_isolated(measure_scipy, kind, n, m, deg, args.seed)
    print("    scipy:", ref)
    if "error" not in ours and "error" not in ref:
        same = ours["objective"] == ref["objective"] and ours["placed"] == ref["placed"]
        print(
            f"    same optimum: {same}; speed-up wall {ref['wall_s'] / ours['wall_s']:.1f}x, "
            f"cpu {ref['cpu_s'] / ours['cpu_s']:.1f}x"
        )


def target_b(args) -> None:
    n = m = 30_000 if args.quick else 300_000
    print(f"[b] national {n} x {m}, family/grade join")
    ours = run_isolated(measure_ours, "national", n, m, 0, args.seed, False)
    print("    ours :", ours)


def target_c(args) -> None:
    n = m = 30_000 if args.quick else 300_000
    deg = 50
    print(f"[c] uniform {n} x {m}, {deg} arcs each, anyone may stay unplaced")
    ours = run_isolated(measure_ours, "uniform", n, m, deg, args.seed, False)
    print("    ours      :", ours)
    if args.skip_plain:
        return
    plain = run_isolated(measure_plain_flow, "uniform", n, m, deg, args.seed)
    print("    plain flow:", plain)
    if "error" not in ours and "error" not in plain:
        same = ours["objective"] == plain["objective"]
        print(
            f"    same optimum: {same}; speed-up wall {plain['wall_s'] / ours['wall_s']:.2f}x, "
            f"cpu {plain['cpu_s'] / ours['cpu_s']:.2f}x"
        )


def target_prov(args) -> None:
    n, m = (4_000, 1_000) if args.quick else (20_000, 5_000)
    print(f"[prov] {n} x {m}, ~100 arcs per person, chains <= 3, <= 5 moves per unit")
    out = run_isolated(measure_province, n, m, 100, args.seed, args.time_limit, args.workers)
    print("    ours:", out)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--target", choices=["a", "b", "c", "prov", "all"], default="all")
    parser.add_argument("--quick", action="store_true", help="small sizes (seconds)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--a-scores", choices=["talent", "uniform"], default="talent")
    parser.add_argument("--skip-plain", action="store_true", help="[c] skip the plain flow")
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    targets = {"a": target_a, "b": target_b, "c": target_c, "prov": target_prov}
    for name, fn in targets.items():
        if args.target in (name, "all"):
            fn(args)


if __name__ == "__main__":
    main()
