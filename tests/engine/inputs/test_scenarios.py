"""The sample what-ifs on the demo: each runs, and compare says what a hand count of the data says."""

from __future__ import annotations

import csv
import datetime as dt

import pytest
from factories import ROOT

import solvers
from engine.plan.compare import compare_plans
from engine.plan.pipeline import build_plan
from engine.report.render import LABELS

SCENARIOS = sorted(p.name for p in (ROOT / "scenarios").glob("*.yaml"))


@pytest.fixture(scope="module")
def baseline():
    return build_plan(ROOT / "scenarios/demo.yaml").record


@pytest.mark.parametrize("name", SCENARIOS)
def test_every_sample_scenario_runs(name):
    plan = build_plan(ROOT / "scenarios" / name)
    # The sample rounds are small (a regency): each solves to a proven optimum.
    assert plan.record.status == "OPTIMAL"
    objective = plan.record.objective
    assert objective.bound == objective.value and objective.gap == 0.0
    # The plan passes the checker written apart from every solver.
    assert solvers.validate(plan.problem, plan.solution) == []
    # The objective shown is the solver's integer objective, in fit x 10
    # (engine.scoring.fit.SCALE), to one decimal.
    assert plan.solution.objective == round(objective.value * 10)


def _bup(born: str, level: str) -> dt.date:
    """Retirement date by hand: BUP age from rules/bup.yaml, first of the next month."""
    age = 60 if level in {"JPT Pratama", "Fungsional Ahli Madya"} else 58
    b = dt.date.fromisoformat(born)
    month = b.month + 1
    return dt.date(b.year + age + (month > 12), (month - 1) % 12 + 1, 1)


def test_bup_2028_opens_the_posts_a_hand_count_predicts(baseline):
    people = {
        r["nip"]: r for r in csv.DictReader((ROOT / "data/demo/pegawai.csv").open(encoding="utf-8"))
    }
    posts = list(csv.DictReader((ROOT / "data/demo/jabatan.csv").open(encoding="utf-8")))
    vacant = sum(1 for p in posts if not p["nip_pemangku"])

    def leaving_before(day: dt.date) -> int:
        return sum(
            1
            for p in posts
            if p["nip_pemangku"]
            and _bup(people[p["nip_pemangku"]]["tanggal_lahir"], p["jenis_jabatan"]) < day
        )

    wave = build_plan(ROOT / "scenarios/bup-2028.yaml").record
    assert baseline.summary.posts_opened == vacant + leaving_before(dt.date(2027, 7, 1))
    assert wave.summary.posts_opened == vacant + leaving_before(dt.date(2029, 1, 1))
    c = compare_plans([baseline, wave], LABELS["en"], "en")
    opened = dict(c.kpis)["posts_opened"]
    assert opened == [baseline.summary.posts_opened, wave.summary.posts_opened]
    assert any(line.startswith("Posts opened:") for line in c.lines)


def test_jpt_s2_places_only_s2_in_jpt_and_the_rule_bites(baseline):
    people = {
        r["nip"]: r for r in csv.DictReader((ROOT / "data/demo/pegawai.csv").open(encoding="utf-8"))
    }
    s2 = build_plan(ROOT / "scenarios/jpt-s2.yaml").record
    jpt = [p for p in s2.placements if p.to.jenis_jabatan == "JPT Pratama"]
    assert jpt and all(people[p.nip]["pendidikan"] in {"S2", "S3"} for p in jpt)
    base_s1 = [
        p
        for p in baseline.placements
        if p.to.jenis_jabatan == "JPT Pratama" and people[p.nip]["pendidikan"] in {"S1", "D4"}
    ]
    c = compare_plans([baseline, s2], LABELS["en"], "en")
    (rule,) = [r for r in c.rules if r["rule"] == "jpt-pratama.pendidikan"]
    assert rule["changed_in"] == ["JPT Pratama wajib S2"]
    # Under S1 the rule excluded nobody holding S1; under S2 it excludes at least
    # the S1 holders the baseline placed in JPT posts.
    assert rule["exclusions"][1] > rule["exclusions"][0]
    moved = {p["jabatan_id"] for p in c.posts}
    assert {p.to.jabatan_id for p in base_s1} <= moved
    assert "Rule jpt-pratama.pendidikan is changed by scenario JPT Pratama wajib S2." in c.lines
