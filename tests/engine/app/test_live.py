"""The loaded round: the proposal without a re-solve, and a round too wide for sticky scores."""

from __future__ import annotations

import copy
from collections import OrderedDict

import numpy as np

from engine.app.live import LiveRound, _with

from .conftest import shortlists

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
    live._checked, live.sticky = False, True
    second = shortlists()[POST][1].nip
    key = _with(((), ()), pins=[(second, POST)], drop_post=POST)
    solved = live.solve(key)
    assert solved.ok and not live.sticky
    assert solved.holder[live.post_index[POST]] == live.person_index[second]
    # The price is the same as with the sticky scores: stickiness never costs a point.
    assert solved.objective == demo_round.solve(key).objective


def _resolved_price(live: LiveRound, key, nip: str, pid: str) -> float | None:  # type: ignore[no-untyped-def]
    """The oracle: the round re-solved in full with ``nip`` pinned on ``pid``."""
    now, alt = live.solve(key), live.solve(_with(key, pins=[(nip, pid)], drop_post=pid))
    return round((now.objective - alt.objective) / 10, 1) + 0.0 if alt.ok else None


def test_names_are_priced_as_a_re_solve_with_each_one_pinned(demo_round: LiveRound) -> None:
    from engine.app.decisions import InForce

    live = demo_round
    checked = 0
    for pid in list(shortlists())[:12]:
        j = live.post_index[pid]
        for row in live.names(j, InForce()):
            if row.rank == 1 and row.proposed:
                assert row.price == 0.0
                continue
            assert row.price == _resolved_price(live, ((), ()), row.nip, pid), (pid, row.nip)
            checked += 1
    assert checked >= 20


def test_prices_under_decisions_replace_the_decision_on_the_post(demo_round: LiveRound) -> None:
    live = demo_round
    pids = list(shortlists())
    first, other = pids[0], pids[3]
    second = shortlists()[first][1].nip
    banned = shortlists()[other][0].nip
    key = (((second, first),), ((banned, other),))
    assert live.solve(key).ok
    i2 = live.person_index[second]
    elsewhere = [
        int(j) for j in live._cand_post[live._cand_person == i2] if j != live.post_index[first]
    ]
    seen = set()
    for j in (
        live.post_index[first],
        live.post_index[other],
        live.post_index[pids[5]],
        elsewhere[0],
    ):
        pid = str(live.ctx.posts.jabatan_id[j])
        ks = live.candidates(j)
        persons = [*sorted({int(live.arc_person[k]) for k in ks} - {i2})[:15], i2]
        got = live._prices(j, key, persons)
        for i, price in zip(persons, got, strict=True):
            nip = str(live.ctx.people.nip[i])
            if (nip, pid) == (banned, other):
                continue
            assert price == _resolved_price(live, key, nip, pid), (pid, nip)
            seen.add(price is None)
    # priced pairs, and impossible ones: the person chosen for ``first`` elsewhere
    assert seen == {False, True}


def test_the_open_posts_are_those_the_plan_shortlists(demo_round: LiveRound) -> None:
    shown = {
        str(demo_round.ctx.posts.jabatan_id[j]) for j in demo_round.open_posts(demo_round.base)
    }
    assert shown == set(shortlists())


def test_a_post_page_lists_the_plans_shortlist_in_its_order(demo_round: LiveRound) -> None:
    from engine.app.decisions import InForce

    for pid, entries in list(shortlists().items())[:25]:
        rows = demo_round.names(demo_round.post_index[pid], InForce())
        assert [(r.nip, r.price) for r in rows] == [(e.nip, e.price) for e in entries], pid


def test_a_decision_on_plain_scores_is_one_cycle_with_a_whole_solves_optimum(
    demo_round: LiveRound,
) -> None:
    import solvers

    live = copy.copy(demo_round)  # the shared round stays as it is
    live._cache, live._evidence = OrderedDict(), OrderedDict()
    live._cache[((), ())] = demo_round.base
    live.sticky, live._sticky = False, demo_round.problem.score  # as a province round solves
    live._checked, live._root = True, False
    pids = list(shortlists())[:8]
    key: tuple = ((), ())
    by_cycle = 0
    for n, pid in enumerate(pids):
        j = live.post_index[pid]
        row = live.names(j, _inforce(key))[1 + n % 2]  # an alternative: a pin that moves people
        key = _with(key, pins=[(row.nip, pid)], drop_post=pid)
        solved = live.solve(key)
        assert solved.ok and solved.solution is not None
        by_cycle += solved.solution.method == "cycle"
        # the oracle: a whole solve of the same problem
        whole = solvers.solve(solved.problem)
        assert solved.objective == whole.objective, pid
        assert solvers.validate(solved.problem, solved.solution) == []
        assert solved.holder[j] == live.person_index[row.nip]
        assert row.price == round(
            (live.solve(_parent(key, pid)).objective - solved.objective) / 10, 1
        )
    assert by_cycle == len(pids)
    # choosing again on a decided post: from the state without its decision
    pid = pids[0]
    row = live.names(live.post_index[pid], _inforce(key))[2]
    again = _with(key, pins=[(row.nip, pid)], drop_post=pid)
    solved = live.solve(again)
    assert solved.solution.method == "cycle"
    assert solved.objective == solvers.solve(solved.problem).objective
    # excluding a person the plan places on an undecided post: a cycle too, which moves them
    decided = {p for _, p in again[0]}
    pid = next(p for p in list(shortlists())[8:] if p not in decided)
    j = live.post_index[pid]
    holder = str(live.ctx.people.nip[solved.holder[j]])
    excluded = (again[0], ((holder, pid),))
    after = live.solve(excluded)
    assert after.ok and after.solution.method == "cycle"
    assert after.holder[j] != solved.holder[j]
    assert after.objective == solvers.solve(after.problem).objective <= solved.objective
    # lifting it goes back to the state without it, as it was
    assert live.solve(again) is solved


def _parent(key, pid):  # type: ignore[no-untyped-def]
    return tuple(p for p in key[0] if p[1] != pid), key[1]


def _inforce(key):  # type: ignore[no-untyped-def]
    from engine.app.decisions import InForce, PostDecision
    from engine.app.store import Event

    def chosen(nip: str, pid: str) -> PostDecision:
        return PostDecision(Event(0, 1, 0, "", "test", "choose", pid, nip, "test", None))

    return InForce({pid: chosen(nip, pid) for nip, pid in key[0]})
