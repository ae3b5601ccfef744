"""Who is eligible for one post, ranked by fit, and who is nearest, with what would qualify them.

Uses the same steps as a round (:func:`engine.plan.pipeline.round_setup`,
the scenario's move policy :class:`engine.eligibility.moves.MovePolicy`, its
unknown policy :class:`engine.eligibility.verdicts.UnknownPolicy`,
:func:`engine.scoring.fit.score_pairs`) restricted to one post; the
per-pair explanation (:func:`engine.eligibility.candidates.verdict_of`) runs
only for the person asked about and the nearest few.

:class:`LoadedRound` keeps what does not change between questions on one
loaded round (the round's setup, the rules in force, each rule's verdicts
per post value once read, who the move policy allows per level), so a
running process (the committee's web app) answers :meth:`LoadedRound.eligible`
and :meth:`LoadedRound.explain` on a province in milliseconds; the command
line builds one per run (:func:`eligible_for`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np

from engine.eligibility.candidates import Verdict, verdict_of
from engine.eligibility.verdicts import ActiveRule, UnknownPolicy, post_view
from engine.round.context import Context
from engine.round.setup import round_setup
from engine.rules.obligations import binding_rules, obligations_among
from engine.rules.requirements import CATALOGUE
from engine.scoring.fit import score_pairs

__all__ = ["EligibleResult", "Explanation", "LoadedRound", "eligible_for"]


@dataclass
class EligibleResult:
    """Eligible people for one post (by fit, then NIP) and the nearest non-eligible ones."""

    eligible: list[dict[str, Any]]
    nearest: list[dict[str, Any]]


@dataclass
class Explanation:
    """One person at one post: every rule's verdict, and what keeps them out of the round.

    ``failed``: the hard rules not passed (ids); ``policy``: ``"leaving"``
    when the person reaches BUP before the round's cut-off, ``"moves"`` when
    the scenario's move policy does not allow the move, else ``None``.
    """

    verdicts: list[Verdict]
    failed: list[str]
    policy: str | None

    @property
    def eligible(self) -> bool:
        return not self.failed and self.policy is None


class LoadedRound:
    """A loaded round kept in a running process; eligibility questions answered from it.

    Built once from a :class:`~engine.round.context.Context` (tens of ms on
    the demo, about a second on a province); each rule's verdicts over all
    people are read once per post value and kept, so a question on a post
    whose values were seen before reads no rule again. Not for concurrent
    use by two threads (the caches fill as questions come).
    """

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.setup = round_setup(ctx)
        people, posts = ctx.people, ctx.posts
        self.policy = UnknownPolicy.of(ctx.loaded.scenario.unknown)
        kinds = {name: cls(ctx.taxonomy) for name, cls in CATALOGUE.items()}
        applicable = ctx.ruleset.applicable(ctx.day, posts)
        self.applicable = applicable
        self.loaded = [r for r, _ in applicable]
        self.rules = [
            ActiveRule(r, kinds[r.rule.kind], m, people, posts, self.policy, join=False)
            for r, m in applicable
        ]
        self.places = self.setup.moves.places(people, posts)
        self.person_index = {str(n): k for k, n in enumerate(people.nip)}
        self.post_index = {str(p): k for k, p in enumerate(posts.jabatan_id)}
        # NIP order as integers (sorting object arrays of strings per question is slow).
        self.nip_rank = np.empty(people.n, dtype=np.int64)
        self.nip_rank[np.argsort(people.nip.astype(str), kind="stable")] = np.arange(people.n)
        self._verdicts: dict[tuple[int, int], np.ndarray] = {}
        self._allowed: dict[int, np.ndarray] = {}

    # ---- building blocks ----------------------------------------------------
    def verdict_array(self, k: int, j: int) -> np.ndarray:
        """Rule ``k``'s verdict (PASS, FAIL, UNKNOWN) for every person at post ``j``, cached per post value."""
        a = self.rules[k]
        key = (k, int(a.code[j]))
        if key not in self._verdicts:
            self._verdicts[key] = a.verdict(key[1])
        return self._verdicts[key]

    def considered(self, j: int) -> np.ndarray:
        """Bool over people: in the pool, and the move policy allows the move to post ``j``."""
        level = int(self.ctx.posts.level[j])
        if level not in self._allowed:
            self._allowed[level] = self.setup.pool & self.setup.moves.allowed(
                self.ctx.people, level
            )
        return self._allowed[level] & self.setup.moves.at(
            self.ctx.people, self.ctx.posts, j, self.places
        )

    def _applying(self, j: int) -> list[int]:
        return [k for k, a in enumerate(self.rules) if a.mask[j]]

    def verdicts(self, i: int, j: int, lang: str = "id") -> list[Verdict]:
        """Every rule in force that applies to post ``j``, for person ``i``, explained."""
        view = post_view(self.ctx.posts, j)
        return [
            verdict_of(
                self.loaded[k],
                self.rules[k].kind,
                int(self.verdict_array(k, j)[i]),
                self.ctx.people,
                i,
                view,
                lang,
            )
            for k in self._applying(j)
        ]

    # ---- the questions ------------------------------------------------------
    def explain(self, i: int, j: int, lang: str = "id") -> Explanation:
        """Person ``i`` at post ``j``: each rule's verdict, and the round's own policy."""
        rows = self.verdicts(i, j, lang)
        failed = [v.rule_id for v in rows if v.hard and v.verdict != "PASS"]
        # The round's own policy too (one implementation: engine.eligibility.moves):
        # who reaches BUP before the cut-off leaves, and the scenario's moves.
        people, posts = self.ctx.people, self.ctx.posts
        policy = None
        if not self.setup.pool[i]:
            policy = "leaving"
        elif people.home[i] != j and not self.setup.moves.towards(people, posts, j, self.places)[i]:
            policy = "moves"
        return Explanation(rows, failed, policy)

    def eligible(self, j: int, *, nearest: int = 5, lang: str = "id") -> EligibleResult:
        """Eligible people for post ``j`` (by fit, then NIP) and the ``nearest`` non-eligible ones."""
        ctx = self.ctx
        people, posts = ctx.people, ctx.posts
        considered = self.considered(j)
        ok = considered.copy()
        failed = np.zeros(people.n, dtype=np.int64)
        penalty = np.zeros(people.n)
        for k in self._applying(j):
            a = self.rules[k]
            fails = self.policy.failed(self.verdict_array(k, j))
            if a.hard:
                ok &= ~fails
                failed += fails
            else:
                penalty += np.where(fails, a.penalty, 0.0)
        person = np.flatnonzero(ok)
        post = np.full(len(person), j, dtype=np.int64)
        scores = score_pairs(
            people,
            posts,
            person,
            post,
            penalty[person],
            ctx.taxonomy,
            ctx.weights,
            ctx.loaded.scenario.component_weights,
        )
        fit = scores.fit[:]
        order = np.lexsort((self.nip_rank[person], -fit))
        who = person[order]
        parts = scores.at(order)
        # The hard rules that bind an appointee to post j, picked once for every row.
        binding = binding_rules(self.applicable, j, ctx.taxonomy)
        # Fit components made without their data (see Placement.missing_data).
        missing = [
            [c for c, flag in (("kinerja", k), ("potensi", p)) if flag]
            for k, p in zip(
                parts.missing_kinerja.tolist(), parts.missing_potensi.tolist(), strict=True
            )
        ]
        eligible = [
            {
                "nip": str(nip),
                "nama": str(nama),
                "jabatan": str(jabatan),
                "fit": f,
                "missing": m,
                # Appointed on the round's date: what they must still do, and by when.
                "obligations": [
                    o.text(lang) for _, o in obligations_among(binding, people, i, ctx.day)
                ],
            }
            for nip, nama, jabatan, f, m, i in zip(
                people.nip[who].tolist(),
                people.nama[who].tolist(),
                people.jenis_jabatan[who].tolist(),
                fit[order].tolist(),
                missing,
                who.tolist(),
                strict=True,
            )
        ]
        # Nearest: considered by the move policy, not eligible; fewest hard rules failed.
        idx = np.flatnonzero(considered & ~ok & (failed > 0))
        idx = idx[np.lexsort((self.nip_rank[idx], failed[idx]))][: max(nearest * 4, nearest)]
        return EligibleResult(eligible, self._nearest(idx, j, nearest, lang))

    def _nearest(self, idx: np.ndarray, j: int, nearest: int, lang: str) -> list[dict[str, Any]]:
        """The ``nearest`` of ``idx``: fewest hard rules failed, time alone first, soonest, NIP."""
        people = self.ctx.people
        keyed = []
        for i in idx.tolist():
            vs = [v for v in self.verdicts(i, j, lang) if v.hard and v.verdict != "PASS"]
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
        return [row for _, row in keyed[:nearest]]


def eligible_for(ctx: Context, j: int, *, nearest: int = 5, lang: str = "id") -> EligibleResult:
    """Eligible people for post ``j`` (by fit) and the ``nearest`` non-eligible ones.

    One question on a fresh :class:`LoadedRound`; a running process keeps the
    :class:`LoadedRound` and asks it again.
    """
    return LoadedRound(ctx).eligible(j, nearest=nearest, lang=lang)
