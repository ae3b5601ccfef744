"""The core problem as a min-cost flow (OR-Tools ``SimpleMinCostFlow``).

Network: every person is a node with supply 1; it sends its unit either
to a post (arc per allowed pair, capacity 1, cost ``-value``) or, unless it
must be placed, straight to the sink (its "unplaced" arc, cost 0); every
post sends at most one unit to the sink. A minimum-cost flow is then a
maximum-value assignment, vacancy chains included: a person who moves
frees a home post that another person's arc can fill in the same flow.

Steps, all vectorised (no per-arc Python loop):

1. Pins are taken out (the pinned person and post leave the network),
   banned arcs are dropped, arcs are taken in canonical ``(person, post)``
   order so that the same arcs in any order give the same plan.
2. The graph is split into connected components
   (``scipy.sparse.csgraph.connected_components``, or a compiled
   union-find on large arc sets: :mod:`solvers.kernels`); small components are
   packed into batches and solved together (their objectives add up, so
   one flow per batch is optimal for each), large ones alone.
3. The lexicographic objective is folded into one integer value per arc,
   scaled per component (see :func:`fold_levels`), so that a maximum-value
   flow is lexicographically best: tiers, then score, then fewest
   non-stay arcs. The cost range OR-Tools accepts
   (``max|cost| * (nodes + 1) < 2**62``) is checked before solving.
4. A very large component (millions of arcs, high degree) is solved on a
   sparsified arc set and certified: potentials (duals) of the sparse
   optimum price every left-out arc; if none has a negative reduced cost
   the sparse optimum is optimal for the whole component (a proof, not a
   heuristic). Violating arcs are added and the plan repaired or re-solved.
   The sparse set goes to the auction of :mod:`solvers.auction` first (its
   potentials are checked on every arc), then, if it cannot prove its
   plan, to the min-cost flow.

Assumptions
-----------
* The problem has been validated by :class:`~solvers.AssignmentProblem`.
* Side constraints and ``allow_cycles`` are ignored here: this is the
  relaxation that :mod:`solvers.cpsat` starts from and whose optimum, when
  it happens to satisfy them, is returned as is.
"""

from __future__ import annotations

import itertools
import multiprocessing as mp
import os
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from ortools.graph.python import min_cost_flow
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components, maximum_bipartite_matching

from solvers.duals import Residual
from solvers.errors import CostRangeError
from solvers.problem import AssignmentProblem

if TYPE_CHECKING:  # compiled on first use: imported by large rounds only
    from solvers.auction import AuctionResult

__all__ = ["FlowResult", "Fold", "Prepared", "fold_levels", "prepare", "solve_flow", "top_k_mask"]

_MCF = min_cost_flow.SimpleMinCostFlow
#: OR-Tools multiplies costs by (nodes + 1) and needs the product below 2**62.
_COST_LIMIT = 2**61
#: Components are packed into batches of at most this many nodes.
BATCH_NODES = 2_000
#: A component with at least this many arcs (and mean degree >= SPARSE_MIN_DEGREE)
#: is solved on a sparsified arc set and certified by duals.
SPARSE_MIN_ARCS = 1_000_000
SPARSE_MIN_DEGREE = 12
#: Arcs kept per person and per post in the first sparse solve.
SPARSE_K_PERSON = 10
SPARSE_K_POST = 5
#: ... but at most this many times that many arcs (see sparse_mask).
SPARSE_CAP = 2
#: Share of the posts whose best arcs the persons' thread also picks (the
#: rest in a second thread). On the 50k x 30k bench the persons' pick takes
#: 0.05 s and the posts' 0.12 s (less in two ranges, see
#: ``solvers.kernels.mark_best``); with a share from 0.25 to 0.45 both
#: threads were done in 0.063-0.09 s, without a clear best: the middle.
PICK_SPLIT = 0.35
#: Processes for the flow's batches of components (a forked child takes about
#: half of the arcs) when the arcs number at least PARALLEL_MIN_ARCS.
FLOW_PROCESSES = 2
PARALLEL_MIN_ARCS = 1_000_000
#: Arcs handled at a time by the passes over a whole (very large) arc set.
_CHUNK = 1 << 22
#: From this many arcs on, passes over the arcs use the compiled code of
#: solvers.kernels (components, values, best arcs); below, scipy and numpy
#: (nothing to compile: a demo round never loads numba).
KERNEL_MIN_ARCS = 200_000
#: Rounds of adding violated arcs before falling back to the whole arc set.
SPARSE_ROUNDS = 40
#: Up to this many violating arcs are repaired one by one (a shortest path
#: each); more trigger a new solve with the arcs added.
REPAIR_MAX = 64


class InfeasibleCore(Exception):
    """The must-place persons cannot all be placed (internal signal)."""

    def __init__(self, persons: np.ndarray) -> None:
        super().__init__(f"{persons.size} must-place persons cannot be placed")
        self.persons = persons

    def __reduce__(self) -> tuple:
        return (InfeasibleCore, (self.persons,))


class _RangeSignal(Exception):
    """The values do not fit OR-Tools' cost range (internal signal)."""


@dataclass
class Prepared:
    """The problem reduced to a flow network (canonical order, pins out)."""

    prob: AssignmentProblem
    arcs: np.ndarray  # active arc indices, canonical order
    pinned: np.ndarray  # arc indices of pins
    must: np.ndarray  # bool per person: must be placed and not pinned
    free_person: np.ndarray  # bool per person: not pinned
    free_post: np.ndarray  # bool per post: not pinned
    labels: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    person: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # of each arc
    post: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    moves_level: bool = True
    fold: Fold | None = None
    note: str = ""
    _values: np.ndarray | None = None

    @property
    def values(self) -> np.ndarray:
        """The folded value of each arc (:func:`fold_levels`), computed on first
        use: a large round solved by stages may never need them."""
        if self._values is None:
            if self.fold is None:
                return np.zeros(0, dtype=np.int64)
            self._values = self.fold.values(
                self.prob, self.arcs, self.labels, self.person, self.post
            )
        return self._values

    @property
    def post_offset(self) -> np.ndarray | None:
        """Per post, the part of its arcs' values that its tier contributes
        (``F[tier] * A``); None without tiers."""
        return None if self.fold is None else self.fold.offset


@dataclass
class FlowResult:
    """Chosen arcs of an optimal flow, and how they were found."""

    chosen: np.ndarray  # arc indices (problem order), pins included
    method: str
    wall_time: float
    note: str = ""
    certified_components: int = 0
    sparse_rounds: list[dict] = field(default_factory=list)


# ---------------------------------------------------------------- values
def _present(idx: np.ndarray, size: int) -> np.ndarray:
    """Sorted distinct values of ``idx`` (all in ``[0, size)``), via a mask."""
    mask = np.zeros(size, dtype=bool)
    mask[idx] = True
    return np.flatnonzero(mask)


def _tier_weights(
    prob: AssignmentProblem,
    post_label: np.ndarray,
    n_comp: int,
    posts: np.ndarray,
    dtype: type = np.int64,
) -> np.ndarray:
    """Fill weight ``F[c, tier]`` per post, lexicographic over tiers.

    Within a component, filling one post of a tier is worth more than
    filling every post of all lower tiers: ``F_1 = 1`` and
    ``F_{k+1} = 1 + sum_{l <= k} F_l * count_l``; tier 0 weighs 0.
    Returned per post (0 for posts outside ``posts``).
    """
    assert prob.priority is not None
    pr = prob.priority
    weight = np.zeros(prob.n_posts, dtype=dtype)
    tiers = np.unique(pr[posts])
    tiers = tiers[tiers > 0]
    acc = np.zeros(n_comp, dtype=dtype)  # sum of F_l * count_l so far
    for t in tiers:  # few tiers: loop over tiers, vectorised over components
        sel = posts[pr[posts] == t]
        f = 1 + acc
        weight[sel] = f[post_label[sel]]
        acc = acc + f * np.bincount(post_label[sel], minlength=n_comp)
    return weight


@dataclass
class Fold:
    """How :func:`fold_levels` folds the levels into one value per arc:
    ``B`` per component and ``F[tier] * A`` per post (see there)."""

    b_c: np.ndarray
    offset: np.ndarray | None
    moves_level: bool

    def values(
        self,
        prob: AssignmentProblem,
        arcs: np.ndarray,
        labels: np.ndarray,
        p: np.ndarray,
        q: np.ndarray,
    ) -> np.ndarray:
        """The value of each arc ``arcs`` (persons ``p``, posts ``q``)."""
        if arcs.size >= KERNEL_MIN_ARCS:  # one compiled pass, no temporaries
            from solvers.kernels import as_ids, fold_values

            empty = np.zeros(0, dtype=np.int64)
            offset = empty if self.offset is None else self.offset
            return fold_values(
                prob.score,
                arcs,
                as_ids(p),
                as_ids(q),
                labels,
                self.b_c,
                prob.home,
                self.moves_level,
                offset,
            )
        value = prob.score[arcs]
        if self.moves_level:
            value *= self.b_c[0] if self.b_c.size == 1 else self.b_c[labels[p]]
            value -= ~prob.is_stay[arcs]  # one point per non-stay arc
        if self.offset is not None:
            value += self.offset[q]
        return value


def fold_levels(
    prob: AssignmentProblem,
    arcs: np.ndarray,
    labels: np.ndarray,
    n_comp: int,
    moves_level: bool,
    p: np.ndarray,
    q: np.ndarray,
    *,
    stats: tuple | None = None,
) -> Fold:
    """How to fold the levels into one value per arc, its range checked.

    The folded value of an arc (:meth:`Fold.values`), whose maximum sum
    is the lexicographic optimum, is
    ``value = F[tier] * A + score * B - nonstay``, per component ``c``:

    * ``B = M_c + 1`` where ``M_c`` bounds the number of chosen arcs
      (``min(persons, posts)`` of the component), so one point of score
      outweighs any number of non-stay arcs (``B = 1`` and no ``nonstay``
      term without the moves level);
    * ``A = M_c * (max(s, 0) - min(s, 0)) * B + M_c + 1``, larger than any
      difference in ``score * B - nonstay`` between two plans;
    * ``F`` from :func:`_tier_weights` (0 everywhere without tiers).

    ``arcs`` are the arc indices to value, ``p`` and ``q`` their persons and
    posts, ``labels`` the component of every node (persons ``0..n-1``,
    posts ``n..n+m-1``). ``stats``: :func:`solvers.kernels.arc_stats` of
    these arcs, when they are one component and it ran already. Raises
    ``_RangeSignal`` when the values would not fit 64 bits.
    """
    n, m = prob.n_persons, prob.n_posts
    if not arcs.size:
        return Fold(np.ones(max(n_comp, 1), dtype=np.int64), None, moves_level)
    single = n_comp == 1  # one component: per-component arrays are scalars
    if stats is not None or arcs.size >= KERNEL_MIN_ARCS:  # one compiled pass
        from solvers.kernels import arc_stats, as_ids

        has_p, has_q, smax, smin, top = stats or arc_stats(
            prob.score, arcs, as_ids(p), as_ids(q), labels, n, m, n_comp
        )
        persons, posts = np.flatnonzero(has_p), np.flatnonzero(has_q)
        del has_p, has_q
    else:
        s = prob.score[arcs]
        persons, posts = _present(p, n), _present(q, m)
        top = int(np.abs(s).max())
        if single:
            smax = np.array([max(int(s.max()), 0)], dtype=np.int64)
            smin = np.array([min(int(s.min()), 0)], dtype=np.int64)
        else:
            comp = labels[p]
            smax = np.zeros(n_comp, dtype=np.int64)
            smin = np.zeros(n_comp, dtype=np.int64)
            np.maximum.at(smax, comp, s)
            np.minimum.at(smin, comp, s)
        del s
    persons_c = np.bincount(labels[persons], minlength=n_comp)
    posts_c = np.bincount(labels[n + posts], minlength=n_comp)
    m_c = np.minimum(persons_c, posts_c).astype(np.int64)
    b_c = m_c + 1 if moves_level else np.ones(n_comp, dtype=np.int64)
    # estimate magnitudes in floating point first: int64 would wrap silently
    if float(top) * float(b_c.max()) + 1 >= _COST_LIMIT:
        raise _RangeSignal()
    if prob.priority is None:
        return Fold(b_c, None, moves_level)
    span = (smax - smin).astype(np.float64) * m_c * b_c + m_c + 1
    weight_f = _tier_weights(prob, labels[n:], n_comp, posts, np.float64)
    # an arc's component is its post's: the largest product is over posts;
    # |score * B - nonstay| is at most |score| * B + 1
    if (
        float((weight_f[posts] * span[labels[n + posts]]).max()) + float(top) * float(b_c.max()) + 1
        >= _COST_LIMIT
    ):
        raise _RangeSignal()
    a_c = m_c * (smax - smin) * b_c + m_c + 1
    offset = _tier_weights(prob, labels[n:], n_comp, posts, np.int64)
    offset *= a_c[0] if single else a_c[labels[n:]]
    return Fold(b_c, offset, moves_level)


# ------------------------------------------------------------- preparing
#: The labels argument of a compiled pass over one component (not read).
_NO_LABELS = np.zeros(0, dtype=np.int64)


def _components(p: np.ndarray, q: np.ndarray, n: int, m: int) -> tuple[int, np.ndarray]:
    """Connected components of persons ``0..n-1`` and posts ``n..n+m-1`` joined
    by the arcs ``(p, q)`` (sorted by person), numbered by smallest node.

    Large arc sets go to the compiled union-find of
    :func:`solvers.kernels.components`, the rest to scipy (same numbering).
    """
    if p.size >= KERNEL_MIN_ARCS and max(n, m) < 2**31:
        from solvers.kernels import as_ids, components

        return components(as_ids(p), as_ids(q), n, m)
    # arcs are sorted by person: build the CSR arrays directly (no COO sort)
    indptr = np.empty(n + m + 1, dtype=np.int64)
    indptr[0] = 0
    np.cumsum(np.bincount(p, minlength=n), out=indptr[1 : n + 1])
    indptr[n + 1 :] = indptr[n]
    graph = csr_matrix(
        (np.ones(p.size, dtype=np.int8), (n + q).astype(np.int32), indptr),
        shape=(n + m, n + m),
    )
    n_comp, labels = connected_components(graph, directed=False)
    return int(n_comp), labels.astype(np.int64)


def prepare(prob: AssignmentProblem, moves_level: bool | None = None) -> Prepared:
    """Reduce ``prob`` to a flow network: pins out, bans out, components."""
    n, m = prob.n_persons, prob.n_posts
    free_person = np.ones(n, dtype=bool)
    free_post = np.ones(m, dtype=bool)
    pinned = prob.pin_arcs
    free_person[prob.person[pinned]] = False
    free_post[prob.post[pinned]] = False
    order = prob.canonical
    if pinned.size or prob.bans.shape[0]:
        keep = ~prob.banned[order] & free_person[prob.person[order]] & free_post[prob.post[order]]
        arcs = order[keep] if not keep.all() else order
    else:  # nothing to take out: skip three passes over the arcs
        arcs = order
    must = prob.must_place & free_person
    prep = Prepared(prob, arcs, pinned, must, free_person, free_post)
    if arcs.size == prob.n_arcs and prob.is_canonical:  # arcs 0..n_arcs-1: no copy
        p, q = prob.person, prob.post
    else:  # 32-bit node ids when they fit: a province round has tens of millions of arcs
        small = np.int32 if max(n, m) < 2**31 else np.int64
        p = prob.person[arcs].astype(small, copy=False)
        q = prob.post[arcs].astype(small, copy=False)
    stats = None
    if arcs.size >= KERNEL_MIN_ARCS and (os.cpu_count() or 1) > 1:
        # the arcs' statistics as if they were one component, in a second
        # thread while this one finds the components (both release the GIL)
        from solvers.kernels import arc_stats, as_ids

        with ThreadPoolExecutor(1) as pool:
            whole = pool.submit(
                arc_stats, prob.score, arcs, as_ids(p), as_ids(q), _NO_LABELS, n, m, 1
            )
            n_comp, prep.labels = _components(p, q, n, m)
            stats = whole.result()
    else:
        n_comp, prep.labels = _components(p, q, n, m)
    level = prob.has_moves_level if moves_level is None else moves_level
    prep.moves_level = level
    prep.fold = fold_levels(
        prob, arcs, prep.labels, n_comp, level, p, q, stats=stats if n_comp == 1 else None
    )
    prep.person, prep.post = p, q
    if arcs.size < KERNEL_MIN_ARCS:  # small rounds: no reason to wait
        prep._values = prep.fold.values(prob, arcs, prep.labels, p, q)
    return prep


# --------------------------------------------------------------- solving
def _check_range(cost: np.ndarray, n_nodes: int) -> bool:
    if cost.size == 0:
        return True
    top = max(int(cost.max()), -int(cost.min()))  # |cost| without a temporary array
    return top * (n_nodes + 1) < _COST_LIMIT


def _run_mcf(
    n_p: int, n_q: int, pl: np.ndarray, ql: np.ndarray, cost: np.ndarray, may_leave: np.ndarray
) -> np.ndarray:
    """Solve one assignment network; return flow (0/1) per person->post arc.

    Raises
    ------
    InfeasibleCore
        If the persons without an unplaced arc cannot all be placed.
    """
    sink = n_p + n_q
    leave = np.flatnonzero(may_leave)
    tails = np.concatenate([pl, n_p + np.arange(n_q), leave]).astype(np.int32)
    heads = np.concatenate([n_p + ql, np.full(n_q, sink), np.full(leave.size, sink)]).astype(
        np.int32
    )
    costs = np.concatenate([cost, np.zeros(n_q + leave.size, dtype=np.int64)])
    mcf = _MCF()
    mcf.add_arcs_with_capacity_and_unit_cost(
        tails, heads, np.ones(tails.size, dtype=np.int64), costs.astype(np.int64)
    )
    supplies = np.zeros(sink + 1, dtype=np.int64)
    supplies[:n_p] = 1
    supplies[sink] = -n_p
    mcf.set_nodes_supplies(np.arange(sink + 1, dtype=np.int32), supplies)
    status = mcf.solve()
    if status == _MCF.OPTIMAL:
        return mcf.flows(np.arange(pl.size, dtype=np.int32)).astype(np.int64)
    if status == _MCF.INFEASIBLE:
        raise InfeasibleCore(_unplaceable(n_p, n_q, pl, ql, may_leave))
    if status == _MCF.BAD_COST_RANGE:
        raise CostRangeError(
            f"OR-Tools rejected the cost range (max |cost| {int(np.abs(cost).max())}, "
            f"{sink + 1} nodes)",
            "scores",
        )
    if status == _MCF.UNBALANCED:  # pragma: no cover - supplies are balanced by construction
        raise RuntimeError("min-cost flow reported UNBALANCED supplies")
    if status == _MCF.BAD_CAPACITY_RANGE:  # pragma: no cover - capacities are 1
        raise RuntimeError("min-cost flow reported BAD_CAPACITY_RANGE")
    if status == _MCF.BAD_RESULT:  # pragma: no cover
        raise RuntimeError("min-cost flow reported BAD_RESULT (internal check failed)")
    if status == _MCF.FEASIBLE:  # pragma: no cover - solve() runs to optimality
        raise RuntimeError("min-cost flow stopped at a FEASIBLE, non-optimal flow")
    raise RuntimeError(f"min-cost flow returned {status!r}")  # NOT_SOLVED


def _unplaceable(
    n_p: int, n_q: int, pl: np.ndarray, ql: np.ndarray, may_leave: np.ndarray
) -> np.ndarray:
    """Local ids of must-place persons left out by a maximum placement."""
    # every person may leave, must-place persons at a cost of 1: the optimum
    # leaves out as few must-place persons as possible
    sink = n_p + n_q
    tails = np.concatenate([pl, n_p + np.arange(n_q), np.arange(n_p)]).astype(np.int32)
    heads = np.concatenate([n_p + ql, np.full(n_q, sink), np.full(n_p, sink)]).astype(np.int32)
    costs = np.concatenate([np.zeros(pl.size + n_q, dtype=np.int64), (~may_leave).astype(np.int64)])
    mcf = _MCF()
    mcf.add_arcs_with_capacity_and_unit_cost(
        tails, heads, np.ones(tails.size, dtype=np.int64), costs
    )
    supplies = np.zeros(sink + 1, dtype=np.int64)
    supplies[:n_p] = 1
    supplies[sink] = -n_p
    mcf.set_nodes_supplies(np.arange(sink + 1, dtype=np.int32), supplies)
    status = mcf.solve()
    if status != _MCF.OPTIMAL:  # pragma: no cover - always feasible
        raise RuntimeError(f"diagnostic flow returned {status!r}")
    f = mcf.flows(np.arange(pl.size + n_q, pl.size + n_q + n_p, dtype=np.int32))
    return np.flatnonzero((f > 0) & ~may_leave)


def _scatter(size: int) -> np.ndarray:
    """A fixed permutation of ``0..size-1`` that scatters neighbouring indices.

    Multiplication by an odd constant is a bijection modulo a power of two;
    it breaks ties between equal arcs without favouring the first posts (or
    persons) of the input, so that tied people spread over tied posts.
    """
    bits = max(int(size - 1).bit_length(), 1)
    return (np.arange(size, dtype=np.int64) * 0x9E3779B1) & ((1 << bits) - 1)


#: Above this many arcs kept per group, the picks below sort instead of inserting.
_INSERT_MAX_K = 64


def _compiled_pick(group: np.ndarray, value: np.ndarray, cap: int) -> bool:
    """Whether :func:`_pick_best` goes to the compiled passes: large arc
    sets (fewer than ``2**31``: arc and key share a word there) of integer
    values, with few arcs kept per group."""
    return (
        KERNEL_MIN_ARCS <= group.size < 2**31
        and cap <= _INSERT_MAX_K
        and np.asarray(value).dtype.kind in "iub"
    )


def _pick_best(
    group: np.ndarray, value: np.ndarray, n_groups: int, k: int, cap: int, runs: bool = False
) -> np.ndarray:
    """Each group's arcs of its ``k`` best distinct values, at most ``cap`` of
    them (its best, ties broken by :func:`_scatter` of the arc index).

    Large inputs with integer values go to :func:`solvers.kernels.mark_best`
    (one pass, no sort), or to :func:`solvers.kernels.mark_best_runs` when
    ``runs`` says that each group's arcs are consecutive (arcs sorted by
    person); the rest to one sort of all the arcs.
    """
    out = np.zeros(group.size, dtype=bool)
    if group.size == 0 or n_groups == 0 or k <= 0:
        return out
    value = np.asarray(value)
    if _compiled_pick(group, value, cap):
        from solvers.kernels import as_ids, mark_best, mark_best_runs

        ids, value = as_ids(group), np.ascontiguousarray(value, dtype=np.int64)
        bits = _scatter_bits(group.size)
        if runs:
            mark_best_runs(ids, value, k, cap, bits, out)
        else:
            mark_best(ids, value, 0, n_groups, k, cap, bits, out)
        return out
    order, g, rank = _ranked(group, value, n_groups)
    sel = rank < cap
    order, g = order[sel], g[sel]
    if k < cap:  # cut below each group's k-th distinct value
        v = value[order]
        new = np.ones(order.size, dtype=bool)
        np.not_equal(v[1:], v[:-1], out=new[1:])
        new[1:] |= g[1:] != g[:-1]
        distinct = np.cumsum(new)  # running count of (group, value) changes
        first = np.searchsorted(g, g)  # each arc's group start in this order
        order = order[distinct - distinct[first] < k]
    out[order] = True
    return out


def _ranked(
    group: np.ndarray, value: np.ndarray, n_groups: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Arcs sorted by group, then value (best first), then :func:`_scatter`;
    their groups in that order; and each one's rank within its group."""
    order = np.lexsort((_scatter(group.size), -value, group))
    g = group[order]
    rank = np.arange(g.size) - np.searchsorted(g, np.arange(n_groups))[g]
    return order, g, rank


def _scatter_bits(size: int) -> int:
    return max(int(size - 1).bit_length(), 1)


def sparse_mask(
    group: np.ndarray, value: np.ndarray, n_groups: int, k: int, runs: bool = False
) -> np.ndarray:
    """The first sparse arc set of a group: its arcs of the ``k`` best distinct
    values, but at most ``SPARSE_CAP * k`` of them (the best, ties scattered).

    Ties are kept because a tied arc is as good a start as the one picked
    (fewer violated arcs to add later); the cap is for real fits, whose ties
    can make "the k best values" every arc of a person. ``runs``: each
    group's arcs are consecutive.
    """
    return _pick_best(group, value, n_groups, k, SPARSE_CAP * k, runs)


def top_k_mask(group: np.ndarray, value: np.ndarray, n_groups: int, k: int) -> np.ndarray:
    """The ``k`` arcs of highest value in each group.

    Ties are broken by :func:`_scatter` of the arc index (deterministic).
    """
    return _pick_best(group, value, n_groups, k, k)


def _first_keep(
    n_p: int,
    n_q: int,
    pl: np.ndarray,
    ql: np.ndarray,
    value: np.ndarray,
    may_leave: np.ndarray,
    stay: np.ndarray,
) -> np.ndarray:
    """The first sparse arc set: each person's and each post's best arcs, and
    the stay arcs of must-place persons (so that they can all be placed).

    The arcs are sorted by person. On a large arc set two threads share the
    compiled picks (they release the GIL): this one picks the persons' (by
    runs) and the first ``PICK_SPLIT`` of the posts, the other the rest of
    the posts.
    """
    cap_q = SPARSE_CAP * SPARSE_K_POST
    if (os.cpu_count() or 1) > 1 and _compiled_pick(pl, value, SPARSE_CAP * SPARSE_K_PERSON):
        from solvers.kernels import as_ids, mark_best, mark_best_runs

        gp, gq = as_ids(pl), as_ids(ql)
        val = np.ascontiguousarray(value, dtype=np.int64)
        bits = _scatter_bits(pl.size)
        keep = np.zeros(pl.size, dtype=bool)
        theirs = np.zeros(pl.size, dtype=bool)
        split = int(n_q * PICK_SPLIT)
        with ThreadPoolExecutor(1) as pool:
            posts = pool.submit(mark_best, gq, val, split, n_q, SPARSE_K_POST, cap_q, bits, theirs)
            mark_best_runs(gp, val, SPARSE_K_PERSON, SPARSE_CAP * SPARSE_K_PERSON, bits, keep)
            mark_best(gq, val, 0, split, SPARSE_K_POST, cap_q, bits, keep)
            posts.result()
        keep |= theirs
    else:
        keep = sparse_mask(pl, value, n_p, SPARSE_K_PERSON, runs=True)
        keep |= sparse_mask(ql, value, n_q, SPARSE_K_POST)
    if stay.any():
        keep |= stay & ~may_leave[pl]
    return keep


def _covered(
    n_p: int, n_q: int, pl: np.ndarray, ql: np.ndarray, need: np.ndarray, side: str
) -> bool:
    """Whether one matching on the arcs ``(pl, ql)`` covers every node of
    ``side`` (``"persons"`` or ``"posts"``) marked in ``need``.

    Hopcroft-Karp (scipy) on the arcs of those nodes, persons as rows: arcs
    sorted by person (as the solvers keep them) give the rows without a sort.
    """
    mine = need[pl] if side == "persons" else need[ql]
    if not mine.any():
        return True
    if not mine.all():
        pl, ql = pl[mine], ql[mine]
    if pl.size > 1 and bool((pl[1:] < pl[:-1]).any()):
        order = np.argsort(pl, kind="stable")
        pl, ql = pl[order], ql[order]
    indptr = np.zeros(n_p + 1, dtype=np.int64)
    np.cumsum(np.bincount(pl, minlength=n_p), out=indptr[1:])
    graph = csr_matrix(
        (np.ones(pl.size, dtype=np.int8), ql.astype(np.int32, copy=False), indptr),
        shape=(n_p, n_q),
    )
    # "column": each row's column (person -> post); "row": each column's row
    match = maximum_bipartite_matching(graph, perm_type="column" if side == "persons" else "row")
    return bool((match[need] >= 0).all())


def _must_matchable(
    n_p: int, n_q: int, pl: np.ndarray, ql: np.ndarray, may_leave: np.ndarray
) -> bool:
    """Whether the must-place persons can all be placed on these arcs."""
    return _covered(n_p, n_q, pl, ql, ~may_leave, "persons")


def _staged(
    prep: Prepared,
    arcs_pos: np.ndarray | slice,
    posts: np.ndarray,
    ql: np.ndarray,
    folded: Callable[[], np.ndarray],
    may_leave: np.ndarray,
    stay: np.ndarray,
) -> tuple[np.ndarray, np.ndarray | None, int]:
    """Values for the auction of one component, with its tier level as a stage.

    Folded tiers make the values span many digits, and the auction pays a
    phase for every factor ``THETA`` of that span. If every post that has
    a tier can be filled at once, every lexicographically best plan fills
    them all (each adds a positive ``F[tier] * A``, and all of them is the
    most there is), so the same plans are the best ones among those that
    fill them, by the rest of the value. Returns that rest, the posts that
    must be filled, and the factor ``k`` such that each arc's folded value
    is ``k * value`` plus a term of its post; the caller checks that the
    posts can be filled and otherwise uses the folded values
    (``-folded()``, ``None``, 1).

    When those posts are all of the component's (or every person must be
    placed), every plan has the same number of arcs; with no stay arc in
    the component, "fewest non-stay arcs" is then the same for every plan
    and the rest is the plain score (``k`` is the component's ``B``).
    """
    offset = prep.post_offset
    if offset is None:
        return np.negative(folded()), None, 1
    shift = offset[posts]
    must = shift > 0
    if not must.any():
        return np.negative(folded()), None, 1
    fixed = bool(must.all()) or not may_leave.any()
    if fixed and not stay.any():
        assert prep.fold is not None
        b_c = prep.fold.b_c
        label = 0 if b_c.size == 1 else int(prep.labels[prep.prob.n_persons + posts[0]])
        return _scores(prep, arcs_pos), must, int(b_c[label])
    value = np.negative(folded())
    value -= shift[ql]
    return value, must, 1


def _scores(prep: Prepared, arcs_pos: np.ndarray | slice) -> np.ndarray:
    """``score`` of the arcs ``prep.arcs[arcs_pos]``: a view when those are
    the problem's arcs in their own order (nothing to copy)."""
    prob = prep.prob
    if isinstance(arcs_pos, slice) and prep.arcs.size == prob.n_arcs and prob.is_canonical:
        return prob.score[arcs_pos]
    return prob.score[prep.arcs[arcs_pos]]


def _solve_auction(
    n_p: int,
    n_q: int,
    pl: np.ndarray,
    ql: np.ndarray,
    folded: Callable[[], np.ndarray],
    may_leave: np.ndarray,
    keep: np.ndarray,
    log: list[dict],
    value: np.ndarray | None = None,
    post_must: np.ndarray | None = None,
    factor: int = 1,
) -> np.ndarray | None:
    """Solve on the sparse arc set ``keep`` by auction; certify on every arc.

    ``folded()`` gives the arcs' costs (folded values, negated). ``value``,
    ``post_must`` and ``factor`` are the staged values of :func:`_staged`
    (default: ``-folded()``, no post must be filled, 1); if the posts that
    must be filled cannot be, the folded values are used.

    The auction's potentials must satisfy the optimality conditions of
    :mod:`solvers.auction` on every arc of the component, the left-out ones
    included; arcs that break them are added and the auction restarts from
    its prices, unless they are at most ``REPAIR_MAX``: then the exact
    potentials of the auction's plan and in-place repairs (:func:`_repair`)
    finish the proof. Returns the 0/1 flow per arc, proven optimal, or
    ``None`` (the caller falls back to the min-cost flow).
    """
    idx = np.flatnonzero(keep)
    kp, kq = pl[idx], ql[idx]
    if not may_leave.all() and not _must_matchable(n_p, n_q, kp, kq, may_leave):
        keep |= ~may_leave[pl]  # must-place persons keep all their arcs
        idx = np.flatnonzero(keep)
        kp, kq = pl[idx], ql[idx]
        if not _must_matchable(n_p, n_q, kp, kq, may_leave):
            return None  # infeasible: the min-cost flow names the persons
    if post_must is not None and not _covered(n_p, n_q, kp, kq, post_must, "posts"):
        keep |= post_must[ql]  # posts that must be filled keep all their arcs
        idx = np.flatnonzero(keep)
        kp, kq = pl[idx], ql[idx]
        if not _covered(n_p, n_q, kp, kq, post_must, "posts"):
            value, post_must, factor = None, None, 1  # some tier posts cannot be filled: fold
        log.append({"post_arcs_added": True, "staged": post_must is not None})
    if value is None:
        value = np.negative(folded())
    from solvers import auction as auction_mod  # compiled on first use: only large rounds

    res: auction_mod.AuctionResult | None = None
    chosen = np.zeros(0, dtype=np.int64)
    start_eps = 1
    for _ in range(SPARSE_ROUNDS):
        if res is not None:  # a restart: the arcs were added to keep
            idx = np.flatnonzero(keep)
            kp, kq = pl[idx], ql[idx]
        t0 = time.perf_counter()
        sub_value = value[idx]
        start = None if res is None else np.searchsorted(idx, chosen)
        res = auction_mod.auction(
            n_p,
            n_q,
            kp,
            kq,
            sub_value,
            may_leave,
            start=res,
            start_chosen=start,
            start_eps=start_eps,
            post_must=post_must,
        )
        t1 = time.perf_counter()
        entry: dict = {
            "arcs": int(idx.size),
            "method": "auction",
            "auction_s": round(t1 - t0, 3),
            "must_fill": 0 if post_must is None else int(post_must.sum()),
        }
        log.append(entry)
        if res is None:
            entry["gave_up"] = True
            return None
        entry["bids"] = res.bids
        if not auction_mod.certify(res, n_p, n_q, kp, kq, sub_value, may_leave, post_must):
            entry["certificate"] = False
            return None
        chosen = idx[res.chosen]
        viol, short = auction_mod.violations(res, pl, ql, value)
        entry["check_s"] = round(time.perf_counter() - t1, 3)
        entry["violations"] = int(viol.size)
        if viol.size == 0:
            out = np.zeros(pl.size, dtype=np.int8)
            out[chosen] = 1
            return out
        if keep[viol].any():  # the auction's own arcs: its prices are wrong
            entry["certificate"] = False
            return None
        if viol.size <= REPAIR_MAX:
            # A few arcs out of balance: exact potentials of the auction's plan
            # (optimal on the kept arcs) and repairs in place cost a fraction
            # of a restart, which would ripple through a tight matching.
            t2 = time.perf_counter()
            cost = folded()
            used = np.zeros(idx.size, dtype=bool)
            used[res.chosen] = True
            kept_cost = cost[idx]
            resid = Residual(n_p, n_q, kp, kq, kept_cost, used, may_leave)
            start = _auction_potentials(res, n_q, kq, sub_value, kept_cost, factor, may_leave)
            warm = start is not None and resid.set_potentials(start)
            entry["exact_from_auction"] = warm
            if warm or resid.compute_potentials(max_passes=20_000):
                exact, rc = _violations(resid, pl, ql, cost, keep)
                entry["exact_violations"] = int(exact.size)
                out = _repair(resid, idx, exact, rc, pl, ql, cost, keep, entry)
                entry["exact_s"] = round(time.perf_counter() - t2, 3)
                if out is not None:
                    return out
        start_eps = max(int(short.max()) // auction_mod.THETA, 1)
        if viol.size <= idx.size:
            keep[viol] = True
        else:  # the most violated arcs of each post and person
            add = top_k_mask(ql[viol], short, n_q, SPARSE_K_POST) | top_k_mask(
                pl[viol], short, n_p, SPARSE_K_PERSON
            )
            keep[viol[add]] = True
        entry["added"] = int(keep.sum() - idx.size)
    return None


def _auction_potentials(
    res: AuctionResult,
    n_q: int,
    kq: np.ndarray,
    value: np.ndarray,
    cost: np.ndarray,
    factor: int,
    may_leave: np.ndarray,
) -> np.ndarray | None:
    """The auction's potentials as :class:`Residual` potentials of the folded
    costs ``cost`` of the arcs it ran on (posts ``kq``, its values
    ``value``), or None.

    Only exact potentials (whole value units, see
    ``solvers.auction._exact_potentials``) carry over. Each folded value is
    ``factor`` times the auction's value plus a term of its post (the
    tier's weight, less one point without a stay arc on the moves level):
    persons' potentials are multiplied by ``factor``, posts' too, plus
    their term. When every person must be placed, persons' and posts'
    potentials may move against each other (every plan uses each person
    once): they move so that no filled post's potential is negative, as
    the flow's post-to-sink arcs ask. The caller checks the result on
    every residual arc (:meth:`Residual.set_potentials`).
    """
    s = res.scale
    if (res.u % s).any() or (res.v % s).any():
        return None  # the potentials of eps = 1: not whole units
    term = np.zeros(n_q, dtype=np.int64)
    term[kq] = -cost - factor * value  # the same on each arc of a post
    u = (res.u // s) * factor
    v = (res.v // s) * factor + term
    if not may_leave.any() and res.chosen.size:
        shift = max(0, -int(v[kq[res.chosen]].min()))
        u -= shift
        v += shift
    return np.concatenate([u, -v, np.zeros(1, dtype=np.int64)])


def _solve_certified(
    n_p: int,
    n_q: int,
    pl: np.ndarray,
    ql: np.ndarray,
    cost: np.ndarray,
    may_leave: np.ndarray,
    stay: np.ndarray,
    keep: np.ndarray,
    log: list[dict],
) -> np.ndarray | None:
    """Solve on a sparse arc set with the min-cost flow, certify with duals;
    None to fall back.

    ``keep`` is the first sparse set; if its must-place persons cannot all
    be placed, every arc of a must-place person is added.

    Returns the 0/1 flow per arc (all arcs), proven optimal.
    """
    for _ in range(SPARSE_ROUNDS):
        idx = np.flatnonzero(keep)
        t0 = time.perf_counter()
        try:
            flow = _run_mcf(n_p, n_q, pl[idx], ql[idx], cost[idx], may_leave)
        except InfeasibleCore:
            must_arcs = ~may_leave[pl]
            if not (must_arcs & ~keep).any():
                raise
            keep |= must_arcs  # must-place persons keep all their arcs (feasibility)
            log.append({"arcs": int(idx.size), "infeasible": True})
            continue
        t1 = time.perf_counter()
        res = Residual(n_p, n_q, pl[idx], ql[idx], cost[idx], flow > 0, may_leave)
        if not res.compute_potentials(max_passes=20_000):
            return None
        t2 = time.perf_counter()
        viol, rc_viol = _violations(res, pl, ql, cost, keep)
        entry = {
            "arcs": int(idx.size),
            "flow_s": round(t1 - t0, 3),
            "duals_s": round(t2 - t1, 3),
            "violations": int(viol.size),
        }
        log.append(entry)
        out = _repair(res, idx, viol, rc_viol, pl, ql, cost, keep, entry)
        if out is not None:
            return out
        if viol.size <= REPAIR_MAX:  # repaired, not yet proven: solve again
            continue
        if viol.size <= idx.size:  # at most doubles the set: add every violated arc
            keep[viol] = True
            entry["added"] = int(viol.size)
            continue
        # Column generation: each post and each person gets its most violated
        # arcs (all of them would be most of the graph after a poor first set).
        gain = -rc_viol
        add = top_k_mask(ql[viol], gain, n_q, SPARSE_K_POST) | top_k_mask(
            pl[viol], gain, n_p, SPARSE_K_PERSON
        )
        keep[viol[add]] = True
        entry["added"] = int(add.sum())
    return None


def _repair(
    res: Residual,
    idx: np.ndarray,
    viol: np.ndarray,
    rc_viol: np.ndarray,
    pl: np.ndarray,
    ql: np.ndarray,
    cost: np.ndarray,
    keep: np.ndarray,
    entry: dict,
) -> np.ndarray | None:
    """The 0/1 flow on all arcs if ``res`` (the optimum on arcs ``idx``, with
    potentials) proves it optimal, possibly after adding a few violated arcs.

    Up to ``REPAIR_MAX`` violating arcs are added one by one, most negative
    first, each by one shortest path that pushes flow round the negative
    cycle it closes and keeps the potentials valid. Returns None (with the
    arcs it added, and those still violated, marked in ``keep``) when the
    plan is not proven.
    """
    if viol.size == 0:
        out = np.zeros(pl.size, dtype=np.int8)
        out[idx] = res.used
        return out
    if viol.size > REPAIR_MAX:
        return None
    t3 = time.perf_counter()
    worst_first = viol[np.argsort(rc_viol, kind="stable")]
    for a in worst_first:
        res.add_arc(int(pl[a]), int(ql[a]), int(cost[a]))
    entry["repair_s"] = round(time.perf_counter() - t3, 3)
    idx2 = np.concatenate([idx, worst_first])
    keep[viol] = True
    viol2, _ = _violations(res, pl, ql, cost, keep)
    entry["violations_after_repair"] = int(viol2.size)
    if viol2.size == 0 and _certificate_ok(res):
        out = np.zeros(pl.size, dtype=np.int8)
        out[idx2] = res.used
        return out
    keep[viol2] = True
    return None


def _violations(
    res: Residual, pl: np.ndarray, ql: np.ndarray, cost: np.ndarray, keep: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Arcs outside ``keep`` with a negative reduced cost, and those costs.

    One compiled pass on large arc sets; numpy in chunks on the rest (the
    arc set can be tens of millions of arcs).
    """
    assert res.d is not None
    if pl.size >= KERNEL_MIN_ARCS:
        from solvers.kernels import as_ids, negative_arcs

        return negative_arcs(res.d, res.n_p, as_ids(pl), as_ids(ql), cost, keep)
    found, costs = [], []
    for a in range(0, pl.size, _CHUNK):
        b = a + _CHUNK
        rc = res.reduced_costs(pl[a:b], ql[a:b], cost[a:b])
        bad = np.flatnonzero((rc < 0) & ~keep[a:b])
        found.append(bad + a)
        costs.append(rc[bad])
    if not found:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(found), np.concatenate(costs)


def _certificate_ok(res: Residual) -> bool:
    t, h, c = res.arcs()
    assert res.d is not None
    return bool(((c + res.d[t] - res.d[h]) >= 0).all())


def _solve_batch(
    prep: Prepared,
    arcs_pos: np.ndarray | slice,
    persons: np.ndarray,
    posts: np.ndarray,
    pl: np.ndarray,
    ql: np.ndarray,
    sparse_ok: bool,
    log: list[dict],
) -> tuple[np.ndarray, str]:
    """Solve whole components: arcs ``prep.arcs[arcs_pos]`` over local nodes.

    Returns the chosen arcs (problem indices) and how the sparse
    certificate was reached: ``"auction"``, ``"min_cost_flow"``, or ``""``
    when the component was solved whole.
    """
    may_leave = ~prep.must[persons]
    n_nodes = persons.size + posts.size + 1
    n_arcs = pl.size
    costs: list[np.ndarray] = []

    def folded() -> np.ndarray:
        """The arcs' costs (folded values, negated) in OR-Tools' range; made
        on first use (a large round solved by stages may not need them)."""
        if not costs:
            cost = np.negative(prep.values[arcs_pos])
            if not _check_range(cost, n_nodes):
                raise _RangeSignal()
            costs.append(cost)
        return costs[0]

    certified = ""
    flow = None
    if sparse_ok and n_arcs >= SPARSE_MIN_ARCS and n_arcs >= SPARSE_MIN_DEGREE * persons.size:
        if (prep.prob.home[persons] >= 0).any():
            stay = prep.prob.is_stay[prep.arcs[arcs_pos]]
        else:  # nobody has a home post here: no stay arc (and no pass over the arcs)
            stay = np.zeros(n_arcs, dtype=bool)
        n_p, n_q = persons.size, posts.size
        value, post_must, factor = _staged(prep, arcs_pos, posts, ql, folded, may_leave, stay)
        keep = _first_keep(n_p, n_q, pl, ql, value, may_leave, stay)
        flow = _solve_auction(
            n_p, n_q, pl, ql, folded, may_leave, keep.copy(), log, value, post_must, factor
        )
        del value
        method = "auction"
        if flow is None:
            flow = _solve_certified(n_p, n_q, pl, ql, folded(), may_leave, stay, keep, log)
            method = "min_cost_flow"
        certified = method if flow is not None else ""
    if flow is None:
        flow = _run_mcf(persons.size, posts.size, pl, ql, folded(), may_leave)
    used = np.flatnonzero(flow > 0)
    if isinstance(arcs_pos, slice):
        return prep.arcs[arcs_pos.start + used], certified
    return prep.arcs[arcs_pos[used]], certified


def solve_flow(prob: AssignmentProblem, *, sparse: bool = True) -> FlowResult:
    """Optimal plan of the core problem (side constraints ignored).

    Parameters
    ----------
    prob
        The problem.
    sparse
        Allow the sparsify-and-certify method on very large components.

    Raises
    ------
    InfeasibleCore
        If the must-place persons cannot all be placed (``persons`` holds
        global ids of a set of persons left out by a maximum placement).
    CostRangeError
        If the values cannot be represented for OR-Tools even without the
        moves level.
    """
    t0 = time.perf_counter()
    note = ""
    try:
        prep = prepare(prob)
        chosen, cert, log = _solve_prepared(prep, sparse)
    except _RangeSignal:
        if not prob.has_moves_level:
            raise CostRangeError(_range_message(prob), "scores") from None
        note = (
            "the tie-break 'fewest non-stay arcs' was dropped: the scores are too "
            "large to combine it exactly"
        )
        try:
            prep = prepare(prob, moves_level=False)
            chosen, cert, log = _solve_prepared(prep, sparse)
        except _RangeSignal:
            raise CostRangeError(_range_message(prob), "scores") from None
    chosen = np.concatenate([prep.pinned, chosen])
    if "auction" in cert:
        method = "auction+sparse_certified"
    elif cert:
        method = "min_cost_flow+sparse_certified"
    else:
        method = "min_cost_flow"
    return FlowResult(chosen, method, time.perf_counter() - t0, note, len(cert), log)


def _range_message(prob: AssignmentProblem) -> str:
    smax = int(np.abs(prob.score).max()) if prob.n_arcs else 0
    return (
        f"scores up to {smax} with {prob.n_persons} persons and {prob.n_posts} posts "
        + ("and post tiers " if prob.priority is not None else "")
        + "cannot be folded into 64-bit costs; use smaller scores or fewer tiers"
    )


def _small_int(labels: np.ndarray, bound: int) -> np.ndarray:
    """Labels in the narrowest unsigned type (16-bit keys sort by radix)."""
    if bound < 2**16:
        return labels.astype(np.uint16)
    return labels.astype(np.uint32 if bound < 2**32 else np.int64)


def _run_batches(run: Any, arcs_of: np.ndarray) -> list[tuple[np.ndarray, str, list[dict]]]:
    """``run(b)`` for every batch ``b``, in two processes when the arcs are many.

    OR-Tools' flow holds the GIL, so threads do not help; a forked child
    solves about half of the arcs (whole batches, largest first to the
    lighter side) and sends its chosen arcs back through a pipe. Results
    are returned in batch order, so the plan does not depend on the split.
    """
    n = arcs_of.size
    if (
        FLOW_PROCESSES < 2
        or n < 2
        or int(arcs_of.sum()) < PARALLEL_MIN_ARCS
        or "fork" not in mp.get_all_start_methods()
        or (os.cpu_count() or 1) < 2
    ):
        return [run(b) for b in range(n)]
    mine: list[int] = []
    theirs: list[int] = []
    load = [0, 0]
    for b in np.argsort(-arcs_of, kind="stable").tolist():
        side = 0 if load[0] <= load[1] else 1
        (mine if side == 0 else theirs).append(b)
        load[side] += int(arcs_of[b])
    if not theirs:
        return [run(b) for b in range(n)]
    ctx = mp.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)

    def child() -> None:
        try:
            send.send(("ok", [(b, run(b)) for b in sorted(theirs)]))
        except BaseException as exc:  # sent to the parent, raised there
            send.send(("error", exc))
        finally:
            send.close()

    proc = ctx.Process(target=child, daemon=True)
    proc.start()
    send.close()
    try:
        out: dict[int, tuple[np.ndarray, str, list[dict]]] = {b: run(b) for b in sorted(mine)}
        kind, got = receive.recv()
    finally:
        receive.close()
        proc.join()
    if kind == "error":
        raise got
    out.update(dict(got))
    return [out[b] for b in range(n)]


def _solve_prepared(prep: Prepared, sparse: bool) -> tuple[np.ndarray, list[str], list[dict]]:
    prob = prep.prob
    n, m = prob.n_persons, prob.n_posts
    p_all, q_all = prep.person, prep.post
    if p_all.size and int(prep.labels.max()) == 0:
        # one component holding every person and post (each has an arc):
        # local ids are the global ones, nothing to split or renumber
        log: list[dict] = []
        got, cert = _solve_batch(
            prep, slice(0, p_all.size), np.arange(n), np.arange(m), p_all, q_all, sparse, log
        )
        return got, [cert] if cert else [], log
    # quick infeasibility: must-place persons without any usable arc
    has_arc = np.zeros(n, dtype=bool)
    has_arc[p_all] = True
    lonely = np.flatnonzero(prep.must & ~has_arc)
    if lonely.size:
        raise InfeasibleCore(lonely)
    if prep.arcs.size == 0:
        return np.zeros(0, dtype=np.int64), [], []
    # components that have arcs are numbered 0..k-1 (in label order), the rest k
    labels = prep.labels
    n_lab = int(labels.max()) + 1
    arc_count = np.bincount(labels[p_all], minlength=n_lab)
    with_arcs = np.flatnonzero(arc_count)
    k = with_arcs.size
    relabel = np.full(n_lab, k, dtype=np.int64)
    relabel[with_arcs] = np.arange(k)
    node = _small_int(relabel[labels], k + 1)
    order: np.ndarray | None = None  # None: the arcs are in order already (one component)
    if k > 1:
        order = np.argsort(node[p_all], kind="stable")
        p_sorted, q_sorted = p_all[order], q_all[order]
    else:
        p_sorted, q_sorted = p_all, q_all
    a_start = np.searchsorted(node[p_sorted], np.arange(k + 1, dtype=node.dtype))
    # persons: within a component the arcs stay sorted by person (stable sort)
    new_person = np.empty(p_sorted.size, dtype=bool)
    new_person[0] = True
    np.not_equal(p_sorted[1:], p_sorted[:-1], out=new_person[1:])
    new_person[a_start[:-1]] = True
    # index among (component, person) pairs; 32-bit local ids halve the
    # memory of the largest arrays (tens of millions of arcs)
    gid = np.cumsum(new_person, dtype=np.int32)
    gid -= 1
    del new_person
    persons_all = p_sorted[np.r_[True, gid[1:] != gid[:-1]]]
    # posts: order by component, rank within it
    q_lab = node[n:]
    q_order = np.argsort(q_lab, kind="stable")
    q_start = np.searchsorted(q_lab[q_order], np.arange(k + 1, dtype=node.dtype))
    q_rank = np.empty(m, dtype=np.int32)
    q_rank[q_order] = np.arange(m, dtype=np.int32)
    p_start = np.r_[gid[a_start[:-1]], persons_all.size]
    comp_nodes = np.diff(p_start) + np.diff(q_start)
    before = np.cumsum(comp_nodes) - comp_nodes
    batch = (before // BATCH_NODES) * 2 + (comp_nodes >= BATCH_NODES)
    cuts = np.flatnonzero(np.r_[True, batch[1:] != batch[:-1], True])
    spans = list(itertools.pairwise(cuts.tolist()))

    def run(b: int) -> tuple[np.ndarray, str, list[dict]]:
        c0, c1 = spans[b]
        a0, a1 = a_start[c0], a_start[c1]
        pos = order[a0:a1] if order is not None else slice(int(a0), int(a1))
        persons = persons_all[p_start[c0] : p_start[c1]]
        posts = q_order[q_start[c0] : q_start[c1]]
        pl = gid[a0:a1] - np.int32(p_start[c0])
        ql = q_rank[q_sorted[a0:a1]]
        ql -= np.int32(q_start[c0])
        log: list[dict] = []
        try:
            got, cert = _solve_batch(
                prep, pos, persons, posts, pl, ql, sparse and (c1 - c0 == 1), log
            )
        except InfeasibleCore as exc:
            raise InfeasibleCore(persons[exc.persons]) from None
        return got, cert, log

    arcs_of = np.diff(a_start[cuts]).astype(np.int64)
    results = _run_batches(run, arcs_of)
    chosen = [got for got, _, _ in results]
    certified = [cert for _, cert, _ in results if cert]
    log = [entry for _, _, entries in results for entry in entries]
    return np.concatenate(chosen), certified, log
