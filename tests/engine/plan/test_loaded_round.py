"""The loaded-round API (engine.plan.explain.LoadedRound) against the round's own eligibility.

The oracle is the plan: its candidates come from
engine.eligibility.candidates.find_candidates (the join method, every post
at once) and its fits from the scores of its arcs; LoadedRound reads each
rule per post value on its own. Both must name the same people with the same
fit for every post of the demo, asked in any order and more than once.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from engine.plan.explain import LoadedRound, eligible_for
from engine.plan.pipeline import build_plan

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def demo():
    plan = build_plan(ROOT / "scenarios/demo.yaml")
    return plan, LoadedRound(plan.context)


def _plan_eligible(plan, j: int) -> dict[str, float]:
    c = plan.candidates
    at = np.flatnonzero(c.post == j)
    nip = plan.context.people.nip
    return {str(nip[c.person[k]]): round(float(plan.scores.fit[k]), 6) for k in at}


def test_every_post_names_the_rounds_eligible_people_with_their_fit(demo):
    plan, loaded = demo
    n = plan.context.posts.n
    # Backwards, then again forwards: the caches must not carry one post's answer to another.
    for j in [*range(n - 1, -1, -1), *range(n)]:
        got = loaded.eligible(j, nearest=0)
        assert {r["nip"]: round(r["fit"], 6) for r in got.eligible} == _plan_eligible(plan, j)
        fits = [r["fit"] for r in got.eligible]
        assert fits == sorted(fits, reverse=True)


def test_explain_agrees_with_eligible_and_names_the_blocking_rules(demo):
    plan, loaded = demo
    ctx = plan.context
    rng = np.random.default_rng(7)
    checked = {True: 0, False: 0}
    for j in rng.choice(ctx.posts.n, size=25, replace=False).tolist():
        eligible = {r["nip"] for r in loaded.eligible(j, nearest=0).eligible}
        for i in rng.choice(ctx.people.n, size=40, replace=False).tolist():
            if ctx.people.home[i] == j:
                continue
            found = loaded.explain(i, j)
            assert found.eligible == (str(ctx.people.nip[i]) in eligible)
            hard_failed = [v.rule_id for v in found.verdicts if v.hard and v.verdict != "PASS"]
            assert found.failed == hard_failed
            checked[found.eligible] += 1
    assert checked[True] and checked[False]


def test_a_fresh_round_and_a_kept_one_give_the_same_nearest(demo):
    plan, loaded = demo
    j = int(np.flatnonzero(plan.context.posts.jenis_jabatan == "JPT Pratama")[0])
    kept = loaded.eligible(j, nearest=5)
    fresh = eligible_for(plan.context, j, nearest=5)
    assert kept == fresh
    assert kept.nearest and all(row["failed"] for row in kept.nearest)
