"""The lexicographic objective solved level by level, on the optimal face.

The flow folds the levels of the objective (post tiers, highest first; the
total score; the fewest non-stay arcs) into one integer cost per arc
(:func:`solvers.backends.network.fold_levels`). On a large round the folded
costs need more than OR-Tools' 64-bit range (``|cost| * (nodes + 1)`` below
:data:`~solvers.backends.mcf.COST_LIMIT`); the levels are then solved in
sequence instead, exactly:

1. The levels are grouped into *stages*: consecutive levels are folded
   together for as long as their folded costs fit (:func:`stages`), so a
   round that nearly fits takes two stages (the tiers, then score and
   moves), not one per level.
2. A stage is one min-cost flow on the network that the earlier stages
   left. Its node potentials (shortest distances in the residual graph of
   the optimal flow, :func:`solvers.duals.potentials`) are its certificate:
   no residual arc has a negative reduced cost, or the solve stops with an
   error.
3. Those potentials are optimal duals, so by complementary slackness every
   optimum of the stage leaves an arc of positive reduced cost empty and
   fills an arc of negative reduced cost; any flow that does both costs the
   optimum (its cost is the sum of the negative reduced costs plus a
   constant of the supplies). That set, the *optimal face*, is exactly the
   stage's optima, and it is what the next stage solves over: arcs of
   positive reduced cost are dropped, person-post arcs of negative reduced
   cost are fixed (person and post leave the network), a person whose
   "unplaced" arc is dropped must be placed, a post whose arc to the sink
   is fixed must be filled (a demand of one at the post), and a post whose
   arc to the sink is dropped stays empty. Reduced costs are integers, so
   "zero" is exact.

The last stage's flow, with the fixed arcs, is a lexicographic optimum of
the whole objective (tested against brute force and the folded solve on
random problems with a tiny cost bound, tests/solvers/test_levels.py).
:func:`fewest_moves` is the last stage alone, after a first stage that the
flow solved its usual way (the tiers and score folded, the certified path
on a large component). A stage's potentials are found on the post graph of
:mod:`solvers.prices` (the placed persons' arcs only), not on the whole
residual graph.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
from ortools.graph.python import min_cost_flow

from solvers.backends.mcf import COST_LIMIT, InfeasibleCore, _unplaceable
from solvers.duals import potentials
from solvers.errors import CostRangeError
from solvers.problem import AssignmentProblem

__all__ = [
    "Level",
    "StageNodes",
    "fewest_moves",
    "levels_of",
    "solve_levels",
    "stage_flow",
    "stages",
]

_MCF = min_cost_flow.SimpleMinCostFlow


@dataclass(frozen=True)
class Level:
    """One level of the objective, maximised: ``value`` per arc (int64),
    ``span`` bounding the difference of its sum between two plans, ``top``
    bounding ``|value|``."""

    value: np.ndarray
    span: int
    top: int
    tier: bool = False  # the fills of one post tier


def levels_of(
    prob: AssignmentProblem, arcs: np.ndarray, ql: np.ndarray, posts: np.ndarray, n_p: int
) -> list[Level]:
    """The levels of the objective on the arcs ``arcs`` (problem indices)
    whose posts are ``posts[ql]``, highest first: one per post tier (a fill
    of that tier is worth 1), the score, then minus one per non-stay arc
    when the problem has that tie-break."""
    levels: list[Level] = []
    m_local = min(n_p, posts.size)
    if prob.priority is not None:
        tier = prob.priority[posts]
        arc_tier = tier[ql]
        for t in np.unique(tier[tier > 0])[::-1].tolist():
            count = int((tier == t).sum())
            levels.append(Level((arc_tier == t).astype(np.int64), min(count, n_p), 1, True))
    score = prob.score[arcs].astype(np.int64)
    if score.size:
        hi, lo = max(int(score.max()), 0), min(int(score.min()), 0)
    else:
        hi = lo = 0
    levels.append(Level(score, m_local * (hi - lo), max(hi, -lo)))
    if prob.has_moves_level:
        levels.append(Level(-(~prob.is_stay[arcs]).astype(np.int64), m_local, 1))
    return levels


def _weights(levels: list[Level]) -> list[int]:
    """Weights that fold ``levels`` lexicographically: the last weighs 1 and
    each one more than the largest difference the lower ones can make."""
    weights = [1] * len(levels)
    below = 0
    for k in range(len(levels) - 1, -1, -1):
        weights[k] = 1 + below
        below += weights[k] * levels[k].span
    return weights


def _fits(levels: list[Level], n_nodes: int, limit: int) -> bool:
    top = sum(w * lv.top for w, lv in zip(_weights(levels), levels, strict=True))
    return top * (n_nodes + 1) < limit


def stages(levels: list[Level], n_nodes: int, limit: int = COST_LIMIT) -> list[list[Level]]:
    """The levels grouped into stages, each as many consecutive levels as
    fold into costs within ``limit`` on ``n_nodes`` nodes.

    Raises
    ------
    CostRangeError
        If one level alone does not fit (scores too large for 64 bits).
    """
    out: list[list[Level]] = []
    i = 0
    while i < len(levels):
        if not _fits(levels[i : i + 1], n_nodes, limit):
            raise CostRangeError(
                f"one level of the objective (values up to {levels[i].top}) does not fit "
                f"64-bit costs on {n_nodes} nodes",
                "scores",
            )
        j = i + 1
        while j < len(levels) and _fits(levels[i : j + 1], n_nodes, limit):
            j += 1
        out.append(levels[i:j])
        i = j
    return out


class _Face:
    """What the stages so far leave open: the optimal face of their levels."""

    def __init__(self, n_p: int, n_q: int, pl: np.ndarray, ql: np.ndarray, may_leave: np.ndarray):
        self.n_p, self.n_q = n_p, n_q
        self.pl, self.ql = pl, ql
        self.sink = n_p + n_q
        self.alive = np.ones(pl.size, dtype=bool)  # arc still free
        self.fixed = np.zeros(pl.size, dtype=bool)  # arc in every optimum
        self.person = np.ones(n_p, dtype=bool)  # person still in the network
        self.leave = may_leave.astype(bool).copy()  # "unplaced" arc still free
        self.post = np.ones(n_q, dtype=bool)  # post still in the network
        self.forced = np.zeros(n_q, dtype=bool)  # post filled in every optimum

    def solve(self, cost: np.ndarray) -> np.ndarray | None:
        """Min-cost flow over the face (``cost`` per live arc); flow per live
        arc, or None when infeasible."""
        act = np.flatnonzero(self.alive)
        return stage_flow(self, self.pl[act], self.ql[act], cost, "a stage")

    def restrict(self, cost: np.ndarray, used: np.ndarray) -> None:
        """Certify the stage's flow ``used`` (per live arc) by potentials and
        keep only its optimal face (module docstring, step 3)."""
        whole = bool(self.alive.all())  # the first stage: no gathers
        act = np.flatnonzero(self.alive) if not whole else None
        p, q = (self.pl, self.ql) if act is None else (self.pl[act], self.ql[act])
        leave = np.flatnonzero(self.person & self.leave)
        open_posts = np.flatnonzero(self.post & ~self.forced)
        d_p, d_q, d_s = _potentials(self.n_p, self.n_q, p, q, cost, used, leave, open_posts)
        rc = cost + d_p[p]
        rc -= d_q[q]
        del p, q
        if act is None:
            self.alive &= rc <= 0
            fix = np.flatnonzero(rc < 0)
        else:
            self.alive[act[rc > 0]] = False
            fix = act[rc < 0]
        del rc, act
        self.fixed[fix] = True
        self.person[self.pl[fix]] = False
        self.post[self.ql[fix]] = False
        restrict_nodes(self, leave, open_posts, d_p, d_q, d_s)
        self.alive &= self.person[self.pl]
        self.alive &= self.post[self.ql]


def _potentials(
    n_p: int,
    n_q: int,
    p: np.ndarray,
    q: np.ndarray,
    cost: np.ndarray,
    used: np.ndarray,
    leave: np.ndarray,
    open_posts: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, int]:
    """Potentials of persons, posts and the sink that certify an optimal flow
    ``used`` over the arcs ``(p, q)`` of cost ``cost``: every residual arc has
    a reduced cost ``cost + d[tail] - d[head] >= 0``.

    Found on the post graph of :mod:`solvers.prices`, whose arcs are the
    placed persons' arcs only: a placed person is merged with their post
    (``d[person] = d[post] - cost`` of the arc they hold: the residual arc
    back has reduced cost 0), an unplaced person with the sink (``d = d[sink]``),
    and the unplaced persons' arcs become one arc from the sink per post, the
    cheapest. ``leave``: persons with an "unplaced" arc; ``open_posts``: posts
    with an arc to the sink (the others must be filled).
    """
    sink = n_q
    at = np.full(n_p, -1, dtype=np.int64)
    at[p[used]] = q[used]
    held = np.zeros(n_p, dtype=np.int64)
    held[p[used]] = cost[used]
    placed = at >= 0
    free_arc = ~placed[p]  # arcs of unplaced persons (never used)
    mine = ~(used | free_arc)
    pm = p[mine]
    t1, h1 = at[pm], q[mine].astype(np.int64)
    c1 = cost[mine]
    c1 -= held[pm]
    del pm, mine
    best = np.full(n_q, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(best, q[free_arc], cost[free_arc])
    from_sink = np.flatnonzero(best < np.iinfo(np.int64).max)
    go = leave[placed[leave]]  # placed persons who may leave: their post -> sink
    filled = np.zeros(n_q, dtype=bool)
    filled[q[used]] = True
    empty = open_posts[~filled[open_posts]]
    back = open_posts[filled[open_posts]]  # filled posts: the sink may empty them
    tail = np.concatenate(
        [t1, np.full(from_sink.size, sink), at[go], empty, np.full(back.size, sink)]
    )
    head = np.concatenate([h1, from_sink, np.full(go.size + empty.size, sink), back])
    rcost = np.concatenate(
        [c1, best[from_sink], -held[go], np.zeros(empty.size + back.size, dtype=np.int64)]
    )
    del t1, h1, c1
    d = potentials(n_q + 1, tail, head, rcost)
    if d is None:  # pragma: no cover - OR-Tools returned an optimum
        raise RuntimeError("a stage's flow is not optimal: its residual graph has a negative cycle")
    d_s = int(d[sink])
    d_p = np.where(placed, d[np.where(placed, at, sink)] - held, d_s)
    return d_p, d[:n_q], d_s


def solve_levels(
    n_p: int,
    n_q: int,
    pl: np.ndarray,
    ql: np.ndarray,
    may_leave: np.ndarray,
    levels: list[Level],
    limit: int = COST_LIMIT,
    tier_posts: np.ndarray | None = None,
) -> tuple[np.ndarray, int, bool]:
    """Flow (0/1) per person->post arc of a lexicographic optimum of
    ``levels`` (highest first), solved stage by stage on the optimal face;
    the number of stages; and whether the tier posts were all filled.

    ``tier_posts`` (bool per post): the posts of the tier levels. When one
    plan fills them all, every lexicographic optimum of the tiers does (no
    plan fills more of any tier), so those levels become a demand of one at
    each of those posts, not stages; when none can, the tiers are stages.

    Raises
    ------
    InfeasibleCore
        If the persons who may not leave cannot all be placed.
    CostRangeError
        If one level alone does not fit the cost range.
    """
    n_nodes = n_p + n_q + 1
    if tier_posts is not None and tier_posts.any():
        face = _Face(n_p, n_q, pl, ql, may_leave)
        face.forced[tier_posts] = True
        got = _run(face, stages([lv for lv in levels if not lv.tier], n_nodes, limit))
        if got is not None:
            return got[0], got[1], True
    got = _run(_Face(n_p, n_q, pl, ql, may_leave), stages(levels, n_nodes, limit))
    if got is None:
        raise InfeasibleCore(_unplaceable(n_p, n_q, pl, ql, may_leave))
    return got[0], got[1], False


def _run(face: _Face, groups: list[list[Level]]) -> tuple[np.ndarray, int] | None:
    """The stages ``groups`` on ``face``: the flow and the number of stages,
    or None when the first stage has no flow."""
    used = np.zeros(0, dtype=bool)
    for k, group in enumerate(groups):
        act = np.flatnonzero(face.alive)
        cost = np.zeros(act.size, dtype=np.int64)
        for w, lv in zip(_weights(group), group, strict=True):
            cost -= w * lv.value[act]
        got = face.solve(cost)
        if got is None:
            if k == 0:
                return None
            raise RuntimeError("the optimal face of a stage has no flow")  # pragma: no cover
        used = np.zeros(face.pl.size, dtype=bool)
        used[act[got]] = True
        if k + 1 < len(groups):
            face.restrict(cost, got)
    flow = face.fixed | used
    return flow.astype(np.int64), len(groups)


def fewest_moves(
    n_p: int,
    n_q: int,
    pl: np.ndarray,
    ql: np.ndarray,
    may_leave: np.ndarray,
    cost: np.ndarray,
    flow: np.ndarray,
    nonstay: np.ndarray,
) -> np.ndarray:
    """An optimal ``flow`` of the levels above the moves (folded into
    ``cost`` per arc) turned into one with the fewest non-stay arcs among
    their optima: the last stage of :func:`solve_levels`, after a first
    stage solved by any method (the certified path of a large component)."""
    face = _Face(n_p, n_q, pl, ql, may_leave)
    face.restrict(cost, flow > 0)
    act = np.flatnonzero(face.alive)
    got = face.solve(nonstay[act].astype(np.int64))
    if got is None:  # pragma: no cover - the first stage's flow lies on its face
        raise RuntimeError("the optimal face of the levels above the moves has no flow")
    out = face.fixed.copy()
    out[act[got]] = True
    return out.astype(np.int64)


class StageNodes(Protocol):
    """The nodes' state a stage's flow reads: persons ``0..n_p-1`` (``person``:
    still to place; ``leave``: may go unplaced), posts ``n_p..sink-1``
    (``post``: still open; ``forced``: filled in every optimum), the sink."""

    n_p: int
    sink: int
    person: np.ndarray
    leave: np.ndarray
    post: np.ndarray
    forced: np.ndarray


def restrict_nodes(
    state: StageNodes,
    leave: np.ndarray,
    open_posts: np.ndarray,
    d_p: np.ndarray,
    d_q: np.ndarray,
    d_s: int,
) -> None:
    """The sink's arcs kept on a stage's optimal face (step 3): a person who may
    leave keeps leaving only at reduced cost 0 and must leave below it; an open
    post stays open only at reduced cost 0 and must be filled below it."""
    rc_leave = d_p[leave] - d_s
    state.leave[leave[rc_leave > 0]] = False
    state.person[leave[rc_leave < 0]] = False
    rc_post = d_q[open_posts] - d_s
    state.post[open_posts[rc_post > 0]] = False
    state.forced[open_posts[rc_post < 0]] = True


def stage_flow(
    net: StageNodes, tails_local: np.ndarray, heads_local: np.ndarray, cost: np.ndarray, what: str
) -> np.ndarray | None:
    """OR-Tools' min-cost flow of one stage: the arcs from persons ``tails_local``
    to posts ``heads_local`` (local ids, ``cost`` each), every open post and
    every person who may leave tied to the sink, the posts filled in every
    optimum as demands. ``net`` gives the nodes' state (a face of the levels
    over every arc, or the sparse core's, :mod:`solvers.backends.core`).
    Returns the flow per arc, or None when there is no feasible flow."""
    n_p, sink = net.n_p, net.sink
    leave = np.flatnonzero(net.person & net.leave)
    open_posts = np.flatnonzero(net.post & ~net.forced)
    tails = np.concatenate([tails_local, n_p + open_posts, leave]).astype(np.int32)
    heads = np.concatenate([n_p + heads_local, np.full(open_posts.size + leave.size, sink)]).astype(
        np.int32
    )
    costs = np.concatenate([cost, np.zeros(open_posts.size + leave.size, dtype=np.int64)])
    mcf = _MCF()
    mcf.add_arcs_with_capacity_and_unit_cost(
        tails, heads, np.ones(tails.size, dtype=np.int64), costs
    )
    supplies = np.zeros(sink + 1, dtype=np.int64)
    supplies[:n_p] = net.person
    demand = net.post & net.forced
    supplies[n_p:sink] = -demand.astype(np.int64)
    supplies[sink] = -(int(net.person.sum()) - int(demand.sum()))
    mcf.set_nodes_supplies(np.arange(sink + 1, dtype=np.int32), supplies)
    status = mcf.solve()
    if status == _MCF.INFEASIBLE:
        return None
    if status != _MCF.OPTIMAL:  # pragma: no cover - costs are range-checked
        raise RuntimeError(f"min-cost flow of {what} returned {status!r}")
    return mcf.flows(np.arange(tails_local.size, dtype=np.int32)).astype(bool)
