"""Compiled passes of engine modules (numba), compiled and loaded on their first call.

Nothing here imports numba until a pass is called, so a demo round never
loads it. :func:`shown_first` (the succession view) keeps, per post, the ``k`` pairs shown first on its
bench (fewer years, then the better fit to one decimal, then the lower
NIP), reading each pair once, a block of pairs at a time, and keeping no
array the size of the pairs: at a province's twenty million ready-now
pairs, building their keys with numpy costs a second of fresh arrays.
:mod:`engine.succession.shown` calls it for large pair sets only; its
numpy path gives the same pairs (tests/engine/test_kernels.py).
:func:`pair_values` (the fit of each pair, or each arc's integer value for
the solver) makes in one pass what :mod:`engine.scoring.fit` and
:func:`engine.model.problem.arc_values` make with numpy in a dozen passes
and their temporaries, by the same float operations in the same order
(tests/engine/scoring/test_fit.py: bit for bit).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = ["count_flagged", "pair_values", "shown_first"]

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
    own, person_field, post_field, field_pair, post_level, pengalaman = tables
    weight, move_bonus, stay_bonus, n_candidates, scale = value
    _compiled(_pair_values)(
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
