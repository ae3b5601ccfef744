"""Ordered scales of the ASN domain, as pandas ordered categoricals.

Each scale is a tuple of its levels, lowest first, so that ``>=`` on a
categorical column means what the regulation means (``golongan >= "III/d"``).
These are the labels a table may hold and their plain order; the
equivalences a regulation sets between levels (S1 and D4 equal, a
functional level beside its structural one) are data, in
rules/kesetaraan.yaml (:mod:`engine.inputs.equivalence`).
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
    "PANGKAT",
    "PENDIDIKAN",
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

# Pendidikan, lowest first. Which levels count as equal (S1 and D4: PP 11/2017
# asks for "S1/D-IV") is rules/kesetaraan.yaml's; the categorical keeps both labels.
PENDIDIKAN: tuple[str, ...] = ("SD", "SMP", "SMA", "D1", "D2", "D3", "D4", "S1", "S2", "S3")

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


STRUCTURAL: frozenset[str] = frozenset(
    {"Pengawas", "Administrator", "JPT Pratama", "JPT Madya", "JPT Utama"}
)
