"""Compiled walks on the post graph of :class:`solvers.cycle.Local`, never built as arrays.

The post graph of :mod:`solvers.prices` (one node per post, the sink last)
is read here straight from the network's arcs, grouped by person, and a
state's few per-person and per-post arrays: the arcs out of a filled post
are its occupant's arcs, so a state that differs from its parent along one
cycle needs no pass over the arcs to be walked. Only a walk's own nodes
and their occupants' arcs are read.

Every function takes the network (``start``, ``post``, ``value``,
``arcs``: the arcs by person, canonical order, and the problem's ``score``
of each arc) and the state
(``hpos``: the position of each person's arc held, -1 if none;
``occupant`` of each post, -1 if empty; ``may_leave`` per person;
``out_post``: pinned posts, outside the network; ``has_ban`` per person
and ``ban_pos``, the banned positions ascending; ``best``: each filled
post's best unplaced taker, a position or -1; ``pi``, the potentials).
"""

from __future__ import annotations

import numba as nb
import numpy as np

__all__ = [
    "best_takers",
    "local_potentials",
    "local_tree",
    "offer_takers",
    "positions",
    "worst_reduced_cost",
]

INF = np.iinfo(np.int64).max


@nb.njit(cache=True, nogil=True)
def _banned(has_ban: np.ndarray, ban_pos: np.ndarray, p: int, k: int) -> bool:
    if not has_ban[p]:
        return False
    i = np.searchsorted(ban_pos, k)
    return i < ban_pos.size and ban_pos[i] == k


@nb.njit(cache=True, nogil=True)
def _push(heap: np.ndarray, where: np.ndarray, size: int, dist: np.ndarray, v: int) -> int:
    """Insert ``v`` (or move it up after its distance fell); returns the heap's size."""
    i = where[v]
    if i < 0:
        i = size
        size += 1
    d = dist[v]
    while i:
        up = (i - 1) // 2
        w = heap[up]
        if dist[w] <= d:
            break
        heap[i] = w
        where[w] = i
        i = up
    heap[i] = v
    where[v] = i
    return size


@nb.njit(cache=True, nogil=True)
def _pop(heap: np.ndarray, where: np.ndarray, size: int, dist: np.ndarray) -> int:
    """Remove the nearest node from the heap (the caller reads it from ``heap[0]`` first)."""
    where[heap[0]] = -2  # settled
    size -= 1
    if size == 0:
        return 0
    v = heap[size]
    d = dist[v]
    i = 0
    while True:
        c = 2 * i + 1
        if c >= size:
            break
        if c + 1 < size and dist[heap[c + 1]] < dist[heap[c]]:
            c += 1
        if dist[heap[c]] >= d:
            break
        heap[i] = heap[c]
        where[heap[i]] = i
        i = c
    heap[i] = v
    where[v] = i
    return size


@nb.njit(cache=True, nogil=True)
def local_tree(
    source: int,
    target: int,
    cycle: bool,
    start: np.ndarray,
    post: np.ndarray,
    value: np.ndarray,
    arcs: np.ndarray,
    score: np.ndarray,
    hpos: np.ndarray,
    occupant: np.ndarray,
    may_leave: np.ndarray,
    out_post: np.ndarray,
    has_ban: np.ndarray,
    ban_pos: np.ndarray,
    best: np.ndarray,
    pi: np.ndarray,
    dist: np.ndarray,
    gain: np.ndarray,
    pred: np.ndarray,
    who: np.ndarray,
    via: np.ndarray,
) -> None:
    """Dijkstra on the reduced costs from ``source`` (a post, or the sink ``m``).

    Fills, per node (posts, the sink ``m``, and ``m + 1``): ``dist`` (``INF``
    where unreached), ``gain`` (the score change along the path), ``pred``
    (the node before), ``who`` and ``via`` (the arc walked: person ``who``
    takes the arc at position ``via``; ``via`` -1: ``who`` leaves their post,
    or, ``who`` -1 too, the sink empties the post). With ``cycle``, an arc
    into ``source`` reaches node ``m + 1`` instead: the way back round a
    cycle. Stops once ``target`` (>= 0) is settled.

    One piece on purpose: with the relaxations in helper functions a post
    page's Dijkstra at 20,000 people took 0.30-0.47 CPU s instead of
    0.03-0.05 (bench/bench_decide.py).
    """
    m = occupant.size
    sink = m
    dist[:] = INF
    where = np.full(m + 2, -1, dtype=np.int64)
    heap = np.empty(m + 2, dtype=np.int64)
    dist[source] = 0
    gain[source] = 0
    pred[source] = -1
    who[source] = -1
    via[source] = -1
    size = _push(heap, where, 0, dist, source)
    while size:
        u = heap[0]
        size = _pop(heap, where, size, dist)
        if u == target or u == m + 1:
            if u == target:
                return
            continue
        du = dist[u]
        if u == sink:
            for q in range(m):
                if occupant[q] < 0 or out_post[q]:
                    continue
                h = m + 1 if cycle and q == source else q
                if where[h] == -2:
                    continue
                b = best[q]
                # an unplaced person takes q, or q is emptied: the cheaper (the taker on a tie)
                if b >= 0 and value[b] >= 0:
                    cost, g, w, k = -value[b], score[arcs[b]], -2, b
                else:
                    cost, g, w, k = 0, 0, -1, -1
                nd = du + cost + pi[sink] - pi[q]
                if nd < dist[h]:
                    dist[h] = nd
                    gain[h] = gain[u] + g
                    pred[h] = u
                    who[h] = w
                    via[h] = k
                    size = _push(heap, where, size, dist, h)
            continue
        p = occupant[u]
        held = hpos[p]
        hv, hs = value[held], score[arcs[held]]
        for k in range(start[p], start[p + 1]):
            q = post[k]
            if q == u or out_post[q] or _banned(has_ban, ban_pos, p, k):
                continue
            h = q if occupant[q] >= 0 else sink
            hp = h
            if cycle and h == source:
                h = m + 1
            if where[h] == -2:
                continue
            nd = du + hv - value[k] + pi[u] - pi[hp]
            if nd < dist[h]:
                dist[h] = nd
                gain[h] = gain[u] + score[arcs[k]] - hs
                pred[h] = u
                who[h] = p
                via[h] = k
                size = _push(heap, where, size, dist, h)
        if may_leave[p]:
            h = sink
            if cycle and h == source:
                h = m + 1
            if where[h] != -2:
                nd = du + hv + pi[u] - pi[sink]
                if nd < dist[h]:
                    dist[h] = nd
                    gain[h] = gain[u] - hs
                    pred[h] = u
                    who[h] = p
                    via[h] = -1
                    size = _push(heap, where, size, dist, h)


@nb.njit(cache=True, nogil=True)
def local_potentials(
    start: np.ndarray,
    post: np.ndarray,
    value: np.ndarray,
    hpos: np.ndarray,
    occupant: np.ndarray,
    may_leave: np.ndarray,
    out_post: np.ndarray,
    has_ban: np.ndarray,
    ban_pos: np.ndarray,
    best: np.ndarray,
) -> np.ndarray:
    """Shortest distances from a virtual root joined to every node at cost 0 (a
    queue-based Bellman-Ford); empty when there is a negative cycle (the plan
    is not optimal)."""
    m = occupant.size
    n = m + 1
    sink = m
    d = np.zeros(n, dtype=np.int64)
    queue = np.empty(n + 1, dtype=np.int64)
    inq = np.ones(n, dtype=np.bool_)
    count = np.zeros(n, dtype=np.int64)
    for v in range(n):
        queue[v] = v
    lo, size = 0, n
    while size:
        u = queue[lo]
        lo = lo + 1 if lo < n else 0
        size -= 1
        inq[u] = False
        du = d[u]
        if u == sink:
            for q in range(m):
                if occupant[q] < 0 or out_post[q]:
                    continue
                b = best[q]
                cost = -value[b] if b >= 0 and value[b] >= 0 else 0
                if du + cost < d[q]:
                    d[q] = du + cost
                    if not inq[q]:
                        count[q] += 1
                        if count[q] > n:
                            return np.empty(0, dtype=np.int64)
                        inq[q] = True
                        queue[(lo + size) % (n + 1)] = q
                        size += 1
            continue
        p = occupant[u]
        if p < 0 or out_post[u]:
            continue
        hv = value[hpos[p]]
        for k in range(start[p], start[p + 1] + 1):
            if k == start[p + 1]:  # last: leaving for the sink
                if not may_leave[p]:
                    break
                h, cost = sink, hv
            else:
                q = post[k]
                if q == u or out_post[q] or _banned(has_ban, ban_pos, p, k):
                    continue
                h = q if occupant[q] >= 0 else sink
                cost = hv - value[k]
            if du + cost < d[h]:
                d[h] = du + cost
                if not inq[h]:
                    count[h] += 1
                    if count[h] > n:
                        return np.empty(0, dtype=np.int64)
                    inq[h] = True
                    queue[(lo + size) % (n + 1)] = h
                    size += 1
    return d


@nb.njit(cache=True, nogil=True)
def worst_reduced_cost(
    start: np.ndarray,
    post: np.ndarray,
    value: np.ndarray,
    hpos: np.ndarray,
    occupant: np.ndarray,
    may_leave: np.ndarray,
    out_post: np.ndarray,
    has_ban: np.ndarray,
    ban_pos: np.ndarray,
    unplaced: np.ndarray,
    pi: np.ndarray,
) -> int:
    """The least reduced cost over every arc of the post graph, every unplaced
    person's included (not only each post's best taker): negative when the
    potentials do not certify the plan. One pass over the network's arcs."""
    m = occupant.size
    sink = m
    worst = INF
    for u in range(m):
        p = occupant[u]
        if p < 0 or out_post[u]:
            continue
        if pi[sink] - pi[u] < worst:  # the sink empties u
            worst = pi[sink] - pi[u]
        hv = value[hpos[p]]
        if may_leave[p] and hv + pi[u] - pi[sink] < worst:
            worst = hv + pi[u] - pi[sink]
        for k in range(start[p], start[p + 1]):
            q = post[k]
            if q == u or out_post[q] or _banned(has_ban, ban_pos, p, k):
                continue
            h = q if occupant[q] >= 0 else sink
            r = hv - value[k] + pi[u] - pi[h]
            if r < worst:
                worst = r
    for i in range(unplaced.size):
        p = unplaced[i]
        for k in range(start[p], start[p + 1]):
            q = post[k]
            if occupant[q] < 0 or out_post[q] or _banned(has_ban, ban_pos, p, k):
                continue
            r = -value[k] + pi[sink] - pi[q]
            if r < worst:
                worst = r
    return worst


@nb.njit(cache=True, nogil=True)
def best_takers(
    posts: np.ndarray,
    by_post: np.ndarray,
    post_start: np.ndarray,
    person: np.ndarray,
    value: np.ndarray,
    arcs: np.ndarray,
    score: np.ndarray,
    unplaced: np.ndarray,
    has_ban: np.ndarray,
    ban_pos: np.ndarray,
    best: np.ndarray,
) -> None:
    """``best[q]`` for each of ``posts``: the arc of an unplaced person into ``q``
    of most value, then most score, then the first person; -1 if none."""
    for i in range(posts.size):
        q = posts[i]
        got = -1
        for t in range(post_start[q], post_start[q + 1]):
            k = by_post[t]
            p = person[k]
            if not unplaced[p] or _banned(has_ban, ban_pos, p, k):
                continue
            if (
                got < 0
                or value[k] > value[got]
                or (value[k] == value[got] and score[arcs[k]] > score[arcs[got]])
                or (
                    value[k] == value[got]
                    and score[arcs[k]] == score[arcs[got]]
                    and p < person[got]
                )
            ):
                got = k
        best[q] = got


@nb.njit(cache=True, nogil=True)
def offer_takers(
    persons: np.ndarray,
    start: np.ndarray,
    post: np.ndarray,
    person: np.ndarray,
    value: np.ndarray,
    arcs: np.ndarray,
    score: np.ndarray,
    occupant: np.ndarray,
    out_post: np.ndarray,
    has_ban: np.ndarray,
    ban_pos: np.ndarray,
    best: np.ndarray,
) -> None:
    """Each of ``persons`` (now unplaced) becomes each filled post's best taker
    where their arc beats the one there, by the order of :func:`best_takers`."""
    for i in range(persons.size):
        p = persons[i]
        for k in range(start[p], start[p + 1]):
            q = post[k]
            if occupant[q] < 0 or out_post[q] or _banned(has_ban, ban_pos, p, k):
                continue
            got = best[q]
            if (
                got < 0
                or value[k] > value[got]
                or (value[k] == value[got] and score[arcs[k]] > score[arcs[got]])
                or (
                    value[k] == value[got]
                    and score[arcs[k]] == score[arcs[got]]
                    and p < person[got]
                )
            ):
                best[q] = k


@nb.njit(cache=True, nogil=True)
def positions(
    start: np.ndarray, post: np.ndarray, persons: np.ndarray, posts: np.ndarray
) -> np.ndarray:
    """The network position of each arc ``persons[i] -> posts[i]``; -1 where none."""
    out = np.full(persons.size, -1, dtype=np.int64)
    for i in range(persons.size):
        p = persons[i]
        lo, hi = start[p], start[p + 1]
        k = lo + np.searchsorted(post[lo:hi], posts[i])
        if k < hi and post[k] == posts[i]:
            out[i] = k
    return out
