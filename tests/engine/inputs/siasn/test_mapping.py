"""The mapping folder: read strictly, every problem with file:line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from engine.errors import InputError
from engine.inputs.settings import load_taxonomy
from engine.inputs.siasn.mapping import DEFAULT_FOLDER, load_mapping
from engine.inputs.siasn.run import Options, import_siasn

TAXONOMY = DEFAULT_FOLDER.parents[1] / "rules/taksonomi.yaml"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shutil.copytree(DEFAULT_FOLDER, tmp_path / "mapping")
    return tmp_path / "mapping"


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_bundled_mapping_is_dated_and_cited() -> None:
    mapping = load_mapping()
    for name in ("golongan", "eselon", "pendidikan", "kuadran", "hukuman_tingkat"):
        table = getattr(mapping.codes, name)
        assert table.source and table.effective.from_
    assert mapping.codes.skp_angka.effective.until is not None
    assert mapping.codes.golongan.plain()["32"] == "III/b"
    assert len(mapping.codes.golongan.values) == 17


def test_a_code_mapped_to_no_talenta_value_is_refused(folder: Path) -> None:
    _replace(folder / "kode.yaml", '"45": IV/e', '"45": IV/f')
    with pytest.raises(InputError) as excinfo:
        load_mapping(folder)
    (problem,) = excinfo.value.problems
    assert problem.file.endswith("kode.yaml") and problem.line is not None
    assert "IV/f" in problem.message


def test_an_unknown_value_name_in_kolom_yaml_is_refused(folder: Path) -> None:
    _replace(folder / "kolom.yaml", "  tmt_cpns: [tmtCpns, tmt_cpns]", "  tmt_cpn: [tmtCpns]")
    with pytest.raises(InputError, match="missing \\['tmt_cpns'\\]"):
        load_mapping(folder)


def test_a_lookup_to_no_major_of_the_taxonomy_is_refused(folder: Path) -> None:
    _replace(
        folder / "jurusan.yaml", "PLANOLOGI: Perencanaan Wilayah dan Kota", "PLANOLOGI: Planologi"
    )
    with pytest.raises(InputError) as excinfo:
        load_mapping(folder, majors=set(load_taxonomy(TAXONOMY).field_of_major))
    (problem,) = excinfo.value.problems
    assert "'Planologi', which is not a major of the taxonomy" in problem.message
    assert problem.line is not None


def test_an_office_fixes_a_code_without_code(folder: Path, committed: Path, tmp_path: Path) -> None:
    siasn = tmp_path / "siasn"
    shutil.copytree(committed / "siasn", siasn)
    nip = "196807141995101008"
    path = siasn / f"data-utama-{nip}.json"
    path.write_text(path.read_text(encoding="utf-8").replace('"43"', '"IVC"'), encoding="utf-8")
    with pytest.raises(InputError, match="code 'IVC' is not in the table 'golongan'"):
        import_siasn([siasn], tmp_path / "a", Options(mapping=folder))
    _replace(folder / "kode.yaml", '    "43": IV/c\n', '    "43": IV/c\n    IVC: IV/c\n')
    import_siasn([siasn], tmp_path / "b", Options(mapping=folder))
    pegawai = pd.read_csv(tmp_path / "b/pegawai.csv", dtype=str).set_index("nip")
    assert pegawai.loc[nip, "golongan"] == "IV/c"


def test_the_export_alone_gives_people_but_says_what_is_missing(
    committed: Path, tmp_path: Path
) -> None:
    log = import_siasn([committed / "siasn/export-data-asn.csv"], tmp_path / "out", Options())
    assert log.written["pegawai"] > 0 and log.written["jabatan"] == 0
    assert {(e.table, e.column) for e in log.fields_not_mapped} >= {
        ("jabatan", "(all)"),
        ("riwayat_jabatan", "(all)"),
    }
    assert any(line.endswith("jabatan.csv: no rows") for line in log.readiness)
