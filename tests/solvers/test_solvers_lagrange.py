"""The Lagrangian bound (:mod:`solvers.backends.lagrange`) against brute force and the full LP."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog
from solvers_brute import matchings, plan_solution
from solvers_strategies import tiny_problems

from solvers import AssignmentProblem, GroupLimit, LinearConstraint, MaxMoves, validate
from solvers.backends.cpsat import _candidate_arcs, _fills
from solvers.backends.flow import InfeasibleCore, solve_flow
from solvers.backends.lagrange import _blocks, lagrangian_bound

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _plans_meeting_rows(prob: AssignmentProblem, fills: dict[int, int] | None):
    """Every plan that meets the linear side constraints and the fills (chains ignored)."""
    linear = prob.with_changes(
        side=[c for c in prob.side if isinstance(c, MaxMoves | GroupLimit | LinearConstraint)],
        allow_cycles=True,
    )
    for arcs in matchings(prob):
        if validate(linear, plan_solution(linear, arcs)):
            continue
        if fills:
            got = np.bincount(prob.priority[prob.post[list(arcs)]], minlength=max(fills) + 1)
            if any(got[t] < f for t, f in fills.items()):
                continue
        yield arcs


@SETTINGS
@given(tiny_problems(), st.data())
def test_bound_and_ceilings_cover_every_plan(prob: AssignmentProblem, data) -> None:
    try:
        flow = solve_flow(prob)
    except InfeasibleCore:
        return
    fills = _fills(prob, flow.chosen) if prob.priority is not None else None
    if fills and data.draw(st.booleans()):  # lower fills too, not only the flow's
        fills = {t: data.draw(st.integers(0, f)) for t, f in fills.items()}
    cand = _candidate_arcs(prob)
    columns = (
        cand[np.array(data.draw(st.lists(st.booleans(), min_size=cand.size)), bool)[: cand.size]]
        if cand.size
        else cand
    )
    lag = lagrangian_bound(prob, cand, columns, fills)
    if lag is None:
        return
    for arcs in _plans_meeting_rows(prob, fills):
        score = int(prob.score[list(arcs)].sum())
        assert score <= lag.bound
        for a in arcs:
            assert score <= lag.ceiling[a]


def _full_lp(prob: AssignmentProblem, cand: np.ndarray, fills) -> float:
    """The LP relaxation over every candidate arc, solved directly (pins: none here)."""
    blocks = _blocks(prob, cand, fills)
    assert blocks is not None
    rows, cols, vals, rhs, equal, base = [], [], [], [], [], 0
    for b in blocks:
        hit = np.flatnonzero(b.row >= 0)
        rows.append(b.row[hit] + base)
        cols.append(hit)
        vals.append(b.coef[hit])
        rhs.append(b.rhs)
        equal.append(b.equal)
        base += b.rhs.size
    mat = sp.csr_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
        shape=(base, cand.size),
    )
    b_all, eq = np.concatenate(rhs), np.concatenate(equal)
    res = linprog(
        -prob.score[cand].astype(float),
        A_ub=mat[~eq],
        b_ub=b_all[~eq],
        A_eq=mat[eq] if eq.any() else None,
        b_eq=b_all[eq] if eq.any() else None,
        bounds=(0, 1),
        method="highs",
    )
    assert res.status == 0
    return -res.fun


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**31 - 1))
def test_prices_from_a_subset_reach_the_lp_optimum(seed: int) -> None:
    """Duals of the LP on every arc, priced into the flow, give the LP optimum back."""
    rng = np.random.default_rng(seed)
    n, m = 30, 12
    home = np.full(n, -1)
    home[:8] = rng.permutation(m)[:8]
    cells = {(i, int(j)) for i in range(n) for j in rng.choice(m, 4, replace=False)}
    cells |= {(i, int(home[i])) for i in range(8)}
    pairs = sorted(cells)
    person = np.array([p for p, _ in pairs])
    post = np.array([q for _, q in pairs])
    stay = home[person] == post
    prob = AssignmentProblem(
        n_persons=n,
        n_posts=m,
        person=person,
        post=post,
        score=rng.integers(1, 50, size=person.size) + 10 * stay,
        home=home,
        must_place=home >= 0,
        side=[
            GroupLimit(np.where(stay, -1, post % 3), 1, "per unit"),
            LinearConstraint(np.where(person % 2 == 0, 1, -1) * (~stay), lower=0, name="kuota"),
        ],
    )
    cand = _candidate_arcs(prob)
    lag = lagrangian_bound(prob, cand, cand)
    assert lag is not None
    best = _full_lp(prob, cand, None)
    # scores are integers: the bound is the LP optimum rounded down, give or
    # take the point the rounding of the duals may cost
    assert np.floor(best + 1e-6) <= lag.bound <= np.floor(best + 1e-6) + 1


def test_docstring_examples_run() -> None:
    import doctest

    import solvers.backends.lagrange

    assert (
        doctest.testmod(solvers.backends.lagrange, optionflags=doctest.NORMALIZE_WHITESPACE).failed
        == 0
    )
