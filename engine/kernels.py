"""Compiled passes of engine modules (numba), compiled and loaded on their first call.

Nothing here imports numba until a pass is called, so a demo round never
loads it. :func:`shown_first` (the succession view) keeps, per post, the ``k`` pairs shown first on its
bench (fewer years, then the better fit to one decimal, then the lower
NIP), reading each pair once, a block of pairs at a time, and keeping no
array the size of the pairs: at a province's twenty million ready-now
pairs, building their keys with numpy costs a second of fresh arrays.
:mod:`engine.succession.shown` calls it for large pair sets only; its
numpy path gives the same pairs (tests/engine/test_kernels.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = ["count_flagged", "shown_first"]

_COMPILED: dict[str, Callable[..., Any]] = {}


def shown_first(
    post: np.ndarray,
    fit: np.ndarray,
    person: np.ndarray,
    years: np.ndarray,
    nip_rank: np.ndarray,
    k: int,
    offset: int,
    best: np.ndarray,
    where: np.ndarray,
    size: np.ndarray,
) -> None:
    """:func:`_shown_first`, compiled on the first call (the machine code cached on disk)."""
    _compiled(_shown_first)(post, fit, person, years, nip_rank, k, offset, best, where, size)


def count_flagged(post: np.ndarray, person: np.ndarray, flag: np.ndarray, out: np.ndarray) -> None:
    """Add to ``out[j]`` how many pairs of post ``j`` have a person with ``flag`` set, in one
    pass over the pairs (:func:`_count_flagged`, compiled on the first call)."""
    _compiled(_count_flagged)(post, person, flag, out)


def _compiled(fn: Callable[..., Any]) -> Callable[..., Any]:
    """``fn`` compiled (numba, nogil, the machine code cached on disk), once per process."""
    if fn.__name__ not in _COMPILED:
        import numba as nb

        _COMPILED[fn.__name__] = nb.njit(cache=True, nogil=True)(fn)
    return _COMPILED[fn.__name__]


def _count_flagged(post: np.ndarray, person: np.ndarray, flag: np.ndarray, out: np.ndarray) -> None:
    """``out[post[a]] += 1`` for each pair ``a`` whose ``person[a]`` is flagged."""
    for a in range(post.size):
        if flag[person[a]]:
            out[post[a]] += 1


def _shown_first(
    post: np.ndarray,
    fit: np.ndarray,
    person: np.ndarray,
    years: np.ndarray,
    nip_rank: np.ndarray,
    k: int,
    offset: int,
    best: np.ndarray,
    where: np.ndarray,
    size: np.ndarray,
) -> None:
    """Keep, per post ``j``, the ``k`` pairs of highest key seen so far: ``best[j, :size[j]]``
    their keys, highest first, ``where[j, :size[j]]`` their indices (``offset`` plus the
    index in these arrays, so that the pairs can be passed a block at a time). A pair's key
    is ``(round(10 fit) - 1000 - 1001 years) * n - nip_rank[person]`` (``n``: the people;
    keys are distinct within a post). ``years`` of length 0: none."""
    if k <= 0:
        return
    n = nip_rank.size
    with_years = years.size > 0
    for a in range(post.size):
        j = post[a]
        key = np.int64(np.rint(np.float64(fit[a]) * 10.0)) - 1000
        if with_years:
            key -= 1001 * np.int64(years[a])
        key = key * n - nip_rank[person[a]]
        m = size[j]
        if m == k and key <= best[j, k - 1]:
            continue
        # Insert, keeping each post's row sorted by key, highest first.
        at = m if m < k else k - 1
        while at > 0 and best[j, at - 1] < key:
            if at < k:
                best[j, at] = best[j, at - 1]
                where[j, at] = where[j, at - 1]
            at -= 1
        best[j, at] = key
        where[j, at] = offset + a
        if m < k:
            size[j] = m + 1
