"""Exact forcing prices of many posts at once, from the optimal flow's duals.

For an optimal plan of the core problem, forcing an unused arc ``i -> j``
changes the optimum by the cheapest cycle through that arc in the residual
graph (:mod:`solvers.evidence`). That cycle runs from post ``j`` back to
person ``i``, and in an assignment residual graph its shape is fixed:

* a filled post has one residual arc out, to its occupant (who leaves it);
* a placed person reaches other posts (unused arcs) and, if they may stay
  unplaced, the sink; an unplaced person is reached only from the sink;
* the sink reaches every filled post (the post is emptied) and every
  unplaced person.

So each filled post and its occupant are one node, the unplaced persons
fold into the sink, and the residual graph becomes a *post graph*: one node
per post and the sink, one arc per arc of a placed person (plus the sink's
arcs, at most one per post). Its arcs are the placed persons' arcs only,
a fraction of the problem's, however many people are unplaced.

The graph is made from the problem's arcs as they are, in one compiled pass
(no flow network is prepared again: no canonical order, no components, no
folded values); an arc's cost is its score plus a weight of its post's tier
that orders paths as the solve's lexicographic tiers do
(:func:`post_offsets`). Potentials of the post graph (shortest distances
from a virtual root, Bellman-Ford with a queue, compiled) make every
reduced cost non-negative;
then one Dijkstra per post (compiled, each node's arcs taken cheapest first
and only until their head is reached, the posts dealt in turn to two
threads) gives the distance from that post to the nodes its candidates
need and the score change along each path. The price of candidate ``i``
of post ``j`` is read off in constant time:

* ``i`` placed at ``q``: the distance from ``j`` to ``q``, plus leaving
  ``q``, plus taking ``j``;
* ``i`` unplaced: the distance from ``j`` to the sink, plus taking ``j``.

Each search stops early, exactly. Every node but the sink is a filled
post, and the sink reaches each by an arc of cost 0 (the post emptied):
with potentials ``pi`` that arc's reduced cost ``pi[sink] - pi[v]`` is at
least 0, so a node ``v`` settled after the sink, at true distance
``D(v) >= D(sink) + pi[sink] - pi[v] >= D(sink)``, is reached through the
sink at ``D(sink) + D_sink(v) <= D(sink)``, no more. So the sink's own tree
is grown once, whole, and each post's search stops when the sink is
settled, or before when every node its candidates need is: a node not
settled then is ``D(sink) + D_sink(v)`` away. At 20,000 people a search
settles about a tenth of the 5,001 nodes. Paths of equal cost change the
score equally (:func:`post_offsets`), so which of two tied paths a search
takes does not change a price.

Every candidate of every post is priced exactly; the cost is one stopped
Dijkstra per post on the post graph, and nothing else grows faster than
the arcs. The price is reported in score points (the score changes summed
along the shortest path), as :func:`solvers.forcing_prices` documents.
Below ``Settings.kernel_min_arcs`` the same searches run in Python
(``heapq``): no compiler and no scipy on a demo round.
"""

from __future__ import annotations

import heapq
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from solvers.duals import potentials
from solvers.problem import AssignmentProblem
from solvers.settings import Settings
from solvers.solution import Solution

__all__ = ["PostGraph", "post_offsets"]

_INF = np.iinfo(np.int64).max


class PostGraph:
    """The post graph of an optimal core plan, with potentials (module docstring).

    Parameters
    ----------
    prob, sol
        The problem and an optimal plan of its core (no side constraints,
        rotations allowed).
    settings
        Where the compiled passes start, and the threads.

    ``ok`` is False when the plan is not optimal for the core problem (a
    negative cycle), or when its tiers are too many for a path's cost to be
    exact (:func:`post_offsets`): nothing can then be priced from it.
    """

    def __init__(self, prob: AssignmentProblem, sol: Solution, settings: Settings) -> None:
        self.prob, self.settings = prob, settings
        n, m = prob.n_persons, prob.n_posts
        sink = m
        self.n_nodes = m + 1
        self.in_net, free_person = _network(prob)
        offset = post_offsets(prob, self.n_nodes)
        if offset is None:  # the values do not fold into int64 for a path's sum
            self.ok = False
            return
        # who holds what in the network (pins are out of it)
        held = sol.arc[self.in_net[sol.arc]]
        p_used, q_used = prob.person[held].astype(np.int64), prob.post[held].astype(np.int64)
        at = np.full(n, -1, dtype=np.int64)  # the post of each placed person
        at[p_used] = q_used
        self.occupant = np.full(m, -1, dtype=np.int64)
        self.occupant[q_used] = p_used
        held_score = np.zeros(n, dtype=np.int64)
        held_score[p_used] = prob.score[held]
        held_value = held_score.copy()
        if offset.size:
            held_value[p_used] += offset[q_used]
        may_leave = ~prob.must_place & free_person
        filled = self.occupant >= 0
        used = np.zeros(prob.n_arcs, dtype=bool)
        used[held] = True
        # compiled from kernel_min_arcs arcs; numpy and heapq below (a demo
        # round never loads numba)
        self.compiled = prob.n_arcs >= settings.kernel_min_arcs
        if self.compiled:
            from solvers.kernels import as_ids, post_graph

            got = post_graph(
                as_ids(prob.person), as_ids(prob.post), prob.score, offset, self.in_net, used,
                at, filled, held_value, held_score, may_leave,
            )  # fmt: skip
            indptr, tail, head, cost, delta = got
        else:
            net = np.flatnonzero(self.in_net)
            person, post = prob.person[net].astype(np.int64), prob.post[net].astype(np.int64)
            score = prob.score[net].astype(np.int64)
            value = score + offset[post] if offset.size else score
            tail, head, cost, delta = _arcs(
                person, post, value, score, used[net], at, filled, held_value, held_score,
                may_leave, sink,
            )  # fmt: skip
            order = np.argsort(tail, kind="stable")
            indptr = np.zeros(self.n_nodes + 1, dtype=np.int64)
            np.cumsum(np.bincount(tail, minlength=self.n_nodes), out=indptr[1:])
            head, tail, cost, delta = head[order], tail[order], cost[order], delta[order]
        self.indptr = indptr
        self.n_arcs = int(head.size)
        if self.compiled:
            from solvers.kernels import post_potentials

            pi = post_potentials(self.n_nodes, indptr, head, cost)
            pot = pi if pi.size == self.n_nodes else None
        else:
            pot = potentials(self.n_nodes, tail, head, cost)
        self.ok = pot is not None
        self.pi = pot if pot is not None else np.zeros(self.n_nodes, dtype=np.int64)
        # each node's arcs cheapest first by reduced cost, the graph's one copy of them
        if self.compiled:
            from solvers.kernels import sort_arcs

            sort_arcs(indptr, head, cost, delta, self.pi)  # cost becomes the reduced cost
            self.head, self.rc, self.delta = head, cost, delta
        else:
            rc = cost + self.pi[tail] - self.pi[head]
            order = np.lexsort((rc, tail))
            self.head, self.rc, self.delta = head[order], rc[order], delta[order]
        self.at, self.held_value, self.held_score = at, held_value, held_score
        self.filled, self.sink = filled, sink
        self._sink_tree: tuple[np.ndarray, np.ndarray] | None = None
        self._lists: tuple[list[int], list[int], list[int], list[int]] | None = None

    def prices(self, posts: np.ndarray, cands: list[np.ndarray]) -> list[np.ndarray]:
        """Score lost by forcing each arc of ``cands[k]`` (arcs into
        ``posts[k]``), one array per post; ``inf`` where no plan holds the pair.

        Each post's search stops once every node its candidates need is
        known (module docstring): a placed candidate's own post, the sink
        for an unplaced one.
        """
        prob = self.prob
        need, target, at, persons = [], [], [], []
        for j, cand in zip(posts.tolist(), cands, strict=True):
            p = prob.person[cand].astype(np.int64)
            a = self.at[p]
            want = self.in_net[cand] & (a != j)
            need.append(want)
            target.append(np.where(a[want] >= 0, a[want], self.sink))
            at.append(a)
            persons.append(p)
        tptr = np.zeros(len(target) + 1, dtype=np.int64)
        np.cumsum([t.size for t in target], out=tptr[1:])
        targets = np.concatenate(target) if target else np.zeros(0, dtype=np.int64)
        sources = np.where(self.filled[posts], posts, self.sink).astype(np.int64)
        if self.compiled:
            dist, score = self._compiled_paths(sources, tptr, targets)
        else:
            dist, score = _python_paths(self, sources, tptr, targets)
        out = []
        for k, j in enumerate(posts.tolist()):
            cand, want, a, p = cands[k], need[k], at[k], persons[k]
            price = np.full(cand.size, np.inf)
            price[self.in_net[cand] & (a == j)] = 0.0
            reach = dist[tptr[k] : tptr[k + 1]] != _INF
            # path to the target, the candidate leaves its post (if any), takes this one
            got = score[tptr[k] : tptr[k + 1]]
            got = got - np.where(a[want] >= 0, self.held_score[p[want]], 0) + prob.score[cand[want]]
            price[np.flatnonzero(want)[reach]] = -got[reach].astype(np.float64)
            out.append(price)
        return out

    def sink_tree(self) -> tuple[np.ndarray, np.ndarray]:
        """Reduced-cost distances from the sink to every node (``_INF`` where
        unreached) and the score change along each shortest path; made once."""
        if self._sink_tree is None:
            if self.compiled:
                from solvers.kernels import post_trees

                dist = np.empty((1, self.n_nodes), dtype=np.int64)
                score = np.zeros((1, self.n_nodes), dtype=np.int64)
                post_trees(np.array([self.sink]), self.indptr, *self.by_rc(), dist, score)
                self._sink_tree = (dist[0], score[0])
            else:
                self._sink_tree = _python_search(self, self.sink, None)
        return self._sink_tree

    def by_rc(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Heads, reduced costs and score changes of each node's arcs, cheapest
        first (the arcs grouped by tail, as ``indptr`` says)."""
        return self.head, self.rc, self.delta

    def as_lists(self) -> tuple[list[int], list[int], list[int], list[int]]:
        """``indptr`` and :meth:`by_rc` as Python lists, for the searches in
        Python (small graphs only); made once."""
        if self._lists is None:
            self._lists = (self.indptr.tolist(), *(a.tolist() for a in self.by_rc()))
        return self._lists

    def _compiled_paths(
        self, sources: np.ndarray, tptr: np.ndarray, targets: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        from solvers.kernels import post_paths

        sink_dist, sink_score = self.sink_tree()
        dist = np.empty(targets.size, dtype=np.int64)
        score = np.empty(targets.size, dtype=np.int64)
        k = sources.size
        threads = self.settings.threads if k > 1 else 1
        # the posts dealt in turn, not in halves: a search's length varies
        parts = [np.arange(t, k, threads, dtype=np.int64) for t in range(threads)]

        def run(which: np.ndarray) -> None:
            post_paths(
                sources, which, tptr, targets, self.indptr, *self.by_rc(),
                sink_dist, sink_score, dist, score,
            )  # fmt: skip

        if len(parts) > 1:
            with ThreadPoolExecutor(len(parts)) as pool:
                list(pool.map(run, parts))
        else:
            run(parts[0])
        return dist, score


def _python_paths(
    graph: PostGraph, sources: np.ndarray, tptr: np.ndarray, targets: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`solvers.kernels.post_paths` in Python (heapq), for small graphs:
    the same searches, stopped the same way, with no compiler loaded."""
    sink_dist, sink_score = graph.sink_tree()
    out_dist = np.empty(targets.size, dtype=np.int64)
    out_score = np.empty(targets.size, dtype=np.int64)
    for k, s in enumerate(sources.tolist()):
        part = targets[tptr[k] : tptr[k + 1]]
        if s == graph.sink:
            dist, score = sink_dist[part], sink_score[part]
        else:
            dist, score = _python_search(graph, s, set(part.tolist()))
            d_sink, s_sink = dist[graph.sink], score[graph.sink]
            dist, score = dist[part], score[part]
            via = (dist == _INF) & (d_sink != _INF) & (sink_dist[part] != _INF)
            dist[via] = d_sink + sink_dist[part][via]
            score[via] = s_sink + sink_score[part][via]
        out_dist[tptr[k] : tptr[k + 1]] = dist
        out_score[tptr[k] : tptr[k + 1]] = np.where(dist != _INF, score, 0)
    return out_dist, out_score


def _python_search(
    graph: PostGraph, source: int, want: set[int] | None
) -> tuple[np.ndarray, np.ndarray]:
    """Dijkstra from ``source`` on reduced costs: the whole tree (``want``
    None), or until the sink or every node of ``want`` is settled."""
    n, sink = graph.n_nodes, graph.sink
    indptr, head, rc, delta = graph.as_lists()
    dist, score, best = [_INF] * n, [0] * n, [_INF] * n  # best: the least key offered
    need = -1 if want is None else len(want)
    heap: list[tuple[int, int, int]] = [(0, source, 0)]
    while heap and need:
        key, v, sc = heapq.heappop(heap)
        if dist[v] != _INF:
            continue
        dist[v], score[v] = key, sc
        if want is not None:
            need -= v in want
            if v == sink:  # the sink's tree does the rest
                break
        for a in range(indptr[v], indptr[v + 1]):
            h, nd = head[a], key + rc[a]
            if nd < best[h] and dist[h] == _INF:
                best[h] = nd
                heapq.heappush(heap, (nd, h, sc + delta[a]))
    return np.array(dist, dtype=np.int64), np.array(score, dtype=np.int64)


def _network(prob: AssignmentProblem) -> tuple[np.ndarray, np.ndarray]:
    """The arcs of the network (the problem's in their own order, less the
    banned ones and those of pinned persons and posts: no canonical order, a
    shortest path's length does not depend on the order of the arcs) as a
    mask; and which persons are not pinned."""
    pinned = prob.pin_arcs
    free_person = np.ones(prob.n_persons, dtype=bool)
    free_person[prob.person[pinned]] = False
    if not (pinned.size or prob.bans.shape[0]):
        return np.ones(prob.n_arcs, dtype=bool), free_person
    free_post = np.ones(prob.n_posts, dtype=bool)
    free_post[prob.post[pinned]] = False
    return ~prob.banned & free_person[prob.person] & free_post[prob.post], free_person


def post_offsets(prob: AssignmentProblem, n_nodes: int) -> np.ndarray | None:
    """What each post's tier adds to the value of an arc into it, for the post
    graph's costs (module docstring): an empty array without tiers, None
    when a path's cost could leave int64 (or a float64's exact integers).

    A simple path of the post graph passes the sink at most once, so it
    fills at most one post and empties at most one: its change in filled
    posts per tier is ``e_a - e_b``, ``e_a``, ``-e_b`` or nothing, and two
    such changes differ by at most 2 in any tier. With the ``r``-th tier
    above 0 (ascending) weighted ``3 ** (r - 1)`` (tier 0 nothing), a tier
    outweighs twice all lower ones, so the weighted sum orders these changes
    as the solve's lexicographic tiers do; times ``A``, more than any
    difference in score between two paths (each arc changes the score by at
    most ``R``, the scores' span with 0), it outweighs the score. So two
    paths of equal cost change the score equally: their tiers' parts differ
    by a multiple of ``A``, their scores' by less. The
    weights are not the solve's (:func:`solvers.backends.network.fold_levels`,
    per component, with the moves level): a plan lexicographically best by
    tiers then score is best under both, and the price is read from the
    score changes alone.
    """
    if prob.priority is None or prob.n_posts == 0:
        return np.zeros(0, dtype=np.int64)
    tiers = np.unique(prob.priority)
    tiers = tiers[tiers > 0]
    if not tiers.size:
        return np.zeros(0, dtype=np.int64)
    span = max(int(prob.score.max(initial=0)), 0) - min(int(prob.score.min(initial=0)), 0)
    a = 2 * n_nodes * span + 1
    top = 3.0 ** (tiers.size - 1) * a
    # an arc's cost is at most two offsets and a span; a path has fewer than
    # n_nodes arcs, and its potentials shift a distance by at most as much again
    if (2 * top + 2 * span) * (n_nodes + 1) * 4 >= 2.0**53:
        return None
    weight = np.zeros(tiers.size + 1, dtype=np.int64)
    weight[1:] = 3 ** np.arange(tiers.size, dtype=np.int64)
    rank = np.searchsorted(tiers, prob.priority, side="right")  # 0 for tier 0
    return weight[rank] * a


def _arcs(
    person: np.ndarray,
    post: np.ndarray,
    value: np.ndarray,
    score: np.ndarray,
    used: np.ndarray,
    at: np.ndarray,
    filled: np.ndarray,
    held_value: np.ndarray,
    held_score: np.ndarray,
    may_leave: np.ndarray,
    sink: int,
) -> tuple[np.ndarray, ...]:
    """The post graph's arcs: ``(tail, head, cost, score change)``."""
    free = ~used
    mover = free & (at[person] >= 0)  # a placed person could take another post
    p, q = person[mover], post[mover]
    t1 = at[p]
    h1 = np.where(filled[q], q, sink)
    c1 = held_value[p] - value[mover]
    d1 = score[mover] - held_score[p]
    # an unplaced person takes a filled post: one arc per post, the best one
    # (least cost, then most score, then the first person)
    taker = np.flatnonzero(free & (at[person] < 0) & filled[post])
    taker = taker[np.lexsort((person[taker], -score[taker], -value[taker], post[taker]))]
    taker = taker[np.r_[True, post[taker][1:] != post[taker][:-1]][: taker.size]]
    q2, c2, d2 = post[taker], -value[taker], score[taker]
    # a placed person leaves (when they may stay unplaced)
    leaver = np.flatnonzero((at >= 0) & may_leave)
    # the sink empties a filled post
    full = np.flatnonzero(filled)
    tail = np.concatenate([t1, np.full(q2.size, sink), at[leaver], np.full(full.size, sink)])
    head = np.concatenate([h1, q2, np.full(leaver.size, sink), full])
    cost = np.concatenate([c1, c2, held_value[leaver], np.zeros(full.size, np.int64)])
    delta = np.concatenate([d1, d2, -held_score[leaver], np.zeros(full.size, np.int64)])
    return tail.astype(np.int64), head.astype(np.int64), cost, delta
