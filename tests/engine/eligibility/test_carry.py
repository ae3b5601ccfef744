"""Eligibility carried between rounds (engine.eligibility.carry) finds what a round from scratch finds.

- every year of a horizon, carried, has the eligible pairs (people, posts,
  penalties, soft failures) and the per-post counts of the same year found
  from scratch, and the same plan; later years do carry pairs;
- after random changes to people between two rounds (golongan, unit,
  jenis jabatan, SKP, people removed, the date a year on), the carried
  round equals ``find_candidates`` of the changed state;
- a changed rule set carries nothing.

On the demo and on a second synthetic regency (another seed).
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from engine.demo import synth
from engine.eligibility.candidates import find_candidates
from engine.eligibility.carry import EligibilityCarry, find_candidates_carried
from engine.inputs.progression import load_rank_progression
from engine.plan.pipeline import load_context, round_setup, with_state
from engine.succession.horizon import carry_skp, run_horizon, year_scenario

ROOT = Path(__file__).resolve().parents[3]
PROGRESSION = load_rank_progression(ROOT / "rules/kenaikan-pangkat.yaml")


@pytest.fixture(scope="module", params=["demo", "seed 7"])
def context(request, tmp_path_factory):
    if request.param == "demo":
        return load_context(ROOT / "scenarios/demo.yaml")
    folder = tmp_path_factory.mktemp("regency")
    synth.write(synth.make_regency(seed=7), folder / "data/demo")
    shutil.copytree(ROOT / "rules", folder / "rules")
    (folder / "scenarios").mkdir()
    shutil.copyfile(ROOT / "scenarios/demo.yaml", folder / "scenarios/demo.yaml")
    return load_context(folder / "scenarios/demo.yaml")


def _same(a, b) -> None:
    """Two Candidates pair for pair, with the same counts."""
    assert a.person.tolist() == b.person.tolist()
    assert a.post.tolist() == b.post.tolist()
    assert a.penalty.tolist() == b.penalty.tolist()
    assert [r for r, _ in a.soft_failed] == [r for r, _ in b.soft_failed]
    for (_, x), (_, y) in zip(a.soft_failed, b.soft_failed, strict=True):
        assert x.tolist() == y.tolist()
    assert a.considered.tolist() == b.considered.tolist()
    assert list(a.excluded) == list(b.excluded)
    assert a.unknown.tolist() == b.unknown.tolist()
    assert a.rules_in_force == b.rules_in_force


def _find(ctx, carry=None):
    setup = round_setup(ctx)
    sc = ctx.loaded.scenario
    args = (ctx.people, ctx.posts, ctx.ruleset, ctx.taxonomy, sc.date)
    kw = {"pool": setup.pool, "allowed": setup.allowed, "unknown": sc.unknown}
    if carry is None:
        return find_candidates(*args, **kw)
    return find_candidates_carried(*args, **kw, carry=carry)


def test_a_carried_horizon_finds_every_year_what_one_from_scratch_finds(context):
    carried = run_horizon(context, 4, PROGRESSION)
    scratch = run_horizon(context, 4, PROGRESSION, carry_eligibility=False)
    for a, b in zip(carried.years, scratch.years, strict=True):
        _same(a.plan.candidates, b.plan.candidates)
        assert a.plan.record.objective == b.plan.record.objective
        assert a.plan.record.placements == b.plan.record.placements
        assert a.summary() == b.summary()
        for name in ("now_person", "now_post", "now_fit", "soon_person", "soon_post"):
            assert getattr(a.ready, name).tolist() == getattr(b.ready, name).tolist()
    assert scratch.carried == []
    people, found, kept = zip(*carried.carried, strict=True)
    assert found[0] == people[0] and kept[0] == 0  # year 0: nothing to carry
    assert all(f < p for f, p in zip(found[1:], people[1:], strict=True))
    assert all(k > 0 for k in kept[1:])


def _changed(ctx, rng):
    """The context a year on, with random people removed and random facts changed."""
    tables = ctx.tables
    peg = tables.pegawai.copy()
    n = len(peg)
    # Golongan, unit and the latest SKP change hands among a tenth of the people each.
    skp = [c for c in peg.columns if c.startswith("skp_")]
    for column in ("golongan", "unit", skp[0]):
        pick = rng.choice(n, size=max(n // 10, 2), replace=False)
        peg.loc[peg.index[pick], column] = peg[column].to_numpy()[rng.permutation(pick)]
    keep = np.ones(n, dtype=bool)
    keep[rng.choice(n, size=max(n // 20, 1), replace=False)] = False
    peg = peg.loc[keep].reset_index(drop=True)
    scenario = year_scenario(replace(ctx, tables=replace(tables, pegawai=peg)), 1)
    tables = carry_skp(replace(tables, pegawai=peg), scenario.date)
    return with_state(ctx, scenario, tables)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_carried_after_random_changes_equals_from_scratch(context, seed):
    rng = np.random.default_rng(seed)
    ctx0 = with_state(context, year_scenario(context, 0), context.tables)
    carry = EligibilityCarry()
    _same(_find(ctx0, carry), _find(ctx0))
    ctx1 = _changed(ctx0, rng)
    _same(_find(ctx1, carry), _find(ctx1))
    n, found, kept = carry.log[-1]
    assert 0 < found < n and kept > 0


def test_another_rule_set_carries_nothing(context):
    ctx0 = with_state(context, year_scenario(context, 0), context.tables)
    carry = EligibilityCarry()
    _find(ctx0, carry)
    rules = list(ctx0.ruleset.rules)
    hard = next(k for k, r in enumerate(rules) if r.rule.hard)
    changed = replace(ctx0, ruleset=replace(ctx0.ruleset, rules=rules[:hard] + rules[hard + 1 :]))
    _same(_find(changed, carry), _find(changed))
    assert carry.log[-1][1] == changed.people.n  # everybody found again
