"""The tables of the berita acara, one definition for its DOCX and PDF forms.

Takes the values the closing documents are made from
(:func:`engine.app.documents.closing_documents`): the decisions (``events``)
and the members' comments (``comments``); gives each table's header and rows.
The documents are official and stay Indonesian.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["COMMENT_HEAD", "DECISION_HEAD", "comment_rows", "decision_rows"]

DECISION_HEAD = [
    "No",
    "Waktu",
    "Jabatan",
    "Keputusan",
    "Pegawai",
    "Alasan",
    "Harga (poin)",
    "Ikut berpindah",
]
COMMENT_HEAD = ["No", "Waktu", "Anggota", "Jabatan", "Tentang", "Tanggapan"]


def _same(at: str) -> str:
    return at


def decision_rows(v: dict[str, Any], at: Callable[[str], str] = _same) -> list[list[str]]:
    """One row per decision: its time (written by ``at``), post, kind, person, reason, price
    and who else moves."""
    return [
        [
            str(k),
            at(x["e"].at),
            x["post"],
            x["kind"],
            x["person"],
            x["e"].reason,
            "-" if x["e"].price is None else f"{x['e'].price:.1f}",
            "; ".join(f"{d['nama']}: {d['before']} → {d['after']}" for d in x["e"].displaced),
        ]
        for k, x in enumerate(v["events"], 1)
    ]


def comment_rows(v: dict[str, Any], at: Callable[[str], str] = _same) -> list[list[str]]:
    """One row per member's comment: its time (written by ``at``), member, post and subject."""
    return [
        [str(k), at(x["c"].at), x["c"].user, x["post"], x["person"] or "jabatan ini", x["c"].text]
        for k, x in enumerate(v["comments"], 1)
    ]
