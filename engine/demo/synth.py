"""Deterministic synthetic pegawai, jabatan and riwayat_jabatan tables.

:func:`make_regency` builds one regency shaped like Kabupaten Solok Selatan
(West Sumatra); :func:`make_province` repeats the same building blocks as
many regencies, for benchmarks at 20,000 people and 5,000 posts. The tables
follow the column contract of ``docs/data.md`` exactly.

Assumptions
-----------
- Everything is synthetic. Unit and kecamatan names are the real public ones
  of the regency (DOMAIN.md); every person is invented. Names are built from
  invented syllables, and NIPs from the invented birth date, TMT CPNS and
  sex, so no row describes a real person.
- One ``numpy.random.default_rng(seed)`` drives everything and the draws
  happen in a fixed order, so a seed gives byte-identical output on any run.
  Changing the draws (or ``rules/taksonomi.yaml``, which supplies the fields
  and majors) changes the output: regenerate ``data/demo`` then.
- The figures (age bands, golongan ranges per eselon, education mix, SKP
  mostly Baik, 1-3 % with a sanction, women 35-40 % of structural posts,
  10-15 % of posts vacant) are the ones in DOMAIN.md; they are plausible
  shapes, not statistics of the real regency.
- Each person's post history (``riwayat``) has 1 to 4 contiguous rows ending
  with the current post: a row ends on the day the next one starts, the last
  has no end. The first row starts at TMT CPNS when it is an entry-level post
  (Pelaksana, Ahli Pertama, skill-track Terampil); otherwise the earlier part
  of the career is not on record, as is common in real exports.
- Every vacant post gets two feeder candidates built to meet the usual
  requirements of its level (education, golongan, experience, 2 years in
  post, SKP Baik, no sanction, a major of the post's field), so a placement
  round on the demo has a real choice; everyone else is drawn freely, so
  many people miss one requirement or another.
- The SKP of the earliest year is written as a PP 46/2011 number for about
  10 % of people, as older records are; the loader maps it onto the
  predikat scale.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from engine.inputs.scales import ESELON_JENIS, GOLONGAN, PENDIDIKAN, SKP_PREDIKAT

__all__ = [
    "DEFAULT_AS_OF",
    "DEFAULT_SEED",
    "FILES",
    "JABATAN_COLUMNS",
    "RIWAYAT_COLUMNS",
    "SynthData",
    "main",
    "make_province",
    "make_regency",
    "pegawai_columns",
    "regency_posts",
    "skp_years",
    "write",
]

DEFAULT_SEED = 20261129
DEFAULT_AS_OF = dt.date(2026, 7, 1)
TAXONOMY_PATH = Path(__file__).resolve().parents[2] / "rules" / "taksonomi.yaml"

JABATAN_COLUMNS: tuple[str, ...] = (
    "jabatan_id",
    "nama_jabatan",
    "unit",
    "eselon",
    "jenis_jabatan",
    "atasan_id",
    "bidang",
    "kecamatan",
    "nip_pemangku",
    "kritis",
)
RIWAYAT_COLUMNS: tuple[str, ...] = (
    "nip",
    "jenis_jabatan",
    "nama_jabatan",
    "unit",
    "tmt_mulai",
    "tmt_selesai",
    "bidang",
)
FILES = {"pegawai": "pegawai.csv", "jabatan": "jabatan.csv", "riwayat": "riwayat_jabatan.csv"}

_DAYS_PER_YEAR = 365.25


def skp_years(as_of: dt.date) -> tuple[int, ...]:
    """The three SKP years on record at ``as_of``: the last three full years."""
    return tuple(range(as_of.year - 3, as_of.year))


def pegawai_columns(as_of: dt.date = DEFAULT_AS_OF) -> tuple[str, ...]:
    """Columns of the pegawai table in contract order, with ``skp_YYYY`` for ``as_of``."""
    return (
        "nip",
        "nama",
        "jenis_kelamin",
        "tanggal_lahir",
        "tmt_cpns",
        "golongan",
        "tmt_golongan",
        "pendidikan",
        "jurusan",
        "jenis_jabatan",
        "nama_jabatan",
        "unit",
        "tmt_jabatan",
        *(f"skp_{y}" for y in skp_years(as_of)),
        "jpm",
        "kompetensi",
        "pelatihan",
        "hukuman_tingkat",
        "hukuman_tmt",
        "hukuman_selesai",
    )


@dataclass(frozen=True, eq=False)
class SynthData:
    """The three synthetic tables, columns as in ``docs/data.md``.

    Dates are ``datetime64`` columns, ``jpm`` float, ``kompetensi`` nullable
    integer, everything else text; a missing value is NaN/NaT/NA, written as
    an empty cell.
    """

    pegawai: pd.DataFrame
    jabatan: pd.DataFrame
    riwayat: pd.DataFrame


# ---------------------------------------------------------------------------
# The regency: units and posts
# ---------------------------------------------------------------------------

CAPITAL_KECAMATAN = "Sangir"  # Padang Aro, the capital, lies in Sangir
KECAMATAN: tuple[tuple[str, str], ...] = (
    ("SGR", "Sangir"),
    ("SJJ", "Sangir Jujuan"),
    ("SBJ", "Sangir Balai Janggo"),
    ("SBH", "Sangir Batang Hari"),
    ("SPG", "Sungai Pagu"),
    ("PDO", "Pauh Duo"),
    ("KPGD", "Koto Parik Gadang Diateh"),
)

# Sekretariat Daerah: asisten -> bagian -> subbagian.
# fmt: off
_ASISTEN = (
    ("Asisten Pemerintahan dan Kesejahteraan Rakyat", "Ilmu Pemerintahan", (
        ("PEM", "Pemerintahan", "Ilmu Pemerintahan", (
            ("Administrasi Pemerintahan", "Ilmu Pemerintahan"),
            ("Otonomi Daerah dan Kerja Sama", "Ilmu Pemerintahan"))),
        ("HUK", "Hukum", "Hukum", (("Perundang-undangan", "Hukum"), ("Bantuan Hukum", "Hukum"))),
        ("KESRA", "Kesejahteraan Rakyat", "Ilmu Sosial", (("Bina Mental dan Spiritual", "Ilmu Sosial"),)),
    )),
    ("Asisten Perekonomian dan Pembangunan", "Ekonomi", (
        ("EKO", "Perekonomian dan Sumber Daya Alam", "Ekonomi", (("Perekonomian", "Ekonomi"),)),
        ("ADPEM", "Administrasi Pembangunan", "Perencanaan Wilayah",
         (("Pengendalian Pembangunan", "Perencanaan Wilayah"),)),
        ("PBJ", "Pengadaan Barang dan Jasa", "Manajemen", (("Pengelolaan Layanan Pengadaan", "Manajemen"),)),
    )),
    ("Asisten Administrasi Umum", "Administrasi Publik", (
        ("UM", "Umum", "Administrasi Publik", (
            ("Tata Usaha Pimpinan", "Administrasi Publik"), ("Rumah Tangga", "Manajemen"),
            ("Keuangan", "Akuntansi"))),
        ("ORG", "Organisasi", "Administrasi Publik", (
            ("Kelembagaan dan Analisis Jabatan", "Administrasi Publik"),
            ("Reformasi Birokrasi dan Akuntabilitas Kinerja", "Administrasi Publik"))),
        ("PROKOPIM", "Protokol dan Komunikasi Pimpinan", "Ilmu Komunikasi", (("Protokol", "Ilmu Komunikasi"),)),
    )),
)
_STAF_AHLI = (
    ("Pemerintahan, Hukum dan Politik", "Hukum"),
    ("Ekonomi, Keuangan dan Pembangunan", "Ekonomi"),
    ("Kemasyarakatan dan Sumber Daya Manusia", "Ilmu Sosial"),
)
_SETWAN_BAGIAN = (
    ("UMKEU", "Umum dan Keuangan", "Manajemen",
     (("Tata Usaha dan Kepegawaian", "Administrasi Publik"), ("Keuangan", "Akuntansi"))),
    ("SIDANG", "Persidangan dan Perundang-undangan", "Hukum", (("Persidangan dan Risalah", "Hukum"),)),
    ("FASPENG", "Fasilitasi Penganggaran dan Pengawasan", "Ekonomi", (("Fasilitasi Penganggaran", "Ekonomi"),)),
)

# Badan and dinas: (code, unit, head field, kecamatan, subbagian of the
# sekretariat, bidang, UPT). A bidang is (code, name, field, seksi); a seksi is
# (name, field); a UPT is (name, eselon, field, kecamatan).
_SUB_UMUM = ("Umum dan Kepegawaian", "Administrasi Publik")
_SUB_KEU = ("Perencanaan dan Keuangan", "Akuntansi")
_SUB_SATU = (("Umum dan Keuangan", "Manajemen"),)
_SUB_DUA = (_SUB_UMUM, _SUB_KEU)

_Bidang = tuple[str, str, str, tuple[tuple[str, str], ...]]
_Upt = tuple[str, str, str, str]
_Unit = tuple[str, str, str, str, tuple[tuple[str, str], ...], tuple[_Bidang, ...], tuple[_Upt, ...]]

_UNITS: tuple[_Unit, ...] = (
    ("BAPPEDA", "Badan Perencanaan Pembangunan Daerah", "Perencanaan Wilayah", "Sangir", _SUB_DUA, (
        ("PPM", "Perencanaan Pemerintahan dan Pembangunan Manusia", "Ilmu Pemerintahan", ()),
        ("EKO", "Perekonomian dan Sumber Daya Alam", "Ekonomi", ()),
        ("INFRA", "Infrastruktur dan Kewilayahan", "Perencanaan Wilayah", ()),
    ), ()),
    ("BKPSDM", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "Administrasi Publik", "Sangir",
     _SUB_SATU, (
        ("MUT", "Mutasi dan Promosi", "Administrasi Publik", ()),
        ("PSDM", "Pengembangan Sumber Daya Manusia", "Manajemen", ()),
        ("PPI", "Pengadaan, Pemberhentian dan Informasi", "Administrasi Publik", ()),
    ), ()),
    ("BPKD", "Badan Pengelolaan Keuangan Daerah", "Akuntansi", "Sangir", _SUB_DUA, (
        ("ANG", "Anggaran", "Akuntansi", ()),
        ("PERB", "Perbendaharaan", "Akuntansi", ()),
        ("AKT", "Akuntansi dan Pelaporan", "Akuntansi", ()),
        ("ASET", "Aset", "Manajemen", ()),
    ), ()),
    ("BAPENDA", "Badan Pendapatan Daerah", "Manajemen", "Sangir", _SUB_SATU, (
        ("PEND", "Pendataan dan Penetapan", "Manajemen", ()),
        ("TAGIH", "Penagihan dan Pengendalian", "Akuntansi", ()),
    ), ()),
    ("BPBD", "Badan Penanggulangan Bencana Daerah", "Perencanaan Wilayah", "Sangir", _SUB_SATU, (
        ("PK", "Pencegahan dan Kesiapsiagaan", "Perencanaan Wilayah", ()),
        ("KL", "Kedaruratan dan Logistik", "Manajemen", ()),
        ("RR", "Rehabilitasi dan Rekonstruksi", "Teknik Sipil", ()),
    ), ()),
    ("KESBANGPOL", "Badan Kesatuan Bangsa dan Politik", "Ilmu Pemerintahan", "Sangir", _SUB_SATU, (
        ("IDE", "Ideologi, Wawasan Kebangsaan dan Karakter Bangsa", "Ilmu Pemerintahan", ()),
        ("POL", "Politik Dalam Negeri dan Organisasi Kemasyarakatan", "Ilmu Pemerintahan", ()),
    ), ()),
    ("DISDIKBUD", "Dinas Pendidikan dan Kebudayaan", "Ilmu Pendidikan", "Sangir", _SUB_DUA, (
        ("PAUD", "Pembinaan PAUD dan Pendidikan Nonformal", "Ilmu Pendidikan", ()),
        ("SD", "Pembinaan Sekolah Dasar", "Ilmu Pendidikan", ()),
        ("SMP", "Pembinaan Sekolah Menengah Pertama", "Ilmu Pendidikan", ()),
        ("BUD", "Kebudayaan", "Ilmu Sosial", ()),
    ), ()),
    ("DINKES", "Dinas Kesehatan", "Kesehatan Masyarakat", "Sangir", _SUB_DUA, (
        ("KESMAS", "Kesehatan Masyarakat", "Kesehatan Masyarakat", ()),
        ("P2P", "Pencegahan dan Pengendalian Penyakit", "Kesehatan Masyarakat", ()),
        ("YANKES", "Pelayanan dan Sumber Daya Kesehatan", "Kedokteran", ()),
    ), (
        ("Laboratorium Kesehatan Daerah", "IV.b", "Kesehatan Masyarakat", "Sangir"),
        ("Instalasi Farmasi", "IV.b", "Farmasi", "Sangir"),
    )),
    ("DPUPR", "Dinas Pekerjaan Umum dan Penataan Ruang", "Teknik Sipil", "Sangir", _SUB_DUA, (
        ("BM", "Bina Marga", "Teknik Sipil", (
            ("Pembangunan Jalan dan Jembatan", "Teknik Sipil"),
            ("Pemeliharaan Jalan dan Jembatan", "Teknik Sipil"))),
        ("SDA", "Sumber Daya Air", "Teknik Sipil", (("Irigasi", "Teknik Sipil"),)),
        ("CKTR", "Cipta Karya dan Tata Ruang", "Perencanaan Wilayah",
         (("Penataan Bangunan dan Lingkungan", "Teknik Sipil"),)),
    ), (("Peralatan dan Perbengkelan", "IV.b", "Teknik Elektro", "Sangir"),)),
    ("DPKPLH", "Dinas Perumahan, Kawasan Permukiman dan Lingkungan Hidup", "Teknik Lingkungan", "Sangir",
     _SUB_DUA, (
        ("PERKIM", "Perumahan dan Kawasan Permukiman", "Perencanaan Wilayah", ()),
        ("PPLH", "Pengendalian Pencemaran dan Kerusakan Lingkungan", "Teknik Lingkungan", ()),
        ("SAMPAH", "Pengelolaan Sampah dan Pertamanan", "Ilmu Lingkungan", ()),
    ), (("Tempat Pemrosesan Akhir Sampah", "IV.b", "Teknik Lingkungan", "Sangir Jujuan"),)),
    ("DINSOS", "Dinas Sosial", "Ilmu Sosial", "Sangir", _SUB_SATU, (
        ("REHAB", "Rehabilitasi dan Perlindungan Sosial", "Ilmu Sosial", ()),
        ("DAYA", "Pemberdayaan Sosial dan Penanganan Fakir Miskin", "Ilmu Sosial", ()),
    ), ()),
    ("DUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil", "Administrasi Publik", "Sangir", _SUB_SATU, (
        ("DAFDUK", "Pelayanan Pendaftaran Penduduk", "Administrasi Publik", ()),
        ("PIAK", "Pengelolaan Informasi Administrasi Kependudukan", "Teknologi Informasi", ()),
    ), ()),
    ("DPMN", "Dinas Pemberdayaan Masyarakat dan Nagari", "Ilmu Pemerintahan", "Sangir", _SUB_SATU, (
        ("PEMNAG", "Pemerintahan Nagari", "Ilmu Pemerintahan", ()),
        ("PM", "Pemberdayaan Masyarakat", "Ilmu Sosial", ()),
    ), ()),
    ("DPPKBP3A", "Dinas Pengendalian Penduduk, Keluarga Berencana, Pemberdayaan Perempuan dan "
     "Perlindungan Anak", "Kesehatan Masyarakat", "Sangir", _SUB_SATU, (
        ("KB", "Pengendalian Penduduk dan Keluarga Berencana", "Kesehatan Masyarakat", ()),
        ("PPPA", "Pemberdayaan Perempuan dan Perlindungan Anak", "Ilmu Sosial", ()),
    ), ()),
    ("DISHUB", "Dinas Perhubungan", "Teknik Sipil", "Sangir", _SUB_SATU, (
        ("LLAJ", "Lalu Lintas dan Angkutan Jalan", "Teknik Sipil", ()),
        ("SARPRAS", "Sarana dan Prasarana", "Teknik Elektro", ()),
    ), (("Pengujian Kendaraan Bermotor", "IV.b", "Teknik Elektro", "Sangir"),)),
    ("DISKOMINFO", "Dinas Komunikasi, Informatika, Statistik dan Persandian", "Teknologi Informasi",
     "Sangir", _SUB_SATU, (
        ("APTIKA", "Aplikasi Informatika dan Persandian", "Teknologi Informasi", ()),
        ("IKP", "Informasi dan Komunikasi Publik", "Ilmu Komunikasi", ()),
        ("STAT", "Statistik Sektoral", "Statistika", ()),
    ), ()),
    ("DKUKMP", "Dinas Koperasi, Usaha Kecil dan Menengah dan Perdagangan", "Ekonomi", "Sangir", _SUB_SATU, (
        ("KUM", "Koperasi dan Usaha Mikro", "Manajemen", ()),
        ("DAG", "Perdagangan", "Ekonomi", ()),
    ), (("Pasar Muara Labuh", "IV.b", "Manajemen", "Sungai Pagu"),)),
    ("DPMPTSPNAKER", "Dinas Penanaman Modal, Pelayanan Terpadu Satu Pintu dan Tenaga Kerja",
     "Administrasi Publik", "Sangir", _SUB_SATU, (
        ("PM", "Penanaman Modal dan Pelayanan Perizinan", "Ekonomi", ()),
        ("NAKER", "Tenaga Kerja dan Transmigrasi", "Manajemen", ()),
    ), ()),
    ("DISPARPORA", "Dinas Pariwisata, Pemuda dan Olahraga", "Pariwisata", "Sungai Pagu", _SUB_SATU, (
        ("DEST", "Destinasi dan Ekonomi Kreatif", "Pariwisata", ()),
        ("PORA", "Pemuda dan Olahraga", "Pendidikan Jasmani", ()),
    ), ()),
    ("DISTAN", "Dinas Pertanian", "Pertanian", "Sangir", _SUB_DUA, (
        ("TPH", "Tanaman Pangan dan Hortikultura", "Pertanian",
         (("Perbenihan dan Perlindungan Tanaman", "Pertanian"),)),
        ("BUN", "Perkebunan", "Pertanian", ()),
        ("NAK", "Peternakan dan Kesehatan Hewan", "Peternakan",
         (("Kesehatan Hewan dan Kesehatan Masyarakat Veteriner", "Peternakan"),)),
    ), (
        ("Balai Benih Induk", "IV.b", "Pertanian", "Sungai Pagu"),
        ("Pusat Kesehatan Hewan", "IV.b", "Peternakan", "Sangir Batang Hari"),
    )),
    ("DPP", "Dinas Pangan dan Perikanan", "Perikanan", "Sangir", _SUB_SATU, (
        ("PANGAN", "Ketersediaan dan Keamanan Pangan", "Pertanian", ()),
        ("IKAN", "Perikanan", "Perikanan", ()),
    ), (("Balai Benih Ikan", "IV.b", "Perikanan", "Pauh Duo"),)),
    ("DISPUSIP", "Dinas Perpustakaan dan Kearsipan", "Perpustakaan dan Kearsipan", "Sangir", _SUB_SATU, (
        ("PUS", "Perpustakaan", "Perpustakaan dan Kearsipan", ()),
        ("ARSIP", "Kearsipan", "Perpustakaan dan Kearsipan", ()),
    ), ()),
    ("SATPOLPP", "Satuan Polisi Pamong Praja dan Pemadam Kebakaran", "Hukum", "Sangir", _SUB_SATU, (
        ("GAKDA", "Penegakan Peraturan Daerah", "Hukum", (("Penyelidikan dan Penyidikan", "Hukum"),)),
        ("TIBUM", "Ketertiban Umum dan Ketenteraman Masyarakat", "Ilmu Pemerintahan",
         (("Operasi dan Pengendalian", "Ilmu Pemerintahan"),)),
        ("DAMKAR", "Pemadam Kebakaran", "Teknik Elektro", ()),
    ), ()),
)
# The RSUD: since Permendagri 79/2018 a special unit under the Dinas
# Kesehatan, its director eselon III.a here. (id suffix, name, eselon, parent
# suffix, field)
_RSUD = (
    ("DIREKTUR", "Direktur Rumah Sakit Umum Daerah", "III.a", None, "Kedokteran"),
    ("BID-YANMED", "Kepala Bidang Pelayanan Medik dan Keperawatan", "III.b", "DIREKTUR", "Kedokteran"),
    ("BID-YANMED.SEK-1", "Kepala Seksi Keperawatan", "IV.a", "BID-YANMED", "Keperawatan"),
    ("BAG-UMKEU", "Kepala Bagian Umum dan Keuangan", "III.b", "DIREKTUR", "Manajemen"),
    ("BAG-UMKEU.SUB-1", "Kepala Subbagian Keuangan", "IV.a", "BAG-UMKEU", "Akuntansi"),
)
# fmt: on

# (id, nama_jabatan, unit, eselon, atasan_id, bidang, kecamatan)
_PostRow = tuple[str, str, str, str, str, str, str]


def regency_posts() -> list[_PostRow]:
    """The posts of the demo regency, parents before children.

    Returns
    -------
    list of tuple
        ``(jabatan_id, nama_jabatan, unit, eselon, atasan_id, bidang,
        kecamatan)``; ``atasan_id`` is ``""`` at the top (Sekda).
    """
    rows: list[_PostRow] = []
    _setda_posts(rows)
    _setwan_posts(rows)
    _inspektorat_posts(rows)
    for spec in _UNITS:
        _unit_posts(rows, spec)
    _kecamatan_posts(rows)
    return rows


def _add_post(
    rows: list[_PostRow],
    pid: str,
    nama: str,
    unit: str,
    eselon: str,
    parent: str,
    bidang: str,
    kec: str = CAPITAL_KECAMATAN,
) -> None:
    """Append one post to ``rows``; posts without a kecamatan sit in the capital's."""
    rows.append((pid, nama, unit, eselon, parent, bidang, kec))


def _bagian_posts(
    rows: list[_PostRow], prefix: str, unit: str, parent: str, items: tuple, eselon: str = "III.a"
) -> None:
    """Append each bagian of ``items`` under ``parent``, followed by its subbagian."""
    for code, name, field, subs in items:
        bid = f"{prefix}.BAG-{code}"
        _add_post(rows, bid, f"Kepala Bagian {name}", unit, eselon, parent, field)
        for j, (sub, sfield) in enumerate(subs, 1):
            _add_post(rows, f"{bid}.SUB-{j}", f"Kepala Subbagian {sub}", unit, "IV.a", bid, sfield)


def _setda_posts(rows: list[_PostRow]) -> None:
    """Append the Sekretariat Daerah: the Sekda, the asisten with their bagian, the staf ahli."""
    setda = "Sekretariat Daerah"
    _add_post(rows, "SETDA.SEKDA", "Sekretaris Daerah", setda, "II.a", "", "Ilmu Pemerintahan")
    for i, (name, field, items) in enumerate(_ASISTEN, 1):
        _add_post(rows, f"SETDA.AS-{i}", name, setda, "II.b", "SETDA.SEKDA", field)
        _bagian_posts(rows, "SETDA", setda, f"SETDA.AS-{i}", items)
    for i, (name, field) in enumerate(_STAF_AHLI, 1):
        nama = f"Staf Ahli Bupati Bidang {name}"
        _add_post(rows, f"SETDA.SA-{i}", nama, setda, "II.b", "SETDA.SEKDA", field)


def _setwan_posts(rows: list[_PostRow]) -> None:
    """Append the Sekretariat DPRD: the Sekwan and its bagian."""
    setwan, sekwan = "Sekretariat DPRD", "SETWAN.SEKWAN"
    nama = "Sekretaris DPRD"
    _add_post(rows, sekwan, nama, setwan, "II.b", "SETDA.SEKDA", "Administrasi Publik")
    _bagian_posts(rows, "SETWAN", setwan, sekwan, _SETWAN_BAGIAN)


def _inspektorat_posts(rows: list[_PostRow]) -> None:
    """Append the Inspektorat: the Inspektur, its sekretariat and the inspektur pembantu."""
    insp = "Inspektorat"
    _add_post(rows, "INSP.INSPEKTUR", "Inspektur", insp, "II.b", "SETDA.SEKDA", "Akuntansi")
    sekre = "INSP.SEKRE"
    nama = "Sekretaris Inspektorat"
    _add_post(rows, sekre, nama, insp, "III.a", "INSP.INSPEKTUR", "Administrasi Publik")
    for j, (sub, field) in enumerate(_SUB_DUA, 1):
        _add_post(rows, f"{sekre}.SUB-{j}", f"Kepala Subbagian {sub}", insp, "IV.a", sekre, field)
    for j, (wil, field) in enumerate(
        (("I", "Akuntansi"), ("II", "Akuntansi"), ("III", "Hukum")), 1
    ):
        name = f"Inspektur Pembantu Wilayah {wil}"
        _add_post(rows, f"INSP.IRBAN-{j}", name, insp, "III.b", "INSP.INSPEKTUR", field)


def _unit_posts(rows: list[_PostRow], spec: _Unit) -> None:
    """Append one badan or dinas: head, sekretariat, bidang with seksi, UPT; the RSUD under Dinkes."""
    code, unit, field, kec, subs, bidang, upts = spec
    head = f"{code}.KEPALA"
    title = "Kepala Pelaksana " + unit if code == "BPBD" else "Kepala " + unit
    _add_post(rows, head, title, unit, "II.b", "SETDA.SEKDA", field, kec)
    sekre = f"{code}.SEKRE"
    _add_post(rows, sekre, f"Sekretaris {unit}", unit, "III.a", head, "Administrasi Publik", kec)
    for j, (sub, sfield) in enumerate(subs, 1):
        nama = f"Kepala Subbagian {sub}"
        _add_post(rows, f"{sekre}.SUB-{j}", nama, unit, "IV.a", sekre, sfield, kec)
    for bcode, name, bfield, seksi in bidang:
        bid = f"{code}.BID-{bcode}"
        _add_post(rows, bid, f"Kepala Bidang {name}", unit, "III.b", head, bfield, kec)
        for j, (sek, sfield) in enumerate(seksi, 1):
            _add_post(rows, f"{bid}.SEK-{j}", f"Kepala Seksi {sek}", unit, "IV.a", bid, sfield, kec)
    for j, (name, eselon, ufield, ukec) in enumerate(upts, 1):
        _add_post(rows, f"{code}.UPT-{j}", f"Kepala UPTD {name}", unit, eselon, head, ufield, ukec)
    if code == "DINKES":
        for suffix, name, eselon, parent, rfield in _RSUD:
            up = f"RSUD.{parent}" if parent else head
            rsud = "Rumah Sakit Umum Daerah"
            _add_post(rows, f"RSUD.{suffix}", name, rsud, eselon, up, rfield)


def _kecamatan_posts(rows: list[_PostRow]) -> None:
    """Append each kecamatan: the Camat and its two Kepala Seksi."""
    for code, kec in KECAMATAN:
        unit, camat = f"Kecamatan {kec}", f"KEC-{code}.CAMAT"
        _add_post(
            rows, camat, f"Camat {kec}", unit, "III.a", "SETDA.AS-1", "Ilmu Pemerintahan", kec
        )
        nama = "Kepala Seksi Pemerintahan"
        _add_post(rows, f"KEC-{code}.KASI-PEM", nama, unit, "IV.b", camat, "Ilmu Pemerintahan", kec)
        nama = "Kepala Seksi Pemberdayaan Masyarakat Nagari"
        _add_post(rows, f"KEC-{code}.KASI-PMN", nama, unit, "IV.b", camat, "Ilmu Sosial", kec)


def _posts_frame(copies: int, n_posts: int | None) -> pd.DataFrame:
    """The regency's posts, repeated ``copies`` times, cut to ``n_posts`` rows.

    Copy 0 keeps the real names; copy ``r >= 1`` prefixes its ids with
    ``Krr.`` and suffixes its unit and kecamatan names with `` Krr`` so each
    copy reads as another regency. Rows stay parents-first, so any cut keeps
    every parent.
    """
    base = pd.DataFrame(
        regency_posts(),
        columns=[
            "jabatan_id",
            "nama_jabatan",
            "unit",
            "eselon",
            "atasan_id",
            "bidang",
            "kecamatan",
        ],
    )
    frames = []
    for r in range(copies):
        f = base.copy()
        if copies > 1:
            tag = f"K{r + 1:02d}"
            f["jabatan_id"] = tag + "." + f["jabatan_id"]
            f["atasan_id"] = np.where(f["atasan_id"] == "", "", tag + "." + f["atasan_id"])
            f["unit"] = f["unit"] + " " + tag
            f["kecamatan"] = f["kecamatan"] + " " + tag
        f["copy"] = r
        frames.append(f)
    posts = pd.concat(frames, ignore_index=True)
    if n_posts is not None:
        posts = posts.iloc[:n_posts].reset_index(drop=True)
    posts["jenis_jabatan"] = posts["eselon"].map(ESELON_JENIS)
    return posts


# ---------------------------------------------------------------------------
# The field taxonomy
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Taxonomy:
    fields: tuple[str, ...]
    family: np.ndarray  # family code per field
    majors: np.ndarray  # all majors, grouped by field
    major_field: np.ndarray  # field code per major
    major_off: np.ndarray  # first major of each field
    major_cnt: np.ndarray
    fam_fields: np.ndarray  # fields grouped by family
    fam_off: np.ndarray
    fam_cnt: np.ndarray
    other_fields: np.ndarray  # per family, the fields of all other families
    other_off: np.ndarray
    other_cnt: np.ndarray

    def field(self, name: str) -> int:
        try:
            return self.fields.index(name)
        except ValueError:
            raise ValueError(f"field '{name}' is not in the taxonomy {TAXONOMY_PATH}") from None


def _load_taxonomy(path: Path = TAXONOMY_PATH) -> _Taxonomy:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    fields: list[str] = []
    family: list[int] = []
    majors: list[str] = []
    major_field: list[int] = []
    for fam_code, members in enumerate(data["families"].values()):
        for name, ms in members.items():
            fields.append(name)
            family.append(fam_code)
            majors.extend(ms)
            major_field.extend([len(fields) - 1] * len(ms))
    fam = np.array(family)
    mf = np.array(major_field)
    cnt = np.bincount(mf, minlength=len(fields))
    n_fam = fam.max() + 1
    fam_fields = np.argsort(fam, kind="stable")
    fam_cnt = np.bincount(fam, minlength=n_fam)
    other = [np.flatnonzero(fam != k) for k in range(n_fam)]
    other_cnt = np.array([len(o) for o in other])
    return _Taxonomy(
        fields=tuple(fields),
        family=fam,
        majors=np.array(majors, dtype=object),
        major_field=mf,
        major_off=np.concatenate([[0], np.cumsum(cnt)[:-1]]),
        major_cnt=cnt,
        fam_fields=fam_fields,
        fam_off=np.concatenate([[0], np.cumsum(fam_cnt)[:-1]]),
        fam_cnt=fam_cnt,
        other_fields=np.concatenate(other),
        other_off=np.concatenate([[0], np.cumsum(other_cnt)[:-1]]),
        other_cnt=other_cnt,
    )


def _pick(flat: np.ndarray, off: np.ndarray, cnt: np.ndarray, group: np.ndarray, u: np.ndarray):
    """For each row, the element ``u`` of the way into its group of ``flat``."""
    k = np.minimum((u * cnt[group]).astype(np.int64), cnt[group] - 1)
    return flat[off[group] + k]


# ---------------------------------------------------------------------------
# People: kinds, their distributions and career templates
# ---------------------------------------------------------------------------

# Career levels, the jenis jabatan of a riwayat row.
PL, TR, MH, PY, AP, AM, AMD, PW, AD, JPT = range(10)
_LEVEL_JENIS = (
    "Pelaksana",
    "Fungsional Terampil",
    "Fungsional Mahir",
    "Fungsional Penyelia",
    "Fungsional Ahli Pertama",
    "Fungsional Ahli Muda",
    "Fungsional Ahli Madya",
    "Pengawas",
    "Administrator",
    "JPT Pratama",
)
_ENTRY_LEVELS = (PL, TR, AP)  # a first post straight after CPNS
_STRUCTURAL_LEVELS = (PW, AD, JPT)

# Kinds of people: the feeder levels, then one kind per eselon.
K_PL, K_TR, K_MH, K_PY, K_AP, K_AM, K_AMD, K_IVB, K_IVA, K_IIIB, K_IIIA, K_IIB, K_IIA = range(13)
_KIND_ESELON = {
    "IV.b": K_IVB,
    "IV.a": K_IVA,
    "III.b": K_IIIB,
    "III.a": K_IIIA,
    "II.b": K_IIB,
    "II.a": K_IIA,
}
_KIND_LEVEL = np.array([PL, TR, MH, PY, AP, AM, AMD, PW, PW, AD, AD, JPT, JPT])
_FEEDER_KINDS = np.array([K_PL, K_TR, K_MH, K_PY, K_AP, K_AM, K_AMD])
_FEEDER_SHARE = np.array([0.38, 0.04, 0.03, 0.02, 0.18, 0.25, 0.10])


@dataclass(frozen=True)
class _Kind:
    age: tuple[float, float]  # at as_of
    min_service: float  # years since TMT CPNS
    female: float
    pendidikan: dict[str, float]
    golongan: dict[str, float]  # empty: by education (Pelaksana)
    jpm: float  # share assessed (with jpm and kompetensi)
    templates: tuple[tuple[tuple[int, ...], float], ...]  # level paths, earliest first


_KINDS: tuple[_Kind, ...] = (
    _Kind(  # Pelaksana
        (23, 57.9), 1, 0.55, {"SMA": 0.40, "D3": 0.25, "S1": 0.35}, {}, 0.35,
        (((PL,), 0.45), ((PL, PL), 0.40), ((PL, PL, PL), 0.15)),
    ),
    _Kind(  # Fungsional Terampil
        (25, 56), 2, 0.60, {"D3": 1.0}, {"II/c": 0.3, "II/d": 0.4, "III/a": 0.3}, 0.35,
        (((TR,), 0.5), ((PL, TR), 0.5)),
    ),
    _Kind(  # Fungsional Mahir
        (30, 57), 6, 0.60, {"D3": 0.8, "S1": 0.2}, {"III/a": 0.5, "III/b": 0.5}, 0.35,
        (((TR, MH), 0.5), ((PL, MH), 0.3), ((MH,), 0.2)),
    ),
    _Kind(  # Fungsional Penyelia
        (38, 57.9), 12, 0.55, {"D3": 0.6, "S1": 0.4}, {"III/c": 0.5, "III/d": 0.5}, 0.35,
        (((MH, PY), 0.5), ((TR, MH, PY), 0.3), ((PL, PY), 0.2)),
    ),
    _Kind(  # Fungsional Ahli Pertama
        (25, 45), 1, 0.62, {"D4": 0.06, "S1": 0.88, "S2": 0.06}, {"III/a": 0.6, "III/b": 0.4}, 0.4,
        (((AP,), 0.55), ((PL, AP), 0.45)),
    ),
    _Kind(  # Fungsional Ahli Muda
        (32, 57.5), 6, 0.58, {"D4": 0.05, "S1": 0.60, "S2": 0.35}, {"III/c": 0.5, "III/d": 0.5}, 0.55,
        (((AP, AM), 0.45), ((PL, AP, AM), 0.20), ((PL, PW, AM), 0.20), ((AM,), 0.15)),
    ),
    _Kind(  # Fungsional Ahli Madya
        (42, 59.9), 12, 0.50, {"S1": 0.28, "S2": 0.65, "S3": 0.07},
        {"IV/a": 0.45, "IV/b": 0.35, "IV/c": 0.20}, 0.6,
        (
            ((AM, AMD), 0.35), ((AP, AM, AMD), 0.25), ((PW, AD, AMD), 0.20),
            ((PL, AM, AMD), 0.10), ((AMD,), 0.10),
        ),
    ),
    _Kind(  # Pengawas IV.b
        (40, 57.9), 8, 0.47, {"D3": 0.15, "D4": 0.05, "S1": 0.70, "S2": 0.10},
        {"III/a": 0.10, "III/b": 0.45, "III/c": 0.40, "III/d": 0.05}, 0.9,
        (
            ((PL, PW), 0.35), ((PL, PL, PW), 0.15), ((PL, PW, PW), 0.25),
            ((AP, PW), 0.10), ((PL, AP, PW), 0.10), ((PW, PW, PW), 0.05),
        ),
    ),
    _Kind(  # Pengawas IV.a
        (40, 57.9), 8, 0.44, {"D3": 0.10, "D4": 0.06, "S1": 0.70, "S2": 0.14},
        {"III/b": 0.10, "III/c": 0.45, "III/d": 0.40, "IV/a": 0.05}, 0.9,
        (
            ((PL, PW), 0.35), ((PL, PL, PW), 0.15), ((PL, PW, PW), 0.25),
            ((AP, PW), 0.10), ((PL, AP, PW), 0.10), ((PW, PW, PW), 0.05),
        ),
    ),
    _Kind(  # Administrator III.b
        (40, 57.9), 12, 0.40, {"D4": 0.06, "S1": 0.50, "S2": 0.44},
        {"III/c": 0.10, "III/d": 0.50, "IV/a": 0.40}, 0.9,
        (
            ((PL, PW, AD), 0.40), ((PL, PW, PW, AD), 0.20), ((PW, AD, AD), 0.15),
            ((PL, PW, AD, AD), 0.12), ((AP, AM, AD), 0.08), ((PW, AD), 0.05),
        ),
    ),
    _Kind(  # Administrator III.a
        (42, 57.9), 14, 0.37, {"D4": 0.04, "S1": 0.48, "S2": 0.48},
        {"III/d": 0.12, "IV/a": 0.50, "IV/b": 0.38}, 0.9,
        (
            ((PL, PW, AD), 0.40), ((PL, PW, PW, AD), 0.20), ((PW, AD, AD), 0.15),
            ((PL, PW, AD, AD), 0.12), ((AP, AM, AD), 0.08), ((PW, AD), 0.05),
        ),
    ),
    _Kind(  # JPT Pratama II.b
        (48, 59.9), 22, 0.27, {"S1": 0.27, "S2": 0.68, "S3": 0.05},
        {"IV/a": 0.12, "IV/b": 0.55, "IV/c": 0.33}, 0.9,
        (
            ((PL, PW, AD, JPT), 0.40), ((PW, AD, JPT, JPT), 0.25), ((PW, AD, AD, JPT), 0.20),
            ((AM, AMD, JPT), 0.05), ((PW, AD, JPT), 0.10),
        ),
    ),
    _Kind(  # JPT Pratama II.a (Sekda)
        (50, 59.9), 26, 0.15, {"S2": 0.80, "S3": 0.20}, {"IV/c": 0.7, "IV/d": 0.3}, 0.9,
        (((PW, AD, JPT, JPT), 0.8), ((AD, JPT, JPT, JPT), 0.2)),
    ),
)  # fmt: skip

# Golongan of Pelaksana by education (entry II/a SMA, II/c D3, III/a S1).
_PL_GOLONGAN = {
    "SMA": {"II/c": 0.45, "II/d": 0.40, "III/a": 0.15},
    "D3": {"II/d": 0.30, "III/a": 0.40, "III/b": 0.30},
    "S1": {"III/a": 0.35, "III/b": 0.40, "III/c": 0.25},
}
# Starting golongan by education (PP 99/2000): promotions every 4 years after.
_ENTRY_GOLONGAN = {
    "SMA": "II/a",
    "D1": "II/a",
    "D2": "II/b",
    "D3": "II/c",
    "D4": "III/a",
    "S1": "III/a",
    "S2": "III/b",
    "S3": "III/c",
}

# Duration (years) of a non-current history row by level, and the share of
# short PW/AD stints (people promoted fast, who miss the experience rule).
_ROW_YEARS = np.array(
    [(2, 9), (2, 8), (3, 8), (2, 6), (2, 6), (3, 8), (2, 6), (3, 8), (2, 7), (2, 5)], dtype=float
)
_SHORT_YEARS = {PW: (1.0, 3.0), AD: (1.0, 2.0)}
_SHORT_SHARE = 0.12

# Targets of the feeders built for a vacant post.
T_NONE, T_PW, T_AD, T_JPT = range(4)

# SKP: a latent score per person and year, cut at normal quantiles so that
# about 20 % are Sangat Baik and 3 % below Baik; the years correlate.
_SKP_CUTS = np.array([-2.878, -2.326, -1.881, 0.8416])  # SK | K | BP | B | SB
_SKP_RHO = 0.55
# PP 46/2011 number bands for each predikat, to write old-scale values; kept
# clear of the band edges (<= 50 Buruk, 51-60 Kurang, 61-75 Cukup, 76-90 Baik,
# >= 91 Sangat Baik) so that no rounding reads them into the next band.
_SKP_NUMBER = np.array([(40.0, 50.4), (51.0, 60.4), (61.0, 75.4), (76.0, 90.4), (91.0, 98.5)])

# ---------------------------------------------------------------------------
# Names and titles (all invented)
# ---------------------------------------------------------------------------

_NAME_HEADS = (
    "Af", "Al", "Ar", "Bah", "Des", "Ed", "El", "Ep", "Er", "Fau", "Hen", "Ir", "Is", "Jas",
    "Kas", "Lis", "Mar", "Mis", "Nof", "Nur", "Ril", "Ros", "Sal", "Syaf", "Sur", "Tas", "Wir",
    "Yen", "Yul", "Yus", "Zai", "Zul",
)  # fmt: skip
_NAME_MIDS = tuple(c + v for c in "bdghjklmnprstwy" for v in "aiu")
_TAILS_L = (
    "dian", "man", "zal", "nedi", "mardi", "ris", "fan", "ton", "wan", "din", "ril", "mon",
    "son", "dri", "far", "hendi",
)  # fmt: skip
_TAILS_P = (
    "wati", "yeni", "nelli", "ida", "sari", "ra", "nita", "lina", "yanti", "fitri", "mi",
    "nora", "yati", "wita",
)  # fmt: skip
_FAMILY_SYL = tuple(c + v for c in "bdgjklmnprst" for v in "aiuo")
_FAMILY_TAILS = (
    "ran", "dun", "sak", "lam", "ngin", "tar", "bas", "rik", "mun", "dar", "sur", "lis", "nag",
    "pek", "jang",
)  # fmt: skip

# Academic titles by field: (S1, S2). Professions take a prefix instead.
_TITLES = {
    "Ilmu Pemerintahan": ("S.IP.", "M.Si."),
    "Administrasi Publik": ("S.AP.", "M.AP."),
    "Hukum": ("S.H.", "M.H."),
    "Akuntansi": ("S.Ak.", "M.Ak."),
    "Manajemen": ("S.E.", "M.M."),
    "Ekonomi": ("S.E.", "M.E."),
    "Teknik Sipil": ("S.T.", "M.T."),
    "Perencanaan Wilayah": ("S.T.", "M.T."),
    "Teknik Lingkungan": ("S.T.", "M.T."),
    "Teknologi Informasi": ("S.Kom.", "M.Kom."),
    "Teknik Elektro": ("S.T.", "M.T."),
    "Kedokteran": ("S.Ked.", "M.Kes."),
    "Kesehatan Masyarakat": ("S.K.M.", "M.K.M."),
    "Keperawatan": ("S.Kep.", "M.Kep."),
    "Farmasi": ("S.Farm.", "M.Farm."),
    "Ilmu Pendidikan": ("S.Pd.", "M.Pd."),
    "Pendidikan Jasmani": ("S.Pd.", "M.Pd."),
    "Pertanian": ("S.P.", "M.P."),
    "Peternakan": ("S.Pt.", "M.Si."),
    "Perikanan": ("S.Pi.", "M.Si."),
    "Kehutanan": ("S.Hut.", "M.Si."),
    "Ilmu Lingkungan": ("S.Si.", "M.Si."),
    "Ilmu Sosial": ("S.Sos.", "M.Si."),
    "Ilmu Komunikasi": ("S.I.Kom.", "M.I.Kom."),
    "Psikologi": ("S.Psi.", "M.Psi."),
    "Pariwisata": ("S.Par.", "M.Par."),
    "Perpustakaan dan Kearsipan": ("S.Hum.", "M.Hum."),
    "Statistika": ("S.Stat.", "M.Si."),
}
_PROFESSION_PREFIX = {
    "Pendidikan Dokter": "dr.",
    "Kedokteran Gigi": "drg.",
    "Kedokteran Hewan": "drh.",
}

# Functional post names by field (Ahli and skill track) and Pelaksana names.
_JF_AHLI = {
    "Ilmu Pemerintahan": ("Analis Kebijakan", "Penggerak Swadaya Masyarakat"),
    "Administrasi Publik": ("Analis Kebijakan", "Analis Sumber Daya Manusia Aparatur"),
    "Hukum": ("Perancang Peraturan Perundang-undangan", "Analis Hukum"),
    "Akuntansi": ("Auditor", "Analis Keuangan Pusat dan Daerah"),
    "Manajemen": ("Analis Keuangan Pusat dan Daerah", "Pengelola Pengadaan Barang/Jasa"),
    "Ekonomi": ("Perencana", "Pengawas Perdagangan"),
    "Teknik Sipil": ("Teknik Jalan dan Jembatan", "Teknik Pengairan", "Penata Bangunan Gedung"),
    "Perencanaan Wilayah": ("Perencana", "Penata Ruang"),
    "Teknik Lingkungan": ("Pengendali Dampak Lingkungan", "Teknik Penyehatan Lingkungan"),
    "Teknologi Informasi": ("Pranata Komputer", "Sandiman"),
    "Teknik Elektro": ("Penguji Kendaraan Bermotor", "Teknik Tata Bangunan dan Perumahan"),
    "Kedokteran": ("Dokter", "Dokter Gigi"),
    "Kesehatan Masyarakat": ("Epidemiolog Kesehatan", "Administrator Kesehatan", "Nutrisionis"),
    "Keperawatan": ("Perawat", "Bidan"),
    "Farmasi": ("Apoteker",),
    "Ilmu Pendidikan": ("Pengawas Sekolah", "Penilik", "Pamong Belajar"),
    "Pendidikan Jasmani": ("Analis Kebijakan",),
    "Pertanian": ("Penyuluh Pertanian", "Pengawas Benih Tanaman"),
    "Peternakan": ("Medik Veteriner", "Pengawas Mutu Pakan"),
    "Perikanan": ("Penyuluh Perikanan",),
    "Kehutanan": ("Penyuluh Kehutanan",),
    "Ilmu Lingkungan": ("Pengendali Dampak Lingkungan",),
    "Ilmu Sosial": ("Pekerja Sosial", "Penyuluh Sosial"),
    "Ilmu Komunikasi": ("Pranata Hubungan Masyarakat",),
    "Psikologi": ("Asesor Sumber Daya Manusia Aparatur",),
    "Pariwisata": ("Adyatama Kepariwisataan dan Ekonomi Kreatif",),
    "Perpustakaan dan Kearsipan": ("Pustakawan", "Arsiparis"),
    "Statistika": ("Statistisi",),
}
_JF_SKILL = {
    "Teknik Sipil": ("Teknik Jalan dan Jembatan",),
    "Teknologi Informasi": ("Pranata Komputer",),
    "Teknik Elektro": ("Penguji Kendaraan Bermotor",),
    "Kedokteran": ("Perawat", "Pranata Laboratorium Kesehatan"),
    "Kesehatan Masyarakat": ("Sanitarian", "Pranata Laboratorium Kesehatan"),
    "Keperawatan": ("Perawat", "Bidan"),
    "Farmasi": ("Asisten Apoteker",),
    "Pertanian": ("Penyuluh Pertanian",),
    "Peternakan": ("Paramedik Veteriner",),
    "Hukum": ("Polisi Pamong Praja",),
    "Perpustakaan dan Kearsipan": ("Arsiparis", "Pustakawan"),
}
_JF_SKILL_DEFAULT = ("Arsiparis", "Pranata Komputer")
_PELAKSANA = (
    "Pengadministrasi Perkantoran",
    "Penata Layanan Operasional",
    "Pengolah Data dan Informasi",
    "Penelaah Teknis Kebijakan",
    "Pengelola Layanan Operasional",
    "Operator Layanan Operasional",
)
_LEVEL_SUFFIX = {
    TR: "Terampil",
    MH: "Mahir",
    PY: "Penyelia",
    AP: "Ahli Pertama",
    AM: "Ahli Muda",
    AMD: "Ahli Madya",
}


# ---------------------------------------------------------------------------
# Small vectorised helpers
# ---------------------------------------------------------------------------


def _draw(rng: np.random.Generator, probs: np.ndarray) -> np.ndarray:
    """One category index per row of ``probs`` (rows need not be normalised)."""
    cum = np.cumsum(probs, axis=1)
    u = rng.random(probs.shape[0]) * cum[:, -1]
    return np.minimum((cum <= u[:, None]).sum(axis=1), probs.shape[1] - 1)


def _exact(rng: np.random.Generator, probs: np.ndarray, size: int) -> np.ndarray:
    """``size`` category indices in shares as close to ``probs`` as counts allow, shuffled."""
    want = probs / probs.sum() * size
    counts = np.floor(want).astype(np.int64)
    short = size - counts.sum()
    counts[np.argsort(-(want - counts), kind="stable")[:short]] += 1
    return rng.permutation(np.repeat(np.arange(probs.size), counts))


def _prob_row(dist: dict[str, float], labels: Sequence[str]) -> np.ndarray:
    row = np.zeros(len(labels))
    for label, p in dist.items():
        row[labels.index(label)] = p
    return row


def _months_floor(days: np.ndarray) -> np.ndarray:
    """First day of the month of each datetime64[D]."""
    return days.astype("datetime64[M]").astype("datetime64[D]")


def _years_to_days(years: np.ndarray) -> np.ndarray:
    return np.floor(np.asarray(years) * _DAYS_PER_YEAR).astype(np.int64)


def _join(a: np.ndarray, b: np.ndarray, sep: str) -> np.ndarray:
    """Join two string arrays with ``sep``, skipping empty parts."""
    both = (a != "") & (b != "")
    return np.where(both, a + sep + b, a + b)


def _flat(groups: Sequence[Sequence[str]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    cnt = np.array([len(g) for g in groups])
    flat = np.array([x for g in groups for x in g], dtype=object)
    return flat, np.concatenate([[0], np.cumsum(cnt)[:-1]]), cnt


# ---------------------------------------------------------------------------
# The generator
# ---------------------------------------------------------------------------


def _build(
    posts: pd.DataFrame, n_feeders: int, rng: np.random.Generator, as_of: dt.date
) -> SynthData:
    """Fill ``posts`` with incumbents, add feeders, and return the tables.

    Every random draw is made by one of the functions called here, in the
    order of the calls; reordering them changes the output.
    """
    tax = _load_taxonomy()
    today = np.datetime64(as_of, "D")
    p = _post_arrays(posts, tax)
    kritis = _kritis(rng, p.jenis)
    who = _slots(rng, p, _vacancies(rng, p.jenis), n_feeders)

    female, born, tmt_cpns = _births(rng, who, today)
    service = (today - tmt_cpns).astype(np.int64)  # days
    edu_idx = _pendidikan(rng, who)
    edu = np.array(PENDIDIKAN, dtype=object)[edu_idx]
    edu_rank = np.array(
        [PENDIDIKAN.index("S1") if q == "D4" else i for i, q in enumerate(PENDIDIKAN)]
    )[edu_idx]
    gol = _golongan(rng, who, edu, edu_idx, service)
    tmt_golongan = _tmt_golongan(rng, today, tmt_cpns)
    levels, start_ago, end_ago = _careers(rng, who, service)
    jurusan, major_field = _jurusan(rng, tax, who.home_field, who.ready, edu_rank)
    nama = _names(rng, female, edu, jurusan, major_field, tax)

    years = skp_years(as_of)
    quality, tier = _skp_tiers(rng, who.ready, len(years))
    jpm, kompetensi = _jpm(rng, who, quality)
    hukuman, hukuman_tmt, hukuman_selesai = _hukuman(rng, who.kind, who.ready, service, today)
    _mark_sanctions(tier, hukuman, hukuman_tmt, years)
    cpns_year = tmt_cpns.astype("datetime64[Y]").astype(np.int64) + 1970
    skp = _skp_columns(rng, tier, cpns_year, years)
    pelatihan = _pelatihan(rng, who.kind, levels, start_ago, today, cpns_year, as_of.year)
    nip = _nips(rng, born, tmt_cpns, female)

    nama_jabatan = _current_post_names(rng, p, who, tax)
    riwayat = _riwayat(rng, p, who, tax, nip, levels, start_ago, end_ago, nama_jabatan, today)
    pegawai = pd.DataFrame(
        {
            "nip": nip,
            "nama": nama,
            "jenis_kelamin": np.where(female, "P", "L"),
            "tanggal_lahir": born,
            "tmt_cpns": tmt_cpns,
            "golongan": np.array(GOLONGAN, dtype=object)[gol],
            "tmt_golongan": tmt_golongan,
            "pendidikan": edu,
            "jurusan": jurusan,
            "jenis_jabatan": np.array(_LEVEL_JENIS, dtype=object)[who.level],
            "nama_jabatan": nama_jabatan,
            "unit": p.unit_names[who.unit],
            "tmt_jabatan": today - start_ago[:, -1],
            **skp,
            "jpm": jpm,
            "kompetensi": pd.array(kompetensi, dtype="Int64"),
            "pelatihan": np.where(pelatihan == "", None, pelatihan),
            "hukuman_tingkat": np.where(hukuman == "", None, hukuman),
            "hukuman_tmt": hukuman_tmt,
            "hukuman_selesai": hukuman_selesai,
        }
    )
    jabatan = _jabatan_frame(p, who, nip, kritis)
    pegawai, riwayat = _in_row_order(pegawai, riwayat, p, who, nip)
    return SynthData(pegawai=_typed(pegawai), jabatan=_typed(jabatan), riwayat=_typed(riwayat))


@dataclass(frozen=True, eq=False)
class _PostArrays:
    """The posts frame and its columns as arrays, one entry per post."""

    frame: pd.DataFrame
    jenis: np.ndarray
    eselon: np.ndarray
    field: np.ndarray  # taxonomy field code of the post's bidang
    copy: np.ndarray  # regency copy
    unit: np.ndarray  # index into unit_names
    unit_names: np.ndarray  # sorted


def _post_arrays(posts: pd.DataFrame, tax: _Taxonomy) -> _PostArrays:
    """Build the array view of ``posts``, with field codes and unit indices."""
    unit_names, post_unit = np.unique(posts["unit"].to_numpy(dtype=object), return_inverse=True)
    return _PostArrays(
        frame=posts,
        jenis=posts["jenis_jabatan"].to_numpy(dtype=object),
        eselon=posts["eselon"].to_numpy(dtype=object),
        field=np.array([tax.field(b) for b in posts["bidang"]], dtype=np.int64),
        copy=posts["copy"].to_numpy(),
        unit=post_unit,
        unit_names=unit_names,
    )


def _kritis(rng: np.random.Generator, jenis: np.ndarray) -> np.ndarray:
    """Draw the critical posts: every JPT and about one in ten others."""
    is_jpt = jenis == "JPT Pratama"
    return np.where(is_jpt | (rng.random(jenis.size) < 0.10), "ya", "tidak")


def _vacancies(rng: np.random.Generator, jenis: np.ndarray) -> np.ndarray:
    """Draw the vacant posts, an exact share per level so every seed has some at each."""
    vacant = np.zeros(jenis.size, dtype=bool)
    for level, rate in (("JPT Pratama", 0.15), ("Administrator", 0.12), ("Pengawas", 0.12)):
        idx = np.flatnonzero(jenis == level)
        k = round(rate * idx.size)
        if k:
            vacant[rng.choice(idx, size=k, replace=False)] = True
    return vacant


@dataclass(frozen=True, eq=False)
class _Slots:
    """Who the people are: one entry per person, incumbents first, then feeders."""

    kind: np.ndarray  # K_*
    target: np.ndarray  # T_* of a feeder built for a vacancy, T_NONE for the others
    target_eselon: np.ndarray  # eselon of that vacancy, "" for the others
    holds: np.ndarray  # post held, -1 for feeders
    level: np.ndarray  # career level of the current post
    home_field: np.ndarray  # field of the person's post (for a feeder, of a post of the unit)
    unit: np.ndarray  # index into unit_names
    copy: np.ndarray  # regency copy

    @property
    def ready(self) -> np.ndarray:
        """Feeders built to meet the requirements of a vacancy."""
        return self.target != T_NONE

    @property
    def structural(self) -> np.ndarray:
        """Incumbents of an echelon post."""
        return self.kind >= K_IVB


def _slots(rng: np.random.Generator, p: _PostArrays, vacant: np.ndarray, n_feeders: int) -> _Slots:
    """Draw the people slots: an incumbent per filled post, two feeders per vacancy, free feeders.

    The feeders built for a vacancy are one level below the post
    (the level ranks of rules/kesetaraan.yaml): Pelaksana or Ahli Pertama for
    Pengawas (Ahli Muda sits level with Pengawas), Ahli Muda for
    Administrator, Ahli Madya for JPT. Free feeders get a random post of
    their unit as host and a kind by the feeder shares.
    """
    inc_post = np.flatnonzero(~vacant)
    tgt_post = np.repeat(np.flatnonzero(vacant), 2)[:n_feeders]
    n_free = n_feeders - tgt_post.size
    free_host = rng.integers(0, vacant.size, n_free)  # a post of the feeder's unit
    free_kind = _FEEDER_KINDS[_draw(rng, np.tile(_FEEDER_SHARE, (n_free, 1)))]
    tgt_eselon = p.eselon[tgt_post]
    tgt_level = np.select(
        [np.isin(tgt_eselon, ("IV.a", "IV.b")), np.isin(tgt_eselon, ("III.a", "III.b"))],
        [T_PW, T_AD],
        T_JPT,
    )
    tgt_kind = np.where(
        tgt_level == T_PW,
        np.array([K_PL, K_AP])[_draw(rng, np.tile([0.5, 0.5], (tgt_post.size, 1)))],
        np.where(tgt_level == T_AD, K_AM, K_AMD),
    )
    host = np.concatenate([inc_post, tgt_post, free_host])
    kind = np.concatenate(
        [
            np.array([_KIND_ESELON[e] for e in p.eselon[inc_post]], dtype=np.int64),
            tgt_kind,
            free_kind,
        ]
    ).astype(np.int64)
    return _Slots(
        kind=kind,
        target=np.concatenate(
            [np.zeros(inc_post.size, np.int64), tgt_level, np.zeros(n_free, np.int64)]
        ),
        target_eselon=np.concatenate(
            [np.full(inc_post.size, "", object), tgt_eselon, np.full(n_free, "", object)]
        ),
        holds=np.concatenate([inc_post, np.full(tgt_post.size + n_free, -1)]),
        level=_KIND_LEVEL[kind],
        home_field=p.field[host],
        unit=p.unit[host],
        copy=p.copy[host],
    )


def _births(
    rng: np.random.Generator, who: _Slots, today: np.datetime64
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Draw sex, birth date and TMT CPNS (first of a month) by kind and target.

    Women are an exact share per kind (not a coin per person), so that every
    seed has women at 35-40 % of structural posts (DOMAIN.md).
    """
    kind, target = who.kind, who.target
    n = kind.size
    female = np.zeros(n, dtype=bool)
    for k, spec in enumerate(_KINDS):
        rows = np.flatnonzero(kind == k)
        female[rng.permutation(rows)[: round(spec.female * rows.size)]] = True
    age_lo = np.array([k.age[0] for k in _KINDS])[kind]
    age_hi = np.array([k.age[1] for k in _KINDS])[kind]
    min_service = np.array([k.min_service for k in _KINDS], dtype=float)[kind]
    for t, (lo, hi, service) in {
        T_PW: (32, 50, 9),
        T_AD: (38, 52, 13),
        T_JPT: (47, 55, 21),
    }.items():
        m = target == t
        age_lo[m], age_hi[m], min_service[m] = lo, hi, service
    age = age_lo + (age_hi - age_lo) * rng.beta(1.8, 1.4, n)
    entry_hi = np.clip(age - min_service, 22.5, 35.0)
    entry = rng.triangular(22.0, np.minimum(26.0, entry_hi), entry_hi)
    born = today - _years_to_days(age)
    tmt_cpns = _months_floor(born + _years_to_days(entry))
    return female, born, tmt_cpns


def _pendidikan(rng: np.random.Generator, who: _Slots) -> np.ndarray:
    """Draw the education (index into PENDIDIKAN) of each person.

    Exact shares per kind, so that every seed keeps the mix of DOMAIN.md
    (JPT ~70 % S2, Administrator ~45 %) even in small groups; the feeders
    built for a vacancy have at least the education it needs.
    """
    kind, ready = who.kind, who.ready
    edu_idx = np.zeros(kind.size, dtype=np.int64)
    for k, spec in enumerate(_KINDS):
        rows = np.flatnonzero((kind == k) & ~ready)
        edu_idx[rows] = _exact(rng, _prob_row(spec.pendidikan, PENDIDIKAN), rows.size)
    p_edu = np.zeros((kind.size, len(PENDIDIKAN)))
    p_edu[ready & (kind == K_PL)] = _prob_row({"D4": 0.15, "S1": 0.85}, PENDIDIKAN)
    p_edu[ready & (kind == K_AP)] = _prob_row(_KINDS[K_AP].pendidikan, PENDIDIKAN)
    p_edu[ready & (kind == K_AM)] = _prob_row({"S1": 0.55, "S2": 0.45}, PENDIDIKAN)
    p_edu[ready & (kind == K_AMD)] = _prob_row({"S1": 0.1, "S2": 0.8, "S3": 0.1}, PENDIDIKAN)
    edu_idx[ready] = _draw(rng, p_edu[ready])
    return edu_idx


def _golongan(
    rng: np.random.Generator,
    who: _Slots,
    edu: np.ndarray,
    edu_idx: np.ndarray,
    service: np.ndarray,
) -> np.ndarray:
    """Draw the golongan (index into GOLONGAN) of each person.

    Capped by what the years of service allow (one step per 4 years from
    the entry golongan of the education, one more for structural posts)
    except for the feeders built for a vacancy.
    """
    kind, ready, target = who.kind, who.ready, who.target
    p_gol = np.array(
        [_prob_row(k.golongan, GOLONGAN) if k.golongan else np.zeros(len(GOLONGAN)) for k in _KINDS]
    )[kind]
    pl_key = np.where(
        np.isin(edu, ("SMA", "D1", "D2", "SD", "SMP")), "SMA", np.where(edu == "D3", "D3", "S1")
    )
    for key, dist in _PL_GOLONGAN.items():
        p_gol[(kind == K_PL) & (pl_key == key)] = _prob_row(dist, GOLONGAN)
    overrides = (
        (ready & (kind == K_PL), {"III/b": 0.6, "III/c": 0.4}),
        (ready & (kind == K_AP), {"III/b": 1.0}),
        (ready & (target == T_AD), {"III/d": 1.0}),
        (ready & (who.target_eselon == "II.a"), {"IV/b": 0.6, "IV/c": 0.4}),
    )
    for mask, dist in overrides:
        p_gol[mask] = _prob_row(dist, GOLONGAN)
    gol = _draw(rng, p_gol)
    entry_gol = np.array([GOLONGAN.index(_ENTRY_GOLONGAN.get(q, "II/a")) for q in PENDIDIKAN])[
        edu_idx
    ]
    cap = entry_gol + service // _years_to_days(4.0) + who.structural
    return np.where(ready, gol, np.maximum(np.minimum(gol, cap), np.minimum(gol, entry_gol)))


def _tmt_golongan(
    rng: np.random.Generator, today: np.datetime64, tmt_cpns: np.ndarray
) -> np.ndarray:
    """Draw TMT golongan: a promotion period (1 April or 1 October) in the last 6 years.

    Never before TMT CPNS.
    """
    months_back = rng.integers(0, 73, tmt_cpns.size)
    month = today.astype("datetime64[M]") - months_back
    month_of_year = month.astype(np.int64) % 12
    month = month - ((month_of_year - 3) % 6)
    return np.maximum(month.astype("datetime64[D]"), tmt_cpns)


def _skp_tiers(
    rng: np.random.Generator, ready: np.ndarray, n_years: int
) -> tuple[np.ndarray, np.ndarray]:
    """Draw a latent quality per person and an SKP tier (0 SK .. 4 SB) per year.

    The feeders built for a vacancy are at least Baik in the last two years.
    """
    n = ready.size
    quality = rng.standard_normal(n)
    z = np.sqrt(_SKP_RHO) * quality[:, None] + np.sqrt(1 - _SKP_RHO) * rng.standard_normal(
        (n, n_years)
    )
    z[ready, -2:] = np.maximum(z[ready, -2:], -1.0)
    return quality, np.searchsorted(_SKP_CUTS, z, side="right")


def _jpm(
    rng: np.random.Generator, who: _Slots, quality: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Draw who has been assessed, and their job-person match (jpm) and competency level."""
    n = quality.size
    jpm_share = np.array([k.jpm for k in _KINDS])[who.kind]
    jpm_share[who.ready] = 0.8
    assessed = rng.random(n) < jpm_share
    jpm_raw = np.clip(74 + 5 * quality + 5 * rng.standard_normal(n), 55, 95)
    jpm = np.where(assessed, np.round(jpm_raw, 2), np.nan)
    return jpm, _kompetensi(rng, who.kind, jpm_raw, assessed)


def _mark_sanctions(
    tier: np.ndarray, hukuman: np.ndarray, hukuman_tmt: np.ndarray, years: Sequence[int]
) -> None:
    """Cap, in place, the SKP tier of a sanction's year: at most BP for sedang, K for berat."""
    for k, year in enumerate(years):
        hit = hukuman_tmt.astype("datetime64[Y]").astype(np.int64) + 1970 == year
        tier[hit & (hukuman == "sedang"), k] = np.minimum(tier[hit & (hukuman == "sedang"), k], 2)
        tier[hit & (hukuman == "berat"), k] = np.minimum(tier[hit & (hukuman == "berat"), k], 1)


def _skp_columns(
    rng: np.random.Generator, tier: np.ndarray, cpns_year: np.ndarray, years: Sequence[int]
) -> dict[str, np.ndarray]:
    """Build the ``skp_YYYY`` columns; draw who has the earliest year as a PP 46/2011 number.

    Years before TMT CPNS are empty.
    """
    n = tier.shape[0]
    skp = {}
    old_scale = rng.random(n) < 0.10
    number = _SKP_NUMBER[tier[:, 0], 0] + (
        _SKP_NUMBER[tier[:, 0], 1] - _SKP_NUMBER[tier[:, 0], 0]
    ) * rng.random(n)
    for k, year in enumerate(years):
        label = np.array(SKP_PREDIKAT, dtype=object)[tier[:, k]]
        if k == 0:
            label = np.where(old_scale, np.char.mod("%.1f", number).astype(object), label)
        skp[f"skp_{year}"] = np.where(cpns_year <= year, label, None)
    return skp


def _nips(
    rng: np.random.Generator, born: np.ndarray, tmt_cpns: np.ndarray, female: np.ndarray
) -> np.ndarray:
    """Draw NIPs: birth date, TMT CPNS, sex, then a sequence unique within the rest."""
    prefix = (
        pd.Series(np.datetime_as_string(born, unit="D")).str.replace("-", "", regex=False)
        + pd.Series(np.datetime_as_string(tmt_cpns, unit="M")).str.replace("-", "", regex=False)
        + np.where(female, "2", "1")
    )
    base_seq = pd.Series(rng.integers(1, 900, born.size))
    grouped = base_seq.groupby(prefix)
    seq = grouped.transform("first") + grouped.cumcount()
    return (prefix + seq.astype(str).str.zfill(3)).to_numpy(dtype=object)


def _current_post_names(
    rng: np.random.Generator, p: _PostArrays, who: _Slots, tax: _Taxonomy
) -> np.ndarray:
    """Names of the current posts: the post held, or a drawn functional or Pelaksana name."""
    post_names = p.frame["nama_jabatan"].to_numpy(dtype=object)
    holds = who.holds
    nama_jabatan = np.where(holds >= 0, post_names[np.maximum(holds, 0)], None)
    feeder = holds < 0
    nama_jabatan[feeder] = _jf_names(rng, who.level[feeder], who.home_field[feeder], tax)
    return nama_jabatan


def _jabatan_frame(
    p: _PostArrays, who: _Slots, nip: np.ndarray, kritis: np.ndarray
) -> pd.DataFrame:
    """Build the jabatan table: the posts with their incumbent's NIP and the critical flag."""
    posts, holds = p.frame, who.holds
    holder_nip = np.full(len(posts), None, dtype=object)
    holder_nip[holds[holds >= 0]] = nip[holds >= 0]
    return pd.DataFrame(
        {
            "jabatan_id": posts["jabatan_id"],
            "nama_jabatan": posts["nama_jabatan"],
            "unit": posts["unit"],
            "eselon": posts["eselon"],
            "jenis_jabatan": posts["jenis_jabatan"],
            "atasan_id": posts["atasan_id"].replace("", None),
            "bidang": posts["bidang"],
            "kecamatan": posts["kecamatan"],
            "nip_pemangku": holder_nip,
            "kritis": kritis,
        }
    )


def _in_row_order(
    pegawai: pd.DataFrame, riwayat: pd.DataFrame, p: _PostArrays, who: _Slots, nip: np.ndarray
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Sort pegawai and riwayat into their published row order.

    People by the order of their unit among the posts; in a unit the
    incumbents in the order of their posts, then the others by level
    (highest first) and NIP; history in the same order of people.
    """
    unit_order = np.full(len(p.unit_names), 0)
    _, first = np.unique(p.unit, return_index=True)
    unit_order[p.unit[np.sort(first)]] = np.arange(first.size)
    holds = who.holds
    order = np.lexsort((nip.astype(str), -who.level, holds, holds < 0, unit_order[who.unit]))
    pegawai = pegawai.iloc[order].reset_index(drop=True)
    rank = pd.Series(np.arange(len(nip)), index=pegawai["nip"])
    riwayat = (
        riwayat.assign(_r=rank.reindex(riwayat["nip"]).to_numpy())
        .sort_values(["_r", "tmt_mulai"], kind="stable")
        .drop(columns="_r")
        .reset_index(drop=True)
    )
    return pegawai, riwayat


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns as ``str`` dtype (missing NaN), dates as ``datetime64``."""
    out = frame.copy()
    for col in out.columns:
        s = out[col]
        if pd.api.types.is_datetime64_any_dtype(s.dtype):
            continue
        if s.dtype == object or pd.api.types.is_string_dtype(s.dtype):
            out[col] = s.astype("str").where(s.notna())
    return out


def _careers(
    rng: np.random.Generator, who: _Slots, service: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Post histories: levels, start and end (days before ``as_of``) of up to 4 rows.

    Rows are right-aligned: column 3 is the current post, empty columns on
    the left hold level -1.
    """
    levels = _career_levels(rng, who, service)
    years = _row_years(rng, levels, who)
    start_ago, end_ago = _career_dates(rng, levels, years, service)
    return levels, start_ago, end_ago


def _career_paths() -> tuple[list[tuple[int, ...]], list[list[int]], list[list[float]]]:
    """Build the distinct level paths, and per kind the ids and shares of its templates.

    The paths are those of the kinds' templates, in order of first use,
    then the plain paths of ready feeders and young people not used yet.
    """
    paths: list[tuple[int, ...]] = []
    ids: list[list[int]] = []
    probs: list[list[float]] = []
    for k in _KINDS:
        ids.append([])
        probs.append([])
        for path, p in k.templates:
            if path not in paths:
                paths.append(path)
            ids[-1].append(paths.index(path))
            probs[-1].append(p)
    for path in ((PL,), (TR,), (AP,), (PL, PL), (PL, AP), (AP, AM), (AM, AMD)):
        if path not in paths:
            paths.append(path)
    return paths, ids, probs


def _career_levels(rng: np.random.Generator, who: _Slots, service: np.ndarray) -> np.ndarray:
    """Draw a template of levels per person, right-aligned in 4 columns (-1 empty)."""
    kind, level, target = who.kind, who.level, who.target
    n = kind.size
    paths, ids, probs = _career_paths()
    table = np.full((len(paths), 4), -1, dtype=np.int64)
    for i, path in enumerate(paths):
        table[i, 4 - len(path) :] = path
    tmpl = np.empty(n, dtype=np.int64)
    for k in range(len(_KINDS)):
        rows = np.flatnonzero(kind == k)
        tmpl[rows] = np.array(ids[k])[_draw(rng, np.tile(probs[k], (rows.size, 1)))]
    # Feeders built for a vacancy follow a plain entry-level path, so all
    # their experience is on record.
    ready_path = {K_PL: (PL, PL), K_AP: (PL, AP), K_AM: (AP, AM), K_AMD: (AM, AMD)}
    for k, path in ready_path.items():
        tmpl[(target != T_NONE) & (kind == k)] = paths.index(path)
    # People with under 4 years of service have held one post only.
    young = (service < _years_to_days(4.0)) & np.isin(level, _ENTRY_LEVELS) & (target == T_NONE)
    single = {PL: (PL,), TR: (TR,), AP: (AP,)}
    for lv, path in single.items():
        tmpl[young & (level == lv)] = paths.index(path)
    return table[tmpl]


def _row_years(rng: np.random.Generator, levels: np.ndarray, who: _Slots) -> np.ndarray:
    """Draw the length in years of each history row, by its level; column 3 the current post."""
    n = levels.shape[0]
    lv = np.maximum(levels, 0)
    lo, hi = _ROW_YEARS[lv, 0], _ROW_YEARS[lv, 1]
    short = rng.random((n, 4)) < _SHORT_SHARE
    for slv, (slo, shi) in _SHORT_YEARS.items():
        m = short & (levels == slv)
        lo[m], hi[m] = slo, shi
    years = lo + (hi - lo) * rng.random((n, 4))
    years[:, 3] = _current_years(rng, who.structural, who.target)
    return years


def _current_years(
    rng: np.random.Generator, structural: np.ndarray, target: np.ndarray
) -> np.ndarray:
    """Draw the years in the current post: structural 0.25-8 (a quarter under 2), others 0.5-9.

    The feeders built for a vacancy have held theirs 2.5 to 7 years, by target.
    """
    n = structural.size
    u = rng.random(n)
    current = np.where(
        structural,
        np.where(rng.random(n) < 0.25, 0.25 + 1.75 * u, 2.0 + 6.0 * u),
        0.5 + 8.5 * u,
    )
    for t, (clo, chi) in {T_PW: (2.5, 7.0), T_AD: (3.5, 7.0), T_JPT: (2.5, 6.0)}.items():
        m = target == t
        current[m] = clo + (chi - clo) * u[m]
    return current


def _career_dates(
    rng: np.random.Generator, levels: np.ndarray, years: np.ndarray, service: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Build the start and end (days before ``as_of``) of each row, fitted into the service.

    Rows after the first last ``years``, scaled down to leave at least a
    year for the first row; empty rows get -1.
    """
    n = levels.shape[0]
    n_rows = (levels >= 0).sum(axis=1)
    first_col = 4 - n_rows
    cols = np.arange(4)[None, :]
    later = cols > first_col[:, None]
    dur = np.where(later, _years_to_days(years), 0)
    # Fit into the years of service, leaving at least a year for the first row.
    room = service - 365
    total = dur.sum(axis=1)
    scale = np.where(total > room, room / np.maximum(total, 1), 1.0)
    dur = np.where(later, np.maximum(np.floor(dur * scale[:, None]).astype(np.int64), 60), 0)
    rest = service - dur.sum(axis=1)
    # The first row: from TMT CPNS for entry levels; otherwise a part of the
    # remaining years (the earlier career is not on record).
    first_level = levels[np.arange(n), first_col]
    entry = np.isin(first_level, _ENTRY_LEVELS)
    part = np.where(
        n_rows == 1,
        np.minimum(_years_to_days(years[:, 3]), rest),
        np.clip(np.floor(rest * (0.3 + 0.5 * rng.random(n))), 365, _years_to_days(10.0)),
    )
    first_dur = np.where(entry, rest, np.minimum(part, rest)).astype(np.int64)
    dur[np.arange(n), first_col] = first_dur
    end_ago = np.zeros((n, 4), dtype=np.int64)
    start_ago = np.zeros((n, 4), dtype=np.int64)
    start_ago[:, 3] = dur[:, 3]
    for c in (2, 1, 0):
        end_ago[:, c] = start_ago[:, c + 1]
        start_ago[:, c] = end_ago[:, c] + dur[:, c]
    valid = levels >= 0
    return np.where(valid, start_ago, -1), np.where(valid, end_ago, -1)


def _jurusan(
    rng: np.random.Generator,
    tax: _Taxonomy,
    home: np.ndarray,
    ready: np.ndarray,
    edu_rank: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """A major per person: of the home field's family ~60 % of the time."""
    n = home.size
    u = rng.random((n, 4))
    fam = tax.family[home]
    match = u[:, 0] < np.where(ready, 1.0, 0.6)
    same = u[:, 1] < np.where(ready, 1.0, 0.75)
    in_family = _pick(tax.fam_fields, tax.fam_off, tax.fam_cnt, fam, u[:, 2])
    other = _pick(tax.other_fields, tax.other_off, tax.other_cnt, fam, u[:, 2])
    field = np.where(match, np.where(same, home, in_family), other)
    major_idx = tax.major_off[field] + np.minimum(
        (u[:, 3] * tax.major_cnt[field]).astype(np.int64), tax.major_cnt[field] - 1
    )
    # A profession (doctor, dentist, vet) needs a degree: below S1 take the
    # first other major of the family instead.
    professional = np.isin(tax.majors, list(_PROFESSION_PREFIX))
    below = edu_rank[:] < PENDIDIKAN.index("S1")
    swap = professional[major_idx] & below
    if swap.any():
        plain = np.flatnonzero(~professional)
        fallback = np.array(
            [
                plain[tax.family[tax.major_field[plain]] == tax.family[f]][0]
                for f in range(len(tax.fields))
            ]
        )
        major_idx = np.where(swap, fallback[tax.major_field[major_idx]], major_idx)
    return tax.majors[major_idx], tax.major_field[major_idx]


def _names(
    rng: np.random.Generator,
    female: np.ndarray,
    edu: np.ndarray,
    jurusan: np.ndarray,
    field: np.ndarray,
    tax: _Taxonomy,
) -> np.ndarray:
    """Invented two-word names with the academic titles of the education."""
    n = female.size
    heads = np.array(_NAME_HEADS, dtype=object)[rng.integers(0, len(_NAME_HEADS), n)]
    mids = np.array(_NAME_MIDS, dtype=object)[rng.integers(0, len(_NAME_MIDS), n)]
    tail_l = np.array(_TAILS_L, dtype=object)[rng.integers(0, len(_TAILS_L), n)]
    tail_p = np.array(_TAILS_P, dtype=object)[rng.integers(0, len(_TAILS_P), n)]
    first = heads + mids + np.where(female, tail_p, tail_l)
    s1 = np.array(_FAMILY_SYL, dtype=object)[rng.integers(0, len(_FAMILY_SYL), n)]
    s2 = np.array(_FAMILY_SYL, dtype=object)[rng.integers(0, len(_FAMILY_SYL), n)]
    t = np.array(_FAMILY_TAILS, dtype=object)[rng.integers(0, len(_FAMILY_TAILS), n)]
    second = pd.Series(s1 + s2 + t).str.capitalize().to_numpy(dtype=object)
    name = first + " " + second

    titles = np.array([_TITLES.get(f, ("S.Si.", "M.Si.")) for f in tax.fields], dtype=object)
    t1, t2 = titles[field, 0], titles[field, 1]
    prof = np.array([_PROFESSION_PREFIX.get(j, "") for j in jurusan], dtype=object)
    degree = np.isin(edu, ("S1", "S2", "S3"))
    prefix = np.where(edu == "S3", "Dr. ", "") + np.where(degree & (prof != ""), prof + " ", "")
    bachelor = np.where(prof != "", "", t1)
    empty = np.full(n, "", dtype=object)
    suffix = np.select(
        [edu == "D3", edu == "D4", edu == "S1", np.isin(edu, ("S2", "S3"))],
        [
            np.full(n, "A.Md.", dtype=object),
            np.full(n, "S.Tr.", dtype=object),
            bachelor,
            _join(bachelor, t2, ", "),
        ],
        empty,
    )
    return prefix + name + np.where(suffix != "", ", " + suffix, "")


def _kompetensi(
    rng: np.random.Generator, kind: np.ndarray, jpm: np.ndarray, assessed: np.ndarray
) -> np.ndarray:
    """Managerial competency level 1-5 typical of the level, where assessed."""
    x = jpm + 4 * rng.standard_normal(kind.size)
    base = np.select(
        [kind >= K_IIB, kind >= K_IIIB, kind >= K_IVB, kind == K_AMD, kind == K_AM],
        [3 + (x > 70) + (x > 84), 3 + (x > 80), 2 + (x > 75), 3 + (x > 80), 2 + (x > 78)],
        1 + (x > 70) + (x > 85),
    )
    return np.where(assessed, base, np.nan)


def _hukuman(
    rng: np.random.Generator,
    kind: np.ndarray,
    ready: np.ndarray,
    service: np.ndarray,
    today: np.datetime64,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """About 2 % with a sanction: mostly ringan, a quarter sedang, ~10 % berat.

    Berat falls on Pelaksana only: removal from a post to Pelaksana is one
    of its forms (PP 94/2021), so the record stays consistent.
    """
    n = kind.size
    total = round(0.02 * n)
    n_berat = max(1, round(0.1 * total)) if total else 0
    n_sedang = round(0.25 * total)
    tingkat = np.full(n, "", dtype=object)
    pool_berat = np.flatnonzero((kind == K_PL) & ~ready & (service > 3 * 365))
    berat = rng.choice(pool_berat, size=min(n_berat, pool_berat.size), replace=False)
    tingkat[berat] = "berat"
    pool = np.flatnonzero((tingkat == "") & ~ready & (service > 3 * 365))
    chosen = rng.choice(pool, size=min(total - berat.size, pool.size), replace=False)
    tingkat[chosen[:n_sedang]] = "sedang"
    tingkat[chosen[n_sedang:]] = "ringan"
    has = tingkat != ""
    back = np.minimum(service - 365, _years_to_days(5.0))
    ago = 30 + np.floor(rng.random(n) * np.maximum(back - 30, 1)).astype(np.int64)
    tmt = today - ago
    months = np.select(
        [tingkat == "sedang", tingkat == "berat"], [rng.choice([6, 9, 12], n), 12], 0
    )
    selesai = tmt + np.round(months * 30.44).astype(np.int64)
    nat = np.datetime64("NaT", "D")
    return tingkat, np.where(has, tmt, nat), np.where(has, selesai, nat)


def _pelatihan(
    rng: np.random.Generator,
    kind: np.ndarray,
    levels: np.ndarray,
    start_ago: np.ndarray,
    today: np.datetime64,
    cpns_year: np.ndarray,
    as_of_year: int,
) -> np.ndarray:
    """Leadership trainings ``PKP:YYYY|PKA:YYYY|PKN II:YYYY`` from the history.

    Most people take the training of a level in the year before, of, or
    after their first post at that level; some have not taken it yet.
    """
    n = kind.size
    out = np.full(n, "", dtype=object)
    prev_year = np.zeros(n, dtype=np.int64)
    for name, lvls, p_has, p_new in (
        ("PKP", (PW, AD, JPT), 0.88, 0.5),
        ("PKA", (AD, JPT), 0.85, 0.4),
        ("PKN II", (JPT,), 0.80, 0.4),
    ):
        on = np.isin(levels, lvls)
        first_ago = np.where(on, start_ago, -1).max(axis=1)
        held = first_ago >= 0
        first_year = (today - np.maximum(first_ago, 0)).astype("datetime64[Y]").astype(
            np.int64
        ) + 1970
        recent = held & (first_ago < 365)
        has = held & (rng.random(n) < np.where(recent, p_new, p_has))
        offset = np.array([-1, 0, 1])[_draw(rng, np.tile([0.25, 0.45, 0.30], (n, 1)))]
        year = first_year + offset
        if name == "PKP":
            # Some promising feeders have done PKP already.
            talent = ~held & np.isin(kind, (K_PL, K_PY, K_AP, K_AM)) & (rng.random(n) < 0.06)
            has |= talent
            year = np.where(talent, as_of_year - rng.integers(0, 4, n), year)
        elif name == "PKN II":
            # A few Administrators prepare for JPT.
            prep = ~held & (kind >= K_IIIB) & (rng.random(n) < 0.08)
            has |= prep
            year = np.where(prep, as_of_year - rng.integers(0, 3, n), year)
        year = np.clip(year, np.maximum(cpns_year + 1, prev_year), as_of_year)
        prev_year = np.where(has, year, prev_year)
        part = np.where(has, name + ":" + year.astype(str).astype(object), "")
        out = _join(out, part, "|")
    return out


def _jf_names(
    rng: np.random.Generator, level: np.ndarray, field: np.ndarray, tax: _Taxonomy
) -> np.ndarray:
    """Names of Pelaksana and functional posts for the given levels and fields."""
    n = level.size
    u = rng.random(n)
    ahli, ahli_off, ahli_cnt = _flat([_JF_AHLI.get(f, ("Analis Kebijakan",)) for f in tax.fields])
    skill, skill_off, skill_cnt = _flat([_JF_SKILL.get(f, _JF_SKILL_DEFAULT) for f in tax.fields])
    pel = np.array(_PELAKSANA, dtype=object)[
        np.minimum((u * len(_PELAKSANA)).astype(np.int64), len(_PELAKSANA) - 1)
    ]
    base = np.where(
        np.isin(level, (TR, MH, PY)),
        _pick(skill, skill_off, skill_cnt, field, u),
        _pick(ahli, ahli_off, ahli_cnt, field, u),
    )
    suffix = np.array([_LEVEL_SUFFIX.get(lv, "") for lv in range(len(_LEVEL_JENIS))], dtype=object)[
        level
    ]
    return np.where(level == PL, pel, base + " " + suffix)


def _riwayat(
    rng: np.random.Generator,
    p: _PostArrays,
    who: _Slots,
    tax: _Taxonomy,
    nip: np.ndarray,
    levels: np.ndarray,
    start_ago: np.ndarray,
    end_ago: np.ndarray,
    nama_jabatan: np.ndarray,
    today: np.datetime64,
) -> pd.DataFrame:
    """The post history as a long table, one row per (person, post held)."""
    person, col = np.nonzero(levels >= 0)
    lv = levels[person, col]
    current = col == 3
    r_unit = who.unit[person].copy()
    r_name = np.empty(person.size, dtype=object)
    r_name[current] = nama_jabatan[person[current]]

    # Earlier structural posts: a post of that level in the same regency,
    # half of the time in the person's own unit; never the current post.
    hist = ~current & np.isin(lv, _STRUCTURAL_LEVELS)
    own_post, own_unit, own_copy = who.holds[person], who.unit[person], who.copy[person]
    pick = _structural_row_posts(rng, p, lv, own_post, own_unit, own_copy)
    names = p.frame["nama_jabatan"].to_numpy(dtype=object)
    r_name[hist] = names[pick[hist]]
    r_unit[hist] = p.unit[pick[hist]]

    # Earlier non-structural posts: mostly in the same unit.
    plain = ~current & ~hist
    r_unit = _plain_row_units(rng, plain, r_unit, own_copy, p)
    r_name[plain] = _jf_names(rng, lv[plain], who.home_field[person[plain]], tax)

    # The field of each post held: an earlier structural post's own bidang; the
    # current post and the functional and pelaksana posts, the person's home field
    # (the field their JF names are drawn from).
    r_field = np.where(hist, p.field[pick], who.home_field[person])

    mulai = today - start_ago[person, col]
    selesai = np.where(current, np.datetime64("NaT", "D"), today - end_ago[person, col])
    return pd.DataFrame(
        {
            "nip": nip[person],
            "jenis_jabatan": np.array(_LEVEL_JENIS, dtype=object)[lv],
            "nama_jabatan": r_name,
            "unit": p.unit_names[r_unit],
            "tmt_mulai": mulai,
            "tmt_selesai": selesai,
            "bidang": np.array(tax.fields, dtype=object)[r_field],
        }
    )


def _structural_row_posts(
    rng: np.random.Generator,
    p: _PostArrays,
    lv: np.ndarray,
    own_post: np.ndarray,
    own_unit: np.ndarray,
    own_copy: np.ndarray,
) -> np.ndarray:
    """Draw, per history row, a post of the row's level: in its own unit or its regency copy.

    The own unit is tried half of the time when the row's level differs
    from the person's current post and the unit has such a post; the
    person's current post is skipped when another one can be had. Rows
    are those of :func:`_riwayat`; ``own_*`` are their person's post (-1
    for none), unit and copy.
    """
    post_level = np.select([p.jenis == "Pengawas", p.jenis == "Administrator"], [PW, AD], JPT)
    own_level = np.where(own_post >= 0, post_level[np.maximum(own_post, 0)], -1)
    u1, u2 = rng.random(lv.size), rng.random(lv.size)
    # One sorted index of the posts by (unit, level) and by (copy, level);
    # the copy keys lie above every unit key.
    n_units = len(p.unit_names)
    by_unit_key = p.unit * 16 + post_level
    by_copy_key = (n_units + p.copy) * 16 + post_level
    keys = np.concatenate([by_unit_key, by_copy_key])
    members = np.concatenate([np.arange(p.jenis.size), np.arange(p.jenis.size)])
    order = np.argsort(keys, kind="stable")
    skeys, smembers = keys[order], members[order]
    want_unit = (u1 < 0.5) & (lv != own_level)
    unit_key = own_unit * 16 + lv
    copy_key = (n_units + own_copy) * 16 + lv
    lo_u = np.searchsorted(skeys, unit_key, "left")
    cnt_u = np.searchsorted(skeys, unit_key, "right") - lo_u
    use_unit = want_unit & (cnt_u > 0)
    key = np.where(use_unit, unit_key, copy_key)
    lo = np.searchsorted(skeys, key, "left")
    cnt = np.searchsorted(skeys, key, "right") - lo
    k = np.minimum((u2 * cnt).astype(np.int64), np.maximum(cnt - 1, 0))
    pick = smembers[np.minimum(lo + k, len(smembers) - 1)]
    is_self = pick == own_post
    k = np.where(is_self & (cnt > 1), (k + 1) % np.maximum(cnt, 1), k)
    return smembers[np.minimum(lo + k, len(smembers) - 1)]


def _plain_row_units(
    rng: np.random.Generator,
    plain: np.ndarray,
    r_unit: np.ndarray,
    own_copy: np.ndarray,
    p: _PostArrays,
) -> np.ndarray:
    """Draw the units of history rows: 40 % of ``plain`` rows get any unit of their copy.

    The other rows keep ``r_unit``; ``own_copy`` is each row's regency copy.
    """
    elsewhere = plain & (rng.random(plain.size) < 0.4)
    copy_units = pd.DataFrame({"copy": p.copy, "unit": p.unit}).drop_duplicates()
    cu_flat = copy_units["unit"].to_numpy()
    cu_cnt = np.bincount(copy_units["copy"].to_numpy(), minlength=own_copy.max() + 1)
    cu_off = np.concatenate([[0], np.cumsum(cu_cnt)[:-1]])
    cu_sorted = cu_flat[np.argsort(copy_units["copy"].to_numpy(), kind="stable")]
    other_unit = _pick(cu_sorted, cu_off, cu_cnt, own_copy, rng.random(plain.size))
    return np.where(elsewhere, other_unit, r_unit)


# ---------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------


def make_regency(seed: int = DEFAULT_SEED, as_of: dt.date = DEFAULT_AS_OF) -> SynthData:
    """A synthetic regency shaped like Kabupaten Solok Selatan.

    223 echelon posts (32 JPT Pratama, 108 Administrator, 83 Pengawas) in
    the regency's real units, 28 of them (12.6 %) vacant, their incumbents,
    and 450 Pelaksana and functional staff who compete for the posts.

    Parameters
    ----------
    seed:
        Seed of ``numpy.random.default_rng``; equal seeds give equal tables.
    as_of:
        The date the data describes (ages, years in post, SKP years).

    Returns
    -------
    SynthData

    Examples
    --------
    >>> data = make_regency()
    >>> len(data.jabatan), int(data.jabatan["nip_pemangku"].isna().sum())
    (223, 28)
    """
    rng = np.random.default_rng(seed)
    return _build(_posts_frame(1, None), 450, rng, as_of)


def make_province(
    seed: int,
    n_posts: int = 5000,
    n_people: int = 20000,
    as_of: dt.date = DEFAULT_AS_OF,
) -> SynthData:
    """Many regencies built like :func:`make_regency`, at a given size.

    The regency's posts are repeated (ids prefixed ``K01.``, ``K02.``, ...,
    unit names suffixed `` K01``, ...) and cut to ``n_posts``; the people
    are the incumbents plus feeders up to ``n_people``.

    Parameters
    ----------
    seed:
        Seed of ``numpy.random.default_rng``.
    n_posts:
        Number of posts (rows of ``jabatan``).
    n_people:
        Number of people (rows of ``pegawai``); at least the number of
        filled posts (about 87 % of ``n_posts``).
    as_of:
        The date the data describes.

    Returns
    -------
    SynthData

    Raises
    ------
    ValueError
        If ``n_posts`` is not positive or ``n_people`` is too small.
    """
    if n_posts < 1:
        raise ValueError(f"n_posts must be positive, got {n_posts}")
    per_copy = len(regency_posts())
    copies = -(-n_posts // per_copy)
    posts = _posts_frame(copies, n_posts)
    filled = n_posts - _n_vacant(posts)
    if n_people < filled:
        raise ValueError(
            f"n_people={n_people} is below the {filled} filled posts of n_posts={n_posts}"
        )
    rng = np.random.default_rng(seed)
    return _build(posts, n_people - filled, rng, as_of)


def _n_vacant(posts: pd.DataFrame) -> int:
    jenis = posts["jenis_jabatan"]
    return sum(
        round(rate * int((jenis == j).sum()))
        for j, rate in (("JPT Pratama", 0.15), ("Administrator", 0.12), ("Pengawas", 0.12))
    )


def write(data: SynthData, folder: Path) -> None:
    """Write the three tables as CSV files into ``folder``.

    Comma-delimited UTF-8 with ``\\n`` line endings, ISO dates, empty cells
    for missing values, rows in the order of the frames. Each file is written
    to a temporary file in ``folder`` and moved into place, so a reader never
    sees half a file.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    umask = os.umask(0)
    os.umask(umask)
    for attr, filename in FILES.items():
        frame: pd.DataFrame = getattr(data, attr)
        fd, tmp = tempfile.mkstemp(prefix=f".{filename}.", suffix=".tmp", dir=folder)
        try:
            os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes it 0600
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
                frame.to_csv(
                    fh, index=False, lineterminator="\n", date_format="%Y-%m-%d", na_rep=""
                )
            os.replace(tmp, folder / filename)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


_README = """\
# Demo data: a synthetic regency

**Everything in this folder is synthetic.** No row describes a real person:
names are built from invented syllables, and each NIP is assembled from the
invented birth date, TMT CPNS and sex of its row. Unit and kecamatan names
are the public ones of a regency shaped like Kabupaten Solok Selatan (West
Sumatra); the posts, people, careers and scores in them are made up.

| file | rows | what |
|---|---|---|
| `jabatan.csv` | {n_jabatan} | echelon posts: {jabatan_split}; {n_vacant} vacant |
| `pegawai.csv` | {n_pegawai} | incumbents and Pelaksana / functional staff who may compete for posts |
| `riwayat_jabatan.csv` | {n_riwayat} | post history, 1-4 contiguous rows per person ending with the current post, each with its post's field (`bidang`) |

Columns follow `docs/data.md`. The data describes the situation on
{as_of}; the SKP of the earliest year is a PP 46/2011 number for about
10 % of people, as in older records.

## How it was made

`engine/demo/synth.py` (`make_regency`) draws everything from one
`numpy.random.default_rng` seeded with **{seed}**, using the figures of the
domain notes: ages, golongan ranges per eselon, education mix, SKP mostly
Baik, 1-3 % with a disciplinary sanction, women 35-40 % of structural posts,
10-15 % of posts vacant, some incumbents reaching retirement age (BUP) soon.
Fields and majors come from `rules/taksonomi.yaml`. Each vacant post has at
least two candidates built to meet the usual requirements of its level; the
module docstring lists the other assumptions.

## Regenerate

```
python -m engine.demo.synth --out data/demo --seed {seed}
```

The output is byte-identical for a given seed (and taxonomy);
`tests/engine/test_synth.py` fails when these files and the generator
disagree. This README is written by the same command.
"""


def _readme(data: SynthData, seed: int, as_of: dt.date) -> str:
    counts = data.jabatan["jenis_jabatan"].value_counts()
    split = ", ".join(
        f"{int(counts.get(j, 0))} {j}" for j in ("JPT Pratama", "Administrator", "Pengawas")
    )
    return _README.format(
        n_jabatan=len(data.jabatan),
        jabatan_split=split,
        n_vacant=int(data.jabatan["nip_pemangku"].isna().sum()),
        n_pegawai=len(data.pegawai),
        n_riwayat=len(data.riwayat),
        as_of=as_of.isoformat(),
        seed=seed,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m engine.demo.synth --out data/demo [--seed N]``."""
    parser = argparse.ArgumentParser(
        prog="python -m engine.demo.synth", description="Write the synthetic demo regency as CSV."
    )
    parser.add_argument("--out", type=Path, required=True, help="folder for the CSV files")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"default {DEFAULT_SEED}")
    parser.add_argument(
        "--as-of",
        type=dt.date.fromisoformat,
        default=DEFAULT_AS_OF,
        help=f"date the data describes, default {DEFAULT_AS_OF.isoformat()}",
    )
    args = parser.parse_args(argv)
    data = make_regency(args.seed, args.as_of)
    write(data, args.out)
    (args.out / "README.md").write_text(_readme(data, args.seed, args.as_of), encoding="utf-8")
    print(
        f"wrote {len(data.pegawai)} pegawai, {len(data.jabatan)} jabatan, "
        f"{len(data.riwayat)} riwayat rows to {args.out}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
