"""Readiness: who is ready for which post now, soon (by time alone) or later.

Takes a round's state (:class:`engine.plan.pipeline.Context`) and optionally
a rank-progression schedule; gives :class:`Readiness`, aligned
(person, post) pair arrays:

- ``ready_now``: eligible today, as the round's own eligibility says
  (:func:`engine.eligibility.candidates.find_candidates` with the round's
  pool, move policy and unknown policy);
- ``ready_soon``: not eligible today, but time alone makes them eligible
  within ``years``. Computed without a per-pair loop and monotone in time by
  construction: the hard rules whose verdict can only improve with elapsed
  time (:func:`time_improving`) are evaluated on the people as they will be
  ``y`` years on if nobody moves (:func:`project_people`), every other hard
  rule today; the pair is ready soon when both pass and it is not ready now;
- ``later``: neither, but failing at most ``later_max_failed`` hard rules
  after the window (near misses, found per group of alike posts with the one
  grouping of :mod:`engine.eligibility.groups`).

The pool and the move policy are the round's (people retiring within the
round's window are not successors); rules in force only later are not
anticipated; the talent box is today's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from engine.eligibility.candidates import Candidates, find_candidates
from engine.eligibility.groups import group_posts
from engine.eligibility.verdicts import ActiveRule, UnknownPolicy
from engine.inputs.derive import People, Posts, derive_people, shift_years
from engine.inputs.progression import RankProgression
from engine.plan.pipeline import Context, RoundSetup, round_setup
from engine.rules.registry import time_behaviour
from engine.rules.requirements import CATALOGUE, TimeBehaviour
from engine.rules.ruleset import LoadedRule, Rule, RuleSet
from engine.scoring.fit import score_pairs
from engine.scoring.talent import TalentBox, talent_box

__all__ = [
    "Readiness",
    "current_talent_box",
    "in_sorted",
    "project_people",
    "readiness",
    "time_improving",
]


def time_improving(rule: Rule, rank_progression: bool = False) -> bool:
    """Whether a hard rule's verdict can only turn from FAIL to PASS as time passes.

    Each kind declares it (:meth:`engine.rules.kind.Kind.time_behaviour`):
    spans since a start date, experience (accrues at the current level only),
    a minimum age, a sanction's look-back, and a minimum golongan (under
    regular promotion) improve; a rule with both a minimum and a maximum does
    not. Years in grade (``masa_golongan``) start again at every regular
    promotion, so under a rank-progression schedule they do not.

    Examples
    --------
    >>> from engine.rules.ruleset import Rule
    >>> r = Rule.model_validate({"id": "x", "title": "t", "source": "PP 11/2017",
    ...     "effective": {"from": "2020-01-01"}, "require": {"usia": {"max": 56}}})
    >>> time_improving(r)
    False
    """
    behaviour = time_behaviour(rule.kind, rule.params, rank_progression)
    return behaviour is TimeBehaviour.IMPROVES


class _Subset(RuleSet):
    """The rules of ``full`` that ``keep`` accepts, with ``full``'s masks at ``day``.

    Masks are taken from the whole set, so an ``exception_of`` carve-out holds
    even when the exception and the rule it replaces fall in different subsets.
    """

    def __init__(self, full: RuleSet, day: dt.date, keep: Callable[[LoadedRule], bool]):
        super().__init__(full.rules, full.files)
        self._full, self._day, self._keep = full, day, keep

    def applicable(self, day: dt.date, posts: Posts) -> list[tuple[LoadedRule, np.ndarray]]:
        return [(r, m) for r, m in self._full.applicable(self._day, posts) if self._keep(r)]


def _improving_hard(progression: RankProgression | None) -> Callable[[LoadedRule], bool]:
    def keep(r: LoadedRule) -> bool:
        return r.rule.hard and time_improving(r.rule, progression is not None)

    return keep


def project_people(
    ctx: Context, day: dt.date, progression: RankProgression | None = None
) -> People:
    """The people of ``ctx`` as they will be on ``day`` if nobody moves.

    Derived at ``day`` (age, spans, experience at the current post grow);
    golongan and TMT golongan projected by ``progression`` exactly as the
    horizon moves them (:meth:`engine.inputs.progression.RankProgression.apply`). The
    talent box is today's.
    """
    tables = ctx.tables
    if progression is not None:
        tables, _ = progression.apply(tables, day)
    later = derive_people(tables, day, ctx.taxonomy, ctx.bup)
    for name in ("talent_box", "talent_regime"):
        if hasattr(ctx.people, name):
            setattr(later, name, getattr(ctx.people, name))
    return later


@dataclass
class Readiness:
    """Who is ready for which post, as aligned pair arrays (``person``/``post`` indices).

    ``now_*``: eligible today; ``soon_*``: ready by time alone within
    ``soon_years`` (1..``years``); ``later_*``: neither, failing
    ``later_failed`` hard rules after ``years`` years. ``excluded[j]``: per
    hard rule, how many people it excluded from post ``j`` in the
    ``years``-year projection; ``nearest[j]`` (posts with nobody ready within
    ``years``): the fewest hard rules any considered person fails, how many
    fail that few, and how many of those each rule blocks.
    """

    date: dt.date
    years: int
    now_person: np.ndarray
    now_post: np.ndarray
    now_fit: np.ndarray
    soon_person: np.ndarray
    soon_post: np.ndarray
    soon_fit: np.ndarray
    soon_years: np.ndarray
    later_person: np.ndarray
    later_post: np.ndarray
    later_failed: list[tuple[str, ...]]
    considered: np.ndarray
    excluded: list[dict[str, int]]
    nearest: dict[int, dict[str, Any]]
    box: np.ndarray  # talent box per person (0: unknown or no settings)

    def counts(self, n_posts: int) -> tuple[np.ndarray, np.ndarray]:
        """Ready-now and ready-soon counts per post."""
        return (
            np.bincount(self.now_post, minlength=n_posts),
            np.bincount(self.soon_post, minlength=n_posts),
        )


def _keys(c: Candidates, n_people: int) -> np.ndarray:
    """One int64 per pair, ordered as candidates are (post, then person): sorted."""
    return c.post.astype(np.int64, copy=False) * n_people + c.person.astype(np.int64, copy=False)


def in_sorted(values: np.ndarray, sorted_keys: np.ndarray) -> np.ndarray:
    """Whether each value is in ``sorted_keys`` (ascending), by binary search."""
    if not sorted_keys.size:
        return np.zeros(values.shape, dtype=bool)
    pos = np.minimum(np.searchsorted(sorted_keys, values), sorted_keys.size - 1)
    return sorted_keys[pos] == values


def readiness(
    ctx: Context,
    *,
    years: int = 2,
    progression: RankProgression | None = None,
    later_max_failed: int = 1,
    later_per_post: int = 5,
    box: np.ndarray | None = None,
    today: tuple[Candidates, np.ndarray] | None = None,
) -> Readiness:
    """Classify (person, post) pairs as ready now, ready soon or later, vectorised.

    Parameters
    ----------
    ctx:
        The state (scenario, tables) at its date; its pool and move policy
        (:func:`engine.plan.pipeline.round_setup`) decide who is considered.
    years:
        The "ready soon" window, in whole years.
    progression:
        Regular promotion in rank for the projection (``None``: golongan fixed).
    later_max_failed, later_per_post:
        Who becomes a ``later`` edge: at most this many hard rules failed after
        ``years``, and at most this many people per post (fewest failed, best
        talent box, then NIP).
    box:
        Talent box per person, to order near misses (default: the boxes of the
        regime in force, if the scenario names a talent-box file; else all 0).
    today:
        The pairs eligible today and their fit, when already found (a plan's
        own candidates and scores: the same rules, pool and date), so that a
        province-sized round is not searched twice.
    """
    people, posts, day = ctx.people, ctx.posts, ctx.day
    search = _Search(ctx)
    if box is None:
        tb = current_talent_box(ctx)
        box = tb.box if tb is not None else np.zeros(people.n, dtype=np.int8)
    if today is None:
        now = search(people, ctx.ruleset, day)
        now_fit = search.fit(now.person, now.post, now.penalty)
    else:
        now, now_fit = today
    improving_rule = _improving_hard(progression)
    soon = _soon(ctx, search, _keys(now, people.n), improving_rule, years, progression)
    bare = np.ones(posts.n, dtype=bool)
    bare[now.post] = bare[soon.post] = False
    near = _near_misses(
        ctx,
        soon.later_people,
        search.setup,
        bare,
        (later_max_failed, later_per_post),
        box,
        improving_rule,
    )
    return Readiness(
        date=day,
        years=years,
        now_person=now.person,
        now_post=now.post,
        now_fit=now_fit,
        soon_person=soon.person,
        soon_post=soon.post,
        soon_fit=soon.fit,
        soon_years=soon.years,
        later_person=near.person,
        later_post=near.post,
        later_failed=near.failed,
        considered=now.considered,
        excluded=soon.excluded,
        nearest=near.nearest,
        box=box,
    )


class _Search:
    """The round's eligibility (pool, move policy, unknown policy) for other people, rules or dates."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.setup: RoundSetup = round_setup(ctx)

    def __call__(self, who: People, rules: RuleSet, when: dt.date) -> Candidates:
        ctx = self.ctx
        c = find_candidates(
            who,
            ctx.posts,
            rules,
            ctx.taxonomy,
            when,
            pool=self.setup.pool,
            allowed=self.setup.moves.allowed,
            unknown=ctx.loaded.scenario.unknown,
        )
        # Places are today's: nobody moves in a projection.
        return self.setup.moves.restrict(c, ctx.people, ctx.posts)

    def fit(self, person: np.ndarray, post: np.ndarray, penalty: np.ndarray) -> np.ndarray:
        """Fit today of each pair (with its soft-rule penalty)."""
        ctx = self.ctx
        return score_pairs(
            ctx.people,
            ctx.posts,
            person,
            post,
            penalty,
            ctx.taxonomy,
            ctx.weights,
            ctx.loaded.scenario.component_weights,
        ).fit


@dataclass
class _Soon:
    person: np.ndarray
    post: np.ndarray
    fit: np.ndarray
    years: np.ndarray
    excluded: list[dict[str, int]]
    later_people: People


def _soon(
    ctx: Context,
    search: _Search,
    now_keys: np.ndarray,
    improving_rule: Callable[[LoadedRule], bool],
    years: int,
    progression: RankProgression | None,
) -> _Soon:
    """Pairs ready by time alone within ``years``: the static rules today, the improving ones later."""
    people, day = ctx.people, ctx.day
    n = people.n
    static = search(people, _Subset(ctx.ruleset, day, lambda r: not improving_rule(r)), day)
    improving = _Subset(ctx.ruleset, day, improving_rule)
    # Every key array is sorted (pairs come sorted by post, then person), so
    # set operations are binary searches: tens of millions of pairs at
    # province scale.
    static_keys = _keys(static, n)
    static_penalty, static_excluded = static.penalty, static.excluded
    del static
    soon_years = np.zeros(0, dtype=np.int64)
    soon_keys = np.zeros(0, dtype=np.int64)
    later_people = people
    later_excluded = static_excluded
    for y in range(1, years + 1):
        when = shift_years(day, y)
        later_people = project_people(ctx, when, progression)
        later_cands = search(later_people, improving, when)
        later_excluded = later_cands.excluded
        later_keys = _keys(later_cands, n)
        del later_cands
        within = later_keys[in_sorted(later_keys, static_keys)]
        del later_keys
        new = within[~in_sorted(within, now_keys) & ~in_sorted(within, soon_keys)]
        soon_keys = np.concatenate([soon_keys, new])
        soon_years = np.concatenate([soon_years, np.full(len(new), y, dtype=np.int64)])
        order = np.argsort(soon_keys, kind="stable")
        soon_keys, soon_years = soon_keys[order], soon_years[order]
    soon_post, soon_person = soon_keys // n, soon_keys % n
    # Fit today (soft rules of today), for ordering the bench.
    pos = np.searchsorted(static_keys, soon_keys)
    soon_fit = search.fit(soon_person, soon_post, static_penalty[pos])
    excluded = [{**a, **b} for a, b in zip(static_excluded, later_excluded, strict=True)]
    return _Soon(soon_person, soon_post, soon_fit, soon_years, excluded, later_people)


@dataclass
class _Near:
    person: np.ndarray
    post: np.ndarray
    failed: list[tuple[str, ...]]
    nearest: dict[int, dict[str, Any]]


def _near_misses(
    ctx: Context,
    later: People,
    setup: RoundSetup,
    bare: np.ndarray,
    limits: tuple[int, int],
    box: np.ndarray,
    improving_rule: Callable[[LoadedRule], bool],
) -> _Near:
    """People who fail few hard rules after the window, per group of alike posts.

    ``limits``: at most this many hard rules failed, at most this many people
    per post.

    Posts of one signature group (:func:`engine.eligibility.groups.group_posts`)
    share one failure count per person; time-improving rules are read on
    ``later``, the others today; UNKNOWN counts as the scenario says.
    """
    people, posts = ctx.people, ctx.posts
    max_failed, per_post = limits
    unknown = UnknownPolicy.of(ctx.loaded.scenario.unknown)
    kinds = {name: cls(ctx.taxonomy) for name, cls in CATALOGUE.items()}
    rules = [
        ActiveRule(
            r,
            kinds[r.rule.kind],
            m,
            later if improving_rule(r) else people,
            posts,
            unknown,
            join=False,
        )
        for r, m in ctx.ruleset.applicable(ctx.day, posts)
        if r.rule.hard
    ]
    masks, codes = [a.mask for a in rules], [a.code for a in rules]
    out = _Near(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), [], {})
    persons: list[np.ndarray] = []
    postss: list[np.ndarray] = []
    nip = people.nip.astype(str)
    places = setup.moves.places(people, posts)
    for members in group_posts(masks, codes, posts.level, np.arange(posts.n)):
        j0 = int(members[0])
        active = [a for a in rules if a.mask[j0]]
        fails = np.zeros((len(active), people.n), dtype=bool)
        for k, a in enumerate(active):
            fails[k] = a.failed(int(a.code[j0]))
        count = fails.sum(axis=0)
        ids = [a.id for a in active]
        base = setup.pool & setup.moves.allowed(people, int(posts.level[j0]))
        for j in members.tolist():
            cand = base & setup.moves.at(people, posts, j, places)
            near = np.flatnonzero(cand & (count >= 1) & (count <= max_failed))
            near = near[np.lexsort((nip[near], -box[near], count[near]))][:per_post]
            persons.append(near)
            postss.append(np.full(len(near), j, dtype=np.int64))
            out.failed.extend(tuple(ids[k] for k in np.flatnonzero(fails[:, i])) for i in near)
            if bare[j]:
                out.nearest[j] = _nearest(cand, count, fails, ids)
    if persons:
        # In post order (nearest first within a post), whatever the grouping.
        post = np.concatenate(postss)
        order = np.argsort(post, kind="stable")
        out.person = np.concatenate(persons).astype(np.int64)[order]
        out.post = post[order]
        out.failed = [out.failed[k] for k in order.tolist()]
    return out


def _nearest(
    cand: np.ndarray, count: np.ndarray, fails: np.ndarray, ids: list[str]
) -> dict[str, Any]:
    """The fewest hard rules a considered person fails, how many fail that few, and by which rules."""
    miss = cand & (count > 0)
    if not miss.any():
        return {"failed": 0, "people": 0, "rules": {}}
    fewest = int(count[miss].min())
    who = miss & (count == fewest)
    rules = {ids[k]: int(fails[k, who].sum()) for k in range(len(ids))}
    return {
        "failed": fewest,
        "people": int(who.sum()),
        "rules": {r: n for r, n in rules.items() if n},
    }


def current_talent_box(ctx: Context) -> TalentBox | None:
    """The talent box of every person under the regime in force, if the scenario names one."""
    version = ctx.talent
    return talent_box(ctx.people, ctx.posts, ctx.taxonomy, version) if version else None
