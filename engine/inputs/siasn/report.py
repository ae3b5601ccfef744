"""The import report: what was written, what was lost, what was guessed.

Takes the entries the import logs while it maps (:class:`Log`) and gives
``import-report.md`` (for the officer) and ``import-report.json`` (for a
program) as text, in the run's language. Each note is a :class:`Message` of
the catalogue (:data:`engine.i18n.ERRORS`), put in words when the report is
rendered; the JSON keeps the note's key (``why_key``) beside its words, and
the settings under stable keys. Personal data in the report (NIPs and names
of people left out) goes through the same :class:`Masker` as the messages.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import os
import secrets
from collections.abc import Collection, Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from engine.errors import Message, messages_language
from engine.i18n import CONSOLE, IMPORT_REPORT
from engine.plan.privacy import KEY_ENV

__all__ = ["Log", "Masker", "render_json", "render_markdown", "summary"]

EXAMPLES = 5


class Masker:
    """Masks NIPs and names in messages and the report when asked.

    The pseudonym is keyed (HMAC-SHA256) like the plan's: with
    ``TALENTA_PSEUDONYM_KEY`` it is stable across runs, else a key drawn for
    this run keeps it stable within the run only.
    """

    def __init__(self, on: bool):
        self.on = on
        env = os.environ.get(KEY_ENV)
        self._key = env.encode("utf-8") if env else secrets.token_bytes(32)

    def nip(self, nip: object) -> str:
        text = "" if nip is None else str(nip)
        if not self.on or not text:
            return text
        return "PSN-" + hmac.new(self._key, text.encode(), hashlib.sha256).hexdigest()[:10].upper()

    def name(self, name: object, nip: object) -> str:
        if not self.on:
            return "" if name is None else str(name)
        # A pseudonym is a name, the same in both languages, as the plan's (engine.plan.privacy).
        return "Pegawai " + self.nip(nip)[4:10]


@dataclass
class Entry:
    """One kind of loss or guess, counted, with a few examples of records."""

    table: str
    column: str
    why: Message
    count: int = 0
    examples: list[str] = field(default_factory=list)


@dataclass
class Log:
    """Everything the import has to tell, gathered while it maps."""

    sources: list[dict[str, object]] = field(default_factory=list)
    written: dict[str, int] = field(default_factory=dict)
    rows_not_mapped: list[Entry] = field(default_factory=list)
    fields_not_mapped: list[Entry] = field(default_factory=list)
    guessed: list[Entry] = field(default_factory=list)
    left_out: list[dict[str, object]] = field(default_factory=list)  # nip, nama, why (Message)
    unmatched_jurusan: list[dict[str, object]] = field(default_factory=list)
    empty_answers: list[dict[str, str]] = field(default_factory=list)
    readiness: list[str] = field(default_factory=list)
    settings: dict[str, object] = field(default_factory=dict)

    def add(
        self,
        kind: str,
        table: str,
        column: str,
        why: Message,
        records: Collection[object] = (),
        count: int | None = None,
    ) -> None:
        """Count ``records`` (or ``count``) under (table, column, why) in the list ``kind``.

        Only the first few records are kept as examples; ``records`` may be a
        lazy collection that makes labels only for those.
        """
        bucket: list[Entry] = getattr(self, kind)
        for entry in bucket:
            if (entry.table, entry.column, entry.why) == (table, column, why):
                break
        else:
            entry = Entry(table, column, why)
            bucket.append(entry)
        entry.count += len(records) if count is None else count
        room = EXAMPLES - len(entry.examples)
        if room > 0:
            entry.examples.extend(str(r) for r in itertools.islice(records, room))

    def as_dict(self, lang: str | None = None) -> dict[str, object]:
        """The report as data: every note in ``lang`` (the run's), its key beside it."""
        lang = lang or messages_language()
        return {
            "settings": self.settings,
            "sources": self.sources,
            "written": self.written,
            "rows_not_mapped": [_entry(e, lang) for e in self.rows_not_mapped],
            "fields_not_mapped": [_entry(e, lang) for e in self.fields_not_mapped],
            "guessed": [_entry(e, lang) for e in self.guessed],
            "left_out": [_said(p, lang) for p in self.left_out],
            "unmatched_jurusan": self.unmatched_jurusan,
            "empty_answers": self.empty_answers,
            "ready_for_a_round": not self.readiness,
            "readiness": self.readiness,
        }


def _entry(entry: Entry, lang: str) -> dict[str, object]:
    return _said(asdict(entry) | {"why": entry.why}, lang)


def _said(row: dict[str, object], lang: str) -> dict[str, object]:
    """``row`` with its ``why`` in words and the key of its message as ``why_key``."""
    why = row["why"]
    if not isinstance(why, Message):
        return {**row, "why_key": None}
    return {**row, "why": why.render(lang), "why_key": why.key}


def summary(log: Log, lang: str | None = None) -> list[str]:
    """A few lines for the terminal after an import, in ``lang`` (the run's language)."""
    c = CONSOLE[lang or messages_language()]
    lines = [c["siasn_rows"].format(table=table, n=rows) for table, rows in log.written.items()]
    lines.append(c["siasn_left_out"].format(n=len(log.left_out)))
    lines.append(c["siasn_guessed"].format(n=sum(e.count for e in log.guessed)))
    lines.append(c["siasn_unmatched"].format(n=len(log.unmatched_jurusan)))
    if log.readiness:
        lines.append(c["siasn_not_ready"].format(n=len(log.readiness)))
    else:
        lines.append(c["siasn_ready"])
    return lines


def render_json(log: Log, lang: str | None = None) -> str:
    return json.dumps(log.as_dict(lang), ensure_ascii=False, indent=2, default=str) + "\n"


def _row(cells: Iterable[object]) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def _entries(title: str, entries: list[dict[str, object]], words: dict[str, object]) -> list[str]:
    out = [f"## {title}", ""]
    if not entries:
        return [*out, str(words["none"]), ""]
    out += [_row(words["entries_head"]), "|---|---|---|---:|---|"]
    for e in entries:
        shown = [x for x in e["examples"] if x]  # type: ignore[attr-defined]
        more = " …" if shown and e["count"] > len(shown) else ""  # type: ignore[operator]
        out.append(_row((e["table"], e["column"], e["why"], e["count"], ", ".join(shown) + more)))
    return [*out, ""]


def _settings(settings: dict[str, object], words: dict[str, Any]) -> list[str]:
    return [
        f"- {words['setting'].get(key, key)}: {words['setting_value'].get(value, value)}"
        for key, value in settings.items()
    ]


def render_markdown(log: Log, lang: str | None = None) -> str:
    """The report an officer reads after an import, in ``lang`` (the run's language)."""
    lang = lang or messages_language()
    w = IMPORT_REPORT[lang]
    data = log.as_dict(lang)
    ready = w["ready_yes"] if not log.readiness else w["ready_no"]
    out = [f"# {w['title']}", "", w["ready"].format(answer=ready), ""]
    out += _settings(log.settings, w)
    out += ["", f"## {w['files_read']}", "", _row(w["files_head"]), "|---|---|---:|"]
    out += [_row((s["file"], s["kind"], s["records"])) for s in log.sources]
    out += ["", f"## {w['rows_written']}", "", _row(w["rows_head"]), "|---|---:|"]
    out += [_row((t, n)) for t, n in log.written.items()]
    out.append("")
    for kind in ("rows_not_mapped", "fields_not_mapped", "guessed"):
        out += _entries(w[kind], data[kind], w)  # type: ignore[arg-type]
    out += [f"## {w['left_out']}", ""]
    if log.left_out:
        out += [_row(w["left_out_head"]), "|---|---|---|"]
        out += [_row((p["nip"], p["nama"], p["why"])) for p in data["left_out"]]  # type: ignore[attr-defined]
    else:
        out.append(w["none"])
    out += ["", f"## {w['unmatched']}", ""]
    if log.unmatched_jurusan:
        out += [w["unmatched_note"], "", _row(w["unmatched_head"]), "|---|---:|"]
        out += [_row((u["text"], u["people"])) for u in log.unmatched_jurusan]
    else:
        out.append(w["all_matched"])
    out += ["", f"## {w['empty_answers']}", ""]
    if log.empty_answers:
        out += [_row(w["empty_head"]), "|---|---|---|"]
        out += [_row((a["file"], a["record"], a["message"])) for a in log.empty_answers]
    else:
        out.append(w["none"])
    out += ["", f"## {w['before']}", ""]
    if log.readiness:
        out += [w["not_ready_note"], "", *(f"- {line}" for line in log.readiness)]
    else:
        out.append(w["ready_note"])
    return "\n".join(out) + "\n"
