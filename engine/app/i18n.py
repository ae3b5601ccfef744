"""The app's pages in English: Indonesian phrase -> English.

Takes nothing; gives :data:`EN` and :func:`translator`. The pages are
written in Indonesian (the default); a template marks each phrase with
``_()`` and, when a user switches to English, the phrase is looked up here
(a phrase not listed stays Indonesian). The berita acara and the
recommendation to the PPK are official documents and stay Indonesian.
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["EN", "LANGUAGES", "translator"]

LANGUAGES = ("id", "en")

EN: dict[str, str] = {
    "Alasan": "Reason",
    "Anggota yang hadir (satu per baris)": "Members present (one per line)",
    "Aturan": "Rule",
    "Aturan lunak tidak dipenuhi": "Soft rules failed",
    "Batal": "Cancel",
    "Belum ada keputusan.": "No decision yet.",
    "Belum ada sesi.": "No session yet.",
    "Buka kembali (revisi)": "Reopen (revise)",
    "Buka sesi": "Open a session",
    "Buka sesi lanjutan": "Re-open as a new session",
    "Cabut pengecualian": "Lift the exclusion",
    "Dasar": "Source",
    "Dibuka": "Opened",
    "Dikecualikan": "Excluded",
    "Dokumen": "Documents",
    "Halaman awal": "Home",
    "Harga": "Price",
    "Harga (poin)": "Price (points)",
    "Harga:": "Price:",
    "Induk": "Parent",
    "Jabatan": "Post",
    "Jabatan lain yang memenuhi syarat": "Other posts this person is eligible for",
    "Jabatan sekarang": "Current post",
    "Jabatan terbuka": "Open posts",
    "Jabatan yang berbeda dari usulan mesin": "Posts that differ from the engine's proposal",
    "Jenjang": "Level",
    "Kata sandi": "Password",
    "Kecocokan": "Fit",
    "Kecualikan": "Exclude",
    "Keilmuan": "Field",
    "Kekuatan bangku cadangan": "Bench strength",
    "Keluar": "Log out",
    "Kembali": "Back",
    "Keputusan": "Decision",
    "Kinerja": "Performance",
    "Kotak talenta": "Talent box",
    "Lihat rencana sesi (ringkasan, rantai, kotak talenta, bangku cadangan)": (
        "See the session's plan (summary, chains, talent box, bench strength)"
    ),
    "Masuk": "Log in",
    "NIP": "NIP",
    "Nama": "Name",
    "Nama akun": "Account name",
    "Nama pengguna": "User name",
    "Nilai rencana sesi:": "Session plan value:",
    "Nilai tujuan (poin kecocokan)": "Objective (fit points)",
    "Nilai yang dibandingkan": "Values compared",
    "No": "No",
    "Nomor berita acara": "Minutes number",
    "Oleh": "By",
    "Pengalaman": "Experience",
    "Pengguna": "User",
    "Pilih": "Choose",
    "Pilih calon lain": "Choose another candidate",
    "Potensi": "Potential",
    "Putusan": "Verdict",
    "Putuskan": "Decide",
    "Rantai kekosongan": "Vacancy chains",
    "Rencana sesi": "Session plan",
    "Riwayat jabatan ini": "History of this post",
    "Riwayat keputusan": "Decision history",
    "Saring": "Filter",
    "Sebelum": "Before",
    "Sesi": "Sessions",
    "Sesudah": "After",
    "Sidang penempatan": "Placement sessions",
    "Simpan": "Save",
    "Skenario": "Scenario",
    "Status": "Status",
    "Status:": "Status:",
    "Tahun ke BUP": "Years to BUP",
    "Tempat": "Place",
    "Terima usulan": "Accept the proposal",
    "Tetapkan": "Confirm",
    "Tidak ada calon yang memenuhi syarat.": "Nobody is eligible.",
    "Tidak ada yang berpindah.": "Nobody else moves.",
    "Tidak ada: rencana sesi sama dengan usulan mesin.": (
        "None: the session's plan is the engine's proposal."
    ),
    "Tidak dapat dilakukan": "Cannot be done",
    "Tunda": "Defer",
    "Tutup sesi": "Close the session",
    "Tutup sesi…": "Close the session…",
    "Unit": "Unit",
    "Usulan": "Proposal",
    "Usulan mesin": "Engine's proposal",
    "Versi": "Version",
    "Waktu (UTC)": "Time (UTC)",
    "Yang akan mengubahnya": "What would change it",
    "Yang ikut berpindah": "Who else moves",
    "alasan": "reason",
    "alasan (boleh kosong)": "reason (optional)",
    "alasan:": "reason:",
    "semua": "all",
    "talenta · sidang tim": "talenta · committee session",
    "tidak ada": "none",
    "· usulan rencana sesi:": "· session plan proposes:",
    "Pratinjau:": "Preview:",
    "poin kecocokan dibanding rencana sesi sekarang": "fit points against the current session plan",
    "jabatan terisi": "posts filled",
    "bidang": "field",
    "pemangku sekarang:": "current holder:",
    "kosong": "vacant",
    "tidak terisi": "unfilled",
    "versi": "version",
    "ditutup": "closed",
    "terbuka": "open",
    "belum diputuskan": "not decided",
    "diterima": "accepted",
    "calon lain": "another candidate",
    "calon lain dipilih": "another candidate chosen",
    "ditunda": "deferred",
    "menerima usulan": "accepted the proposal",
    "memilih calon lain": "chose another candidate",
    "mengecualikan": "excluded",
    "menunda": "deferred",
    "membuka kembali": "reopened",
    "mencabut pengecualian": "lifted an exclusion",
    "Buka kembali": "Reopen",
    "MEMENUHI SYARAT": "ELIGIBLE",
    "TIDAK MEMENUHI SYARAT": "NOT ELIGIBLE",
    "Bahasa": "Language",
}


def translator(lang: str) -> Callable[[str], str]:
    """The ``_()`` of the templates for ``lang``."""
    if lang == "en":
        return lambda text: EN.get(text, text)
    return lambda text: text
