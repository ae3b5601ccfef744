"""The SIASN import, case by case, on the committed synthetic fixtures."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from factories import ROOT

from engine.errors import InputError
from engine.inputs.siasn.run import OUTPUTS, Options, import_siasn

NIP = "196807141995101008"  # the first person of the demo (synthetic), with a per-NIP file


@pytest.fixture
def siasn(tmp_path: Path, committed: Path) -> Path:
    """A copy of the committed SIASN files, to change."""
    shutil.copytree(committed / "siasn", tmp_path / "siasn")
    return tmp_path / "siasn"


def _run(sources: Path | list[Path], out: Path, **options):
    paths = sources if isinstance(sources, list) else [sources]
    return import_siasn(paths, out, Options(**options))


def _edit(path: Path, change) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data), encoding="utf-8")


def _problems(excinfo: pytest.ExceptionInfo[InputError]) -> list[str]:
    return [str(p) for p in excinfo.value.problems]


def test_committed_fixtures_import_and_pass_talentas_checks(siasn, tmp_path, committed) -> None:
    log = _run(siasn, tmp_path / "out")
    assert log.written["pegawai"] > 100
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(OUTPUTS)
    # Without the extra tables, bidang and kecamatan are missing: the report says so.
    assert any("bidang" in line for line in log.readiness)
    extra = sorted((committed / "kantor").glob("*.csv"))
    log = _run(siasn, tmp_path / "out", extra=extra)
    assert log.readiness == []


def test_inputs_are_never_modified(siasn, tmp_path) -> None:
    def digest() -> dict[str, str]:
        return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in siasn.iterdir()}

    before = digest()
    _run(siasn, tmp_path / "out")
    assert digest() == before


def test_keys_match_whatever_their_case(siasn, tmp_path) -> None:
    def shout(data):
        data["data"] = {k.upper(): v for k, v in data["data"].items()}
        data["DATA"] = data.pop("data")

    _edit(siasn / f"data-utama-{NIP}.json", shout)
    _run(siasn, tmp_path / "out")
    pegawai = pd.read_csv(tmp_path / "out/pegawai.csv", dtype=str).set_index("nip")
    assert pegawai.loc[NIP, "golongan"] == "IV/c"
    assert pegawai.loc[NIP, "tanggal_lahir"] == "1968-07-14"


def test_a_bad_date_names_file_nip_and_field_and_writes_nothing(siasn, tmp_path) -> None:
    out = tmp_path / "out"
    _run(siasn, out)
    before = (out / "pegawai.csv").read_bytes()
    _edit(siasn / f"data-utama-{NIP}.json", lambda d: d["data"].update(tglLahir="31-02-1968"))
    _edit(siasn / "rw-skp22.json", lambda d: d[NIP]["data"][0].update(tahun="20x3"))
    with pytest.raises(InputError) as excinfo:
        _run(siasn, out)
    found = _problems(excinfo)
    assert any(
        f"data-utama-{NIP}.json" in p and "'tgllahir'" in p and f"NIP {NIP}" in p for p in found
    ), found
    assert any("rw-skp22.json" in p and "'tahun'" in p for p in found), found
    assert (out / "pegawai.csv").read_bytes() == before  # the old import stays whole


def test_empty_dates_in_any_form_are_missing(siasn, tmp_path) -> None:
    _edit(siasn / f"data-utama-{NIP}.json", lambda d: d["data"].update(tmtPensiun=None))
    log = _run(siasn, tmp_path / "out")
    hukdis = [e for e in log.guessed if e.column == "hukuman_selesai"]
    assert hukdis and str(hukdis[0].why) == "no end date and no duration: ends on its start"


def test_an_error_answer_for_a_persons_data_is_a_problem(siasn, tmp_path) -> None:
    (siasn / f"data-utama-{NIP}.json").write_text(
        json.dumps({"Error": True, "Message": "token expired"}), encoding="utf-8"
    )
    with pytest.raises(InputError) as excinfo:
        _run(siasn, tmp_path / "out")
    assert any("SIASN answered with an error: token expired" in p for p in _problems(excinfo))


def test_unknown_codes_are_problems_that_point_at_kode_yaml(siasn, tmp_path) -> None:
    _edit(siasn / f"data-utama-{NIP}.json", lambda d: d["data"].update(golRuangAkhirId="46"))
    with pytest.raises(InputError) as excinfo:
        _run(siasn, tmp_path / "out")
    (problem,) = [p for p in _problems(excinfo) if "golruangakhirid" in p]
    assert "code '46' is not in the table 'golongan' of kode.yaml" in problem


def test_unmatched_field_of_study_is_listed_never_guessed(siasn, tmp_path) -> None:
    _edit(
        siasn / f"data-utama-{NIP}.json",
        lambda d: d["data"].update(pendidikanTerakhirNama="S-2 ILMU PERTAHANAN"),
    )
    log = _run(siasn, tmp_path / "out")
    assert log.unmatched_jurusan == [{"text": "S-2 ILMU PERTAHANAN", "people": 1}]
    pegawai = pd.read_csv(tmp_path / "out/pegawai.csv", dtype=str).set_index("nip")
    assert pegawai.loc[NIP, "jurusan"] == "S-2 ILMU PERTAHANAN"
    assert any("ILMU PERTAHANAN" in line for line in log.readiness)


def test_history_ends_where_the_next_post_begins(siasn, tmp_path) -> None:
    _run(siasn, tmp_path / "out")
    riwayat = pd.read_csv(tmp_path / "out/riwayat_jabatan.csv", dtype=str)
    mine = riwayat[riwayat["nip"] == NIP].sort_values("tmt_mulai")
    assert mine["tmt_selesai"].iloc[:-1].tolist() == mine["tmt_mulai"].iloc[1:].tolist()
    assert pd.isna(mine["tmt_selesai"].iloc[-1])


def test_skp22_wins_over_a_number_of_the_same_year(siasn, tmp_path) -> None:
    def add_number(data):
        data[NIP] = {"data": [{"tahun": "2024", "nilaiPrestasiKerja": "55"}]}

    _edit(siasn / "rw-skp.json", add_number)
    log = _run(siasn, tmp_path / "out")
    pegawai = pd.read_csv(tmp_path / "out/pegawai.csv", dtype=str).set_index("nip")
    assert pegawai.loc[NIP, "skp_2024"] == "Baik"
    assert any("rw-skp22 also gives" in str(e.why) for e in log.rows_not_mapped)


def test_numbers_before_2022_go_through_the_pp46_bands(siasn, tmp_path) -> None:
    def add(data):
        data[NIP] = {
            "data": [
                {"tahun": 2021, "nilaiPrestasiKerja": "91.0"},
                {"tahun": 2020, "nilaiPrestasiKerja": 75},
            ]
        }

    _edit(siasn / "rw-skp.json", add)
    _run(siasn, tmp_path / "out")
    pegawai = pd.read_csv(tmp_path / "out/pegawai.csv", dtype=str).set_index("nip")
    assert pegawai.loc[NIP, ["skp_2020", "skp_2021"]].tolist() == ["Butuh Perbaikan", "Sangat Baik"]


def test_the_most_severe_sanction_not_annulled_is_kept(siasn, tmp_path) -> None:
    def add(data):
        data[NIP] = {
            "data": [
                {
                    "jenisTingkatHukumanId": "R",
                    "hukumanTanggal": "01-02-2020",
                    "akhirHukumTanggal": "01-02-2020",
                },
                {
                    "jenisTingkatHukumanId": "S",
                    "hukumanTanggal": "01-02-2021",
                    "masaTahun": "0",
                    "masaBulan": "6",
                },
                {
                    "jenisTingkatHukumanId": "B",
                    "hukumanTanggal": "01-02-2022",
                    "skPembatalanNomor": "1/2022",
                },
            ]
        }

    _edit(siasn / "rw-hukdis.json", add)
    log = _run(siasn, tmp_path / "out")
    row = pd.read_csv(tmp_path / "out/pegawai.csv", dtype=str).set_index("nip").loc[NIP]
    assert row[["hukuman_tingkat", "hukuman_tmt", "hukuman_selesai"]].tolist() == [
        "sedang",
        "2021-02-01",
        "2021-08-01",
    ]
    assert any(str(e.why).startswith("no end date: start plus") for e in log.guessed)


def test_the_sanction_history_is_written_whole_annulled_ones_marked(siasn, tmp_path) -> None:
    # One synthetic person with three sanctions: a light one that ended, a moderate one
    # with no end date but a duration of 6 months, a heavy one annulled by an SK.
    def add(data):
        data[NIP] = {
            "data": [
                {
                    "jenisTingkatHukumanId": "R",
                    "jenisHukumanNama": "Teguran tertulis",
                    "hukumanTanggal": "01-02-2019",
                    "akhirHukumTanggal": "01-02-2020",
                },
                {
                    "jenisTingkatHukumanId": "S",
                    "jenisHukumanNama": "Pemotongan tunjangan kinerja 25% selama 6 bulan",
                    "hukumanTanggal": "01-02-2021",
                    "akhirHukumTanggal": "",
                    "masaTahun": "0",
                    "masaBulan": "6",
                },
                {
                    "jenisTingkatHukumanId": "B",
                    "jenisHukumanNama": "Penurunan jabatan setingkat lebih rendah",
                    "hukumanTanggal": "01-02-2022",
                    "akhirHukumTanggal": "01-02-2023",
                    "skPembatalanNomor": "1/2022",
                },
            ]
        }

    _edit(siasn / "rw-hukdis.json", add)
    log = _run(siasn, tmp_path / "out")
    table = pd.read_csv(tmp_path / "out/hukuman_disiplin.csv", dtype=str, keep_default_na=False)
    assert list(table.columns) == [
        "nip",
        "hukuman_tingkat",
        "hukuman_tmt",
        "hukuman_selesai",
        "dibatalkan",
        "keterangan",
    ]
    mine = table[table["nip"] == NIP].drop(columns="nip").values.tolist()
    assert mine == [
        ["ringan", "2019-02-01", "2020-02-01", "tidak", "Teguran tertulis"],
        [
            "sedang",
            "2021-02-01",
            "2021-08-01",
            "tidak",
            "Pemotongan tunjangan kinerja 25% selama 6 bulan",
        ],
        ["berat", "2022-02-01", "2023-02-01", "ya", "Penurunan jabatan setingkat lebih rendah"],
    ]
    assert log.written["hukuman_disiplin"] == len(table)


def test_the_imported_sanction_history_loads_with_every_sanction(
    siasn, tmp_path, committed
) -> None:
    # A heavy sanction in 2019 and a later light one: the pegawai columns keep the heavy
    # one only; the history keeps both, and talenta's loader reads it as a round would.
    from engine.inputs.data import load_tables

    def add(data):
        data[NIP] = {
            "data": [
                {
                    "jenisTingkatHukumanId": "B",
                    "hukumanTanggal": "01-03-2019",
                    "akhirHukumTanggal": "01-03-2020",
                },
                {
                    "jenisTingkatHukumanId": "R",
                    "hukumanTanggal": "01-03-2024",
                    "akhirHukumTanggal": "01-03-2024",
                },
            ]
        }

    _edit(siasn / "rw-hukdis.json", add)
    out = tmp_path / "out"
    _run(siasn, out, extra=sorted((committed / "kantor").glob("*.csv")))
    pegawai = pd.read_csv(out / "pegawai.csv", dtype=str).set_index("nip")
    assert pegawai.loc[NIP, "hukuman_tingkat"] == "berat"
    tables = load_tables(
        out / "pegawai.csv",
        out / "jabatan.csv",
        out / "riwayat_jabatan.csv",
        hukuman=out / "hukuman_disiplin.csv",
    )
    assert tables.hukuman is not None
    rows = tables.hukuman[tables.hukuman["nip"] == NIP]
    assert rows["hukuman_tingkat"].astype(str).tolist() == ["berat", "ringan"]


def test_without_rw_hukdis_no_sanction_history_is_written(siasn, tmp_path) -> None:
    (siasn / "rw-hukdis.json").unlink()
    log = _run(siasn, tmp_path / "out")
    assert not (tmp_path / "out/hukuman_disiplin.csv").exists()
    assert "hukuman_disiplin" not in log.written


def test_leader_of_a_unor_is_the_posts_incumbent(siasn, tmp_path) -> None:
    _run(siasn, tmp_path / "out")
    jabatan = pd.read_csv(tmp_path / "out/jabatan.csv", dtype=str).set_index("jabatan_id")
    assert jabatan.loc["SETDA.SEKDA", "nip_pemangku"] == NIP
    assert jabatan.loc["SETDA.AS-1", "atasan_id"] == "SETDA.SEKDA"
    assert jabatan.loc["SETDA.BAG-PEM.SUB-1", "unit"] == "Sekretariat Daerah"


def test_pseudonymise_masks_nips_in_messages_and_report(siasn, tmp_path) -> None:
    _edit(siasn / f"data-utama-{NIP}.json", lambda d: d["data"].update(tglLahir="xx"))
    with pytest.raises(InputError) as excinfo:
        _run(siasn, tmp_path / "out", pseudonymise=True)
    text = "\n".join(_problems(excinfo))
    assert NIP not in text and "PSN-" in text
    _edit(siasn / f"data-utama-{NIP}.json", lambda d: d["data"].update(tglLahir="14-07-1968"))
    _run(siasn, tmp_path / "out", pseudonymise=True)
    report = (tmp_path / "out/import-report.md").read_text(encoding="utf-8")
    assert NIP not in report
    assert "Pensiunan Contoh" not in report


def test_cpns_are_left_out_only_when_asked(siasn, tmp_path) -> None:
    cpns = "200001012025012901"
    _run(siasn, tmp_path / "a")
    assert cpns in pd.read_csv(tmp_path / "a/pegawai.csv", dtype=str)["nip"].tolist()
    log = _run(siasn, tmp_path / "b", without_cpns=True)
    assert cpns not in pd.read_csv(tmp_path / "b/pegawai.csv", dtype=str)["nip"].tolist()
    assert {
        "nip": cpns,
        "nama": "Calon Contoh",
        "why": "CPNS (left out with --without-cpns)",
    } in [{**p, "why": str(p["why"])} for p in log.left_out]


def test_an_output_folder_with_other_files_is_refused(siasn, tmp_path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(InputError, match="holds files an import did not write"):
        _run(siasn, out)
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_the_command_line_exits_2_with_messages_never_a_traceback(siasn, tmp_path) -> None:
    (siasn / "rw-jabatan.json").write_text("{not json", encoding="utf-8")
    (siasn / "notes.json").write_text("{}", encoding="utf-8")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "engine.cli",
            "import",
            "siasn",
            str(siasn),
            "--out",
            str(tmp_path / "o"),
            "--lang",
            "en",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "COLUMNS": "400"},
    )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert "rw-jabatan.json:1: not valid JSON" in done.stderr
    assert "notes.json: the file name does not say which SIASN endpoint" in done.stderr
    assert not (tmp_path / "o").exists()


def test_regression_a_bad_nip_does_not_hide_the_rows_other_problems(tmp_path) -> None:
    path = tmp_path / "data-utama-x.json"
    path.write_text(
        json.dumps({"code": 1, "data": {"nipBaru": "12", "tglLahir": "31-31-2000"}}),
        encoding="utf-8",
    )
    with pytest.raises(InputError) as excinfo:
        _run(path, tmp_path / "out")
    found = _problems(excinfo)
    assert any("'nipbaru'" in p and "not 18 digits" in p for p in found)
    assert any("'tgllahir'" in p and "'31-31-2000' is not a date" in p for p in found)
    assert any("'golongan_id'" in p and "golRuangAkhirId or gol_akhir_id" in p for p in found)


@pytest.mark.parametrize("shape", ["list of responses", "list of records", "one file per NIP"])
def test_a_file_may_hold_responses_in_any_documented_shape(siasn, tmp_path, shape) -> None:
    _run(siasn, tmp_path / "before")
    path = siasn / "rw-jabatan.json"
    by_nip = json.loads(path.read_text(encoding="utf-8"))
    path.unlink()
    if shape == "list of responses":
        data = list(by_nip.values())
        # without a NIP key, each record names its person by nipBaru or idPns
        path.write_text(json.dumps(data), encoding="utf-8")
    elif shape == "list of records":
        records = [r for answer in by_nip.values() for r in answer.get("data") or []]
        path.write_text(json.dumps(records), encoding="utf-8")
    else:
        for nip, answer in by_nip.items():
            (siasn / f"rw-jabatan-{nip}.json").write_text(json.dumps(answer), encoding="utf-8")
    _run(siasn, tmp_path / "after")
    before = (tmp_path / "before/riwayat_jabatan.csv").read_bytes()
    assert (tmp_path / "after/riwayat_jabatan.csv").read_bytes() == before


def test_a_record_without_a_nip_is_named_by_its_line_in_the_run_language(tmp_path, committed):
    with (committed / "siasn/export-data-asn.csv").open(encoding="utf-8", newline="") as f:
        header, row = list(csv.reader(f))[:2]
    row[header.index("nip_baru")] = ""
    row[header.index("tanggal_lahir")] = "31-31-1971"
    path = tmp_path / "export-data-asn.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([header, row])
    with pytest.raises(InputError) as excinfo:
        _run(path, tmp_path / "out")
    (date,) = [p for p in excinfo.value.problems if "31-31-1971" in p.render("en")]
    assert "rekaman baris 2: '31-31-1971' bukan tanggal" in date.render("id")
    assert "record line 2: '31-31-1971' is not a date" in date.render("en")
