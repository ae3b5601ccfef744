"""A forward/reverse auction for the assignment network, with its certificate.

OR-Tools' min-cost flow is exact and general, but on a large sparse
assignment it spends seconds where an auction spends a fraction of one.
This module solves the same network as :func:`solvers.backends.mcf.run_mcf`
(persons with supply 1, posts of capacity 1, an "unplaced" option for
persons who may stay unplaced) by Bertsekas' auction with epsilon-scaling,
compiled with numba, and returns the plan together with its dual prices.

The auction is never trusted on its own: :func:`certify` checks the prices
against every arc of the component (those the auction saw and those it did
not) with a few vectorised comparisons that share no code with the auction.
When the check passes, the plan is optimal (the argument is in
:func:`certify`); when it fails, the caller adds the violated arcs or falls
back to OR-Tools.

Dual variables (maximisation form, values scaled by ``S``, see
:func:`scale`): a potential ``u[i]`` per person and ``v[j]`` per post, with
``eps``-complementary slackness:

1. every arc ``(i, j)``: ``u[i] + v[j] >= a[i, j] - eps``;
2. every chosen arc: ``u[i] + v[j] <= a[i, j] + eps``;
3. a person who may stay unplaced, and a post that may stay unfilled:
   potential ``>= -eps`` if matched, ``<= eps`` if not; a must-place
   person, and a post that must be filled, is matched.

In the residual graph of the flow (potentials ``u`` on persons, ``-v`` on
posts, 0 on the sink) these say that every residual arc has a reduced cost
of at least ``-eps``.

Algorithm
---------
The matching is symmetric, so either side may bid: *bidders* have a profit
(their potential) and *objects* a price (theirs). The smaller side bids
(on the 50,000 x 30,000 bench, posts bidding for persons took 0.99 M bids,
persons bidding for posts 1.75 M). Each phase (``eps`` divided by
``Settings.auction_theta`` down to 1)

* lowers the price of each held object until its holder is within the new
  ``eps`` of its second best (its winning bid left it a whole old ``eps``
  below; this halved the bids measured on the bench), and keeps the
  assignments that satisfy the conditions;
* runs a *forward* stage: unassigned bidders bid, in FIFO order, for their
  best object (or stay alone when nothing is worth more than ``eps`` to
  them and they may), raising its price by the margin over their second
  best plus ``eps`` and displacing its holder, until no bidder is active;
* runs a *reverse* stage: unassigned objects priced above ``eps`` (or
  that must be matched: must-place persons when posts bid, posts that
  must be filled when persons bid) lower their price to attract their
  best bidder, taking it from its object, which may in turn become
  active; an object that may stay alone and finds no one worth it drops
  its price to 0.

Forward bids never leave an object alone and reverse bids never leave a
bidder alone, so one forward and one reverse stage end a phase. Once eps
is a small fraction of a value unit (``Settings.auction_exact_from``), a phase's plan is
often optimal already: each such phase ends with an attempt at exact
potentials for it (:func:`_exact_potentials`: the potentials rounded to
whole units, then label-correcting), and a success ends the auction (on
the 50,000 x 30,000 bench after 4 phases instead of 7, 0.40 M bids
instead of 0.59 M). Each
bidder's arcs are stored best value first, and a scan stops once no price
can lift a later arc above what it has found. References: D. P.
Bertsekas and D. A. Castañón, "A forward/reverse auction algorithm for
asymmetric assignment problems", Computational Optimization and
Applications 1 (1992); D. P. Bertsekas, *Network Optimization* (1998),
ch. 7.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numba as nb
import numpy as np

from solvers.settings import Settings

__all__ = ["AuctionResult", "auction", "certify", "scale", "violations", "warm_up"]

#: Prices above this mean an infeasible or ill-scaled problem: give up.
_PRICE_CAP = 1 << 61
_NEG = np.iinfo(np.int64).min // 4


@dataclass
class AuctionResult:
    """Plan and prices of an auction (values scaled by ``scale``)."""

    chosen: np.ndarray  # indices of the chosen arcs, ascending
    u: np.ndarray  # potential per person (its profit when persons bid)
    v: np.ndarray  # potential per post (its price when persons bid)
    scale: int
    bids: int
    phases: int
    bidders: str  # "persons" or "posts"


def scale(n_p: int, n_q: int) -> int:
    """The factor values are multiplied by: the residual graph's nodes plus one.

    With every value a multiple of ``S = n_p + n_q + 2`` and every residual
    arc's reduced cost at least ``-1``, a cycle (at most ``n_p + n_q + 1``
    arcs) costs more than ``-S``, so it costs at least 0: no negative cycle,
    the flow is optimal.
    """
    return n_p + n_q + 2


@nb.njit(cache=True, nogil=True)
def _min_price(price: np.ndarray) -> int:
    low = 0
    for j in range(price.size):
        if price[j] < low:
            low = price[j]
    return low


@nb.njit(cache=True, nogil=True)
def _push(queue: np.ndarray, queued: np.ndarray, tail: int, k: int) -> int:
    """Append ``k`` to the circular ``queue`` unless it is queued; the new tail."""
    if not queued[k]:
        queued[k] = True
        queue[tail] = k
        tail += 1
        if tail == queue.size:
            tail = 0
    return tail


@nb.njit(cache=True, nogil=True)
def _run(  # noqa: C901  (the inner loop of the large-scale path: see the docstring)
    bidder_arcs: tuple[np.ndarray, np.ndarray, np.ndarray],
    object_arcs: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    leave: tuple[np.ndarray, np.ndarray],
    state: tuple[np.ndarray, np.ndarray],
    params: tuple[int, int, int, int, int, int, int, int, int],
) -> tuple[np.ndarray, int, int, bool]:
    """Bidders ``0..n_b-1`` bid for objects ``0..n_o-1``: the phases of the
    auction, each a price adjustment, a forward and a reverse stage.

    ``bidder_arcs``: ``(ptr, col, a)``, each bidder's arcs best value first
    (:func:`_networks`); ``object_arcs``: ``(optr, orow, oarc, oa)``, each
    object's arcs; ``leave``: whether each bidder and each object may stay
    alone; ``state``: ``(price, arc)``, each object's price and each
    bidder's chosen arc (-1 for none), updated in place; ``params``:
    ``(n_b, n_o, eps0, theta, spread, max_bids, s, exact_eps, exact_work)``.
    Phases with ``1 < eps <= exact_eps`` end with an attempt at exact
    potentials (values are multiples of ``s``).

    One function of some 200 lines on purpose: it is the inner loop of the
    large-scale path (millions of arc reads per phase), and the stages
    share their queues, prices and ``pmin`` through local variables that
    numba keeps in registers; split into functions, they would pass a dozen
    arrays per call and each stage would be compiled apart from the others.
    """
    ptr, col, a = bidder_arcs
    optr, orow, oarc, oa = object_arcs
    b_leave, o_leave = leave
    price, arc = state
    n_b, n_o, eps0, theta, spread, max_bids, s, exact_eps, exact_work = params
    u = np.zeros(n_b, np.int64)
    owner = np.full(n_o, -1, np.int64)
    for i in range(n_b):
        if arc[i] >= 0:
            owner[col[arc[i]]] = i
    queue = np.empty(n_b + 1, np.int64)
    rqueue = np.empty(n_o + 1, np.int64)
    waiting = np.zeros(n_o, np.bool_)
    eps = max(eps0, 1)
    bids = 0
    phases = 0
    size = n_b + 1
    rsize = n_o + 1
    while True:
        phases += 1
        # arcs are sorted by value, best first: a scan stops once no price
        # (all at least pmin) can lift an arc above what it has found
        pmin = _min_price(price)
        # lower the price of each held object to within eps of its holder's
        # second best (its last bid left it a whole previous eps below)
        if phases > 1:
            for i in range(n_b):
                e = arc[i]
                if e < 0:
                    continue
                other = 0 if b_leave[i] else _NEG
                for f in range(ptr[i], ptr[i + 1]):
                    if a[f] - pmin <= other:
                        break
                    if f != e:
                        w = a[f] - price[col[f]]
                        if w > other:
                            other = w
                j = col[e]
                drop = other - (a[e] - price[j]) - eps
                if drop > 0:
                    if o_leave[j] and price[j] - drop < 0:
                        drop = price[j]
                    price[j] -= drop
                    if price[j] < pmin:
                        pmin = price[j]
        # keep the assignments that satisfy the conditions at this eps
        head = 0
        tail = 0
        for i in range(n_b):
            best = 0 if b_leave[i] else _NEG
            for e in range(ptr[i], ptr[i + 1]):
                if a[e] - pmin <= best:
                    break
                w = a[e] - price[col[e]]
                if w > best:
                    best = w
            e = arc[i]
            if e >= 0:
                w = a[e] - price[col[e]]
                if w >= best - eps:
                    u[i] = w
                    continue
                owner[col[e]] = -1
                arc[i] = -1
            queue[tail] = i
            tail += 1
        # forward stage: bidders bid
        while head != tail:
            i = queue[head]
            head += 1
            if head == size:
                head = 0
            best1 = _NEG
            best2 = _NEG
            eb = -1
            for e in range(ptr[i], ptr[i + 1]):
                if a[e] - pmin <= best2:
                    break
                w = a[e] - price[col[e]]
                if w > best1:
                    best2 = best1
                    best1 = w
                    eb = e
                elif w > best2:
                    best2 = w
            if b_leave[i]:
                if best1 <= eps:  # staying alone is good enough
                    u[i] = 0
                    continue
                if best2 < 0:
                    best2 = 0
            if eb < 0:
                return u, bids, phases, False
            if best2 == _NEG:
                best2 = best1 - spread - eps
            j = col[eb]
            price[j] += best1 - best2 + eps
            if price[j] > _PRICE_CAP:
                return u, bids, phases, False
            u[i] = best2 - eps
            old = owner[j]
            owner[j] = i
            arc[i] = eb
            if old >= 0:
                arc[old] = -1
                queue[tail] = old
                tail += 1
                if tail == size:
                    tail = 0
            bids += 1
            if bids > max_bids:
                return u, bids, phases, False
        # reverse stage: unassigned objects that are overpriced (or must be
        # assigned) lower their price to attract a bidder
        rhead = 0
        rtail = 0
        for j in range(n_o):
            if owner[j] < 0 and (price[j] > eps or not o_leave[j]):
                rtail = _push(rqueue, waiting, rtail, j)
        while rhead != rtail:
            j = rqueue[rhead]
            rhead += 1
            if rhead == rsize:
                rhead = 0
            waiting[j] = False
            if owner[j] >= 0:
                continue
            if o_leave[j] and price[j] <= eps:
                continue
            best1 = _NEG
            best2 = _NEG
            tb = -1
            for t in range(optr[j], optr[j + 1]):
                w = oa[t] - u[orow[t]]
                if w > best1:
                    best2 = best1
                    best1 = w
                    tb = t
                elif w > best2:
                    best2 = w
            if o_leave[j]:
                if best1 <= eps:  # nobody is worth attracting: alone at price 0
                    price[j] = 0  # pmin is at most 0 already
                    continue
                new = best2 - eps
                if new < 0:
                    new = 0
            else:
                if tb < 0:
                    return u, bids, phases, False
                if best2 == _NEG:
                    best2 = best1 - spread - eps
                new = best2 - eps
                if new < -_PRICE_CAP:
                    return u, bids, phases, False
            i = orow[tb]
            e = arc[i]
            if e >= 0:
                k = col[e]
                owner[k] = -1
                if price[k] > eps or not o_leave[k]:
                    rtail = _push(rqueue, waiting, rtail, k)
            price[j] = new
            if new < pmin:
                pmin = new
            owner[j] = i
            arc[i] = oarc[tb]
            u[i] = oa[tb] - new
            bids += 1
            if bids > max_bids:
                return u, bids, phases, False
        if eps == 1:
            return u, bids, phases, True
        if eps <= exact_eps and _exact_potentials(
            n_b, n_o, ptr, col, a, b_leave, o_leave, u, price, arc, owner, s, exact_work
        ):
            return u, bids, phases, True
        eps = max(1, eps // theta)


@nb.njit(cache=True, nogil=True)
def _exact_potentials(
    n_b: int,
    n_o: int,
    ptr: np.ndarray,
    col: np.ndarray,
    a: np.ndarray,
    b_leave: np.ndarray,
    o_leave: np.ndarray,
    u: np.ndarray,
    price: np.ndarray,
    arc: np.ndarray,
    owner: np.ndarray,
    s: int,
    exact_work: int,
) -> bool:
    """Try to turn the ``eps``-potentials of a phase's plan into exact ones.

    Values are multiples of ``s`` (one value unit). When the plan is
    optimal, potentials that are whole units and meet conditions 1-3 of the
    module docstring with ``eps = 0`` exist (LP duality; the values are
    integers). The phase's potentials are rounded to the nearest unit: an
    arc within ``eps`` of balance stays in balance unless its two ends'
    fractional parts straddle the rounding point, so when ``eps`` is a
    small fraction of a unit only a few arcs are out of balance, each by
    one unit. Label-correcting (FIFO; the node alone comes last, as its
    change reaches every node of its kind) then lowers potentials until
    every condition holds.

    The conditions are difference constraints ``x[k] <= x[l] + w`` on
    ``x = (u of bidders, -price of objects, 0 for being alone)``: an arc
    ``(b, o)``: ``-price[o] <= u[b] - a``; a chosen arc also
    ``u[b] <= -price[o] + a``; a matched bidder that may be alone:
    ``0 <= u[b]``, an unmatched one: ``u[b] <= 0``; and the same for
    objects. On success, ``u`` and ``price`` hold the exact potentials
    (in scaled units; an unmatched node that may be alone at 0, as the
    stages keep it) and True is returned; otherwise (the plan is not
    optimal, a negative cycle, or the work budget ``exact_work`` per arc
    and node is spent) nothing is changed and False is returned.

    Some 120 lines in one compiled function on purpose: the rounding, the
    FIFO label-correcting pass and the write-back share one work budget and
    a dozen flat arrays, and the pass is the inner loop that ends the
    auction early; split, each part would take every array as an argument.
    """
    n = n_b + n_o + 1
    z = n - 1  # the "alone" node, potential 0
    half = s // 2
    x = np.empty(n, np.int64)
    ymax = _NEG
    for b in range(n_b):
        x[b] = ((u[b] + half) // s) * s
    for o in range(n_o):
        y = ((half - price[o]) // s) * s
        x[n_b + o] = y
        if y > ymax:
            ymax = y
    x[z] = 0
    queue = np.empty(n, np.int64)
    queued = np.zeros(n, np.bool_)
    tail = 0
    for k in range(n - 1):
        tail = _push(queue, queued, tail, k)
    head = 0
    z_dirty = True  # its constraints are checked once at least
    budget = exact_work * (a.size + n)
    work = 0
    while True:
        if head == tail:  # empty (it holds n - 1 at most): the node alone's turn
            if not z_dirty:
                break
            z_dirty = False
            xz = x[z]
            work += n
            for b in range(n_b):  # unmatched bidders that may be alone
                if arc[b] < 0 and b_leave[b] and x[b] > xz:
                    x[b] = xz
                    tail = _push(queue, queued, tail, b)
            for o in range(n_o):  # matched objects that may be alone
                k = n_b + o
                if owner[o] >= 0 and o_leave[o] and x[k] > xz:
                    x[k] = xz
                    tail = _push(queue, queued, tail, k)
            continue
        k = queue[head]
        head += 1
        if head == n:
            head = 0
        queued[k] = False
        xk = x[k]
        if k < n_b:
            # objects of b's arcs; arcs are best value first, and an object's
            # potential is at most ymax: the scan stops there
            for e in range(ptr[k], ptr[k + 1]):
                lim = xk - a[e]
                if lim >= ymax:
                    break
                work += 1
                y = n_b + col[e]
                if x[y] > lim:
                    x[y] = lim
                    tail = _push(queue, queued, tail, y)
            if arc[k] >= 0 and b_leave[k] and xk < x[z]:
                x[z] = xk
                z_dirty = True
        else:
            o = k - n_b
            b = owner[o]
            if b >= 0:  # the chosen arc, the other way
                lim = xk + a[arc[b]]
                if x[b] > lim:
                    x[b] = lim
                    tail = _push(queue, queued, tail, b)
            elif o_leave[o] and xk < x[z]:
                x[z] = xk
                z_dirty = True
        work += 1
        if work > budget:
            return False
    # an unmatched node that may be alone goes to 0, as the stages keep it
    # (a restart from these prices relies on it): its bound towards 0 is
    # its only constraint that moving to 0 could break, and the others
    # only gain slack
    xz = x[z]
    for b in range(n_b):
        u[b] = 0 if arc[b] < 0 and b_leave[b] else x[b] - xz
    for o in range(n_o):
        price[o] = 0 if owner[o] < 0 and o_leave[o] else xz - x[n_b + o]
    return True


@nb.njit(cache=True, nogil=True)
def _offsets(ids: np.ndarray, n: int) -> np.ndarray:
    """CSR offsets of ``ids`` (each in ``0..n-1``): ``ptr[k]`` = how many are below ``k``."""
    ptr = np.zeros(n + 1, np.int64)
    for e in range(ids.size):
        ptr[ids[e] + 1] += 1
    for k in range(n):
        ptr[k + 1] += ptr[k]
    return ptr


@nb.njit(cache=True, nogil=True)
def _networks(
    n_b: int, n_o: int, b: np.ndarray, o: np.ndarray, value: np.ndarray, s: int
) -> tuple[
    np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray
]:
    """The arcs by bidder (best value first, ties in input order) and by object.

    Returns ``ptr, col, a, border`` (bidder CSR: object, scaled value, input
    position of each arc) and ``optr, orow, oarc, oa`` (object CSR: bidder,
    position in the bidder CSR, scaled value).
    """
    m = b.size
    ptr = _offsets(b, n_b)
    fill = ptr[:-1].copy()
    border = np.empty(m, np.int64)
    for e in range(m):  # counting sort by bidder: input order within a bidder
        border[fill[b[e]]] = e
        fill[b[e]] += 1
    key = np.empty(m, np.int64)
    for k in range(m):  # values in bidder order: the sorts below read them in sequence
        key[k] = value[border[k]]
    for i in range(n_b):  # each bidder's arcs by value, best first (stable)
        lo, hi = ptr[i], ptr[i + 1]
        if hi - lo <= 256:
            for k in range(lo + 1, hi):
                e = border[k]
                v = key[k]
                p = k
                while p > lo and key[p - 1] < v:
                    border[p] = border[p - 1]
                    key[p] = key[p - 1]
                    p -= 1
                border[p] = e
                key[p] = v
        else:
            order = np.argsort(-key[lo:hi], kind="mergesort")
            border[lo:hi] = border[lo:hi][order]
            key[lo:hi] = key[lo:hi][order]
    col = np.empty(m, np.int64)
    a = np.empty(m, np.int64)
    for k in range(m):
        col[k] = o[border[k]]
        a[k] = key[k] * s
    optr = _offsets(o, n_o)
    orow = np.empty(m, np.int64)
    oarc = np.empty(m, np.int64)
    oa = np.empty(m, np.int64)
    ordered = True
    for e in range(1, m):
        if o[e] < o[e - 1]:
            ordered = False
            break
    if ordered:  # arcs sorted by object (persons when posts bid): in place
        for e in range(m):
            orow[e] = b[e]
            oa[e] = value[e] * s
        for k in range(m):
            oarc[border[k]] = k
    else:
        ofill = optr[:-1].copy()
        for i in range(n_b):
            for k in range(ptr[i], ptr[i + 1]):
                t = ofill[col[k]]
                ofill[col[k]] += 1
                orow[t] = i
                oarc[t] = k
                oa[t] = a[k]
    return ptr, col, a, border, optr, orow, oarc, oa


def auction(
    n_p: int,
    n_q: int,
    pl: np.ndarray,
    ql: np.ndarray,
    value: np.ndarray,
    may_leave: np.ndarray,
    *,
    bidders: str = "auto",
    start: AuctionResult | None = None,
    start_chosen: np.ndarray | None = None,
    start_eps: int = 1,
    max_bids: int | None = None,
    post_must: np.ndarray | None = None,
    settings: Settings | None = None,
) -> AuctionResult | None:
    """Maximum-value assignment of the network by forward/reverse auction.

    Parameters
    ----------
    n_p, n_q
        Number of (local) persons and posts.
    pl, ql
        Person and post of each arc.
    value
        Integer value of each arc (maximised).
    may_leave
        Whether each person may stay unplaced (a post may always stay unfilled).
    bidders
        ``"persons"``, ``"posts"`` or ``"auto"``: the smaller side bids.
    start, start_chosen
        A previous result on a subset of these arcs, and its chosen arcs as
        indices into these arrays: the auction restarts from its prices (the
        arcs added since are the only ones out of balance).
    start_eps
        The first epsilon of a restart (scaled units): about the largest
        shortfall of an added arc, divided by ``auction_theta``.
    max_bids, post_must
        Give up after this many bids (default: 100 per arc and node); whether
        each post must be filled (default: none must).
    settings
        ``auction_theta``, ``auction_exact_from`` and ``auction_exact_work``.

    Returns
    -------
    AuctionResult or None
        ``None`` when the auction gave up (must-place persons that cannot all
        be placed, values too large to scale): the min-cost flow takes over.
    """
    settings = Settings() if settings is None else settings
    s = scale(n_p, n_q)
    if start is not None:
        bidders = start.bidders
    elif bidders == "auto":
        bidders = "posts" if n_q < n_p else "persons"
    if pl.size == 0:
        return _no_arcs(n_p, n_q, s, bidders)
    vmax, vmin = int(value.max()), int(value.min())
    if max(abs(vmax), abs(vmin), vmax - vmin) * s * 8 >= _PRICE_CAP:
        return None
    b, o, b_leave, o_leave = _sides(pl, ql, may_leave, post_must, n_q, bidders)
    n_b, n_o = (n_p, n_q) if bidders == "persons" else (n_q, n_p)
    value = np.ascontiguousarray(value, dtype=np.int64)
    ptr, col, a, border, optr, orow, oarc, oa = _networks(n_b, n_o, b, o, value, s)
    spread = (max(vmax, 0) - min(vmin, 0) + 1) * s
    price, arc = _start_state(n_b, n_o, b, border, start, start_chosen, bidders)
    eps0 = max(spread // settings.auction_theta, 1) if start is None else max(int(start_eps), 1)
    budget = 100 * (pl.size + n_p + n_q) if max_bids is None else max_bids
    exact = (s // settings.auction_exact_from, settings.auction_exact_work)
    params = (n_b, n_o, eps0, settings.auction_theta, spread, budget, s, *exact)
    u, bids, phases, ok = _run(
        (ptr, col, a), (optr, orow, oarc, oa), (b_leave, o_leave), (price, arc), params
    )
    if not ok:
        return None
    chosen = np.sort(border[arc[arc >= 0]])
    u_p, v_q = (u, price) if bidders == "persons" else (price, u)
    return AuctionResult(chosen, u_p, v_q, s, int(bids), int(phases), bidders)


def _no_arcs(n_p: int, n_q: int, s: int, bidders: str) -> AuctionResult:
    """The result without arcs: nobody placed, every potential 0, no bid."""
    none = np.zeros(0, np.int64)
    return AuctionResult(none, np.zeros(n_p, np.int64), np.zeros(n_q, np.int64), s, 0, 0, bidders)


def _sides(
    pl: np.ndarray,
    ql: np.ndarray,
    may_leave: np.ndarray,
    post_must: np.ndarray | None,
    n_q: int,
    bidders: str,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Each arc's bidder and object, and whether each bidder and each object
    may stay alone, for ``bidders`` (``"persons"`` or ``"posts"``).

    One dtype for every call (int64 ids, bool flags): each new combination
    of array types would be compiled again.
    """
    leave_p = may_leave.astype(np.bool_)
    leave_q = np.ones(n_q, np.bool_) if post_must is None else ~post_must.astype(np.bool_)
    if bidders == "persons":
        b, o, b_leave, o_leave = pl, ql, leave_p, leave_q
    else:
        b, o, b_leave, o_leave = ql, pl, leave_q, leave_p
    b = np.ascontiguousarray(b, dtype=np.int64)
    o = np.ascontiguousarray(o, dtype=np.int64)
    return b, o, b_leave, o_leave


def _start_state(
    n_b: int,
    n_o: int,
    b: np.ndarray,
    border: np.ndarray,
    start: AuctionResult | None,
    start_chosen: np.ndarray | None,
    bidders: str,
) -> tuple[np.ndarray, np.ndarray]:
    """Objects' prices and bidders' chosen arcs (positions in the bidders'
    arc lists, -1 for none) to start from: zero and none, or a previous
    result's prices and plan (a restart after arcs were added)."""
    arc = np.full(n_b, -1, np.int64)
    if start is None:
        return np.zeros(n_o, np.int64), arc
    price = (start.v if bidders == "persons" else start.u).copy()
    if start_chosen is not None and start_chosen.size:
        where = np.empty(border.size, np.int64)
        where[border] = np.arange(border.size)
        arc[b[start_chosen]] = where[start_chosen]
    return price, arc


def certify(
    res: AuctionResult,
    n_p: int,
    n_q: int,
    pl: np.ndarray,
    ql: np.ndarray,
    value: np.ndarray,
    may_leave: np.ndarray,
    post_must: np.ndarray | None = None,
) -> bool:
    """Whether ``res``'s potentials prove its plan optimal, but for condition 1.

    ``pl``, ``ql``, ``value`` are the arcs ``res`` was computed on and
    ``res.chosen`` indexes them. Checks conditions 2-4 (module docstring)
    with ``eps = 1``; condition 1 is checked by :func:`violations` on every
    arc of the component, the left-out ones included. Together, with values
    scaled by :func:`scale`, they leave no negative cycle in the residual
    graph: the plan is optimal for the component. A post that must be
    filled (``post_must``) is held to condition 3 as a must-place person
    is: it must be filled, and its potential may have any sign.
    """
    s, t = res.scale, 1
    u, v = res.u, res.v
    p, q = pl[res.chosen], ql[res.chosen]
    placed = np.zeros(n_p, dtype=bool)
    placed[p] = True
    filled = np.zeros(n_q, dtype=bool)
    filled[q] = True
    if int(placed.sum()) != p.size or int(filled.sum()) != q.size:
        return False  # a person or a post used twice
    if (~placed & ~may_leave).any():  # a must-place person left out
        return False
    slack = u[p] + v[q] - value[res.chosen].astype(np.int64) * s
    if (slack > t).any() or (slack < -t).any():
        return False
    free = np.ones(n_q, dtype=bool) if post_must is None else ~post_must.astype(bool)
    if (~filled & ~free).any():  # a post that must be filled left empty
        return False
    if (v[~filled] > t).any() or (v[filled & free] < -t).any():
        return False
    leave = may_leave.astype(bool)
    return not ((u[placed & leave] < -t).any() or (u[~placed & leave] > t).any())


def violations(
    res: AuctionResult,
    pl: np.ndarray,
    ql: np.ndarray,
    value: np.ndarray,
    settings: Settings | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Arcs breaking condition 1, ``u[i] + v[j] >= S * a[i, j] - 1``, and by how much.

    Returns the arc positions and their (scaled) shortfalls. One compiled
    pass (:func:`solvers.kernels.short_arcs`, no code shared with the
    auction), without per-arc temporaries: the arc set can be tens of
    millions. In two threads from ``settings.split_min_arcs`` arcs in each
    half, when there is a second core.
    """
    from solvers.kernels import as_ids, short_arcs

    settings = Settings() if settings is None else settings
    pl, ql = as_ids(pl), as_ids(ql)
    value = np.ascontiguousarray(value, dtype=np.int64)
    half = pl.size // 2
    if half < settings.split_min_arcs or settings.threads < 2:
        return short_arcs(res.u, res.v, pl, ql, value, res.scale)
    # two halves in two threads (the compiled pass releases the GIL)
    with ThreadPoolExecutor(1) as pool:
        second = pool.submit(
            short_arcs, res.u, res.v, pl[half:], ql[half:], value[half:], res.scale
        )
        bad, short = short_arcs(res.u, res.v, pl[:half], ql[:half], value[:half], res.scale)
        bad2, short2 = second.result()
    return np.concatenate([bad, bad2 + half]), np.concatenate([short, short2])


def warm_up() -> float:
    """Load (or, the first time on a machine, compile) the compiled functions.

    numba compiles on a function's first call and caches the machine code
    on disk; a process pays a fraction of a second to load it. A service or
    a benchmark calls this once up front. Returns the seconds it took.
    """
    from solvers.kernels import (
        arc_stats,
        arc_summary,
        components,
        fold_values,
        mark_best,
        mark_best_runs,
        negative_arcs,
        repeats_of_run,
    )

    t0 = time.perf_counter()
    one = np.array([0, 1], dtype=np.int64)
    res = auction(2, 2, one, one, np.array([3, 4], dtype=np.int64), np.ones(2, dtype=bool))
    assert res is not None
    # each array type is its own compiled version, and a read-only array is
    # a type of its own: a problem's scores, home posts and canonical order
    # are read-only, arrays made on the way are not
    frozen = one.copy()
    frozen.flags.writeable = False
    for ids in (one, frozen):  # a new problem's arrays, or another problem's
        arc_summary(ids, ids, ids)
        repeats_of_run(ids, ids, 1)
    # node ids: int32 or int64, or a problem's own (read-only) arrays
    for ids in (one, one.astype(np.int32), frozen):
        _, labels = components(ids, ids, 2, 2)
        for value in (one, frozen):
            violations(res, ids, ids, value)
            mark_best(ids, value, 0, 2, 1, 1, 1, np.zeros(2, dtype=bool))
            mark_best_runs(ids, value, 1, 1, 1, np.zeros(2, dtype=bool))
            arc_stats(frozen, value, ids, ids, labels, 2, 2, 2)  # value: the arc indices
            fold_values(frozen, value, ids, ids, labels, one, frozen, True, one[:0])
        negative_arcs(np.zeros(5, np.int64), 2, ids, ids, one, np.zeros(2, dtype=bool))
    return time.perf_counter() - t0
