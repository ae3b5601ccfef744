"""Compiled passes of engine modules (numba), compiled and loaded on their first call.

Nothing here imports numba until a pass is called, so a demo round never
loads it. :func:`shown_first` (the succession view) marks, per post, the ``k`` pairs shown first on its
bench (fewer years, then the better fit to one decimal, then the lower
NIP), reading each pair once and keeping no array the size of the pairs: at
a province's twenty million ready-now pairs, building their keys with numpy
costs a second of fresh arrays. :mod:`engine.succession.graph` calls it
for large pair sets only; its numpy path gives the same pairs
(tests/engine/test_kernels.py). :func:`pair_values` (the fit of each pair,
or each arc's integer value for the solver) makes in one pass what
:mod:`engine.scoring.fit` and :func:`engine.model.problem.arc_values` make
with numpy in a dozen passes and their temporaries, by the same float
operations in the same order (tests/engine/scoring/test_fit.py: bit for bit).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = ["pair_values", "shown_first"]

_COMPILED: dict[str, Callable[..., Any]] = {}


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
    """:func:`_shown_first`, compiled on the first call (the machine code cached on disk)."""
    if "shown_first" not in _COMPILED:
        import numba as nb

        _COMPILED["shown_first"] = nb.njit(cache=True, nogil=True)(_shown_first)
    _COMPILED["shown_first"](post, fit, person, years, nip_rank, n_posts, k, out)


def _shown_first(
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


def pair_values(
    tables: tuple[np.ndarray, ...],
    strides: tuple[int, int],
    person: np.ndarray,
    post: np.ndarray,
    bits: np.ndarray,
    byte_penalty: np.ndarray,
    lo: int,
    hi: int,
    value: tuple[np.ndarray, float, float, int, float],
    fit_out: np.ndarray,
    value_out: np.ndarray,
) -> None:
    """:func:`_pair_values`, compiled on the first call (the machine code cached on disk)."""
    if "pair_values" not in _COMPILED:
        import numba as nb

        _COMPILED["pair_values"] = nb.njit(cache=True, nogil=True)(_pair_values)
    own, person_field, post_field, field_pair, post_level, pengalaman = tables
    weight, move_bonus, stay_bonus, n_candidates, scale = value
    _COMPILED["pair_values"](
        own,
        person_field,
        post_field,
        field_pair,
        strides[0],
        post_level,
        pengalaman,
        strides[1],
        person,
        post,
        bits,
        byte_penalty,
        lo,
        hi,
        weight,
        move_bonus,
        stay_bonus,
        n_candidates,
        scale,
        fit_out,
        value_out,
    )


def _pair_values(
    own: np.ndarray,
    person_field: np.ndarray,
    post_field: np.ndarray,
    field_pair: np.ndarray,
    stride: int,
    post_level: np.ndarray,
    pengalaman: np.ndarray,
    levels: int,
    person: np.ndarray,
    post: np.ndarray,
    bits: np.ndarray,
    byte_penalty: np.ndarray,
    lo: int,
    hi: int,
    weight: np.ndarray,
    move_bonus: float,
    stay_bonus: float,
    n_candidates: int,
    scale: float,
    fit_out: np.ndarray,
    value_out: np.ndarray,
) -> None:
    """The fit of pairs ``lo:hi`` into ``fit_out[0:hi-lo]`` or, when ``value_out``
    is not empty, each arc's value into ``value_out[lo:hi]``.

    A pair's fit is ``round(clip(own + keilmuan + pengalaman - penalty, 0, 100), 1)``
    (:meth:`engine.scoring.fit._FitTables.fit`; ``np.round`` to one decimal is
    ``rint(x * 10) / 10``); an arc's value is ``rint((fit x weight[post] +
    bonus) x scale)``, the bonus ``stay_bonus`` from arc ``n_candidates`` on
    (:func:`engine.model.problem.arc_values`). ``bits`` of length 0: no soft
    rule, penalty 0.0.
    """
    with_bits = bits.size > 0
    values = value_out.size > 0
    for a in range(lo, hi):
        i = np.int64(person[a])
        j = np.int64(post[a])
        raw = own[i]
        raw += field_pair[np.int64(person_field[i]) * stride + np.int64(post_field[j])]
        raw += pengalaman[i * levels + np.int64(post_level[j])]
        raw -= byte_penalty[bits[a]] if with_bits else 0.0
        raw = min(max(raw, 0.0), 100.0)
        fit = np.rint(raw * 10.0) / 10.0
        if not values:
            fit_out[a - lo] = fit
            continue
        v = fit * weight[j]
        v += stay_bonus if a >= n_candidates else move_bonus
        v *= scale
        value_out[a] = np.int64(np.rint(v))
