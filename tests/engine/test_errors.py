"""engine.errors: a problem is put in words in the run's language, Indonesian by default."""

from __future__ import annotations

import contextvars
import errno
import os
import re
import string
from pathlib import Path

import pytest

from engine import i18n
from engine.errors import (
    InputError,
    Problem,
    did_you_mean,
    message,
    messages_language,
    os_reason,
    set_messages_language,
)

ENGINE = Path(__file__).resolve().parents[2] / "engine"


def _fields(text: str) -> list[str]:
    return sorted(f for _, f, _, _ in string.Formatter().parse(text) if f is not None)


def test_every_message_in_both_languages_with_the_same_placeholders():
    assert set(i18n.ERRORS) == {"id", "en"}
    assert set(i18n.ERRORS["id"]) == set(i18n.ERRORS["en"])
    for key, text in i18n.ERRORS["id"].items():
        assert _fields(text) == _fields(i18n.ERRORS["en"][key]), key
        # A message the same in both languages holds no words of either (a format, a code).
        literal = re.sub(r"\{[^}]*\}|extends", "", text)  # a key of the scenario stays
        assert text != i18n.ERRORS["en"][key] or not re.search(r"[a-z]{4}", literal), key


def test_every_message_raised_is_in_the_catalogue_and_every_one_is_raised():
    used: set[str] = set()
    for path in ENGINE.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"message\(\s*\"([a-z_0-9]+)\"", source))
        used |= {k for k in i18n.ERRORS["en"] if f'"{k}"' in source and path.name != "i18n.py"}
    assert used - set(i18n.ERRORS["en"]) == set()
    assert set(i18n.ERRORS["en"]) - used == set()


def test_an_unknown_key_is_refused_at_once():
    with pytest.raises(KeyError, match="no message 'no_such_message'"):
        message("no_such_message")


def test_a_problem_in_each_language_has_the_same_structure():
    p = Problem(
        "data/pegawai.csv",
        message("did_you_mean", value="III/a"),
        line=4,
        row=3,
        column="golongan",
        allowed="III/a, III/b",
        hint=did_you_mean("IIIa", ["III/a", "III/b"]),
    )
    assert p.render("en") == (
        "data/pegawai.csv:4: row 3, 'golongan': did you mean 'III/a'?; allowed: III/a, III/b "
        "(did you mean 'III/a'?)"
    )
    assert p.render("id") == (
        "data/pegawai.csv:4: baris 3, 'golongan': maksud Anda 'III/a'?; yang diterima: "
        "III/a, III/b (maksud Anda 'III/a'?)"
    )


def test_the_default_language_is_indonesian_and_a_run_may_choose_english():
    def fresh() -> tuple[str, str, str]:
        err = InputError([Problem(message("command_line"), message("both_or_neither"))])
        before = (messages_language(), str(err))
        set_messages_language("en")
        return (*before, str(err))

    lang, indonesian, english = contextvars.Context().run(fresh)
    assert lang == "id"
    assert indonesian == "1 masalah ditemukan:\nbaris perintah: keduanya atau tidak sama sekali"
    assert english == "1 problem found:\ncommand line: both or neither"
    with pytest.raises(ValueError, match="language must be one of"):
        set_messages_language("fr")


def test_a_long_list_of_problems_is_cut_in_the_run_language():
    err = InputError([Problem("a.csv", message("both_or_neither"), row=k) for k in range(1, 6)])
    assert err.render(limit=2, lang="en").splitlines()[0] == "5 problems found:"
    assert err.render(limit=2, lang="en").splitlines()[-1] == "... and 3 more problems"
    assert err.render(limit=2, lang="id").splitlines()[-1] == "... dan 3 masalah lagi"


# The operating system's refusals: the common ones in the catalogue's words, by errno.
OS_REFUSALS = [
    (errno.ENOENT, "file atau folder tidak ada", "no such file or folder"),
    (errno.EACCES, "izin ditolak", "permission denied"),
    (errno.EPERM, "izin ditolak", "permission denied"),
    (errno.EISDIR, "adalah folder", "is a folder"),
    (
        errno.ENOTDIR,
        "salah satu bagian jalurnya bukan folder",
        "a part of its path is not a folder",
    ),
    (errno.ENOSPC, "ruang disk habis", "no space left on device"),
    (errno.EROFS, "sistem file hanya-baca", "read-only file system"),
    (errno.EDQUOT, "kuota disk terlampaui", "disk quota exceeded"),
    (errno.ENAMETOOLONG, "nama file terlalu panjang", "file name too long"),
    (errno.EMFILE, "terlalu banyak file yang terbuka", "too many open files"),
    (errno.EIO, "kesalahan baca/tulis pada perangkat", "input/output error of the device"),
]


@pytest.mark.parametrize(("code", "indonesian", "english"), OS_REFUSALS)
def test_a_common_refusal_of_the_system_is_said_in_both_languages(code, indonesian, english):
    reason = os_reason(OSError(code, os.strerror(code)))
    assert (reason.render("id"), reason.render("en")) == (indonesian, english)
    assert os.strerror(code) not in reason.render("id")


def test_another_refusal_is_quoted_in_the_systems_words():
    reason = os_reason(OSError(errno.EBUSY, "Device or resource busy"))
    assert reason.render("id") == 'sistem menjawab: "Device or resource busy"'
    assert reason.render("en") == 'the system says: "Device or resource busy"'
    assert os_reason(ValueError("embedded null byte")).render("en") == (
        'the system says: "embedded null byte"'
    )
