"""Safety of data: inputs are never written, outputs are whole or absent, YAML never runs code,
no user text is evaluated, and a scenario cannot reach files outside its project.

HTML escaping of data and the neutralising of Excel formulas (= + - @) are
tested with the reports (tests/engine/test_report.py).
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from factories import ROOT
from hardening.project import Project, build_baseline

from engine.check import check_paths
from engine.errors import InputError
from engine.inputs.scenario import load_scenario, project_root
from engine.inputs.yamlio import load_yaml
from engine.plan.pipeline import build_plan, load_context
from engine.report.render import render, write_outputs


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return Project(build_baseline(tmp_path / "project"))


def digests(folder: Path) -> dict[str, tuple[str, int]]:
    """sha256 and mtime (ns) of every file under ``folder``."""
    return {
        str(p.relative_to(folder)): (
            hashlib.sha256(p.read_bytes()).hexdigest(),
            p.stat().st_mtime_ns,
        )
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


# --------------------------------------------------------------------------
# inputs are read, never written
# --------------------------------------------------------------------------


def test_a_plan_run_never_writes_its_inputs(project: Project, tmp_path: Path) -> None:
    before = digests(project.root)
    plan = build_plan(project.scenario)
    write_outputs(plan, tmp_path / "out")
    write_outputs(build_plan(project.scenario), tmp_path / "out")  # and again over it
    assert digests(project.root) == before
    # The manifest's hashes are the inputs' own: what was read is what is on disk.
    for role, digest in plan.record.manifest.inputs_sha256.items():
        path = plan.context.input_files[role]
        assert hashlib.sha256(path.read_bytes()).hexdigest() == digest, role


def test_check_never_writes_its_inputs(project: Project) -> None:
    before = digests(project.root)
    assert check_paths([project.root]).problems == []
    assert digests(project.root) == before


# --------------------------------------------------------------------------
# outputs: whole or absent, even when the process is killed while writing
# --------------------------------------------------------------------------


def _complete(name: str, content: bytes) -> bool:
    """Whether an output file is whole: it parses as what it claims to be."""
    if name.endswith(".json"):
        json.loads(content)
    elif name.endswith(".xlsx"):
        import io

        openpyxl.load_workbook(io.BytesIO(content)).close()
    elif name.endswith(".html"):
        assert content.rstrip().endswith(b"</html>")
    else:
        content.decode("utf-8")
    return True


def test_a_killed_plan_run_leaves_the_previous_report_intact(
    project: Project, tmp_path: Path
) -> None:
    """SIGKILL while the 1st and while the 3rd output file is written: the folder
    holds the previous run's files, every one of them byte for byte (the set is
    published together, issue 19), and what the kill left beside it (one hidden
    staging folder) is cleared by the next run, which publishes the new set whole."""
    previous = tmp_path / "previous"
    write_outputs(build_plan(project.scenario), previous)
    old = {p.name: p.read_bytes() for p in previous.iterdir()}
    # Round B differs from the previous round in its name, so its files differ.
    other = project.root / "scenarios/other.yaml"
    other.write_text(
        project.read("scenarios/round.yaml").replace("Putaran uji", "Putaran ulang"),
        encoding="utf-8",
    )
    new = {
        name: content.encode("utf-8") if isinstance(content, str) else content
        for name, content in render(build_plan(other)).items()
    }
    # run.json holds timings and a workbook its zip timestamps: whole, not byte-equal.
    varying = {"run.json", "plan.xlsx"}
    assert all(new[n] != old[n] for n in new if n not in varying), "round B must differ"
    inputs = digests(project.root)

    helper = Path(__file__).with_name("slow_writer.py")
    runs = []
    for label, stall_at in (("first", 1), ("third", 3)):
        out = tmp_path / label / "out"
        shutil.copytree(previous, out)
        proc = subprocess.Popen(
            [sys.executable, str(helper), str(stall_at), "plan", str(other), "--out", str(out)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        runs.append((label, stall_at, out, proc))
    for _, stall_at, _, proc in runs:
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.strip() == f"fsync {stall_at}":
                break
        proc.send_signal(signal.SIGKILL)
    for label, _, out, proc in runs:
        proc.wait(timeout=60)
        files = {p.name: p.read_bytes() for p in out.iterdir()}
        assert files == old, f"{label}: the folder is not the previous run's, byte for byte"
        beside = sorted(p.name for p in out.parent.iterdir() if p.name != "out")
        assert len([n for n in beside if n.startswith(".out.new-")]) == 1, beside
        write_outputs(build_plan(other), out)  # the next run clears what the kill left
        assert sorted(p.name for p in out.parent.iterdir()) == [".out.lock", "out"]
        files = {p.name: p.read_bytes() for p in out.iterdir()}
        assert set(files) == set(new)
        assert all(files[n] == new[n] for n in new if n not in varying), label
        assert all(_complete(n, c) for n, c in files.items())
    assert digests(project.root) == inputs


# --------------------------------------------------------------------------
# YAML is data: tags never construct objects, let alone run commands
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "payload",
    [
        "!!python/object/apply:os.system ['touch {marker}']",
        "!!python/object/new:subprocess.check_call [['touch', '{marker}']]",
        "!!python/name:os.system",
        '!!python/object/apply:builtins.exec [\'open("{marker}", "w")\']',
    ],
)
def test_python_tags_never_run(tmp_path: Path, payload: str) -> None:
    marker = tmp_path / "PWNED"
    path = tmp_path / "rules.yaml"
    path.write_text(f"- id: x\n  title: {payload.format(marker=marker)}\n", encoding="utf-8")
    with pytest.raises(InputError, match="is not allowed"):
        load_yaml(path)
    check_paths([path])
    assert not marker.exists()


# --------------------------------------------------------------------------
# no user text is evaluated
# --------------------------------------------------------------------------

_DANGEROUS_NAMES = {"eval", "exec", "compile", "__import__", "execfile"}
# Attribute calls that evaluate text or load objects: pandas eval/query,
# pickle/marshal, YAML loaders other than the safe composer, shells.
_DANGEROUS_ATTRIBUTES = {
    "eval",
    "query",
    "loads",
    "load",
    "unsafe_load",
    "full_load",
    "system",
    "popen",
}
_ALLOWED_ATTRIBUTE_CALLS = {("json", "loads"), ("json", "load")}


def _sources() -> list[Path]:
    return sorted([*(ROOT / "engine").rglob("*.py"), *(ROOT / "solvers").rglob("*.py")])


def test_no_eval_or_exec_in_engine_or_solvers() -> None:
    pattern = re.compile(r"(?<![\w.])(eval|exec)\s*\(")
    found = [
        f"{path.relative_to(ROOT)}:{k}: {line.strip()}"
        for path in _sources()
        for k, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if pattern.search(line)
    ]
    assert not found, "\n".join(found)


def test_no_call_evaluates_text_or_unpickles() -> None:
    """The same, by the syntax tree: no eval-like call, however it is spelt."""
    found = []
    for path in _sources():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names]
                module = getattr(node, "module", None) or ""
                if {"pickle", "marshal", "shelve", "dill"} & {module, *names}:
                    found.append(f"{path.name}:{node.lineno}: imports {module or names}")
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if isinstance(func, ast.Name) and func.id in _DANGEROUS_NAMES:
                found.append(f"{path.name}:{node.lineno}: {func.id}()")
            elif isinstance(func, ast.Attribute) and func.attr in _DANGEROUS_ATTRIBUTES:
                owner = func.value.id if isinstance(func.value, ast.Name) else ""
                if (owner, func.attr) not in _ALLOWED_ATTRIBUTE_CALLS:
                    found.append(f"{path.name}:{node.lineno}: {owner}.{func.attr}()")
            for keyword in node.keywords:
                if keyword.arg == "shell":
                    found.append(f"{path.name}:{node.lineno}: shell=...")
    assert not found, "\n".join(found)


# --------------------------------------------------------------------------
# paths in a scenario stay in its project
# --------------------------------------------------------------------------


def test_project_root_is_the_folder_with_rules(project: Project, tmp_path: Path) -> None:
    assert project_root(project.scenario) == project.root.resolve()
    assert project_root(ROOT / "scenarios/demo.yaml") == ROOT
    loose = tmp_path / "a" / "b" / "loose.yaml"
    loose.parent.mkdir(parents=True)
    assert project_root(loose) == (tmp_path / "a").resolve()


def test_bundled_scenarios_stay_inside() -> None:
    paths = sorted((ROOT / "scenarios").glob("*.yaml"))
    assert len(paths) >= 7
    root = ROOT.resolve()
    for path in paths:
        loaded = load_scenario(path)
        sc = loaded.scenario
        # Inside by the check, not by opting out of it.
        assert not sc.allow_outside_paths, path.name
        named = [
            sc.data.pegawai,
            sc.data.jabatan,
            *([sc.data.riwayat] if sc.data.riwayat else []),
            *sc.rules,
            sc.taxonomy,
            sc.weights,
            sc.bup,
            *([sc.talent_box] if sc.talent_box else []),
        ]
        for rel in named:
            target = loaded.resolve(rel)
            assert target.is_relative_to(root) and target.exists(), (path.name, rel)
        assert all(f.resolve().is_relative_to(root) for f in loaded.files), path.name


def test_opting_out_allows_an_outside_path(project: Project, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    shutil.copyfile(project.root / "data/jabatan.csv", outside / "jabatan.csv")
    project.replace_in("scenarios/round.yaml", "../data/jabatan.csv", str(outside / "jabatan.csv"))
    with pytest.raises(InputError, match="is outside the project folder"):
        load_scenario(project.scenario)
    project.append("scenarios/round.yaml", "allow_outside_paths: true\n")
    assert load_context(project.scenario).tables.jabatan.shape[0] == 4


def test_a_symlink_out_of_the_project_is_outside(project: Project, tmp_path: Path) -> None:
    secret = tmp_path / "secret.csv"
    shutil.copyfile(project.root / "data/pegawai.csv", secret)
    (project.root / "data/link.csv").symlink_to(secret)
    project.replace_in("scenarios/round.yaml", "../data/pegawai.csv", "../data/link.csv")
    with pytest.raises(InputError) as info:
        load_scenario(project.scenario)
    assert "'data.pegawai': '../data/link.csv' is outside the project folder" in str(info.value)


def test_extends_inside_the_project_and_the_bundled_rules_are_allowed(
    project: Project,
) -> None:
    base = project.root / "scenarios/round.yaml"
    child = project.root / "scenarios/child.yaml"
    child.write_text(
        f"extends: round.yaml\nname: Turunan\nweights: {ROOT / 'rules/bobot.yaml'}\n",
        encoding="utf-8",
    )
    loaded = load_scenario(child)
    assert base.resolve() in loaded.files
    assert loaded.resolve(loaded.scenario.weights) == (ROOT / "rules/bobot.yaml").resolve()


def test_an_escaping_path_is_not_read(project: Project, tmp_path: Path) -> None:
    """The file outside is never opened: its content cannot leak into a message."""
    secret = tmp_path / "secret.yaml"
    secret.write_text("kind: scenario\nname: RAHASIA-123\n", encoding="utf-8")
    project.write(
        "scenarios/round.yaml", f"extends: {secret}\n" + project.read("scenarios/round.yaml")
    )
    with pytest.raises(InputError) as info:
        load_scenario(project.scenario)
    assert "RAHASIA" not in str(info.value)
    assert "is outside the project folder" in str(info.value)


def test_the_messages_say_where_and_how_to_opt_out(project: Project) -> None:
    project.replace_in("scenarios/round.yaml", "../rules/bup.yaml", "../../bup.yaml")
    with pytest.raises(InputError) as info:
        load_scenario(project.scenario)
    text = str(info.value)
    assert "round.yaml:10: 'bup': '../../bup.yaml' is outside the project folder" in text
    assert f"allowed: paths inside {project.root.resolve()}" in text
    assert "allow_outside_paths: true" in text


def test_inputs_stay_unchanged_on_disk_after_a_failed_plan(
    project: Project, tmp_path: Path
) -> None:
    project.edit_row("pegawai", 1, golongan="3d")
    before = digests(project.root)
    with pytest.raises(InputError):
        build_plan(project.scenario)
    assert digests(project.root) == before
    assert not (tmp_path / "out").exists()


def test_environment_is_not_needed(project: Project) -> None:
    """Loading reads no environment variable that could redirect it (HOME, cwd)."""
    cwd = Path.cwd()
    os.chdir(project.root / "data")
    try:
        assert load_context(project.scenario).tables.pegawai.shape[0] == 4
    finally:
        os.chdir(cwd)
