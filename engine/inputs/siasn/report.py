"""The import report: what was written, what was lost, what was guessed.

Takes the entries the import logs while it maps (:class:`Log`) and gives
``import-report.md`` (for the officer) and ``import-report.json`` (for a
program) as text. Personal data in the report (NIPs and names of people
left out) goes through the same :class:`Masker` as the messages.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import os
import secrets
from collections.abc import Collection
from dataclasses import asdict, dataclass, field

from engine.errors import messages_language
from engine.i18n import CONSOLE
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
        return "Pegawai " + self.nip(nip)[4:10]


@dataclass
class Entry:
    """One kind of loss or guess, counted, with a few examples of records."""

    table: str
    column: str
    why: str
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
    left_out: list[dict[str, str]] = field(default_factory=list)
    unmatched_jurusan: list[dict[str, object]] = field(default_factory=list)
    empty_answers: list[dict[str, str]] = field(default_factory=list)
    readiness: list[str] = field(default_factory=list)
    settings: dict[str, object] = field(default_factory=dict)

    def add(
        self,
        kind: str,
        table: str,
        column: str,
        why: str,
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

    def as_dict(self) -> dict[str, object]:
        return {
            "settings": self.settings,
            "sources": self.sources,
            "written": self.written,
            "rows_not_mapped": [asdict(e) for e in self.rows_not_mapped],
            "fields_not_mapped": [asdict(e) for e in self.fields_not_mapped],
            "guessed": [asdict(e) for e in self.guessed],
            "left_out": self.left_out,
            "unmatched_jurusan": self.unmatched_jurusan,
            "empty_answers": self.empty_answers,
            "ready_for_a_round": not self.readiness,
            "readiness": self.readiness,
        }


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


def render_json(log: Log) -> str:
    return json.dumps(log.as_dict(), ensure_ascii=False, indent=2, default=str) + "\n"


def _entries(title: str, entries: list[Entry], none: str) -> list[str]:
    out = [f"## {title}", ""]
    if not entries:
        return [*out, none, ""]
    out += ["| table | column | why | records | examples |", "|---|---|---|---:|---|"]
    for e in entries:
        shown = [x for x in e.examples if x]
        examples = ", ".join(shown) + (" …" if shown and e.count > len(shown) else "")
        out.append(f"| {e.table} | {e.column} | {e.why} | {e.count} | {examples} |")
    return [*out, ""]


def render_markdown(log: Log) -> str:
    """The report an officer reads after an import (English headings, plain tables)."""
    out = ["# SIASN import report", ""]
    ready = "yes" if not log.readiness else "no: see 'Before a round' below"
    out += [f"Ready for a round (talenta's own checks pass): **{ready}**", ""]
    for key, value in log.settings.items():
        out.append(f"- {key}: {value}")
    out += ["", "## Files read", "", "| file | kind | records |", "|---|---|---:|"]
    out += [f"| {s['file']} | {s['kind']} | {s['records']} |" for s in log.sources]
    out += ["", "## Rows written", "", "| table | rows |", "|---|---:|"]
    out += [f"| {t} | {n} |" for t, n in log.written.items()]
    out.append("")
    out += _entries("Rows not mapped", log.rows_not_mapped, "None.")
    out += _entries("Fields not mapped", log.fields_not_mapped, "None.")
    out += _entries("Values guessed (and the rule used)", log.guessed, "None.")
    out += ["## People left out", ""]
    if log.left_out:
        out += ["| NIP | nama | why |", "|---|---|---|"]
        out += [f"| {p['nip']} | {p['nama']} | {p['why']} |" for p in log.left_out]
    else:
        out.append("None.")
    out += ["", "## Fields of study not matched to the taxonomy", ""]
    if log.unmatched_jurusan:
        out += [
            "Written as SIASN has them; add each to `jurusan.yaml` of the mapping folder "
            "(or the taxonomy) once reviewed.",
            "",
            "| SIASN text | people |",
            "|---|---:|",
        ]
        out += [f"| {u['text']} | {u['people']} |" for u in log.unmatched_jurusan]
    else:
        out.append("None: every field of study matched.")
    out += ["", "## Error answers of SIASN read as 'no records'", ""]
    if log.empty_answers:
        out += ["| file | record | message |", "|---|---|---|"]
        out += [f"| {a['file']} | {a['record']} | {a['message']} |" for a in log.empty_answers]
    else:
        out.append("None.")
    out += ["", "## Before a round", ""]
    if log.readiness:
        out.append("talenta's loader reports these problems on the written tables:")
        out.append("")
        out += [f"- {line}" for line in log.readiness]
    else:
        out.append("The written tables pass talenta's loader and the taxonomy.")
    return "\n".join(out) + "\n"
