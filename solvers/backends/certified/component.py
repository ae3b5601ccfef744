"""One large component as the certified path sees it, and its first sparse set.

A :class:`Component` is the network of one connected component in local
ids (persons ``0..n_p-1``, posts ``0..n_q-1``, arcs sorted by person),
with its costs made on first use. :func:`first_keep` picks the sparse arc
set the path starts from, :func:`staged` the values the auction works on
(the tier level as a stage), :func:`covered` whether one matching on a
set of arcs reaches every node that must be matched.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from solvers.backends.network import Prepared
from solvers.picks import pick_best, scatter_bits, uses_kernels
from solvers.settings import Settings

__all__ = ["Component", "covered", "first_keep", "sparse_mask", "staged"]


@dataclass
class Component:
    """The network of one component, local ids, arcs sorted by person.

    ``folded()`` gives the arcs' costs (folded values, negated, in
    OR-Tools' range), made on first use: a large round solved by stages may
    never need them. ``log`` collects one entry per round of the path.
    """

    n_p: int
    n_q: int
    pl: np.ndarray
    ql: np.ndarray
    may_leave: np.ndarray
    folded: Callable[[], np.ndarray]
    settings: Settings
    log: list[dict] = field(default_factory=list)

    def must_matchable(self, pl: np.ndarray, ql: np.ndarray) -> bool:
        """Whether the must-place persons can all be placed on these arcs."""
        return covered(self.n_p, self.n_q, pl, ql, ~self.may_leave, "persons")


def sparse_mask(
    group: np.ndarray,
    value: np.ndarray,
    n_groups: int,
    k: int,
    settings: Settings,
    runs: bool = False,
) -> np.ndarray:
    """The first sparse arc set of a group: its arcs of the ``k`` best distinct
    values, but at most ``sparse_cap * k`` of them (the best, ties scattered).

    Ties are kept because a tied arc is as good a start as the one picked
    (fewer violated arcs to add later); the cap is for real fits, whose ties
    can make "the k best values" every arc of a person. ``runs``: each
    group's arcs are consecutive.
    """
    cap = settings.sparse_cap * k
    return pick_best(group, value, n_groups, k, cap, runs, settings.kernel_min_arcs)


def first_keep(comp: Component, value: np.ndarray, stay: np.ndarray) -> np.ndarray:
    """The first sparse arc set: each person's and each post's best arcs, and
    the stay arcs of must-place persons (so that they can all be placed).

    On a large arc set two threads share the compiled picks (they release
    the GIL): this one picks the persons' (by runs) and the first
    ``pick_split`` of the posts, the other the rest of the posts.
    """
    s = comp.settings
    pl, ql, n_q = comp.pl, comp.ql, comp.n_q
    cap_p, cap_q = s.sparse_cap * s.sparse_k_person, s.sparse_cap * s.sparse_k_post
    if s.threads > 1 and uses_kernels(pl, value, cap_p, s.kernel_min_arcs):
        from solvers.kernels import as_ids, mark_best, mark_best_runs

        gp, gq = as_ids(pl), as_ids(ql)
        val = np.ascontiguousarray(value, dtype=np.int64)
        bits = scatter_bits(pl.size)
        keep = np.zeros(pl.size, dtype=bool)
        theirs = np.zeros(pl.size, dtype=bool)
        split = int(n_q * s.pick_split)
        with ThreadPoolExecutor(1) as pool:
            posts = pool.submit(
                mark_best, gq, val, split, n_q, s.sparse_k_post, cap_q, bits, theirs
            )
            mark_best_runs(gp, val, s.sparse_k_person, cap_p, bits, keep)
            mark_best(gq, val, 0, split, s.sparse_k_post, cap_q, bits, keep)
            posts.result()
        keep |= theirs
    else:
        keep = sparse_mask(pl, value, comp.n_p, s.sparse_k_person, s, runs=True)
        keep |= sparse_mask(ql, value, n_q, s.sparse_k_post, s)
    if stay.any():
        keep |= stay & ~comp.may_leave[pl]
    return keep


def covered(
    n_p: int, n_q: int, pl: np.ndarray, ql: np.ndarray, need: np.ndarray, side: str
) -> bool:
    """Whether one matching on the arcs ``(pl, ql)`` covers every node of
    ``side`` (``"persons"`` or ``"posts"``) marked in ``need``.

    Hopcroft-Karp (scipy) on the arcs of those nodes, persons as rows: arcs
    sorted by person (as the solvers keep them) give the rows without a sort.
    """
    # scipy here, not above: a round that never checks a cover (the demo's) does not load it
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import maximum_bipartite_matching

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


def staged(
    prep: Prepared,
    arcs_pos: np.ndarray | slice,
    posts: np.ndarray,
    comp: Component,
    stay: np.ndarray,
) -> tuple[np.ndarray, np.ndarray | None, int]:
    """Values for the auction of one component, with its tier level as a stage.

    Folded tiers make the values span many digits, and the auction pays a
    phase for every factor ``auction_theta`` of that span. If every post
    that has a tier can be filled at once, every lexicographically best
    plan fills them all (each adds a positive ``F[tier] * A``, and all of
    them is the most there is), so the same plans are the best ones among
    those that fill them, by the rest of the value. Returns that rest, the
    posts that must be filled, and the factor ``k`` such that each arc's
    folded value is ``k * value`` plus a term of its post; the caller
    checks that the posts can be filled and otherwise uses the folded
    values (``-folded()``, ``None``, 1).

    When those posts are all of the component's (or every person must be
    placed), every plan has the same number of arcs; with no stay arc in
    the component, "fewest non-stay arcs" is then the same for every plan
    and the rest is the plain score (``k`` is the component's ``B``).
    """
    offset = prep.post_offset
    if offset is None:
        return np.negative(comp.folded()), None, 1
    shift = offset[posts]
    must = shift > 0
    if not must.any():
        return np.negative(comp.folded()), None, 1
    fixed = bool(must.all()) or not comp.may_leave.any()
    if fixed and not stay.any():
        assert prep.fold is not None
        b_c = prep.fold.b_c
        label = 0 if b_c.size == 1 else int(prep.labels[prep.prob.n_persons + posts[0]])
        return _scores(prep, arcs_pos), must, int(b_c[label])
    value = np.negative(comp.folded())
    value -= shift[comp.ql]
    return value, must, 1


def _scores(prep: Prepared, arcs_pos: np.ndarray | slice) -> np.ndarray:
    """``score`` of the arcs ``prep.arcs[arcs_pos]``: a view when those are
    the problem's arcs in their own order (nothing to copy)."""
    prob = prep.prob
    if isinstance(arcs_pos, slice) and prep.arcs.size == prob.n_arcs and prob.is_canonical:
        return prob.score[arcs_pos]
    return prob.score[prep.arcs[arcs_pos]]
