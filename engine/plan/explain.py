"""Who is eligible for one post, ranked by fit, and who is nearest, with what would qualify them.

Uses the same steps as a round (:func:`engine.plan.pipeline.round_setup`,
:func:`engine.eligibility.candidates.find_candidates`, the scenario's move
policy :class:`engine.eligibility.moves.MovePolicy`, its unknown policy
:class:`engine.eligibility.verdicts.UnknownPolicy`, :func:`engine.scoring.fit.score_pairs`)
restricted to one post; the per-pair evaluator explains only the nearest few.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np

from engine.eligibility.candidates import find_candidates, verdicts
from engine.eligibility.verdicts import UnknownPolicy, post_view
from engine.plan.pipeline import Context, round_setup
from engine.rules.obligations import obligations_of
from engine.rules.requirements import CATALOGUE
from engine.scoring.fit import score_pairs

__all__ = ["EligibleResult", "eligible_for"]


@dataclass
class EligibleResult:
    eligible: list[dict[str, Any]]
    nearest: list[dict[str, Any]]


def eligible_for(ctx: Context, j: int, *, nearest: int = 5, lang: str = "id") -> EligibleResult:
    """Eligible people for post ``j`` (by fit) and the ``nearest`` non-eligible ones."""
    sc = ctx.loaded.scenario
    people, posts = ctx.people, ctx.posts
    setup = round_setup(ctx)
    only = np.zeros(posts.n, dtype=bool)
    only[j] = True
    cands = find_candidates(
        people,
        posts,
        ctx.ruleset,
        ctx.taxonomy,
        sc.date,
        pool=setup.pool,
        allowed=setup.moves.allowed,
        unknown=sc.unknown,
        open_posts=only,
    )
    cands = setup.moves.restrict(cands, people, posts)
    scores = score_pairs(
        people,
        posts,
        cands.person,
        cands.post,
        cands.penalty,
        ctx.taxonomy,
        ctx.weights,
        sc.component_weights,
    )
    order = np.lexsort((people.nip[cands.person], -scores.fit))
    applicable = ctx.ruleset.applicable(sc.date, posts)
    eligible = [
        {
            "nip": str(people.nip[cands.person[k]]),
            "nama": str(people.nama[cands.person[k]]),
            "jabatan": str(people.jenis_jabatan[cands.person[k]]),
            "fit": float(scores.fit[k]),
            # Appointed on the round's date: what they must still do, and by when.
            "obligations": [
                o.text(lang)
                for _, o in obligations_of(
                    applicable, people, int(cands.person[k]), j, sc.date, ctx.taxonomy
                )
            ],
        }
        for k in order
    ]
    # Nearest: considered by the move policy, not eligible; fewest hard rules failed.
    considered = setup.pool & setup.moves.towards(people, posts, j)
    considered[cands.person] = False
    failed = np.zeros(people.n, dtype=np.int64)
    unknown = UnknownPolicy.of(sc.unknown)
    view = post_view(posts, j)
    for rule, mask in applicable:
        if mask[j] and rule.rule.hard:
            v = CATALOGUE[rule.rule.kind](ctx.taxonomy).evaluate(rule.rule.params, people, view)
            failed += unknown.failed(v)
    idx = np.flatnonzero(considered & (failed > 0))
    idx = idx[np.lexsort((people.nip[idx], failed[idx]))][: max(nearest * 4, nearest)]
    keyed = []
    for i in idx:
        vs = [
            v
            for v in verdicts(people, posts, ctx.ruleset, ctx.taxonomy, sc.date, int(i), j, lang)
            if v.hard and v.verdict != "PASS"
        ]
        dates = [v.counterfactual.from_date for v in vs if v.counterfactual]
        time_only = bool(dates) and all(d is not None for d in dates)
        when = max(d for d in dates if d is not None) if time_only else None
        key = (len(vs), 0 if time_only else 1, when or dt.date.max, str(people.nip[i]))
        row = {
            "nip": str(people.nip[i]),
            "nama": str(people.nama[i]),
            "failed": [v.rule_id for v in vs],
            "changes": [v.counterfactual.text(lang) for v in vs if v.counterfactual],
            "from_date": when,
        }
        keyed.append((key, row))
    keyed.sort(key=lambda kr: kr[0])
    return EligibleResult(eligible, [row for _, row in keyed[:nearest]])
