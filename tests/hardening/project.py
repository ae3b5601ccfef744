"""A small, valid talenta project on disk, for the bad-input corpus to spoil one file at a time.

Layout (every path in the scenario is relative, so the project is
self-contained and its project root is its own folder)::

    rules/   golongan, taksonomi, bobot, bup, kotak-talenta (bundled copies)
             + unit.yaml (one rule naming a unit of the data)
    data/    pegawai.csv, jabatan.csv (4 synthetic people, 4 posts)
    scenarios/round.yaml

All people are synthetic: names are invented and each NIP is assembled from
its row's invented birth date, TMT CPNS and sex.
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Sequence
from pathlib import Path

import openpyxl
from factories import JABATAN_HEADER, PEGAWAI_HEADER, ROOT, person, post, write_csv

__all__ = ["BUNDLED", "Project", "build_baseline"]

# Few rule files keep each case fast (YAML is parsed in pure Python); the
# talent-box file is named by the scenario only in the cases about it.
BUNDLED = (
    "golongan.yaml",
    "taksonomi.yaml",
    "bobot.yaml",
    "bup.yaml",
    "kotak-talenta.yaml",
)
UNIT = "Dinas Pekerjaan Umum dan Penataan Ruang"
UNIT_RULE = f"""# One rule that names a unit of the data (issue 7: unknown units are errors).
- id: pupr.keilmuan
  title: Pimpinan Dinas PUPR berlatar pendidikan satu rumpun dengan bidang jabatan.
  applies_to:
    unit: {UNIT}
    jenis_jabatan: [JPT Pratama, Administrator]
  require: {{bidang_keilmuan: {{min: family}}}}
  source: Perbup (contoh) tentang standar kompetensi jabatan
  effective: {{from: 2024-01-01}}
"""
SCENARIO = """kind: scenario
name: Putaran uji (data sintetis)
date: 2026-07-01
data:
  pegawai: ../data/pegawai.csv
  jabatan: ../data/jabatan.csv
rules: [../rules/golongan.yaml, ../rules/unit.yaml]
taxonomy: ../rules/taksonomi.yaml
weights: ../rules/bobot.yaml
bup: ../rules/bup.yaml
open:
  vacant: true
"""


def people() -> list[dict[str, str]]:
    """Four synthetic people: the incumbents of K1, K2, K4 and one Pelaksana."""
    return [
        person(
            1,
            nama="Contoh Pimpinan Satu",
            tanggal_lahir="1970-03-15",
            tmt_cpns="1995-03-01",
            golongan="IV/c",
            pendidikan="S2",
            jenis_jabatan="JPT Pratama",
            nama_jabatan="Kepala Dinas Contoh",
            tmt_jabatan="2021-01-04",
            pelatihan="PKP:2010|PKA:2015|PKN II:2020",
        ),
        person(
            2,
            nama="Contoh Kabid Dua",
            tanggal_lahir="1976-08-20",
            tmt_cpns="2001-04-01",
            golongan="IV/a",
            jenis_jabatan="Administrator",
            nama_jabatan="Kepala Bidang Contoh",
            pelatihan="PKP:2012|PKA:2019",
        ),
        person(3, nama="Contoh Kasi Tiga", jenis_kelamin="P"),
        person(
            4,
            nama="Contoh Pelaksana Empat",
            tanggal_lahir="1988-11-02",
            tmt_cpns="2012-01-01",
            golongan="III/b",
            jenis_jabatan="Pelaksana",
            nama_jabatan="Pengadministrasi Umum",
            pelatihan="",
            kompetensi="",
        ),
    ]


def posts(nips: Sequence[str]) -> list[dict[str, str]]:
    """Four posts in one tree: K1 <- K2 <- (K3 vacant, K4)."""
    return [
        post(
            "K1",
            nama_jabatan="Kepala Dinas Contoh",
            eselon="II.b",
            jenis_jabatan="JPT Pratama",
            nip_pemangku=nips[0],
        ),
        post("K2", nama_jabatan="Kepala Bidang Contoh", atasan_id="K1", nip_pemangku=nips[1]),
        post(
            "K3",
            nama_jabatan="Kepala Seksi Jalan",
            eselon="IV.a",
            jenis_jabatan="Pengawas",
            atasan_id="K2",
        ),
        post(
            "K4",
            nama_jabatan="Kepala Seksi Jembatan",
            eselon="IV.a",
            jenis_jabatan="Pengawas",
            atasan_id="K2",
            nip_pemangku=nips[2],
        ),
    ]


def build_baseline(folder: Path) -> Path:
    """Write the valid project into ``folder`` and return it."""
    (folder / "rules").mkdir(parents=True)
    for name in BUNDLED:
        shutil.copyfile(ROOT / "rules" / name, folder / "rules" / name)
    (folder / "rules/unit.yaml").write_text(UNIT_RULE, encoding="utf-8")
    (folder / "data").mkdir()
    rows = people()
    write_csv(folder / "data/pegawai.csv", PEGAWAI_HEADER, rows)
    write_csv(folder / "data/jabatan.csv", JABATAN_HEADER, posts([r["nip"] for r in rows]))
    (folder / "scenarios").mkdir()
    (folder / "scenarios/round.yaml").write_text(SCENARIO, encoding="utf-8")
    return folder


class Project:
    """One copy of the baseline, and the small edits a corpus case makes to it."""

    def __init__(self, root: Path):
        self.root = root
        self.scenario = root / "scenarios/round.yaml"

    # --- tables -------------------------------------------------------------
    def people(self) -> list[dict[str, str]]:
        return people()

    def posts(self) -> list[dict[str, str]]:
        return posts([r["nip"] for r in people()])

    def table_rows(self, role: str) -> tuple[list[str], list[list[str]]]:
        """Header and rows (as text cells) of the baseline ``role`` table."""
        if role == "pegawai":
            header, rows = list(PEGAWAI_HEADER), self.people()
        else:
            header, rows = list(JABATAN_HEADER), self.posts()
        return header, [[r.get(h, "") for h in header] for r in rows]

    def csv(
        self,
        role: str,
        header: Sequence[str] | None = None,
        rows: Sequence[Sequence[str]] | None = None,
        *,
        delimiter: str = ",",
        encoding: str = "utf-8",
        text: str | None = None,
    ) -> Path:
        """Write the ``role`` CSV from a header and rows (default: the baseline's)."""
        base_header, base_rows = self.table_rows(role)
        header = list(base_header if header is None else header)
        rows = base_rows if rows is None else rows
        if text is None:
            out = io.StringIO()
            import csv

            writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(rows)
            text = out.getvalue()
        path = self.root / "data" / f"{role}.csv"
        path.write_bytes(text.encode(encoding))
        return path

    def edit_row(self, role: str, index: int, **cells: str) -> Path:
        """The baseline ``role`` CSV with cells of data row ``index`` (0-based) replaced."""
        header, rows = self.table_rows(role)
        for key, value in cells.items():
            rows[index][header.index(key)] = value
        return self.csv(role, header, rows)

    def xlsx(
        self,
        role: str,
        header: Sequence[object] | None = None,
        rows: Sequence[Sequence[object]] | None = None,
    ) -> Path:
        """Write the ``role`` table as XLSX (cells as given: text, numbers, dates) and
        point the scenario at it; the CSV is removed so that `check` sees one table."""
        base_header, base_rows = self.table_rows(role)
        header = list(base_header if header is None else header)
        rows = base_rows if rows is None else rows
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(header)
        for row in rows:
            sheet.append(list(row))
        path = self.root / "data" / f"{role}.xlsx"
        book.save(path)
        self.use_file(role, path)
        return path

    def use_file(self, role: str, path: Path) -> None:
        """Point the scenario's ``data.<role>`` at ``path`` and drop the CSV of that role."""
        (self.root / "data" / f"{role}.csv").unlink(missing_ok=True)
        self.replace_in("scenarios/round.yaml", f"../data/{role}.csv", f"../data/{path.name}")

    # --- text files ---------------------------------------------------------
    def write(self, rel: str, content: str | bytes) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_bytes(content)
        return path

    def read(self, rel: str) -> str:
        return (self.root / rel).read_text(encoding="utf-8")

    def replace_in(self, rel: str, old: str, new: str) -> Path:
        text = self.read(rel)
        assert old in text, f"{rel} no longer contains {old!r}"
        return self.write(rel, text.replace(old, new, 1))

    def append(self, rel: str, text: str) -> Path:
        return self.write(rel, self.read(rel) + text)

    def sparse(self, rel: str, size: int) -> Path:
        """A file of ``size`` bytes that takes no disk space (a size check must come first)."""
        path = self.root / rel
        with path.open("wb") as handle:
            handle.truncate(size)
        return path
