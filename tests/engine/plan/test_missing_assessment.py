"""A missing assessment is scored by one policy, set in the weights file, and every
output built on it says so (issue 15, item 7).

Hand-worked round (Kepka BKN 411/2025 weights: kinerja 40, potensi 30, keilmuan
20, pengalaman 10), one vacant Administrator post KABID (Teknik Sipil), no
requirement rules, two Pengawas of 20 years (pengalaman capped: 100) with
Teknik Sipil (keilmuan exact: 100):

- A: SKP Baik twice (80), JPM 75: (40 x 80 + 30 x 75 + 20 x 100 + 10 x 100) / 100 = 84.5.
- B: SKP Sangat Baik twice (100), no JPM and no kompetensi.
  neutral: potensi is the median of those assessed, A's 75:
  (40 x 100 + 30 x 75 + 20 x 100 + 10 x 100) / 100 = 92.5: B is placed.
  zero: (4000 + 0 + 2000 + 1000) / 100 = 70.0: A (84.5) is placed.
  not_eligible: B is not eligible for KABID (rule bobot.penilaian): A is placed.
"""

from __future__ import annotations

import io
import subprocess
import sys

import openpyxl
import pytest
from factories import ROOT, person, post

from engine.plan.pipeline import build_plan
from engine.report.render import render

NO_RULES = "[]\n"
A = person(1, tmt_jabatan="2006-07-01", jpm="75", kompetensi="")
B = person(
    2,
    tmt_jabatan="2006-07-01",
    skp_2024="Sangat Baik",
    skp_2025="Sangat Baik",
    jpm="",
    kompetensi="",
)


def _scenario(tiny_round, tmp_path, policy: str | None):
    base = tiny_round([A, B], [post("KABID")], NO_RULES)
    if policy is None:
        return base
    text = (ROOT / "rules/bobot.yaml").read_text(encoding="utf-8")
    (tmp_path / "bobot.yaml").write_text(
        text.replace("missing_assessment: neutral", f"missing_assessment: {policy}"),
        encoding="utf-8",
    )
    child = tmp_path / f"{policy}.yaml"
    child.write_text(
        f"kind: scenario\nextends: scenario.yaml\nname: {policy}\nweights: bobot.yaml\n",
        encoding="utf-8",
    )
    return child


@pytest.mark.parametrize(
    ("policy", "placed", "fit", "shortlist"),
    [
        (None, B, 92.5, [(B, 92.5, ["potensi"]), (A, 84.5, [])]),
        ("zero", A, 84.5, [(A, 84.5, []), (B, 70.0, ["potensi"])]),
        ("not_eligible", A, 84.5, [(A, 84.5, [])]),
    ],
)
def test_each_policy_by_hand(tiny_round, tmp_path, policy, placed, fit, shortlist):
    plan = build_plan(_scenario(tiny_round, tmp_path, policy)).record
    assert plan.manifest.missing_assessment == (policy or "neutral")
    (p,) = plan.placements
    assert (p.nip, p.fit) == (placed["nip"], fit)
    assert p.missing_data == (["potensi"] if placed is B else [])
    got = [(s.nip, s.fit, s.missing_data) for s in plan.shortlists["KABID"]]
    assert got == [(who["nip"], f, m) for who, f, m in shortlist]


def test_neutral_shows_the_imputed_potensi_and_says_so_in_every_output(tiny_round, tmp_path):
    plan = build_plan(_scenario(tiny_round, tmp_path, None))
    (p,) = plan.record.placements
    assert p.components["potensi"] == 75.0
    files = render(plan, "en")
    said = "potential without an assessment (counted neutral: the median of those assessed)"
    assert said in files["report.md"]
    assert said in files["report.html"]
    book = openpyxl.load_workbook(io.BytesIO(files["plan.xlsx"]))
    cells = {str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row}
    assert said in cells
    # A's entry carries no flag: only entries built on missing data say so.
    assert files["report.md"].count(said) == 2  # B's placement and B's shortlist entry


def test_not_eligible_is_a_real_exclusion_that_explain_shows(tiny_round, tmp_path):
    path = _scenario(tiny_round, tmp_path, "not_eligible")
    plan = build_plan(path).record
    assert "bobot.penilaian" in plan.manifest.rules_in_force
    assert plan.rule_exclusions_people == {"bobot.penilaian": 1}
    args = ["explain", B["nip"], "KABID", "--scenario", str(path), "--lang", "en"]
    run = subprocess.run(
        [sys.executable, "-m", "engine.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"},
    )
    assert run.returncode == 0, run.stderr
    out = " ".join(run.stdout.split())
    assert "bobot.penilaian" in out and "FAIL" in out
    assert "no assessment on record" in out
    assert "NOT ELIGIBLE: bobot.penilaian" in out
    assert "Missing data: potential without an assessment" in out


def test_a_bad_policy_is_a_clear_error_with_its_line(tmp_path):
    text = (ROOT / "rules/bobot.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "bobot.yaml"
    bad.write_text(text.replace("missing_assessment: neutral", "missing_assessment: nol", 1))
    line = next(
        k
        for k, row in enumerate(bad.read_text().splitlines(), 1)
        if "missing_assessment: nol" in row
    )
    run = subprocess.run(
        [sys.executable, "-m", "engine.cli", "check", str(bad)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert run.returncode == 2
    assert f"bobot.yaml:{line}" in run.stderr
    assert "neutral" in run.stderr and "not_eligible" in run.stderr and "nol" in run.stderr
    assert "Traceback" not in run.stderr
