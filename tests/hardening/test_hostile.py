"""Issue 19, items 8, 10, 11 and 12: data that is markup to the console or to
Markdown, YAML 1.1 readings, and personal data in the messages of a
pseudonymised run. The other items are corpus cases (corpus_hostile.py) and
tests of the output folder (test_outputs.py)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from hardening.project import Project, build_baseline

import engine.cli
from engine.cli import main
from engine.plan.pipeline import build_plan, load_context
from engine.plan.privacy import mask_text
from engine.report.render import render

LINK = "[link=https://example.invalid]klik[/link]"


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_baseline(tmp_path_factory.mktemp("hostile") / "project")


@pytest.fixture
def project(baseline: Path, tmp_path: Path) -> Project:
    root = tmp_path / "project"
    shutil.copytree(baseline, root)
    return Project(root)


@pytest.fixture(autouse=True)
def _plain_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    """A pseudonymised run masks messages for the rest of its process: undo it per test."""
    monkeypatch.setattr(engine.cli, "_show", str)


def talenta(capsys, monkeypatch, *args: str) -> tuple[int, str]:
    monkeypatch.setattr(sys, "argv", ["talenta", *args])
    monkeypatch.setenv("COLUMNS", "1000")
    monkeypatch.delenv("TALENTA_DEBUG", raising=False)
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def _markup_round(project: Project) -> None:
    """A scenario name that is a terminal link, and a post named '[/]' (a closing tag)."""
    project.replace_in("scenarios/round.yaml", "Putaran uji (data sintetis)", f'"{LINK}"')
    project.edit_row("jabatan", 2, nama_jabatan="Kepala Seksi [/] Jalan")


def test_plan_prints_data_as_text_not_markup(project: Project, capsys, monkeypatch) -> None:
    """Used to exit 1 after writing its outputs (rich MarkupError) and to render a link."""
    _markup_round(project)
    out = project.root.parent / "out"
    code, said = talenta(capsys, monkeypatch, "plan", str(project.scenario), "--out", str(out))
    assert code == 0, said
    assert LINK in "".join(said.split())  # shown as typed (wrapped): not a link, not a tag


@pytest.mark.parametrize("command", ["eligible", "explain"])
def test_eligible_and_explain_print_data_as_text(
    project: Project, capsys, monkeypatch, command: str
) -> None:
    """A post named '[/]' crashed both commands."""
    _markup_round(project)
    nip = project.people()[2]["nip"]
    args = ["K3"] if command == "eligible" else [nip, "K3"]
    code, said = talenta(
        capsys, monkeypatch, command, *args, "--scenario", str(project.scenario), "--lang", "en"
    )
    assert code == 0, said
    assert "Kepala Seksi [/] Jalan" in " ".join(said.split())


def test_report_md_titles_are_escaped(project: Project) -> None:
    """The scenario's name and committee were written raw into report.md's title lines."""
    project.replace_in(
        "scenarios/round.yaml", "Putaran uji (data sintetis)", '"<img src=x onerror=alert(1)>"'
    )
    project.append("scenarios/round.yaml", 'committee: "[Tim](javascript:alert(1))"\n')
    head = "\n".join(render(build_plan(project.scenario))["report.md"].splitlines()[:3])
    assert "<img" not in head and "&lt;img src=x onerror=alert(1)&gt;" in head
    assert "[Tim](javascript" not in head and "\\[Tim\\](javascript:alert(1))" in head


def test_yaml_1_1_booleans_stay_text(project: Project) -> None:
    """'committee: On' is the text 'On' (YAML 1.1 read the boolean true, refused as a name)."""
    project.append("scenarios/round.yaml", "committee: On\n")
    assert load_context(project.scenario).loaded.scenario.committee == "On"


def test_a_pseudonymised_run_masks_nips_in_its_errors(
    project: Project, capsys, monkeypatch
) -> None:
    """A duplicate-NIP error printed the full NIP."""
    header, rows = project.table_rows("pegawai")
    rows[3] = list(rows[2])
    project.csv("pegawai", header, rows)
    nip = rows[2][header.index("nip")]
    out = str(project.root.parent / "out")
    args = ["plan", str(project.scenario), "--out", out, "--lang", "en"]
    code, said = talenta(capsys, monkeypatch, *args)
    assert code == 2 and nip in said, said  # the plain run names it
    code, said = talenta(capsys, monkeypatch, *args, "--pseudonymise")
    assert code == 2 and "appears twice" in said, said
    assert nip not in said and nip[:8] not in said
    assert "NIP NIP-" in said


def test_a_pseudonymised_run_masks_names_in_its_errors(
    project: Project, capsys, monkeypatch
) -> None:
    """A name quoted in a message (here: an unknown incumbent pinned by name) is masked."""
    name = project.people()[1]["nama"]
    project.append("scenarios/round.yaml", f"pins:\n  - {{nip: '{name}', jabatan_id: K3}}\n")
    args = ["plan", str(project.scenario), "--out", str(project.root.parent / "out")]
    code, said = talenta(capsys, monkeypatch, *args)
    assert code == 2 and name in said, said
    code, said = talenta(capsys, monkeypatch, *args, "--pseudonymise")
    assert code == 2 and name not in said and "(name)" in said, said


def test_mask_text_is_stable_within_a_run() -> None:
    key = b"k" * 32
    text = "NIP 197003151995031001 appears twice; NIP 197003151995031001 again"
    masked = mask_text(text, [], key)
    assert "197003151995031001" not in masked
    first, second = (w for w in masked.split() if w.startswith("NIP-"))
    assert first == second
    assert mask_text("NIP 19700315 199503 1 001", [], key).count("NIP-") == 1
