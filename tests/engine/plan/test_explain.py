"""`talenta eligible` (engine.plan.explain) agrees with the round it explains."""

from __future__ import annotations

import pytest
from factories import ROOT

from engine.eligibility.moves import person_kecamatan
from engine.plan.explain import eligible_for
from engine.plan.pipeline import load_context, plan_round


@pytest.mark.parametrize("post_id", ["KEC-SJJ.CAMAT", "KEC-SJJ.KASI-PEM"])
def test_eligible_keeps_the_move_policy_within_the_kecamatan(post_id):
    """Regression: with ``within_kecamatan`` the round never moves anyone out of their
    kecamatan, but `talenta eligible` listed people from every kecamatan as eligible."""
    ctx = load_context(ROOT / "scenarios/dalam-kecamatan.yaml")
    assert ctx.loaded.scenario.moves.within_kecamatan
    j = list(ctx.posts.jabatan_id).index(post_id)
    result = eligible_for(ctx, j, nearest=5)
    row = {nip: i for i, nip in enumerate(ctx.people.nip)}
    place = person_kecamatan(ctx.people, ctx.posts)
    listed = [row[r["nip"]] for r in result.eligible + result.nearest]
    assert listed
    assert all(place[i] == ctx.posts.kecamatan[j] for i in listed)
    # The same people the round itself finds eligible for the post.
    plan = plan_round(ctx)
    cands = plan.candidates
    assert {r["nip"] for r in result.eligible} == set(ctx.people.nip[cands.person[cands.post == j]])
