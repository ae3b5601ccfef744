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
posts and writes in a second. From it: bench strength per post, the
critical and JPT/Administrator posts with nobody ready within the window
(and the rule that blocks the nearest candidates), key persons (the only
ready successor of posts), retirement waves by year from BUP, and a plan's
vacancy chains as paths. Rendering them is :mod:`engine.report.succession`'s.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import networkx as nx
import numpy as np

import solvers
from engine.inputs import scales
from engine.inputs.derive import People, Posts
from engine.plan.pipeline import Context, KeptPlan, Plan
from engine.plan.records import PlanRecord
from engine.scoring.talent import TalentBox
from engine.succession.readiness import Readiness, in_sorted

__all__ = [
    "FOCUS_LEVELS",
    "LATER",
    "READY_NOW",
    "READY_SOON",
    "bench_strength",
    "chain_paths",
    "focus_posts",
    "key_persons",
    "retirement_waves",
    "successor_graph",
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
    people, posts = ctx.people, ctx.posts
    g = nx.DiGraph(date=ctx.day.isoformat(), window_years=ready.years)
    box = tb.box if tb is not None else ready.box
    in_pool = tb.in_pool if tb is not None else np.zeros(people.n, dtype=bool)
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
    _add_posts(g, ctx, ready, in_pool)
    placed = (
        np.array([p.nip for p in plan.record.placements], dtype=object)
        if plan is not None
        else np.zeros(0, dtype=object)
    )
    involved = np.isin(people.nip, placed)
    for arr in (ready.now_person[now], ready.soon_person[soon], ready.later_person, posts.holder):
        involved[arr[arr >= 0]] = True
    _add_people(g, ctx, np.flatnonzero(involved), box, in_pool)
    for j in np.flatnonzero(posts.atasan >= 0):
        g.add_edge(_pid(j, posts), _pid(int(posts.atasan[j]), posts), kind="reports_to")
    for j in np.flatnonzero(posts.holder >= 0):
        g.add_edge(_pid(j, posts), _nid(int(posts.holder[j]), people), kind="held_by")
    _add_successors(g, ctx, ready, now, soon)
    if plan is not None:
        _mark_placements(g, plan, ready, ctx)
    return g


def _add_posts(g: nx.DiGraph, ctx: Context, ready: Readiness, in_pool: np.ndarray) -> None:
    """A node per post, with its bench counts."""
    people, posts = ctx.people, ctx.posts
    focus = focus_posts(posts)
    n_now, n_soon = ready.counts(posts.n)
    n_now_pool = np.bincount(ready.now_post[in_pool[ready.now_person]], minlength=posts.n)
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


def _add_successors(
    g: nx.DiGraph, ctx: Context, ready: Readiness, now: np.ndarray, soon: np.ndarray
) -> None:
    """The successor edges kept: ``now`` and ``soon`` (indices into ``ready``'s pairs), every later one."""
    people, posts = ctx.people, ctx.posts

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


def _mark_placements(g: nx.DiGraph, plan: Plan | KeptPlan, ready: Readiness, ctx: Context) -> None:
    """Mark each placement on its edge; add the edge if the top-N cut left it out."""
    people, posts = ctx.people, ctx.posts
    chain_of: dict[tuple[str, str], str] = {}
    for chain in plan.record.chains:
        for step in chain.steps:
            if step.filled_by:
                chain_of[(step.filled_by.nip, str(step.post.jabatan_id))] = chain.start
    person_of = {nip: i for i, nip in enumerate(people.nip)}
    post_of = {pid: j for j, pid in enumerate(posts.jabatan_id)}
    placed_keys = np.array(
        [post_of[p.to.jabatan_id] * people.n + person_of[p.nip] for p in plan.record.placements],
        dtype=np.int64,
    )
    # Today's pairs come sorted by post, then person.
    eligible_now = in_sorted(
        placed_keys, ready.now_post.astype(np.int64) * people.n + ready.now_person
    )
    for p, eligible in zip(plan.record.placements, eligible_now.tolist(), strict=True):
        u, v = f"pegawai:{p.nip}", f"jabatan:{p.to.jabatan_id}"
        chain = chain_of.get((p.nip, str(p.to.jabatan_id)), "")
        if not g.has_edge(u, v):
            # A placement is an eligible pair of the same round: ready now.
            g.add_edge(
                u,
                v,
                kind="successor",
                readiness=READY_NOW if eligible else "placed",
                fit=float(p.fit),
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
        by: dict[str, list[tuple[tuple, str, dict[str, Any]]]] = {
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
            by[data["readiness"]].append((key, u, data))  # a row only for the names shown
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
                "names": [_person(g, u, data) for _, u, data in rows[:names]],
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
