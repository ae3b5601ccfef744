"""The compiled pass of the succession view: each post's first pairs, in one pass.

:func:`shown_first` marks, per post, the ``k`` pairs shown first on its
bench (fewer years, then the better fit to one decimal, then the lower
NIP), reading each pair once and keeping no array the size of the pairs: at
a province's twenty million ready-now pairs, building their keys with numpy
costs a second of fresh arrays. :mod:`engine.succession.graph` calls it
for large pair sets only (numba is imported then); its numpy path gives the
same pairs (tests/engine/succession/test_kernels.py).
"""

from __future__ import annotations

import numba as nb
import numpy as np

__all__ = ["shown_first"]


@nb.njit(cache=True, nogil=True)
def shown_first(
    post: np.ndarray,
    fit: np.ndarray,
    person: np.ndarray,
    years: np.ndarray,
    nip_rank: np.ndarray,
    n_posts: int,
    k: int,
    out: np.ndarray,
) -> None:
    """Set ``out`` on each post's ``k`` pairs of highest key, where a pair's key is
    ``(round(10 fit) - 1000 - 1001 years) * n - nip_rank[person]`` (``n``: the
    people; keys are distinct within a post). ``years`` of length 0: none."""
    if k <= 0:
        return
    n = nip_rank.size
    best = np.empty((n_posts, k), dtype=np.int64)
    where = np.empty((n_posts, k), dtype=np.int64)
    size = np.zeros(n_posts, dtype=np.int64)
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
        where[j, at] = a
        if m < k:
            size[j] = m + 1
    for j in range(n_posts):
        for b in range(size[j]):
            out[where[j, b]] = True
