"""Compiled (numba) passes over large arc sets.

Only large inputs come here (see ``solvers.flow.KERNEL_MIN_ARCS``): numba
compiles a function on its first call (and caches the machine code on
disk), which a demo-sized plan should not pay for.
"""

from __future__ import annotations

import numba as nb
import numpy as np

__all__ = ["top_lists"]


@nb.njit(cache=True, nogil=True)
def top_lists(group: np.ndarray, value: np.ndarray, n_groups: int, k: int, bits: int) -> np.ndarray:
    """Per group, its ``k`` best arcs (value descending, ties by scatter key).

    One pass; each group keeps a sorted list of at most ``k`` arcs, and an
    arc is inserted only when it beats the list's last. ``-1`` pads groups
    with fewer arcs. The tie key is ``solvers.flow._scatter``'s.
    """
    best = np.full((n_groups, k), -1, np.int64)
    bval = np.empty((n_groups, k), np.int64)
    bkey = np.empty((n_groups, k), np.int64)
    mask = (1 << bits) - 1
    for a in range(group.size):
        g = group[a]
        v = value[a]
        key = (a * 0x9E3779B1) & mask
        last = best[g, k - 1]
        if last >= 0 and (v < bval[g, k - 1] or (v == bval[g, k - 1] and key > bkey[g, k - 1])):
            continue
        pos = k - 1
        while pos > 0:
            prev = best[g, pos - 1]
            if prev >= 0 and (
                bval[g, pos - 1] > v or (bval[g, pos - 1] == v and bkey[g, pos - 1] < key)
            ):
                break
            best[g, pos] = prev
            bval[g, pos] = bval[g, pos - 1]
            bkey[g, pos] = bkey[g, pos - 1]
            pos -= 1
        best[g, pos] = a
        bval[g, pos] = v
        bkey[g, pos] = key
    return best
