"""The loaded round: the proposal without a re-solve, and a round too wide for sticky scores."""

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


def test_scores_too_wide_for_the_flow_fall_back_to_the_plain_scores(demo_round: LiveRound) -> None:
    live = copy.copy(demo_round)  # the shared round stays as it is
    live._cache = OrderedDict()
    widest = int(np.abs(demo_round._sticky).max())
    # Within the problem's bound on a score (2**40), past what 64-bit costs hold with the tiers.
    live._sticky = demo_round._sticky * (2**39 // widest)
    second = demo_round.record.shortlists[POST][1].nip
    key = _with(((), ()), pins=[(second, POST)], drop_post=POST)
    solved = live.solve(key)
    assert solved.ok and not live.sticky
    assert solved.holder[live.post_index[POST]] == live.person_index[second]
    # The price is the same as with the sticky scores: stickiness never costs a point.
    assert solved.objective == demo_round.solve(key).objective
