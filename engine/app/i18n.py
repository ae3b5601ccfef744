"""The app's pages in English: Indonesian phrase -> English.

Takes nothing; gives :data:`EN`, :class:`Msg` and :func:`translator`. The
pages are written in Indonesian (the default); a template marks each
phrase with ``_()`` and, when a user switches to English, the phrase is
looked up here (a phrase not listed stays Indonesian). Every error and
notice the app shows is a :class:`Msg`: an Indonesian sentence of this
catalogue with its fields filled only when shown, in the reader's
language. The berita acara and the recommendation to the PPK are official
documents and stay Indonesian.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["EN", "LANGUAGES", "Msg", "msg", "translator"]

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
    "Sesi": "Session",
    "Daftar sesi": "Sessions",
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
    "tutup": "close",
    "{n} jabatan dengan keputusan. Setelah ditutup sesi terkunci; berita acara, rekomendasi "
    "kepada PPK (DOCX, HTML dan PDF), plan.json dan plan.xlsx dibuat.": (
        "{n} posts decided. Once closed the session is locked; the berita acara, the "
        "recommendation to the PPK (DOCX, HTML and PDF), plan.json and plan.xlsx are made."
    ),
    "Pratinjau": "Preview",
    "pratinjau": "preview",
    "untuk": "for",
    "lunak": "soft",
    "kecocokan": "fit",
    "rencana": "plan",
    "Perbandingan": "Comparison",
    "perbandingan": "comparison",
    "Bandingkan dengan": "Compare with",
    "Bandingkan": "Compare",
    "Perbedaan, dalam kalimat": "Differences, in words",
    "Tidak ada perbedaan.": "No difference.",
    "Ringkasan": "Summary",
    "skala lain": "another scale",
    "Jabatan yang berbeda": "Posts that differ",
    "tidak dibuka": "not opened",
    "Tidak ada.": "None.",
    "Bandingkan berdampingan dengan usulan mesin atau skenario lain": (
        "Compare side by side with the engine's proposal or another scenario"
    ),
    "Urutan pembahasan": "Order of deliberation",
    "menurut unit": "by unit",
    "menurut jenjang": "by level",
    "menurut status": "by status",
    "urutan tim (manual)": "the committee's own (manual)",
    "Terapkan urutan": "Apply the order",
    "Urutan": "Order",
    "naik": "up",
    "turun": "down",
    "Tanggapan anggota": "Members' comments",
    "Tanggapan": "Comment",
    "Belum ada tanggapan.": "No comment yet.",
    "Tentang": "About",
    "jabatan ini": "this post",
    "Kirim tanggapan": "Send the comment",
    "Jabatan sebelumnya": "Previous post",
    "Jabatan berikutnya": "Next post",
    "lanjutan dari sesi": "continues session",
    "poin": "points",
    "usulan mesin:": "engine's proposal:",
    "Bahasa": "Language",
    # Errors and notices (Msg): fields in braces are filled when shown.
    "peran '{role}' tidak boleh melakukan ini; perlu peran '{need}'": (
        "the role '{role}' may not do this; it needs '{need}'"
    ),
    "token keamanan formulir hilang atau kedaluwarsa; muat ulang halaman": (
        "the form's security token is missing or stale; reload the page"
    ),
    "nomor sesi '{value}' bukan angka": "session number '{value}' is not a number",
    "versi '{value}' bukan angka": "version '{value}' is not a number",
    "bahasa '{lang}' tidak tersedia; pilihan: id, en": (
        "language '{lang}' is not offered; allowed: id, en"
    ),
    "dengan login, nama pengguna adalah nama akun": "with login on, the name is the account's",
    "sebutkan berkas skenario untuk membuka sesi": "name the scenario file to open a session on",
    "berkas skenario '{path}' tidak ditemukan": "scenario file '{path}' not found",
    "tidak ada sesi {sid}": "there is no session {sid}",
    "tidak ada jabatan '{pid}' pada putaran ini": "there is no post '{pid}' in this round",
    "alasan wajib diisi untuk keputusan '{action}'": "a reason is required for '{action}'",
    "NIP itu tidak ada dalam tabel pegawai putaran ini": (
        "that NIP is not in the pegawai table of this round"
    ),
    "keputusan '{action}' tidak dikenal; pilihan: {allowed}": (
        "unknown decision '{action}'; allowed: {allowed}"
    ),
    "menerima usulan perlu pegawai yang diusulkan (jabatan ini tidak terisi: tunda atau pilih "
    "seseorang)": (
        "accept needs a proposed person (the post is unfilled: defer it or choose someone)"
    ),
    "keputusan '{action}' perlu seorang pegawai (NIP)": "'{action}' needs a person (NIP)",
    "pegawai ini dikecualikan dari jabatan ini; cabut pengecualiannya dahulu": (
        "this person is excluded from the post; lift the exclusion first"
    ),
    "pegawai ini pilihan tim untuk jabatan ini; buka kembali jabatan ini dahulu": (
        "this person is the committee's choice for the post; reopen the post first"
    ),
    "pegawai ini sudah dikecualikan dari jabatan ini": (
        "this person is already excluded from the post"
    ),
    "pegawai ini tidak dikecualikan dari jabatan ini": "this person is not excluded from the post",
    "sesi {sid} sudah ditutup; buka kembali sebagai sesi baru": (
        "session {sid} is closed; re-open it as a new session"
    ),
    "sesi masih terbuka; tutup dahulu sebelum membukanya kembali": (
        "the session is open; close it before re-opening it"
    ),
    "keputusan ini tidak dapat berlaku: {why}": "the decision cannot hold: {why}",
    "sesi telah diubah oleh pengguna lain (sekarang versi {current}, formulir dibuat pada versi "
    "{given}); muat ulang halaman lalu putuskan lagi": (
        "the session was changed by someone else (now version {current}, the form was made "
        "on version {given}); reload the page and decide again"
    ),
    "sebutkan anggota yang hadir, satu per baris": "list the members present, one per line",
    "sesi {sid} tidak memiliki berkas '{name}'": "session {sid} has no file '{name}'",
    "masukan tidak dapat dipakai: {detail}": "the input cannot be used: {detail}",
    "tidak dapat disimpan: {detail}": "cannot be saved: {detail}",
    "kesalahan internal; tidak ada yang dicatat": "internal error; nothing was recorded",
    "nama atau kata sandi salah": "wrong name or password",
    "terlalu banyak kata sandi salah; akun dikunci selama {minutes} menit": (
        "too many wrong passwords; the account is locked for {minutes} minutes"
    ),
    "tanggapan tidak berisi": "the comment is empty",
    "urutan '{mode}' tidak dikenal; pilihan: {allowed}": "unknown order '{mode}'; allowed: {allowed}",
    "skenario pembanding '{name}' tidak dikenal; pilih salah satu dari daftar": (
        "comparison scenario '{name}' is not known; pick one from the list"
    ),
    "{name} tidak memenuhi syarat untuk {post}": "{name} is not eligible for {post}",
    "tidak ada rencana yang memenuhi semua keputusan ini sekaligus ({why})": (
        "no plan satisfies these decisions together ({why})"
    ),
    "pegawai atau jabatan tidak dikenal: {which}": "unknown person or post: {which}",
    "solver memberi rencana yang tidak sah: {why}": "the solver returned an invalid plan: {why}",
    "Berkas masukan berubah sejak sesi dibuka: {files}. Tutup sesi ini lalu buka sesi lanjutan "
    "untuk memakai data baru; keputusan yang masih berlaku ikut dibawa.": (
        "Input files changed since the session was opened: {files}. Close this session and "
        "re-open it as a new one to use the new data; the decisions that still apply are "
        "carried over."
    ),
    "{n} keputusan sesi induk tidak lagi berlaku pada data baru dan tidak dibawa.": (
        "{n} decisions of the parent session no longer apply to the new data and were not "
        "carried over."
    ),
}


@dataclass(frozen=True)
class Msg:
    """A sentence of the catalogue with its fields; put in words only when shown.

    A field may itself be a :class:`Msg` (a decision's name), and is then
    shown in the same language.
    """

    text: str
    params: dict[str, Any] = field(default_factory=dict)

    def render(self, lang: str = "id") -> str:
        template = EN.get(self.text, self.text) if lang == "en" else self.text
        values = {k: v.render(lang) if isinstance(v, Msg) else v for k, v in self.params.items()}
        return template.format(**values) if values else template

    def __str__(self) -> str:
        return self.render("en")


def msg(text: str, **params: Any) -> Msg:
    """A :class:`Msg` of ``text`` with ``params``."""
    return Msg(text, params)


def translator(lang: str) -> Callable[[Any], str]:
    """The ``_()`` of the templates for ``lang``: a phrase, or a :class:`Msg`, in that language."""

    def translate(text: Any) -> str:
        if isinstance(text, Msg):
            return text.render(lang)
        return EN.get(text, text) if lang == "en" else text

    return translate
