"""The one move policy: by level while finding candidates, by place after."""

from __future__ import annotations

import numpy as np
from factories import ROOT

from engine.eligibility.candidates import find_candidates
from engine.eligibility.moves import MovePolicy, person_kecamatan
from engine.plan.pipeline import load_context, round_setup


def test_policy_by_level_and_by_place_on_the_demo():
    ctx = load_context(ROOT / "scenarios/dalam-kecamatan.yaml")
    people, posts = ctx.people, ctx.posts
    setup = round_setup(ctx)
    moves = setup.moves
    assert moves == MovePolicy.of(ctx.loaded.scenario.moves) and moves.within_kecamatan
    cands = find_candidates(
        people, posts, ctx.ruleset, ctx.taxonomy, ctx.day, pool=setup.pool, allowed=moves.allowed
    )
    kept = moves.restrict(cands, people, posts)
    place = person_kecamatan(people, posts)
    assert 0 < len(kept) < len(cands)
    assert (place[kept.person] == posts.kecamatan[kept.post]).all()
    assert kept.excluded == cands.excluded and (kept.considered == cands.considered).all()
    for rid, mask in kept.soft_failed:
        assert len(mask) == len(kept), rid
    # towards(j) is the same rule for one post, and never a person's own post.
    for j in np.unique(kept.post)[:20]:
        ok = setup.pool & moves.towards(people, posts, int(j))
        assert ok[kept.person[kept.post == j]].all()
        assert not ok[people.home == j].any()
    anywhere = MovePolicy.of(
        ctx.loaded.scenario.moves.model_copy(update={"within_kecamatan": False})
    )
    assert anywhere.restrict(cands, people, posts) is cands


def test_promotion_lateral_and_from_outside():
    ctx = load_context(ROOT / "scenarios/demo.yaml")
    people = ctx.people
    level = int(ctx.posts.level.max())
    structural = np.isin(people.jenis_jabatan, ["Pengawas", "Administrator"]) & (
        people.level < level
    )
    assert structural.any()
    assert MovePolicy(promotion=True).allowed(people, level)[structural].all()
    assert not MovePolicy(promotion=False).allowed(people, level)[structural].any()
    same = MovePolicy(promotion=False, lateral=True).allowed(people, level)
    assert (same[structural] == (people.level[structural] == level)).all()
