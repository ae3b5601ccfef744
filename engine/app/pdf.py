"""The berita acara and the recommendation to the PPK as PDF, made in Python (fpdf2).

Takes the values the closing documents are made of (engine.app.documents);
gives PDF bytes (:func:`minutes_pdf`, :func:`recommendation_pdf`) with the
same sections as the DOCX and the print-ready HTML: A4, tables that break
across pages with their header repeated, and a page number on each page.

fpdf2 is pure Python: nothing is installed beside the package and nothing
is fetched when a PDF is made, on Linux or Windows alike. The text face is
DejaVu Serif, shipped in engine/app/fonts (its licence beside it) and
embedded (subset) in each PDF, so a name, reason or comment in Latin,
Greek or Cyrillic letters prints as typed (a character the face lacks, such
as a CJK one, is left out and fpdf2 warns), and the file looks the same on
every machine.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.enums import WrapMode, XPos, YPos
from fpdf.fonts import FontFace

from engine.app.tables import COMMENT_HEAD, DECISION_HEAD, comment_rows, decision_rows

__all__ = ["minutes_pdf", "recommendation_pdf"]

FONTS = Path(__file__).parent / "fonts"
FACE = "DejaVuSerif"


class _Document(FPDF):
    """An A4 page with 2 cm margins, the shipped face, and ``page N`` at the foot."""

    def __init__(self, title: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.add_font(FACE, "", str(FONTS / "DejaVuSerif.ttf"))
        self.add_font(FACE, "B", str(FONTS / "DejaVuSerif-Bold.ttf"))
        self.set_margins(20, 20, 20)
        self.set_auto_page_break(auto=True, margin=18)
        self.set_title(title)
        self.set_creator("talenta")
        self.add_page()
        self.set_font(FACE, size=10.5)

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font(FACE, size=8)
        self.cell(0, 5, f"halaman {self.page_no()}/{{nb}}", align="C")

    def heading(self, text: str, size: float = 13, center: bool = False) -> None:
        self.set_font(FACE, "B", size)
        self.multi_cell(0, size * 0.5, text, align="C" if center else "L",
                        new_x=XPos.LMARGIN, new_y=YPos.NEXT)  # fmt: skip
        self.ln(1.5)
        self.set_font(FACE, size=10.5)

    def paragraph(self, text: str, center: bool = False) -> None:
        self.multi_cell(0, 5.2, text, align="C" if center else "J",
                        new_x=XPos.LMARGIN, new_y=YPos.NEXT)  # fmt: skip
        self.ln(2)

    def grid(
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[str]],
        widths: Sequence[float],
        size: float = 8.5,
        wrap: WrapMode = WrapMode.WORD,
        min_height: float = 0,
    ) -> None:
        """A table whose rows grow with their text; the header repeats on a new page."""
        self.set_font(FACE, size=size)
        with self.table(
            col_widths=tuple(widths),
            text_align="LEFT",
            line_height=size * 0.5,
            padding=1,
            wrapmode=wrap,
            headings_style=FontFace(family=FACE, emphasis="BOLD"),
            repeat_headings=1,
            v_align="TOP",
        ) as table:
            table.row(list(header))
            for r in rows:
                table.row(list(r), min_height=min_height or None)
        self.ln(3)
        self.set_font(FACE, size=10.5)

    def output_bytes(self) -> bytes:
        return bytes(self.output())


def minutes_pdf(v: dict[str, Any]) -> bytes:
    """The berita acara: date, members present, scenario, decisions with reasons and prices,
    members' comments, input hashes, and a line for each member's signature."""
    doc = _Document(f"Berita acara sesi {v['s'].id}")
    doc.heading(f"BERITA ACARA SIDANG {v['committee'].upper()}", center=True)
    doc.paragraph(f"Nomor: {v['closing']['number']}", center=True)
    doc.paragraph(
        f"Pada {v['date_words']}, bertempat di {v['closing']['place']}, {v['committee']} "
        f"telah bersidang untuk mempertimbangkan pengisian jabatan menurut skenario "
        f"“{v['scenario'].name}” (tanggal skenario {v['scenario'].date}), sesi {v['s'].id}."
    )
    doc.heading("Hadir", 11)
    members = v["closing"]["members"]
    doc.grid(["No", "Nama"], [[str(k), n] for k, n in enumerate(members, 1)], (1, 12), 10)
    doc.heading("Keputusan", 11)
    doc.grid(
        DECISION_HEAD,
        decision_rows(v, _spaced),
        (2.2, 6, 8, 7.5, 7.5, 9, 4.3, 11),
        7,
    )
    doc.heading("Tanggapan anggota", 11)
    if v["comments"]:
        doc.grid(
            COMMENT_HEAD,
            comment_rows(v, _spaced),
            (2.2, 6, 6, 8, 7, 16),
            7.5,
        )
    else:
        doc.paragraph("Tidak ada tanggapan tertulis.")
    doc.heading("Data dan aturan yang digunakan (SHA-256)", 11)
    doc.grid(["Berkas", "SHA-256"], [[r, h] for r, h in v["inputs"]], (5, 12), 7, WrapMode.CHAR)
    doc.paragraph(
        "Demikian berita acara ini dibuat untuk dipergunakan sebagaimana mestinya. "
        "Rekomendasi tiga nama per jabatan kepada PPK terlampir."
    )
    doc.grid(["Nama", "Tanda tangan"], [[n, ""] for n in members], (1, 1), 10, min_height=14)
    return doc.output_bytes()


def recommendation_pdf(v: dict[str, Any]) -> bytes:
    """The recommendation to the PPK: per post, three names ranked with a justification each."""
    doc = _Document(f"Rekomendasi kepada PPK, sesi {v['s'].id}")
    doc.heading("REKOMENDASI KEPADA PEJABAT PEMBINA KEPEGAWAIAN", center=True)
    doc.paragraph(
        f"Berdasarkan berita acara sidang {v['committee']} nomor {v['closing']['number']} "
        f"tanggal {v['day']}, bersama ini disampaikan calon untuk setiap jabatan, diurutkan; "
        "PPK memilih satu di antaranya."
    )
    for rec in v["recs"]:
        doc.heading(f"{rec['post']} ({rec['unit']}, {rec['level']})", 10.5)
        if rec["status"] == "defer":
            doc.paragraph("Ditunda oleh tim; tidak ada rekomendasi pada sidang ini.")
            continue
        doc.grid(
            ["Peringkat", "Nama / NIP", "Jabatan sekarang", "Alasan", "Pilihan PPK"],
            [
                [str(n["rank"]), f"{n['nama']}\n{n['nip']}", n["current_post"], n["why"], ""]
                for n in rec["names"]
            ],
            (4.2, 8, 8, 16, 4),
            7.5,
        )
    return doc.output_bytes()


def _spaced(at: str) -> str:
    """An ISO time with a space for the ``T``: easier to read on paper."""
    return at.replace("T", " ")
