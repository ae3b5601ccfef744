"""Names in rule selectors that the jabatan table lacks are errors (engine.rules.crossref).

One rule file of five rules against a jabatan table of nine posts (K1-K9) in
nine units, on 2026-07-01. By hand: the misspelt unit of rule a (line 1) and
the unknown unit of rule b (line 7) and post K33 of rule d (line 19) are
reported, in that order; rule b's other unit and rule d's K3 are in the table;
rule c names an unknown unit but expired in 2019; rule e names only what the
table has. All names are synthetic.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import pandas as pd

from engine.rules.crossref import unknown_selector_names
from engine.rules.ruleset import load_rules

UNITS = [
    "Badan Kepegawaian",
    "Bappeda",
    "Dinas Kesehatan",
    "Dinas Pekerjaan Umum dan Penataan Ruang",
    "Dinas Pendidikan",
    "Dinas Sosial",
    "Inspektorat",
    "Kecamatan Kota",
    "Sekretariat Daerah",
]

RULES = """\
- id: a.inspektorat
  title: Satu unit, salah eja.
  applies_to: {unit: Inspektorat Daerah}
  require: {jpm: {min: 60}}
  source: Perbup contoh
  effective: {from: 2020-01-01}
- id: b.arsip
  title: Dua unit, satu tidak ada.
  applies_to: {unit: [Inspektorat, Kantor Arsip]}
  require: {jpm: {min: 60}}
  source: Perbup contoh
  effective: {from: 2020-01-01}
- id: c.lama
  title: Unit lama, aturan sudah berakhir.
  applies_to: {unit: Dinas Lama}
  require: {jpm: {min: 60}}
  source: Perbup contoh
  effective: {from: 2015-01-01, until: 2019-12-31}
- id: d.jabatan
  title: Dua jabatan, satu tidak ada.
  applies_to: {jabatan_id: [K3, K33]}
  require: {jpm: {min: 60}}
  source: Perbup contoh
  effective: {from: 2020-01-01}
- id: e.ada
  title: Semua nama ada.
  applies_to: {unit: Bappeda, jabatan_id: K1}
  require: {jpm: {min: 60}}
  source: Perbup contoh
  effective: {from: 2020-01-01}
"""


def _world(tmp_path: Path):
    path = tmp_path / "lokal.yaml"
    path.write_text(RULES, encoding="utf-8")
    ruleset = load_rules([path], display=lambda p: p.name)
    tables = SimpleNamespace(
        jabatan=pd.DataFrame({"jabatan_id": [f"K{k}" for k in range(1, 10)], "unit": UNITS})
    )
    loaded = SimpleNamespace(
        scenario=SimpleNamespace(
            date=dt.date(2026, 7, 1), data=SimpleNamespace(jabatan="jabatan.csv")
        ),
        display=lambda name: f"data/{name}",
    )
    return loaded, ruleset, tables


def test_every_unknown_unit_and_post_of_a_rule_in_force_is_named_with_its_line(tmp_path):
    loaded, ruleset, tables = _world(tmp_path)
    got = [p.render("en") for p in unknown_selector_names(loaded, ruleset, tables)]
    # The allowed list shows the first eight names (sorted) and the count of all nine.
    units = ", ".join(UNITS[:8]) + ", … (9 in all)"
    posts = "K1, K2, K3, K4, K5, K6, K7, K8, … (9 in all)"
    assert got == [
        "lokal.yaml:1: 'a.inspektorat.applies_to.unit': unit 'Inspektorat Daerah' is not in"
        f" the jabatan table (data/jabatan.csv); allowed: {units} (did you mean 'Inspektorat'?)",
        "lokal.yaml:7: 'b.arsip.applies_to.unit': unit 'Kantor Arsip' is not in the jabatan"
        f" table (data/jabatan.csv); allowed: {units} (a rule in force must name a unit of"
        " the data it is used with)",
        "lokal.yaml:19: 'd.jabatan.applies_to.jabatan_id': post 'K33' is not in the jabatan"
        f" table (data/jabatan.csv); allowed: {posts} (did you mean 'K3'?)",
    ]


def test_an_expired_rule_may_name_a_unit_that_is_gone(tmp_path):
    loaded, ruleset, tables = _world(tmp_path)
    # Before 2020 only rule c is in force, and Dinas Lama is reported.
    earlier = SimpleNamespace(
        **{
            **vars(loaded),
            "scenario": SimpleNamespace(date=dt.date(2019, 12, 31), data=loaded.scenario.data),
        }
    )
    (problem,) = unknown_selector_names(earlier, ruleset, tables)
    assert problem.line == 13 and problem.column == "c.lama.applies_to.unit"


def test_nothing_to_compare_when_the_rules_or_the_tables_failed_to_load(tmp_path):
    loaded, ruleset, tables = _world(tmp_path)
    assert unknown_selector_names(loaded, None, tables) == []
    assert unknown_selector_names(loaded, ruleset, None) == []
