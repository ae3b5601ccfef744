"""A later horizon year's solve starts from the year before's plan, and the years are the same.

- the start given to year ``k``'s solve is year ``k - 1``'s plan mapped by
  NIP and jabatan_id: exactly its pairs whose person is still there and
  stays in the pool (worked out here from the previous solution and the
  year's own round setup), and a plan of year ``k``'s problem that the
  independent validator accepts (each person and post once, every pair an
  arc, the must-place people placed, objective, moves and fills as stated);
- year 0 (the scenario's own round) has no start;
- a horizon run with the warm start reports every year, plan and chain as
  one run from scratch.

On the demo and on a second synthetic regency (another seed).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

import solvers
from engine.demo import synth
from engine.inputs.progression import load_rank_progression
from engine.plan.pipeline import load_context, round_setup
from engine.succession.horizon import run_horizon

ROOT = Path(__file__).resolve().parents[3]
PROGRESSION = load_rank_progression(ROOT / "rules/kenaikan-pangkat.yaml")
YEARS = 4


@pytest.fixture(scope="module", params=["demo", "seed 7"])
def context(request, tmp_path_factory):
    if request.param == "demo":
        return load_context(ROOT / "scenarios/demo.yaml")
    folder = tmp_path_factory.mktemp("regency")
    synth.write(synth.make_regency(seed=7), folder / "data/demo")
    shutil.copytree(ROOT / "rules", folder / "rules")
    (folder / "scenarios").mkdir()
    shutil.copyfile(ROOT / "scenarios/demo.yaml", folder / "scenarios/demo.yaml")
    return load_context(folder / "scenarios/demo.yaml")


@pytest.fixture(scope="module")
def warm_run(context):
    """The horizon with the warm start, each solve's problem and start recorded."""
    calls = []
    inner = solvers.solve

    def recording(problem, *args, start=None, **kwargs):
        calls.append((problem, start))
        return inner(problem, *args, start=start, **kwargs)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(solvers, "solve", recording)
        hz = run_horizon(context, YEARS, PROGRESSION)
    return hz, calls


def _pairs(ctx, solution) -> set[tuple[str, str]]:
    return {
        (str(ctx.people.nip[i]), str(ctx.posts.jabatan_id[j]))
        for i, j in zip(solution.person.tolist(), solution.post.tolist(), strict=True)
    }


def test_year_0_solves_from_scratch(warm_run):
    _, calls = warm_run
    assert len(calls) == YEARS
    assert calls[0][1] is None


def test_start_is_the_previous_plan_where_its_people_stay(warm_run):
    hz, calls = warm_run
    for k in range(1, YEARS):
        before, year = hz.years[k - 1], hz.years[k]
        ctx = year.context
        leaving = round_setup(ctx).leaving
        staying = {str(n) for n in ctx.people.nip[~leaving]}
        expected = {
            (nip, pid)
            for nip, pid in _pairs(before.context, before.plan.solution)
            if nip in staying
        }
        start = calls[k][1]
        assert start is not None
        assert _pairs(ctx, start) == expected
        assert len(expected) > 100  # most of the organisation: a real start, not an empty one


def test_start_is_a_plan_the_validator_accepts(warm_run):
    hz, calls = warm_run
    for k in range(1, YEARS):
        problem, start = calls[k]
        assert problem is hz.years[k].plan.problem
        assert solvers.validate(problem, start) == []
        # Its people stay where the year before put them: no moves.
        assert start.n_moves == 0
        assert np.all(problem.home[start.person] == start.post)


def test_years_are_the_same_without_the_warm_start(context, warm_run):
    hz, _ = warm_run
    cold = run_horizon(context, YEARS, PROGRESSION, warm=False)
    assert hz.as_dict() == cold.as_dict()
    for warm_year, cold_year in zip(hz.years, cold.years, strict=True):
        a, b = warm_year.plan, cold_year.plan
        assert a.record.placements == b.record.placements
        assert a.record.chains == b.record.chains
        assert a.record.unfilled == b.record.unfilled
        assert np.array_equal(a.solution.arc, b.solution.arc)
        assert a.solution.objective == b.solution.objective
