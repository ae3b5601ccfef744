"""Which of a post's successors a bench shows first, picked from pair arrays.

Takes (person, post) pairs with their fit (and, ready soon, the years until
ready); gives, per post, the indices of the ``k`` pairs shown first: fewer
years, then the better fit to one decimal, then the lower NIP. Readiness
keeps only these of the ready-soon pairs (with each post's complete count),
and the successor edges take them of the ready-now pairs
(:mod:`engine.succession.graph`).

A province has tens of millions of pairs: from :data:`KERNEL_MIN_PAIRS` on
they are read once, a chunk at a time, by a compiled pass
(:func:`engine.kernels.shown_first`) that keeps each post's best ``k``; a
fit that is computed when read (:class:`engine.scoring.fit.FitView`) is
computed a chunk at a time, so no array the length of the pairs is made.
"""

from __future__ import annotations

from typing import Any

import numpy as np

import solvers
from engine.inputs.derive import People
from engine.kernels import shown_first

__all__ = ["KERNEL_MIN_PAIRS", "nip_rank", "post_counts", "top"]

#: Pairs per block when a key is built, or a fit read, over a round's pairs.
BLOCK = 1 << 18

#: From this many pairs, the compiled pass (:func:`engine.kernels.shown_first`).
KERNEL_MIN_PAIRS = 200_000


def nip_rank(people: People) -> np.ndarray:
    """Each person's place in NIP order (NIP order without string arrays per pair)."""
    rank = np.empty(people.n, dtype=np.int64)
    rank[np.argsort(people.nip.astype(str), kind="stable")] = np.arange(people.n)
    return rank


def post_counts(post: np.ndarray, n_posts: int) -> np.ndarray:
    """Pairs per post, for pairs sorted by post: a binary search per post, no pass over the pairs.

    >>> post_counts(np.array([0, 0, 2, 2, 2], dtype=np.int32), 4).tolist()
    [2, 0, 3, 0]
    """
    edges = np.searchsorted(post, np.arange(n_posts + 1, dtype=post.dtype))
    return np.diff(edges).astype(np.int64)


def _keys(
    fit: Any,
    person: np.ndarray,
    rank: np.ndarray,
    years: np.ndarray | None = None,
) -> np.ndarray:
    """Per pair, an int64 that is higher for the pair shown first within its post: fewer
    ``years`` (when given), then the better fit to one decimal, then the lower NIP.

    Built a block of pairs at a time, in place: no temporary the size of the
    pairs is made besides the result.
    """
    m, n = len(person), len(rank)
    out = np.empty(m, dtype=np.int64)
    buf = np.empty(min(m, BLOCK))
    for s in range(0, m, BLOCK):
        e = min(s + BLOCK, m)
        f, o = buf[: e - s], out[s:e]
        f[:] = fit[s:e]
        f *= 10.0
        np.rint(f, out=f)  # fits are carried to one decimal: 0 .. 1000
        o[:] = f
        o -= 1000
        if years is not None:
            o -= years[s:e] * 1001
        o *= n
        o -= rank[person[s:e]]
    return out


def top(
    post: np.ndarray,
    fit: Any,
    person: np.ndarray,
    rank: np.ndarray,
    n_posts: int,
    k: int,
    years: np.ndarray | None = None,
    *,
    min_pairs: int = KERNEL_MIN_PAIRS,
    step: int = 4 * BLOCK,
) -> np.ndarray:
    """Indices of each post's ``k`` pairs shown first (see :func:`_keys`), ascending.

    ``fit``: a float array, or anything indexed as one (a fit computed when
    read). From ``min_pairs`` pairs on, one compiled pass over blocks of
    ``step`` pairs; below, the keys and one pick per post (:func:`solvers.top_k_mask`):
    the same pairs.
    """
    if len(post) < min_pairs:
        key = _keys(fit, person, rank, years)
        return np.flatnonzero(solvers.top_k_mask(post, key, n_posts, k))
    k = max(k, 0)
    best = np.empty((n_posts, k), dtype=np.int64)
    where = np.empty((n_posts, k), dtype=np.int64)
    size = np.zeros(n_posts, dtype=np.int64)
    no_years = np.zeros(0, dtype=np.int64)
    for s in range(0, len(post), step):
        e = min(s + step, len(post))
        chunk = np.asarray(fit[s:e])
        yrs = no_years if years is None else years[s:e]
        shown_first(post[s:e], chunk, person[s:e], yrs, rank, k, s, best, where, size)
    kept = where[np.arange(k)[None, :] < size[:, None]]
    return np.sort(kept)
