"""Read SIASN downloads into raw text frames, one per endpoint.

Takes paths (files or folders) of any mix of the Export Data ASN spreadsheet
(.xlsx, .csv) and saved API responses (.json): one response per file, or one
file holding many (an object keyed by NIP, or a list of responses). The
endpoint of a JSON file is told by its name (``rw-skp22-<nip>.json``,
``data_utama.json``, ...). Gives a :class:`Raw`: per source kind a frame of
text cells whose column names are the SIASN keys in lower case (so keys match
whatever their case), plus ``_file``, ``_record`` (how a message names the
record), ``_line`` and ``_key_nip`` (the NIP a file name or key gave).

Cells are cleaned (:func:`clean`) when a field is picked: a leading apostrophe (Excel's text
marker) is dropped, and ``""``, ``null`` and ``None`` are missing. Problems
(a file that is no JSON, an error response for a person's data) are
collected, never raised one by one.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from engine.errors import InputError, Problem, message
from engine.inputs.data import MAX_TABLE_BYTES, read_table
from engine.inputs.yamlio import read_text

__all__ = ["ENDPOINTS", "EXPORT", "Raw", "clean", "read_sources"]

# Endpoints whose saved responses are read; longest names first, so that a
# file named rw-skp22 is not taken for rw-skp.
ENDPOINTS: tuple[str, ...] = (
    "rw-kinerjaperiodik",
    "rw-pendidikan",
    "rw-golongan",
    "data-utama",
    "rw-jabatan",
    "rw-hukdis",
    "rw-diklat",
    "rw-kursus",
    "rw-skp22",
    "ref-unor",
    "rw-skp",
)
EXPORT = "export"
HISTORIES = frozenset(e for e in ENDPOINTS if e.startswith("rw-"))
_NIP = re.compile(r"(?<!\d)(\d{18})(?!\d)")
_NULLS = frozenset({"", "null", "none", "nan", "undefined"})
META = ("_file", "_record", "_line", "_key_nip")


@dataclass
class Raw:
    """What the files held, before any mapping."""

    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    files: list[dict[str, Any]] = field(default_factory=list)  # file, kind, records
    empty_answers: list[dict[str, str]] = field(default_factory=list)  # error answers of histories


def _cell(value: object) -> str | None:
    if value is None:
        return None
    if type(value) is not str:
        if isinstance(value, float) and value != value:  # NaN of a missing cell
            return None
        value = str(value)
    text = value.strip()
    if text[:1] == "'":
        text = text[1:].strip()
    if not text or (len(text) <= 9 and text.lower() in _NULLS):
        return None
    return text


def clean(column: pd.Series) -> pd.Series:
    """Cells as stripped text or None: apostrophe prefix dropped, null texts missing.

    One pass of plain Python over the cells: measured on a province's files,
    three times faster than a chain of pandas string methods, each of which
    is a Python pass over object cells too.
    """
    return pd.Series(
        [_cell(v) for v in column.to_numpy(dtype=object)], index=column.index, dtype=object
    )


def _endpoint(path: Path) -> str | None:
    name = path.name.lower().replace("_", "-")
    for endpoint in ENDPOINTS:
        if endpoint in name or endpoint.replace("-", "") in name.replace("-", ""):
            return endpoint
    return None


def _expand(paths: list[Path], problems: list[Problem]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file()
                    and p.suffix.lower() in {".json", ".csv", ".xlsx"}
                    and not any(part.startswith(".") for part in p.relative_to(path).parts)
                )
            )
        elif path.is_file():
            files.append(path)
        else:
            problems.append(
                Problem(
                    str(path), message("siasn_not_found"), allowed=message("siasn_file_or_folder")
                )
            )
    return files


def read_sources(paths: list[Path]) -> Raw:
    """Read every source; frames per kind (``export`` or an endpoint name)."""
    raw = Raw()
    parts: dict[str, list[pd.DataFrame]] = {}
    for path in _expand(paths, raw.problems):
        suffix = path.suffix.lower()
        if suffix in {".csv", ".xlsx", ".xlsm", ".txt"}:
            kind, frame = EXPORT, _read_export(path, raw.problems)
        elif suffix == ".json":
            kind = _endpoint(path) or ""
            if not kind:
                raw.problems.append(
                    Problem(
                        str(path),
                        message("siasn_no_endpoint"),
                        allowed=", ".join(sorted(ENDPOINTS)),
                        hint=message("siasn_name_after_endpoint", example="rw-skp22-<NIP>.json"),
                    )
                )
                continue
            frame = _read_json(path, kind, raw)
        else:
            raw.problems.append(
                Problem(
                    str(path),
                    message("siasn_unknown_file_type", suffix=suffix),
                    allowed=".json, .csv, .xlsx",
                )
            )
            continue
        if frame is None:
            continue
        raw.files.append({"file": str(path), "kind": kind, "records": len(frame)})
        parts.setdefault(kind, []).append(frame)
    for kind, frames in parts.items():
        raw.frames[kind] = _merge_case(pd.concat(frames, ignore_index=True, sort=False))
    if not raw.files and not raw.problems:
        raw.problems.append(
            Problem(
                message("command_line"),
                message("siasn_no_file"),
                allowed=message("siasn_file_types", types=".json, .csv, .xlsx"),
            )
        )
    return raw


def _merge_case(frame: pd.DataFrame) -> pd.DataFrame:
    """One column per key, whatever its case: 'NipBaru' and 'nipBaru' become 'nipbaru'.

    Cells are not cleaned here (see :func:`clean`): only the fields the
    mapping uses are, when they are picked.
    """
    groups: dict[str, list[str]] = {}
    for col in frame.columns:
        key = col if col in META else str(col).strip().lower()
        groups.setdefault(key, []).append(col)
    out = {}
    for key, cols in groups.items():
        merged = frame[cols[0]]
        for col in cols[1:]:
            merged = merged.where(merged.notna(), frame[col])
        out[key] = merged
    return pd.DataFrame(out, index=frame.index)


def _read_export(path: Path, problems: list[Problem]) -> pd.DataFrame | None:
    try:
        frame, _ = read_table(path)
    except InputError as exc:
        problems.extend(exc.problems)
        return None
    seen: set[str] = set()
    for column in frame.columns:
        if column in seen:
            problems.append(
                Problem(
                    str(path),
                    message("siasn_column_twice_header", column=column),
                    line=frame.attrs.get("header_line"),
                    allowed=message("siasn_each_column_once"),
                )
            )
            return None
        seen.add(column)
    lines = list(frame.attrs.get("source_lines", range(2, len(frame) + 2)))
    word = "siasn_row" if path.suffix.lower() != ".csv" else "siasn_line"
    frame = frame.copy()
    frame.attrs = {}
    frame["_file"] = str(path)
    frame["_line"] = lines
    frame["_record"] = [message(word, n=n) for n in lines]
    frame["_key_nip"] = None
    return frame


def _read_json(path: Path, kind: str, raw: Raw) -> pd.DataFrame | None:
    name = str(path)
    try:
        text = read_text(path, name, max_bytes=MAX_TABLE_BYTES)
    except InputError as exc:
        raw.problems.extend(exc.problems)
        return None
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        line = getattr(exc, "lineno", None)
        what = getattr(exc, "msg", None) or message("siasn_nested_too_deeply")
        raw.problems.append(
            Problem(
                name,
                message("siasn_not_json", what=what),
                line=line,
                allowed=message("siasn_saved_response"),
            )
        )
        return None
    file_nip = m.group(1) if (m := _NIP.search(path.name)) else None
    records: list[dict[str, Any]] = []
    labels: list[str] = []
    nips: list[str | None] = []
    for label, key_nip, answer in _answers(data, name, raw.problems):
        for k, record in enumerate(_records(answer, name, label, key_nip, kind, raw)):
            records.append(record)
            labels.append(f"{label}data[{k}]")
            nips.append(key_nip or file_nip)
    frame = pd.DataFrame.from_records(records) if records else pd.DataFrame()
    frame = frame.astype(object)
    frame["_file"] = name
    frame["_record"] = labels
    frame["_line"] = None
    frame["_key_nip"] = nips
    return frame


def _lower(obj: dict[str, Any]) -> dict[str, Any]:
    return {str(k).strip().lower(): v for k, v in obj.items()}


def _is_answer(obj: Any) -> bool:
    return isinstance(obj, dict) and bool({"data", "error", "success", "code"} & set(_lower(obj)))


def _answers(data: Any, name: str, problems: list[Problem]) -> list[tuple[str, str | None, Any]]:
    """(label, NIP of the key, response) for each response the file holds."""
    if _is_answer(data):
        return [("", None, data)]
    if isinstance(data, dict) and all(_NIP.fullmatch(str(k).strip()) for k in data):
        # an object of responses keyed by NIP (empty: a file of nobody's responses)
        return [(f"{k}.", str(k).strip(), v) for k, v in data.items()]
    if isinstance(data, list):
        if data and all(_is_answer(item) for item in data):
            return [(f"[{k}].", None, item) for k, item in enumerate(data)]
        return [("", None, {"data": data})]
    problems.append(
        Problem(
            name,
            message("siasn_json_not_response", kind=type(data).__name__),
            allowed=message("siasn_response_shapes", shape="{code, success, data, ...}"),
        )
    )
    return []


def _records(
    answer: Any, name: str, label: str, key_nip: str | None, kind: str, raw: Raw
) -> list[dict[str, Any]]:
    """The records of one response; an error response is a problem or, for a
    history, no records (SIASN answers so for a person without any)."""
    who = f"NIP {key_nip}" if key_nip else (label.rstrip(".") or message("siasn_the_response"))
    if not isinstance(answer, dict):
        raw.problems.append(
            Problem(name, message("siasn_answer_not_response", who=who, kind=type(answer).__name__))
        )
        return []
    low = _lower(answer)
    data = low.get("data")
    failed = (
        bool(low.get("error")) or low.get("success") in (False, "false") or isinstance(data, str)
    )
    if failed:
        text = str(low.get("message") or low.get("error") or data or message("siasn_no_message"))[
            :200
        ]
        if kind in HISTORIES:
            raw.empty_answers.append({"file": name, "record": str(who), "message": text})
            return []
        raw.problems.append(
            Problem(name, message("siasn_answered_error", who=who, error=text), column="data")
        )
        return []
    if data is None:
        return []
    items = data if isinstance(data, list) else [data]
    out = []
    for k, item in enumerate(items):
        if isinstance(item, dict):
            out.append(item)
        else:
            raw.problems.append(
                Problem(
                    name,
                    message("siasn_item_not_record", who=who, k=k, kind=type(item).__name__),
                    column="data",
                    allowed=message("siasn_object_of_fields"),
                )
            )
    return out
