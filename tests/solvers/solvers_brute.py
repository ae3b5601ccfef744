"""Brute-force oracle for tiny assignment problems (tests only).

Enumerates every set of chosen arcs that is a matching, keeps those the
independent validator accepts, and ranks them by the lexicographic
objective: fills per tier (highest tier first), total score, then fewest
non-stay arcs when the problem has a moves level.
"""

from __future__ import annotations

import itertools

import numpy as np

from solvers import AssignmentProblem, Solution, Status, validate


def plan_solution(prob: AssignmentProblem, arcs: tuple[int, ...]) -> Solution:
    arcs_arr = np.array(arcs, dtype=np.int64)
    p = prob.person[arcs_arr]
    q = prob.post[arcs_arr]
    order = np.lexsort((p, q))
    arcs_arr = arcs_arr[order]
    filled = {}
    if prob.priority is not None and arcs_arr.size:
        t, c = np.unique(prob.priority[prob.post[arcs_arr]], return_counts=True)
        filled = {int(a): int(b) for a, b in zip(t, c, strict=True)}
    return Solution(
        status=Status.FEASIBLE,
        person=prob.person[arcs_arr].astype(np.int64),
        post=prob.post[arcs_arr].astype(np.int64),
        arc=arcs_arr,
        objective=int(prob.score[arcs_arr].sum()),
        n_moves=int(prob.is_move[arcs_arr].sum()),
        filled=filled,
    )


def key(prob: AssignmentProblem, arcs: tuple[int, ...]) -> tuple:
    arcs_arr = np.array(arcs, dtype=np.int64)
    score = int(prob.score[arcs_arr].sum()) if arcs else 0
    parts: list[int] = []
    if prob.priority is not None:
        tiers = sorted({int(t) for t in prob.priority if t > 0}, reverse=True)
        posts = prob.post[arcs_arr] if arcs else np.zeros(0, np.int64)
        parts = [int((prob.priority[posts] == t).sum()) for t in tiers]
    nonstay = int((~prob.is_stay[arcs_arr]).sum()) if arcs else 0
    tail = (-nonstay,) if prob.has_moves_level else ()
    return (*parts, score, *tail)


def matchings(prob: AssignmentProblem):
    """Every matching, as a tuple of arc indices."""
    by_person: dict[int, list[int]] = {}
    for a, i in enumerate(prob.person.tolist()):
        by_person.setdefault(i, []).append(a)
    persons = sorted(by_person)
    choices = [[None, *by_person[i]] for i in persons]
    for combo in itertools.product(*choices):
        arcs = tuple(a for a in combo if a is not None)
        posts = [int(prob.post[a]) for a in arcs]
        if len(set(posts)) == len(posts):
            yield arcs


def brute(prob: AssignmentProblem) -> tuple[tuple | None, list[tuple[int, ...]]]:
    """Best key and every optimal plan (empty list when infeasible)."""
    best = None
    plans: list[tuple[int, ...]] = []
    for arcs in matchings(prob):
        if validate(prob, plan_solution(prob, arcs)):
            continue
        k = key(prob, arcs)
        if best is None or k > best:
            best, plans = k, [arcs]
        elif k == best:
            plans.append(arcs)
    return best, plans


def assert_brute_force_optimal(prob: AssignmentProblem, sol: Solution) -> None:
    """``sol`` is valid and is the lexicographic optimum (or INFEASIBLE with its conflicts)."""
    assert validate(prob, sol) == []
    best, _ = brute(prob)
    if best is None:
        assert sol.status == Status.INFEASIBLE
        assert sol.conflicts
    else:
        assert sol.status == Status.OPTIMAL
        assert key(prob, tuple(sol.arc.tolist())) == best
        assert sol.bound == sol.objective
        assert sol.gap == 0.0
