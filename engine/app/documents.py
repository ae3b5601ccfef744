"""The documents a closed session gives: berita acara, recommendation to the PPK, plan files.

Takes a session, its events, the decisions in force and the loaded round;
gives file contents by name (:func:`closing_documents`):

- ``berita-acara.docx`` / ``.html``: date (in words and digits), members
  present, scenario, input hashes, and each decision with its reason, its
  price in fit points and the people it moved;
- ``rekomendasi-ppk.docx`` / ``.html``: per post, three names ranked, each
  with a short justification, and a column for the PPK's choice;
- ``plan.json`` and ``plan.xlsx`` of the session's final plan, made by the
  one pipeline with the decisions as pins and bans (engine.report).

- ``berita-acara.pdf``, ``rekomendasi-ppk.pdf``: the same, ready to print
  and sign as they are (engine.app.pdf).

DOCX is what offices edit and sign; the HTML is print-ready (A4 CSS) and
the PDF prints the same on every machine.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import jinja2
from docx import Document
from docx.shared import Pt

from engine.app.decisions import InForce
from engine.app.live import LiveRound
from engine.app.pdf import minutes_pdf, recommendation_pdf
from engine.app.store import Comment, Event, SessionRow
from engine.app.tables import COMMENT_HEAD, DECISION_HEAD, comment_rows, decision_rows
from engine.report.render import LABELS
from engine.report.workbook import plan_sheets, workbook_bytes

__all__ = ["MEDIA_TYPES", "closing_documents", "recommendations"]

MEDIA_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".html": "text/html; charset=utf-8",
    ".json": "application/json",
    ".pdf": "application/pdf",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
KIND_WORDS = {
    "accept": "Menerima usulan",
    "choose": "Memilih calon lain",
    "exclude": "Mengecualikan calon",
    "defer": "Menunda",
    "reopen": "Membuka kembali",
    "lift": "Mencabut pengecualian",
}
DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MONTHS = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]
_UNITS = [
    "nol",
    "satu",
    "dua",
    "tiga",
    "empat",
    "lima",
    "enam",
    "tujuh",
    "delapan",
    "sembilan",
    "sepuluh",
    "sebelas",
]


def terbilang(n: int) -> str:
    """An integer in Indonesian words, as dates are written in a berita acara."""
    if n < 12:
        return _UNITS[n]
    if n < 20:
        return f"{_UNITS[n - 10]} belas"
    if n < 100:
        rest = f" {terbilang(n % 10)}" if n % 10 else ""
        return f"{_UNITS[n // 10]} puluh{rest}"
    if n < 200:
        return "seratus" + (f" {terbilang(n - 100)}" if n > 100 else "")
    if n < 1000:
        rest = f" {terbilang(n % 100)}" if n % 100 else ""
        return f"{_UNITS[n // 100]} ratus{rest}"
    if n < 2000:
        return "seribu" + (f" {terbilang(n - 1000)}" if n > 1000 else "")
    rest = f" {terbilang(n % 1000)}" if n % 1000 else ""
    return f"{terbilang(n // 1000)} ribu{rest}"


def date_words(day: dt.date) -> str:
    """ "hari Senin tanggal lima bulan Januari tahun dua ribu dua puluh tujuh (05-01-2027)"."""
    return (
        f"hari {DAYS[day.weekday()]} tanggal {terbilang(day.day)} bulan {MONTHS[day.month - 1]} "
        f"tahun {terbilang(day.year)} ({day:%d-%m-%Y})"
    )


def recommendations(live: LiveRound, inforce: InForce) -> list[dict[str, Any]]:
    """Per open post of the session's plan: three names ranked, each with a justification."""
    current = live.current(inforce)
    out = []
    for j in live.open_posts(current):
        pid = str(live.ctx.posts.jabatan_id[j])
        status = inforce.status(pid)
        names = [] if status == "defer" else live.names(j, inforce)
        out.append(
            {
                "pid": pid,
                "post": live.post_name(j),
                "unit": str(live.ctx.posts.unit[j]),
                "level": str(live.ctx.posts.jenis_jabatan[j]),
                "status": status,
                "names": [
                    {
                        "rank": n.rank,
                        "nama": n.nama,
                        "nip": n.nip,
                        "current_post": n.current_post,
                        "fit": n.fit,
                        "why": _justification(n, status),
                    }
                    for n in names
                ],
            }
        )
    return out


def _justification(n: Any, status: str) -> str:
    c = n.components
    parts = [
        f"kecocokan {n.fit:.1f} (kinerja {c['kinerja']:.0f}, potensi {c['potensi']:.0f}, "
        f"keilmuan {c['keilmuan']:.0f}, pengalaman {c['pengalaman']:.0f})",
        "memenuhi semua syarat wajib",
    ]
    if n.soft_failed:
        parts.append("belum memenuhi: " + ", ".join(n.soft_failed))
    if n.proposed:
        parts.append("pilihan tim" if status in ("accept", "choose") else "usulan rencana")
    elif n.price is not None:
        parts.append(f"memilihnya mengurangi nilai rencana {n.price:.1f} poin")
    parts.append(f"{n.years_to_bup:.1f} tahun sebelum BUP")
    return "; ".join(parts)


def _context(
    row: SessionRow,
    events: list[Event],
    inforce: InForce,
    live: LiveRound,
    closing: dict[str, Any],
    comments: list[Comment],
) -> dict[str, Any]:
    day = dt.date.today()
    m = live.record.manifest
    return {
        "s": row,
        "closing": closing,
        "date_words": date_words(day),
        "day": day.isoformat(),
        "committee": m.scenario.committee,
        "scenario": m.scenario,
        "inputs": sorted(m.inputs_sha256.items()),
        "events": [
            {
                "e": e,
                "kind": KIND_WORDS[e.kind],
                "post": live.post_name(live.post_index[e.jabatan_id]),
                "person": live.name(live.person_index[e.nip]) if e.nip in live.person_index else "",
            }
            for e in events
        ],
        "comments": [
            {
                "c": c,
                "post": live.post_name(live.post_index[c.jabatan_id])
                if c.jabatan_id in live.post_index
                else c.jabatan_id,
                "person": live.name(live.person_index[c.nip]) if c.nip in live.person_index else "",
            }
            for c in comments
        ],
        "recs": recommendations(live, inforce),
    }


def closing_documents(
    row: SessionRow,
    events: list[Event],
    inforce: InForce,
    live: LiveRound,
    closing: dict[str, Any],
    comments: list[Comment] | None = None,
) -> dict[str, bytes]:
    """Every document of a closing session, by file name."""
    values = _context(row, events, inforce, live, closing, comments or [])
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("engine.app", "templates"), autoescape=True
    )
    env.filters["num"] = lambda v: "-" if v is None else f"{v:.1f}"
    plan = live.final_plan(inforce)
    return {
        "berita-acara.html": env.get_template("berita_acara.html.j2").render(values).encode(),
        "rekomendasi-ppk.html": env.get_template("rekomendasi.html.j2").render(values).encode(),
        "berita-acara.docx": minutes_docx(values),
        "rekomendasi-ppk.docx": recommendation_docx(values),
        "berita-acara.pdf": minutes_pdf(values),
        "rekomendasi-ppk.pdf": recommendation_pdf(values),
        "plan.json": plan.record.to_json().encode(),
        "plan.xlsx": workbook_bytes(plan_sheets(plan.record, LABELS["id"])),
    }


def _table(doc: Any, header: list[str], rows: list[list[str]]) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    for r in rows:
        for cell, text in zip(table.add_row().cells, r, strict=True):
            cell.text = text


def _bytes(doc: Any) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def minutes_docx(v: dict[str, Any]) -> bytes:
    """The berita acara as a Word document."""
    doc = Document()
    doc.styles["Normal"].font.size = Pt(11)
    doc.add_heading(f"BERITA ACARA SIDANG {v['committee'].upper()}", level=1)
    doc.add_paragraph(f"Nomor: {v['closing']['number']}")
    doc.add_paragraph(
        f"Pada {v['date_words']}, bertempat di {v['closing']['place']}, {v['committee']} "
        f"telah bersidang untuk mempertimbangkan pengisian jabatan menurut skenario "
        f"“{v['scenario'].name}” (tanggal skenario {v['scenario'].date}), sesi {v['s'].id}."
    )
    doc.add_heading("Hadir", level=2)
    _table(doc, ["No", "Nama"], [[str(k), n] for k, n in enumerate(v["closing"]["members"], 1)])
    doc.add_heading("Keputusan", level=2)
    _table(doc, DECISION_HEAD, decision_rows(v))
    doc.add_heading("Tanggapan anggota", level=2)
    if v["comments"]:
        _table(doc, COMMENT_HEAD, comment_rows(v))
    else:
        doc.add_paragraph("Tidak ada tanggapan tertulis.")
    doc.add_heading("Data dan aturan yang digunakan (SHA-256)", level=2)
    _table(doc, ["Berkas", "SHA-256"], [[role, h] for role, h in v["inputs"]])
    doc.add_paragraph(
        "Demikian berita acara ini dibuat untuk dipergunakan sebagaimana mestiny"
        "a. Rekomendasi tiga nama per jabatan kepada PPK terlampir."
    )
    _table(doc, ["Nama", "Tanda tangan"], [[n, ""] for n in v["closing"]["members"]])
    return _bytes(doc)


def recommendation_docx(v: dict[str, Any]) -> bytes:
    """The recommendation to the PPK as a Word document."""
    doc = Document()
    doc.styles["Normal"].font.size = Pt(11)
    doc.add_heading("REKOMENDASI KEPADA PEJABAT PEMBINA KEPEGAWAIAN", level=1)
    doc.add_paragraph(
        f"Berdasarkan berita acara sidang {v['committee']} nomor {v['closing']['number']} "
        f"tanggal {v['day']}, bersama ini disampaikan calon untuk setiap jabatan, diurutkan; "
        "PPK memilih satu di antaranya."
    )
    for rec in v["recs"]:
        doc.add_heading(f"{rec['post']} ({rec['unit']}, {rec['level']})", level=2)
        if rec["status"] == "defer":
            doc.add_paragraph("Ditunda oleh tim; tidak ada rekomendasi pada sidang ini.")
            continue
        _table(
            doc,
            ["Peringkat", "Nama / NIP", "Jabatan sekarang", "Alasan", "Pilihan PPK"],
            [
                [str(n["rank"]), f"{n['nama']} / {n['nip']}", n["current_post"], n["why"], ""]
                for n in rec["names"]
            ],
        )
    return _bytes(doc)
