"""A mistake on the command line is told in the run's language, with the command's usage
and exit code 2 (engine.usage, through engine.cli.main as the shell runs it)."""

from __future__ import annotations

import re

import pytest

from engine.usage import argv_language
from tests.engine.test_i18n import foreign


def _talenta(capsys, monkeypatch, *args: str) -> tuple[int, str]:
    from engine.cli import main

    monkeypatch.setattr("sys.argv", ["talenta", *args])
    with pytest.raises(SystemExit) as done:
        main()
    said = capsys.readouterr()
    return done.value.code, " ".join((said.out + said.err).split())


MISTAKES = {
    "mistyped option": (["plan", "--ot", "x"], {
        "id": "Kesalahan: opsi --ot tidak dikenal (maksud Anda '--out'?)",
        "en": "Error: no such option: --ot (did you mean '--out'?)",
    }),
    "missing argument": (["explain"], {
        "id": "Kesalahan: argumen 'NIP' belum diberikan",
        "en": "Error: missing argument 'NIP'",
    }),
    "not a whole number": (["eligible", "J1", "--nearest", "abc"], {
        "id": "Kesalahan: nilai untuk '--nearest' tidak sah: 'abc' bukan bilangan bulat",
        "en": "Error: invalid value for '--nearest': 'abc' is not a whole number",
    }),
    "unknown command": (["plann"], {
        "id": "Kesalahan: perintah 'plann' tidak dikenal (maksud Anda 'plan'?)",
        "en": "Error: no such command 'plann' (did you mean 'plan'?)",
    }),
    "extra arguments": (["plan", "a", "b", "c"], {
        "id": "Kesalahan: argumen berlebih: b c",
        "en": "Error: unexpected extra arguments: b c",
    }),
    "option without its value": (["plan", "--out"], {
        "id": "Kesalahan: opsi --out memerlukan nilai",
        "en": "Error: option --out needs a value",
    }),
}  # fmt: skip
USAGE = {"id": "Cara pakai: talenta plan [OPSI]", "en": "Usage: talenta plan [OPTIONS]"}
HELP = {
    "id": "Lihat 'talenta plan --help' untuk bantuan.",
    "en": "Try 'talenta plan --help' for help.",
}


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("name", sorted(MISTAKES))
def test_a_usage_error_is_told_in_the_run_language(capsys, monkeypatch, name, lang):
    args, expected = MISTAKES[name]
    lang_args = ["--lang", lang] if lang == "en" else []  # Indonesian is the default
    code, said = _talenta(capsys, monkeypatch, args[0], *lang_args, *args[1:])
    assert code == 2 and "Traceback" not in said
    assert expected[lang] in said
    # The command line's own words (commands, options, parameter names) are as typed.
    words = re.sub(r"[\[{][\w ]+[\]}]|'[^']*'|--\w+", " ", said)
    for word in (*args, "talenta", "pytest"):
        words = words.replace(word, " ")
    assert foreign(words, lang) == []
    for english in ("No such option", "Missing argument", "Invalid value", "Usage:"):
        assert lang == "en" or english not in said


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_usage_line_and_the_help_hint_come_first(capsys, monkeypatch, lang):
    code, said = _talenta(capsys, monkeypatch, "plan", "--ot", "x", f"--lang={lang}")
    assert code == 2
    # The program's name as the shell called it (talenta, or python -m engine.cli).
    shown = re.sub(r"(python -m )?[\w.]*talenta", "talenta", said)
    assert shown.startswith(f"{USAGE[lang]} [scenario] {HELP[lang]}")


def test_the_language_is_read_from_the_command_line_the_parser_stopped_on():
    assert argv_language(["plan", "--ot"]) == "id"
    assert argv_language(["plan", "--lang", "en", "--ot"]) == "en"
    assert argv_language(["plan", "--lang=en"]) == "en"
    assert argv_language(["plan", "--lang", "fr"]) == "id"
    assert argv_language(["plan", "--lang"]) == "id"


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("group", [[], ["import"]], ids=["talenta", "import"])
def test_a_group_given_its_language_but_no_command(capsys, monkeypatch, group, lang):
    """``talenta --lang en`` (a group takes --lang too, for its help) names no command."""
    code, said = _talenta(capsys, monkeypatch, *group, "--lang", lang)
    assert code == 2
    assert {"id": "Kesalahan: perintah belum diberikan", "en": "Error: missing command"}[
        lang
    ] in said
    usage = {"id": "[OPSI] PERINTAH [ARGUMEN]...", "en": "[OPTIONS] COMMAND [ARGS]..."}
    assert f"talenta {' '.join(group)} {usage[lang]}".replace("  ", " ") in said
