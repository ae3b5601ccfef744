"""The rule test cases themselves: coverage of the bundled rules, strict loading, failure messages."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from rulecases import CaseFailure, bundled_rule_files, load_cases, run_case

from engine.errors import InputError
from engine.rules.ruleset import load_rules

HERE = Path(__file__).resolve().parent
CASE_FILES = sorted(HERE.glob("*.yaml"))

GOOD = """\
- name: A III/d Kepala Seksi with SKP Baik twice is eligible for an Administrator post.
  date: 2026-07-01
  person: {jenis_jabatan: Pengawas, tmt_jabatan: 2021-01-04}
  post: {eselon: III.b}
  expect: {administrator.skp: PASS}
  eligible: true
"""


def write(tmp_path: Path, text: str, name: str = "cases.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(path: Path) -> str:
    with pytest.raises(InputError) as info:
        load_cases(path)
    return "\n".join(str(p) for p in info.value.problems)


def test_every_bundled_rule_has_a_case():
    rule_ids = {r.rule.id for r in load_rules(list(bundled_rule_files())).rules}
    named = {rid for path in CASE_FILES for c in load_cases(path) for rid in c.case.expect}
    missing = sorted(rule_ids - named)
    assert not missing, f"rules without a test case in tests/rules/*.yaml: {', '.join(missing)}"


def test_a_good_case_runs(tmp_path):
    (case,) = load_cases(write(tmp_path, GOOD))
    outcome = run_case(case)
    assert outcome.eligible and outcome.vector_eligible
    assert outcome.verdicts["administrator.skp"][0].verdict == "PASS"


def test_a_failing_case_names_file_line_case_expected_actual_and_why(tmp_path):
    text = GOOD + GOOD.replace("is eligible", "with SKP Kurang is eligible").replace(
        "tmt_jabatan: 2021-01-04}", "tmt_jabatan: 2021-01-04, skp_2024: Baik, skp_2025: Kurang}"
    )
    _, case = load_cases(write(tmp_path, text))
    with pytest.raises(CaseFailure) as info:
        run_case(case)
    message = str(info.value)
    assert message.startswith(f"{tmp_path / 'cases.yaml'}:7: case 'A III/d Kepala Seksi")
    assert "with SKP Kurang is eligible for an Administrator post.'" in message.splitlines()[0]
    assert "administrator.skp: expected PASS, got FAIL" in message
    assert "penjelasan: SKP 2025: Kurang, 2024: Baik; syarat paling rendah Baik" in message
    assert "explanation: SKP 2025: Kurang, 2024: Baik; required at least Baik" in message
    assert "would change it: perlu predikat SKP paling rendah Baik" in message
    assert "rule: rules/struktural.yaml:" in message
    assert "eligible: expected true, got false (not PASS: administrator.skp)" in message


def test_rules_that_give_no_verdict_are_explained(tmp_path):
    text = GOOD.replace(
        "expect: {administrator.skp: PASS}",
        "expect: {administrator.skpp: PASS, pengawas.skp: PASS, administrator.pendidikan: N/A}",
    )
    (case,) = load_cases(write(tmp_path, text))
    with pytest.raises(CaseFailure) as info:
        run_case(case)
    message = str(info.value)
    assert "administrator.skpp: expected PASS, but no rule 'administrator.skpp'" in message
    assert "did you mean 'administrator.skp'?" in message
    assert "pengawas.skp: expected PASS, but does not apply to this post" in message
    assert (
        "administrator.pendidikan: expected N/A (no verdict), but it is in force and applies"
        in message
    )


def test_case_files_are_read_strictly_with_lines(tmp_path):
    text = """\
- name: a case without a capital
  date: 2026-07-01
  person: {golongn: III/d}
  expect: {administrator.skp: pass}
- name: A case that expects nothing at all.
  date: 2026-13-01
- name: A case that expects nothing at all.
  date: 2026-07-01
  post: {nip_pemangku: '196903152018031001', eselon: III.b}
  history:
    - {jenis_jabatn: Pengawas, tmt_mulai: 2020-01-01}
  eligible: true
  extra: 1
"""
    joined = problems_of(write(tmp_path, text))
    assert (
        "cases.yaml:1: 'name': found 'a case without a capital': the name is a whole sentence"
        in joined
    )
    assert "cases.yaml:3: 'person': unknown person column 'golongn'" in joined
    assert "did you mean 'golongan'?" in joined
    assert (
        "cases.yaml:4:" in joined and "found 'pass'" in joined and "did you mean 'PASS'?" in joined
    )
    # (engine.inputs.schema drops a key named 'date' from the location, so the line is
    # the case's own; the value is still named)
    assert "found '2026-13-01'" in joined and "the month is outside 1-12" in joined
    assert "cases.yaml:9: 'post': unknown post column 'nip_pemangku'" in joined
    assert "the post of a case is vacant" in joined
    assert "cases.yaml:11: 'history': unknown history column 'jenis_jabatn'" in joined
    assert "cases.yaml:13: unknown key 'extra'" in joined
    text = GOOD + GOOD + "- name: A case that expects nothing at all.\n  date: 2026-07-01\n"
    joined = problems_of(write(tmp_path, text))
    assert "cases.yaml:7: 'name': case name used twice (first at line 1)" in joined
    assert "cases.yaml:13: a case expects nothing" in joined
    joined = problems_of(write(tmp_path, GOOD.replace("  date:", "  date: 2026-07-01\n  date:")))
    assert "cases.yaml:3:" in joined and "duplicate key 'date'" in joined


def test_bad_cells_are_reported_at_the_case_line(tmp_path):
    text = GOOD.replace("tmt_jabatan: 2021-01-04}", "tmt_jabatan: 2021-01-04, golongan: III/x}")
    (case,) = load_cases(write(tmp_path, text))
    with pytest.raises(InputError) as info:
        run_case(case)
    (problem,) = info.value.problems
    assert str(problem).startswith(f"{tmp_path / 'cases.yaml'}:3: case 'A III/d Kepala Seksi")
    assert "person.golongan: 'III/x' is not allowed" in str(problem)


def test_pytest_reports_a_failing_case_by_file_line_and_sentence(tmp_path, capsys):
    """The plugin end to end, in a pytest session of its own (in this process)."""
    folder = tmp_path / "cases"
    folder.mkdir()
    shutil.copy(HERE / "conftest.py", folder / "conftest.py")
    write(folder, GOOD.replace("administrator.skp: PASS", "administrator.skp: FAIL"), "bad.yaml")
    write(folder, GOOD, "good.yaml")
    ini = tmp_path / "pytest.ini"
    ini.write_text("[pytest]\n", encoding="utf-8")
    code = pytest.main(
        [
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:hypothesispytest",
            "-c",
            str(ini),
            "--rootdir",
            str(tmp_path),
            str(folder),
        ]
    )
    out = capsys.readouterr().out
    assert code == 1, out
    assert "bad.yaml:1: case 'A III/d Kepala Seksi with SKP Baik twice" in out
    assert "administrator.skp: expected FAIL, got PASS" in out
    assert "1 failed, 1 passed" in out


def test_an_s1_holder_is_shown_with_s1_not_d4(tmp_path):
    text = """
- name: An S1 holder meets the S1/D-IV requirement and is shown as S1.
  date: 2026-07-01
  person: {jenis_jabatan: Pengawas, tmt_jabatan: 2021-01-04, pendidikan: S1}
  post: {eselon: III.b}
  expect: {administrator.pendidikan: PASS}
"""
    (case,) = load_cases(write(tmp_path, text))
    _indonesian, english = run_case(case).verdicts["administrator.pendidikan"]
    assert english.explanation.startswith("pendidikan S1;"), english.explanation


def test_the_skp_verdict_names_the_years_of_its_look_back(tmp_path):
    text = """
- name: SKP scores of 2017 to 2019 say nothing about 2025 and 2026 in a 2027 round.
  date: 2027-01-04
  person: {jenis_jabatan: Pengawas, tmt_jabatan: 2021-01-04, skp_2017: Baik, skp_2019: Baik}
  post: {eselon: III.b}
  expect: {administrator.skp: UNKNOWN}
"""
    (case,) = load_cases(write(tmp_path, text))
    indonesian, english = run_case(case).verdicts["administrator.skp"]
    assert english.explanation == "SKP 2026: -, 2025: -; required at least Baik in 2025-2026"
    assert indonesian.explanation == (
        "SKP 2026: -, 2025: -; syarat paling rendah Baik pada tahun 2025-2026"
    )


def test_the_sanction_verdict_lists_every_sanction_on_record(tmp_path):
    text = """
- name: An old berat and a recent sedang sanction are both shown.
  date: 2026-07-01
  person: {jenis_jabatan: Pengawas, tmt_jabatan: 2021-01-04}
  sanctions:
    - {hukuman_tingkat: sedang, hukuman_tmt: 2025-01-06, hukuman_selesai: 2026-01-06}
    - {hukuman_tingkat: berat, hukuman_tmt: 2012-03-01, hukuman_selesai: 2015-03-01}
  post: {eselon: III.b}
  expect: {administrator.hukuman: FAIL}
"""
    (case,) = load_cases(write(tmp_path, text))
    _indonesian, english = run_case(case).verdicts["administrator.hukuman"]
    assert english.explanation == (
        "disciplinary sanctions berat 2012-03-01 to 2015-03-01; sedang 2025-01-06 to "
        "2026-01-06; excluded: sedang, berat within the last 5 years"
    )
    # The sedang one counts until 5 years after its end: 2031-01-06.
    assert english.counterfactual.from_date == dt.date(2031, 1, 6), english.counterfactual
