"""Compiled passes of the sparse core (:mod:`solvers.backends.core`) over the
whole arc set: the open arcs' statistics, the first core's picks, the
pricing of every arc against a stage's potentials, and the restriction to
a stage's optimal face.

The passes read the problem's own arrays in place and in its own order
(``person``, ``post``, ``score``: no canonical copy, no gather): an arc's
cost in a stage is never stored per arc but made on the fly from its post's
tier term ``cq[q]``, the score weight ``ws`` and the moves weight ``wm``
(``cq[q] - ws * score + wm * nonstay``, a stay being ``home[p] == q``), so
no pass makes an int64 array the length of the arcs. An arc is open when
its ``state`` is 0 (1: off the face or banned, 2: fixed) and its person and
post are still in the network.

Ties between arcs of equal cost are broken by a scatter of the pair
``(person, post)`` (:func:`_tie`: a bijection of the pair's key, so no two
arcs tie), never by an arc's position: the same arcs in any order give the
same core.
"""

from __future__ import annotations

import numba as nb
import numpy as np

__all__ = ["open_stats", "pick_core", "price_arcs", "restrict_face"]

_BIG = np.iinfo(np.int64).max
#: An odd 64-bit constant (the golden ratio's): multiplying by it modulo
#: 2**64 is a bijection, so distinct pairs get distinct tie-breaks.
_SCATTER = np.int64(-7046029254386353131)


@nb.njit(cache=True, nogil=True, inline="always")
def _cost(p, q, s, home, cq, ws, wm):
    c = cq[q] - ws * np.int64(s)
    if wm != 0 and home[p] != q:
        c += wm
    return c


@nb.njit(cache=True, nogil=True, inline="always")
def _tie(p, q, n_q):
    """The tie-break of the pair ``(p, q)``: its key scattered (wrapping)."""
    return (np.int64(p) * np.int64(n_q) + np.int64(q)) * _SCATTER


@nb.njit(cache=True, nogil=True)
def open_stats(
    person: np.ndarray,
    post: np.ndarray,
    score: np.ndarray,
    state: np.ndarray,
    open_p: np.ndarray,
    open_q: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, int, int]:
    """Over the open arcs: which persons and which posts have one, and the
    largest and smallest score (0 when none is above or below)."""
    has_p = np.zeros(open_p.size, np.bool_)
    has_q = np.zeros(open_q.size, np.bool_)
    hi = np.int64(0)
    lo = np.int64(0)
    for a in range(person.size):
        p, q = person[a], post[a]
        if state[a] != 0 or not (open_p[p] and open_q[q]):
            continue
        has_p[p] = True
        has_q[q] = True
        s = np.int64(score[a])
        hi = max(hi, s)
        lo = min(lo, s)
    return has_p, has_q, hi, lo


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
    person: np.ndarray,
    post: np.ndarray,
    score: np.ndarray,
    home: np.ndarray,
    cq: np.ndarray,
    ws: int,
    wm: int,
    state: np.ndarray,
    open_p: np.ndarray,
    open_q: np.ndarray,
    want: np.ndarray,
    kp: int,
    kq: int,
) -> np.ndarray:
    """The first core: of the open arcs, each person's ``kp`` and each
    post's ``kq`` cheapest (ties by :func:`_tie`, so that tied persons
    spread over tied posts), every stay arc, and the arc of each person to
    the post ``want`` names (a warm start; -1: none). Sorted, distinct."""
    n_p, n_q = open_p.size, open_q.size
    pc = np.full((n_p, kp), _BIG, np.int64)
    ph = np.zeros((n_p, kp), np.int64)
    pa = np.full((n_p, kp), -1, np.int64)
    qc = np.full((n_q, kq), _BIG, np.int64)
    qh = np.zeros((n_q, kq), np.int64)
    qa = np.full((n_q, kq), -1, np.int64)
    # each list's last entry, in arrays of their own: most arcs are turned
    # away by it, without reading the person's row (rows of persons scatter)
    p_last = np.full(n_p, _BIG, np.int64)
    q_last = np.full(n_q, _BIG, np.int64)
    extra = np.full(2 * n_p, -1, np.int64)  # a stay and a wanted arc per person
    n_extra = 0
    for a in range(person.size):
        p, q = person[a], post[a]
        if state[a] != 0 or not (open_p[p] and open_q[q]):
            continue
        if home[p] == q or want[p] == q:
            extra[n_extra] = a
            n_extra += 1
        c = _cost(p, q, score[a], home, cq, ws, wm)
        if c > p_last[p] and c > q_last[q]:
            continue
        h = _tie(p, q, n_q)
        if c <= p_last[p]:
            _insert(pc, ph, pa, p, c, h, a)
            p_last[p] = pc[p, kp - 1]
        if c <= q_last[q]:
            _insert(qc, qh, qa, q, c, h, a)
            q_last[q] = qc[q, kq - 1]
    out = np.concatenate((pa.ravel(), qa.ravel(), extra[:n_extra]))
    out = out[out >= 0]
    return np.unique(out)


@nb.njit(cache=True, nogil=True)
def price_arcs(
    person: np.ndarray,
    post: np.ndarray,
    score: np.ndarray,
    home: np.ndarray,
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
    ``kp`` and each post's ``kq`` most negative ones (ties by
    :func:`_tie`), sorted and distinct."""
    n_p, n_q = open_p.size, open_q.size
    pc = np.zeros((n_p, kp), np.int64)  # only negative reduced costs enter
    ph = np.zeros((n_p, kp), np.int64)
    pa = np.full((n_p, kp), -1, np.int64)
    qc = np.zeros((n_q, kq), np.int64)
    qh = np.zeros((n_q, kq), np.int64)
    qa = np.full((n_q, kq), -1, np.int64)
    count = 0
    for a in range(person.size):
        if state[a] != 0:
            continue
        p, q = person[a], post[a]
        if not (open_p[p] and open_q[q]) or at[p] == q:
            continue
        rc = _cost(p, q, score[a], home, cq, ws, wm) + d_p[p] - d_q[q]
        if rc < 0:
            count += 1
            h = _tie(p, q, n_q)
            _insert(pc, ph, pa, p, rc, h, a)
            _insert(qc, qh, qa, q, rc, h, a)
    out = np.concatenate((pa.ravel(), qa.ravel()))
    return count, np.unique(out[out >= 0])


@nb.njit(cache=True, nogil=True)
def restrict_face(
    person: np.ndarray,
    post: np.ndarray,
    score: np.ndarray,
    home: np.ndarray,
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
    for a in range(person.size):
        if state[a] != 0:
            continue
        p, q = person[a], post[a]
        if not (open_p[p] and open_q[q]):
            state[a] = 1
            continue
        rc = _cost(p, q, score[a], home, cq, ws, wm) + d_p[p] - d_q[q]
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
