"""The scenario's choices for a round, as masks over people and posts.

Who reaches BUP before the scenario's cut-off and leaves, who may be placed,
which posts are open before the solve (vacant, the incumbent leaves, opened
by name), and which moves are allowed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from engine.inputs import scales
from engine.inputs.derive import People
from engine.round.context import Context

__all__ = ["RoundSetup", "round_setup"]


@dataclass(frozen=True)
class RoundSetup:
    """Who leaves, who may be considered, which posts are open, which moves are allowed."""

    leaving: np.ndarray  # people reaching BUP before the scenario's cut-off
    pool: np.ndarray  # people who may be placed
    open_now: np.ndarray  # posts open before the solve
    named: np.ndarray  # posts opened by name
    allowed: Any  # allowed(people, post_level) -> bool mask


def round_setup(ctx: Context) -> RoundSetup:
    """The scenario's choices as masks over people and posts."""
    sc = ctx.loaded.scenario
    people, posts = ctx.people, ctx.posts
    leaving = np.zeros(people.n, dtype=bool)
    if sc.open.retiring_before is not None:
        leaving = people.bup < np.datetime64(sc.open.retiring_before, "D")
    named = np.isin(posts.jabatan_id, sc.open.posts)
    held = posts.holder >= 0
    holder_leaves = held & leaving[np.where(held, posts.holder, 0)]
    open_now = (~held & sc.open.vacant) | holder_leaves | named
    return RoundSetup(leaving, ~leaving, open_now, named, _allowed(sc.moves))


def _allowed(sc_moves: Any) -> Any:
    def allowed(people: People, post_level: int) -> np.ndarray:
        structural = np.isin(people.jenis_jabatan, list(scales.STRUCTURAL))
        up = people.level < post_level
        same = people.level == post_level
        ok_structural = (up & sc_moves.promotion) | (same & sc_moves.lateral)
        ok_outside = (people.level <= post_level) & sc_moves.from_outside
        return np.where(structural, ok_structural, ok_outside)

    return allowed
