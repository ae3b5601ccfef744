"""Succession planning: who could follow whom, where the bench is empty, who is key.

A directed graph (networkx) of posts and people at one state of the
organisation (a scenario date):

- ``person -> post`` (``kind="successor"``) with ``readiness``:
  ``ready_now`` (eligible today: every hard rule in force passes, as the
  round's own eligibility says, with the scenario's pool and move policy),
  ``ready_soon`` (not eligible today, but time alone makes them eligible
  within ``years``; ``within_years`` says 1 or 2) or ``later`` (neither, but
  failing at most ``later_max_failed`` hard rules after that time; at most
  ``later_per_post`` of them per post, to keep the graph readable);
- ``post -> parent post`` (``kind="reports_to"``) and ``post -> person``
  (``kind="held_by"``, the incumbent), so no person has an edge to the post
  they hold: nobody succeeds to their own post;
- a plan's placements mark their ``person -> post`` edge ``placed=True``
  with the ``chain`` they belong to (edges carry ``within_years`` only when
  ready soon, ``failed`` only when later, ``placed``/``chain`` only when
  placed).

"Ready soon" is computed without a per-pair loop and is monotone in time by
construction: the hard rules whose verdict can only improve with elapsed
time (:func:`time_improving`: years of service, in post, experience at the
current level, a minimum age, a sanction's look-back, a minimum golongan
under regular promotion; years in grade only without a rank-progression
schedule, since each promotion starts them again) are evaluated on the
people as they will be ``y`` years on if nobody moves (derived at that
date, golongan and TMT golongan projected by the rank-progression schedule
exactly as the horizon moves them); every other hard rule (education,
field, SKP, training, talent box, a maximum age, years left before BUP, ...)
is evaluated today. The pair is ready soon when both pass and it is not
ready now. So a pair ready within one year at ``d`` is ready now at ``d``
plus one year, and ready-now-or-soon never shrinks with time for rule sets
without rules that worsen with time (a maximum age, years left before BUP).
The pool and the move policy are the round's (people retiring within the
round's window are not successors). Rules in force only later are not
anticipated.

Assumptions: the talent box is today's; the graph keeps, per post and
readiness, only the best few successor edges (the counts on each post node
are complete), so it stays readable at 223 posts and writes in a second.

From the graph: bench strength per post, the critical and JPT/Administrator
posts with nobody ready within the window (and the rule that blocks the
nearest candidates), key persons (the only ready successor of posts),
retirement waves by year from BUP, and a plan's vacancy chains as paths.
Pictures are self-contained SVG strings (every text escaped).
"""

from __future__ import annotations

import datetime as dt
import html
import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np

import solvers
from engine.eligibility.candidates import Candidates, find_candidates, post_view
from engine.inputs import scales
from engine.inputs.derive import People, Posts, derive_people, shift_years
from engine.rules.requirements import CATALOGUE, FAIL, UNKNOWN
from engine.rules.ruleset import LoadedRule, Rule, RuleSet
from engine.scoring.fit import score_pairs
from engine.scoring.talent import BoxCounts, TalentBox, TalentBoxVersion, box_counts, talent_box

if TYPE_CHECKING:
    from engine.plan.pipeline import Context, Plan
    from engine.succession.horizon import Horizon, RankProgression

__all__ = [
    "FOCUS_LEVELS",
    "LATER",
    "READY_NOW",
    "READY_SOON",
    "Readiness",
    "Succession",
    "analyse",
    "bench_strength",
    "chain_paths",
    "focus_posts",
    "key_persons",
    "project_people",
    "readiness",
    "render_succession",
    "retirement_waves",
    "succession_files",
    "successor_graph",
    "svg_bench",
    "svg_chains",
    "svg_talent_box",
    "time_improving",
    "uncovered_mask",
    "uncovered_posts",
    "write_succession",
]

READY_NOW, READY_SOON, LATER = "ready_now", "ready_soon", "later"
# Levels whose posts are watched for an empty bench, besides posts marked kritis.
FOCUS_LEVELS: tuple[str, ...] = ("JPT Utama", "JPT Madya", "JPT Pratama", "Administrator")


def time_improving(rule: Rule, rank_progression: bool = False) -> bool:
    """Whether a hard rule's verdict can only turn from FAIL to PASS as time passes.

    These are the kinds whose counterfactual carries a ``from_date`` ("eligible
    from ..."): spans since a start date, experience (accrues at the current
    level only), a minimum age, a sanction's look-back, and a minimum golongan
    (under regular promotion). A rule with both a minimum and a maximum is
    not. Years in grade (``masa_golongan``) start again at every regular
    promotion, so under a rank-progression schedule they are not.

    Examples
    --------
    >>> from engine.rules.ruleset import Rule
    >>> r = Rule.model_validate({"id": "x", "title": "t", "source": "PP 11/2017",
    ...     "effective": {"from": "2020-01-01"}, "require": {"usia": {"max": 56}}})
    >>> time_improving(r)
    False
    """
    p = rule.params
    kind = rule.kind
    if kind == "masa_golongan":
        return not rank_progression
    if kind in {"masa_kerja", "masa_jabatan", "pengalaman"}:
        return True
    if kind in {"usia", "golongan"}:
        return p.min is not None and p.max is None  # type: ignore[attr-defined]
    if kind == "hukuman_disiplin":
        return p.lookback_years is not None  # type: ignore[attr-defined]
    return False


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
    horizon moves them (:meth:`engine.succession.horizon.RankProgression.apply`). The
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


def _in_sorted(values: np.ndarray, sorted_keys: np.ndarray) -> np.ndarray:
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
    from engine.plan.pipeline import round_setup

    sc = ctx.loaded.scenario
    people, posts, day = ctx.people, ctx.posts, ctx.day
    setup = round_setup(ctx)
    if box is None:
        tb = _talent(ctx)
        box = tb.box if tb is not None else np.zeros(people.n, dtype=np.int8)

    where = _kecamatan_filter(ctx)

    def candidates(who: People, rules: RuleSet, when: dt.date) -> Candidates:
        c = find_candidates(
            who,
            posts,
            rules,
            ctx.taxonomy,
            when,
            pool=setup.pool,
            allowed=setup.allowed,
            unknown=sc.unknown,
        )
        if where is None:
            return c
        keep = where[c.person] == posts.kecamatan[c.post]
        return replace(
            c,
            person=c.person[keep],
            post=c.post[keep],
            penalty=c.penalty[keep],
            soft_failed=[(rid, mask[keep]) for rid, mask in c.soft_failed],
        )

    weights, cw = ctx.weights, sc.component_weights
    if today is None:
        now = candidates(people, ctx.ruleset, day)
        now_fit = score_pairs(
            people, posts, now.person, now.post, now.penalty, ctx.taxonomy, weights, cw
        ).fit
    else:
        now, now_fit = today
    improving_rule = _improving_hard(progression)
    static = candidates(people, _Subset(ctx.ruleset, day, lambda r: not improving_rule(r)), day)
    improving = _Subset(ctx.ruleset, day, improving_rule)
    n = people.n
    # Every key array is sorted (pairs come sorted by post, then person), so
    # set operations are binary searches: tens of millions of pairs at
    # province scale.
    static_keys = _keys(static, n)
    static_penalty, static_excluded = static.penalty, static.excluded
    del static
    now_keys = _keys(now, n)
    soon_years = np.zeros(0, dtype=np.int64)
    soon_keys = np.zeros(0, dtype=np.int64)
    later_people = people
    later_excluded = static_excluded
    for y in range(1, years + 1):
        when = shift_years(day, y)
        later_people = project_people(ctx, when, progression)
        later_cands = candidates(later_people, improving, when)
        later_excluded = later_cands.excluded
        later_keys = _keys(later_cands, n)
        del later_cands
        within = later_keys[_in_sorted(later_keys, static_keys)]
        del later_keys
        new = within[~_in_sorted(within, now_keys) & ~_in_sorted(within, soon_keys)]
        soon_keys = np.concatenate([soon_keys, new])
        soon_years = np.concatenate([soon_years, np.full(len(new), y, dtype=np.int64)])
        order = np.argsort(soon_keys, kind="stable")
        soon_keys, soon_years = soon_keys[order], soon_years[order]
    soon_post, soon_person = soon_keys // n, soon_keys % n

    # Fit today (soft rules of today), for ordering the bench.
    pos = np.searchsorted(static_keys, soon_keys)
    del static_keys
    soon_fit = score_pairs(
        people, posts, soon_person, soon_post, static_penalty[pos], ctx.taxonomy, weights, cw
    ).fit

    excluded = [{**a, **b} for a, b in zip(static_excluded, later_excluded, strict=True)]
    ready_posts = np.zeros(posts.n, dtype=bool)
    ready_posts[now.post] = True
    ready_posts[soon_post] = True
    later_person, later_post, later_failed, nearest = _near_misses(
        ctx,
        later_people,
        setup.pool,
        setup.allowed,
        ~ready_posts,
        later_max_failed,
        later_per_post,
        box,
        improving_rule,
    )
    return Readiness(
        date=day,
        years=years,
        now_person=now.person,
        now_post=now.post,
        now_fit=now_fit,
        soon_person=soon_person,
        soon_post=soon_post,
        soon_fit=soon_fit,
        soon_years=soon_years,
        later_person=later_person,
        later_post=later_post,
        later_failed=later_failed,
        considered=now.considered,
        excluded=excluded,
        nearest=nearest,
        box=box,
    )


def _kecamatan_filter(ctx: Context) -> np.ndarray | None:
    """Each person's kecamatan when the scenario keeps moves within it (as the round does)."""
    from engine.plan.pipeline import person_kecamatan

    if not getattr(ctx.loaded.scenario.moves, "within_kecamatan", False):
        return None
    return person_kecamatan(ctx.people, ctx.posts)


def _near_misses(
    ctx: Context,
    later: People,
    pool: np.ndarray,
    allowed: Any,
    bare: np.ndarray,
    max_failed: int,
    per_post: int,
    box: np.ndarray,
    improving_rule: Callable[[LoadedRule], bool],
) -> tuple[np.ndarray, np.ndarray, list[tuple[str, ...]], dict[int, dict[str, Any]]]:
    """People who fail few hard rules after the window, per group of alike posts.

    Posts sharing the same applicable hard rules and the same values of the
    post attributes those rules read share one failure count per person
    (as in :func:`engine.eligibility.candidates.find_candidates`); time-improving rules
    are read on ``later``, the others today.
    """
    people, posts = ctx.people, ctx.posts
    unknown_fails = ctx.loaded.scenario.unknown == "fail"
    kinds = {name: cls(ctx.taxonomy) for name, cls in CATALOGUE.items()}
    applicable = [(r, m) for r, m in ctx.ruleset.applicable(ctx.day, posts) if r.rule.hard]
    masks = np.array([m for _, m in applicable], dtype=bool).reshape(len(applicable), posts.n)
    keys = sorted({k for r, _ in applicable for k in kinds[r.rule.kind].reads(r.rule.params)})
    cols = [*(getattr(posts, k) for k in keys), posts.level]
    groups: dict[tuple, list[int]] = {}
    for j in range(posts.n):
        groups.setdefault((masks[:, j].tobytes(), *(c[j] for c in cols)), []).append(j)
    cache: dict[tuple, np.ndarray] = {}
    persons: list[np.ndarray] = []
    postss: list[np.ndarray] = []
    failed_ids: list[tuple[str, ...]] = []
    nearest: dict[int, dict[str, Any]] = {}
    nip = people.nip.astype(str)
    where = _kecamatan_filter(ctx)
    for members in groups.values():
        view = post_view(posts, members[0])
        base = pool & allowed(people, view.level)
        active = [r for (r, _), on in zip(applicable, masks[:, members[0]], strict=True) if on]
        fails = np.zeros((len(active), people.n), dtype=bool)
        for k, r in enumerate(active):
            improving = improving_rule(r)
            kind = kinds[r.rule.kind]
            key = (r.rule.id, *(getattr(view, x) for x in kind.reads(r.rule.params)))
            if key not in cache:
                cache[key] = kind.evaluate(r.rule.params, later if improving else people, view)
            v = cache[key]
            fails[k] = (v == FAIL) | ((v == UNKNOWN) & unknown_fails)
        count = fails.sum(axis=0)
        ids = [r.rule.id for r in active]
        for j in members:
            cand = base & (people.home != j)
            if where is not None:
                cand &= where == posts.kecamatan[j]
            near = np.flatnonzero(cand & (count >= 1) & (count <= max_failed))
            near = near[np.lexsort((nip[near], -box[near], count[near]))][:per_post]
            persons.append(near)
            postss.append(np.full(len(near), j, dtype=np.int64))
            failed_ids.extend(tuple(ids[k] for k in np.flatnonzero(fails[:, i])) for i in near)
            if bare[j]:
                miss = cand & (count > 0)
                if miss.any():
                    fewest = int(count[miss].min())
                    who = miss & (count == fewest)
                    rules = {ids[k]: int(fails[k, who].sum()) for k in range(len(ids))}
                    nearest[j] = {
                        "failed": fewest,
                        "people": int(who.sum()),
                        "rules": {r: n for r, n in rules.items() if n},
                    }
                else:
                    nearest[j] = {"failed": 0, "people": 0, "rules": {}}
    person = np.concatenate(persons) if persons else np.zeros(0, dtype=np.int64)
    post = np.concatenate(postss) if postss else np.zeros(0, dtype=np.int64)
    return person.astype(np.int64), post, failed_ids, nearest


def _talent(ctx: Context) -> TalentBox | None:
    version = ctx.talent
    return talent_box(ctx.people, ctx.posts, ctx.taxonomy, version) if version else None


def focus_posts(posts: Posts, levels: tuple[str, ...] = FOCUS_LEVELS) -> np.ndarray:
    """Posts whose bench is watched: marked kritis, or of the given levels."""
    return posts.kritis | np.isin(posts.jenis_jabatan, list(levels))


def uncovered_mask(ready: Readiness, n_posts: int) -> np.ndarray:
    """Posts with nobody ready now or within the window."""
    now, soon = ready.counts(n_posts)
    return (now + soon) == 0


# --------------------------------------------------------------------------
def _pid(j: int, posts: Posts) -> str:
    return f"jabatan:{posts.jabatan_id[j]}"


def _nid(i: int, people: People) -> str:
    return f"pegawai:{people.nip[i]}"


def _top(post: np.ndarray, key: np.ndarray, n_posts: int, n: int) -> np.ndarray:
    """Indices of the ``n`` pairs of lowest ``key`` of each post (keys distinct within a post)."""
    return np.flatnonzero(solvers.top_k_mask(post, -key, n_posts, n))


def _nip_rank(people: People) -> np.ndarray:
    """Each person's place in NIP order (NIP order without string arrays per pair)."""
    rank = np.empty(people.n, dtype=np.int64)
    rank[np.argsort(people.nip.astype(str), kind="stable")] = np.arange(people.n)
    return rank


def _fit_rank(fit: np.ndarray) -> np.ndarray:
    """0 for the best fit (100.0), up to 1000: fits are carried to one decimal."""
    return 1000 - np.round(np.asarray(fit, dtype=np.float64) * 10).astype(np.int64)


def successor_graph(
    ctx: Context,
    ready: Readiness,
    plan: Plan | None = None,
    tb: TalentBox | None = None,
    per_post: int = 5,
) -> nx.DiGraph:
    """The successor graph of one state (see the module docstring for nodes and edges).

    To stay readable it carries, per post and readiness, only the first
    ``per_post`` successor edges (ready now: best fit; ready soon: soonest,
    then best fit; ties by NIP) plus every placement of ``plan``; each post
    node carries the full counts (``ready_now``, ``ready_soon``, and
    ``ready_now_pool``: how many of those ready now are in the talent pool).
    A post whose bench has a single person keeps that edge, so "only ready
    successor" is exact on the graph. Every attribute is a str, int, float or
    bool, so the graph writes as GraphML and node-link JSON as it is.
    """
    people, posts = ctx.people, ctx.posts
    focus = focus_posts(posts)
    g = nx.DiGraph(date=ctx.day.isoformat(), window_years=ready.years)
    box = tb.box if tb is not None else ready.box
    in_pool = tb.in_pool if tb is not None else np.zeros(people.n, dtype=bool)
    n_now, n_soon = ready.counts(posts.n)
    n_now_pool = np.bincount(ready.now_post[in_pool[ready.now_person]], minlength=posts.n)
    # Per post: ready now by best fit, then NIP; ready soon by soonest, then
    # best fit, then NIP. One int64 key per pair, distinct within a post.
    nip_rank, n = _nip_rank(people), people.n
    now_key = _fit_rank(ready.now_fit) * n + nip_rank[ready.now_person]
    now = _top(ready.now_post, now_key, posts.n, per_post)
    del now_key
    soon_key = (ready.soon_years * 1001 + _fit_rank(ready.soon_fit)) * n + nip_rank[
        ready.soon_person
    ]
    soon = _top(ready.soon_post, soon_key, posts.n, per_post)
    del soon_key
    for j in range(posts.n):
        h = int(posts.holder[j])
        g.add_node(
            _pid(j, posts),
            kind="post",
            jabatan_id=str(posts.jabatan_id[j]),
            nama=str(posts.nama[j]),
            unit=str(posts.unit[j]),
            jenis_jabatan=str(posts.jenis_jabatan[j]),
            eselon=str(posts.eselon[j]),
            kritis=bool(posts.kritis[j]),
            focus=bool(focus[j]),
            holder=str(people.nip[h]) if h >= 0 else "",
            ready_now=int(n_now[j]),
            ready_soon=int(n_soon[j]),
            ready_now_pool=int(n_now_pool[j]),
        )
    placed = (
        np.array([p["nip"] for p in plan.data["placements"]], dtype=object)
        if plan is not None
        else np.zeros(0, dtype=object)
    )
    involved = np.isin(people.nip, placed)
    for arr in (ready.now_person[now], ready.soon_person[soon], ready.later_person, posts.holder):
        involved[arr[arr >= 0]] = True
    for i in np.flatnonzero(involved):
        g.add_node(
            _nid(i, people),
            kind="person",
            nip=str(people.nip[i]),
            nama=str(people.nama[i]),
            unit=str(people.unit[i]),
            jenis_jabatan=str(people.jenis_jabatan[i]),
            golongan=scales.GOLONGAN[people.golongan[i]] if people.golongan[i] >= 0 else "",
            box=int(box[i]),
            in_pool=bool(in_pool[i]),
            bup=str(people.bup[i]),
            jabatan_id=str(posts.jabatan_id[people.home[i]]) if people.home[i] >= 0 else "",
        )
    for j in np.flatnonzero(posts.atasan >= 0):
        g.add_edge(_pid(j, posts), _pid(int(posts.atasan[j]), posts), kind="reports_to")
    for j in np.flatnonzero(posts.holder >= 0):
        g.add_edge(_pid(j, posts), _nid(int(posts.holder[j]), people), kind="held_by")

    def successor(i: int, j: int, readiness: str, fit: float, within: int, failed: str) -> None:
        # Attributes only where they mean something: within_years on ready_soon,
        # failed on later, placed/chain on placements (keeps the exports small).
        extra: dict[str, Any] = {}
        if readiness == READY_SOON:
            extra["within_years"] = int(within)
        if readiness == LATER:
            extra["failed"] = failed
        g.add_edge(
            _nid(i, people),
            _pid(j, posts),
            kind="successor",
            readiness=readiness,
            fit=float(fit),
            **extra,
        )

    for k in now:
        successor(
            int(ready.now_person[k]), int(ready.now_post[k]), READY_NOW, ready.now_fit[k], 0, ""
        )
    for k in soon:
        successor(
            int(ready.soon_person[k]),
            int(ready.soon_post[k]),
            READY_SOON,
            ready.soon_fit[k],
            int(ready.soon_years[k]),
            "",
        )
    for i, j, failed in zip(ready.later_person, ready.later_post, ready.later_failed, strict=True):
        successor(int(i), int(j), LATER, 0.0, -1, "; ".join(failed))
    if plan is not None:
        _mark_placements(g, plan, ready, ctx)
    return g


def _mark_placements(g: nx.DiGraph, plan: Plan, ready: Readiness, ctx: Context) -> None:
    """Mark each placement on its edge; add the edge if the top-N cut left it out."""
    people, posts = ctx.people, ctx.posts
    chain_of: dict[tuple[str, str], str] = {}
    for chain in plan.data["chains"]:
        for step in chain["steps"]:
            if step["filled_by"]:
                key = (step["filled_by"]["nip"], step["post"]["jabatan_id"])
                chain_of[key] = chain["start"]
    person_of = {nip: i for i, nip in enumerate(people.nip)}
    post_of = {pid: j for j, pid in enumerate(posts.jabatan_id)}
    placed_keys = np.array(
        [
            post_of[p["to"]["jabatan_id"]] * people.n + person_of[p["nip"]]
            for p in plan.data["placements"]
        ],
        dtype=np.int64,
    )
    # Today's pairs come sorted by post, then person.
    eligible_now = _in_sorted(
        placed_keys, ready.now_post.astype(np.int64) * people.n + ready.now_person
    )
    for p, eligible in zip(plan.data["placements"], eligible_now.tolist(), strict=True):
        u, v = f"pegawai:{p['nip']}", f"jabatan:{p['to']['jabatan_id']}"
        chain = chain_of.get((p["nip"], p["to"]["jabatan_id"]), "")
        if not g.has_edge(u, v):
            # A placement is an eligible pair of the same round: ready now.
            g.add_edge(
                u,
                v,
                kind="successor",
                readiness=READY_NOW if eligible else "placed",
                fit=float(p["fit"]),
            )
        g.edges[u, v].update(placed=True, chain=chain)


def _person(g: nx.DiGraph, node: str, data: dict[str, Any]) -> dict[str, Any]:
    attrs = g.nodes[node]
    row = {
        "nip": attrs["nip"],
        "nama": attrs["nama"],
        "jenis_jabatan": attrs.get("jenis_jabatan", ""),
        "unit": attrs.get("unit", ""),
        "box": attrs.get("box", 0),
    }
    if data["readiness"] in (READY_NOW, READY_SOON, "placed"):
        row["fit"] = round(data["fit"], 1)
    if data["readiness"] == READY_SOON:
        row["within_years"] = data["within_years"]
    if data["readiness"] == LATER:
        row["failed"] = data["failed"].split("; ")
    return row


def bench_strength(g: nx.DiGraph, names: int = 5) -> list[dict[str, Any]]:
    """Per post (graph order): who is ready now, soon and later, counts and the first names.

    Ready now by fit (then NIP); ready soon by years, fit, NIP; later by
    talent box then NIP.
    """
    out = []
    for node, attrs in g.nodes(data=True):
        if attrs["kind"] != "post":
            continue
        by: dict[str, list[tuple[tuple, dict[str, Any]]]] = {
            READY_NOW: [],
            READY_SOON: [],
            LATER: [],
        }
        for u, _, data in g.in_edges(node, data=True):
            if data.get("kind") != "successor" or data["readiness"] not in by:
                continue
            nip = g.nodes[u]["nip"]
            if data["readiness"] == READY_NOW:
                key: tuple = (-data["fit"], nip)
            elif data["readiness"] == READY_SOON:
                key = (data["within_years"], -data["fit"], nip)
            else:
                key = (-g.nodes[u].get("box", 0), nip)
            by[data["readiness"]].append((key, _person(g, u, data)))
        holder = attrs["holder"]
        entry: dict[str, Any] = {
            "jabatan_id": attrs["jabatan_id"],
            "nama_jabatan": attrs["nama"],
            "unit": attrs["unit"],
            "jenis_jabatan": attrs["jenis_jabatan"],
            "kritis": attrs["kritis"],
            "focus": attrs["focus"],
            "holder": None,
        }
        if holder:
            h = g.nodes[f"pegawai:{holder}"]
            entry["holder"] = {"nip": holder, "nama": h["nama"], "bup": h["bup"]}
        full = {READY_NOW: attrs["ready_now"], READY_SOON: attrs["ready_soon"]}
        for readiness, rows in by.items():
            rows.sort(key=lambda kr: kr[0])
            entry[readiness] = {
                "count": full.get(readiness, len(rows)),
                "names": [r for _, r in rows[:names]],
            }
        entry[READY_NOW]["talent_pool"] = attrs["ready_now_pool"]
        out.append(entry)
    return out


def uncovered_posts(
    bench: list[dict[str, Any]], ready: Readiness, posts: Posts
) -> list[dict[str, Any]]:
    """Focus posts (kritis, JPT, Administrator) with nobody ready within the window.

    Each names the rules that excluded people in the window's projection
    (``excluded_by``, most first) and ``blocking_rule``: the rule most often
    failed by the nearest candidates (those failing the fewest hard rules).
    """
    index = {pid: j for j, pid in enumerate(posts.jabatan_id)}
    out = []
    for entry in bench:
        if not entry["focus"] or entry[READY_NOW]["count"] or entry[READY_SOON]["count"]:
            continue
        j = index[entry["jabatan_id"]]
        excluded = sorted(ready.excluded[j].items(), key=lambda kv: (-kv[1], kv[0]))
        near = ready.nearest.get(j, {"failed": 0, "people": 0, "rules": {}})
        rules = sorted(near["rules"].items(), key=lambda kv: (-kv[1], kv[0]))
        out.append(
            {
                "jabatan_id": entry["jabatan_id"],
                "nama_jabatan": entry["nama_jabatan"],
                "unit": entry["unit"],
                "jenis_jabatan": entry["jenis_jabatan"],
                "kritis": entry["kritis"],
                "holder": entry["holder"],
                "considered": int(ready.considered[j]),
                "excluded_by": [{"rule": r, "people": n} for r, n in excluded],
                "nearest": {
                    "failed": near["failed"],
                    "people": near["people"],
                    "rules": [{"rule": r, "people": n} for r, n in rules],
                },
                "blocking_rule": rules[0][0] if rules else (excluded[0][0] if excluded else None),
                "later": entry[LATER]["names"],
            }
        )
    return out


def key_persons(g: nx.DiGraph, top: int = 10) -> list[dict[str, Any]]:
    """People whose departure empties the most benches.

    ``sole_within``: posts where they are the only person ready now or soon;
    ``sole_now``: posts where they are the only one ready now. Ranked by
    ``sole_within``, then ``sole_now``, then NIP; people with neither are left
    out.
    """
    sole_now: dict[str, list[str]] = {}
    sole_within: dict[str, list[str]] = {}
    for node, attrs in g.nodes(data=True):
        if attrs["kind"] != "post":
            continue
        n_now, n_within = attrs["ready_now"], attrs["ready_now"] + attrs["ready_soon"]
        if n_within != 1 and n_now != 1:
            continue
        # The graph keeps every edge of a bench of one (see successor_graph).
        now, within = [], []
        for u, _, data in g.in_edges(node, data=True):
            if data.get("kind") == "successor" and data["readiness"] in (READY_NOW, READY_SOON):
                within.append(u)
                if data["readiness"] == READY_NOW:
                    now.append(u)
        if n_now == 1:
            sole_now.setdefault(now[0], []).append(attrs["jabatan_id"])
        if n_within == 1:
            sole_within.setdefault(within[0], []).append(attrs["jabatan_id"])
    rows = []
    for u in sorted(set(sole_now) | set(sole_within)):
        a = g.nodes[u]
        rows.append(
            {
                "nip": a["nip"],
                "nama": a["nama"],
                "jenis_jabatan": a.get("jenis_jabatan", ""),
                "unit": a.get("unit", ""),
                "bup": a.get("bup", ""),
                "sole_within": sorted(sole_within.get(u, [])),
                "sole_now": sorted(sole_now.get(u, [])),
            }
        )
    rows.sort(key=lambda r: (-len(r["sole_within"]), -len(r["sole_now"]), r["nip"]))
    return rows[:top]


def retirement_waves(
    people: People, posts: Posts, start: dt.date, years: int
) -> list[dict[str, Any]]:
    """People reaching BUP in each calendar year from ``start``'s, per unit and level.

    People whose BUP is already past at ``start`` count in the first year.
    ``posts`` lists the structural posts whose incumbent retires that year.
    """
    bup_year = people.bup.astype("datetime64[Y]").astype(np.int64) + 1970
    bup_year = np.maximum(bup_year, start.year)
    holder_post = {int(posts.holder[j]): j for j in np.flatnonzero(posts.holder >= 0)}
    out = []
    for year in range(start.year, start.year + years):
        idx = np.flatnonzero(bup_year == year)
        levels: dict[str, int] = {}
        units: dict[str, dict[str, int]] = {}
        for i in idx:
            level, unit = str(people.jenis_jabatan[i]), str(people.unit[i])
            levels[level] = levels.get(level, 0) + 1
            units.setdefault(unit, {})[level] = units.setdefault(unit, {}).get(level, 0) + 1
        opened = sorted(
            (
                {
                    "jabatan_id": str(posts.jabatan_id[holder_post[int(i)]]),
                    "nip": str(people.nip[i]),
                    "nama": str(people.nama[i]),
                    "bup": str(people.bup[i]),
                }
                for i in idx
                if int(i) in holder_post
            ),
            key=lambda r: r["jabatan_id"],
        )
        order = [lv for lv in reversed(scales.JENIS_JABATAN) if lv in levels]
        out.append(
            {
                "year": year,
                "people": len(idx),
                "by_level": {lv: levels[lv] for lv in order},
                "by_unit": {
                    u: {lv: units[u][lv] for lv in reversed(scales.JENIS_JABATAN) if lv in units[u]}
                    for u in sorted(units)
                },
                "posts": opened,
            }
        )
    return out


def chain_paths(plan_data: dict[str, Any]) -> list[dict[str, Any]]:
    """A plan's vacancy chains as paths: the posts in order and who filled each."""
    out = []
    for chain in plan_data["chains"]:
        steps = chain["steps"]
        out.append(
            {
                "start": chain["start"],
                "end": chain["end"],
                "length": chain["length"],
                "posts": [s["post"]["jabatan_id"] for s in steps],
                "steps": [
                    {
                        "jabatan_id": s["post"]["jabatan_id"],
                        "nama_jabatan": s["post"]["nama_jabatan"],
                        "unit": s["post"]["unit"],
                        "nip": s["filled_by"]["nip"] if s["filled_by"] else None,
                        "nama": s["filled_by"]["nama"] if s["filled_by"] else None,
                        "from_jabatan_id": s["from_jabatan_id"],
                    }
                    for s in steps
                ],
            }
        )
    return out


# --------------------------------------------------------------------------
@dataclass
class Succession:
    """The succession view of one state, and optionally a horizon of yearly rounds."""

    context: Context
    ready: Readiness
    graph: nx.DiGraph
    talent: TalentBox | None
    talent_version: TalentBoxVersion | None
    boxes: BoxCounts | None
    bench: list[dict[str, Any]]
    uncovered: list[dict[str, Any]]
    key_persons: list[dict[str, Any]]
    waves: list[dict[str, Any]]
    chains: list[dict[str, Any]]
    horizon: Horizon | None = None
    timings: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """succession.json: deterministic (no timings)."""
        ctx = self.context
        focus = [b for b in self.bench if b["focus"]]
        return {
            "scenario": {
                "name": ctx.loaded.scenario.name,
                "date": ctx.day.isoformat(),
                "file": ctx.loaded.path.name,
            },
            "window_years": self.ready.years,
            "summary": {
                "posts": int(ctx.posts.n),
                "focus_posts": len(focus),
                "focus_with_ready_now": sum(1 for b in focus if b[READY_NOW]["count"]),
                "focus_without_ready_successor": len(self.uncovered),
                "ready_now_pairs": len(self.ready.now_person),
                "ready_soon_pairs": len(self.ready.soon_person),
                "later_pairs": len(self.ready.later_person),
                "key_persons": len(self.key_persons),
                "graph_nodes": self.graph.number_of_nodes(),
                "graph_edges": self.graph.number_of_edges(),
            },
            "talent_box": self.boxes.as_dict() if self.boxes else None,
            "bench": self.bench,
            "without_ready_successor": self.uncovered,
            "key_persons": self.key_persons,
            "retirement_waves": self.waves,
            "chains": self.chains,
            "horizon": self.horizon.as_dict() if self.horizon else [],
        }


def analyse(
    ctx: Context,
    plan: Plan | None = None,
    *,
    ready: Readiness | None = None,
    progression: RankProgression | None = None,
    years: int = 2,
    wave_years: int = 5,
    horizon: Horizon | None = None,
) -> Succession:
    """Build the succession view of ``ctx`` (and ``plan``'s chains, if given).

    Parameters
    ----------
    ctx:
        The state to analyse (a loaded scenario, or a horizon year's context).
    plan:
        A plan of the same state; its placements are marked on the graph.
    ready:
        Readiness already computed for ``ctx`` (e.g. by the horizon).
    progression:
        Rank progression for the readiness projection.
    years:
        The "ready soon" window.
    wave_years:
        How many calendar years of retirement waves.
    horizon:
        Yearly rounds to report with it.
    """
    version = ctx.talent
    tb = _talent(ctx)
    if ready is None:
        today = None
        if plan is not None and plan.context is ctx:
            # The plan's own candidates are today's eligible pairs (its first arcs).
            today = (plan.candidates, plan.scores.fit[: len(plan.candidates)])
        ready = readiness(
            ctx,
            years=years,
            progression=progression,
            box=tb.box if tb is not None else None,
            today=today,
        )
    g = successor_graph(ctx, ready, plan, tb)
    bench = bench_strength(g)
    return Succession(
        context=ctx,
        ready=ready,
        graph=g,
        talent=tb,
        talent_version=version,
        boxes=box_counts(tb, ctx.people, version) if tb is not None and version else None,
        bench=bench,
        uncovered=uncovered_posts(bench, ready, ctx.posts),
        key_persons=key_persons(g),
        waves=retirement_waves(ctx.people, ctx.posts, ctx.day, wave_years),
        chains=chain_paths(plan.data) if plan is not None else [],
        horizon=horizon,
    )


# --------------------------------------------------------------------------
# Pictures: self-contained SVG, every text escaped.
LABELS: dict[str, dict[str, str]] = {
    "id": {
        "box": "Kotak",
        "people": "orang",
        "more": "lainnya",
        "kinerja": "Kinerja",
        "potensial": "Potensial",
        "levels_k": "di bawah ekspektasi|sesuai ekspektasi|di atas ekspektasi",
        "levels_p": "rendah|menengah|tinggi",
        "unknown": "tanpa kotak (data tidak lengkap)",
        "pool": "kelompok rencana suksesi",
        "talent_title": "Kotak talenta",
        "bench_title": "Kekuatan bangku cadangan per unit",
        "now": "siap sekarang",
        "soon": "siap dalam {y} tahun",
        "none": "tidak ada penerus ≤ {y} th",
        "chains_title": "Rantai kekosongan",
        "end_outside": "diisi dari luar struktural",
        "end_unfilled": "berakhir tidak terisi",
        "end_cycle": "rotasi",
        "no_chains": "tidak ada rantai",
        "vacant": "lowong",
    },
    "en": {
        "box": "Box",
        "people": "people",
        "more": "more",
        "kinerja": "Performance (kinerja)",
        "potensial": "Potential (potensial)",
        "levels_k": "below expectation|as expected|above expectation",
        "levels_p": "low|medium|high",
        "unknown": "no box (incomplete data)",
        "pool": "succession pool",
        "talent_title": "Talent box",
        "bench_title": "Bench strength by unit",
        "now": "ready now",
        "soon": "ready within {y} years",
        "none": "no successor ≤ {y} yrs",
        "chains_title": "Vacancy chains",
        "end_outside": "filled from outside structural posts",
        "end_unfilled": "ends unfilled",
        "end_cycle": "rotation",
        "no_chains": "no chains",
        "vacant": "vacant",
    },
}


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _cut(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _text(x: float, y: float, s: object, **attrs: object) -> str:
    extra = "".join(f' {k.replace("_", "-")}="{_e(v)}"' for k, v in attrs.items())
    return f'<text x="{x:g}" y="{y:g}"{extra}>{_e(s)}</text>'


def _svg(width: float, height: float, title: str, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:g}" height="{height:g}" '
        f'viewBox="0 0 {width:g} {height:g}" font-family="sans-serif" font-size="11" '
        f'role="img" aria-label="{_e(title)}"><title>{_e(title)}</title>'
        f'<rect width="100%" height="100%" fill="#ffffff"/>' + "".join(body) + "</svg>\n"
    )


def svg_talent_box(
    counts: BoxCounts, version: TalentBoxVersion, lang: str = "id", names: int = 6
) -> str:
    """The 3 x 3 talent box: per box its number, count and first names; pool boxes shaded.

    Rows are potensial (high at the top), columns kinerja (above expectation
    on the right); the numbering comes from the settings, never from code.
    """
    t = LABELS[lang]
    cw, ch, left, top = 230, 150, 90, 40
    grid = [version.boxes.high, version.boxes.medium, version.boxes.low]
    body = [
        _text(
            left,
            22,
            f"{t['talent_title']} ({counts.regime}): {counts.counted} {t['people']}; "
            f"{t['pool']} {counts.pool_size}",
            font_size=14,
            font_weight="bold",
        )
    ]
    levels_p = t["levels_p"].split("|")[::-1]
    levels_k = t["levels_k"].split("|")
    for r, row in enumerate(grid):
        y0 = top + r * ch
        body.append(_text(left - 8, y0 + ch / 2, levels_p[r], text_anchor="end"))
        for c, number in enumerate(row):
            x0 = left + c * cw
            pool = number in counts.pool
            body.append(
                f'<rect x="{x0}" y="{y0}" width="{cw - 4}" height="{ch - 4}" rx="4" '
                f'fill="{"#d9f0d3" if pool else "#f2f2f2"}" stroke="#888"/>'
            )
            n = counts.by_box.get(number, 0)
            body.append(
                _text(
                    x0 + 8, y0 + 16, f"{t['box']} {number}: {n} {t['people']}", font_weight="bold"
                )
            )
            shown = counts.names.get(number, [])
            for k, (_, nama) in enumerate(shown[:names]):
                body.append(_text(x0 + 8, y0 + 32 + k * 14, _cut(nama, 34)))
            if len(shown) > names:
                body.append(
                    _text(
                        x0 + 8,
                        y0 + 32 + names * 14,
                        f"+{len(shown) - names} {t['more']}",
                        fill="#555",
                    )
                )
    bottom = top + 3 * ch
    for c, label in enumerate(levels_k):
        body.append(_text(left + c * cw + cw / 2, bottom + 14, label, text_anchor="middle"))
    body.append(_text(left + 1.5 * cw, bottom + 32, t["kinerja"], text_anchor="middle"))
    body.append(
        _text(
            16,
            top + 1.5 * ch,
            t["potensial"],
            text_anchor="middle",
            transform=f"rotate(-90 16 {top + 1.5 * ch:g})",
        )
    )
    body.append(_text(left, bottom + 50, f"{t['unknown']}: {counts.by_box.get(0, 0)}"))
    return _svg(left + 3 * cw + 10, bottom + 62, t["talent_title"], body)


def svg_bench(
    bench: list[dict[str, Any]], lang: str = "id", window: int = 2, only_focus: bool = False
) -> str:
    """Bench strength as one small panel per unit, two columns of panels.

    Each post is a row: its name (greyed when it is not a JPT, Administrator
    or kritis post; kritis posts carry a star), then the number of people
    ready now (green) and ready soon (amber), each with up to five squares;
    a post with nobody within the window is marked red.
    """
    t = LABELS[lang]
    rows_by_unit: dict[str, list[dict[str, Any]]] = {}
    for b in bench:
        if only_focus and not b["focus"]:
            continue
        rows_by_unit.setdefault(b["unit"], []).append(b)
    pw, rh, head, gap, top = 560, 15, 20, 12, 48
    name_w, col_w = 300, 110
    heights = [0.0, 0.0]
    body = [
        _text(10, 20, t["bench_title"], font_size=14, font_weight="bold"),
        '<rect x="10" y="28" width="10" height="10" fill="#2e8b57"/>',
        _text(24, 37, t["now"]),
        '<rect x="130" y="28" width="10" height="10" fill="#e6a23c"/>',
        _text(144, 37, t["soon"].format(y=window)),
        _text(300, 37, "★ kritis", fill="#333"),
    ]
    for unit in sorted(rows_by_unit):
        rows = rows_by_unit[unit]
        col = 0 if heights[0] <= heights[1] else 1
        x0, y0 = 10 + col * (pw + 10), top + heights[col]
        height = head + len(rows) * rh + 8
        body.append(
            f'<rect x="{x0}" y="{y0:g}" width="{pw}" height="{height}" rx="4" '
            f'fill="#fafafa" stroke="#bbb"/>'
        )
        body.append(_text(x0 + 6, y0 + 14, _cut(unit, 80), font_weight="bold"))
        for k, b in enumerate(rows):
            y = y0 + head + k * rh
            star = "★ " if b["kritis"] else ""
            name = _cut(f"{star}{b['nama_jabatan']}", 48)
            body.append(_text(x0 + 6, y + 11, name, **({"fill": "#777"} if not b["focus"] else {})))
            if not b[READY_NOW]["count"] and not b[READY_SOON]["count"]:
                body.append(_text(x0 + name_w, y + 11, t["none"].format(y=window), fill="#c0392b"))
                continue
            for c, (key, colour) in enumerate(((READY_NOW, "#2e8b57"), (READY_SOON, "#e6a23c"))):
                n = b[key]["count"]
                x = x0 + name_w + c * col_w
                body.append(_text(x + 28, y + 11, n, text_anchor="end", fill=colour))
                for q in range(min(n, 5)):
                    body.append(
                        f'<rect x="{x + 34 + q * 11}" y="{y + 2:g}" width="9" height="9" '
                        f'fill="{colour}"/>'
                    )
                if n > 5:
                    body.append(_text(x + 34 + 5 * 11, y + 11, "…", fill=colour))
        heights[col] += height + gap
    return _svg(2 * pw + 30, top + max(heights) + 4, t["bench_title"], body)


def svg_chains(chains: list[dict[str, Any]], lang: str = "id", title: str | None = None) -> str:
    """Vacancy chains, grouped by the unit of the post that opened them.

    Each chain is a row of boxes, the opened post first; an arrow from a box
    to the one on its left shows the person moving up from that post.
    """
    t = LABELS[lang]
    bw, bh, gap, rh = 230, 36, 34, 48
    by_unit: dict[str, list[dict[str, Any]]] = {}
    for c in chains:
        by_unit.setdefault(c["steps"][0]["unit"], []).append(c)
    body = [_text(10, 20, title or t["chains_title"], font_size=14, font_weight="bold")]
    y = 36.0
    width = 600.0
    if not chains:
        body.append(_text(10, y + 14, t["no_chains"]))
        y += 24
    ends = {"outside": t["end_outside"], "unfilled": t["end_unfilled"], "cycle": t["end_cycle"]}
    for unit in sorted(by_unit):
        body.append(_text(10, y + 14, unit, font_weight="bold"))
        y += 22
        for c in by_unit[unit]:
            for k, s in enumerate(c["steps"]):
                x = 10 + k * (bw + gap)
                filled = s["nama"] is not None
                body.append(
                    f'<rect x="{x}" y="{y:g}" width="{bw}" height="{bh}" rx="4" '
                    f'fill="{"#eaf2fb" if filled else "#fdecea"}" stroke="#7a9cc6"/>'
                )
                body.append(_text(x + 6, y + 14, _cut(s["nama_jabatan"], 33), font_weight="bold"))
                who = _cut(s["nama"], 36) if filled else t["vacant"]
                body.append(_text(x + 6, y + 29, who))
                if k:
                    ax = x - gap + 4
                    body.append(
                        f'<path d="M{x - 2} {y + bh / 2:g} L{ax + 6} {y + bh / 2:g}" '
                        f'stroke="#555" fill="none"/>'
                        f'<path d="M{ax} {y + bh / 2:g} l8 -4 l0 8 z" fill="#555"/>'
                    )
            x_end = 10 + len(c["steps"]) * (bw + gap)
            body.append(_text(x_end - gap + 6, y + 22, ends.get(c["end"], c["end"]), fill="#555"))
            width = max(width, x_end + 190)
            y += rh
    return _svg(width, y + 8, title or t["chains_title"], body)


# --------------------------------------------------------------------------
def _md(value: object) -> str:
    text = str(value)
    for ch in ("\\", "|", "*", "_", "`", "<", ">", "[", "]"):
        text = text.replace(ch, "\\" + ch)
    return text


MD = {
    "id": {
        "title": "Rencana suksesi",
        "date": "Tanggal",
        "window": "Jendela 'siap segera'",
        "years": "tahun",
        "talent": "Kotak talenta",
        "box": "Kotak",
        "count": "Jumlah",
        "unit": "Unit",
        "bench": "Kekuatan bangku cadangan (JPT, Administrator, jabatan kritis)",
        "post": "Jabatan",
        "holder": "Pemangku",
        "now": "Siap sekarang",
        "soon": "Siap segera",
        "uncovered": "Jabatan tanpa penerus siap dalam {y} tahun",
        "blocking": "Aturan yang menghambat calon terdekat",
        "nearest": "calon terdekat",
        "key": "Pegawai kunci (satu-satunya penerus siap)",
        "sole_within": "Satu-satunya penerus ≤ {y} th",
        "sole_now": "Satu-satunya siap sekarang",
        "waves": "Gelombang pensiun (BUP) per tahun",
        "year": "Tahun",
        "people": "Pegawai",
        "posts_opened": "Jabatan terbuka karena pensiun",
        "horizon": "Proyeksi tahunan",
        "opened": "Terbuka",
        "filled": "Terisi",
        "unfilled": "Tidak terisi",
        "bare": "Tanpa penerus siap",
        "retiring": "Pensiun",
        "rank": "Naik pangkat",
        "chains": "Rantai kekosongan",
        "vacant": "lowong",
        "none": "tidak ada",
        "pictures": "Gambar",
        "vacant_holder": "(lowong)",
    },
    "en": {
        "title": "Succession plan",
        "date": "Date",
        "window": "'Ready soon' window",
        "years": "years",
        "talent": "Talent box",
        "box": "Box",
        "count": "Count",
        "unit": "Unit",
        "bench": "Bench strength (JPT, Administrator, critical posts)",
        "post": "Post",
        "holder": "Incumbent",
        "now": "Ready now",
        "soon": "Ready soon",
        "uncovered": "Posts with no successor ready within {y} years",
        "blocking": "Rule blocking the nearest candidates",
        "nearest": "nearest candidates",
        "key": "Key persons (the only ready successor)",
        "sole_within": "Only successor ≤ {y} yrs",
        "sole_now": "Only one ready now",
        "waves": "Retirement waves (BUP) by year",
        "year": "Year",
        "people": "People",
        "posts_opened": "Posts opened by retirement",
        "horizon": "Year by year",
        "opened": "Opened",
        "filled": "Filled",
        "unfilled": "Unfilled",
        "bare": "Without a ready successor",
        "retiring": "Retiring",
        "rank": "Rank promotions",
        "chains": "Vacancy chains",
        "vacant": "vacant",
        "none": "none",
        "pictures": "Pictures",
        "vacant_holder": "(vacant)",
    },
}

PICTURES = ("succession-talent-box.svg", "succession-bench.svg", "succession-chains.svg")


def _names(rows: list[dict[str, Any]], n: int = 3) -> str:
    return ", ".join(_md(r["nama"]) for r in rows[:n])


def _markdown(s: Succession, lang: str, pictures: list[str]) -> str:
    t = MD[lang]
    d = s.as_dict()
    y = s.ready.years
    out = [
        f"# {t['title']}: {_md(d['scenario']['name'])}",
        "",
        f"{t['date']}: {d['scenario']['date']}; {t['window']}: {y} {t['years']}.",
        "",
    ]
    out += [f"- {_md(k)}: {v}" for k, v in d["summary"].items()] + [""]
    if pictures:
        out += [f"## {t['pictures']}", ""] + [f"![{p}]({p})" for p in pictures] + [""]
    if s.boxes:
        b = s.boxes
        out += [
            f"## {t['talent']} ({_md(b.regime)})",
            "",
            f"| {t['box']} | {t['count']} |",
            "|---|---|",
        ]
        out += [f"| {k} | {b.by_box[k]} |" for k in range(9, -1, -1)]
        out += ["", f"| {t['unit']} | " + " | ".join(str(k) for k in range(9, 0, -1)) + " |"]
        out += ["|---|" + "---|" * 9]
        for unit, counts in b.by_unit.items():
            out.append(
                f"| {_md(unit)} | "
                + " | ".join(str(counts.get(k, 0)) for k in range(9, 0, -1))
                + " |"
            )
        out.append("")
    out += [
        f"## {t['bench']}",
        "",
        f"| {t['post']} | {t['unit']} | {t['holder']} | {t['now']} | {t['soon']} |",
    ]
    out.append("|---|---|---|---|---|")
    for b in s.bench:
        if not b["focus"]:
            continue
        holder = (
            f"{_md(b['holder']['nama'])} (BUP {b['holder']['bup']})"
            if b["holder"]
            else t["vacant_holder"]
        )
        out.append(
            f"| {_md(b['jabatan_id'])} {_md(b['nama_jabatan'])}{' ★' if b['kritis'] else ''} "
            f"| {_md(b['unit'])} | {holder} "
            f"| {b[READY_NOW]['count']}: {_names(b[READY_NOW]['names'])} "
            f"| {b[READY_SOON]['count']}: {_names(b[READY_SOON]['names'])} |"
        )
    out += ["", f"## {t['uncovered'].format(y=y)}", ""]
    if not s.uncovered:
        out.append(t["none"])
    for u in s.uncovered:
        near = u["nearest"]
        rules = ", ".join(f"{_md(r['rule'])} ({r['people']})" for r in near["rules"])
        out.append(
            f"- {_md(u['jabatan_id'])} {_md(u['nama_jabatan'])} ({_md(u['unit'])}): "
            f"{t['blocking']}: **{_md(u['blocking_rule'] or '-')}**; "
            f"{t['nearest']}: {near['people']} × {near['failed']} ({rules or '-'})"
        )
    out += ["", f"## {t['key']}", ""]
    out += [
        f"| NIP | {t['people']} | {t['sole_within'].format(y=y)} | {t['sole_now']} |",
        "|---|---|---|---|",
    ]
    for k in s.key_persons:
        out.append(
            f"| {k['nip']} | {_md(k['nama'])} | {_md(', '.join(k['sole_within']))} "
            f"| {_md(', '.join(k['sole_now']))} |"
        )
    out += [
        "",
        f"## {t['waves']}",
        "",
        f"| {t['year']} | {t['people']} | {t['posts_opened']} | JPT / Administrator / Pengawas |",
        "|---|---|---|---|",
    ]
    for w in s.waves:
        lv = w["by_level"]
        out.append(
            f"| {w['year']} | {w['people']} | {len(w['posts'])} "
            f"| {lv.get('JPT Pratama', 0)} / {lv.get('Administrator', 0)} / {lv.get('Pengawas', 0)} |"
        )
    if s.horizon is not None:
        years = s.horizon.as_dict()
        out += ["", f"## {t['horizon']}", ""]
        out += [
            f"| {t['year']} | {t['retiring']} | {t['opened']} | {t['filled']} | {t['unfilled']} "
            f"| {t['bare']} | {t['rank']} | {t['chains']} |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for yr in years:
            out.append(
                f"| {yr['date']} | {yr.get('retiring', '-')} | {yr.get('posts_opened', '-')} "
                f"| {yr.get('posts_filled', '-')} | {yr.get('posts_unfilled', '-')} "
                f"| {len(yr['without_ready_successor'])} | {yr['rank_promotions']} "
                f"| {len(yr.get('chains', []))} |"
            )
        for yr in years:
            out += ["", f"### {t['chains']} {yr['date']}", ""]
            if not yr.get("chains"):
                out.append(t["none"])
            for c in yr.get("chains", []):
                path = " ← ".join(
                    f"{_md(st['jabatan_id'])} ({_md(st['nama']) if st['nama'] else t['vacant']})"
                    for st in c["steps"]
                )
                end = LABELS[lang].get(f"end_{c['end']}", c["end"])
                out.append(f"- {path} ({_md(end)})")
    return "\n".join(out) + "\n"


def render_succession(s: Succession, lang: str = "id") -> dict[str, str]:
    """Every output file's text, in memory: JSON, Markdown, GraphML, node-link JSON, SVGs."""
    pictures: dict[str, str] = {}
    if s.boxes is not None and s.talent_version is not None:
        pictures["succession-talent-box.svg"] = svg_talent_box(s.boxes, s.talent_version, lang)
    pictures["succession-bench.svg"] = svg_bench(s.bench, lang, s.ready.years)
    pictures["succession-chains.svg"] = svg_chains(s.chains, lang)
    texts = {
        "succession.json": json.dumps(s.as_dict(), ensure_ascii=False, indent=2, sort_keys=True)
        + "\n",
        "succession.md": _markdown(s, lang, list(pictures)),
        "succession.graphml": "\n".join(nx.generate_graphml(s.graph)) + "\n",
        "succession-graph.json": json.dumps(
            nx.node_link_data(s.graph, edges="edges"), ensure_ascii=False, indent=1, sort_keys=True
        )
        + "\n",
    }
    texts.update(pictures)
    return texts


def succession_files(s: Succession, lang: str = "id") -> dict[str, str]:
    """Every output file's text, ``succession-run.json`` (the timings) included.

    ``succession-run.json`` carries the timings (the other files do not depend
    on the time or the machine).
    """
    texts = render_succession(s, lang)
    timings = dict(s.timings)
    if s.horizon is not None:
        timings |= {f"year_{y.year}": y.wall_time for y in s.horizon.years}
        timings |= {f"horizon_{k}": v for k, v in s.horizon.timings.items()}
    texts["succession-run.json"] = (
        json.dumps({"timings_s": {k: round(v, 4) for k, v in timings.items()}}, indent=2) + "\n"
    )
    return texts


def write_succession(s: Succession, out: Path, lang: str = "id") -> list[Path]:
    """Render every output in memory, then publish the files together; return the paths."""
    from engine.report.publish import publish

    return publish(dict(succession_files(s, lang)), out)
