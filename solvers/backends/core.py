"""The levels in sequence on a sparse core, priced exactly against every arc.

:mod:`solvers.backends.levels` solves a lexicographic objective stage by
stage, each stage one OR-Tools flow over every arc of the optimal face
that the stages before left. On a round of 130 M arcs OR-Tools' own arrays
alone exceed the memory of the machine. Here OR-Tools only ever sees a
*core* of the arcs, and the rest are priced:

1. The first core holds each person's ``Settings.core_k_person`` and each
   post's ``Settings.core_k_post`` cheapest arcs under the first stage's
   costs, every stay arc, and the arcs of a warm start (the plan of a
   previous solve: ``start``).
2. A stage is solved on the core; its node potentials (the post graph of
   :func:`solvers.backends.levels._potentials`) prove it optimal on the
   core. One compiled pass over every arc of the face
   (:func:`solvers.backends.core_kernels.price_arcs`) then checks each
   arc's reduced cost against them; when none is negative the potentials
   are optimal duals of the stage on all arcs (the certificate), otherwise
   each person's ``Settings.core_add_person`` and each post's
   ``core_add_post`` most negative arcs join the core and the stage is
   solved again. The core only grows, so this ends.
3. The certified potentials restrict the face for the next stage exactly
   as in :mod:`solvers.backends.levels` (arcs of positive reduced cost
   leave, those of negative reduced cost are fixed), in one compiled pass
   that marks a byte per arc; the next core is this one's arcs left on the
   face, which hold the stage's optimal flow, so it is feasible.
4. When the first core has no feasible flow (must-place persons or tier
   posts that its arcs cannot serve) a phase one finds a feasible flow the
   same way, on costs that count the must-place persons left out and the
   tier posts left empty; it proves the round infeasible when its optimum
   on every arc still leaves one.

The network is the whole problem, in its own ids and its own arc order
(:func:`solve_core`): no canonical order, no components, no copy of the
arcs. Pins take their person and post out of the network, bans set their
arcs' state byte; persons and posts without an open arc are isolated nodes
(a person leaves, a post stays empty). Independent components need no
split: the lexicographic optimum of a sum of independent parts is each
part's own. An arc's cost is never stored per arc: the passes make it from
its post's tier term, its score and whether it is a stay. Every tie is
broken by the pairs themselves (the passes' scatter of ``(person, post)``,
OR-Tools given the core sorted by pair), so the same arcs in any order
give the same plan. The plan is a lexicographic optimum, the same
objective on every level as the levels' solve over every arc (tested on
random rounds with a tiny core, tests/solvers/test_core.py).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow

from solvers.backends.core_kernels import open_stats, pick_core, price_arcs, restrict_face
from solvers.backends.levels import _potentials, _weights, restrict_nodes, stage_flow, stages
from solvers.backends.mcf import COST_LIMIT, InfeasibleCore
from solvers.backends.network import RangeSignal, fold_levels
from solvers.duals import potentials
from solvers.problem import AssignmentProblem
from solvers.settings import Settings

__all__ = ["Term", "solve_core", "terms_of", "warm_up"]

_MCF = min_cost_flow.SimpleMinCostFlow


@dataclass(frozen=True)
class Term:
    """One level of the objective without its values per arc: ``kind`` is
    ``"tier"`` (a fill of a post of tier ``t`` is worth 1), ``"score"`` or
    ``"moves"`` (minus one per non-stay arc); ``span`` and ``top`` as for
    :class:`solvers.backends.levels.Level`."""

    kind: str
    span: int
    top: int
    t: int = 0

    @property
    def tier(self) -> bool:
        return self.kind == "tier"


def terms_of(
    prob: AssignmentProblem, hi: int, lo: int, tier: np.ndarray | None, n_p: int, n_q: int
) -> list[Term]:
    """The levels of the objective, highest first, as
    :func:`solvers.backends.levels.levels_of` makes them, for ``n_p``
    persons and ``n_q`` posts with arcs whose scores lie in ``[lo, hi]``
    (``lo <= 0 <= hi``); ``tier``: the tier of each post with an arc (None
    without tiers)."""
    terms: list[Term] = []
    if tier is not None:
        for t in np.unique(tier[tier > 0])[::-1].tolist():
            terms.append(Term("tier", min(int((tier == t).sum()), n_p), 1, int(t)))
    terms.append(Term("score", min(n_p, n_q) * (hi - lo), max(hi, -lo)))
    if prob.has_moves_level:
        terms.append(Term("moves", min(n_p, n_q), 1))
    return terms


def _stage_cost(
    group: list[Term], tier: np.ndarray | None, n_q: int
) -> tuple[np.ndarray, int, int]:
    """A stage's cost as ``(cq, ws, wm)``: an arc costs
    ``cq[post] - ws * score + wm * nonstay`` (the folded levels, negated)."""
    cq = np.zeros(n_q, dtype=np.int64)
    ws = wm = 0
    for w, term in zip(_weights(group), group, strict=True):
        if term.kind == "tier":
            assert tier is not None
            cq[tier == term.t] -= w
        elif term.kind == "score":
            ws = w
        else:
            wm = w
    return cq, ws, wm


def _union(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The sorted distinct arcs of ``a`` and ``b`` (``np.union1d`` without
    its hash table: a core of a million arcs is merged by one sort)."""
    out = np.concatenate([a, b]).astype(np.int64, copy=False)
    out.sort()
    return out[np.r_[True, out[1:] != out[:-1]]] if out.size else out


class _Core:
    """The face of the stages so far over every arc (a state byte per arc)
    and the core on which OR-Tools solves."""

    def __init__(
        self,
        prob: AssignmentProblem,
        state: np.ndarray,
        person: np.ndarray,
        post: np.ndarray,
        may_leave: np.ndarray,
        log: list[dict],
        add: tuple[int, int] = (1, 1),
    ) -> None:
        self.n_p, self.n_q = prob.n_persons, prob.n_posts
        self.sink = self.n_p + self.n_q
        self.add = add  # most violated arcs per person and per post added per round
        self.pl, self.ql, self.score, self.home = prob.person, prob.post, prob.score, prob.home
        self.state = state  # per arc: 0 open, 1 off the face (or banned), 2 fixed
        self.fixed: list[np.ndarray] = []
        self.person = person.copy()  # person still in the network
        self.leave = may_leave.astype(bool).copy()  # "unplaced" arc still free
        self.post = post.copy()
        self.forced = np.zeros(self.n_q, dtype=bool)  # post filled in every optimum
        self.log = log
        self.unplaced = np.zeros(0, dtype=np.int64)  # must-place persons left out

    # ----------------------------------------------------------- helpers
    def _args(self, cq: np.ndarray, ws: int, wm: int) -> tuple:
        return (self.pl, self.ql, self.score, self.home, cq, ws, wm)

    def open_arcs(self, arcs: np.ndarray) -> np.ndarray:
        """The arcs of ``arcs`` still open on the face, sorted by pair
        ``(person, post)``: the order OR-Tools sees them in, whatever the
        problem's order (ties in its flow then do not depend on it)."""
        p, q = self.pl[arcs], self.ql[arcs]
        keep = self.state[arcs] == 0
        keep &= self.person[p]
        keep &= self.post[q]
        arcs = arcs[keep]
        pair = p[keep].astype(np.int64) * self.n_q + q[keep]
        return arcs[np.argsort(pair, kind="stable")]

    def cost(self, arcs: np.ndarray, cq: np.ndarray, ws: int, wm: int) -> np.ndarray:
        """The stage's cost of the arcs ``arcs`` (a core: small)."""
        q = self.ql[arcs]
        cost = cq[q]
        cost -= ws * self.score[arcs]
        if wm:
            cost += wm * (self.home[self.pl[arcs]] != q).astype(np.int64)
        return cost

    def first(self, cq: np.ndarray, ws: int, wm: int, want: np.ndarray, k: tuple) -> np.ndarray:
        """The first core (module docstring, step 1)."""
        return pick_core(
            *self._args(cq, ws, wm), self.state, self.person, self.post, want, k[0], k[1]
        )

    # ----------------------------------------------------------- a stage
    def _flow(self, arcs: np.ndarray, cost: np.ndarray) -> np.ndarray | None:
        """OR-Tools' min-cost flow over the core ``arcs``: used per arc, or
        None when the core has no feasible flow."""
        return stage_flow(self, self.pl[arcs], self.ql[arcs], cost, "a core")

    def stage(
        self, arcs: np.ndarray, cq: np.ndarray, ws: int, wm: int, first: bool
    ) -> tuple[np.ndarray, np.ndarray, tuple] | None:
        """The stage of cost ``(cq, ws, wm)`` solved on a growing core from
        ``arcs`` and certified on every arc (step 2): the core, the used
        arcs of the core, and the certified potentials ``(d_p, d_q, d_s)``;
        None when the first stage has no flow at all."""
        t0 = time.process_time()
        rounds = added = 0
        negative: list[int] = []  # arcs of negative reduced cost found by each round
        while True:
            arcs = self.open_arcs(arcs)
            cost = self.cost(arcs, cq, ws, wm)
            used = self._flow(arcs, cost)
            if used is None:
                if not first:  # pragma: no cover - the last optimum lies on the face
                    raise RuntimeError("the optimal face of a stage has no flow")
                more = self.phase_one(arcs)
                if more is None:
                    return None
                arcs = _union(arcs, more)
                continue
            leave = np.flatnonzero(self.person & self.leave)
            open_posts = np.flatnonzero(self.post & ~self.forced)
            p, q = self.pl[arcs], self.ql[arcs]
            d = _potentials(self.n_p, self.n_q, p, q, cost, used, leave, open_posts)
            at = np.full(self.n_p, -1, dtype=np.int64)
            at[p[used]] = q[used]
            count, new = price_arcs(
                *self._args(cq, ws, wm), self.state, self.person, self.post, at, d[0], d[1],
                *self.add,
            )  # fmt: skip
            rounds += 1
            negative.append(int(count))
            if count == 0:
                break
            added += int(new.size)
            arcs = _union(arcs, new)
        self.log.append(
            {
                "core_stage": len(self.log),
                "core_arcs": int(arcs.size),
                "pricing_rounds": rounds,
                "arcs_added": added,
                "negative_per_round": negative,
                "certified": True,
                "cpu_s": round(time.process_time() - t0, 3),
            }
        )
        return arcs, used, d

    def restrict(self, cq: np.ndarray, ws: int, wm: int, d: tuple) -> None:
        """Keep only the stage's optimal face over every arc (step 3)."""
        d_p, d_q, d_s = d
        leave = np.flatnonzero(self.person & self.leave)
        open_posts = np.flatnonzero(self.post & ~self.forced)
        fix = restrict_face(*self._args(cq, ws, wm), self.state, self.person, self.post, d_p, d_q)
        self.fixed.append(fix)
        self.person[self.pl[fix]] = False
        self.post[self.ql[fix]] = False
        restrict_nodes(self, leave, open_posts, d_p, d_q, d_s)

    # ----------------------------------------------------------- phase one
    def phase_one(self, arcs: np.ndarray) -> np.ndarray | None:
        """Arcs of a feasible flow of the face (step 4), found on a growing
        core from ``arcs`` and priced on every arc; None when no flow of
        the face places every must-place person and fills every forced post
        (``self.unplaced``: the must-place persons its optimum leaves out)."""
        n_p, n_q, sink = self.n_p, self.n_q, self.sink
        zero = np.zeros(n_q, dtype=np.int64)
        persons = np.flatnonzero(self.person)
        posts = np.flatnonzero(self.post)
        c_leave = (~self.leave[persons]).astype(np.int64)  # 1: a must-place person left out
        c_post = -self.forced[posts].astype(np.int64)  # -1: a forced post filled
        while True:
            arcs = self.open_arcs(arcs)
            tails = np.concatenate([self.pl[arcs], persons, n_p + posts]).astype(np.int32)
            heads = np.concatenate(
                [n_p + self.ql[arcs], np.full(persons.size + posts.size, sink)]
            ).astype(np.int32)
            costs = np.concatenate([np.zeros(arcs.size, dtype=np.int64), c_leave, c_post])
            mcf = _MCF()
            mcf.add_arcs_with_capacity_and_unit_cost(
                tails, heads, np.ones(tails.size, dtype=np.int64), costs
            )
            supplies = np.zeros(sink + 1, dtype=np.int64)
            supplies[persons] = 1
            supplies[sink] = -persons.size
            mcf.set_nodes_supplies(np.arange(sink + 1, dtype=np.int32), supplies)
            if mcf.solve() != _MCF.OPTIMAL:  # pragma: no cover - always feasible
                raise RuntimeError("the phase one of a core has no optimum")
            used = mcf.flows(np.arange(tails.size, dtype=np.int32)).astype(bool)
            fwd = ~used
            d = potentials(
                sink + 1,
                np.where(fwd, tails, heads).astype(np.int64),
                np.where(fwd, heads, tails).astype(np.int64),
                np.where(fwd, costs, -costs),
            )
            if d is None:  # pragma: no cover - OR-Tools returned an optimum
                raise RuntimeError("the phase one's flow is not optimal")
            on = used[: arcs.size]
            at = np.full(n_p, -1, dtype=np.int64)
            at[self.pl[arcs[on]]] = self.ql[arcs[on]]
            count, new = price_arcs(
                self.pl, self.ql, self.score, self.home, zero, 0, 0,
                self.state, self.person, self.post, at, d[:n_p], d[n_p:sink], *self.add,
            )  # fmt: skip
            if count == 0:
                break
            arcs = _union(arcs, new)
        value = int(costs[used].sum())
        if value > -int(self.forced[posts].sum()):
            out = used[arcs.size : arcs.size + persons.size] & (c_leave > 0)
            self.unplaced = persons[out]
            return None
        return arcs[on]

    # ----------------------------------------------------------- the stages
    def run(
        self, groups: list[list[Term]], tier: np.ndarray | None, want: np.ndarray, k: tuple
    ) -> np.ndarray | None:
        """The stages ``groups`` in turn: the chosen arcs, or None when the
        first stage has no flow."""
        arcs = np.zeros(0, dtype=np.int64)
        used = np.zeros(0, dtype=bool)
        for i, group in enumerate(groups):
            cq, ws, wm = _stage_cost(group, tier, self.n_q)
            if i == 0:
                arcs = self.first(cq, ws, wm, want, k)
            got = self.stage(arcs, cq, ws, wm, first=i == 0)
            if got is None:
                return None
            arcs, used, d = got
            if i + 1 < len(groups):
                self.restrict(cq, ws, wm, d)
        chosen = np.concatenate([*self.fixed, arcs[used]])
        chosen.sort()
        return chosen


class _Network:
    """The whole problem as the core's network: pins out, bans as state,
    which persons and posts have an open arc, and the score range."""

    def __init__(self, prob: AssignmentProblem) -> None:
        self.prob = prob
        self.state = np.zeros(prob.n_arcs, dtype=np.uint8)
        self.person = np.ones(prob.n_persons, dtype=bool)
        self.post = np.ones(prob.n_posts, dtype=bool)
        pinned = prob.pin_arcs
        self.person[prob.person[pinned]] = False
        self.post[prob.post[pinned]] = False
        if prob.bans.shape[0]:
            banned = prob.arc_index(prob.bans[:, 0], prob.bans[:, 1])
            self.state[banned[banned >= 0]] = 1
        self.has_p, self.has_q, hi, lo = open_stats(
            prob.person, prob.post, prob.score, self.state, self.person, self.post
        )
        self.hi, self.lo = int(hi), int(lo)
        self.must = prob.must_place & self.person

    def folds(self, settings: Settings) -> bool:
        """Whether the levels fold into one cost per arc as if the problem
        were one component (:func:`solvers.backends.network.fold_levels`
        with the moves when the problem has them): then every component
        folds, and the flow solves the round its usual way."""
        prob = self.prob
        n, m = prob.n_persons, prob.n_posts
        if not self.has_p.any():  # no open arc: nothing to fold
            return True
        stats = (
            self.has_p, self.has_q, np.array([self.hi]), np.array([self.lo]),
            max(self.hi, -self.lo),
        )  # fmt: skip
        try:  # with ``stats`` given, only the size of the arcs is read
            fold_levels(
                prob, np.zeros(1, dtype=np.int64), np.zeros(n + m, dtype=np.int64), 1,
                prob.has_moves_level, np.zeros(0, np.int64), np.zeros(0, np.int64),
                stats=stats, limit=settings.cost_limit, batch_nodes=settings.batch_nodes,
            )  # fmt: skip
        except RangeSignal:
            return False
        return True


def solve_core(
    prob: AssignmentProblem,
    settings: Settings,
    log: list[dict],
    want: np.ndarray | None = None,
    *,
    force: bool = False,
) -> np.ndarray | None:
    """The chosen arcs (pins left out) of a lexicographic optimum (tiers,
    score, fewest moves) of the whole problem on a sparse core; None when
    the levels fold into one cost per arc (:meth:`_Network.folds`) and
    ``force`` is false: the flow's usual way is then taken. ``want``: per
    person, the post of a warm start (-1: none). The same objective on every
    level as :func:`solvers.backends.levels.solve_levels` on every arc.

    Raises
    ------
    InfeasibleCore
        If the persons who may not leave cannot all be placed (``persons``:
        problem ids).
    CostRangeError
        If one level alone does not fit the cost range.
    """
    net = _Network(prob)
    if not force and net.folds(settings):
        return None
    lonely = np.flatnonzero(net.must & ~net.has_p)
    if lonely.size:
        raise InfeasibleCore(lonely)
    n_p, n_q = prob.n_persons, prob.n_posts
    want = np.full(n_p, -1, dtype=np.int64) if want is None else want
    tier = prob.priority
    with_arcs = net.has_q
    terms = terms_of(
        prob, net.hi, net.lo, None if tier is None else tier[with_arcs],
        int(net.has_p.sum()), int(with_arcs.sum()),
    )  # fmt: skip
    n_nodes = n_p + n_q + 1
    limit = settings.cost_limit if settings.cost_limit else COST_LIMIT
    k = (settings.core_k_person, settings.core_k_post)
    add = (settings.core_add_person, settings.core_add_post)
    may_leave = ~net.must
    if tier is not None and (tier[with_arcs] > 0).any():
        core = _Core(prob, net.state, net.person, net.post, may_leave, log, add)
        core.forced[(tier > 0) & with_arcs] = True
        got = core.run(stages([t for t in terms if not t.tier], n_nodes, limit), tier, want, k)
        if got is not None:
            log.append({"core_tier_posts_filled": True})
            return got
        # no flow in the first stage: no face was restricted, the state is as it was
    core = _Core(prob, net.state, net.person, net.post, may_leave, log, add)
    got = core.run(stages(terms, n_nodes, limit), tier, want, k)
    if got is None:
        raise InfeasibleCore(core.unplaced)
    return got


def warm_up() -> None:
    """Load (or compile) the core's passes for the array types a round gives
    them: a problem's person and post ids as int64 or int32."""
    tiny = Settings(cost_limit=31)  # the levels do not fold: two stages
    for ids in (np.int64, np.int32):
        prob = AssignmentProblem(
            n_persons=2, n_posts=2, person=np.array([0, 0, 1], ids),
            post=np.array([0, 1, 1], ids), score=np.array([5, 3, 4]), home=np.array([1, -1]),
            priority=np.array([1, 0]),
        )  # fmt: skip
        solve_core(prob, tiny, [], force=True)
