"""Evidence for a plan: what forcing a pair would cost, and who would move.

A committee asks "why not Budi for this post?". The answer is the price of
forcing the pair: how much the total score drops in the best plan that
contains it, and whose placements change.

Method
------
For a plan of the core problem (no side constraints, rotations allowed)
that is optimal, forcing an unused arc ``i -> j`` changes the optimum by the
cheapest cycle through that arc in the residual graph: its reduced cost
plus the shortest reduced-cost path from ``j`` back to ``i``. Prices come
from the post graph of :mod:`solvers.prices` (each filled post merged with
its occupant, the unplaced persons folded into the sink): one compiled
Dijkstra per post prices every candidate of the post at once, for every
post of a plan in one batch (:meth:`Evidence.all_prices`). Who is displaced
comes from the same cycle in the full residual graph (``scipy``'s
Dijkstra, potentials of :mod:`solvers.duals`), walked back. The loss is
reported in score points: the score changes are summed along the
shortest path.

With side constraints (or when the plan cannot be certified optimal), the
price comes from re-solving with the pair pinned: exact when that re-solve
is OPTIMAL.

Assumptions
-----------
* ``sol`` is a plan returned by :func:`solvers.solve` for ``prob``.
* Forcing a pair that cannot be part of any plan (the person is pinned
  elsewhere, the post is pinned to someone else, the must-place persons
  can no longer all be placed) has price ``inf``.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Literal

import numpy as np

from solvers.backends.network import RangeSignal, prepare
from solvers.duals import Residual
from solvers.errors import SolverError
from solvers.prices import PostGraph
from solvers.problem import AssignmentProblem
from solvers.settings import Settings
from solvers.solution import Solution, Status

__all__ = [
    "Evidence",
    "displaced",
    "forcing_prices",
    "side_constraint_prices",
]


class _Pure:
    """Residual graph of an optimal core plan, with potentials and score deltas."""

    def __init__(self, prob: AssignmentProblem, sol: Solution, settings: Settings) -> None:
        try:
            prep = prepare(prob, settings=settings)
        except RangeSignal:
            prep = prepare(prob, moves_level=False, settings=settings)
        n, m = prob.n_persons, prob.n_posts
        arcs = prep.arcs
        self.prob = prob
        self.arcs = arcs
        used = np.isin(arcs, sol.arc)
        pl = prob.person[arcs]
        ql = prob.post[arcs]
        self.res = Residual(n, m, pl, ql, -prep.values, used, ~prep.must & prep.free_person)
        self.ok = self.res.compute_potentials()
        self.net_pos = np.full(prob.n_arcs, -1, dtype=np.int64)
        self.net_pos[arcs] = np.arange(arcs.size)
        self.n_nodes = self.res.n_nodes
        if self.ok:
            t, h, c = self.res.arcs()
            d = self.res.d
            self.rc = (c + d[t] - d[h]).astype(np.float64)
            # score change when a residual arc is walked: +s forward, -s backward
            s = prob.score[arcs]
            delta = np.zeros(t.size, dtype=np.int64)
            delta[: arcs.size] = np.where(used, -s, s)
            # Paths between nodes of one component never leave it (the sink is
            # the only node shared, and a simple path crosses it once), so each
            # Dijkstra runs on its component's arcs only.
            sink = self.res.sink
            labels = np.r_[prep.labels, -1]
            arc_comp = np.where(t == sink, labels[h], labels[t])
            order = np.argsort(arc_comp, kind="stable")
            self.t, self.h, self.delta = t[order], h[order], delta[order]
            self.rc = self.rc[order]
            self.arc_comp = arc_comp[order]
            self.labels = labels
            node_order = np.argsort(prep.labels, kind="stable")
            self.node_order = node_order
            self.node_lab = prep.labels[node_order]
            self._graphs: dict[int, tuple] = {}

    def _component(self, comp: int) -> tuple:
        """CSR of one component's residual arcs (local ids; the sink last)."""
        from scipy.sparse import csr_matrix  # a displacement's question only: not the prices

        got = self._graphs.get(comp)
        if got is not None:
            return got
        lo, hi = np.searchsorted(self.node_lab, [comp, comp + 1])
        nodes = np.r_[self.node_order[lo:hi], self.res.sink]
        local = np.full(self.n_nodes, -1, dtype=np.int64)
        local[nodes] = np.arange(nodes.size)
        a0, a1 = np.searchsorted(self.arc_comp, [comp, comp + 1])
        lt, lh = local[self.t[a0:a1]], local[self.h[a0:a1]]
        graph = csr_matrix((self.rc[a0:a1], (lt, lh)), shape=(nodes.size, nodes.size))
        key = lt * nodes.size + lh
        order = np.argsort(key, kind="stable")
        got = (nodes, local, graph, key[order], order + a0)
        if len(self._graphs) > 256:
            self._graphs.clear()
        self._graphs[comp] = got
        return got

    def _tree(self, post: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Distances, predecessors and score change along the paths from ``post``.

        Arrays are indexed by global node (persons, posts, sink); ``pred`` holds
        global node ids, ``-1`` where unreached.
        """
        from scipy.sparse.csgraph import dijkstra

        start = self.prob.n_persons + post
        nodes, local, graph, key_sorted, key_arc = self._component(int(self.labels[start]))
        ldist, lpred = dijkstra(
            graph, directed=True, indices=int(local[start]), return_predecessors=True
        )
        size = nodes.size
        v = np.flatnonzero(lpred >= 0)
        pos = np.searchsorted(key_sorted, lpred[v].astype(np.int64) * size + v)
        acc = np.zeros(size, dtype=np.int64)
        acc[v] = self.delta[key_arc[pos]]
        ptr = np.full(size, -1, dtype=np.int64)
        ptr[v] = lpred[v]
        live = v
        while live.size:  # pointer jumping: sum the score changes to the root
            nxt = ptr[live]
            acc_new = acc[live] + acc[nxt]
            ptr_new = ptr[nxt]
            acc[live] = acc_new
            ptr[live] = ptr_new
            live = live[ptr_new >= 0]
        dist = np.full(self.n_nodes, np.inf)
        dist[nodes] = ldist
        pred = np.full(self.n_nodes, -1, dtype=np.int64)
        pred[nodes[v]] = nodes[lpred[v]]
        acc_g = np.zeros(self.n_nodes, dtype=np.int64)
        acc_g[nodes] = acc
        return dist, pred, acc_g


def _pure_ok(prob: AssignmentProblem, sol: Solution) -> bool:
    return not prob.side and prob.allow_cycles and sol.status == Status.OPTIMAL


class Evidence:
    """The evidence of one plan of one problem, answering one post at a time.

    A committee asks about many posts of the same plan; what the first
    answer computes (the post graph and its potentials, the residual graph
    for displacements, the arcs grouped by post) is kept in this object for the next
    ones, and freed with it. Nothing is kept anywhere else: a second
    ``Evidence`` of the same plan starts from scratch.

    Examples
    --------
    >>> import numpy as np
    >>> from solvers import AssignmentProblem, solve
    >>> prob = AssignmentProblem(n_persons=2, n_posts=2, person=np.array([0, 0, 1]),
    ...                          post=np.array([0, 1, 0]), score=np.array([6, 1, 4]))
    >>> ev = Evidence(prob, solve(prob))
    >>> [p.tolist() for p in ev.forcing_prices(0)], ev.displaced(1, 0)
    ([[0, 1], [0.0, 1.0]], [(1, -1, 0), (0, 0, 1)])
    """

    def __init__(
        self, prob: AssignmentProblem, sol: Solution, *, settings: Settings | None = None
    ) -> None:
        _check_plan(sol)
        self.prob, self.sol = prob, sol
        self.settings = Settings() if settings is None else settings
        self._pure: dict[str, _Pure | None] = {}
        self._post_graph: PostGraph | Literal[False] | None = None
        self._by_post: tuple[np.ndarray, np.ndarray] | None = None

    def pure(self) -> _Pure | None:
        """The residual graph of the plan with potentials; None when the plan
        is not a certified optimum of the core problem."""
        if "exact" not in self._pure:
            prob, sol = self.prob, self.sol
            got = _Pure(prob, sol, self.settings) if _pure_ok(prob, sol) else None
            self._pure["exact"] = got if got is not None and got.ok else None
        return self._pure["exact"]

    def post_graph(self) -> PostGraph | None:
        """The plan's post graph (:mod:`solvers.prices`), made once; None when
        the plan is not a certified optimum of the core problem."""
        if self._post_graph is None:
            prob, sol = self.prob, self.sol
            graph = PostGraph(prob, sol, self.settings) if _pure_ok(prob, sol) else None
            self._post_graph = graph if graph is not None and graph.ok else False
        return self._post_graph or None

    def candidates(self, post: int) -> np.ndarray:
        """The unbanned arcs into ``post``, persons ascending."""
        order, starts = self.by_post()
        cand = order[starts[post] : starts[post + 1]]
        cand = cand[~self.prob.banned[cand]]
        return cand[np.argsort(self.prob.person[cand], kind="stable")]

    def all_prices(
        self, posts: np.ndarray, *, time_limit: float = 10.0, chunk: int = 256
    ) -> Iterator[tuple[int, np.ndarray, np.ndarray]]:
        """:func:`forcing_prices` of each of ``posts``, as ``(post, persons,
        price)``: for a certified optimum of the core problem, every post's
        prices come from one Dijkstra on the post graph, ``chunk`` posts per
        compiled batch (:mod:`solvers.prices`); otherwise post by post."""
        graph = self.post_graph()
        posts = np.asarray(posts, dtype=np.int64)
        if graph is None:
            for j in posts.tolist():
                yield (j, *self.forcing_prices(j, time_limit=time_limit))
            return
        for lo in range(0, posts.size, chunk):
            part = posts[lo : lo + chunk]
            yield from self._graph_prices(graph, part)

    def _graph_prices(
        self, graph: PostGraph, posts: np.ndarray
    ) -> Iterator[tuple[int, np.ndarray, np.ndarray]]:
        prob = self.prob
        cands = [self.candidates(j) for j in posts.tolist()]
        pin_post = prob.post[prob.pin_arcs]
        pinned = np.isin(posts, pin_post)
        # a pinned post is not searched: its pin is its only possible holder
        priced = graph.prices(
            posts[~pinned], [c for c, p in zip(cands, pinned, strict=True) if not p]
        )
        got = iter(priced)
        for j, cand, is_pinned in zip(posts.tolist(), cands, pinned.tolist(), strict=True):
            persons = prob.person[cand].astype(np.int64)
            if is_pinned:
                price = np.full(cand.size, np.inf)
                pin = prob.pin_arcs[np.flatnonzero(pin_post == j)[0]]
                price[persons == prob.person[pin]] = 0.0
            else:
                price = next(got)
            yield j, persons, price

    def by_post(self) -> tuple[np.ndarray, np.ndarray]:
        """Arc indices grouped by post, and where each post's group starts."""
        if self._by_post is None:
            prob = self.prob
            if prob.n_arcs >= self.settings.kernel_min_arcs:  # a counting sort, compiled
                from solvers.kernels import as_ids, group_by

                order = np.empty(prob.n_arcs, dtype=np.int32 if prob.n_arcs < 2**31 else np.int64)
                starts = group_by(as_ids(prob.post), prob.n_posts, order)
                self._by_post = (order, starts)
                return self._by_post
            order = np.argsort(prob.post, kind="stable")
            if prob.n_arcs < 2**31:
                order = order.astype(np.int32)
            self._by_post = (order, np.searchsorted(prob.post[order], np.arange(prob.n_posts + 1)))
        return self._by_post

    def forcing_prices(
        self, post: int, *, time_limit: float = 10.0, workers: int | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """:func:`forcing_prices` of ``post`` for this plan."""
        return _forcing_prices(self, post, time_limit, workers)

    def displaced(
        self, person: int, post: int, *, time_limit: float = 10.0, workers: int | None = None
    ) -> list[tuple[int, int, int]]:
        """:func:`displaced` of the pair for this plan."""
        return _displaced(self, person, post, time_limit, workers)


def _pin(prob: AssignmentProblem, person: int, post: int) -> AssignmentProblem | None:
    """``prob`` with the pair pinned, or None if that contradicts existing pins/bans."""
    pins = prob.pins
    if ((pins[:, 0] == person) & (pins[:, 1] != post)).any():
        return None
    if ((pins[:, 1] == post) & (pins[:, 0] != person)).any():
        return None
    if ((prob.bans[:, 0] == person) & (prob.bans[:, 1] == post)).any():
        return None
    if ((pins[:, 0] == person) & (pins[:, 1] == post)).any():
        return prob
    return prob.with_changes(pins=np.vstack([pins, [[person, post]]]))


def _check_plan(sol: Solution) -> None:
    if not sol.has_plan:
        raise SolverError(f"no plan to price: status {sol.status.value}", "solution")


def forcing_prices(
    prob: AssignmentProblem,
    sol: Solution,
    post: int,
    *,
    time_limit: float = 10.0,
    workers: int | None = None,
    evidence: Evidence | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Loss in total score if each candidate of ``post`` were forced onto it.

    Parameters
    ----------
    prob
        The problem.
    sol
        A plan for it (from :func:`solvers.solve`).
    post
        The post.
    time_limit, workers
        For the re-solves needed when the problem has side constraints.
    evidence
        An :class:`Evidence` of ``prob`` and ``sol`` to keep what this call
        computes for the next post (without it, each call starts afresh).

    Returns
    -------
    persons : numpy.ndarray
        Every person with an (unbanned) arc into ``post``, ascending.
    price : numpy.ndarray
        ``sol.objective`` minus the total score of the best plan that
        contains ``(person, post)``: 0 for the chosen person, ``inf`` when
        no plan can contain the pair (float64; exact integers), at every
        size (:mod:`solvers.prices`).

    Examples
    --------
    >>> import numpy as np
    >>> from solvers import AssignmentProblem, solve
    >>> prob = AssignmentProblem(n_persons=2, n_posts=2, person=np.array([0, 0, 1]),
    ...                          post=np.array([0, 1, 0]), score=np.array([6, 1, 4]))
    >>> persons, price = forcing_prices(prob, solve(prob), 0)
    >>> persons.tolist(), price.tolist()
    ([0, 1], [0.0, 1.0])
    """
    ev = _evidence(prob, sol, evidence)
    return ev.forcing_prices(post, time_limit=time_limit, workers=workers)


def _evidence(prob: AssignmentProblem, sol: Solution, evidence: Evidence | None) -> Evidence:
    if evidence is None:
        return Evidence(prob, sol)
    if evidence.prob is not prob or evidence.sol is not sol:
        raise SolverError("the evidence object belongs to another problem or plan", "evidence")
    return evidence


def _forcing_prices(
    ev: Evidence, post: int, time_limit: float, workers: int | None
) -> tuple[np.ndarray, np.ndarray]:
    prob, sol = ev.prob, ev.sol
    if not 0 <= post < prob.n_posts:
        raise SolverError(f"post {post} out of range [0, {prob.n_posts})", "forcing_prices")
    graph = ev.post_graph()
    if graph is not None:
        _, persons, price = next(ev._graph_prices(graph, np.array([post], dtype=np.int64)))
        return persons, price
    from solvers.solver import solve

    cand = np.flatnonzero((prob.post == post) & ~prob.banned)
    persons = np.sort(prob.person[cand]).astype(np.int64)
    price = np.full(persons.size, np.inf)
    chosen = dict(zip(sol.post.tolist(), sol.person.tolist(), strict=True))
    for k, i in enumerate(persons.tolist()):
        if chosen.get(int(post)) == i:
            price[k] = 0.0
            continue
        pinned = _pin(prob, i, int(post))
        if pinned is None:
            continue
        forced = solve(pinned, time_limit=time_limit, workers=workers, settings=ev.settings)
        if forced.has_plan and forced.objective is not None and sol.objective is not None:
            price[k] = float(sol.objective - forced.objective)
    return persons, price


def displaced(
    prob: AssignmentProblem,
    sol: Solution,
    person: int,
    post: int,
    *,
    time_limit: float = 10.0,
    workers: int | None = None,
    evidence: Evidence | None = None,
) -> list[tuple[int, int, int]]:
    """Whose placement changes if ``(person, post)`` is forced.

    ``evidence``: as for :func:`forcing_prices`.

    Returns
    -------
    list of (person, old_post, new_post)
        Every person whose post differs between ``sol`` and the best plan
        containing the pair, ``-1`` for "no post"; the forced person first,
        then by person. Empty if the pair is already chosen.

    Raises
    ------
    SolverError
        If no plan can contain the pair.
    """
    ev = _evidence(prob, sol, evidence)
    return ev.displaced(person, post, time_limit=time_limit, workers=workers)


def _displaced(
    ev: Evidence, person: int, post: int, time_limit: float, workers: int | None
) -> list[tuple[int, int, int]]:
    prob, sol = ev.prob, ev.sol
    before = dict(zip(sol.person.tolist(), sol.post.tolist(), strict=True))
    if before.get(int(person)) == int(post):
        return []
    # Above exact_max_arcs the cycle is not looked for (the residual graph of
    # every arc is too large); the re-solve with the pair pinned is exact.
    pure = ev.pure() if prob.n_arcs <= ev.settings.exact_max_arcs else None
    after: dict[int, int] | None = None
    if pure is not None:
        after = _cycle_plan(pure, before, int(person), int(post))
    if after is None:
        pinned = _pin(prob, int(person), int(post))
        forced = None
        if pinned is not None:
            from solvers.solver import solve

            forced = solve(pinned, time_limit=time_limit, workers=workers, settings=ev.settings)
        if forced is None or not forced.has_plan:
            raise SolverError(f"no plan can contain person {person} on post {post}", "displaced")
        after = dict(zip(forced.person.tolist(), forced.post.tolist(), strict=True))
    changed = sorted(
        (i for i in set(before) | set(after) if before.get(i, -1) != after.get(i, -1)),
        key=lambda i: (i != person, i),
    )
    return [(i, before.get(i, -1), after.get(i, -1)) for i in changed]


def _cycle_plan(ev: _Pure, before: dict[int, int], person: int, post: int) -> dict[int, int] | None:
    """The plan after pushing flow round the cheapest cycle through the pair."""
    prob = ev.prob
    a = int(prob.arc_index(np.array([person]), np.array([post]))[0])
    if a < 0 or ev.net_pos[a] < 0:
        return None
    dist, pred, _ = ev._tree(post)
    if not np.isfinite(dist[person]):
        return None
    n = prob.n_persons
    sink = ev.res.sink
    nodes = [person]
    start = n + post
    while nodes[-1] != start:
        nodes.append(int(pred[nodes[-1]]))
    nodes.reverse()  # start (post) ... person
    after = dict(before)
    for u, v in itertools.pairwise(nodes):
        if u == sink or v == sink:
            continue
        if u >= n and v < n:  # post -> person: v leaves post u
            if after.get(v) == u - n:
                del after[v]
        elif u < n and v >= n:  # person -> post: u takes post v
            after[u] = v - n
    after[person] = post
    # a person who lost a post along the path and did not get another is unplaced
    return after


def side_constraint_prices(
    prob: AssignmentProblem,
    sol: Solution,
    *,
    time_limit: float = 60.0,
    workers: int | None = None,
    settings: Settings | None = None,
) -> dict[str, int]:
    """What each side constraint costs: the score gained by dropping it alone.

    Parameters
    ----------
    prob
        The problem.
    sol
        Its plan.
    time_limit, workers, settings
        For each re-solve.

    Returns
    -------
    dict
        ``{name: objective without the constraint - sol.objective}`` for
        every side constraint, plus ``"allow_cycles"`` when rotations are
        forbidden. Exact when ``sol`` and the re-solves are OPTIMAL.
    """
    _check_plan(sol)
    from solvers.solver import solve

    assert sol.objective is not None
    out: dict[str, int] = {}
    for c in prob.side:
        rest = [d for d in prob.side if d is not c]
        other = solve(
            prob.with_changes(side=rest), time_limit=time_limit, workers=workers, settings=settings
        )
        if other.has_plan and other.objective is not None:
            out[c.name] = int(other.objective - sol.objective)
    if not prob.allow_cycles:
        other = solve(
            prob.with_changes(allow_cycles=True),
            time_limit=time_limit,
            workers=workers,
            settings=settings,
        )
        if other.has_plan and other.objective is not None:
            out["allow_cycles"] = int(other.objective - sol.objective)
    return out
