"""Each group's best arcs: the picks behind sparse arc sets and shortlists.

A *group* is a person or a post; its arcs are picked by value, best first.
Real scores tie a great deal (a person's fit is the same for every post of
one level and field), so ties are broken by a fixed scatter of the arc
index (:func:`_scatter`): tied people spread over tied posts instead of
all going to the first ones. Large integer inputs go to one compiled pass
(:func:`solvers.kernels.mark_best`, no sort and no temporary of the whole
arc set); the rest to one sort.
"""

from __future__ import annotations

import numpy as np

from solvers.settings import Settings

__all__ = ["pick_best", "scatter_bits", "top_k_mask", "uses_kernels"]


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


def uses_kernels(group: np.ndarray, value: np.ndarray, cap: int, min_arcs: int) -> bool:
    """Whether :func:`pick_best` goes to the compiled passes: large arc sets
    (at least ``min_arcs``, and fewer than ``2**31``: arc and key share a
    word there) of integer values, with few arcs kept per group."""
    return (
        min_arcs <= group.size < 2**31
        and cap <= _INSERT_MAX_K
        and np.asarray(value).dtype.kind in "iub"
    )


def pick_best(
    group: np.ndarray,
    value: np.ndarray,
    n_groups: int,
    k: int,
    cap: int,
    runs: bool = False,
    min_arcs: int = Settings.kernel_min_arcs,
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
    if uses_kernels(group, value, cap, min_arcs):
        from solvers.kernels import as_ids, mark_best, mark_best_runs

        ids, value = as_ids(group), np.ascontiguousarray(value, dtype=np.int64)
        bits = scatter_bits(group.size)
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


def scatter_bits(size: int) -> int:
    """Bits of the scatter of :func:`_scatter` for ``size`` arcs."""
    return max(int(size - 1).bit_length(), 1)


def top_k_mask(
    group: np.ndarray,
    value: np.ndarray,
    n_groups: int,
    k: int,
    *,
    min_arcs: int = Settings.kernel_min_arcs,
) -> np.ndarray:
    """The ``k`` arcs of highest value in each group.

    Ties are broken by :func:`_scatter` of the arc index (deterministic).
    ``min_arcs``: from this many arcs on, the compiled pass
    (:attr:`Settings.kernel_min_arcs`).

    Examples
    --------
    >>> import numpy as np
    >>> top_k_mask(np.array([0, 0, 0, 1]), np.array([5, 9, 7, 1]), 2, 2).tolist()
    [False, True, True, True]
    """
    return pick_best(group, value, n_groups, k, k, min_arcs=min_arcs)
