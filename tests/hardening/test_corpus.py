"""Every bad input of the corpus gets a clear error: file, where, found, allowed; never a traceback.

In-process, each case goes through the scenario (``load_context``, what
``talenta plan`` does first) and through ``talenta check`` (``check_paths``).
A subset goes through the real command line in subprocesses, which must
exit with code 2, print the message, show no traceback and write no output.
"""

from __future__ import annotations

import collections
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hardening.corpus import CASES, Case
from hardening.project import Project, build_baseline

from engine.check import check_paths
from engine.errors import InputError, Problem
from engine.plan.pipeline import load_context

ERROR_CASES = [c for c in CASES if c.accepted is None]
CLI_CASES = [c for c in CASES if c.cli]


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_baseline(tmp_path_factory.mktemp("baseline") / "project")


def spoil(case: Case, baseline: Path, folder: Path) -> Project:
    root = folder / "project"
    shutil.copytree(baseline, root)
    project = Project(root)
    case.spoil(project)
    return project


def assert_reported(case: Case, problems: list[Problem]) -> None:
    text = "\n".join(str(p) for p in problems)
    assert problems, f"{case.name}: no problem reported"
    for expected in case.expect:
        assert expected in text, f"{case.name}: {expected!r} not in:\n{text}"
    name = Path(case.file).name
    ours = [p for p in problems if Path(p.file).name == name]
    assert ours, f"{case.name}: no problem names {name}:\n{text}"
    if case.located:
        assert any(p.line or p.row or p.column for p in ours), (
            f"{case.name}: no line, row or key given:\n{text}"
        )
    assert "Traceback" not in text


def test_baseline_is_valid(baseline: Path) -> None:
    ctx = load_context(baseline / "scenarios/round.yaml")
    assert ctx.tables.notes == []
    assert check_paths([baseline]).problems == []


def test_corpus_covers_every_kind_of_input() -> None:
    census = collections.Counter(c.kind for c in ERROR_CASES)
    assert len(ERROR_CASES) >= 60, census
    for kind in (
        "pegawai-csv",
        "pegawai-xlsx",
        "jabatan-csv",
        "jabatan-xlsx",
        "rules",
        "taxonomy",
        "weights",
        "bup",
        "talent-box",
        "scenario",
    ):
        assert census[kind] >= 2, kind
    assert len(CLI_CASES) >= 10


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case(case: Case, baseline: Path, tmp_path: Path) -> None:
    project = spoil(case, baseline, tmp_path)
    targets = [project.root / t for t in case.check_targets]
    if case.accepted is not None:
        ctx = load_context(project.scenario)
        assert case.accepted in "\n".join(ctx.tables.notes) + "\n", ctx.tables.notes
        if "check" in case.via:
            assert check_paths(targets).problems == []
        return
    if "plan" in case.via:
        with pytest.raises(InputError) as info:
            load_context(project.scenario)
        assert_reported(case, info.value.problems)
    if "check" in case.via:
        assert_reported(case, check_paths(targets).problems)


def test_python_tags_never_run(baseline: Path, tmp_path: Path) -> None:
    """A !!python tag is reported, not constructed: the command in it never runs."""
    case = next(c for c in CASES if c.name == "rules-python-tag")
    project = spoil(case, baseline, tmp_path)
    cwd = Path.cwd()
    os.chdir(project.root)
    try:
        with pytest.raises(InputError):
            load_context(project.scenario)
        check_paths([project.root])
    finally:
        os.chdir(cwd)
    assert not (project.root / "PWNED").exists()


def test_cli_exits_2_with_the_message_and_writes_nothing(baseline: Path, tmp_path: Path) -> None:
    """The real entry point in real processes: code 2, the message, no traceback, no output.

    Two cases run cold through the installed ``talenta`` script; the others
    in processes forked after one import (:mod:`hardening.cli_runner`), so
    that a dozen command lines cost seconds, not half a minute.
    """
    env = {**os.environ, "COLUMNS": "1000", "TALENTA_DEBUG": ""}
    script = Path(sys.executable).with_name("talenta")
    runs, jobs, cold = [], [], []
    for k, case in enumerate(CLI_CASES):
        folder = tmp_path / case.name
        project = spoil(case, baseline, folder)
        out = folder / "out"
        # The corpus's expected messages are English: --lang en (Indonesian is the
        # default; tests/engine/test_i18n.py checks the messages in both).
        if case.cli == "plan":
            args = ["plan", str(project.scenario), "--out", str(out), "--lang", "en"]
        else:
            args = ["check", *(str(project.root / t) for t in case.check_targets), "--lang", "en"]
        job = {
            "argv": args,
            "cwd": str(project.root),
            "stdout": str(folder / "stdout.txt"),
            "stderr": str(folder / "stderr.txt"),
        }
        runs.append((case, project, out, job))
        if k < 2 and script.exists():
            handle = subprocess.Popen(
                [str(script), *args],
                cwd=project.root,
                env=env,
                stdout=open(job["stdout"], "w"),  # noqa: SIM115 (closed with the process)
                stderr=open(job["stderr"], "w"),  # noqa: SIM115
            )
            cold.append((len(runs) - 1, handle))
        else:
            jobs.append((len(runs) - 1, job))
    (tmp_path / "jobs.json").write_text(json.dumps([j for _, j in jobs]), encoding="utf-8")
    runner = subprocess.run(
        [
            sys.executable,
            str(Path(__file__).with_name("cli_runner.py")),
            str(tmp_path / "jobs.json"),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert runner.returncode == 0, runner.stderr
    codes: dict[int, int] = dict(zip((k for k, _ in jobs), json.loads(runner.stdout), strict=True))
    for k, handle in cold:
        codes[k] = handle.wait(timeout=300)
    failures = []
    for k, (case, project, out, job) in enumerate(runs):
        stdout = Path(job["stdout"]).read_text(encoding="utf-8")
        stderr = Path(job["stderr"]).read_text(encoding="utf-8")
        said = " ".join(stderr.split())
        missing = [e for e in case.expect if " ".join(e.split()) not in said]
        if codes[k] != 2 or missing or "Traceback" in stderr + stdout:
            failures.append(f"{case.name}: exit {codes[k]}, missing {missing}:\n{stderr}")
        if out.exists() and any(out.iterdir()):
            failures.append(f"{case.name}: wrote {sorted(p.name for p in out.iterdir())}")
        if (project.root / "PWNED").exists():
            failures.append(f"{case.name}: a YAML tag ran a command")
    assert len(cold) == 2 or not script.exists()
    assert not failures, "\n".join(failures)
