"""Posts grouped by rule signature: the posts that share one eligibility vector over people.

Takes the posts and, per rule that applies, its mask over posts and the
requirement kind that evaluates it; gives per rule a code per post for the
values of the post attributes the rule reads (:func:`value_codes`), and the
groups of posts with the same signature (:func:`group_posts`): the same
rules apply, each reads the same values, and the posts are of the same
level (the move policy is per level). Every post of a group has the same
verdict per person for every rule, so a group is evaluated once, never per
pair.

This is the one grouping: both methods of
:func:`engine.eligibility.candidates.find_candidates` and succession's near
misses (:mod:`engine.succession.readiness`) use it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from engine.inputs.derive import Posts
from engine.rules.requirements import Kind

__all__ = ["dense_codes", "group_posts", "row_codes", "signature", "value_codes"]


def row_codes(matrix: np.ndarray) -> np.ndarray:
    """Dense codes (0, 1, ...) of the rows of a 2-D integer matrix (entries >= -1): equal rows, equal code.

    Columns are folded into one integer in mixed radix, made dense again
    only when the codes could pass int64, so a sort runs once or twice, not
    once per column. Codes are numbered in the order of the rows (the first
    column first).

    Examples
    --------
    >>> row_codes(np.array([[1, 0], [0, 5], [1, 0]])).tolist()
    [1, 0, 1]
    """
    n = matrix.shape[0]
    code = np.zeros(n, dtype=np.int64)
    if not n:
        return code
    for column in np.asarray(matrix, dtype=np.int64).T:
        shifted = column - int(column.min())
        radix = int(shifted.max()) + 1
        # The next codes are below (largest code + 1) * radix; int64 holds them
        # while that is at most 2**63.
        if (int(code.max()) + 1) * radix > 2**63:
            code = np.unique(code, return_inverse=True)[1].astype(np.int64).ravel()
        code = code * radix + shifted
    return np.unique(code, return_inverse=True)[1].astype(np.int64).ravel()


def dense_codes(columns: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Dense codes of the rows of ``columns`` (equal rows, equal code) and the first row of each code."""
    code = row_codes(
        np.column_stack(
            [pd.factorize(np.asarray(column), use_na_sentinel=False)[0] for column in columns]
        )
    )
    n = len(code)
    first = np.full(int(code.max(initial=-1)) + 1, n, dtype=np.int64)
    np.minimum.at(first, code, np.arange(n, dtype=np.int64))
    return code, first


def value_codes(kind: Kind, params: object, posts: Posts) -> tuple[np.ndarray, np.ndarray]:
    """Per post, one code per distinct value of the attributes a rule reads; a post having each code.

    A rule that reads nothing of its posts gives every post code 0.
    """
    keys = kind.reads(params)  # type: ignore[arg-type]
    return dense_codes([getattr(posts, k) for k in keys] or [np.zeros(posts.n)])


def signature(
    masks: Sequence[np.ndarray], codes: Sequence[np.ndarray], level: np.ndarray, js: np.ndarray
) -> np.ndarray:
    """Per post of ``js``: the value code each rule reads (-1 where it does not apply), then the level.

    ``masks[r]`` and ``codes[r]`` are rule ``r``'s mask and value codes over
    all posts (:func:`value_codes`); ``level`` a level code per post.
    """
    columns = [np.where(m[js], c[js], -1) for m, c in zip(masks, codes, strict=True)]
    return np.stack([*columns, level[js]], axis=1)


def group_posts(
    masks: Sequence[np.ndarray], codes: Sequence[np.ndarray], level: np.ndarray, js: np.ndarray
) -> list[np.ndarray]:
    """The posts ``js`` in groups of equal :func:`signature`.

    Each group is ascending, and the groups come in the order of their first
    post, so whatever is emitted group by group comes out in post order.

    Examples
    --------
    >>> mask = np.array([True, True, False, True])
    >>> code = np.array([0, 1, 0, 0])
    >>> level = np.zeros(4, dtype=np.int64)
    >>> [g.tolist() for g in group_posts([mask], [code], level, np.arange(4))]
    [[0, 3], [1], [2]]
    """
    js = np.sort(np.asarray(js, dtype=np.int64))
    if not len(js):
        return []
    group = row_codes(signature(masks, codes, level, js))
    order = np.argsort(group, kind="stable")
    bounds = np.flatnonzero(np.diff(group[order])) + 1
    members = np.split(js[order], bounds)
    members.sort(key=lambda m: int(m[0]))
    return members
