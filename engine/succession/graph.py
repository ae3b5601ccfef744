"""The successor graph: who could follow whom, where the bench is empty, who is key.

Takes a round's state (:class:`engine.plan.pipeline.Context`), its
:class:`~engine.succession.readiness.Readiness` and optionally its plan;
gives a directed graph (networkx) of posts and people, and the tables read
from it:

- ``person -> post`` (``kind="successor"``) with ``readiness``:
  ``ready_now``, ``ready_soon`` (``within_years`` 1 or 2) or ``later``
  (``failed``: the hard rules still failed after the window);
- ``post -> parent post`` (``kind="reports_to"``) and ``post -> person``
  (``kind="held_by"``, the incumbent), so no person has an edge to the post
  they hold: nobody succeeds to their own post;
- a plan's placements mark their ``person -> post`` edge ``placed=True``
  with the ``chain`` they belong to (edges carry ``within_years`` only when
  ready soon, ``failed`` only when later, ``placed``/``chain`` only when
  placed).

The graph keeps, per post and readiness, only the best few successor edges
(the counts on each post node are complete), so it stays readable at 223
posts and writes in a second. Those edges are picked from the readiness
pairs as arrays (:class:`Successors`, :func:`successors`: a pass over a
province's twenty million pairs, no graph); bench strength per post and key
persons (the only ready successor of posts) are read from the arrays, and
the networkx graph is built from them (:func:`graph_of`) only for the files
that export it. Also: the critical and JPT/Administrator posts with nobody
ready within the window (and the rule that blocks the nearest candidates),
retirement waves by year from BUP, and a plan's vacancy chains as paths.
Rendering them is :mod:`engine.report.succession`'s.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from engine.inputs import scales
from engine.inputs.derive import People, Posts
from engine.kernels import count_flagged
from engine.plan.pipeline import Context, KeptPlan, Plan
from engine.plan.records import PlanRecord
from engine.scoring.talent import TalentBox
from engine.succession.readiness import Readiness
from engine.succession.shown import BLOCK, KERNEL_MIN_PAIRS, nip_rank, top

if TYPE_CHECKING:  # networkx is loaded only when a file needs the graph (graph_of)
    import networkx as nx

__all__ = [
    "FOCUS_LEVELS",
    "LATER",
    "READINESS",
    "READY_NOW",
    "READY_SOON",
    "Successors",
    "bench_strength",
    "chain_paths",
    "focus_posts",
    "graph_of",
    "key_persons",
    "retirement_waves",
    "successor_graph",
    "successors",
    "uncovered_mask",
    "uncovered_posts",
]

READY_NOW, READY_SOON, LATER = "ready_now", "ready_soon", "later"
# Levels whose posts are watched for an empty bench, besides posts marked kritis.
FOCUS_LEVELS: tuple[str, ...] = ("JPT Utama", "JPT Madya", "JPT Pratama", "Administrator")


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


def _count_pool(ready: Readiness, in_pool: np.ndarray, n_posts: int) -> np.ndarray:
    """Per post, how many of those ready now are in the talent pool: one compiled pass over a
    province's pairs, a block of pairs at a time below :data:`KERNEL_MIN_PAIRS`."""
    out = np.zeros(n_posts, dtype=np.int64)
    if not in_pool.any():
        return out
    if len(ready.now_post) >= KERNEL_MIN_PAIRS:
        count_flagged(ready.now_post, ready.now_person, in_pool, out)
        return out
    for s in range(0, len(ready.now_post), BLOCK):
        post = ready.now_post[s : s + BLOCK]
        out += np.bincount(post[in_pool[ready.now_person[s : s + BLOCK]]], minlength=n_posts)
    return out


#: The readiness of each of :class:`Successors`' edges, by its code.
READINESS: tuple[str, ...] = (READY_NOW, READY_SOON, LATER, "placed")


@dataclass
class Successors:
    """The successor edges the view shows, as arrays, and each post's whole bench counts.

    The edges in the order the successor graph adds them: the ready now and
    ready soon kept per post, every later one, then the plan's placements
    not among those. Per edge: ``person``, ``post``, ``readiness`` (a code:
    its place in :data:`READINESS`), ``fit``, ``within`` (years, ready soon),
    ``failed`` (the rules, joined by ``"; "``, later), ``placed`` and
    ``chain`` (a plan's placements). Per post: ``n_now``, ``n_soon``,
    ``n_now_pool`` (complete counts). ``people``: the people the graph shows
    (successors shown, placed people, incumbents), ascending; ``box`` and
    ``in_pool`` per person.
    """

    date: str
    years: int
    person: np.ndarray
    post: np.ndarray
    readiness: np.ndarray
    fit: np.ndarray
    within: np.ndarray
    failed: list[str]
    placed: np.ndarray
    chain: list[str]
    n_now: np.ndarray
    n_soon: np.ndarray
    n_now_pool: np.ndarray
    people: np.ndarray
    box: np.ndarray
    in_pool: np.ndarray


def successors(
    ctx: Context,
    ready: Readiness,
    plan: Plan | KeptPlan | None = None,
    tb: TalentBox | None = None,
    per_post: int = 5,
) -> Successors:
    """The successor edges shown and the bench counts of one state, from its readiness pairs.

    Per post and readiness, the first ``per_post`` edges (ready now: best
    fit; ready soon: soonest, then best fit; ties by NIP: :func:`top`, one
    pass over the pairs), every later one, and every placement of ``plan``.
    Readiness keeps only each post's first ready-soon pairs
    (``ready.soon_shown``), so ``per_post`` may not be more. A bench of one
    keeps its edge, so "only ready successor" is exact. No graph is built
    (:func:`graph_of` builds it from these, for the files that export it).
    """
    if ready.soon_shown is not None and per_post > ready.soon_shown:
        raise AssertionError(  # the caller's mistake, not the user's
            f"{per_post} ready-soon successors per post asked for, "
            f"readiness kept {ready.soon_shown}"
        )
    people, posts = ctx.people, ctx.posts
    box = tb.box if tb is not None else ready.box
    in_pool = tb.in_pool if tb is not None else np.zeros(people.n, dtype=bool)
    rank = nip_rank(people)
    now = top(ready.now_post, ready.now_fit, ready.now_person, rank, posts.n, per_post)
    soon = top(
        ready.soon_post,
        ready.soon_fit,
        ready.soon_person,
        rank,
        posts.n,
        per_post,
        ready.soon_years,
    )
    sizes = [len(now), len(soon), len(ready.later_person)]
    person = np.concatenate([ready.now_person[now], ready.soon_person[soon], ready.later_person])
    post = np.concatenate([ready.now_post[now], ready.soon_post[soon], ready.later_post])
    n_now, n_soon = ready.counts(posts.n)
    s = Successors(
        date=ctx.day.isoformat(),
        years=ready.years,
        person=person.astype(np.int64),
        post=post.astype(np.int64),
        readiness=np.repeat(np.arange(3, dtype=np.int8), sizes),
        fit=np.concatenate([ready.now_fit[now], ready.soon_fit[soon], np.zeros(sizes[2])]).astype(
            np.float64
        ),
        within=np.concatenate(
            [np.zeros(sizes[0]), ready.soon_years[soon], np.full(sizes[2], -1)]
        ).astype(np.int64),
        failed=[""] * (sizes[0] + sizes[1]) + ["; ".join(f) for f in ready.later_failed],
        placed=np.zeros(sum(sizes), dtype=bool),
        chain=[""] * sum(sizes),
        n_now=n_now,
        n_soon=n_soon,
        n_now_pool=_count_pool(ready, in_pool, posts.n),
        people=np.zeros(0, dtype=np.int64),
        box=box,
        in_pool=in_pool,
    )
    if plan is not None:
        _mark_placements(s, plan, ready, ctx)
    involved = np.zeros(people.n, dtype=bool)
    involved[s.person] = True
    involved[posts.holder[posts.holder >= 0]] = True
    s.people = np.flatnonzero(involved)
    return s


def _eligible_now(ready: Readiness, post: np.ndarray, person: np.ndarray) -> np.ndarray:
    """Whether each (``post``, ``person``) is a ready-now pair: a binary search in the post's
    run of pairs (today's pairs come sorted by post, then person). The needles take the
    pairs' own type: numpy would otherwise cast every pair to theirs before each search."""
    post = post.astype(ready.now_post.dtype)
    lo = np.searchsorted(ready.now_post, post, side="left")
    hi = np.searchsorted(ready.now_post, post, side="right")
    out = np.zeros(len(post), dtype=bool)
    kind = ready.now_person.dtype.type
    for k, (a, b, i) in enumerate(zip(lo.tolist(), hi.tolist(), person.tolist(), strict=True)):
        run = ready.now_person[a:b]
        at = int(np.searchsorted(run, kind(i)))
        out[k] = at < len(run) and int(run[at]) == i
    return out


def _mark_placements(s: Successors, plan: Plan | KeptPlan, ready: Readiness, ctx: Context) -> None:
    """Mark each placement on its edge; add the edge if the cut per post left it out."""
    people, posts = ctx.people, ctx.posts
    chain_of: dict[tuple[str, str], str] = {}
    for chain in plan.record.chains:
        for step in chain.steps:
            if step.filled_by:
                chain_of[(step.filled_by.nip, str(step.post.jabatan_id))] = chain.start
    person_of = {str(nip): i for i, nip in enumerate(people.nip)}
    post_of = {str(pid): j for j, pid in enumerate(posts.jabatan_id)}
    placements = plan.record.placements
    p_person = np.array([person_of[p.nip] for p in placements], dtype=np.int64)
    p_post = np.array([post_of[str(p.to.jabatan_id)] for p in placements], dtype=np.int64)
    chains = [chain_of.get((p.nip, str(p.to.jabatan_id)), "") for p in placements]
    key = s.post * people.n + s.person
    order = np.argsort(key, kind="stable")
    wanted = p_post * people.n + p_person
    at = np.minimum(np.searchsorted(key[order], wanted), max(len(key) - 1, 0))
    found = key[order][at] == wanted if len(key) else np.zeros(len(wanted), dtype=bool)
    for k in np.flatnonzero(found).tolist():
        e = int(order[at[k]])
        s.placed[e] = True
        s.chain[e] = chains[k]
    new = np.flatnonzero(~found)
    # A placement is an eligible pair of the same round: ready now.
    eligible = _eligible_now(ready, p_post[new], p_person[new])
    s.person = np.concatenate([s.person, p_person[new]])
    s.post = np.concatenate([s.post, p_post[new]])
    s.readiness = np.concatenate([s.readiness, np.where(eligible, 0, 3).astype(np.int8)])
    s.fit = np.concatenate([s.fit, [float(placements[k].fit) for k in new.tolist()]])
    s.within = np.concatenate([s.within, np.zeros(len(new), dtype=np.int64)])
    s.failed += [""] * len(new)
    s.placed = np.concatenate([s.placed, np.ones(len(new), dtype=bool)])
    s.chain += [chains[k] for k in new.tolist()]


def successor_graph(
    ctx: Context,
    ready: Readiness,
    plan: Plan | KeptPlan | None = None,
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
    return graph_of(ctx, successors(ctx, ready, plan, tb, per_post))


def graph_of(ctx: Context, s: Successors) -> nx.DiGraph:
    """The successor graph of :func:`successor_graph`, from its edges as arrays."""
    import networkx as nx  # only the files that export the graph need it

    people, posts = ctx.people, ctx.posts
    g = nx.DiGraph(date=s.date, window_years=s.years)
    _add_posts(g, ctx, s)
    _add_people(g, ctx, s.people, s.box, s.in_pool)
    g.add_edges_from(
        (_pid(j, posts), _pid(int(posts.atasan[j]), posts), {"kind": "reports_to"})
        for j in np.flatnonzero(posts.atasan >= 0)
    )
    g.add_edges_from(
        (_pid(j, posts), _nid(int(posts.holder[j]), people), {"kind": "held_by"})
        for j in np.flatnonzero(posts.holder >= 0)
    )
    g.add_edges_from(_successor_edges(ctx, s))
    return g


def _successor_edges(ctx: Context, s: Successors) -> list[tuple[str, str, dict[str, Any]]]:
    """The successor edges as (person, post, attributes), in order."""
    people, posts = ctx.people, ctx.posts
    out = []
    for k, (i, j, code, fit, within, placed) in enumerate(
        zip(
            s.person.tolist(),
            s.post.tolist(),
            s.readiness.tolist(),
            s.fit.tolist(),
            s.within.tolist(),
            s.placed.tolist(),
            strict=True,
        )
    ):
        # Attributes only where they mean something: within_years on ready_soon,
        # failed on later, placed/chain on placements (keeps the exports small).
        attrs: dict[str, Any] = {"kind": "successor", "readiness": READINESS[code], "fit": fit}
        if code == 1:
            attrs["within_years"] = within
        elif code == 2:
            attrs["failed"] = s.failed[k]
        if placed:
            attrs.update(placed=True, chain=s.chain[k])
        out.append((_nid(i, people), _pid(j, posts), attrs))
    return out


def _add_posts(g: nx.DiGraph, ctx: Context, s: Successors) -> None:
    """A node per post, with its bench counts."""
    people, posts = ctx.people, ctx.posts
    focus = focus_posts(posts)
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
            ready_now=int(s.n_now[j]),
            ready_soon=int(s.n_soon[j]),
            ready_now_pool=int(s.n_now_pool[j]),
        )


def _add_people(
    g: nx.DiGraph, ctx: Context, who: np.ndarray, box: np.ndarray, in_pool: np.ndarray
) -> None:
    """A node per person ``who`` names (successors shown, placed people, incumbents)."""
    people, posts = ctx.people, ctx.posts
    for i in who:
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


def _rows(ctx: Context, s: Successors) -> Callable[[int], dict[str, Any]]:
    """Bench strength's line for an edge: the person, and the edge's figures (each person's
    fields read once)."""
    people = ctx.people
    person: dict[int, dict[str, Any]] = {
        i: {
            "nip": str(people.nip[i]),
            "nama": str(people.nama[i]),
            "jenis_jabatan": str(people.jenis_jabatan[i]),
            "unit": str(people.unit[i]),
            "box": int(s.box[i]),
        }
        for i in s.people.tolist()
    }
    who, code, fit, within = (a.tolist() for a in (s.person, s.readiness, s.fit, s.within))

    def row(k: int) -> dict[str, Any]:
        out = dict(person[who[k]])
        if code[k] != 2:
            out["fit"] = round(fit[k], 1)
        if code[k] == 1:
            out["within_years"] = within[k]
        if code[k] == 2:
            out["failed"] = s.failed[k].split("; ")
        return out

    return row


def bench_strength(ctx: Context, s: Successors, names: int = 5) -> list[dict[str, Any]]:
    """Per post (post order): who is ready now, soon and later, counts and the first names.

    Ready now by fit (then NIP); ready soon by years, fit, NIP; later by
    talent box then NIP. One sort of the edges shown (post, readiness, the
    order within), then each post's first ``names`` of each.
    """
    people, posts = ctx.people, ctx.posts
    e = np.flatnonzero(s.readiness < 3)  # a placement not eligible today is no successor
    code, fit = s.readiness[e].astype(np.int64), s.fit[e]
    first = np.where(code == 1, s.within[e], np.where(code == 0, -fit, -s.box[s.person[e]]))
    then = np.where(code == 1, -fit, 0.0)
    order = e[np.lexsort((nip_rank(people)[s.person[e]], then, first, code, s.post[e]))]
    group = s.post[order] * 3 + s.readiness[order]
    start = np.searchsorted(group, np.arange(posts.n * 3 + 1))
    row, ranked = _rows(ctx, s), order.tolist()
    shown: dict[int, list[dict[str, Any]]] = {}
    for a, b, gid in zip(start[:-1].tolist(), start[1:].tolist(), range(posts.n * 3), strict=True):
        if b > a:
            shown[gid] = [row(k) for k in ranked[a : min(b, a + names)]]
    focus = focus_posts(posts)
    out = []
    for j in range(posts.n):
        h = int(posts.holder[j])
        entry: dict[str, Any] = {
            "jabatan_id": str(posts.jabatan_id[j]),
            "nama_jabatan": str(posts.nama[j]),
            "unit": str(posts.unit[j]),
            "jenis_jabatan": str(posts.jenis_jabatan[j]),
            "kritis": bool(posts.kritis[j]),
            "focus": bool(focus[j]),
            "holder": None,
        }
        if h >= 0:
            nip = str(people.nip[h])
            entry["holder"] = {"nip": nip, "nama": str(people.nama[h]), "bup": str(people.bup[h])}
        counts = (int(s.n_now[j]), int(s.n_soon[j]), int(start[3 * j + 3] - start[3 * j + 2]))
        for code, readiness in enumerate((READY_NOW, READY_SOON, LATER)):
            entry[readiness] = {"count": counts[code], "names": shown.get(3 * j + code, [])}
        entry[READY_NOW]["talent_pool"] = int(s.n_now_pool[j])
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


def key_persons(ctx: Context, s: Successors, top: int = 10) -> list[dict[str, Any]]:
    """People whose departure empties the most benches.

    ``sole_within``: posts where they are the only person ready now or soon;
    ``sole_now``: posts where they are the only one ready now. Ranked by
    ``sole_within``, then ``sole_now``, then NIP; people with neither are left
    out. A bench of one keeps its edge (:func:`successors`), so the edges say who.
    """
    people, posts = ctx.people, ctx.posts
    within = s.readiness <= 1
    sole_now: dict[int, list[str]] = {}
    sole_within: dict[int, list[str]] = {}
    for sole, mask in (
        (sole_now, (s.readiness == 0) & (s.n_now[s.post] == 1)),
        (sole_within, within & ((s.n_now + s.n_soon)[s.post] == 1)),
    ):
        for i, j in zip(s.person[mask].tolist(), s.post[mask].tolist(), strict=True):
            sole.setdefault(i, []).append(str(posts.jabatan_id[j]))
    rows = [
        {
            "nip": str(people.nip[i]),
            "nama": str(people.nama[i]),
            "jenis_jabatan": str(people.jenis_jabatan[i]),
            "unit": str(people.unit[i]),
            "bup": str(people.bup[i]),
            "sole_within": sorted(sole_within.get(i, [])),
            "sole_now": sorted(sole_now.get(i, [])),
        }
        for i in set(sole_now) | set(sole_within)
    ]
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


def chain_paths(record: PlanRecord) -> list[dict[str, Any]]:
    """A plan's vacancy chains as paths: the posts in order and who filled each."""
    out = []
    for chain in record.chains:
        steps = chain.steps
        out.append(
            {
                "start": chain.start,
                "end": chain.end,
                "length": chain.length,
                "posts": [s.post.jabatan_id for s in steps],
                "steps": [
                    {
                        "jabatan_id": s.post.jabatan_id,
                        "nama_jabatan": s.post.nama_jabatan,
                        "unit": s.post.unit,
                        "nip": s.filled_by.nip if s.filled_by else None,
                        "nama": s.filled_by.nama if s.filled_by else None,
                        "from_jabatan_id": s.from_jabatan_id,
                    }
                    for s in steps
                ],
            }
        )
    return out
