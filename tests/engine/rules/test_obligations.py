"""A post's binding rules looked up once (binding_rules, obligations_among) owe what each rule owes.

The reference is written here, rule by rule as the rule reads: every hard
rule that applies to the post, its kind's obligation for the person, by
rule id. On the demo: every post, and for each a sample of people that
includes some who owe a training (so the comparison is not of empty
lists only).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import numpy as np

from engine.plan.pipeline import load_context
from engine.rules.kind import Obligation
from engine.rules.obligations import binding_rules, obligations_among, obligations_of
from engine.rules.registry import CATALOGUE
from engine.rules.ruleset import LoadedRule, Rule

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


def _rule(rid: str, require: dict, **extra) -> LoadedRule:
    text = {"id": rid, "title": "t", "source": "contoh", "effective": {"from": "2020-01-01"}}
    return LoadedRule(Rule.model_validate({**text, "require": require, **extra}), "r.yaml", 1)


def _within(names: list[str], months: int) -> dict:
    return {"pelatihan": {"any_of": names, "timing": "within", "months": months}}


def test_only_the_hard_rules_of_the_post_bind_by_rule_id_worked_by_hand():
    """Five rules over two posts, two people, appointed 2026-07-01.

    By hand: the soft rule never binds; post 1 is outside a.pkn. Person 0 has
    no training: at post 0 PKN II is due 6 months on (2027-01-01) and PKA 12
    months on (2027-07-01), listed by rule id (a before z, though z comes
    first); at post 1 only PKA. Person 1 did PKA in 2019: only PKN II at post 0.
    b.before (training before appointment) and c.jpm owe nothing.
    """
    applicable = [
        (_rule("z.pka", _within(["PKA"], 12)), np.array([True, True])),
        (_rule("m.soft", _within(["PKP"], 3), hard=False, penalty=5), np.array([True, True])),
        (_rule("a.pkn", _within(["PKN II"], 6)), np.array([True, False])),
        (_rule("b.before", {"pelatihan": {"any_of": ["PKN I"]}}), np.array([True, True])),
        (_rule("c.jpm", {"jpm": {"min": 60}}), np.array([True, True])),
    ]
    done = {"PKA": np.array([np.nan, 2019.0])}
    people = SimpleNamespace(n=2, training_year=lambda name: done.get(name, np.full(2, np.nan)))
    day = dt.date(2026, 7, 1)
    pkn, pka = (
        Obligation(("PKN II",), dt.date(2027, 1, 1)),
        Obligation(("PKA",), dt.date(2027, 7, 1)),
    )
    assert [rid for rid, _, _ in binding_rules(applicable, 0)] == [
        "a.pkn",
        "b.before",
        "c.jpm",
        "z.pka",
    ]
    assert [rid for rid, _, _ in binding_rules(applicable, 1)] == ["b.before", "c.jpm", "z.pka"]
    assert obligations_of(applicable, people, 0, 0, day) == [("a.pkn", pkn), ("z.pka", pka)]
    assert obligations_of(applicable, people, 0, 1, day) == [("z.pka", pka)]
    assert obligations_of(applicable, people, 1, 0, day) == [("a.pkn", pkn)]
    assert obligations_among(binding_rules(applicable, 1), people, 1, day) == []
