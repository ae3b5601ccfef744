"""The loaded round: the proposal without a re-solve, and sticky scores too wide to fold."""

from __future__ import annotations

import copy
from collections import OrderedDict

import numpy as np

from engine.app.live import LiveRound, _with

POST = "BAPENDA.KEPALA"


def test_the_proposal_is_the_plans_own_solution(demo_round: LiveRound) -> None:
    sol = demo_round.plan.solution
    assert demo_round.base.ok
    assert demo_round.base.objective == int(demo_round.problem.score[sol.arc].sum())
    placed = np.flatnonzero(demo_round.base.post_of >= 0)
    assert sorted(placed.tolist()) == sorted(np.asarray(sol.person).tolist())


def test_scores_too_wide_to_fold_stay_sticky(demo_round: LiveRound) -> None:
    live = copy.copy(demo_round)  # the shared round stays as it is
    live._cache = OrderedDict()
    widest = int(np.abs(demo_round._sticky).max())
    # Within the problem's bound on a score (2**40), past what 64-bit costs hold folded with
    # the tiers: the flow solves the levels in sequence, on the same sticky order.
    live._sticky = demo_round._sticky * (2**39 // widest)
    second = demo_round.record.shortlists[POST][1].nip
    key = _with(((), ()), pins=[(second, POST)], drop_post=POST)
    solved = live.solve(key)
    sticky = demo_round.solve(key)
    assert solved.ok
    assert solved.holder[live.post_index[POST]] == live.person_index[second]
    # The same plan as with the narrow sticky scores: nobody else moves.
    assert solved.objective == sticky.objective
    assert solved.holder.tolist() == sticky.holder.tolist()
