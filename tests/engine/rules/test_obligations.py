"""A post's binding rules looked up once (binding_rules, obligations_among) owe what each rule owes.

The reference is written here, rule by rule as the rule reads: every hard
rule that applies to the post, its kind's obligation for the person, by
rule id. On the demo: every post, and for each a sample of people that
includes some who owe a training (so the comparison is not of empty
lists only).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from engine.plan.pipeline import load_context
from engine.rules.obligations import binding_rules, obligations_among, obligations_of
from engine.rules.registry import CATALOGUE

ROOT = Path(__file__).resolve().parents[3]


def _by_hand(applicable, ctx, i, j):
    owed = []
    for loaded, mask in applicable:
        rule = loaded.rule
        if rule.hard and mask[j]:
            kind = CATALOGUE[rule.kind](ctx.taxonomy)
            due = kind.obligation(rule.params, ctx.people, i, ctx.day)
            if due is not None:
                owed.append((rule.id, due))
    return sorted(owed, key=lambda pair: pair[0])


def test_binding_rules_looked_up_once_owe_what_obligations_of_owes():
    ctx = load_context(ROOT / "scenarios/demo.yaml")
    applicable = ctx.ruleset.applicable(ctx.day, ctx.posts)
    rng = np.random.default_rng(5)
    owed = 0
    for j in range(ctx.posts.n):
        binding = binding_rules(applicable, j, ctx.taxonomy)
        assert [rid for rid, _, _ in binding] == sorted(
            r.rule.id for r, m in applicable if r.rule.hard and m[j]
        )
        for i in rng.choice(ctx.people.n, size=8, replace=False).tolist():
            want = _by_hand(applicable, ctx, i, j)
            assert obligations_among(binding, ctx.people, i, ctx.day) == want
            assert obligations_of(applicable, ctx.people, i, j, ctx.day, ctx.taxonomy) == want
            owed += len(want)
    assert owed > 0
