"""The pipeline end to end: a tiny hand-worked round, invariants on random rounds, the demo."""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil

import numpy as np
from factories import ROOT, person, post
from fit_oracle import fit_by_hand, weights_in_force
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import solvers
from engine.eligibility.candidates import verdicts
from engine.plan.pipeline import build_plan
from engine.report.render import render

RULES = (ROOT / "rules/struktural.yaml").read_text(encoding="utf-8") + (
    ROOT / "rules/golongan.yaml"
).read_text(encoding="utf-8")


def test_vacancy_chain_in_one_solve(tiny_round):
    """A vacant Administrator post is filled by the best Kepala Seksi, whose seksi
    is then filled by a Pelaksana: a chain of two moves from one solve."""
    kasi = person(1, jpm="90")  # Pengawas since 2019, IV/a, S1 Teknik Sipil: eligible for III.b
    kasi2 = person(2, jpm="60", tanggal_lahir="1976-01-01")
    staf = person(
        3,
        jenis_jabatan="Pelaksana",
        golongan="III/c",
        tmt_jabatan="2015-01-01",
        jpm="80",
        tanggal_lahir="1985-01-01",
    )
    posts = [
        post("KABID"),
        post(
            "SEKSI1",
            eselon="IV.a",
            jenis_jabatan="Pengawas",
            atasan_id="KABID",
            nip_pemangku=kasi["nip"],
        ),
        post(
            "SEKSI2",
            eselon="IV.a",
            jenis_jabatan="Pengawas",
            atasan_id="KABID",
            nip_pemangku=kasi2["nip"],
        ),
    ]
    scenario = tiny_round([kasi, kasi2, staf], posts, RULES)
    plan = build_plan(scenario)
    data = plan.record.to_dict()
    assert data["status"] == "OPTIMAL"
    moves = {(p["nip"], p["to"]["jabatan_id"]) for p in data["placements"]}
    assert moves == {(kasi["nip"], "KABID"), (staf["nip"], "SEKSI1")}
    (chain,) = data["chains"]
    assert [s["post"]["jabatan_id"] for s in chain["steps"]] == ["KABID", "SEKSI1"]
    assert chain["end"] == "outside" and chain["length"] == 2
    assert data["unfilled"] == []
    short = data["shortlists"]["KABID"]
    assert short[0]["nip"] == kasi["nip"] and short[0]["chosen"] and short[0]["price"] == 0
    assert short[1]["nip"] == kasi2["nip"] and short[1]["price"] > 0
    assert solvers.validate(plan.problem, plan.solution) == []


def test_unfilled_post_names_the_blocking_rule(tiny_round):
    young = person(1, tmt_jabatan="2025-06-01")  # under 2 years in post: cannot move up
    posts = [
        post("KABID"),
        post("SEKSI", eselon="IV.a", jenis_jabatan="Pengawas", nip_pemangku=young["nip"]),
    ]
    plan = build_plan(tiny_round([young], posts, RULES))
    (u,) = plan.record.to_dict()["unfilled"]  # as plan.json holds it
    assert u["post"]["jabatan_id"] == "KABID" and u["reason"] == "no_eligible_person"
    # 1.1 years as Pengawas (no history): short of both 3 years' experience and 2 years in post.
    assert u["excluded_by"] == [
        {"rule": "administrator.pengalaman", "people": 1},
        {"rule": "struktural.masa-jabatan", "people": 1},
    ]


def test_retiring_incumbent_opens_the_post(tiny_round):
    old = person(
        1, tanggal_lahir="1968-06-15", jenis_jabatan="Administrator"
    )  # BUP 58 on 2026-07-01
    kasi = person(2)
    posts = [
        post("KABID", nip_pemangku=old["nip"]),
        post("SEKSI", eselon="IV.a", jenis_jabatan="Pengawas", nip_pemangku=kasi["nip"]),
    ]
    plan = build_plan(tiny_round([old, kasi], posts, RULES, extra="  retiring_before: 2026-08-01"))
    assert plan.summary.leaving_at_bup == 1
    assert {p.to.jabatan_id for p in plan.record.placements} == {"KABID"}
    assert plan.record.unfilled[0].post.jabatan_id == "SEKSI"
    assert plan.record.unfilled[0].opened_by == "chain"


LEVELS = st.sampled_from(
    [
        ("Pelaksana", "III/a"),
        ("Pelaksana", "III/c"),
        ("Fungsional Ahli Muda", "III/d"),
        ("Pengawas", "III/d"),
        ("Pengawas", "IV/a"),
        ("Administrator", "IV/a"),
    ]
)


@st.composite
def rounds(draw):
    n = draw(st.integers(2, 9))
    people = []
    for k in range(n):
        level, gol = draw(LEVELS)
        people.append(
            person(
                k + 1,
                jenis_jabatan=level,
                golongan=gol,
                pendidikan=draw(st.sampled_from(["D3", "S1", "S2"])),
                jurusan=draw(
                    st.sampled_from(["Teknik Sipil", "Akuntansi", "Arsitektur", "Ilmu Hukum"])
                ),
                skp_2025=draw(st.sampled_from(["Baik", "Sangat Baik", "Butuh Perbaikan", ""])),
                jpm=str(draw(st.integers(50, 95))),
                tmt_jabatan=draw(st.sampled_from(["2018-01-01", "2023-01-01", "2025-03-01"])),
                tanggal_lahir=f"{draw(st.integers(1968, 1990))}-0{draw(st.integers(1, 9))}-1{draw(st.integers(0, 9))}",
            )
        )
    posts = [post("KABID", eselon="III.b"), post("KABID2", eselon="III.a")]
    for k, p in enumerate(people):
        if p["jenis_jabatan"] in {"Pengawas", "Administrator"}:
            eselon = "IV.a" if p["jenis_jabatan"] == "Pengawas" else "III.b"
            posts.append(
                post(
                    f"P{k}",
                    eselon=eselon,
                    jenis_jabatan=p["jenis_jabatan"],
                    nip_pemangku=p["nip"],
                    bidang=draw(st.sampled_from(["Teknik Sipil", "Akuntansi", "Hukum"])),
                )
            )
    posts += [
        post(f"V{k}", eselon="IV.b", jenis_jabatan="Pengawas")
        for k in range(draw(st.integers(0, 3)))
    ]
    return people, posts, draw(st.booleans())


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rounds())
def test_every_placement_passes_every_hard_rule(tiny_round, case):
    people, posts, lateral = case
    extra = (
        "  retiring_before: 2026-12-01\nmoves: {promotion: true, lateral: "
        + ("true" if lateral else "false")
        + "}"
    )
    plan = build_plan(tiny_round(people, posts, RULES, extra=extra))
    ctx = plan.context
    index = {n: i for i, n in enumerate(ctx.people.nip)}
    post_index = {p: j for j, p in enumerate(ctx.posts.jabatan_id)}
    seen_people, seen_posts = set(), set()
    for p in plan.record.placements:
        i, j = index[p.nip], post_index[p.to.jabatan_id]
        assert i not in seen_people and j not in seen_posts
        seen_people.add(i)
        seen_posts.add(j)
        for v in verdicts(ctx.people, ctx.posts, ctx.ruleset, ctx.taxonomy, ctx.day, i, j):
            assert not v.hard or v.verdict == "PASS", (p.nip, p.to.jabatan_id, v.rule_id)
    # Every incumbent who does not retire still holds a post.
    chosen = set(zip(plan.solution.person.tolist(), plan.solution.post.tolist(), strict=True))
    placed = {i for i, _ in chosen}
    for holder in ctx.posts.holder:
        if holder >= 0 and ctx.people.bup[holder] >= np.datetime64("2026-12-01"):
            assert holder in placed
    assert solvers.validate(plan.problem, plan.solution) == []
    # The optimum is never below a greedy plan, in the objective's own
    # (lexicographic) order: posts filled per tier, highest tier first, then score.
    greedy = solvers.greedy(plan.problem)

    def key(sol):
        tiers = sorted(set(sol.filled) | set(plan.solution.filled), reverse=True)
        return (tuple(sol.filled.get(t, 0) for t in tiers), sol.objective)

    assert key(plan.solution) >= key(greedy)


def _bup_by_hand(born: str, jenis: str) -> dt.date:
    """rules/bup.yaml: 60 for JPT and Ahli Madya, 65 for Ahli Utama, else 58; the first
    day of the month after that birthday."""
    age = {"Fungsional Ahli Madya": 60, "Fungsional Ahli Utama": 65}.get(jenis, 58)
    age = 60 if jenis.startswith("JPT") else age
    b = dt.date.fromisoformat(born)
    return dt.date(b.year + age + (b.month == 12), b.month % 12 + 1, 1)


def test_demo_round_end_to_end(tmp_path):
    plan = build_plan(ROOT / "scenarios/demo.yaml")
    # As plan.json holds it: the contract other systems read.
    s, data = plan.summary.model_dump(), plan.record.to_dict()
    assert data["status"] == "OPTIMAL"
    # Counted from the CSV files, not from the plan: the demo's posts, the vacant ones
    # and those whose holder reaches BUP before the scenario's cut-off (2027-07-01).
    pegawai = {r["nip"]: r for r in csv.DictReader((ROOT / "data/demo/pegawai.csv").open())}
    jabatan = list(csv.DictReader((ROOT / "data/demo/jabatan.csv").open()))
    vacant = [r for r in jabatan if not r["nip_pemangku"]]
    leaving = [
        r
        for r in jabatan
        if r["nip_pemangku"]
        and _bup_by_hand(
            pegawai[r["nip_pemangku"]]["tanggal_lahir"], pegawai[r["nip_pemangku"]]["jenis_jabatan"]
        )
        < dt.date(2027, 7, 1)
    ]
    assert s["posts"] == len(jabatan)
    assert s["posts_opened"] == len(vacant) + len(leaving)
    assert s["leaving_at_bup"] == len(leaving)
    # Accounting of the placements: each fills one post; a placed holder frees another.
    placements = data["placements"]
    vacated = [p for p in placements if p["from"]["jabatan_id"] is not None]
    assert s["posts_filled"] == s["moves"] == len(placements)
    assert s["posts_vacated_by_moves"] == len(vacated)
    assert s["posts_unfilled"] == len(data["unfilled"])
    assert s["posts_filled"] + s["posts_unfilled"] == s["posts_opened"] + len(vacated)
    assert s["promotions"] + s["from_outside"] == s["moves"]  # the demo allows no lateral move
    assert s["chains"] == len(data["chains"])
    assert s["longest_chain"] == max(c["length"] for c in data["chains"])
    # Every fit a committee reads, recomputed by the independent oracle (tests/fit_oracle.py)
    # with the penalties of the soft rules each placement fails (rules/struktural.yaml etc.).
    ctx = plan.context
    weights = weights_in_force(ROOT / "rules/bobot.yaml", ctx.day)
    person = {n: i for i, n in enumerate(ctx.people.nip)}
    post_ = {pid: j for j, pid in enumerate(ctx.posts.jabatan_id)}
    penalty_of = {r.rule.id: (0.0 if r.rule.hard else r.rule.penalty) for r in ctx.ruleset.rules}
    for p in placements:
        i, j = person[p["nip"]], post_[p["to"]["jabatan_id"]]
        penalty = sum(penalty_of[rid] for rid in p["soft_rules_failed"])
        assert p["penalty"] == penalty, p["nip"]
        assert p["fit"] == fit_by_hand(ctx.people, ctx.posts, ctx.taxonomy, weights, i, j, penalty)
    assert s["mean_fit"] == round(sum(p["fit"] for p in placements) / len(placements), 1)
    assert set(data) >= {
        "placements",
        "unfilled",
        "chains",
        "shortlists",
        "objective",
        "status",
        "manifest",
    }
    assert all(len(v) <= 3 for v in plan.record.shortlists.values())
    texts = render(plan)
    json.loads(texts["plan.json"])
    assert "<script" not in texts["report.html"].lower()


def test_plan_json_is_byte_identical_and_independent_of_folder(tmp_path):
    a = render(build_plan(ROOT / "scenarios/demo.yaml"))["plan.json"]
    # The same inputs copied elsewhere give the same bytes.
    copy = tmp_path / "repo"
    for sub in ("scenarios", "rules", "data"):
        shutil.copytree(ROOT / sub, copy / sub)
    b = render(build_plan(copy / "scenarios/demo.yaml"))["plan.json"]
    assert a == b
