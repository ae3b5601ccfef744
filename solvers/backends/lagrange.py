"""A proven bound that prices the linear side constraints into a min-cost flow.

The min-cost flow bounds the score of every plan but ignores the side
constraints; when they bind (e.g. a limit on moves into each unit) its
bound is loose and its reduced costs keep too many arcs in play. The
bound here is Lagrangian:

1. The linear relaxation *with* the side constraints is solved on a
   subset of the arcs (HiGHS, through :func:`scipy.optimize.linprog`).
   Its rows: each person at most one arc (exactly one when it must be
   placed), each post at most one, at least ``fills[t]`` arcs into the
   posts of tier ``t``, and every linear side constraint
   (:class:`~solvers.MaxMoves`, :class:`~solvers.GroupLimit`,
   :class:`~solvers.LinearConstraint`). Pins are constants: their person
   and post leave, their share of each row moves to its right-hand side.
   The side and fill rows are elastic (a slack at a high price per unit),
   so the LP on a subset always has duals.
2. The duals ``y >= 0`` of the side and fill rows are rounded to multiples
   of ``1 / D`` (``D = 2**k``) and priced into every arc:
   ``D * score_a - sum_r D * y_r * A_ra``, integers. For any plan ``x``
   that meets the rows, ``D * score(x) <= sum_r D * y_r * b_r + value(x)``
   under those prices, so one min-cost flow over *every* arc (persons,
   posts, must-place, pins and bans as they are) gives the bound
   ``(sum_r D * y_r * b_r + V) // D``: weak duality, exact integer
   arithmetic, valid whatever the duals are. Good duals make it the LP
   optimum (measured on a 20,000 x 5,000 province: the LP on 105 k of the
   2 M arcs, then one flow, gave the LP optimum over every arc, in 4 s).
3. The potentials of that flow price every arc: a plan that uses arc
   ``a`` scores at most ``(sum_r D * y_r * b_r + V - rc_a) // D``.

Chains are not in the relaxation, so the bound holds for them too.

Assumptions
-----------
* Scores and side-constraint coefficients are integers; ``fills``
  counts include pinned arcs.
* The core problem (must-place, pins, bans) has a plan: the caller has
  solved its flow.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from solvers.backends.flow import solve_flow
from solvers.backends.network import prepare
from solvers.duals import Residual
from solvers.errors import CostRangeError
from solvers.problem import AssignmentProblem
from solvers.settings import Settings

__all__ = ["LagrangianBound", "arc_ceilings", "lagrangian_bound"]

#: Duals are rounded to multiples of 1 / 2**DUAL_BITS (fewer bits when the
#: priced scores would not fit the flow's cost range).
DUAL_BITS = 16
#: Priced scores times the number of nodes stay below this (OR-Tools' flow
#: needs ``max|cost| * (nodes + 1) < 2**62``).
_COST_ROOM = 2**58


@dataclass
class LagrangianBound:
    """What the priced flow proves.

    Attributes
    ----------
    bound
        Upper bound on the score of every plan that meets the linear side
        constraints and the fills.
    ceiling
        Per arc of the problem: upper bound on the score of such a plan
        that uses the arc.
    lp_value
        The LP optimum on the column subset (a float, for reports).
    columns
        Arcs in that LP.
    """

    bound: int
    ceiling: np.ndarray
    lp_value: float
    columns: int


@dataclass
class _Block:
    """Rows of one kind: the row of each candidate arc (-1: none) and its coefficient."""

    row: np.ndarray
    coef: np.ndarray
    rhs: np.ndarray  # per row
    equal: np.ndarray  # per row: an equality (its dual is free) instead of <=
    elastic: bool  # the rows may be broken at a price in the LP on a subset


def has_rows(prob: AssignmentProblem, fills: dict[int, int] | None) -> bool:
    """Whether the problem has rows for :func:`lagrangian_bound` to price."""
    return bool(fills) or any(c.linear for c in prob.side)


def _blocks(
    prob: AssignmentProblem, cand: np.ndarray, fills: dict[int, int] | None
) -> list[_Block] | None:
    """The LP rows over the candidate arcs ``cand``; None if a must-place person has none."""
    pins = prob.pin_arcs
    p, q = prob.person[cand], prob.post[cand]
    ones = np.ones(cand.size, dtype=np.int64)
    must = prob.must_place.copy()
    must[prob.person[pins]] = False
    has = np.zeros(prob.n_persons, dtype=bool)
    has[p] = True
    if (must & ~has).any():
        return None
    out = [
        _Block(p, ones, np.ones(prob.n_persons, np.int64), must, False),
        _Block(q, ones, np.ones(prob.n_posts, np.int64), np.zeros(prob.n_posts, bool), False),
    ]

    def rows(row: np.ndarray, coef: np.ndarray, rhs: np.ndarray) -> _Block:
        rhs = np.asarray(rhs, dtype=np.int64).reshape(-1)
        return _Block(row, coef, rhs, np.zeros(rhs.size, bool), True)

    if fills and prob.priority is not None:
        tiers = np.array(sorted(fills), dtype=np.int64)
        tier_of = np.full(int(prob.priority.max()) + 1, -1, dtype=np.int64)
        tier_of[tiers] = np.arange(tiers.size)
        at_pins = np.bincount(tier_of[prob.priority[prob.post[pins]]] + 1, minlength=tiers.size + 1)
        need = np.array([fills[int(t)] for t in tiers], np.int64) - at_pins[1:]
        out.append(rows(tier_of[prob.priority[q]], -ones, -need))
    for c in prob.side:
        out.extend(rows(row, coef, rhs) for row, coef, rhs in c.lp_rows(prob, cand, pins))
    return out


def _solve_lp(
    blocks: list[_Block], cols: np.ndarray, score: np.ndarray, penalty: float, time_limit: float
) -> tuple[list[np.ndarray], float] | None:
    """Solve the elastic LP on candidate positions ``cols``.

    Returns the duals of each block, with the signs of the maximisation
    (``>= 0`` on inequality rows), and the LP value; None without an optimum.
    """
    from scipy.optimize import linprog  # 0.3 s to import: only when a bound is due

    rows, vals, idx, offsets = [], [], [], []
    base = 0
    for b in blocks:
        r = b.row[cols]
        keep = r >= 0
        rows.append(r[keep] + base)
        vals.append(b.coef[cols][keep])
        idx.append(np.flatnonzero(keep))
        offsets.append(base)
        base += b.rhs.size
    rhs = np.concatenate([b.rhs for b in blocks]).astype(np.float64)
    equal = np.concatenate([b.equal for b in blocks])
    elastic = np.flatnonzero(np.concatenate([np.full(b.rhs.size, b.elastic) for b in blocks]))
    # a slack s >= 0 lets an elastic row be broken at ``penalty`` per unit: sum - s <= rhs
    n_col = cols.size + elastic.size
    if n_col == 0:  # nothing to choose: every dual may be 0
        return [np.zeros(b.rhs.size) for b in blocks], 0.0
    mat = sp.csr_matrix(
        (
            np.concatenate([*vals, -np.ones(elastic.size)]).astype(np.float64),
            (
                np.concatenate([*rows, elastic]),
                np.concatenate([*idx, cols.size + np.arange(elastic.size)]),
            ),
        ),
        shape=(base, n_col),
    )
    c = np.concatenate([-score[cols].astype(np.float64), np.full(elastic.size, penalty)])
    upper = np.r_[np.ones(cols.size), np.full(elastic.size, np.inf)]
    ub = ~equal
    res = linprog(
        c,
        A_ub=mat[ub] if ub.any() else None,
        b_ub=rhs[ub] if ub.any() else None,
        A_eq=mat[equal] if equal.any() else None,
        b_eq=rhs[equal] if equal.any() else None,
        bounds=np.c_[np.zeros(n_col), upper],
        method="highs",
        options={"time_limit": max(0.05, time_limit)},
    )
    if res.status != 0:
        return None
    y = np.zeros(rhs.size)
    if ub.any():
        y[ub] = np.maximum(-res.ineqlin.marginals, 0.0)
    if equal.any():
        y[equal] = -res.eqlin.marginals
    ends = [*offsets[1:], rhs.size]
    return [y[a:b] for a, b in zip(offsets, ends, strict=True)], -float(res.fun)


def arc_ceilings(
    prob: AssignmentProblem,
    chosen: np.ndarray,
    value: np.ndarray,
    *,
    settings: Settings | None = None,
) -> np.ndarray:
    """Reduced cost of every usable arc at an optimum of the core problem.

    Parameters
    ----------
    prob
        The problem (side constraints, tiers and the moves tie-break are
        ignored: the optimum maximises ``value`` alone).
    chosen
        Arc indices of a plan that maximises ``sum(value)`` over the core
        problem (must-place, pins, bans).
    value
        Integer value per arc of the problem.
    settings
        Tuning values (default: :class:`~solvers.settings.Settings()`).

    Returns
    -------
    numpy.ndarray
        Per arc of the problem, ``rc >= 0``: a plan that uses the arc has
        value at most ``value(chosen) - rc`` (0 for pins and for arcs no
        plan can use).
    """
    prep = prepare(prob, moves_level=False, settings=settings)
    arcs = prep.arcs
    out = np.zeros(prob.n_arcs, dtype=np.int64)
    if not arcs.size:
        return out
    p, q = prob.person[arcs], prob.post[arcs]
    persons, pl = np.unique(p, return_inverse=True)
    posts, ql = np.unique(q, return_inverse=True)
    cost = -value[arcs].astype(np.int64)
    res = Residual(
        persons.size, posts.size, pl, ql, cost, np.isin(arcs, chosen), ~prep.must[persons]
    )
    if not res.compute_potentials():  # pragma: no cover - the plan is optimal
        raise RuntimeError("could not price arcs: the plan is not optimal")
    out[arcs] = res.reduced_costs(pl, ql, cost)
    return out


def _dual_bits(prob: AssignmentProblem, side: list, top: float) -> int | None:
    """Bits ``D`` of the duals' rounding (at most ``DUAL_BITS``) such that the
    priced scores fit the flow's cost range; None when even 0 bits do not."""
    reach = top + sum(
        float(np.abs(y).max(initial=0)) * float(np.abs(b.coef).max(initial=0)) for b, y in side
    )
    nodes = prob.n_persons + prob.n_posts + 2
    bits = DUAL_BITS
    while bits > 0 and reach * 2.0**bits * nodes >= _COST_ROOM:
        bits -= 1
    return None if reach * 2.0**bits * nodes >= _COST_ROOM else bits


def _priced(
    prob: AssignmentProblem, candidates: np.ndarray, side: list, scale: int
) -> tuple[np.ndarray, int]:
    """``scale * score - y A`` per arc, with the duals ``y`` rounded to
    multiples of ``1 / scale`` (never below 0), and the constant ``y b``."""
    priced = prob.score.astype(np.int64) * scale
    constant = 0
    for b, y in side:
        yi = np.maximum(np.round(y * scale), 0).astype(np.int64)
        hit = np.flatnonzero(b.row >= 0)
        np.subtract.at(priced, candidates[hit], yi[b.row[hit]] * b.coef[hit])
        constant += int(yi @ b.rhs)
    return priced, constant


def lagrangian_bound(
    prob: AssignmentProblem,
    candidates: np.ndarray,
    columns: np.ndarray,
    fills: dict[int, int] | None = None,
    *,
    time_limit: float = 60.0,
    settings: Settings | None = None,
) -> LagrangianBound | None:
    """Proven bound of the linear side constraints priced into the flow.

    Parameters
    ----------
    prob
        The problem.
    candidates
        Every arc a plan may use besides the pins (not banned, not
        clashing with a pin).
    columns
        Arcs (among ``candidates``) of the LP that sets the prices; the
        bound covers every candidate arc whatever this subset is.
    fills
        At least ``fills[t]`` posts of tier ``t`` are filled (pins
        included).
    time_limit
        Seconds for the LP.
    settings
        Tuning values for the flows (default: :class:`~solvers.settings.Settings()`).

    Returns
    -------
    LagrangianBound or None
        None when the LP gives no duals in time or the priced scores do not
        fit the flow's cost range.

    Examples
    --------
    >>> import numpy as np
    >>> from solvers import AssignmentProblem, MaxMoves
    >>> prob = AssignmentProblem(n_persons=2, n_posts=2, person=np.array([0, 0, 1]),
    ...     post=np.array([0, 1, 1]), score=np.array([5, 3, 4]), home=np.array([1, -1]),
    ...     must_place=np.array([True, False]), side=[MaxMoves(0)])
    >>> lagrangian_bound(prob, np.arange(3), np.arange(3)).bound  # 0 stays: 1 gets no post
    3
    """
    blocks = _blocks(prob, candidates, fills)
    if blocks is None:
        return None
    score = prob.score[candidates].astype(np.int64)
    top = float(np.abs(score).max(initial=0)) + 1.0
    coef_max = max(float(np.abs(b.coef).max(initial=1)) for b in blocks)
    cols = np.flatnonzero(np.isin(candidates, columns))
    got = _solve_lp(blocks, cols, score, 4.0 * top * max(1.0, coef_max), time_limit)
    if got is None:
        return None
    duals, lp_value = got
    side = list(zip(blocks[2:], duals[2:], strict=True))
    bits = _dual_bits(prob, side, top)
    if bits is None:
        return None
    scale = 1 << bits
    priced, constant = _priced(prob, candidates, side, scale)
    plain = prob.with_changes(score=priced, home=None, priority=None, side=())
    try:
        chosen = solve_flow(plain, settings=settings).chosen
    except CostRangeError:  # pragma: no cover - D is chosen to fit
        return None
    total = constant + int(priced[chosen].sum())
    rc = arc_ceilings(plain, chosen, priced, settings=settings)
    return LagrangianBound(
        bound=total // scale,
        ceiling=(total - rc) // scale,
        lp_value=lp_value,
        columns=int(cols.size),
    )
