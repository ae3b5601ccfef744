"""``talenta --help`` and ``talenta COMMAND --help`` in the run's language (issue 15, item 9).

Each help is printed by the real entry point (engine.cli.main) as the shell runs it, in
Indonesian (the default, and ``--lang id``) and in English (``--lang en``): every help
text the catalogue holds for the command is in it, and no phrase of the other language
(the detector of tests/engine/test_i18n.py). The catalogue names every command and
every argument and option of each, so a new option without its help in both languages
fails here.
"""

from __future__ import annotations

import re

import pytest
import typer.main

from engine import i18n
from engine.cli import PANGKAT, app
from engine.help import commands
from tests.engine.test_i18n import foreign

LANGS = ("id", "en")
# Each command by its words on the command line ("" is the app itself).
PATHS = ("", "plan", "explain", "check", "eligible", "compare", "rerun", "succession", "serve")
PATHS += ("import", "import siasn")


def _help(capsys, monkeypatch, path: str, lang_args: tuple[str, ...]) -> str:
    """What ``talenta PATH --help LANG_ARGS`` prints, checked to exit with code 0."""
    from engine.cli import main

    monkeypatch.setattr("sys.argv", ["talenta", *path.split(), "--help", *lang_args])
    try:
        main()
    except SystemExit as exc:
        assert exc.code in (0, None)
    said = capsys.readouterr()
    assert said.err == ""
    # The program's name as the shell called it (talenta, or python -m engine.cli).
    return re.sub(r"(python -m )?[\w.]*talenta", "talenta", said.out)


def _bare(text: str) -> str:
    """``text`` without white space: the help is wrapped to the terminal's width."""
    return "".join(text.split())


def _words(text: str) -> str:
    """``text`` without what is the same in both languages: options (--out), arguments'
    and commands' names, as typed."""
    text = re.sub(r"--[\w-]+", " ", text)
    names = {name for path in PATHS for name in path.split()}
    names |= {p.name for _, c in commands(typer.main.get_command(app)) for p in c.params}
    for name in sorted(names, key=len, reverse=True):
        text = re.sub(rf"(?<![\w-]){re.escape(name)}(?![\w-])", " ", text)
    return text


def test_every_command_shown_is_tested():
    assert {path for path, _ in commands(typer.main.get_command(app))} == set(PATHS)


@pytest.mark.parametrize("lang", LANGS)
def test_the_catalogue_has_the_help_of_every_command_and_parameter(lang):
    """Every command and every argument and option of each, and nothing else."""
    catalogue = i18n.HELP[lang]["commands"]
    built = dict(commands(typer.main.get_command(app)))
    assert set(catalogue) == set(built)
    for path, command in built.items():
        assert set(catalogue[path]["params"]) == {p.name for p in command.params}, path
        assert catalogue[path]["help"].strip(), path


@pytest.mark.parametrize("lang_args", [(), ("--lang", "id"), ("--lang", "en")], ids=str)
@pytest.mark.parametrize("path", PATHS)
def test_help_is_in_the_run_language(capsys, monkeypatch, path, lang_args):
    lang = lang_args[1] if lang_args else "id"
    said = _help(capsys, monkeypatch, path, lang_args)
    entry = i18n.HELP[lang]["commands"][path]
    frame = i18n.HELP[lang]["frame"]
    texts = [entry["help"], frame["help_option"], frame["options"]]
    texts += [text.format(pangkat=PANGKAT) for text in entry["params"].values()]
    texts += [i18n.ERRORS[lang]["usage_line"].format(usage=f"talenta {path}".strip())]
    missing = [text for text in texts if _bare(text) not in _bare(said)]
    assert missing == [], said
    assert foreign(_words(said), lang) == [], said


@pytest.mark.parametrize("lang", LANGS)
def test_the_parser_own_words_are_in_the_run_language(capsys, monkeypatch, lang):
    """Headings, a default, a required value, the kind of value, the usage's placeholders."""
    frame = i18n.HELP[lang]["frame"]
    usage = i18n.ERRORS[lang]
    top = _help(capsys, monkeypatch, "", ("--lang", lang))
    assert f"{frame['commands']}:" in top.splitlines()
    assert usage["usage_command"] in top.splitlines()[0]
    siasn = _help(capsys, monkeypatch, "import siasn", ("--lang", lang))
    assert f"{frame['arguments']}:" in siasn.splitlines()
    assert usage["usage_options"] in siasn.splitlines()[0]
    assert f"[{frame['required']}]" in siasn
    out = next(line for line in siasn.splitlines() if line.strip().startswith("--out "))
    assert out.split()[:2] == ["--out", f"<{frame['values']['path']}>"]
    plan = _help(capsys, monkeypatch, "plan", ("--lang", lang))
    assert f"[{frame['default'].format(default='out')}]" in plan


def test_the_two_languages_differ_where_the_parser_speaks():
    """The check above can fail: the two catalogues' frames are not the same words."""
    id_, en = i18n.HELP["id"]["frame"], i18n.HELP["en"]["frame"]
    assert all(id_[key] != en[key] for key in ("arguments", "options", "commands", "required"))
    assert id_["default"].format(default="x") != en["default"].format(default="x")


def test_no_args_prints_the_help_in_indonesian(capsys, monkeypatch):
    """``talenta`` alone prints the app's help, in the default language."""
    from engine.cli import main

    monkeypatch.setattr("sys.argv", ["talenta"])
    with pytest.raises(SystemExit):
        main()
    said = capsys.readouterr()
    assert _bare(i18n.HELP["id"]["commands"][""]["help"]) in _bare(said.out + said.err)


@pytest.mark.parametrize("lang", LANGS)
def test_lang_before_the_command_is_the_command_own(capsys, monkeypatch, lang):
    """``talenta --lang en check rules`` is ``talenta check rules --lang en``."""
    from engine.cli import main

    monkeypatch.setattr("sys.argv", ["talenta", "--lang", lang, "check", "rules"])
    try:
        main()
    except SystemExit as exc:
        assert exc.code in (0, None)
    said = capsys.readouterr().out
    done = {"id": "file diperiksa, tidak ada masalah", "en": "checked, no problems"}[lang]
    assert done in said.splitlines()[-1]


def test_the_parser_own_extras_are_told_item_by_item():
    """ "[default: x; required]" after a help text, or alone, each item in the catalogue's
    words; the help option's text; the kind of value."""
    from engine.help import _row

    frame = i18n.HELP["id"]["frame"]
    assert _row("--n <int>", "berapa  [default: 5; required]", frame) == (
        "--n <bilangan>",
        "berapa  [bawaan: 5; wajib diisi]",
    )
    assert _row("x <path>", "[required]", frame) == ("x <jalur>", "[wajib diisi]")
    assert _row("--help", "Show this message and exit.", frame)[1] == frame["help_option"]
    assert _row("--x <odd>", "teks [bukan tambahan] di tengah", frame) == (
        "--x <odd>",
        "teks [bukan tambahan] di tengah",
    )
