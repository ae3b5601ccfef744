"""Strict, safe YAML reading that remembers where every value stood.

YAML is composed into nodes (``yaml.compose`` with the safe loader), never
constructed into arbitrary objects: a ``!!python/object`` tag is reported as
a problem, not executed. Duplicate keys, which plain PyYAML silently merges,
are problems. Aliases are expanded under a budget so an alias bomb is an
error, not an out-of-memory. Every value's key path is mapped to its line so
that schema errors can say ``file:line``.
"""

from __future__ import annotations

import copy
import hashlib
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from engine.errors import InputError, Problem

__all__ = ["LineMap", "load_yaml", "read_text"]

MAX_NODES = 200_000
MAX_DEPTH = 64
MAX_BYTES = 20 * 1024 * 1024
# Unclosed brackets before a flow collection is refused unparsed (see load_yaml).
MAX_BRACKETS = 1000

_STANDARD_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}


def _bracket_depth(text: str) -> int:
    """Deepest nesting of ``[``/``{`` counted over the raw text (an upper bound of
    the flow nesting: brackets inside quotes count too, which only matters for
    text far beyond any real file)."""
    data = np.frombuffer(text.encode("utf-8", "surrogatepass"), dtype=np.uint8)
    step = np.zeros(256, dtype=np.int8)
    step[[ord("["), ord("{")]] = 1
    step[[ord("]"), ord("}")]] = -1
    moves = step[data]
    if not moves.any():
        return 0
    return int(np.cumsum(moves, dtype=np.int64).max())


class LineMap(dict[tuple[Any, ...], int]):
    """Key path (tuple of keys and indices) -> 1-based line of that value."""

    def line_of(self, path: tuple[Any, ...]) -> int | None:
        """Line of ``path`` or of its nearest ancestor that has one."""
        path = tuple(path)
        while path:
            if path in self:
                return self[path]
            path = path[:-1]
        return self.get((), None)


def read_text(path: Path, display: str | None = None, *, max_bytes: int = MAX_BYTES) -> str:
    """Read a UTF-8 text file (BOM allowed) or raise an :class:`InputError`.

    The size is checked before the bytes are read, so a huge file costs no
    memory. UTF-16 (Excel's "Unicode text") and a workbook saved under a
    text name are named as such, since "not UTF-8" would not tell the user
    which way to save it.
    """
    name = display or str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(
                [Problem(name, f"file is {size:,} bytes", allowed=f"at most {max_bytes:,} bytes")]
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError([Problem(name, "file not found")]) from None
    except IsADirectoryError:
        raise InputError([Problem(name, "is a folder, expected a file")]) from None
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise InputError([Problem(name, f"cannot be read: {reason}")]) from None
    if len(raw) > max_bytes:  # grew while being read
        raise InputError(
            [Problem(name, f"file is {len(raw):,} bytes", allowed=f"at most {max_bytes:,} bytes")]
        )
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise InputError(
            [
                Problem(
                    name,
                    "file is UTF-16 text",
                    allowed="UTF-8 text",
                    hint="save it as UTF-8 (in Excel: 'CSV UTF-8')",
                )
            ]
        )
    if raw[:4] == b"PK\x03\x04":
        raise InputError(
            [
                Problem(
                    name,
                    "file is a zip archive (an Excel workbook?), not text",
                    allowed="UTF-8 text",
                    hint="a workbook must be named .xlsx",
                )
            ]
        )
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise InputError([Problem(name, "file contains NUL bytes: not a text file", line=line)])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(
            [
                Problem(
                    name,
                    f"byte 0x{raw[exc.start]:02x} is not UTF-8",
                    line=line,
                    allowed="UTF-8 text",
                    hint="save the file as UTF-8",
                )
            ]
        ) from None


def load_yaml(path: Path, display: str | None = None) -> tuple[Any, LineMap]:
    """Load one YAML document as plain data plus a :class:`LineMap`.

    Raises
    ------
    InputError
        For unreadable bytes, YAML syntax errors, tabs used as indentation,
        unknown tags, duplicate keys, non-string keys, alias bombs and
        excessive nesting; all problems found are reported together.
    """
    name = display or str(path)
    text = read_text(path, name)
    key = hashlib.sha256(text.encode("utf-8")).digest()
    parsed = _PARSED.get(key)
    if parsed is None:
        parsed = _parse(text, name)
        if len(text) <= _CACHE_TEXT:
            _PARSED[key] = parsed
            while len(_PARSED) > _CACHE_FILES:
                del _PARSED[next(iter(_PARSED))]
    value, lines = parsed
    return copy.deepcopy(value), LineMap(lines)


# Parsed documents by content: the same rule and settings files are read many
# times in one process (what-ifs, horizons, compare, tests) and PyYAML's pure-
# Python parser is the slowest step of loading them. Keyed by the text, so an
# edited file is parsed again; only documents that parsed without a problem
# are kept, and callers get their own copy.
_PARSED: dict[bytes, tuple[Any, LineMap]] = {}
_CACHE_FILES = 64
_CACHE_TEXT = 1024 * 1024


def _parse(text: str, name: str) -> tuple[Any, LineMap]:
    if _bracket_depth(text) > MAX_BRACKETS:
        # PyYAML's scanner is quadratic in flow nesting ("[[[[..."): refuse
        # before parsing, not after seconds of it.
        raise InputError([Problem(name, "YAML nested too deeply", allowed=f"depth {MAX_DEPTH}")])
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        message = exc.problem or str(exc)
        hint = None
        around = text.splitlines()[max(0, line - 2) : line] if line else []
        if any("\t" in t for t in around):
            hint = "indent with spaces, not tabs"
        raise InputError(
            [Problem(name, f"YAML syntax error: {message}", line=line, hint=hint)]
        ) from None
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise InputError(
            [
                Problem(
                    name,
                    f"character U+{code:04X} is not allowed in YAML",
                    line=line,
                    allowed="printable text",
                    hint="remove control characters; binary data does not belong in a YAML file",
                )
            ]
        ) from None
    except yaml.YAMLError as exc:
        raise InputError([Problem(name, f"YAML error: {exc}")]) from None
    except RecursionError:
        raise InputError(
            [Problem(name, "YAML nested too deeply", allowed=f"depth {MAX_DEPTH}")]
        ) from None
    if node is None:
        return None, LineMap({(): 1})
    builder = _Builder(name)
    value = builder.build(node, (), 0)
    if builder.problems:
        raise InputError(builder.problems)
    return value, builder.lines


class _Builder:
    def __init__(self, name: str):
        self.name = name
        self.lines = LineMap()
        self.problems: list[Problem] = []
        self.count = 0
        self.exhausted = False

    def build(self, node: yaml.Node, path: tuple[Any, ...], depth: int) -> Any:
        line = node.start_mark.line + 1
        self.lines.setdefault(path, line)
        self.count += 1
        if self.count > MAX_NODES:
            if not self.exhausted:
                self.exhausted = True
                self.problems.append(
                    Problem(
                        self.name,
                        "YAML expands to too many values (alias bomb or very large file)",
                        line=line,
                        allowed=f"at most {MAX_NODES:,} values",
                    )
                )
            return None
        if depth > MAX_DEPTH:
            self.problems.append(
                Problem(
                    self.name, "YAML nested too deeply", line=line, allowed=f"depth {MAX_DEPTH}"
                )
            )
            return None
        if node.tag not in _STANDARD_TAGS:
            self.problems.append(
                Problem(
                    self.name,
                    f"YAML tag '{node.tag}' is not allowed",
                    line=line,
                    allowed="plain values, lists and mappings",
                )
            )
            return None
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    self.problems.append(
                        Problem(
                            self.name,
                            "YAML merge keys ('<<') are not allowed",
                            line=key_node.start_mark.line + 1,
                        )
                    )
                    continue
                if not isinstance(key_node, yaml.ScalarNode):
                    self.problems.append(
                        Problem(
                            self.name, "a key must be plain text", line=key_node.start_mark.line + 1
                        )
                    )
                    continue
                key = key_node.value
                key_line = key_node.start_mark.line + 1
                if key_node.tag not in _STANDARD_TAGS:
                    self.problems.append(
                        Problem(
                            self.name,
                            f"YAML tag '{key_node.tag}' is not allowed",
                            line=key_line,
                            allowed="plain values, lists and mappings",
                        )
                    )
                    continue
                if key in out:
                    first = self.lines.get((*path, key))
                    self.problems.append(
                        Problem(
                            self.name,
                            f"duplicate key '{key}'"
                            + (f" (first at line {first})" if first else ""),
                            line=key_line,
                            column=_dotted((*path, key)),
                        )
                    )
                    continue
                self.lines[(*path, key)] = key_line
                out[key] = self.build(value_node, (*path, key), depth + 1)
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        return _scalar(node)


# One constructor for every scalar: its per-tag methods keep no state for
# scalars, and making a SafeLoader per value cost more than the parsing (an
# alias bomb expanded to the node limit took seconds).
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_COLLECTION_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}


def _scalar(node: yaml.ScalarNode) -> Any:
    """Resolve a scalar with the safe loader's implicit types (int, float, bool, date)."""
    if node.tag in _COLLECTION_TAGS:  # "!!map 'x'": a scalar that claims to be a mapping
        return node.value
    construct = _CONSTRUCTOR.yaml_constructors.get(node.tag)
    if construct is None:
        return node.value
    try:
        return construct(_CONSTRUCTOR, node)
    except (yaml.YAMLError, ValueError, OverflowError, TypeError):
        return node.value


def _dotted(path: tuple[Any, ...]) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out
