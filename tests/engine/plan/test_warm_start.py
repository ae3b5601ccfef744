"""An earlier plan's pairs as this round's warm start (engine.plan.pipeline.warm_start).

On the demo round, pairs picked from its data: a staying holder and their
post is kept (as that post's stay arc); an unknown NIP, a person with a post
they do not hold, a holder who retires in the round, and a post the tables
lack are dropped. The start's objective is the stay arcs' values, read
from the problem by hand here.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import solvers
from engine.model.problem import round_arcs
from engine.plan.pipeline import Held, load_context, plan_round, round_setup, warm_start

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def round_0():
    ctx = load_context(ROOT / "scenarios/demo.yaml")
    plan = plan_round(ctx, evidence=False)
    return ctx, plan


def plan_arcs(plan):
    """The round's arcs as plan_round built them (the stay arcs last)."""
    ctx = plan.context
    cands = plan.candidates
    arcs = round_arcs(ctx.posts, round_setup(ctx), cands.subset(np.ones(len(cands), dtype=bool)))
    assert np.array_equal(arcs.person, plan.problem.person)
    return arcs


def _stay_arc(plan, i: int, j: int) -> int:
    """The arc of (i, j) found by a plain scan of the problem's arrays."""
    found = np.flatnonzero((plan.problem.person == i) & (plan.problem.post == j))
    assert found.size == 1
    return int(found[0])


def test_only_staying_holders_on_their_own_posts_are_kept(round_0):
    ctx, plan = round_0
    people, posts = ctx.people, ctx.posts
    leaving = round_setup(ctx).leaving
    held_posts = np.flatnonzero(posts.holder >= 0)
    stays = [j for j in held_posts if not leaving[posts.holder[j]]]
    retiring = [j for j in held_posts if leaving[posts.holder[j]]]
    assert len(stays) >= 2 and retiring
    a, b = int(stays[0]), int(stays[1])
    nip_a, nip_b = str(people.nip[posts.holder[a]]), str(people.nip[posts.holder[b]])
    r = int(retiring[0])
    held = Held(
        np.array([nip_a, "199999999999999999", nip_b, str(people.nip[posts.holder[r]]), nip_a]),
        np.array(
            [
                str(posts.jabatan_id[a]),
                str(posts.jabatan_id[a]),
                str(posts.jabatan_id[a]),  # b does not hold a
                str(posts.jabatan_id[r]),  # the holder retires: no stay arc
                "no-such-post",
            ]
        ),
    )
    start = warm_start(ctx, plan_arcs(plan), plan.problem, held)
    k = _stay_arc(plan, int(posts.holder[a]), a)
    assert start.person.tolist() == [int(posts.holder[a])]
    assert start.post.tolist() == [a]
    assert start.arc.tolist() == [k]
    assert start.objective == int(plan.problem.score[k])
    assert start.n_moves == 0
    assert start.status == solvers.Status.FEASIBLE


def test_the_plan_itself_is_its_own_stays(round_0):
    """The round's own plan as a start keeps exactly its stays (its moves are not stay arcs)."""
    ctx, plan = round_0
    sol = plan.solution
    start = warm_start(ctx, plan_arcs(plan), plan.problem, plan.held())
    stays = plan.problem.home[sol.person] == sol.post
    assert sorted(start.arc.tolist()) == sorted(sol.arc[stays].tolist())
    assert 0 < len(start.arc) < len(sol.arc)
    # Sorted by post, then person, as a Solution's pairs are.
    assert np.all(np.diff(start.post) >= 0)
