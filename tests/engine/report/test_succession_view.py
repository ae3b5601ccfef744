"""The plan report's bench strength is talenta succession's (issue 15, item 8).

Both come from one computation (engine.succession.analysis.analyse): the
report's view of the plan's own round (engine.report.render.succession_view)
and year 0 of a horizon (engine.succession.analysis.succession_of). With the
same rank progression they must agree post for post: ready now, ready soon,
later, the talent-pool count and the names shown. Checked on the demo and on
a second synthetic regency (another seed of the generator).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from engine.demo import synth
from engine.inputs.progression import load_rank_progression
from engine.plan.pipeline import load_context, plan_round
from engine.report.render import succession_view
from engine.succession.analysis import succession_of

ROOT = Path(__file__).resolve().parents[3]
PROGRESSION = load_rank_progression(ROOT / "rules/kenaikan-pangkat.yaml")


def _other_regency(folder: Path) -> Path:
    synth.write(synth.make_regency(seed=7), folder / "data/demo")
    shutil.copytree(ROOT / "rules", folder / "rules")
    (folder / "scenarios").mkdir()
    shutil.copyfile(ROOT / "scenarios/demo.yaml", folder / "scenarios/demo.yaml")
    return folder / "scenarios/demo.yaml"


@pytest.fixture(scope="module", params=["demo", "seed 7"])
def scenario(request, tmp_path_factory) -> Path:
    if request.param == "demo":
        return ROOT / "scenarios/demo.yaml"
    return _other_regency(tmp_path_factory.mktemp("regency"))


def test_the_reports_bench_is_successions_for_every_post(scenario):
    report = succession_view(plan_round(load_context(scenario)), PROGRESSION)
    succession = succession_of(load_context(scenario), PROGRESSION, 1)
    assert len(report.bench) == load_context(scenario).posts.n
    by_post = {b["jabatan_id"]: b for b in succession.bench}
    assert set(by_post) == {b["jabatan_id"] for b in report.bench}
    for b in report.bench:
        assert b == by_post[b["jabatan_id"]], b["jabatan_id"]
    # Something to agree on: benches of every kind, and posts that differ.
    assert sum(b["ready_soon"]["count"] for b in report.bench) > 0
    assert sum(b["later"]["count"] for b in report.bench) > 0
    assert len({b["ready_now"]["count"] for b in report.bench}) > 5
    assert report.uncovered == succession.uncovered


def test_without_the_progression_ready_soon_differs(scenario):
    """The progression is what moved 'ready soon' apart before: the test above can fail."""
    plan = plan_round(load_context(scenario))
    without = succession_view(plan)
    with_it = succession_view(plan, PROGRESSION)
    assert [b["ready_now"] for b in without.bench] == [b["ready_now"] for b in with_it.bench]
    assert [b["ready_soon"]["count"] for b in without.bench] != [
        b["ready_soon"]["count"] for b in with_it.bench
    ]
