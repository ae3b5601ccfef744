"""Issue 14 item 11: a rule or settings source not verified against the regulation's text
is shown as such in explain, the report (Markdown and HTML), the workbook and check;
flipping ``verified`` in the file changes what is shown. All data is the synthetic demo."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from factories import ROOT

from engine.check import check_paths
from engine.plan.pipeline import build_plan
from engine.report.render import render

# struktural.masa-jabatan is verified in the bundled file (PP 13/2002 Ps. 7A, read
# in the text); jpt-pratama.hukuman is not (a reading for regular rounds not yet checked).
VERIFIED_RULE = "struktural.masa-jabatan"
UNVERIFIED_RULE = "jpt-pratama.hukuman"
# The demo's first pegawai holds SETDA.SEKDA: both rules apply to that post.
SEKDA = "SETDA.SEKDA"


def _source(rule: str) -> str:
    """The ``source`` of ``rule`` as the bundled rule file states it."""
    text = (ROOT / "rules/struktural.yaml").read_text(encoding="utf-8")
    found = re.search(rf"- id: {re.escape(rule)}\n(?:  .*\n)*?  source: (.*)\n", text)
    assert found, rule
    return found.group(1)


def _flag(text: str, rule: str, value: str) -> str:
    """The rule file's text with ``verified:`` of ``rule`` set to ``value``."""
    pattern = re.compile(rf"(- id: {re.escape(rule)}\n(?:  .*\n)*?  verified: )(true|false)")
    assert pattern.search(text), rule
    return pattern.sub(rf"\g<1>{value}", text, count=1)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the demo project in which the two rules' flags are swapped."""
    root = tmp_path_factory.mktemp("verified")
    for folder in ("rules", "scenarios", "data/demo"):
        shutil.copytree(ROOT / folder, root / folder)
    path = root / "rules/struktural.yaml"
    text = path.read_text(encoding="utf-8")
    text = _flag(_flag(text, VERIFIED_RULE, "false"), UNVERIFIED_RULE, "true")
    path.write_text(text, encoding="utf-8")
    return root


def _nip() -> str:
    return (ROOT / "data/demo/pegawai.csv").read_text(encoding="utf-8").splitlines()[1][:18]


def _explain(root: Path) -> str:
    run = subprocess.run(
        [sys.executable, "-m", "engine.cli", "explain", _nip(), SEKDA, "--lang", "en"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        env={"COLUMNS": "119", "PATH": ""},  # one block per rule (a long source wraps)
    )
    assert run.returncode == 0, run.stderr
    return run.stdout


def _source_line(out: str, rule: str) -> str:
    """The ``source:`` line of ``rule``'s block, its wrapped continuation lines joined."""
    lines = out.splitlines()
    at = next(k for k, line in enumerate(lines) if line.startswith(rule))
    start = next(k for k in range(at + 1, len(lines)) if lines[k].strip().startswith("source:"))
    joined = [lines[start]]
    for line in lines[start + 1 :]:
        if line.startswith(" ") or re.match(r"\S+( \(soft, -\d+\))?  [A-Z/]+$", line):
            break
        if line.startswith(("ELIGIBLE", "NOT ELIGIBLE")):
            break
        joined.append(line)
    return re.sub(r"\s+", " ", " ".join(joined)).rstrip()


def test_explain_marks_the_unverified_source_and_follows_the_flag(project: Path) -> None:
    bundled, flipped = _explain(ROOT), _explain(project)
    unverified = _source(UNVERIFIED_RULE)
    assert _source_line(bundled, UNVERIFIED_RULE).endswith(f"{unverified} (source not verified)")
    assert _source_line(bundled, VERIFIED_RULE).endswith(_source(VERIFIED_RULE))
    assert _source_line(flipped, UNVERIFIED_RULE).endswith(unverified)
    assert _source_line(flipped, VERIFIED_RULE).endswith(
        f"{_source(VERIFIED_RULE)} (source not verified)"
    )


def _unverified_section(md: str) -> list[str]:
    part = md.split("## Sources not verified against the regulation's text\n", 1)[1]
    return [line[2:] for line in part.split("\n---", 1)[0].strip().splitlines()]


def test_the_report_lists_unverified_sources_and_follows_the_flag(project: Path) -> None:
    bundled = render(build_plan(ROOT / "scenarios/demo.yaml"), "en")
    flipped = render(build_plan(project / "scenarios/demo.yaml"), "en")
    before, after = (
        _unverified_section(bundled["report.md"]),
        _unverified_section(flipped["report.md"]),
    )
    line = f"{UNVERIFIED_RULE}: {_source(UNVERIFIED_RULE)} (source not verified)"
    assert line in before and line not in after
    assert not any(x.startswith(VERIFIED_RULE) for x in before)
    assert f"{VERIFIED_RULE}: {_source(VERIFIED_RULE)} (source not verified)" in after
    # Every bundled settings file is an example or not yet checked: each is listed.
    for setting in ("weights", "talent box", "field taxonomy", "BUP", "rank progression"):
        assert any(x.startswith(f"{setting}: ") for x in before), setting
    marked = f'{_source(UNVERIFIED_RULE)} <em class="unverified">(source not verified)</em>'
    assert f"{UNVERIFIED_RULE}: {marked}" in bundled["report.html"]
    assert marked not in flipped["report.html"]
    # The workbook's manifest sheet carries the same lines.
    book = openpyxl.load_workbook(io.BytesIO(bundled["plan.xlsx"]), read_only=True)
    cells = {
        str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row
    }
    assert f"Sources not verified against the regulation's text: {UNVERIFIED_RULE}" in cells


def test_the_report_in_indonesian_says_belum_diverifikasi() -> None:
    md = render(build_plan(ROOT / "scenarios/demo.yaml"), "id")["report.md"]
    assert "## Sumber yang belum diverifikasi terhadap teks peraturan" in md
    assert "PP 94/2021 (sumber belum diverifikasi)" in md


def test_check_lists_unverified_sources(project: Path) -> None:
    listed = check_paths([ROOT / "rules"]).unverified
    assert any(f": {UNVERIFIED_RULE}: " in x for x in listed)
    assert not any(f": {VERIFIED_RULE}: " in x for x in listed)
    assert any(x.startswith(f"{ROOT / 'rules/bup.yaml'}: bup: ") for x in listed)
    flipped = check_paths([project / "rules"]).unverified
    assert any(f": {VERIFIED_RULE}: " in x for x in flipped)
    assert not any(f": {UNVERIFIED_RULE}: " in x for x in flipped)
