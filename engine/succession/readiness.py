"""Readiness: who is ready for which post now, soon (by time alone) or later.

Takes a round's state (:class:`engine.plan.pipeline.Context`) and optionally
a rank-progression schedule; gives :class:`Readiness`, aligned
(person, post) pair arrays:

- ``ready_now``: eligible today, as the round's own eligibility says
  (:func:`engine.plan.pipeline.round_candidates`: the round's pool, move
  policy and unknown policy, and no pair to a post the round keeps closed);
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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from engine.eligibility.candidates import Candidates, ExcludedCounts
from engine.eligibility.groups import group_posts
from engine.eligibility.verdicts import ActiveRule, UnknownPolicy
from engine.inputs.derive import People, derive_people, shift_years
from engine.inputs.progression import RankProgression
from engine.plan.pipeline import Context, RoundSetup, round_candidates, round_setup
from engine.rules.registry import time_behaviour
from engine.rules.requirements import CATALOGUE, TimeBehaviour
from engine.rules.ruleset import LoadedRule, Rule
from engine.scoring.fit import FitView, score_pairs
from engine.scoring.talent import TalentBox, talent_box
from engine.succession.shown import KERNEL_MIN_PAIRS, nip_rank, post_counts, top

__all__ = [
    "Readiness",
    "bare_posts",
    "current_talent_box",
    "project_people",
    "readiness",
    "released",
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
    later = derive_people(tables, day, ctx.taxonomy, ctx.bup, equivalences=ctx.equivalences)
    for name in ("talent_box", "talent_regime"):
        if hasattr(ctx.people, name):
            setattr(later, name, getattr(ctx.people, name))
    return later


@dataclass
class Readiness:
    """Who is ready for which post, as aligned pair arrays (``person``/``post`` indices,
    sorted by post, then person).

    ``now_*``: eligible today (``now_fit`` a float array, or anything
    indexed as one: a round's fits, computed when read, which may go on past
    the pairs); ``soon_*``: ready
    by time alone within ``soon_years`` (1..``years``), each post's first
    ``soon_shown`` of them as a bench shows them (soonest, then best fit,
    then NIP; ``None``: all), and ``n_soon`` their complete count per post;
    ``later_*``: neither, failing
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
    now_fit: Any
    soon_person: np.ndarray
    soon_post: np.ndarray
    soon_fit: np.ndarray
    soon_years: np.ndarray
    later_person: np.ndarray
    later_post: np.ndarray
    later_failed: list[tuple[str, ...]]
    considered: np.ndarray
    excluded: Sequence[dict[str, int]]
    nearest: dict[int, dict[str, Any]]
    box: np.ndarray  # talent box per person (0: unknown or no settings)
    n_soon: np.ndarray  # ready soon per post, complete
    soon_shown: int | None  # ready-soon pairs kept per post (None: every one)

    def counts(self, n_posts: int) -> tuple[np.ndarray, np.ndarray]:
        """Ready-now and ready-soon counts per post (the pairs are sorted by post)."""
        return post_counts(self.now_post, n_posts), self.n_soon


def released(ready: Readiness) -> Readiness:
    """``ready`` without its ready-now pairs (the round's eligible pairs: GBs in a province).

    For a view that has been analysed: the counts it reports are kept by
    :class:`engine.succession.analysis.Succession`; ready soon and later stay.
    """
    empty = np.zeros(0, dtype=np.int64)
    return replace(ready, now_person=empty, now_post=empty, now_fit=np.zeros(0))


#: Ready-soon pairs a readiness keeps per post by default: the bench's names, the graph's edges.
SHOWN = 5


def readiness(
    ctx: Context,
    *,
    years: int = 2,
    progression: RankProgression | None = None,
    later_max_failed: int = 1,
    later_per_post: int = 5,
    box: np.ndarray | None = None,
    today: tuple[Candidates, Any] | None = None,
    shown: int | None = SHOWN,
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
        province-sized round is not searched twice. The fit is an array or
        anything indexed as one (a round's fits, computed when read), and
        may go on past the pairs (a round's fit of every arc: its first
        arcs are its candidates).
    shown:
        Ready-soon pairs kept per post, those a bench shows first (soonest,
        then best fit, then NIP; ``None``: all); every one is counted.

    Ready soon, the near misses and the per-rule exclusions come from one
    pass over the groups of alike posts (:func:`bench_pass`; from a
    province's number of pairs on, its picks compiled): no pair table of the
    rules taken apart, no eligibility run per post.
    """
    people, day = ctx.people, ctx.day
    setup = round_setup(ctx)
    if box is None:
        tb = current_talent_box(ctx)
        box = tb.box if tb is not None else np.zeros(people.n, dtype=np.int8)
    if today is None:
        now = round_candidates(ctx, setup)
        now_fit = _fit(ctx, now.person, now.post, now.penalty)
    else:
        now, now_fit = today
    later = [project_people(ctx, shift_years(day, y), progression) for y in range(1, years + 1)]
    limits, compiled = (later_max_failed, later_per_post), len(now.person) >= KERNEL_MIN_PAIRS
    found = bench_pass(
        ctx, setup, later, _improving_hard(progression), box, limits, shown, compiled
    )
    return Readiness(
        date=day,
        years=years,
        now_person=now.person,
        now_post=now.post,
        now_fit=now_fit,
        soon_person=found.soon_person,
        soon_post=found.soon_post,
        soon_fit=found.soon_fit,
        soon_years=found.soon_years,
        later_person=found.later_person,
        later_post=found.later_post,
        later_failed=found.later_failed,
        considered=now.considered,
        excluded=found.excluded,
        nearest=found.nearest,
        box=box,
        n_soon=found.n_soon,
        soon_shown=shown,
    )


def bare_posts(
    ctx: Context,
    now_post: np.ndarray,
    *,
    years: int = 2,
    progression: RankProgression | None = None,
) -> np.ndarray:
    """Posts with nobody ready now or within ``years``: what a later horizon year reports.

    The same as ``(now + soon) == 0`` of :func:`readiness`'s counts, for a
    state whose eligible pairs are known (``now_post``: the post of each pair
    eligible today, sorted by post as a round's own candidates are), without
    the rest of the bench:
    only the posts nobody is ready for now are looked at, group by group as
    :func:`bench_pass` does, and a post is done at its first ready-soon
    person (no near misses, exclusions, fits or names).
    """
    people, posts = ctx.people, ctx.posts
    # Binary searches per post in the pairs, which come sorted by post: no pass
    # over a later year's pairs (and no int64 copy of them, a GB at 50,000 people).
    bare = post_counts(now_post, posts.n) == 0
    if not bare.any():
        return bare
    setup = round_setup(ctx)
    later = [project_people(ctx, shift_years(ctx.day, y), progression) for y in range(1, years + 1)]
    rules = _GroupRules(ctx, later, _improving_hard(progression))
    places = setup.moves.places(people, posts)
    for members in group_posts(rules.masks, rules.codes, posts.level, np.flatnonzero(bare)):
        j0 = int(members[0])
        fails, _ = rules.fails(j0, years, people.n)
        base = setup.pool & setup.moves.allowed(people, int(posts.level[j0]))
        ok = base & ~fails.any(axis=0)  # (year, person): passes every hard rule
        soon = ~ok[0] & ok[1:].any(axis=0)
        if not soon.any():
            continue
        for j in members.tolist():
            if (soon & setup.moves.at(people, posts, j, places)).any():
                bare[j] = False
    return bare


def _fit(ctx: Context, person: np.ndarray, post: np.ndarray, penalty: np.ndarray) -> np.ndarray:
    """Fit today of each pair (with its soft-rule penalty)."""
    return _fitter(ctx)(person, post, penalty)


def _fitter(ctx: Context) -> Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]:
    """The fit today of pairs (with their soft-rule penalty), from tables built once."""
    empty = np.zeros(0, dtype=np.int64)
    tables = score_pairs(
        ctx.people,
        ctx.posts,
        empty,
        empty,
        np.zeros(0),
        ctx.taxonomy,
        ctx.weights,
        ctx.loaded.scenario.component_weights,
    ).fit.tables

    def fit(person: np.ndarray, post: np.ndarray, penalty: np.ndarray) -> np.ndarray:
        return np.asarray(FitView(tables, person, post, penalty)[:])

    return fit


@dataclass
class BenchPass:
    """What :func:`bench_pass` finds: ready-soon pairs (each post's first ``shown``) and
    their counts, near misses, exclusions, nearest."""

    soon_person: np.ndarray
    soon_post: np.ndarray
    soon_years: np.ndarray
    soon_fit: np.ndarray
    n_soon: np.ndarray
    later_person: np.ndarray
    later_post: np.ndarray
    later_failed: list[tuple[str, ...]]
    excluded: ExcludedCounts
    nearest: dict[int, dict[str, Any]]


class _GroupRules:
    """The hard and soft rules of one state, each read on the people it applies to.

    Time-improving hard rules are read on each year's projection, every other
    rule today; :meth:`failed` gives, for a group's first post, one row per
    hard rule and year (row 0: today).
    """

    def __init__(
        self,
        ctx: Context,
        later: list[People],
        improving: Callable[[LoadedRule], bool],
    ):
        unknown = UnknownPolicy.of(ctx.loaded.scenario.unknown)
        kinds = {name: cls(ctx.taxonomy) for name, cls in CATALOGUE.items()}
        self.hard: list[list[ActiveRule]] = []  # per hard rule: today, then each year
        self.improving: list[bool] = []
        self.soft: list[ActiveRule] = []
        for r, m in ctx.ruleset.applicable(ctx.day, ctx.posts):
            kind = kinds[r.rule.kind]

            def active(
                who: People, r: LoadedRule = r, m: np.ndarray = m, kind: Any = kind
            ) -> ActiveRule:
                return ActiveRule(r, kind, m, who, ctx.posts, unknown, join=False)

            if not r.rule.hard:
                self.soft.append(active(ctx.people))
                continue
            grows = improving(r)
            self.improving.append(grows)
            self.hard.append([active(ctx.people), *(active(w) if grows else None for w in later)])
        self.ids = [rules[0].id for rules in self.hard]
        self.masks = [rules[0].mask for rules in self.hard] + [a.mask for a in self.soft]
        self.codes = [rules[0].code for rules in self.hard] + [a.code for a in self.soft]

    def fails(self, j0: int, years: int, n: int) -> tuple[np.ndarray, np.ndarray]:
        """(hard rule, year 0..years, person) failures at post ``j0`` for ``n`` people (none
        when no hard rule is in force), and the rules applying."""
        on = np.array([rules[0].mask[j0] for rules in self.hard], dtype=bool)
        out = np.zeros((len(self.hard), years + 1, n), dtype=bool)
        for k in np.flatnonzero(on):
            rules = self.hard[k]
            code = int(rules[0].code[j0])
            out[k, 0] = rules[0].failed(code)
            for y in range(1, years + 1):
                out[k, y] = rules[y].failed(code) if self.improving[k] else out[k, 0]
        return out, on

    def penalty(self, j0: int, n: int) -> np.ndarray:
        """The soft rules' penalty today per person at post ``j0``."""
        pen = np.zeros(n)
        for a in self.soft:
            if a.mask[j0]:
                pen += np.where(a.failed(int(a.code[j0])), a.penalty, 0.0)
        return pen


def bench_pass(
    ctx: Context,
    setup: RoundSetup,
    later: list[People],
    improving: Callable[[LoadedRule], bool],
    box: np.ndarray,
    limits: tuple[int, int],
    shown: int | None = SHOWN,
    compiled: bool = False,
) -> BenchPass:
    """Ready soon, near misses and exclusions for every post, one pass over groups of alike posts.

    ``later[y - 1]``: the people as they will be ``y`` years on. Posts of one
    signature group (:func:`engine.eligibility.groups.group_posts`) share
    every rule's verdicts, so each rule is read once per group and year, over
    all people; a post only adds what the move policy asks of it
    (:meth:`engine.eligibility.moves.MovePolicy.at`). A pair is ready soon
    in year ``y`` (the first such year) when it passes the hard rules that
    do not improve with time today and the improving ones ``y`` years on,
    and not every hard rule today; of a post's ready-soon pairs the
    ``shown`` first are kept (:class:`_SoonPicker`; ``None``: all; with
    ``compiled``, picked by the compiled pass whatever a block's size) and
    all are counted. ``limits``: at most this many hard rules
    failed after the window, at most this many people per post (near misses,
    fewest failed, best talent box, then NIP). ``excluded``: per hard rule
    and post, how many of the people considered for its level it fails in
    the window's last year (today for the rules that do not improve).
    """
    people, posts = ctx.people, ctx.posts
    years = len(later)
    rules = _GroupRules(ctx, later, improving)
    acc = _Accumulator(posts.n, len(rules.hard))
    picker = _SoonPicker(_fitter(ctx), nip_rank(people), posts.n, shown, compiled)
    nip = people.nip.astype(str)
    places = setup.moves.places(people, posts)
    for members in group_posts(rules.masks, rules.codes, posts.level, np.arange(posts.n)):
        j0 = int(members[0])
        fails, on = rules.fails(j0, years, people.n)
        base = setup.pool & setup.moves.allowed(people, int(posts.level[j0]))
        ok = base & ~fails.any(axis=0)  # (year, person): passes every hard rule
        first = np.where(ok[1:].any(axis=0), np.argmax(ok[1:], axis=0) + 1, 0)
        soon = ~ok[0] & (first > 0)
        acc.excluded[:, members] = (fails[:, years] & base).sum(axis=1)[:, None]
        count = fails[:, years].sum(axis=0)
        ids = [rules.ids[k] for k in np.flatnonzero(on)]
        failed_on = fails[on, years]
        # Per group, the people each list draws from (near misses in their order);
        # per post, only what the move policy asks of that post, over those people.
        soon_all = np.flatnonzero(base & soon)
        if len(soon_all):
            at = [setup.moves.at(people, posts, j, places, soon_all) for j in members.tolist()]
            picker.add(members, soon_all, np.stack(at), first, rules.penalty(j0, people.n))
        near_all = np.flatnonzero(base & (count >= 1) & (count <= limits[0]))
        near_all = near_all[np.lexsort((nip[near_all], -box[near_all], count[near_all]))]
        now_all = np.flatnonzero(base & ok[0])
        failed: dict[int, tuple[str, ...]] = {}
        for j in members.tolist():
            near = _first_allowed(setup, ctx, j, places, near_all, limits[1])
            for i in near.tolist():
                if i not in failed:
                    failed[i] = tuple(ids[k] for k in np.flatnonzero(failed_on[:, i]))
            acc.later(j, near, [failed[i] for i in near.tolist()])
            if not picker.count[j] and not len(_first_allowed(setup, ctx, j, places, now_all, 1)):
                cand = base & setup.moves.at(people, posts, j, places)
                acc.nearest[j] = _nearest(cand, count, failed_on, ids)
    return acc.result(rules.ids, picker)


def _first_allowed(
    setup: RoundSetup, ctx: Context, j: int, places: np.ndarray | None, who: np.ndarray, n: int
) -> np.ndarray:
    """The first ``n`` of ``who`` (in their order) the move policy lets move to post ``j``.

    Looked for in a growing prefix of ``who``: a post costs about ``n``
    people, not every one of ``who`` (a group's near misses can be half the
    province, and the policy turns away at most a post's holder or the other
    kecamatans).
    """
    size = n + 2
    while True:
        part = who[:size]
        got = part[setup.moves.at(ctx.people, ctx.posts, j, places, part)]
        if len(got) >= n or size >= len(who):
            return got[:n]
        size *= 4


class _SoonPicker:
    """Each post's ready-soon pairs, a block of a group's posts at a time: all counted,
    their fit computed, and only the ``shown`` first of each post kept."""

    #: Pairs per block (a group's posts times its ready-soon people).
    PAIRS = 1 << 20

    def __init__(
        self,
        fit: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray],
        rank: np.ndarray,
        n_posts: int,
        shown: int | None,
        compiled: bool = False,
    ):
        self.fit, self.rank, self.n_posts, self.shown = fit, rank, n_posts, shown
        self.min_pairs = 0 if compiled else KERNEL_MIN_PAIRS
        self.count = np.zeros(n_posts, dtype=np.int64)
        self._kept: list[tuple[np.ndarray, ...]] = []

    def add(
        self,
        members: np.ndarray,
        who: np.ndarray,
        allowed: np.ndarray,
        first: np.ndarray,
        penalty: np.ndarray,
    ) -> None:
        """``allowed[r, c]``: whether post ``members[r]`` takes person ``who[c]``;
        ``first`` and ``penalty`` per person."""
        self.count[members] = allowed.sum(axis=1)
        rows = max(1, self.PAIRS // len(who))
        for s in range(0, len(members), rows):
            r, c = np.nonzero(allowed[s : s + rows])
            post, person = members[s + r], who[c]
            years, fit = first[person], self.fit(person, post, penalty[person])
            if self.shown is not None:
                k = top(
                    post,
                    fit,
                    person,
                    self.rank,
                    self.n_posts,
                    self.shown,
                    years,
                    min_pairs=self.min_pairs,
                )
                post, person, years, fit = post[k], person[k], years[k], fit[k]
            self._kept.append((post, person, years, fit))

    def result(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The kept pairs' post, person, years and fit, sorted by post, then person."""
        empty = np.zeros(0, dtype=np.int64)
        post, person, years = (
            np.concatenate([empty, *(p[i] for p in self._kept)]).astype(np.int64, copy=False)
            for i in range(3)
        )
        fit = np.concatenate([np.zeros(0), *(p[3] for p in self._kept)])
        order = np.lexsort((person, post))
        return post[order], person[order], years[order], fit[order]


class _Accumulator:
    """Per-post pieces of :func:`bench_pass`, put together in post order."""

    def __init__(self, n_posts: int, n_rules: int):
        self.n_posts = n_posts
        self.excluded = np.zeros((n_rules, n_posts), dtype=np.int64)
        self.nearest: dict[int, dict[str, Any]] = {}
        self._later: list[tuple[np.ndarray, list[tuple[str, ...]]] | None] = [None] * n_posts

    def later(self, j: int, who: np.ndarray, failed: list[tuple[str, ...]]) -> None:
        if len(who):
            self._later[j] = (who, failed)

    def result(self, rule_ids: list[str], picker: _SoonPicker) -> BenchPass:
        empty = np.zeros(0, dtype=np.int64)
        later = [(j, p) for j, p in enumerate(self._later) if p is not None]
        js = np.array([j for j, _ in later], dtype=np.int64)
        soon_post, soon_person, soon_years, soon_fit = picker.result()
        return BenchPass(
            soon_person=soon_person,
            soon_post=soon_post,
            soon_years=soon_years,
            soon_fit=soon_fit,
            n_soon=picker.count,
            later_person=np.concatenate([empty, *(p[0] for _, p in later)]),
            later_post=np.repeat(js, np.array([len(p[0]) for _, p in later], dtype=np.int64)),
            later_failed=[f for _, p in later for f in p[1]],
            excluded=ExcludedCounts(rule_ids, self.excluded),
            nearest=self.nearest,
        )


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
    if version is None:
        return None
    return talent_box(ctx.people, ctx.posts, ctx.taxonomy, version, ctx.weights)
