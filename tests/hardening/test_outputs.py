"""The output folder (issue 19, items 5-7): never an input, a clear error for every bad
``--out``, every output of a run published together, one run at a time.

Each test runs the real entry point (:func:`engine.cli.main`) in-process and
checks the exit code and the message; the folder must hold the previous
run's files byte for byte whenever a run is refused or fails.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hardening.project import Project, build_baseline

import engine.report.publish as publish
from engine.cli import main
from engine.report.publish import OutputFolder


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_baseline(tmp_path_factory.mktemp("outputs") / "project")


@pytest.fixture
def project(baseline: Path, tmp_path: Path) -> Project:
    import shutil

    root = tmp_path / "project"
    shutil.copytree(baseline, root)
    return Project(root)


QUIET_EN = ("--quiet", "--lang", "en")


def talenta(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str
) -> tuple[int, str]:
    """Run ``talenta args --lang en`` in-process (the expected messages are English);
    return the exit code and stdout + stderr."""
    monkeypatch.setattr(
        sys, "argv", ["talenta", *args, *(() if "--lang" in args else ("--lang", "en"))]
    )
    monkeypatch.setenv("COLUMNS", "1000")
    monkeypatch.delenv("TALENTA_DEBUG", raising=False)
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    captured = capsys.readouterr()
    return code, " ".join((captured.out + captured.err).split())


def snapshot(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file()
    }


def test_an_out_folder_holding_an_input_is_refused(project: Project, capsys, monkeypatch) -> None:
    """pegawai as out/plan.xlsx: the run used to overwrite it without a word."""
    out = project.root / "out"
    out.mkdir()
    project.xlsx("pegawai")
    (project.root / "data/pegawai.xlsx").rename(out / "plan.xlsx")
    project.replace_in("scenarios/round.yaml", "../data/pegawai.xlsx", "../out/plan.xlsx")
    before = (out / "plan.xlsx").read_bytes()
    code, said = talenta(capsys, monkeypatch, "plan", str(project.scenario), "--out", str(out))
    assert code == 2, said
    assert f"--out {out}: holds '{out / 'plan.xlsx'}', an input of the round" in said
    assert (out / "plan.xlsx").read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == ["plan.xlsx"]


@pytest.mark.parametrize("where", ["data", "scenarios", "."])
def test_an_out_folder_that_is_or_holds_the_inputs_is_refused(
    project: Project, capsys, monkeypatch, where: str
) -> None:
    out = (project.root / where).resolve()
    before = snapshot(project.root / "data")
    code, said = talenta(capsys, monkeypatch, "plan", str(project.scenario), "--out", str(out))
    assert code == 2 and "an input of the round" in said, said
    assert snapshot(project.root / "data") == before
    assert not (out / "plan.json").exists()


def test_compare_and_succession_refuse_an_out_holding_an_input(
    project: Project, capsys, monkeypatch
) -> None:
    out = project.root / "data"
    scenario = str(project.scenario)
    code, said = talenta(capsys, monkeypatch, "compare", scenario, scenario, "--out", str(out))
    assert code == 2 and "an input of the comparison" in said, said
    code, said = talenta(
        capsys, monkeypatch, "succession", scenario, "--horizon", "0", "--out", str(out)
    )
    assert code == 2 and "an input of the succession run" in said, said
    assert not list(out.glob("compare.*")) and not list(out.glob("succession*"))


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda root: root / "a-file.txt", "is a file; allowed: a folder"),
        (lambda root: Path("/dev/null"), "is not a folder (a device, FIFO or socket)"),
    ],
    ids=["file", "dev-null"],
)
def test_an_out_that_is_not_a_folder_is_refused(
    project: Project, capsys, monkeypatch, make, expected: str
) -> None:
    out = make(project.root)
    if out.parent == project.root:
        out.write_text("keep me\n", encoding="utf-8")
    code, said = talenta(capsys, monkeypatch, "plan", str(project.scenario), "--out", str(out))
    assert code == 2 and expected in said and "internal error" not in said, said
    if out.parent == project.root:
        assert out.read_text(encoding="utf-8") == "keep me\n"


def _previous_run(project: Project, capsys, monkeypatch) -> tuple[Path, dict[str, str]]:
    out = project.root.parent / "out"
    code, said = talenta(capsys, monkeypatch, "plan", str(project.scenario), "--out", str(out))
    assert code == 0, said
    (out / "notes.txt").write_text("the committee's own notes\n", encoding="utf-8")
    return out, snapshot(out)


def test_a_read_only_folder_is_a_clear_error(project: Project, capsys, monkeypatch) -> None:
    """Simulated (tests run as root, for whom mode 0555 does not stop a write)."""
    out, before = _previous_run(project, capsys, monkeypatch)

    def denied(*args, **kwargs):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(publish.tempfile, "mkdtemp", denied)
    code, said = talenta(capsys, monkeypatch, "plan", str(project.scenario), "--out", str(out))
    assert code == 2, said
    assert f"--out {out}: outputs cannot be written: permission denied" in said
    assert snapshot(out) == before


@pytest.mark.parametrize("at", [1, 3, 5])
def test_a_full_disk_leaves_the_previous_outputs_whole(
    project: Project, capsys, monkeypatch, at: int
) -> None:
    """ENOSPC at the 1st, 3rd or 5th file: exit 2, a message, the old set intact."""
    out, before = _previous_run(project, capsys, monkeypatch)
    real_fsync, calls = os.fsync, []

    def full(fd: int) -> None:
        calls.append(fd)
        if len(calls) == at:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_fsync(fd)

    monkeypatch.setattr(publish.os, "fsync", full)
    other = project.root / "scenarios/other.yaml"
    other.write_text(
        project.read("scenarios/round.yaml").replace("Putaran uji", "Putaran lain"),
        encoding="utf-8",
    )
    code, said = talenta(capsys, monkeypatch, "plan", str(other), "--out", str(out))
    assert code == 2, said
    assert "outputs cannot be written: no space left on device" in said
    assert "the previous outputs, if any, are unchanged" in said
    assert snapshot(out) == before
    assert sorted(p.name for p in out.parent.iterdir()) == [".out.lock", "out", "project"]


def test_a_new_run_replaces_the_whole_set_and_keeps_other_files(
    project: Project, capsys, monkeypatch
) -> None:
    out, before = _previous_run(project, capsys, monkeypatch)
    (out / "compare").mkdir()
    (out / "compare" / "compare.md").write_text("# old comparison\n", encoding="utf-8")
    (out / "succession.md").write_text("# another command's\n", encoding="utf-8")
    other = project.root / "scenarios/other.yaml"
    other.write_text(
        project.read("scenarios/round.yaml").replace("Putaran uji", "Putaran lain"),
        encoding="utf-8",
    )
    code, said = talenta(capsys, monkeypatch, "plan", str(other), "--out", str(out))
    assert code == 0, said
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(["compare", "succession.md", *before])
    assert (out / "compare" / "compare.md").read_text(encoding="utf-8") == "# old comparison\n"
    assert (out / "notes.txt").read_text(encoding="utf-8") == "the committee's own notes\n"
    assert (out / "succession.md").read_text(encoding="utf-8") == "# another command's\n"
    assert "Putaran lain" in (out / "report.md").read_text(encoding="utf-8")


def test_a_stale_output_of_the_same_command_is_not_carried_over(tmp_path: Path) -> None:
    """A picture the previous succession run drew and this one does not: it would mix runs."""
    out = tmp_path / "out"
    publish.publish({"succession.json": "{}", "succession-talent-box.svg": "<svg/>"}, out)
    (out / "plan.json").write_text("{}", encoding="utf-8")
    publish.publish({"succession.json": '{"new": 1}'}, out)
    assert sorted(p.name for p in out.iterdir()) == ["plan.json", "succession.json"]


def test_a_second_run_into_a_locked_folder_is_refused(
    project: Project, capsys, monkeypatch
) -> None:
    out, before = _previous_run(project, capsys, monkeypatch)
    with OutputFolder(out):
        code, said = talenta(capsys, monkeypatch, "plan", str(project.scenario), "--out", str(out))
    assert code == 2, said
    assert f"another talenta run (process {os.getpid()}) is writing into this folder" in said
    assert snapshot(out) == before


def test_two_runs_at_once_never_mix_their_outputs(project: Project, tmp_path: Path) -> None:
    """Two real processes into one folder: each publishes whole or is refused;
    plan.json and report.md always come from the same run."""
    out = tmp_path / "shared"
    names = []
    for k in range(2):
        name = f"Putaran serentak {k}"
        path = project.root / f"scenarios/run{k}.yaml"
        path.write_text(
            project.read("scenarios/round.yaml").replace("Putaran uji (data sintetis)", name),
            encoding="utf-8",
        )
        names.append((name, path))
    env = {**os.environ, "COLUMNS": "1000"}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "engine.cli", "plan", str(path), "--out", str(out), *QUIET_EN],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _, path in names
    ]
    results = [(p.wait(timeout=300), p.stderr.read()) for p in procs]  # type: ignore[union-attr]
    assert all(code in (0, 2) for code, _ in results), results
    assert any(code == 0 for code, _ in results), results
    for code, err in results:
        if code == 2:
            assert "another talenta run" in err, err
    plan = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    title = (out / "report.md").read_text(encoding="utf-8").splitlines()[0]
    assert plan["manifest"]["scenario"]["name"] in title
