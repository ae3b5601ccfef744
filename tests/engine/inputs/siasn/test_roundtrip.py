"""Demo tables -> SIASN-shaped files -> import -> the same tables, and the same plan.

SIASN cannot carry five columns: jpm and kompetensi (assessment results), and
bidang, kecamatan and kritis of a post; nor the field (bidang) of a past post,
for which the import names the post held by jabatan_id where a structural
record's unor is a post of the tree (the demo gives bidang on every row). The office's extra table carries them;
without it they are empty and the report says so. Nor can it carry the order
of the demo's rows: the import writes people by NIP and posts in ref-unor's
order. The plan breaks ties between equal candidates by row order, so the
plan test puts the imported rows in the demo's order first.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from factories import ROOT

from engine.check import check_paths
from engine.inputs.data import Tables, load_tables
from engine.inputs.siasn.run import Options, import_siasn

NOT_IN_SIASN = {"pegawai": ("jpm", "kompetensi"), "jabatan": ("bidang", "kecamatan", "kritis")}
# What the import's post history differs in: no field of its own, and jabatan_id
# where the demo (which gives the field itself) names none.
HISTORY_SKIP = {"riwayat": ("bidang", "jabatan_id")}
KEYS = {"pegawai": ["nip"], "jabatan": ["jabatan_id"], "riwayat": ["nip", "tmt_mulai"]}


def _load(folder: Path) -> Tables:
    return load_tables(
        folder / "pegawai.csv", folder / "jabatan.csv", folder / "riwayat_jabatan.csv"
    )


def _differences(a: Tables, b: Tables, skip: dict[str, tuple[str, ...]]) -> list[str]:
    """Columns whose typed values differ, per table (rows matched by key)."""
    out = []
    for table, key in KEYS.items():
        x = getattr(a, table).sort_values(key).reset_index(drop=True)
        y = getattr(b, table).sort_values(key).reset_index(drop=True)
        if list(x.columns) != list(y.columns) or len(x) != len(y):
            out.append(
                f"{table}: columns {list(x.columns)} vs {list(y.columns)}, rows {len(x)} vs {len(y)}"
            )
            continue
        for column in x.columns:
            if column in skip.get(table, ()):
                continue
            same = (x[column].isna() & y[column].isna()) | (
                x[column].astype(object) == y[column].astype(object)
            )
            if not same.all():
                out.append(f"{table}.{column}: {int((~same).sum())} rows differ")
    return out


def test_round_trip_gives_the_demo_tables(demo_import) -> None:
    out, log = demo_import
    assert _differences(_load(ROOT / "data/demo"), _load(out), HISTORY_SKIP) == []
    imported = _load(out).riwayat
    assert imported["bidang"].isna().all()
    # A structural record names its post when its unor is one: every current one here.
    assert (
        imported["jabatan_id"].notna().sum()
        >= (_load(ROOT / "data/demo").jabatan["nip_pemangku"].notna()).sum()
    )
    assert log.readiness == []
    assert {str(p["why"]) for p in log.left_out} == {
        "not in service: kedudukan hukum 99",
        "CPNS (left out with --without-cpns)",
    }


def test_without_the_extra_table_only_what_siasn_lacks_is_lost(demo_siasn, tmp_path) -> None:
    out = tmp_path / "tables"
    log = import_siasn([demo_siasn / "siasn"], out, Options(without_cpns=True))
    pegawai = pd.read_csv(out / "pegawai.csv", dtype=str)
    jabatan = pd.read_csv(out / "jabatan.csv", dtype=str)
    for column in NOT_IN_SIASN["pegawai"]:
        assert pegawai[column].isna().all(), column
    for column in NOT_IN_SIASN["jabatan"]:
        assert jabatan[column].isna().all(), column
    lost = {(e.table, e.column) for e in log.fields_not_mapped}
    assert lost == {(t, c) for t, cs in NOT_IN_SIASN.items() for c in cs}
    # bidang and kecamatan are required: the report says the tables are not ready.
    assert any("'bidang'" in line for line in log.readiness)
    # Everything else comes through: fill the lost columns from the demo and compare.
    for table, columns in NOT_IN_SIASN.items():
        frame = pegawai if table == "pegawai" else jabatan
        key = "nip" if table == "pegawai" else "jabatan_id"
        source = pd.read_csv(ROOT / f"data/demo/{table}.csv", dtype=str).set_index(key)
        for column in columns:
            frame[column] = frame[key].map(source[column])
        frame.to_csv(out / f"{table}.csv", index=False)
    assert _differences(_load(ROOT / "data/demo"), _load(out), HISTORY_SKIP) == []


def test_a_round_on_the_imported_tables_gives_the_same_plan(demo_import, tmp_path) -> None:
    from engine.plan.pipeline import build_plan

    imported_dir, _ = demo_import
    out = tmp_path / "in-demo-order"
    out.mkdir()
    for table, key in (
        ("pegawai", ["nip"]),
        ("jabatan", ["jabatan_id"]),
        ("riwayat_jabatan", ["nip", "tmt_mulai"]),
    ):
        demo = pd.read_csv(ROOT / f"data/demo/{table}.csv", dtype=str, keep_default_na=False)
        rows = pd.read_csv(imported_dir / f"{table}.csv", dtype=str, keep_default_na=False)
        if table == "riwayat_jabatan":  # the field of each past post, which SIASN lacks
            rows = rows.drop(columns="bidang").merge(demo[[*key, "bidang"]], on=key)
        order = demo[key].merge(rows, on=key, how="left", validate="one_to_one")
        order[rows.columns].to_csv(out / f"{table}.csv", index=False)
    text = (ROOT / "scenarios/demo.yaml").read_text(encoding="utf-8")
    text = text.replace("../data/demo/", f"{out}/").replace("../rules/", f"{ROOT}/rules/")
    scenario = tmp_path / "siasn.yaml"
    scenario.write_text(text, encoding="utf-8")
    checked = check_paths([scenario, out])
    assert checked.problems == []
    original = build_plan(ROOT / "scenarios/demo.yaml").record.to_dict()
    imported = build_plan(scenario).record.to_dict()
    for plan in (original, imported):
        plan.pop("manifest")
    assert json.dumps(imported, sort_keys=True, default=str) == json.dumps(
        original, sort_keys=True, default=str
    )


def test_the_report_lists_every_loss_and_guess(demo_import) -> None:
    out, _ = demo_import
    report = json.loads((out / "import-report.json").read_text(encoding="utf-8"))
    # 13 sanctions of the demo's pegawai table and the generator's one annulled sanction
    assert report["written"] == {
        "pegawai": 645,
        "jabatan": 223,
        "riwayat_jabatan": 1445,
        "hukuman_disiplin": 14,
    }
    assert report["ready_for_a_round"] is True
    why = {e["why"] for e in report["rows_not_mapped"]}
    assert (
        "annulled (skPembatalan given): not a sanction on record "
        "(in hukuman_disiplin.csv with dibatalkan ya)" in why
    )
    assert any(w.startswith("read, not used") for w in why)
    rules = {e["why"] for e in report["guessed"]}
    assert any("jurusan.yaml" in r for r in rules)
    assert any("PP 46/2011 bands" in r for r in rules)
    assert report["empty_answers"], "error answers of histories are listed"
    md = (out / "import-report.md").read_text(encoding="utf-8")
    for heading in ("Rows written", "Rows not mapped", "Values guessed", "People left out"):
        assert heading in md


@pytest.mark.parametrize("folder", ["siasn", "kantor"])
def test_committed_fixtures_are_what_the_generator_makes(
    folder, tmp_path, generator, committed
) -> None:
    make = generator
    peg, jab, riw = make.subset(*make.read_demo(), 2)
    make.write_siasn(peg, jab, riw, tmp_path)
    made = tmp_path / folder
    committed = committed / folder
    names = sorted(p.name for p in made.iterdir())
    assert names == sorted(p.name for p in committed.iterdir())
    for name in names:
        if name.endswith(".xlsx"):  # a workbook holds its creation time: compare cells
            a = pd.read_excel(made / name, dtype=str)
            b = pd.read_excel(committed / name, dtype=str)
            pd.testing.assert_frame_equal(a, b)
        else:
            assert (made / name).read_bytes() == (committed / name).read_bytes(), name
