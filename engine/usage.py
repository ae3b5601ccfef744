"""A mistake on the command line (a mistyped option, a missing argument, a bad value) told
in the run's language.

Takes the usage error of the command-line parser (click's :class:`click.UsageError` and
its kinds: :class:`~click.NoSuchOption`, :class:`~click.NoSuchCommand`,
:class:`~click.MissingParameter`, :class:`~click.BadParameter`,
:class:`~click.BadOptionUsage`, ...) and the words of the command line; gives the lines
to print: the command's usage, where to find help, and what is wrong, each through the
catalogue (:data:`engine.i18n.ERRORS`, keys ``usage_*``), by the error's kind and what
it names (the option, the parameter, the close matches). The language is the one the
command line asks for (``--lang en``), read from its words, since the parser stopped
before the option was taken. A kind of mistake the catalogue does not know is told in
the parser's own words, quoted.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from engine.errors import Message, did_you_mean, message
from engine.i18n import DEFAULT, ERRORS, LANGUAGES

__all__ = ["argv_language", "is_parser_error", "usage_lines"]

# The parser's errors are known by their kind's name: click's, or the copy of click
# that typer carries (typer._click) in its newer versions.


def _kinds(exc: BaseException) -> set[str]:
    return {c.__name__ for c in type(exc).__mro__}


def is_parser_error(exc: BaseException) -> bool:
    """Whether ``exc`` is the command-line parser's error (click's ClickException)."""
    return "ClickException" in _kinds(exc) and hasattr(exc, "exit_code")


def argv_language(argv: Sequence[str]) -> str:
    """The language ``--lang`` asks for in ``argv`` (the default when absent or unknown)."""
    for k, word in enumerate(argv):
        if word == "--lang" and k + 1 < len(argv):
            lang = argv[k + 1]
        elif word.startswith("--lang="):
            lang = word.split("=", 1)[1]
        else:
            continue
        return lang if lang in LANGUAGES else DEFAULT
    return DEFAULT


def usage_lines(exc: Any, lang: str) -> list[str]:
    """What to print for the parser's error ``exc`` in ``lang``: the usage, the help
    hint, and the error. No command at all (``talenta`` alone) prints the help."""
    kinds = _kinds(exc)
    if "NoArgsIsHelpError" in kinds:
        return [exc.format_message()]
    words = ERRORS[lang]
    lines = []
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        pieces = ctx.command.collect_usage_pieces(ctx)
        shown = " ".join([ctx.command_path, *pieces]).replace("[OPTIONS]", words["usage_options"])
        shown = shown.replace("COMMAND [ARGS]...", words["usage_command"])
        lines.append(words["usage_line"].format(usage=shown))
        lines.append(words["usage_try_help"].format(command=ctx.command_path))
        lines.append("")
    lines.append(words["usage_error"].format(what=_what(exc, kinds).render(lang)))
    return lines


def _param(exc: Any) -> str:
    """The parameter an error names: an option by its flags, an argument by its name."""
    hint = getattr(exc, "param_hint", None)
    if hint:
        return hint if isinstance(hint, str) else " / ".join(hint)
    param = getattr(exc, "param", None)
    if param is None:
        return ""
    opts = getattr(param, "opts", None)
    if opts and str(opts[0]).startswith("-"):
        return " / ".join(f"'{o}'" for o in opts)
    return f"'{(param.name or '').upper()}'"


def _what(exc: Any, kinds: set[str]) -> Message:
    """What is wrong, by the kind of error and what it names."""
    text = str(getattr(exc, "message", "") or "")
    if "NoSuchOption" in kinds:
        return _with_match(message("usage_no_such_option", option=exc.option_name), exc)
    command = re.match(r"No such command '(.+?)'", text)  # click's words, its kind in typer
    if "NoSuchCommand" in kinds or command:
        name = getattr(exc, "command_name", None) or (command.group(1) if command else "")
        return _with_match(message("usage_no_such_command", command=name), exc, name)
    if "MissingParameter" in kinds:
        param = getattr(exc, "param", None)
        kind = getattr(exc, "param_type", None) or getattr(param, "param_type_name", "")
        key = {"argument": "usage_missing_argument", "option": "usage_missing_option"}
        return message(key.get(kind, "usage_missing_parameter"), param=_param(exc))
    if "BadParameter" in kinds:
        return message("usage_bad_value", param=_param(exc), reason=_reason(exc, text))
    if "BadOptionUsage" in kinds:
        takes_none = "does not take a value" in text
        key = "usage_option_takes_no_value" if takes_none else "usage_option_needs_value"
        return message(key, option=exc.option_name)
    if text == "Missing command.":  # a group (talenta, talenta import) named no command
        return message("usage_missing_command")
    extra = re.fullmatch(r"Got unexpected extra argument(?:s|\(s\))? \((.*)\)", text)
    if extra:
        return message("usage_extra_arguments", arguments=extra.group(1))
    return message("usage_parser_says", text=text)


def _with_match(found: Message, exc: Any, name: str | None = None) -> Message:
    close = list(getattr(exc, "possibilities", None) or [])
    if not close:
        ctx = getattr(exc, "ctx", None)
        commands = getattr(getattr(ctx, "command", None), "commands", None)
        close = sorted(commands) if name and commands else []
    name = name or getattr(exc, "option_name", "")
    hint = did_you_mean(str(name), close) if close else None
    return message("usage_with_hint", what=found, hint=hint) if hint else found


def _reason(exc: Any, text: str) -> Message:
    """Why a value is refused: by the check that refused it (pydantic's, in newer typer;
    else click's type), with the value; else the parser's own words, quoted."""
    cause = exc.__cause__
    errors = getattr(cause, "errors", None)
    if callable(errors):
        first = errors()[0]
        kind, value = str(first.get("type", "")), first.get("input")
    else:
        found = re.match(r"'(.*)' is not a valid (integer|float)", text)
        kind = (
            {"integer": "int_parsing", "float": "float_parsing"}.get(found.group(2))
            if found
            else ""
        )
        value = found.group(1) if found else None
    if kind.startswith("int_") and value is not None:
        return message("usage_not_a_whole_number", value=value)
    if kind.startswith("float_") and value is not None:
        return message("usage_not_a_number", value=value)
    return message("usage_parser_says", text=text)
