"""The project's own error types, and the messages they carry.

Every problem a user can cause (a bad cell, a bad YAML key, a rule that
contradicts another) is a :class:`Problem` that names where it is, what was
found and what is allowed. Loaders collect all problems of a file before
raising one :class:`InputError`, so a user fixes everything in one pass.
The CLI prints the problems and exits with code 2; nothing else is shown.

What a problem says is a :class:`Message`: a key of the catalogue
(:data:`engine.i18n.ERRORS`, both languages side by side) and the values it
names. It is put in words only when shown, in the language of the run
(:func:`messages_language`: Indonesian by default, English after
``--lang en``); the values from the data (file names, columns, found values,
golongan codes) are shown as they are. A maintainer adds a message in one
place, the catalogue, and raises it with ``message(key, found=...)``.
"""

from __future__ import annotations

import difflib
import errno
from collections.abc import Iterable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from engine.i18n import DEFAULT, ERRORS, LANGUAGES

__all__ = [
    "InputError",
    "Message",
    "Problem",
    "TalentaError",
    "did_you_mean",
    "message",
    "messages_language",
    "os_reason",
    "set_messages_language",
]

_LANGUAGE: ContextVar[str] = ContextVar("talenta_messages_language", default=DEFAULT)


def messages_language() -> str:
    """The language messages are shown in: Indonesian unless the command said ``--lang en``."""
    return _LANGUAGE.get()


def set_messages_language(lang: str) -> None:
    """Show every message from now on in ``lang`` (one of :data:`engine.i18n.LANGUAGES`)."""
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {lang!r}")
    _LANGUAGE.set(lang)


class TalentaError(Exception):
    """Base of every error talenta raises on purpose."""


@dataclass(frozen=True)
class Message:
    """A message of the catalogue and the values it names; put in words when shown.

    A value may itself be a :class:`Message` (a reason inside a message); it
    is shown in the same language.
    """

    key: str
    params: tuple[tuple[str, Any], ...] = ()

    def __post_init__(self) -> None:
        if self.key not in ERRORS[DEFAULT]:
            raise KeyError(f"no message '{self.key}' in engine.i18n.ERRORS")

    def render(self, lang: str | None = None) -> str:
        """The message in ``lang`` (the run's language when not given)."""
        lang = lang or messages_language()
        values = {k: _shown(v, lang) for k, v in self.params}
        return ERRORS[lang][self.key].format(**values)

    def __str__(self) -> str:
        return self.render()

    def __contains__(self, part: str) -> bool:
        return part in str(self)


def message(key: str, /, **params: Any) -> Message:
    """The message ``key`` of :data:`engine.i18n.ERRORS` naming ``params``."""
    return Message(key, tuple(params.items()))


def _shown(value: Any, lang: str) -> Any:
    return value.render(lang) if isinstance(value, Message) else value


Text = str | Message


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input, located as precisely as the format allows.

    Parameters
    ----------
    file:
        Path of the input as the user gave it (or a :class:`Message`: "command line").
    message:
        What was found: a :class:`Message` of the catalogue (a plain string
        is shown as it is, for a text that is itself the data's).
    line:
        1-based line in the file (YAML, CSV), when known.
    row:
        1-based data row (CSV and XLSX), when known.
    column:
        Column name (tables) or key path (YAML), when known.
    allowed:
        What would have been accepted: a :class:`Message`, or the data's own
        values (golongan codes, column names) as a string.
    hint:
        The likely fix (:func:`did_you_mean`).
    """

    file: Text
    message: Text
    line: int | None = None
    row: int | None = None
    column: str | None = None
    allowed: Text | None = None
    hint: Text | None = None

    def render(self, lang: str | None = None) -> str:
        """``file:line: row N, 'column': found; allowed: ... (hint)`` in ``lang``."""
        lang = lang or messages_language()
        words = ERRORS[lang]
        where = str(_shown(self.file, lang))
        if self.line is not None:
            where += f":{self.line}"
        parts = []
        if self.row is not None:
            parts.append(words["_row"].format(row=self.row))
        if self.column:
            parts.append(f"'{self.column}'")
        text = f"{where}: " + (", ".join(parts) + ": " if parts else "")
        text += str(_shown(self.message, lang))
        if self.allowed:
            text += "; " + words["_allowed"].format(allowed=_shown(self.allowed, lang))
        if self.hint:
            text += f" ({_shown(self.hint, lang)})"
        return text

    def __str__(self) -> str:
        return self.render()

    def sort_key(self) -> tuple[str, int, int, str]:
        return (str(self.file), self.line or 0, self.row or 0, self.column or "")


class InputError(TalentaError):
    """One or more problems with user input; the message lists all of them."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems: list[Problem] = sorted(problems, key=Problem.sort_key)
        super().__init__(self.problems)

    def render(self, limit: int = 200, lang: str | None = None) -> str:
        """Every problem, one a line (at most ``limit``), in ``lang`` (the run's by default)."""
        lang = lang or messages_language()
        words = ERRORS[lang]
        lines = [p.render(lang) for p in self.problems[:limit]]
        if len(self.problems) > limit:
            lines.append(words["_more_problems"].format(n=len(self.problems) - limit))
        n = len(self.problems)
        head = words["_problems_found_one" if n == 1 else "_problems_found"].format(n=n)
        return "\n".join([head, *lines])

    def __str__(self) -> str:
        return self.render()


def did_you_mean(found: str, allowed: Sequence[str]) -> Message | None:
    """Return "did you mean 'x'?" for the closest allowed value, if any is close."""
    match = difflib.get_close_matches(str(found), [str(a) for a in allowed], n=1, cutoff=0.6)
    if not match:
        lowered = {str(a).lower(): str(a) for a in allowed}
        if str(found).lower() in lowered:
            match = [lowered[str(found).lower()]]
    return message("did_you_mean", value=match[0]) if match else None


def allowed_list(values: Sequence[object], limit: int = 12) -> Text:
    """Allowed values for a message, eliding long lists (the count said in words)."""
    shown = ", ".join(str(v) for v in values[:limit])
    if len(values) > limit:
        return message("list_elided", values=shown, n=len(values))
    return shown


# errno -> the catalogue's words for the operating system's common refusals.
_OS_REASONS = {
    errno.ENOENT: "os_no_such_file",
    errno.EACCES: "os_permission",
    errno.EPERM: "os_permission",
    errno.EISDIR: "os_is_a_directory",
    errno.ENOTDIR: "os_not_a_directory",
    errno.ENOSPC: "os_no_space",
    errno.EROFS: "os_read_only",
    errno.EDQUOT: "os_quota",
    errno.ENAMETOOLONG: "os_name_too_long",
    errno.EMFILE: "os_too_many_files",
    errno.ENFILE: "os_too_many_files",
    errno.EIO: "os_io",
}


def os_reason(exc: BaseException) -> Message:
    """Why the operating system refused, in the run's language: a common refusal (by its
    errno) in the catalogue's words, any other in the system's own words, quoted."""
    key = _OS_REASONS.get(getattr(exc, "errno", None))  # type: ignore[arg-type]
    if key is not None:
        return message(key)
    return message("os_says", text=getattr(exc, "strerror", None) or str(exc))
