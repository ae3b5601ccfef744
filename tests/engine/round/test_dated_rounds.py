"""Rounds on any date the rules cover: PP 11/2017 before PP 17/2020, settings that cover
the same span or refuse the date, the BUP table's own dates.

All people are synthetic. The round is an Administrator post (eselon III.b) held on
2018-06-01, before PP 17/2020 (2020-02-28) and PermenPANRB 3/2020: PP 11/2017 Ps. 54
ayat (1) already asked for S1/D-IV (huruf b), 3 years as Pengawas (huruf d) and Baik in
every element of the last 2 years' assessment (huruf e), then scored under PP 46/2011
(76-90 is Baik, 61-75 Cukup).
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from factories import JABATAN_HEADER, PEGAWAI_HEADER, ROOT, person, post, write_csv

from engine.errors import InputError
from engine.inputs.settings import load_bup
from engine.plan.explain import LoadedRound
from engine.round.context import load_context

HEADER = [c for c in PEGAWAI_HEADER if not c.startswith("skp_")] + ["skp_2016", "skp_2017"]
RULES = f"{ROOT}/rules/struktural.yaml, {ROOT}/rules/golongan.yaml"


def _people() -> list[dict[str, str]]:
    base = {
        "golongan": "III/d",
        "tmt_golongan": "2016-04-01",
        "tmt_jabatan": "2014-01-02",
        "skp_2016": "85",
        "skp_2017": "80",
    }
    return [
        person(1, **base),  # 4.4 years as Pengawas, S1, Baik, Baik: eligible
        person(2, **{**base, "tmt_jabatan": "2016-01-02"}),  # 2.4 years as Pengawas
        person(3, **{**base, "pendidikan": "D3"}),  # below S1/D-IV
        person(4, **{**base, "skp_2017": "70"}),  # PP 46/2011: 61-75 is Cukup, not Baik
    ]


def _scenario(folder: Path, day: str, extra: str = "", bup: str | None = None) -> Path:
    write_csv(folder / "pegawai.csv", HEADER, _people())
    write_csv(folder / "jabatan.csv", JABATAN_HEADER, [post("ADM-1")])
    path = folder / "round.yaml"
    path.write_text(
        "kind: scenario\nname: Putaran 2018\n"
        f"date: {day}\n"
        "data: {pegawai: pegawai.csv, jabatan: jabatan.csv}\n"
        f"rules: [{RULES}]\n"
        f"taxonomy: {ROOT}/rules/taksonomi.yaml\n"
        f"weights: {ROOT}/rules/bobot.yaml\n"
        f"bup: {bup or f'{ROOT}/rules/bup.yaml'}\n"
        "open: {vacant: true}\n" + extra,
        encoding="utf-8",
    )
    return path


def test_a_round_dated_2018_applies_the_pp_11_2017_requirements(tmp_path):
    ctx = load_context(_scenario(tmp_path, "2018-06-01"))
    assert ctx.weights.regime == "PP 11/2017"
    loaded = LoadedRound(ctx)
    failed = [loaded.explain(i, 0).failed for i in range(4)]
    assert failed == [
        [],
        ["administrator.pengalaman"],
        ["administrator.pendidikan"],
        ["administrator.skp"],
    ]


@pytest.mark.parametrize(
    ("day", "rule"),
    [
        ("2017-04-06", None),  # the day before PP 11/2017: the settings refuse it (below)
        ("2017-04-07", "administrator.pendidikan"),
        ("2020-02-27", "administrator.pendidikan"),
        ("2020-02-28", "administrator.pendidikan"),
    ],
)
def test_the_2017_requirements_are_in_force_from_2017_04_07_without_a_gap(tmp_path, day, rule):
    path = _scenario(tmp_path, day)
    if rule is None:
        with pytest.raises(InputError):
            load_context(path)
        return
    ctx = load_context(path)
    in_force = {r.rule.id for r in ctx.ruleset.rules if r.rule.effective.covers(ctx.day)}
    assert {rule, "administrator.pengalaman", "administrator.skp"} <= in_force


def test_a_round_before_the_earliest_settings_exits_2_naming_the_files_and_their_dates(tmp_path):
    path = _scenario(tmp_path, "2016-06-01")
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "engine.cli",
            "plan",
            str(path),
            "--out",
            str(tmp_path / "out"),
            "--lang",
            "en",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stdout + run.stderr
    text = " ".join((run.stdout + run.stderr).split())  # the console wraps long lines
    assert (
        "bobot.yaml: no weights version is in force on the scenario date 2016-06-01; "
        "the file covers 2017-04-07 onwards" in text
    )
    assert (
        "bup.yaml: no BUP version is in force on the scenario date 2016-06-01; "
        "the file covers 2017-04-07 onwards" in text
    )
    assert not (tmp_path / "out").exists()


def test_a_talent_box_that_does_not_reach_the_date_refuses_it(tmp_path):
    path = _scenario(tmp_path, "2018-06-01", f"talent_box: {ROOT}/rules/kotak-talenta.yaml\n")
    with pytest.raises(InputError) as err:
        load_context(path)
    assert [str(p) for p in err.value.problems] == [
        f"{ROOT}/rules/kotak-talenta.yaml: no talent-box version is in force on the scenario "
        "date 2018-06-01; the file covers 2020-01-01 onwards; allowed: a scenario date the "
        "file covers, or a version of the file for that date"
    ]


BUP_TWO_VERSIONS = """kind: bup
versions:
  - source: contoh lama
    effective: {from: 2017-04-07, until: 2024-12-31}
    ages: {AGES_OLD}
  - source: contoh baru
    effective: {from: 2025-01-01}
    ages: {AGES_NEW}
"""


def _bup_file(folder: Path) -> Path:
    ages = {
        line.split(":")[0].strip(): 58
        for line in (ROOT / "rules/bup.yaml").read_text().splitlines()
        if line.startswith("      ") and ":" in line
    }
    old = "{" + ", ".join(f"{k}: {v}" for k, v in ages.items()) + "}"
    new = old.replace("Pengawas: 58", "Pengawas: 60")
    path = folder / "bup.yaml"
    path.write_text(BUP_TWO_VERSIONS.replace("{AGES_OLD}", old).replace("{AGES_NEW}", new))
    return path


@pytest.mark.parametrize(
    ("day", "retires"), [("2024-12-31", "2033-06-01"), ("2025-01-01", "2035-06-01")]
)
def test_the_bup_row_in_force_on_the_round_date_gives_the_retirement_date(tmp_path, day, retires):
    # Born 1975-05-10, a Pengawas: 58 -> 2033-05-10, first of the next month 2033-06-01;
    # from 2025-01-01 the file says 60 -> 2035-06-01.
    ctx = load_context(_scenario(tmp_path, day, bup=str(_bup_file(tmp_path))))
    assert str(ctx.people.bup[0]) == retires


def test_bup_versions_that_overlap_are_refused_with_the_line(tmp_path):
    path = _bup_file(tmp_path)
    path.write_text(path.read_text().replace("until: 2024-12-31", "until: 2025-01-01"))
    with pytest.raises(InputError) as err:
        load_bup(path, "bup.yaml")
    assert [str(p) for p in err.value.problems] == [
        "bup.yaml:7: versions 1 and 2 are both in force on 2025-01-01; "
        "allowed: consecutive periods: set 'until' of the earlier one"
    ]


def test_the_bundled_bup_table_covers_the_rules_from_pp_11_2017_on():
    table = load_bup(ROOT / "rules/bup.yaml")
    born = np.array(["1966-03-15"], dtype="datetime64[D]")
    for day in (dt.date(2017, 4, 7), dt.date(2023, 10, 30), dt.date(2023, 10, 31)):
        assert str(table.retirement_dates(born, np.array(["JPT Pratama"]), day)[0]) == "2026-04-01"
    with pytest.raises(InputError):
        table.at(dt.date(2017, 4, 6))
