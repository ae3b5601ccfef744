"""Ordered scales of the ASN domain, as pandas ordered categoricals.

Each scale is a tuple of its levels, lowest first, so that ``>=`` on a
categorical column means what the regulation means (``golongan >= "III/d"``).
Where the regulation makes two levels equal (S1 and D4), both map to one
rank through :data:`PENDIDIKAN_RANK`.
"""

from __future__ import annotations

import pandas as pd

__all__ = [
    "ESELON",
    "ESELON_JENIS",
    "GOLONGAN",
    "HUKUMAN_TINGKAT",
    "JENIS_JABATAN",
    "JENIS_KELAMIN",
    "LEVEL_RANK",
    "PANGKAT",
    "PENDIDIKAN",
    "PENDIDIKAN_RANK",
    "SKP_PREDIKAT",
    "STRUCTURAL",
    "categorical",
    "golongan_index",
]

# Golongan/ruang, I/a (lowest) to IV/e (highest).
GOLONGAN: tuple[str, ...] = tuple(
    f"{g}/{r}"
    for g, ruang in (("I", "abcd"), ("II", "abcd"), ("III", "abcd"), ("IV", "abcde"))
    for r in ruang
)

# Pangkat names of golongan III and IV (DOMAIN.md; PP 99/2000).
PANGKAT: dict[str, str] = {
    "III/a": "Penata Muda",
    "III/b": "Penata Muda Tingkat I",
    "III/c": "Penata",
    "III/d": "Penata Tingkat I",
    "IV/a": "Pembina",
    "IV/b": "Pembina Tingkat I",
    "IV/c": "Pembina Utama Muda",
    "IV/d": "Pembina Utama Madya",
    "IV/e": "Pembina Utama",
}

# Pendidikan, lowest first. S1 and D4 are equal in rank (PP 11/2017 asks for
# "S1/D-IV"); the categorical keeps both labels, the rank map makes them equal.
PENDIDIKAN: tuple[str, ...] = ("SD", "SMP", "SMA", "D1", "D2", "D3", "D4", "S1", "S2", "S3")
PENDIDIKAN_RANK: dict[str, int] = {
    "SD": 0,
    "SMP": 1,
    "SMA": 2,
    "D1": 3,
    "D2": 4,
    "D3": 5,
    "D4": 6,
    "S1": 6,
    "S2": 7,
    "S3": 8,
}

# SKP predikat, PermenPANRB 6/2022, worst first.
SKP_PREDIKAT: tuple[str, ...] = (
    "Sangat Kurang",
    "Kurang",
    "Butuh Perbaikan",
    "Baik",
    "Sangat Baik",
)

# Jenis jabatan, lowest first. Functional levels sit beside the structural
# ladder; the order is used only for "at least" comparisons within a track.
JENIS_JABATAN: tuple[str, ...] = (
    "Pelaksana",
    "Fungsional Pemula",
    "Fungsional Terampil",
    "Fungsional Mahir",
    "Fungsional Penyelia",
    "Fungsional Ahli Pertama",
    "Fungsional Ahli Muda",
    "Pengawas",
    "Fungsional Ahli Madya",
    "Administrator",
    "Fungsional Ahli Utama",
    "JPT Pratama",
    "JPT Madya",
    "JPT Utama",
)

# Old eselon, lowest first, and the jenis jabatan each maps onto today.
ESELON: tuple[str, ...] = ("IV.b", "IV.a", "III.b", "III.a", "II.b", "II.a", "I.b", "I.a")
ESELON_JENIS: dict[str, str] = {
    "IV.b": "Pengawas",
    "IV.a": "Pengawas",
    "III.b": "Administrator",
    "III.a": "Administrator",
    "II.b": "JPT Pratama",
    "II.a": "JPT Pratama",
    "I.b": "JPT Madya",
    "I.a": "JPT Madya",
}

# Hukuman disiplin, PP 94/2021, lightest first.
HUKUMAN_TINGKAT: tuple[str, ...] = ("ringan", "sedang", "berat")

JENIS_KELAMIN: tuple[str, ...] = ("L", "P")


def categorical(values: object, levels: tuple[str, ...]) -> pd.Categorical:
    """Return ``values`` as an ordered categorical over ``levels``.

    Values outside ``levels`` become missing; loaders check for them first
    and report each one, so nothing is silently dropped.
    """
    return pd.Categorical(values, categories=list(levels), ordered=True)


def golongan_index(label: str) -> int:
    """Position of a golongan label on the scale (``"I/a"`` is 0)."""
    return GOLONGAN.index(label)


# Level of a jenis jabatan on one ladder, so that a move can be called a
# promotion (higher), lateral (equal) or a step down. Functional levels sit
# beside their structural equivalents (PermenPANRB 17/2021 on penyetaraan:
# Ahli Muda ~ Pengawas, Ahli Madya ~ Administrator, Ahli Utama ~ JPT Pratama).
LEVEL_RANK: dict[str, int] = {
    "Pelaksana": 0,
    "Fungsional Pemula": 0,
    "Fungsional Terampil": 1,
    "Fungsional Mahir": 1,
    "Fungsional Penyelia": 1,
    "Fungsional Ahli Pertama": 1,
    "Fungsional Ahli Muda": 2,
    "Pengawas": 2,
    "Fungsional Ahli Madya": 3,
    "Administrator": 3,
    "Fungsional Ahli Utama": 4,
    "JPT Pratama": 4,
    "JPT Madya": 5,
    "JPT Utama": 6,
}

STRUCTURAL: frozenset[str] = frozenset(
    {"Pengawas", "Administrator", "JPT Pratama", "JPT Madya", "JPT Utama"}
)
