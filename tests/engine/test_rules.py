import datetime as dt
from pathlib import Path

import pytest
from factories import ROOT

from engine.errors import InputError
from engine.rules import load_rules

GOOD = """
- id: a.pendidikan
  title: Paling rendah S1.
  applies_to: {jenis_jabatan: Administrator}
  require: {pendidikan: {min: S1}}
  source: PP 11/2017 Ps. 54
  effective: {from: 2020-01-01}
"""


def load(tmp_path: Path, text: str):
    path = tmp_path / "r.yaml"
    path.write_text(text, encoding="utf-8")
    return load_rules([path])


def messages(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(InputError) as info:
        load(tmp_path, text)
    return [str(p) for p in info.value.problems]


def test_bundled_rules_load():
    rs = load_rules(
        sorted((ROOT / "rules").glob("*.yaml"))[:0]
        or [
            ROOT / "rules/struktural.yaml",
            ROOT / "rules/golongan.yaml",
            ROOT / "rules/keilmuan.yaml",
        ]
    )
    assert len(rs.rules) >= 20
    assert all(r.rule.source and r.rule.effective for r in rs.rules)


def test_a_good_rule(tmp_path):
    (r,) = load(tmp_path, GOOD).rules
    assert r.rule.kind == "pendidikan" and r.line == 2 and r.rule.hard


def test_planted_errors_are_all_reported_with_lines(tmp_path):
    text = (
        GOOD
        + """
- id: b.usia
  title: Usia.
  applies_to: {jenis_jabatn: JPT Pratama}
  require: {usia: {max: 56}}
  source: PP 11/2017
  effective: {from: 2020-13-01}
- id: c.golongan
  title: Golongan.
  require: {golongan: {min: III/x}}
  source: PP 100/2000
  effective: {from: 2020-01-01}
- id: d.two
  title: Two kinds.
  require: {pendidikan: {min: S1}, usia: {max: 50}}
  source: x y z
  effective: {from: 2020-01-01}
- id: e.skp
  title: Bad predikat.
  require: {skp: {min: Bagus}}
  source: PP 11/2017
  effective: {from: 2020-01-01}
- id: a.pendidikan
  title: Duplicate id.
  applies_to: {jenis_jabatan: Pengawas}
  require: {pendidikan: {min: D3}}
  source: PP 11/2017
  effective: {from: 2020-01-01}
  exception_of: nothing.here
"""
    )
    joined = "\n".join(messages(tmp_path, text))
    assert (
        "r.yaml:11: 'applies_to': unknown key 'jenis_jabatn'" in joined
        and "did you mean 'jenis_jabatan'?" in joined
    )
    assert "r.yaml:14:" in joined and "effective.from" in joined
    assert "r.yaml:17:" in joined and "III/x" in joined
    assert "give exactly one requirement kind (found: pendidikan, usia)" in joined
    assert "r.yaml:27:" in joined and "Bagus" in joined
    assert "rule id 'a.pendidikan' is used twice" in joined
    assert "exception_of names unknown rule 'nothing.here'" in joined


def test_contradiction_names_both_rules_unless_exception(tmp_path):
    clash = (
        GOOD
        + """
- id: b.pendidikan
  title: S2 untuk Administrator.
  applies_to: {eselon: III.a}
  require: {pendidikan: {min: S2}}
  source: Perbup contoh
  effective: {from: 2024-01-01}
"""
    )
    (msg,) = messages(tmp_path, clash)
    assert (
        "rule 'b.pendidikan' and rule 'a.pendidikan'" in msg and "exception_of: a.pendidikan" in msg
    )
    rs = load(
        tmp_path,
        clash.replace(
            "effective: {from: 2024-01-01}",
            "effective: {from: 2024-01-01}\n  exception_of: a.pendidikan",
        ),
    )
    assert len(rs.rules) == 2
    # Disjoint selectors never clash: eselon II.b is never an Administrator post.
    rs = load(tmp_path, clash.replace("eselon: III.a", "eselon: II.b"))
    assert len(rs.rules) == 2
    # Periods that do not overlap never clash.
    rs = load(
        tmp_path, clash.replace("{from: 2020-01-01}", "{from: 2020-01-01, until: 2023-12-31}")
    )
    assert len(rs.rules) == 2


def test_soft_rule_needs_penalty(tmp_path):
    (msg,) = messages(tmp_path, GOOD.replace("effective:", "hard: false\n  effective:"))
    assert "needs a penalty" in msg


def test_in_force_by_date(tmp_path):
    rs = load(tmp_path, GOOD.replace("{from: 2020-01-01}", "{from: 2020-01-01, until: 2024-12-31}"))
    assert len(rs.in_force(dt.date(2024, 12, 31))) == 1
    assert len(rs.in_force(dt.date(2025, 1, 1))) == 0


def test_not_a_list(tmp_path):
    (msg,) = messages(tmp_path, "id: x\n")
    assert "a rule file is a list of rules" in msg
