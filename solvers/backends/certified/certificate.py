"""The certificate of a sparse optimum, and its repair in place.

OR-Tools does not expose node potentials, so :class:`solvers.duals.Residual`
recovers them from the residual graph of an optimal flow on the sparse
arc set. With those potentials every arc of the component, kept or not,
has a reduced cost; if no left-out arc has a negative one, the sparse
optimum is optimal for all arcs: a proof (:func:`violations`,
:func:`certificate_ok`). A few violating arcs are added one by one, each
by one shortest path that pushes flow round the negative cycle it closes
(:func:`repair`); the auction's potentials, when they are whole units,
start the exact ones (:func:`auction_potentials`).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import numpy as np

from solvers.backends.certified.component import Component
from solvers.duals import Residual

if TYPE_CHECKING:  # the compiled auction is imported by large rounds only (numba)
    from solvers.backends.certified.auction import AuctionResult

__all__ = ["auction_potentials", "certificate_ok", "repair", "violations"]


def violations(
    res: Residual, comp: Component, cost: np.ndarray, keep: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Arcs outside ``keep`` with a negative reduced cost, and those costs.

    One compiled pass on large arc sets; numpy in chunks on the rest (the
    arc set can be tens of millions of arcs).
    """
    assert res.d is not None
    pl, ql, s = comp.pl, comp.ql, comp.settings
    if pl.size >= s.kernel_min_arcs:
        from solvers.kernels import as_ids, negative_arcs

        return negative_arcs(res.d, res.n_p, as_ids(pl), as_ids(ql), cost, keep)
    found, costs = [], []
    for a in range(0, pl.size, s.chunk_arcs):
        b = a + s.chunk_arcs
        rc = res.reduced_costs(pl[a:b], ql[a:b], cost[a:b])
        bad = np.flatnonzero((rc < 0) & ~keep[a:b])
        found.append(bad + a)
        costs.append(rc[bad])
    if not found:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(found), np.concatenate(costs)


def certificate_ok(res: Residual) -> bool:
    """Whether every residual arc of ``res`` has a non-negative reduced cost."""
    t, h, c = res.arcs()
    assert res.d is not None
    return bool(((c + res.d[t] - res.d[h]) >= 0).all())


def repair(
    res: Residual,
    idx: np.ndarray,
    viol: np.ndarray,
    rc_viol: np.ndarray,
    comp: Component,
    cost: np.ndarray,
    keep: np.ndarray,
    entry: dict,
) -> np.ndarray | None:
    """The 0/1 flow on all arcs if ``res`` (the optimum on arcs ``idx``, with
    potentials) proves it optimal, possibly after adding a few violated arcs.

    Up to ``repair_max`` violating arcs are added one by one, most negative
    first, each by one shortest path that pushes flow round the negative
    cycle it closes and keeps the potentials valid. Returns None (with the
    arcs it added, and those still violated, marked in ``keep``) when the
    plan is not proven.
    """
    pl, ql = comp.pl, comp.ql
    if viol.size == 0:
        out = np.zeros(pl.size, dtype=np.int8)
        out[idx] = res.used
        return out
    if viol.size > comp.settings.repair_max:
        return None
    t3 = time.perf_counter()
    worst_first = viol[np.argsort(rc_viol, kind="stable")]
    for a in worst_first:
        res.add_arc(int(pl[a]), int(ql[a]), int(cost[a]))
    entry["repair_s"] = round(time.perf_counter() - t3, 3)
    idx2 = np.concatenate([idx, worst_first])
    keep[viol] = True
    viol2, _ = violations(res, comp, cost, keep)
    entry["violations_after_repair"] = int(viol2.size)
    if viol2.size == 0 and certificate_ok(res):
        out = np.zeros(pl.size, dtype=np.int8)
        out[idx2] = res.used
        return out
    keep[viol2] = True
    return None


def auction_potentials(
    res: AuctionResult,
    n_q: int,
    kq: np.ndarray,
    value: np.ndarray,
    cost: np.ndarray,
    factor: int,
    may_leave: np.ndarray,
) -> np.ndarray | None:
    """The auction's potentials as :class:`Residual` potentials of the folded
    costs ``cost`` of the arcs it ran on (posts ``kq``, its values
    ``value``), or None.

    Only exact potentials (whole value units, see
    :func:`solvers.backends.certified.auction._exact_potentials`) carry
    over. Each folded value is ``factor`` times the auction's value plus a
    term of its post (the tier's weight, less one point without a stay arc
    on the moves level): persons' potentials are multiplied by ``factor``,
    posts' too, plus their term. When every person must be placed,
    persons' and posts' potentials may move against each other (every plan
    uses each person once): they move so that no filled post's potential
    is negative, as the flow's post-to-sink arcs ask. The caller checks the
    result on every residual arc (:meth:`Residual.set_potentials`).
    """
    s = res.scale
    if (res.u % s).any() or (res.v % s).any():
        return None  # the potentials of eps = 1: not whole units
    term = np.zeros(n_q, dtype=np.int64)
    term[kq] = -cost - factor * value  # the same on each arc of a post
    u = (res.u // s) * factor
    v = (res.v // s) * factor + term
    if not may_leave.any() and res.chosen.size:
        shift = max(0, -int(v[kq[res.chosen]].min()))
        u -= shift
        v += shift
    return np.concatenate([u, -v, np.zeros(1, dtype=np.int64)])
