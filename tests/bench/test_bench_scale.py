"""Smoke test of bench/bench_scale.py: one small round through the CLI (not timed)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("bench_scale", ROOT / "bench/bench_scale.py")
assert _spec is not None and _spec.loader is not None
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)


@pytest.mark.parametrize("command", ["plan", "succession"])
def test_a_small_round_runs_through_the_cli_with_its_steps(tmp_path: Path, command: str):
    out = tmp_path / "curve.json"
    bench.main(
        ["--command", command, "--sizes", "400", "--seeds", "7", "--no-demo", "--json", str(out)]
    )
    (run,) = json.loads(out.read_text(encoding="utf-8"))["runs"]
    assert (run["people"], run["posts"], run["seed"]) == (400, 100, 7)
    assert run["code"] == 0 and not run["killed"], run["stderr"]
    assert run["outputs_ok"]
    assert run["peak_mb"] > 0 and run["wall_s"] > 0
    steps = run["steps"]
    assert steps["load_context"]["calls"] == 1
    assert steps["publish"]["calls"] == 1
    if command == "plan":
        for name in ("solve", "shortlist prices", "greedy baseline", "render"):
            assert steps[name]["calls"] >= 1, name
    else:  # --horizon 5: a round per year, year 0's whole bench, later years' bare
        # posts, the tables moved on between rounds, the pictures once
        steps_called = (
            ("yearly rounds", 5),
            ("readiness", 1),
            ("bare posts (years 1+)", 4),
            ("tables moved on", 4),
            ("bench picture", 1),
        )
        for name, calls in steps_called:
            assert steps[name]["calls"] == calls, name
    assert all(
        0 < step["peak_mb"] <= run["peak_mb"] + 1 for step in steps.values() if step["calls"]
    )
    # Each step's CPU seconds beside its wall time, within the process's own.
    assert all(0 <= step["cpu_s"] <= run["cpu_s"] + 1 for step in steps.values())
    assert steps["yearly rounds" if command == "succession" else "plan_round"]["cpu_s"] > 0


def test_a_run_over_its_time_is_killed_and_reported(tmp_path: Path):
    got = bench.run_child(["sleep", "30"], timeout=0.5)
    assert got["killed"] and got["wall_s"] < 10
    assert bench._status(got).startswith("killed after")


def test_the_project_is_compiled_before_anything_is_measured():
    said = bench.compile_project()
    assert "compiled before measuring" in said
    for module in ("engine/cli.py", "engine/plan/pipeline.py", "solvers/solver.py"):
        source = ROOT / module
        compiled = Path(importlib.util.cache_from_source(str(source)))
        assert compiled.is_file(), module
        header = compiled.read_bytes()[:16]  # magic, flags, the source's mtime and size
        assert int.from_bytes(header[8:12], "little") == int(source.stat().st_mtime) & 0xFFFFFFFF
