"""The problem as a flow network: pins out, bans out, components, values.

:func:`prepare` reduces an :class:`~solvers.AssignmentProblem` to the
network every flow backend solves:

1. Pins are taken out (the pinned person and post leave the network),
   banned arcs are dropped, arcs are taken in canonical ``(person, post)``
   order so that the same arcs in any order give the same plan.
2. The graph is split into connected components (:func:`components_of`,
   vectorised, or a compiled union-find on large arc sets:
   :mod:`solvers.kernels`; neither loads scipy, which a small round
   would import for this one call).
3. The lexicographic objective is folded into one integer value per arc,
   scaled per component (:func:`fold_levels`), so that a maximum-value
   flow is lexicographically best: tiers, then score, then fewest
   non-stay arcs. The cost range OR-Tools accepts is checked here.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from solvers.backends.mcf import COST_LIMIT
from solvers.problem import AssignmentProblem
from solvers.settings import Settings

__all__ = ["Fold", "Prepared", "RangeSignal", "components_of", "fold_levels", "prepare"]


class RangeSignal(Exception):
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
    settings: Settings = field(default_factory=Settings)
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
    min_arcs: int = Settings.kernel_min_arcs  # compiled pass from this many arcs on

    def values(
        self,
        prob: AssignmentProblem,
        arcs: np.ndarray,
        labels: np.ndarray,
        p: np.ndarray,
        q: np.ndarray,
    ) -> np.ndarray:
        """The value of each arc ``arcs`` (persons ``p``, posts ``q``)."""
        if arcs.size >= self.min_arcs:  # one compiled pass, no temporaries
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


def _flow_limit(limit: int, comp_nodes: np.ndarray, batch_nodes: int) -> int:
    """The bound on a value that OR-Tools takes in any batch of the flow:
    ``|cost| * (nodes + 1) < limit`` (:func:`solvers.backends.mcf.cost_in_range`),
    the nodes being a batch's persons, posts and sink. A batch holds one
    component of at least ``batch_nodes`` nodes, or components of fewer than
    ``2 * batch_nodes`` in all. Checked when folding: otherwise a province
    round folded its moves, found its batch out of range, and was prepared
    and solved a second time without them."""
    nodes = min(int(comp_nodes.sum()), int(comp_nodes.max()) + 2 * batch_nodes)
    return limit // (nodes + 2)


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
    min_arcs: int = Settings.kernel_min_arcs,
    limit: int = COST_LIMIT,
    batch_nodes: int = 0,
) -> Fold:
    """How to fold the levels into one value per arc, its range checked.

    An arc's folded value (:meth:`Fold.values`), whose maximum sum is the
    lexicographic optimum, is ``F[tier] * A + score * B - nonstay`` in component ``c``:

    * ``B = M_c + 1`` where ``M_c`` bounds the number of chosen arcs
      (``min(persons, posts)`` of the component), so one point of score
      outweighs any number of non-stay arcs (``B = 1`` and no ``nonstay``
      term without the moves level);
    * ``A = M_c * (max(s, 0) - min(s, 0)) * B + M_c + 1``, larger than any
      difference in ``score * B - nonstay`` between two plans;
    * ``F`` from :func:`_tier_weights` (0 everywhere without tiers).

    ``arcs``: the arcs (persons ``p``, posts ``q``); ``labels``: each node's component;
    ``stats``: their :func:`solvers.kernels.arc_stats` as one component, if it ran;
    ``min_arcs``: compiled from this many arcs. ``RangeSignal`` above ``limit``
    (``batch_nodes``: above :func:`_flow_limit`).
    """
    n, m = prob.n_persons, prob.n_posts
    if not arcs.size:
        return Fold(np.ones(max(n_comp, 1), dtype=np.int64), None, moves_level, min_arcs)
    single = n_comp == 1  # one component: per-component arrays are scalars
    if stats is not None or arcs.size >= min_arcs:  # one compiled pass
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
    persons_c = np.bincount(labels[persons], minlength=n_comp)
    posts_c = np.bincount(labels[n + posts], minlength=n_comp)
    m_c = np.minimum(persons_c, posts_c).astype(np.int64)
    b_c = m_c + 1 if moves_level else np.ones(n_comp, dtype=np.int64)
    limit = _flow_limit(limit, persons_c + posts_c, batch_nodes) if batch_nodes else limit
    # estimate magnitudes in floating point first: int64 would wrap silently
    if float(top) * float(b_c.max()) + 1 >= limit:
        raise RangeSignal()
    if prob.priority is None:
        return Fold(b_c, None, moves_level, min_arcs)
    span = (smax - smin).astype(np.float64) * m_c * b_c + m_c + 1
    weight_f = _tier_weights(prob, labels[n:], n_comp, posts, np.float64)
    # an arc's component is its post's: the largest product is over posts;
    # |score * B - nonstay| is at most |score| * B + 1
    if (
        float((weight_f[posts] * span[labels[n + posts]]).max()) + float(top) * float(b_c.max()) + 1
        >= limit
    ):
        raise RangeSignal()
    a_c = m_c * (smax - smin) * b_c + m_c + 1
    offset = _tier_weights(prob, labels[n:], n_comp, posts, np.int64)
    offset *= a_c[0] if single else a_c[labels[n:]]
    return Fold(b_c, offset, moves_level, min_arcs)


# ------------------------------------------------------------- preparing
#: The labels argument of a compiled pass over one component (not read).
_NO_LABELS = np.zeros(0, dtype=np.int64)


def components_of(p: np.ndarray, q: np.ndarray, n: int, m: int) -> tuple[int, np.ndarray]:
    """Connected components of persons ``0..n-1`` and posts ``n..n+m-1`` joined
    by the arcs ``(p, q)``: their count and each node's component, numbered in
    the order of their smallest node (as ``scipy.sparse.csgraph.connected_components``
    and :func:`solvers.kernels.components` number them).

    Vectorised hooking and pointer jumping over a forest in which every
    node's parent is no larger than the node: each pass hooks the larger root
    of every arc whose ends are in different trees under the smallest root
    it meets there, then points every node at its root. The roots are the
    components' smallest nodes. A pass leaves out the arcs inside one tree,
    which stay inside one; on the demo's few thousand arcs a handful of passes.
    """
    parent = np.arange(n + m, dtype=np.int64)
    u = p.astype(np.int64)
    v = q.astype(np.int64) + n
    while u.size:
        ru, rv = parent[u], parent[v]  # roots: every parent is one after a pass
        apart = ru != rv
        u, v, ru, rv = u[apart], v[apart], ru[apart], rv[apart]
        np.minimum.at(parent, np.maximum(ru, rv), np.minimum(ru, rv))
        while True:  # pointer jumping until every node points at its root
            grand = parent[parent]
            if np.array_equal(grand, parent):
                break
            parent = grand
    roots, labels = np.unique(parent, return_inverse=True)
    return int(roots.size), labels.astype(np.int64, copy=False)


def _components(
    p: np.ndarray, q: np.ndarray, n: int, m: int, min_arcs: int
) -> tuple[int, np.ndarray]:
    """Connected components of persons ``0..n-1`` and posts ``n..n+m-1`` joined
    by the arcs ``(p, q)`` (sorted by person), numbered by smallest node.

    Large arc sets (``min_arcs`` and more) go to the compiled union-find of
    :func:`solvers.kernels.components`, the rest to :func:`components_of`
    (same numbering).
    """
    if p.size >= min_arcs and max(n, m) < 2**31:
        from solvers.kernels import as_ids, components

        return components(as_ids(p), as_ids(q), n, m)
    return components_of(p, q, n, m)


def prepare(
    prob: AssignmentProblem,
    moves_level: bool | None = None,
    *,
    settings: Settings | None = None,
    unfolded_ok: bool = False,
) -> Prepared:
    """Reduce ``prob`` to a flow network: pins out, bans out, components.

    ``moves_level``: whether "fewest non-stay arcs" is folded into the
    values (default: :attr:`AssignmentProblem.has_moves_level`).
    ``unfolded_ok``: when the levels cannot be folded into 64 bits, fold
    them without the moves level (``moves_level`` False: the flow solves
    that level after the others), and when not even that fits, return the
    network without values (``fold`` None: the flow solves the levels in
    sequence, :mod:`solvers.backends.levels`) instead of raising
    ``RangeSignal``.
    """
    settings = Settings() if settings is None else settings
    big = settings.kernel_min_arcs
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
    prep = Prepared(prob, arcs, pinned, must, free_person, free_post, settings=settings)
    if arcs.size == prob.n_arcs and prob.is_canonical:  # arcs 0..n_arcs-1: no copy
        p, q = prob.person, prob.post
    else:  # 32-bit node ids when they fit: a province round has tens of millions of arcs
        small = np.int32 if max(n, m) < 2**31 else np.int64
        p = prob.person[arcs].astype(small, copy=False)
        q = prob.post[arcs].astype(small, copy=False)
    stats = None
    if arcs.size >= big and settings.threads > 1:
        # the arcs' statistics as if they were one component, in a second
        # thread while this one finds the components (both release the GIL)
        from solvers.kernels import arc_stats, as_ids

        with ThreadPoolExecutor(1) as pool:
            whole = pool.submit(
                arc_stats, prob.score, arcs, as_ids(p), as_ids(q), _NO_LABELS, n, m, 1
            )
            n_comp, prep.labels = _components(p, q, n, m, big)
            stats = whole.result()
    else:
        n_comp, prep.labels = _components(p, q, n, m, big)
    level = prob.has_moves_level if moves_level is None else moves_level
    prep.moves_level = level
    prep.person, prep.post = p, q
    fold_stats = stats if n_comp == 1 else None
    levels = (level, False) if unfolded_ok and level else (level,)
    for moves in levels:
        try:
            prep.fold = fold_levels(
                prob, arcs, prep.labels, n_comp, moves, p, q,
                stats=fold_stats, min_arcs=big, limit=settings.cost_limit,
                batch_nodes=settings.batch_nodes if unfolded_ok else 0,
            )  # fmt: skip
        except RangeSignal:
            continue
        prep.moves_level = moves
        break
    if prep.fold is None:
        if not unfolded_ok:
            raise RangeSignal()
        return prep
    if arcs.size < big:  # small rounds: no reason to wait
        prep._values = prep.fold.values(prob, arcs, prep.labels, p, q)
    return prep
