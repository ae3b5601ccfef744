"""The certified path for one large component: auction, certificate, repair.

A component with millions of arcs and many arcs per person is solved on a
sparse arc set (:func:`~solvers.backends.certified.component.first_keep`)
and the result is proven optimal for every arc of the component:

1. the auction (:mod:`solvers.backends.certified.auction`) solves the
   sparse set; its potentials are checked on the sparse set
   (:func:`~solvers.backends.certified.auction.certify`) and on every arc
   of the component (:func:`~solvers.backends.certified.auction.violations`);
   a few violated arcs are repaired in place from exact potentials, more
   are added and the auction restarts from its prices;
2. if the auction cannot prove its plan, OR-Tools' flow solves the sparse
   set, :class:`~solvers.duals.Residual` gives its potentials, and the same
   check, repair or column generation follows.

:func:`solve_component` returns the 0/1 flow of every arc, proven optimal,
or None: the caller then solves the whole component with one flow.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import numpy as np

from solvers.backends.certified.certificate import auction_potentials, repair, violations
from solvers.backends.certified.component import Component, covered, first_keep, staged
from solvers.backends.mcf import InfeasibleCore, run_mcf
from solvers.backends.network import Prepared
from solvers.duals import Residual
from solvers.picks import top_k_mask

if TYPE_CHECKING:  # the compiled auction is imported by large rounds only (numba)
    from solvers.backends.certified.auction import AuctionResult

__all__ = ["solve_component"]


def solve_component(
    prep: Prepared,
    arcs_pos: np.ndarray | slice,
    persons: np.ndarray,
    posts: np.ndarray,
    comp: Component,
) -> tuple[np.ndarray | None, str]:
    """The proven optimal 0/1 flow of the component's arcs, and whether the
    auction (``"auction"``) or the min-cost flow (``"min_cost_flow"``)
    reached it; ``(None, "")`` when neither did.

    ``arcs_pos``: the component's arcs among ``prep.arcs``; ``persons`` and
    ``posts``: its global ids.
    """
    n_arcs = comp.pl.size
    if (prep.prob.home[persons] >= 0).any():
        stay = prep.prob.is_stay[prep.arcs[arcs_pos]]
    else:  # nobody has a home post here: no stay arc (and no pass over the arcs)
        stay = np.zeros(n_arcs, dtype=bool)
    value, post_must, factor = staged(prep, arcs_pos, posts, comp, stay)
    keep = first_keep(comp, value, stay)
    flow = auction_rounds(comp, keep.copy(), value, post_must, factor)
    del value
    if flow is not None:
        return flow, "auction"
    flow = flow_rounds(comp, comp.folded(), keep)
    return flow, "min_cost_flow" if flow is not None else ""


def _ready(
    comp: Component,
    keep: np.ndarray,
    value: np.ndarray | None,
    post_must: np.ndarray | None,
    factor: int,
) -> tuple[np.ndarray, np.ndarray | None, int, np.ndarray, np.ndarray, np.ndarray] | None:
    """Make the sparse set ``keep`` (updated in place) hold a plan that places
    every must-place person and fills every post that must be filled.

    Must-place persons, then posts that must be filled, keep all their
    arcs when the sparse set cannot match them. Returns the values the
    auction works on with their posts that must be filled and factor (the
    folded values when some tier posts cannot all be filled) and the kept
    arcs (positions, persons, posts), or None when the must-place persons
    cannot be placed at all: the min-cost flow then names them.
    """
    pl, ql, may_leave = comp.pl, comp.ql, comp.may_leave
    idx = np.flatnonzero(keep)
    kp, kq = pl[idx], ql[idx]
    if not may_leave.all() and not comp.must_matchable(kp, kq):
        keep |= ~may_leave[pl]  # must-place persons keep all their arcs
        idx = np.flatnonzero(keep)
        kp, kq = pl[idx], ql[idx]
        if not comp.must_matchable(kp, kq):
            return None
    if post_must is not None and not covered(comp.n_p, comp.n_q, kp, kq, post_must, "posts"):
        keep |= post_must[ql]  # posts that must be filled keep all their arcs
        idx = np.flatnonzero(keep)
        kp, kq = pl[idx], ql[idx]
        if not covered(comp.n_p, comp.n_q, kp, kq, post_must, "posts"):
            value, post_must, factor = None, None, 1  # some tier posts cannot be filled: fold
        comp.log.append({"post_arcs_added": True, "staged": post_must is not None})
    if value is None:
        value = np.negative(comp.folded())
    return value, post_must, factor, idx, kp, kq


def auction_rounds(
    comp: Component,
    keep: np.ndarray,
    value: np.ndarray | None = None,
    post_must: np.ndarray | None = None,
    factor: int = 1,
) -> np.ndarray | None:
    """Solve on the sparse arc set ``keep`` by auction; certify on every arc.

    ``value``, ``post_must``, ``factor``: the staged values of
    :func:`~solvers.backends.certified.component.staged` (default: the
    folded values, no post must be filled, 1).

    The auction's potentials must satisfy the optimality conditions of
    :mod:`solvers.backends.certified.auction` on every arc of the component,
    the left-out ones included; arcs that break them are added and the
    auction restarts from its prices, unless they are at most
    ``repair_max``: then the exact potentials of the auction's plan and
    in-place repairs finish the proof. Returns the 0/1 flow per arc,
    proven optimal, or ``None`` (the caller falls back to the min-cost flow).
    """
    ready = _ready(comp, keep, value, post_must, factor)
    if ready is None:
        return None
    value, post_must, factor, idx, kp, kq = ready
    from solvers.backends.certified import auction as auction_mod  # numba: large rounds only

    s = comp.settings
    pl, ql = comp.pl, comp.ql
    res: AuctionResult | None = None
    chosen = np.zeros(0, dtype=np.int64)
    start_eps = 1
    for _ in range(s.sparse_rounds):
        if res is not None:  # a restart: the arcs were added to keep
            idx = np.flatnonzero(keep)
            kp, kq = pl[idx], ql[idx]
        t0 = time.perf_counter()
        sub_value = value[idx]
        start = None if res is None else np.searchsorted(idx, chosen)
        res = auction_mod.auction(
            comp.n_p,
            comp.n_q,
            kp,
            kq,
            sub_value,
            comp.may_leave,
            start=res,
            start_chosen=start,
            start_eps=start_eps,
            post_must=post_must,
            settings=s,
        )
        t1 = time.perf_counter()
        entry = _entry(comp, idx.size, t1 - t0, post_must, res)
        if res is None:  # gave up (logged)
            return None
        if not auction_mod.certify(
            res, comp.n_p, comp.n_q, kp, kq, sub_value, comp.may_leave, post_must
        ):
            entry["certificate"] = False
            return None
        chosen = idx[res.chosen]
        viol, short = auction_mod.violations(res, pl, ql, value, s)
        entry["check_s"] = round(time.perf_counter() - t1, 3)
        entry["violations"] = int(viol.size)
        if viol.size == 0:
            out = np.zeros(pl.size, dtype=np.int8)
            out[chosen] = 1
            return out
        if keep[viol].any():  # the auction's own arcs: its prices are wrong
            entry["certificate"] = False
            return None
        if viol.size <= s.repair_max:
            out = _exact_repair(comp, res, idx, sub_value, factor, keep, entry)
            if out is not None:
                return out
        start_eps = max(int(short.max()) // s.auction_theta, 1)
        _add_violated(comp, keep, viol, short, idx.size)
        entry["added"] = int(keep.sum() - idx.size)
    return None


def _entry(
    comp: Component,
    kept: int,
    seconds: float,
    post_must: np.ndarray | None,
    res: AuctionResult | None,
) -> dict:
    """The log entry of one auction round (``gave_up`` when it found no plan)."""
    entry: dict = {
        "arcs": int(kept),
        "method": "auction",
        "auction_s": round(seconds, 3),
        "must_fill": 0 if post_must is None else int(post_must.sum()),
    }
    if res is None:
        entry["gave_up"] = True
    else:
        entry["bids"] = res.bids
    comp.log.append(entry)
    return entry


def _exact_repair(
    comp: Component,
    res: AuctionResult,
    idx: np.ndarray,
    sub_value: np.ndarray,
    factor: int,
    keep: np.ndarray,
    entry: dict,
) -> np.ndarray | None:
    """A few arcs out of balance: exact potentials of the auction's plan
    (optimal on the kept arcs ``idx``) and repairs in place, which cost a
    fraction of a restart (a restart ripples through a tight matching).
    Returns the proven flow, or None."""
    t2 = time.perf_counter()
    cost = comp.folded()
    kp, kq = comp.pl[idx], comp.ql[idx]
    used = np.zeros(idx.size, dtype=bool)
    used[res.chosen] = True
    kept_cost = cost[idx]
    resid = Residual(comp.n_p, comp.n_q, kp, kq, kept_cost, used, comp.may_leave)
    start = auction_potentials(res, comp.n_q, kq, sub_value, kept_cost, factor, comp.may_leave)
    warm = start is not None and resid.set_potentials(start)
    entry["exact_from_auction"] = warm
    if not (warm or resid.compute_potentials(max_passes=20_000)):
        return None
    exact, rc = violations(resid, comp, cost, keep)
    entry["exact_violations"] = int(exact.size)
    out = repair(resid, idx, exact, rc, comp, cost, keep, entry)
    entry["exact_s"] = round(time.perf_counter() - t2, 3)
    return out


def _add_violated(
    comp: Component, keep: np.ndarray, viol: np.ndarray, gain: np.ndarray, kept: int
) -> None:
    """Add the violated arcs ``viol`` to ``keep``: all of them when that at
    most doubles the ``kept`` arcs, else each post's and each person's most
    violated (by ``gain``; all of them would be most of the graph after a
    poor first set: column generation)."""
    if viol.size <= kept:
        keep[viol] = True
        return
    s = comp.settings
    add = top_k_mask(
        comp.ql[viol], gain, comp.n_q, s.sparse_k_post, min_arcs=s.kernel_min_arcs
    ) | top_k_mask(comp.pl[viol], gain, comp.n_p, s.sparse_k_person, min_arcs=s.kernel_min_arcs)
    keep[viol[add]] = True


def flow_rounds(comp: Component, cost: np.ndarray, keep: np.ndarray) -> np.ndarray | None:
    """Solve on a sparse arc set with the min-cost flow, certify with duals;
    None to fall back.

    ``keep`` is the first sparse set; if its must-place persons cannot all
    be placed, every arc of a must-place person is added.

    Returns the 0/1 flow per arc (all arcs), proven optimal.
    """
    pl, ql, may_leave = comp.pl, comp.ql, comp.may_leave
    for _ in range(comp.settings.sparse_rounds):
        idx = np.flatnonzero(keep)
        t0 = time.perf_counter()
        try:
            flow = run_mcf(comp.n_p, comp.n_q, pl[idx], ql[idx], cost[idx], may_leave)
        except InfeasibleCore:
            must_arcs = ~may_leave[pl]
            if not (must_arcs & ~keep).any():
                raise
            keep |= must_arcs  # must-place persons keep all their arcs (feasibility)
            comp.log.append({"arcs": int(idx.size), "infeasible": True})
            continue
        t1 = time.perf_counter()
        res = Residual(comp.n_p, comp.n_q, pl[idx], ql[idx], cost[idx], flow > 0, may_leave)
        if not res.compute_potentials(max_passes=20_000):
            return None
        t2 = time.perf_counter()
        viol, rc_viol = violations(res, comp, cost, keep)
        entry = {
            "arcs": int(idx.size),
            "flow_s": round(t1 - t0, 3),
            "duals_s": round(t2 - t1, 3),
            "violations": int(viol.size),
        }
        comp.log.append(entry)
        out = repair(res, idx, viol, rc_viol, comp, cost, keep, entry)
        if out is not None:
            return out
        if viol.size <= comp.settings.repair_max:  # repaired, not yet proven: solve again
            continue
        before = int(keep.sum())
        _add_violated(comp, keep, viol, -rc_viol, idx.size)
        entry["added"] = int(keep.sum()) - before
    return None
