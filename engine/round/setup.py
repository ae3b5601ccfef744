"""The scenario's choices for a round, as masks over people and posts.

Who reaches BUP before the scenario's cut-off and leaves, who may be placed,
which posts are open before the solve (vacant, the incumbent leaves, opened
by name), which stay closed (vacant when the scenario does not open vacant
posts: no move can open a post nobody holds), and which moves are allowed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from engine.eligibility.moves import MovePolicy
from engine.round.context import Context

__all__ = ["RoundSetup", "round_setup"]


@dataclass(frozen=True)
class RoundSetup:
    """Who leaves, who may be considered, which posts are open, which moves are allowed."""

    leaving: np.ndarray  # people reaching BUP before the scenario's cut-off
    pool: np.ndarray  # people who may be placed
    open_now: np.ndarray  # posts open before the solve
    named: np.ndarray  # posts opened by name
    moves: MovePolicy  # which moves are allowed (engine.eligibility.moves)
    closed: np.ndarray  # posts nobody may be placed in: vacant and not opened

    @property
    def allowed(self) -> Any:
        """``allowed(people, post_level)`` -> bool mask: the move policy by level."""
        return self.moves.allowed


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
    closed = ~held & ~open_now
    return RoundSetup(leaving, ~leaving, open_now, named, MovePolicy.of(sc.moves), closed)
