"""The project's own error types.

Every problem a user can cause (a bad cell, a bad YAML key, a rule that
contradicts another) is a :class:`Problem` that names where it is, what was
found and what is allowed. Loaders collect all problems of a file before
raising one :class:`InputError`, so a user fixes everything in one pass.
The CLI prints the problems and exits with code 2; nothing else is shown.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "InputError",
    "Problem",
    "TalentaError",
    "did_you_mean",
]


class TalentaError(Exception):
    """Base of every error talenta raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input, located as precisely as the format allows.

    Parameters
    ----------
    file:
        Path of the input as the user gave it.
    message:
        What was found, in plain words.
    line:
        1-based line in the file (YAML, CSV), when known.
    row:
        1-based data row (CSV and XLSX), when known.
    column:
        Column name (tables) or key path (YAML), when known.
    allowed:
        What would have been accepted.
    hint:
        The likely fix ("did you mean 'golongan'?").
    """

    file: str
    message: str
    line: int | None = None
    row: int | None = None
    column: str | None = None
    allowed: str | None = None
    hint: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
        parts = []
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"'{self.column}'")
        text = f"{where}: " + (", ".join(parts) + ": " if parts else "") + self.message
        if self.allowed:
            text += f"; allowed: {self.allowed}"
        if self.hint:
            text += f" ({self.hint})"
        return text

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.file, self.line or 0, self.row or 0, self.column or "")


class InputError(TalentaError):
    """One or more problems with user input; the message lists all of them."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems: list[Problem] = sorted(problems, key=Problem.sort_key)
        super().__init__(self.render())

    def render(self, limit: int = 200) -> str:
        lines = [str(p) for p in self.problems[:limit]]
        if len(self.problems) > limit:
            lines.append(f"... and {len(self.problems) - limit} more problems")
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} found:"
        return "\n".join([head, *lines])


def did_you_mean(found: str, allowed: Sequence[str]) -> str | None:
    """Return ``"did you mean 'x'?"`` for the closest allowed value, if any is close."""
    match = difflib.get_close_matches(str(found), [str(a) for a in allowed], n=1, cutoff=0.6)
    if not match:
        lowered = {str(a).lower(): str(a) for a in allowed}
        if str(found).lower() in lowered:
            match = [lowered[str(found).lower()]]
    return f"did you mean '{match[0]}'?" if match else None


def allowed_list(values: Sequence[object], limit: int = 12) -> str:
    """Render allowed values for a message, eliding long lists."""
    shown = [str(v) for v in values[:limit]]
    if len(values) > limit:
        shown.append(f"… ({len(values)} in all)")
    return ", ".join(shown)
