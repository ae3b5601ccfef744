"""A committee's decisions on an optimal plan: each new optimum by one cycle, not a re-solve.

For an optimal plan of the core problem (no side constraints, rotations
allowed), the best plan that also holds an unused pair ``i -> j`` is the
plan with flow pushed round the cheapest cycle through that arc in the
residual graph: that cycle's cost is the pair's forcing price
(:mod:`solvers.prices`), and pushing it is the optimum of the problem with
the pair pinned. On the post graph of :mod:`solvers.prices` (each filled
post merged with its occupant, the unplaced folded into the sink), the
cycle is the shortest path from post ``j`` (from the sink if ``j`` is
empty) to the post ``i`` holds (to the sink if ``i`` holds none), closed by
``i`` taking ``j``. Each arc of the path is one person taking a post or
leaving one, so walking it back gives the new plan; the reduced costs under
the graph's potentials are non-negative, so one Dijkstra finds it.

A ban of the pair ``i -> j`` the plan uses is a cycle too: the cheapest
cycle through post ``j`` that does not put ``i`` back there (``i`` moves or
leaves, and someone takes ``j`` or it stays empty), the cheapest way to
re-place the person and refill the post on the residual graph. A ban of a
pair the plan does not use changes no placement.

:class:`Local` keeps a plan with the potentials that certify it, and makes
each decision's plan from the one before. The post graph is never built as
arrays: :mod:`solvers.cycle_kernels` walks it from the network's arcs
grouped by person (the arcs out of a filled post are its occupant's) and a
few arrays per person and per post, so a decision reads only the nodes its
Dijkstra settles and their occupants' arcs, never every arc. After the
cycle the potentials are repaired from the same Dijkstra, as successive
shortest paths do: ``pi' = pi + min(dist, D)``, ``D`` the cycle's reduced
length (a post filled from empty starts from the sink's potential, which it
was part of). Every reduced cost stays non-negative, so the new plan is
optimal and certified, and the next decision starts from it
(:meth:`Local.worst_reduced_cost` checks that in one pass). The post
page's prices are one Dijkstra from the post on the same potentials
(:meth:`Local.prices`).

What it costs: the proposal's state once (the network, its values and a
Bellman-Ford for the potentials: what pricing its shortlists cost before);
then per decision one Dijkstra that stops at the cycle's end, and
bookkeeping on the people it moves.

Assumptions
-----------
* The root plan is optimal for its problem's core (status OPTIMAL, no side
  constraints, rotations allowed); :meth:`Local.root` returns None
  otherwise, and a caller solves whole.
* A state's plan is optimal in the post tiers and the score; the "fewest
  moves" tie-break, which the post graph leaves out, may differ from a
  re-solve's among plans of equal score.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from solvers.backends.network import RangeSignal, prepare
from solvers.plan import build_solution
from solvers.problem import AssignmentProblem
from solvers.settings import Settings
from solvers.solution import Solution, Status

__all__ = ["Local", "Network"]

_INF = np.iinfo(np.int64).max


@dataclass(frozen=True, eq=False)
class Network:
    """A round's core network (pins and bans of the root problem out), its arcs by
    person in canonical order with their folded values (tiers and score, as
    :mod:`solvers.prices`): made once, shared by every state walked from it."""

    prob: AssignmentProblem
    arcs: np.ndarray  # the problem's arc at each position
    person: np.ndarray  # of each position
    post: np.ndarray  # of each position (ascending within a person)
    value: np.ndarray  # folded value of each position
    start: np.ndarray  # per person, where their positions start (n + 1)
    by_post: np.ndarray  # positions grouped by post
    post_start: np.ndarray  # per post, where its group starts (m + 1)

    def positions(self, persons: np.ndarray, posts: np.ndarray) -> np.ndarray:
        """The position of each arc ``persons[i] -> posts[i]``; -1 where not in the network."""
        from solvers.cycle_kernels import positions

        return positions(
            self.start, self.post, np.asarray(persons, np.int64), np.asarray(posts, np.int64)
        )


@dataclass(frozen=True, eq=False)
class Local:
    """An optimal plan of a round's core problem with the potentials that certify
    it: one more pin or ban by one cycle (module docstring), and the forcing
    prices of a post's candidates by one Dijkstra. Immutable: each decision
    makes a new state and leaves this one as it was."""

    net: Network
    at: np.ndarray  # post of each person (pins included), -1
    arc: np.ndarray  # the problem's arc of each placed person, -1
    hpos: np.ndarray  # network position of each person's arc, -1 (unplaced, pinned)
    occupant: np.ndarray  # of each post, -1
    out_person: np.ndarray  # pinned: outside the network
    out_post: np.ndarray
    may_leave: np.ndarray  # may end unplaced (not must-place, not pinned)
    has_ban: np.ndarray  # per person: a ban beyond the root problem's
    ban_pos: np.ndarray  # those bans' positions, ascending
    best: np.ndarray  # each filled post's best unplaced taker (position), -1
    pi: np.ndarray  # potentials of the posts and the sink

    @classmethod
    def root(
        cls, prob: AssignmentProblem, sol: Solution, settings: Settings | None = None
    ) -> Local | None:
        """The state of ``sol``, an optimal plan of ``prob``; None when it cannot be
        certified so (side constraints, rotations forbidden, not OPTIMAL, values
        beyond 64 bits, or a negative cycle)."""
        if prob.side or not prob.allow_cycles or sol.status != Status.OPTIMAL:
            return None
        try:
            prep = prepare(prob, moves_level=False, settings=settings)
        except RangeSignal:
            return None
        value = prep.values
        if value.size != prep.arcs.size:
            return None
        n, m = prob.n_persons, prob.n_posts
        person, post = prep.person, prep.post
        start = np.searchsorted(person, np.arange(n + 1)).astype(np.int64)
        small = np.int32 if prep.arcs.size < 2**31 else np.int64
        by_post = np.argsort(post, kind="stable").astype(small)
        post_start = np.searchsorted(post[by_post], np.arange(m + 1)).astype(np.int64)
        net = Network(prob, prep.arcs, person, post, value, start, by_post, post_start)
        at = np.full(n, -1, dtype=np.int64)
        at[sol.person] = sol.post
        arc = np.full(n, -1, dtype=np.int64)
        arc[sol.person] = sol.arc
        occupant = np.full(m, -1, dtype=np.int64)
        occupant[sol.post] = sol.person
        out_person, out_post = ~prep.free_person, ~prep.free_post
        hpos = np.full(n, -1, dtype=np.int64)
        free = np.flatnonzero((at >= 0) & ~out_person)
        hpos[free] = net.positions(free, at[free])
        if (hpos[free] < 0).any():
            return None  # the plan holds an arc outside the network
        state = cls(
            net, at, arc, hpos, occupant, out_person, out_post,
            ~prep.must & prep.free_person, np.zeros(n, dtype=bool), np.zeros(0, np.int64),
            np.full(m, -1, dtype=np.int64), np.zeros(m + 1, dtype=np.int64),
        )  # fmt: skip
        state._takers(np.flatnonzero((occupant >= 0) & ~out_post))
        from solvers.cycle_kernels import local_potentials

        pi = local_potentials(
            start, post, value, hpos, occupant, state.may_leave, out_post,
            state.has_ban, state.ban_pos, state.best,
        )  # fmt: skip
        if pi.size != m + 1:
            return None
        state.pi[:] = pi
        return state

    # -- the decisions ---------------------------------------------------------

    def pin(self, person: int, post: int) -> Local | None:
        """The optimal plan with ``person`` pinned to ``post`` as well; None when the pair
        is outside the network (banned, either pinned already) or no plan holds it."""
        if self.out_person[person] and self.at[person] == post:
            return self  # pinned there already
        k = self._position(person, post)
        if k < 0 or self.out_person[person] or self.out_post[post] or self._is_banned(person, k):
            return None
        m = self.occupant.size
        moves: list[tuple[int, int]] = []
        dist, shift = np.zeros(m + 2, dtype=np.int64), 0
        if self.at[person] != post:
            source = post if self.occupant[post] >= 0 else m
            target = int(self.at[person]) if self.at[person] >= 0 else m
            if source != target:
                dist, _, pred, who, via = self._tree(source, target, cycle=False)
                if dist[target] == _INF:
                    return None
                shift = int(dist[target])
                moves = self._walk(source, target, pred, who, via)
        moves.append((person, k))
        pi = self._repaired(moves, dist, shift)
        return self._after(moves, pi, pin=(person, post))

    def ban(self, person: int, post: int) -> Local | None:
        """The optimal plan with the pair ``person -> post`` banned as well; None when the
        pair is pinned or no plan is left."""
        if self.out_person[person] and self.at[person] == post:
            return None  # pinned there
        k = self._position(person, post)
        if k < 0 or self._is_banned(person, k):
            return self._after([], self.pi)  # nothing the network holds: nothing changes
        m = self.occupant.size
        if self.at[person] != post:
            return self._after([], self.pi, ban=(person, k))
        dist, _, pred, who, via = self._tree(post, m + 1, cycle=True)
        if dist[m + 1] == _INF:
            return None
        shift = int(dist[m + 1])
        moves = self._walk(post, m + 1, pred, who, via)
        pi = self._repaired(moves, dist, shift)
        pi[post] = self.pi[post] + shift
        return self._after(moves, pi, ban=(person, k))

    def solution(self, prob: AssignmentProblem, seconds: float = 0.0) -> Solution:
        """The plan as a solution of ``prob`` (the root problem with this state's pins
        and bans: the same arcs)."""
        placed = np.flatnonzero(self.at >= 0)
        return build_solution(prob, self.arc[placed], Status.OPTIMAL, "cycle", seconds)

    def prices(self, post: int) -> tuple[np.ndarray, np.ndarray]:
        """Score lost by forcing each candidate of ``post`` onto it (as
        :func:`solvers.forcing_prices`): the persons whose arc into ``post`` is in the
        network, ascending, and the price (0 for the holder, ``inf`` where no plan
        holds the pair). One Dijkstra from the post."""
        net, m = self.net, self.occupant.size
        if self.out_post[post]:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        ks = net.by_post[net.post_start[post] : net.post_start[post + 1]].astype(np.int64)
        persons = net.person[ks].astype(np.int64)
        keep = ~self.out_person[persons]
        if self.ban_pos.size:
            keep &= ~np.isin(ks, self.ban_pos)
        ks, persons = ks[keep], persons[keep]
        source = post if self.occupant[post] >= 0 else m
        dist, gain, *_ = self._tree(source, -1, cycle=False)
        at = self.at[persons]
        target = np.where(at >= 0, at, m)
        held = np.where(at >= 0, net.prob.score[net.arcs[self.hpos[persons]]], 0)
        change = gain[target] - held + net.prob.score[net.arcs[ks]]
        price = np.where(dist[target] != _INF, -change.astype(np.float64), np.inf)
        price[at == post] = 0.0
        order = np.argsort(persons, kind="stable")
        return persons[order], price[order]

    def worst_reduced_cost(self) -> int:
        """The least reduced cost of any arc of the plan's residual graph under the
        potentials (every unplaced person's arcs included): >= 0 certifies the plan
        optimal. One pass over the network's arcs: for tests and checks."""
        from solvers.cycle_kernels import worst_reduced_cost

        net = self.net
        return int(
            worst_reduced_cost(
                net.start, net.post, net.value, self.hpos, self.occupant, self.may_leave,
                self.out_post, self.has_ban, self.ban_pos, self._unplaced_persons(), self.pi,
            )
        )  # fmt: skip

    # -- the walk and the bookkeeping -------------------------------------------

    def _position(self, person: int, post: int) -> int:
        return int(self.net.positions(np.array([person]), np.array([post]))[0])

    def _is_banned(self, person: int, k: int) -> bool:
        return bool(self.has_ban[person]) and k in set(self.ban_pos.tolist())

    def _unplaced_persons(self) -> np.ndarray:
        return np.flatnonzero((self.at < 0) & ~self.out_person)

    def _tree(self, source: int, target: int, *, cycle: bool) -> tuple[np.ndarray, ...]:
        from solvers.cycle_kernels import local_tree

        net, m = self.net, self.occupant.size
        dist = np.empty(m + 2, dtype=np.int64)
        gain, pred, who, via = (np.zeros(m + 2, dtype=np.int64) for _ in range(4))
        pi = np.r_[self.pi, self.pi[source] if source <= m else 0]
        local_tree(
            source, target, cycle, net.start, net.post, net.value, net.arcs, net.prob.score,
            self.hpos, self.occupant, self.may_leave, self.out_post, self.has_ban,
            self.ban_pos, self.best, pi, dist, gain, pred, who, via,
        )  # fmt: skip
        return dist, gain, pred, who, via

    def _repaired(self, moves: list[tuple[int, int]], dist: np.ndarray, shift: int) -> np.ndarray:
        """The potentials after pushing round a cycle of reduced length ``shift``:
        ``pi + min(dist, shift)``. A post that was empty was part of the sink (its
        arcs led there); filled now, it starts from the sink's potential."""
        m = self.occupant.size
        pi = self.pi + np.minimum(dist[: m + 1], shift)
        taken = np.array([self.net.post[k] for _, k in moves if k >= 0], dtype=np.int64)
        taken = taken[self.occupant[taken] < 0]
        pi[taken] = pi[m]
        return pi

    def _walk(
        self, source: int, target: int, pred: np.ndarray, who: np.ndarray, via: np.ndarray
    ) -> list[tuple[int, int]]:
        """(person, new position or -1) along the tree's path ``source -> target``."""
        moves = []
        v = target
        while v != source:
            k = int(via[v])
            if k >= 0:
                moves.append((int(self.net.person[k]), k))
            elif who[v] >= 0:  # leaves their post
                moves.append((int(who[v]), -1))
            v = int(pred[v])
        return moves[::-1]

    def _after(
        self,
        moves: list[tuple[int, int]],
        pi: np.ndarray,
        *,
        pin: tuple[int, int] | None = None,
        ban: tuple[int, int] | None = None,
    ) -> Local:
        """A new state: ``moves`` made, the pin or ban recorded, the best takers
        kept true where a person came or left the unplaced, or a post was filled."""
        net = self.net
        at, arc, hpos, occupant = (a.copy() for a in (self.at, self.arc, self.hpos, self.occupant))
        out_person, out_post = self.out_person.copy(), self.out_post.copy()
        may_leave, has_ban, ban_pos = self.may_leave.copy(), self.has_ban.copy(), self.ban_pos
        was_unplaced = (at < 0) & ~out_person
        moved = np.array([p for p, _ in moves], dtype=np.int64)
        for p, _ in moves:  # who leaves first, then who comes: posts change hands
            if at[p] >= 0 and occupant[at[p]] == p:
                occupant[at[p]] = -1
        for p, k in moves:
            at[p] = net.post[k] if k >= 0 else -1
            arc[p] = net.arcs[k] if k >= 0 else -1
            hpos[p] = k
            if k >= 0:
                occupant[net.post[k]] = p
        if pin is not None:
            out_person[pin[0]], out_post[pin[1]], may_leave[pin[0]] = True, True, False
            hpos[pin[0]] = -1
        if ban is not None:
            has_ban[ban[0]] = True
            ban_pos = np.unique(np.r_[ban_pos, ban[1]]).astype(np.int64)
        state = dataclasses.replace(
            self, at=at, arc=arc, hpos=hpos, occupant=occupant, out_person=out_person,
            out_post=out_post, may_leave=may_leave, has_ban=has_ban, ban_pos=ban_pos,
            best=self.best.copy(), pi=pi,
        )  # fmt: skip
        now_unplaced = (at < 0) & ~out_person
        gone = moved[was_unplaced[moved] & ~now_unplaced[moved]]
        if pin is not None and was_unplaced[pin[0]]:
            gone = np.r_[gone, pin[0]]
        came = np.unique(moved[~was_unplaced[moved] & now_unplaced[moved]])
        filled = [int(net.post[k]) for _, k in moves if k >= 0]
        refresh = [np.array(filled, dtype=np.int64)]
        for p in np.unique(gone).tolist():  # posts whose best taker is placed now
            ks = np.arange(net.start[p], net.start[p + 1])
            qs = net.post[ks]
            refresh.append(qs[state.best[qs] == ks].astype(np.int64))
        if ban is not None:
            refresh.append(np.array([net.post[ban[1]]], dtype=np.int64))
        posts = np.unique(np.concatenate(refresh))
        posts = posts[(occupant[posts] >= 0) & ~out_post[posts]]
        state.best[occupant < 0] = -1
        state._takers(posts)
        if came.size:
            from solvers.cycle_kernels import offer_takers

            offer_takers(
                came, net.start, net.post, net.person, net.value, net.arcs, net.prob.score,
                occupant, out_post, has_ban, ban_pos, state.best,
            )  # fmt: skip
        return state

    def _takers(self, posts: np.ndarray) -> None:
        """Make ``best`` true for ``posts`` (filled, in the network) from their arcs."""
        from solvers.cycle_kernels import best_takers

        net = self.net
        unplaced = (self.at < 0) & ~self.out_person
        best_takers(
            np.asarray(posts, dtype=np.int64), net.by_post, net.post_start, net.person,
            net.value, net.arcs, net.prob.score, unplaced, self.has_ban, self.ban_pos, self.best,
        )  # fmt: skip
