"""Compiled passes of the sparse core (:mod:`solvers.backends.core`) over the
whole arc set: the first core's picks, the pricing of every arc against a
stage's potentials, and the restriction to a stage's optimal face.

An arc's cost in a stage is never stored per arc: it is made on the fly
from the post's tier term ``cq[q]``, the score weight ``ws`` and the moves
weight ``wm`` (``cq[q] - ws * score + wm * nonstay``), so no pass makes an
int64 copy of the arcs. ``garc`` maps each local arc to the problem's arc
(whose ``score`` and ``stay`` are read in place); an arc is open when its
``state`` is 0 (1: off the face, 2: fixed) and its person and post are
still in the network.
"""

from __future__ import annotations

import numba as nb
import numpy as np

__all__ = ["pick_core", "price_arcs", "restrict_face", "score_range"]

_BIG = np.iinfo(np.int64).max


@nb.njit(cache=True, nogil=True, inline="always")
def _cost(a, ql, garc, score, stay, cq, ws, wm):
    g = garc[a]
    c = cq[ql[a]] - ws * np.int64(score[g])
    if wm != 0 and not stay[g]:
        c += wm
    return c


@nb.njit(cache=True, nogil=True)
def score_range(garc: np.ndarray, score: np.ndarray) -> tuple[int, int]:
    """Largest and smallest score of the arcs ``garc`` (0 when none)."""
    hi = np.int64(0)
    lo = np.int64(0)
    for a in range(garc.size):
        s = np.int64(score[garc[a]])
        hi = max(hi, s)
        lo = min(lo, s)
    return hi, lo


@nb.njit(cache=True, nogil=True)
def _insert(costs, keys, arcs, row, c, h, a):
    """Insert ``(c, h, a)`` into row ``row`` of a list sorted by ``(c, h)``,
    dropping the last entry, when it is better than that entry."""
    k = costs.shape[1]
    if c > costs[row, k - 1] or (c == costs[row, k - 1] and h >= keys[row, k - 1]):
        return
    j = k - 1
    while j > 0 and (c < costs[row, j - 1] or (c == costs[row, j - 1] and h < keys[row, j - 1])):
        costs[row, j] = costs[row, j - 1]
        keys[row, j] = keys[row, j - 1]
        arcs[row, j] = arcs[row, j - 1]
        j -= 1
    costs[row, j] = c
    keys[row, j] = h
    arcs[row, j] = a


@nb.njit(cache=True, nogil=True)
def pick_core(
    pl: np.ndarray,
    ql: np.ndarray,
    garc: np.ndarray,
    score: np.ndarray,
    stay: np.ndarray,
    cq: np.ndarray,
    ws: int,
    wm: int,
    open_p: np.ndarray,
    open_q: np.ndarray,
    want: np.ndarray,
    kp: int,
    kq: int,
) -> np.ndarray:
    """The first core: each person's ``kp`` and each post's ``kq`` cheapest
    arcs (ties by a fixed scatter of the arc index, so that tied persons
    spread over tied posts), every stay arc, and the arc of each person to
    the post ``want`` names (a warm start; -1: none). Sorted, distinct."""
    n_p, n_q = open_p.size, open_q.size
    pc = np.full((n_p, kp), _BIG, np.int64)
    ph = np.zeros((n_p, kp), np.int64)
    pa = np.full((n_p, kp), -1, np.int64)
    qc = np.full((n_q, kq), _BIG, np.int64)
    qh = np.zeros((n_q, kq), np.int64)
    qa = np.full((n_q, kq), -1, np.int64)
    extra = np.full(2 * n_p, -1, np.int64)  # a stay and a wanted arc per person
    n_extra = 0
    for a in range(pl.size):
        p, q = pl[a], ql[a]
        if not (open_p[p] and open_q[q]):
            continue
        if stay[garc[a]] or want[p] == q:
            extra[n_extra] = a
            n_extra += 1
        c = _cost(a, ql, garc, score, stay, cq, ws, wm)
        h = (np.int64(a) * np.int64(2654435761)) & np.int64(0xFFFFFFFF)
        _insert(pc, ph, pa, p, c, h, a)
        _insert(qc, qh, qa, q, c, h, a)
    out = np.concatenate((pa.ravel(), qa.ravel(), extra[:n_extra]))
    out = out[out >= 0]
    return np.unique(out)


@nb.njit(cache=True, nogil=True)
def price_arcs(
    pl: np.ndarray,
    ql: np.ndarray,
    garc: np.ndarray,
    score: np.ndarray,
    stay: np.ndarray,
    cq: np.ndarray,
    ws: int,
    wm: int,
    state: np.ndarray,
    open_p: np.ndarray,
    open_q: np.ndarray,
    at: np.ndarray,
    d_p: np.ndarray,
    d_q: np.ndarray,
    kp: int,
    kq: int,
) -> tuple[int, np.ndarray]:
    """Every open arc that the flow does not use (``at[p]``: the post person
    ``p`` holds, -1 if none) priced against the potentials: the number with
    a negative reduced cost ``cost + d_p[p] - d_q[q]``, and each person's
    ``kp`` and each post's ``kq`` most negative ones (ties by the scatter of
    :func:`pick_core`), sorted and distinct."""
    n_p, n_q = open_p.size, open_q.size
    pc = np.zeros((n_p, kp), np.int64)  # only negative reduced costs enter
    ph = np.zeros((n_p, kp), np.int64)
    pa = np.full((n_p, kp), -1, np.int64)
    qc = np.zeros((n_q, kq), np.int64)
    qh = np.zeros((n_q, kq), np.int64)
    qa = np.full((n_q, kq), -1, np.int64)
    count = 0
    for a in range(pl.size):
        if state[a] != 0:
            continue
        p, q = pl[a], ql[a]
        if not (open_p[p] and open_q[q]) or at[p] == q:
            continue
        rc = _cost(a, ql, garc, score, stay, cq, ws, wm) + d_p[p] - d_q[q]
        if rc < 0:
            count += 1
            h = (np.int64(a) * np.int64(2654435761)) & np.int64(0xFFFFFFFF)
            _insert(pc, ph, pa, p, rc, h, a)
            _insert(qc, qh, qa, q, rc, h, a)
    out = np.concatenate((pa.ravel(), qa.ravel()))
    return count, np.unique(out[out >= 0])


@nb.njit(cache=True, nogil=True)
def restrict_face(
    pl: np.ndarray,
    ql: np.ndarray,
    garc: np.ndarray,
    score: np.ndarray,
    stay: np.ndarray,
    cq: np.ndarray,
    ws: int,
    wm: int,
    state: np.ndarray,
    open_p: np.ndarray,
    open_q: np.ndarray,
    d_p: np.ndarray,
    d_q: np.ndarray,
) -> np.ndarray:
    """Keep the optimal face of a stage whose optimal potentials are
    ``d_p, d_q``: an open arc of positive reduced cost leaves it
    (``state`` 1), one of negative reduced cost is fixed (``state`` 2, in
    every optimum); the fixed arcs are returned (at most one per person)."""
    fixed = np.empty(open_p.size, np.int64)
    n_fixed = 0
    for a in range(pl.size):
        if state[a] != 0:
            continue
        p, q = pl[a], ql[a]
        if not (open_p[p] and open_q[q]):
            state[a] = 1
            continue
        rc = _cost(a, ql, garc, score, stay, cq, ws, wm) + d_p[p] - d_q[q]
        if rc > 0:
            state[a] = 1
        elif rc < 0:
            state[a] = 2
            if n_fixed < fixed.size:
                fixed[n_fixed] = a
            n_fixed += 1
    if n_fixed > fixed.size:  # pragma: no cover - duals would not be optimal
        raise RuntimeError("more fixed arcs than persons")
    return fixed[:n_fixed]
