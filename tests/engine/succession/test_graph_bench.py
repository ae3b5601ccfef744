"""Bench strength and key persons from the readiness pairs as arrays equal a plain per-post reference.

:func:`engine.succession.graph.successors` picks each post's shown edges with
one key per pair and one pick per post, and :func:`bench_strength` /
:func:`key_persons` read them with one sort. The reference here takes each
post's pairs one post at a time, in plain Python: its ready now sorted by fit
to one decimal, then NIP (the first five shown, plus any placement outside
them, then ordered by fit and NIP), its ready soon by years, fit and NIP, its
later by talent box and NIP; key persons from each post's counts. On the demo,
two other synthetic regencies, and each of them with most ready-now pairs
dropped at random (benches of one, so key persons; placements that are not
ready-now pairs), so that every branch has something to agree on.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from engine.demo import synth
from engine.inputs.progression import load_rank_progression
from engine.plan.pipeline import load_context, plan_round
from engine.succession.analysis import analyse
from engine.succession.readiness import current_talent_box, readiness

ROOT = Path(__file__).resolve().parents[3]
PROGRESSION = load_rank_progression(ROOT / "rules/kenaikan-pangkat.yaml")


def _regency(folder: Path, seed: int) -> Path:
    synth.write(synth.make_regency(seed=seed), folder / "data/demo")
    shutil.copytree(ROOT / "rules", folder / "rules")
    (folder / "scenarios").mkdir()
    shutil.copyfile(ROOT / "scenarios/demo.yaml", folder / "scenarios/demo.yaml")
    return folder / "scenarios/demo.yaml"


@pytest.fixture(scope="module", params=["demo", "seed 7", "seed 11"])
def state(request, tmp_path_factory):
    if request.param == "demo":
        path = ROOT / "scenarios/demo.yaml"
    else:
        path = _regency(tmp_path_factory.mktemp("regency"), int(request.param.split()[1]))
    ctx = load_context(path)
    plan = plan_round(ctx, evidence=False)
    tb = current_talent_box(ctx)
    today = (plan.candidates, plan.scores.fit[: len(plan.candidates)])
    box = tb.box if tb else None
    ready = readiness(ctx, progression=PROGRESSION, box=box, today=today, shown=None)
    kept = readiness(ctx, progression=PROGRESSION, box=box, today=today)
    return ctx, plan, ready, kept, tb


def _thinned(ready, seed: int):
    """``ready`` with about one ready-now pair in twelve kept (the order kept)."""
    keep = np.random.default_rng(seed).random(len(ready.now_person)) < 1 / 12
    return replace(
        ready,
        now_person=ready.now_person[keep],
        now_post=ready.now_post[keep],
        now_fit=ready.now_fit[keep],
    )


def _reference(ctx, plan, ready, tb):
    """Bench strength and key persons, one post at a time."""
    people, posts = ctx.people, ctx.posts
    nip = [str(x) for x in people.nip]
    box = tb.box if tb is not None else ready.box
    in_pool = tb.in_pool if tb is not None else np.zeros(people.n, dtype=bool)
    now = {j: [] for j in range(posts.n)}
    soon = {j: [] for j in range(posts.n)}
    later = {j: [] for j in range(posts.n)}
    for i, j, f in zip(ready.now_person, ready.now_post, ready.now_fit, strict=True):
        now[int(j)].append((int(i), float(f)))
    for i, j, f, y in zip(
        ready.soon_person, ready.soon_post, ready.soon_fit, ready.soon_years, strict=True
    ):
        soon[int(j)].append((int(i), float(f), int(y)))
    for i, j, failed in zip(ready.later_person, ready.later_post, ready.later_failed, strict=True):
        later[int(j)].append((int(i), list(failed)))
    index = {str(p): j for j, p in enumerate(posts.jabatan_id)}
    person = {n: i for i, n in enumerate(nip)}
    placed = {(index[str(p.to.jabatan_id)], person[p.nip]) for p in plan.record.placements}

    def row(i, **extra):
        return {
            "nip": nip[i],
            "nama": str(people.nama[i]),
            "jenis_jabatan": str(people.jenis_jabatan[i]),
            "unit": str(people.unit[i]),
            "box": int(box[i]),
            **extra,
        }

    def tenths(f):
        return int(np.rint(f * 10))

    bench, sole_now, sole_within = [], {}, {}
    focus_levels = {"JPT Utama", "JPT Madya", "JPT Pratama", "Administrator"}
    for j in range(posts.n):
        best = sorted(now[j], key=lambda p: (-tenths(p[1]), nip[p[0]]))[:5]
        shown = {i for i, _ in best}
        best += [(i, f) for i, f in now[j] if (j, i) in placed and i not in shown]
        best.sort(key=lambda p: (-p[1], nip[p[0]]))
        early = sorted(soon[j], key=lambda p: (p[2], -tenths(p[1]), nip[p[0]]))[:5]
        early.sort(key=lambda p: (p[2], -p[1], nip[p[0]]))
        near = sorted(later[j], key=lambda p: (-int(box[p[0]]), nip[p[0]]))
        h = int(posts.holder[j])
        bench.append(
            {
                "jabatan_id": str(posts.jabatan_id[j]),
                "nama_jabatan": str(posts.nama[j]),
                "unit": str(posts.unit[j]),
                "jenis_jabatan": str(posts.jenis_jabatan[j]),
                "kritis": bool(posts.kritis[j]),
                "focus": bool(posts.kritis[j]) or str(posts.jenis_jabatan[j]) in focus_levels,
                "holder": None
                if h < 0
                else {"nip": nip[h], "nama": str(people.nama[h]), "bup": str(people.bup[h])},
                "ready_now": {
                    "count": len(now[j]),
                    "names": [row(i, fit=round(f, 1)) for i, f in best[:5]],
                    "talent_pool": sum(1 for i, _ in now[j] if in_pool[i]),
                },
                "ready_soon": {
                    "count": len(soon[j]),
                    "names": [row(i, fit=round(f, 1), within_years=y) for i, f, y in early],
                },
                "later": {
                    "count": len(later[j]),
                    "names": [row(i, failed=failed) for i, failed in near[:5]],
                },
            }
        )
        jid = str(posts.jabatan_id[j])
        if len(now[j]) == 1:
            sole_now.setdefault(now[j][0][0], []).append(jid)
        if len(now[j]) + len(soon[j]) == 1:
            (i,) = [p[0] for p in now[j] + soon[j]]
            sole_within.setdefault(i, []).append(jid)
    key = [
        {
            "nip": nip[i],
            "nama": str(people.nama[i]),
            "jenis_jabatan": str(people.jenis_jabatan[i]),
            "unit": str(people.unit[i]),
            "bup": str(people.bup[i]),
            "sole_within": sorted(sole_within.get(i, [])),
            "sole_now": sorted(sole_now.get(i, [])),
        }
        for i in set(sole_now) | set(sole_within)
    ]
    key.sort(key=lambda r: (-len(r["sole_within"]), -len(r["sole_now"]), r["nip"]))
    return bench, key[:10]


@pytest.mark.parametrize("thin", [None, 1, 2])
def test_bench_and_key_persons_equal_the_per_post_reference(state, thin):
    """The view from readiness as it is kept (each post's first five ready soon, and the
    counts) against the reference over every ready-soon pair."""
    ctx, plan, ready, kept, tb = state
    if thin is not None:
        ready, kept = _thinned(ready, thin), _thinned(kept, thin)
    view = analyse(ctx, plan, ready=kept, progression=PROGRESSION)
    bench, key = _reference(ctx, plan, ready, tb)
    assert len(view.bench) == len(bench) == ctx.posts.n
    for ours, theirs in zip(view.bench, bench, strict=True):
        assert ours == theirs, ours["jabatan_id"]
    assert view.key_persons == key
    # Something to agree on: names of every kind, and key persons once thinned.
    assert sum(len(b["ready_now"]["names"]) for b in bench) > 0
    assert sum(len(b["ready_soon"]["names"]) for b in bench) > 0
    assert sum(len(b["later"]["names"]) for b in bench) > 0
    if thin is not None:
        assert key


def test_thinned_placements_stay_on_the_graph_unranked(state):
    """A placement that is no ready-now pair is an edge ``placed``, in no bench."""
    ctx, plan, _, kept, _ = state
    view = analyse(ctx, plan, ready=_thinned(kept, 1), progression=PROGRESSION)
    kinds = [d["readiness"] for _, _, d in view.graph.edges(data=True) if d.get("placed")]
    assert len(kinds) == len(plan.record.placements)
    assert "placed" in kinds and "ready_now" in kinds
    shown = {(r["nip"], b["jabatan_id"]) for b in view.bench for r in b["ready_now"]["names"]}
    g = view.graph
    for u, v, d in g.edges(data=True):
        if d.get("readiness") == "placed":
            assert (g.nodes[u]["nip"], g.nodes[v]["jabatan_id"]) not in shown
