"""The command line's help (``talenta --help``, ``talenta COMMAND --help``) in the run's
language.

Takes the command line as the parser builds it from the app's declarations (a group of
commands, each with its arguments and options) and a language; sets every help text from
the catalogue (:data:`engine.i18n.HELP`): the app's, each command's, each argument's and
option's, by the command's path and the parameter's name. The parser's own words around
them (the usage line, the section headings, the help option, a default, a required
value, the kind of value an option takes) are told by a formatter that reads the same catalogue. The language is the one the
command line asks for (``--lang en``, :func:`engine.usage.argv_language`), since the
help is printed while the words are parsed, before the option is taken.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from engine.i18n import ERRORS, HELP

__all__ = ["commands", "set_help"]

# The parser's headings, as it names them, and their key in the catalogue's frame.
_HEADINGS = {"Arguments": "arguments", "Options": "options", "Commands": "commands"}
_VALUE = re.compile(r"<([^<>]+)>")
_EXTRA = re.compile(r"  \[(?P<extra>[^\[\]]*)\]$|^\[(?P<alone>[^\[\]]*)\]$")


def commands(group: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """Each command of ``group`` (the group itself first, as ``""``) with its path."""
    yield path, group
    for name, command in getattr(group, "commands", {}).items():
        yield from commands(command, f"{path} {name}".strip())


def set_help(group: Any, lang: str, **fields: object) -> None:
    """Set every help text of ``group`` and its commands in ``lang``; ``fields`` fill the
    catalogue's templates (``{pangkat}``). A command or parameter the catalogue does not
    name is an error of the program, found by the tests: :class:`KeyError`."""
    words = HELP[lang]["commands"]
    for path, command in commands(group):
        entry = words[path]
        command.help = entry["help"].format(**fields)
        for param in command.params:
            param.help = entry["params"][param.name].format(**fields)
        command.context_class = _context(type(command).context_class, lang)


def _context(base: type, lang: str) -> type:
    """The parser's context class whose help formatter speaks ``lang``."""
    formatter = _formatter(base.formatter_class, lang)
    return type(f"{base.__name__}_{lang}", (base,), {"formatter_class": formatter})


def _formatter(base: type, lang: str) -> type:
    frame = HELP[lang]["frame"]
    usage = ERRORS[lang]

    def write_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        args = args.replace("[OPTIONS]", usage["usage_options"])
        args = args.replace("COMMAND [ARGS]...", usage["usage_command"])
        base.write_usage(self, prog, args, usage["usage_line"].format(usage=""))

    def write_heading(self: Any, heading: str) -> None:
        base.write_heading(self, frame[_HEADINGS[heading]] if heading in _HEADINGS else heading)

    def write_dl(self: Any, rows: Any, *args: Any, **kwargs: Any) -> None:
        base.write_dl(self, [_row(term, text, frame) for term, text in rows], *args, **kwargs)

    methods = {"write_usage": write_usage, "write_heading": write_heading, "write_dl": write_dl}
    return type(f"{base.__name__}_{lang}", (base,), methods)


def _row(term: str, text: str, frame: dict[str, str]) -> tuple[str, str]:
    """A parameter's line in the catalogue's words: the kind of value it takes
    ("<path>"), the help option's text, and the parser's "[default: ...; required]"
    after a help text."""
    if term == "--help":
        return term, frame["help_option"]
    term = _VALUE.sub(lambda m: f"<{frame['values'].get(m[1], m[1])}>", term)
    found = _EXTRA.search(text)
    if found is None:
        return term, text
    extra = found["extra"] if found["extra"] is not None else found["alone"]
    told = []
    for item in extra.split("; "):
        if item.startswith("default: "):
            told.append(frame["default"].format(default=item.removeprefix("default: ")))
        else:
            told.append(frame["required"] if item == "required" else item)
    shown = "[" + "; ".join(told) + "]"
    return term, text[: found.start()] + ("  " if found["extra"] is not None else "") + shown
