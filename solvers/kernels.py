"""Compiled (numba) passes over large arc sets.

Only large inputs come here (see ``solvers.flow.KERNEL_MIN_ARCS``): numba
compiles a function on its first call (and caches the machine code on
disk), which a demo-sized plan should not pay for. Each pass reads the
arcs once or twice and allocates no per-arc temporaries beyond its output.
"""

from __future__ import annotations

import numba as nb
import numpy as np

__all__ = [
    "arc_stats",
    "as_ids",
    "components",
    "fold_values",
    "mark_best",
    "negative_arcs",
    "short_arcs",
]


def as_ids(ids: np.ndarray) -> np.ndarray:
    """Node ids for a compiled pass: int32 or int64, contiguous, as they are
    when they already are (each type is one compiled version; node ids are
    int32 from ``solvers.flow.prepare``, or a problem's own int64 arrays)."""
    if ids.dtype in (np.int32, np.int64) and ids.flags.c_contiguous:
        return ids
    return np.ascontiguousarray(ids, dtype=np.int64)


@nb.njit(cache=True, nogil=True)
def mark_best(
    group: np.ndarray,
    value: np.ndarray,
    n_groups: int,
    k: int,
    cap: int,
    bits: int,
    out: np.ndarray,
) -> None:
    """Set ``out`` on each group's arcs of its ``k`` best distinct values,
    at most ``cap`` of them: its best ``cap`` arcs (value descending, ties by
    the scatter key of ``solvers.flow._scatter``), cut below the ``k``-th
    distinct value.

    One pass over the arcs in input order. Each group keeps a sorted list
    of at most ``cap`` arcs; the value and key of a full list's last arc are
    also kept in two small arrays, so that the many arcs that do not enter
    a list are turned away without touching the lists.
    """
    best = np.empty((n_groups, cap), np.int64)
    bval = np.empty((n_groups, cap), np.int64)
    bkey = np.empty((n_groups, cap), np.int64)
    cnt = np.zeros(n_groups, np.int64)
    low = np.iinfo(np.int64).min
    tv = np.full(n_groups, low, np.int64)  # last value of a full list
    tk = np.full(n_groups, np.iinfo(np.int64).max, np.int64)  # ... and its key
    mask = (1 << bits) - 1
    for a in range(group.size):
        g = group[a]
        v = value[a]
        if v < tv[g]:
            continue
        key = (a * 0x9E3779B1) & mask
        if v == tv[g] and key > tk[g]:
            continue
        c = cnt[g]
        if c < cap:
            pos = c
            cnt[g] = c + 1
        else:
            pos = cap - 1
        while pos > 0 and (
            bval[g, pos - 1] < v or (bval[g, pos - 1] == v and bkey[g, pos - 1] > key)
        ):
            best[g, pos] = best[g, pos - 1]
            bval[g, pos] = bval[g, pos - 1]
            bkey[g, pos] = bkey[g, pos - 1]
            pos -= 1
        best[g, pos] = a
        bval[g, pos] = v
        bkey[g, pos] = key
        if c + 1 >= cap:
            tv[g] = bval[g, cap - 1]
            tk[g] = bkey[g, cap - 1]
    for g in range(n_groups):
        rank = 0
        for t in range(cnt[g]):
            if t == 0 or bval[g, t] != bval[g, t - 1]:
                rank += 1
                if rank > k:
                    break
            out[best[g, t]] = True


@nb.njit(cache=True, nogil=True)
def short_arcs(
    u: np.ndarray, v: np.ndarray, p: np.ndarray, q: np.ndarray, value: np.ndarray, s: int
) -> tuple[np.ndarray, np.ndarray]:
    """Arcs with ``u[p] + v[q] < s * value - 1``, and by how much they fall short.

    Two passes (count, then fill): no per-arc temporary.
    """
    count = 0
    for a in range(p.size):
        if u[p[a]] + v[q[a]] + 1 < value[a] * s:
            count += 1
    bad = np.empty(count, np.int64)
    short = np.empty(count, np.int64)
    k = 0
    for a in range(p.size):
        gap = value[a] * s - 1 - u[p[a]] - v[q[a]]
        if gap > 0:
            bad[k] = a
            short[k] = gap
            k += 1
    return bad, short


@nb.njit(cache=True, nogil=True)
def components(p: np.ndarray, q: np.ndarray, n: int, m: int) -> tuple[int, np.ndarray]:
    """Connected components of the bipartite graph: persons ``0..n-1``, posts
    ``n..n+m-1``, one edge ``(p[a], n + q[a])`` per arc.

    Union-find, each set's root its smallest node. Components are numbered
    in the order of their smallest node, as
    ``scipy.sparse.csgraph.connected_components`` numbers them.
    """
    parent = np.arange(n + m)
    for a in range(p.size):
        x = p[a]
        y = n + q[a]
        while parent[x] != x:  # path halving
            parent[x] = parent[parent[x]]
            x = parent[x]
        while parent[y] != y:
            parent[y] = parent[parent[y]]
            y = parent[y]
        if x < y:
            parent[y] = x
        elif y < x:
            parent[x] = y
    labels = np.empty(n + m, np.int64)
    count = 0
    for v in range(n + m):
        r = v
        while parent[r] != r:
            r = parent[r]
        if r == v:
            labels[v] = count
            count += 1
        else:
            labels[v] = labels[r]  # r < v: labelled already
    return count, labels


@nb.njit(cache=True, nogil=True)
def arc_stats(
    score: np.ndarray,
    arcs: np.ndarray,
    p: np.ndarray,
    q: np.ndarray,
    labels: np.ndarray,
    n: int,
    m: int,
    n_comp: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, int]:
    """What ``solvers.flow.fold_levels`` needs to know of the arcs, in one pass.

    Arc ``a`` joins person ``p[a]`` to post ``q[a]`` with ``score[arcs[a]]``;
    ``labels`` is each node's component. Returns which persons and which
    posts have an arc, the largest and smallest score per component (0 when
    it has none of one sign: the range counts 0), and the largest
    ``|score|``.
    """
    has_p = np.zeros(n, np.bool_)
    has_q = np.zeros(m, np.bool_)
    smax = np.zeros(n_comp, np.int64)
    smin = np.zeros(n_comp, np.int64)
    top = 0
    for a in range(arcs.size):
        s = score[arcs[a]]
        i = p[a]
        has_p[i] = True
        has_q[q[a]] = True
        c = labels[i]
        if s > smax[c]:
            smax[c] = s
        elif s < smin[c]:
            smin[c] = s
        if abs(s) > top:
            top = abs(s)
    return has_p, has_q, smax, smin, top


@nb.njit(cache=True, nogil=True)
def fold_values(
    score: np.ndarray,
    arcs: np.ndarray,
    p: np.ndarray,
    q: np.ndarray,
    labels: np.ndarray,
    b_c: np.ndarray,
    home: np.ndarray,
    moves_level: bool,
    offset: np.ndarray,
) -> np.ndarray:
    """``score * B[c] - nonstay + offset[post]`` per arc, as
    ``solvers.flow.fold_levels`` defines it (``nonstay`` only with the moves
    level; ``offset`` empty without tiers)."""
    value = np.empty(arcs.size, np.int64)
    tiers = offset.size > 0
    for a in range(arcs.size):
        i = p[a]
        j = q[a]
        v = score[arcs[a]] * b_c[labels[i]]
        if moves_level and home[i] != j:
            v -= 1
        if tiers:
            v += offset[j]
        value[a] = v
    return value


@nb.njit(cache=True, nogil=True)
def negative_arcs(
    d: np.ndarray, n_p: int, p: np.ndarray, q: np.ndarray, cost: np.ndarray, keep: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Arcs not in ``keep`` whose reduced cost ``cost + d[p] - d[n_p + q]`` is
    negative, and those costs (``solvers.flow._violations``, in one pass)."""
    count = 0
    for a in range(p.size):
        if not keep[a] and cost[a] + d[p[a]] - d[n_p + q[a]] < 0:
            count += 1
    bad = np.empty(count, np.int64)
    rc = np.empty(count, np.int64)
    k = 0
    for a in range(p.size):
        if not keep[a]:
            r = cost[a] + d[p[a]] - d[n_p + q[a]]
            if r < 0:
                bad[k] = a
                rc[k] = r
                k += 1
    return bad, rc
