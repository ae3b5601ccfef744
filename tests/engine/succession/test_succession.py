"""Succession: readiness by hand, the graph's invariants, bench, uncovered posts, key persons, waves."""

from __future__ import annotations

import datetime as dt
import json

import networkx as nx
import numpy as np
import pytest
from factories import ROOT, person, post
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from engine.inputs.derive import shift_years
from engine.inputs.progression import load_rank_progression
from engine.plan.pipeline import load_context, with_state
from engine.report.succession import render_succession
from engine.succession.analysis import analyse
from engine.succession.graph import LATER, READY_NOW, READY_SOON, retirement_waves
from engine.succession.readiness import readiness

RULES = (ROOT / "rules/struktural.yaml").read_text(encoding="utf-8") + (
    ROOT / "rules/golongan.yaml"
).read_text(encoding="utf-8")
PROGRESSION = load_rank_progression(ROOT / "rules/kenaikan-pangkat.yaml")


def _kabid_round():
    """A vacant Administrator post (KABID) and four Kepala Seksi, on 2026-07-01.

    - A: Pengawas since 2019, IV/a, S1: every rule passes -> ready now.
    - B: Pengawas only since 2025-06-01: masa jabatan (2 years) from 2027-06-01,
      pengalaman as Pengawas (3 years) from 2028-05-31: ready within 2 years.
    - C: III/b since 2022-09-01; KABID (III.b) asks at least III/c: the regular
      step falls due 2026-09-01 -> ready within 1 year.
    - D: D3; Administrator asks S1: time does not help -> later (one rule).
    """
    a = person(1)
    b = person(2, tmt_jabatan="2025-06-01")
    c = person(3, golongan="III/b", tmt_golongan="2022-09-01")
    d = person(4, pendidikan="D3")
    seksi = [
        post(f"SEKSI{k}", eselon="IV.a", jenis_jabatan="Pengawas", nip_pemangku=p["nip"])
        for k, p in enumerate((a, b, c, d))
    ]
    return [a, b, c, d], [post("KABID", kritis="ya"), *seksi]


def _edges(g: nx.DiGraph, post_id: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {READY_NOW: set(), READY_SOON: set(), LATER: set()}
    for u, _, data in g.in_edges(f"jabatan:{post_id}", data=True):
        if data["kind"] == "successor":
            out[data["readiness"]].add(g.nodes[u]["nip"])
    return out


def test_readiness_hand_worked(tiny_round):
    people, posts = _kabid_round()
    ctx = load_context(tiny_round(people, posts, RULES))
    s = analyse(ctx, progression=PROGRESSION)
    a, b, c, d = (p["nip"] for p in people)
    assert _edges(s.graph, "KABID") == {READY_NOW: {a}, READY_SOON: {b, c}, LATER: {d}}
    (kabid,) = [x for x in s.bench if x["jabatan_id"] == "KABID"]
    assert kabid[READY_NOW]["count"] == 1
    assert [(r["nip"], r["within_years"]) for r in kabid[READY_SOON]["names"]] == [(c, 1), (b, 2)]
    assert kabid[LATER]["names"][0]["failed"] == ["administrator.pendidikan"]
    # A is the only one ready now: a key person; three are ready within 2 years.
    assert s.key_persons == [
        {
            "nip": a,
            "nama": "Contoh Pegawai 1",
            "jenis_jabatan": "Pengawas",
            "unit": people[0]["unit"],
            "bup": "2033-06-01",
            "sole_within": [],
            "sole_now": ["KABID"],
        }
    ]


def test_without_rank_progression_golongan_does_not_improve(tiny_round):
    people, posts = _kabid_round()
    ctx = load_context(tiny_round(people, posts, RULES))
    ready = readiness(ctx, progression=None)
    c = 2
    assert c not in ready.soon_person.tolist()
    assert c in ready.later_person.tolist()


def test_nobody_succeeds_to_their_own_post(tiny_round):
    """With lateral moves and no rule on Pengawas posts, every Kepala Seksi may take
    another seksi, never their own."""
    people, posts = _kabid_round()
    only_s1 = RULES[: RULES.index("- id: jpt-pratama.pengalaman")]  # JPT pendidikan only
    ctx = load_context(
        tiny_round(people, posts, only_s1, extra="moves: {promotion: true, lateral: true}\n")
    )
    g = analyse(ctx, progression=PROGRESSION).graph
    a = people[0]["nip"]
    assert a in _edges(g, "SEKSI1")[READY_NOW]
    assert a not in set().union(*_edges(g, "SEKSI0").values())
    _assert_no_own_post_edge(g)


def _assert_no_own_post_edge(g: nx.DiGraph) -> None:
    for u, v, data in g.edges(data=True):
        if data["kind"] == "successor":
            assert g.nodes[u]["jabatan_id"] != g.nodes[v]["jabatan_id"], (u, v)
        if data["kind"] == "held_by":
            assert not g.has_edge(v, u)


def _jpt_round():
    """A vacant, critical JPT post; three Administrators who cannot be ready by time alone.

    X and Y are 57 (JPT asks at most 56: age only gets worse); Z has a D3.
    """
    x = person(1, jenis_jabatan="Administrator", tanggal_lahir="1969-05-10")
    y = person(2, jenis_jabatan="Administrator", tanggal_lahir="1969-05-10")
    z = person(3, jenis_jabatan="Administrator", pendidikan="D3")
    adm = [
        post(f"ADM{k}", eselon="III.a", nip_pemangku=p["nip"], atasan_id="KADIS")
        for k, p in enumerate((x, y, z))
    ]
    kadis = post("KADIS", eselon="II.b", jenis_jabatan="JPT Pratama", kritis="ya")
    return [x, y, z], [kadis, *adm]


def test_uncovered_post_names_the_rule_blocking_the_nearest(tiny_round):
    people, posts = _jpt_round()
    ctx = load_context(tiny_round(people, posts, RULES))
    s = analyse(ctx, progression=PROGRESSION)
    by_id = {u["jabatan_id"]: u for u in s.uncovered}
    kadis = by_id["KADIS"]
    assert kadis["blocking_rule"] == "jpt-pratama.usia"
    assert kadis["nearest"] == {
        "failed": 1,
        "people": 3,
        "rules": [
            {"rule": "jpt-pratama.usia", "people": 2},
            {"rule": "jpt-pratama.pendidikan", "people": 1},
        ],
    }
    assert kadis["excluded_by"] == kadis["nearest"]["rules"]
    assert {r["nip"] for r in kadis["later"]} == {p["nip"] for p in people}
    # The reporting line is in the graph.
    assert s.graph.edges["jabatan:ADM0", "jabatan:KADIS"]["kind"] == "reports_to"


def test_retirement_waves_by_year(tiny_round):
    people, posts = _jpt_round()
    ctx = load_context(tiny_round(people, posts, RULES))
    waves = retirement_waves(ctx.people, ctx.posts, ctx.day, 3)
    # Administrators born 1969-05-10 reach BUP 58 on 2027-06-01; Z (born 1975) in 2033.
    assert [w["year"] for w in waves] == [2026, 2027, 2028]
    assert [w["people"] for w in waves] == [0, 2, 0]
    assert waves[1]["by_level"] == {"Administrator": 2}
    assert waves[1]["by_unit"] == {people[0]["unit"]: {"Administrator": 2}}
    assert [p["jabatan_id"] for p in waves[1]["posts"]] == ["ADM0", "ADM1"]
    assert {p["bup"] for p in waves[1]["posts"]} == {"2027-06-01"}


# --------------------------------------------------------------------------
# Monotone in time: a pair ready within 1 year at d is ready now at d + 1 year;
# a pair ready now or soon at d stays ready now or soon at d + 1 year, for
# rule sets whose rules only depend on elapsed time (and static facts).
TIME_RULES = """
- id: t.masa-jabatan
  title: t
  applies_to: {jenis_jabatan: [Administrator, Pengawas]}
  require: {masa_jabatan: {min_years: 2}}
  source: contoh uji
  effective: {from: 2000-01-01}
- id: t.pengalaman
  title: t
  applies_to: {jenis_jabatan: Administrator}
  require: {pengalaman: {levels: [Pelaksana], min_years: 3}}
  source: contoh uji
  effective: {from: 2000-01-01}
- id: t.golongan
  title: t
  applies_to: {jenis_jabatan: Administrator}
  require: {golongan: {min: III/c}}
  source: contoh uji
  effective: {from: 2000-01-01}
- id: t.usia
  title: t
  applies_to: {jenis_jabatan: Pengawas}
  require: {usia: {min: 35}}
  source: contoh uji
  effective: {from: 2000-01-01}
- id: t.hukuman
  title: t
  applies_to: {jenis_jabatan: [Administrator, Pengawas]}
  require: {hukuman_disiplin: {levels: [sedang, berat], lookback_years: 3}}
  source: contoh uji
  effective: {from: 2000-01-01}
- id: t.masa-kerja
  title: t
  applies_to: {jenis_jabatan: Pengawas}
  require: {masa_kerja: {min_years: 8}}
  source: contoh uji
  effective: {from: 2000-01-01}
- id: t.pendidikan
  title: t
  applies_to: {jenis_jabatan: Administrator}
  require: {pendidikan: {min: S1}}
  source: contoh uji
  effective: {from: 2000-01-01}
"""

day_offsets = st.integers(min_value=0, max_value=12 * 365)
staff = st.fixed_dictionaries(
    {
        "born": st.integers(min_value=0, max_value=25 * 365),
        "cpns": day_offsets,
        "tmt_jabatan": day_offsets,
        "tmt_golongan": day_offsets,
        "golongan": st.sampled_from(["III/a", "III/b", "III/c", "III/d"]),
        "pendidikan": st.sampled_from(["D3", "S1"]),
        "sanction_end": st.none() | st.integers(min_value=0, max_value=6 * 365),
    }
)


def _day(base: str, offset: int) -> str:
    return (dt.date.fromisoformat(base) + dt.timedelta(days=offset)).isoformat()


def _staff_row(k: int, s: dict) -> dict[str, str]:
    over = {
        "jenis_jabatan": "Pelaksana",
        "nama_jabatan": "Pelaksana Contoh",
        "tanggal_lahir": _day("1968-01-01", s["born"]),
        "tmt_cpns": _day("2014-07-01", s["cpns"]),
        "tmt_jabatan": _day("2014-07-01", s["tmt_jabatan"]),
        "tmt_golongan": _day("2014-07-01", s["tmt_golongan"]),
        "golongan": s["golongan"],
        "pendidikan": s["pendidikan"],
    }
    if over["tmt_jabatan"] < over["tmt_cpns"]:
        over["tmt_jabatan"] = over["tmt_cpns"]
    if s["sanction_end"] is not None:
        over |= {
            "hukuman_tingkat": "sedang",
            "hukuman_tmt": _day("2020-01-01", s["sanction_end"] - 200),
            "hukuman_selesai": _day("2020-01-01", s["sanction_end"]),
        }
    return person(k + 1, **over)


def _pairs(person_idx: np.ndarray, post_idx: np.ndarray) -> set[tuple[int, int]]:
    return set(zip(person_idx.tolist(), post_idx.tolist(), strict=True))


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(staff, min_size=1, max_size=8))
def test_time_only_readiness_is_monotone(tiny_round, rows):
    people = [_staff_row(k, s) for k, s in enumerate(rows)]
    posts = [post("ADM"), post("PENGAWAS", eselon="IV.a", jenis_jabatan="Pengawas")]
    ctx = load_context(tiny_round(people, posts, TIME_RULES))
    sc = ctx.loaded.scenario
    ready = readiness(ctx, years=2, progression=PROGRESSION, shown=None)
    nxt = sc.model_copy(update={"date": shift_years(sc.date, 1)})
    tables, _ = PROGRESSION.apply(ctx.tables, nxt.date)
    nxt_ctx = with_state(ctx, nxt, tables)
    ready_next = readiness(nxt_ctx, years=2, progression=PROGRESSION, shown=None)

    now = _pairs(ready.now_person, ready.now_post)
    soon = _pairs(ready.soon_person, ready.soon_post)
    within1 = _pairs(
        ready.soon_person[ready.soon_years == 1], ready.soon_post[ready.soon_years == 1]
    )
    now_next = _pairs(ready_next.now_person, ready_next.now_post)
    soon_next = _pairs(ready_next.soon_person, ready_next.soon_post)
    assert now <= now_next
    assert within1 <= now_next
    assert soon <= now_next | soon_next
    assert not now & soon
    event(f"soon pairs: {bool(soon)}, within 1 year: {bool(within1)}")


def test_ready_soon_agrees_with_the_counterfactual_dates(tiny_round):
    """Every hard rule a ready-soon person fails has a from_date within the window."""
    from engine.eligibility.candidates import verdicts

    people, posts = _kabid_round()
    ctx = load_context(tiny_round(people, posts, RULES))
    ready = readiness(ctx, years=2, progression=PROGRESSION)
    limit = shift_years(ctx.day, 2)
    assert len(ready.soon_person) == 2
    for i, j in zip(ready.soon_person, ready.soon_post, strict=True):
        failing = [
            v
            for v in verdicts(ctx.people, ctx.posts, ctx.ruleset, ctx.taxonomy, ctx.day, i, j)
            if v.hard and v.verdict != "PASS"
        ]
        assert failing
        assert all(
            v.counterfactual.from_date and v.counterfactual.from_date <= limit for v in failing
        )


# --------------------------------------------------------------------------
@pytest.fixture(scope="module")
def demo():
    ctx = load_context(ROOT / "scenarios/demo.yaml")
    return analyse(ctx, progression=PROGRESSION)


@pytest.fixture(scope="module")
def demo_texts(demo):
    return render_succession(demo, "en")


def test_demo_graph_invariants_and_exports(demo, demo_texts):
    g = demo.graph
    _assert_no_own_post_edge(g)
    # Node counts on posts agree with the readiness arrays.
    now, soon = demo.ready.counts(demo.context.posts.n)
    for j, pid in enumerate(demo.context.posts.jabatan_id):
        attrs = g.nodes[f"jabatan:{pid}"]
        assert (attrs["ready_now"], attrs["ready_soon"]) == (now[j], soon[j])
    texts = demo_texts
    back = nx.parse_graphml(texts["succession.graphml"])
    assert back.number_of_nodes() == g.number_of_nodes()
    assert back.number_of_edges() == g.number_of_edges()
    linked = nx.node_link_graph(json.loads(texts["succession-graph.json"]), edges="edges")
    assert set(linked.edges) == set(g.edges)
    data = json.loads(texts["succession.json"])
    assert data["summary"]["focus_without_ready_successor"] == len(demo.uncovered)


def test_demo_bench_fit_is_the_pairs_own_fit(demo):
    """A ready-soon pair's fit is scored with the soft rules that pair fails today.

    The expected fit comes from tests/fit_oracle.py (the documented rule and
    rules/bobot.yaml, one pair at a time), not from engine.scoring.fit.
    """
    from fit_oracle import fit_by_hand, weights_in_force

    from engine.eligibility.candidates import verdicts

    ctx, ready = demo.context, demo.ready
    weights = weights_in_force(ROOT / "rules/bobot.yaml", ctx.day)
    pick = np.linspace(0, len(ready.soon_person) - 1, 25).astype(int)
    penalised = 0
    for k in pick:
        i, j = int(ready.soon_person[k]), int(ready.soon_post[k])
        vs = verdicts(ctx.people, ctx.posts, ctx.ruleset, ctx.taxonomy, ctx.day, i, j)
        penalty = sum(v.penalty for v in vs if not v.hard and v.verdict != "PASS")
        penalised += penalty > 0
        fit = fit_by_hand(ctx.people, ctx.posts, ctx.taxonomy, weights, i, j, penalty)
        assert ready.soon_fit[k] == pytest.approx(fit, abs=1e-9), (i, j)
    assert penalised > 0  # some picked pairs fail a soft rule: the penalty is checked too


def test_readiness_reuses_a_plans_own_candidates():
    """Today's pairs from the plan (a province round is not searched twice) change nothing."""
    from engine.plan.pipeline import build_plan

    plan = build_plan(ROOT / "scenarios/demo.yaml")
    ctx = plan.context
    n = len(plan.candidates)
    fresh = readiness(ctx)
    reused = readiness(ctx, today=(plan.candidates, plan.scores.fit[:n]))
    for name in (
        "now_person",
        "now_post",
        "now_fit",
        "soon_person",
        "soon_post",
        "soon_fit",
        "soon_years",
        "later_person",
        "later_post",
        "n_soon",
    ):
        assert np.array_equal(getattr(fresh, name), getattr(reused, name)), name
    assert fresh.excluded == reused.excluded and fresh.nearest == reused.nearest
    assert len(fresh.soon_person) > 0  # the demo has people ready soon: the check bites
