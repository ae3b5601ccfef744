"""Strict, safe YAML reading that remembers where every value stood.

YAML is composed into nodes (``yaml.compose`` with the safe loader: libyaml's
when PyYAML has it, the pure-Python one for a document libyaml refuses), never
constructed into arbitrary objects: a ``!!python/object`` tag is reported as
a problem, not executed. Duplicate keys, which plain PyYAML silently merges,
are problems. Aliases are expanded under a budget so an alias bomb is an
error, not an out-of-memory. Every value's key path is mapped to its line so
that schema errors can say ``file:line``.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import math
import os
import re
import stat
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from engine.errors import InputError, Message, Problem, message, os_reason

__all__ = [
    "CONTROL_CHARACTERS",
    "LineMap",
    "control_problem",
    "load_yaml",
    "read_bytes",
    "read_text",
    "regular_file",
]

MAX_NODES = 200_000
MAX_DEPTH = 64
MAX_BYTES = 20 * 1024 * 1024
# Unclosed brackets before a flow collection is refused unparsed (see load_yaml).
MAX_BRACKETS = 1000

# Control characters have no place in a name, a title or a cell: ESC starts
# terminal sequences (clearing the screen, OSC 8 links), and openpyxl refuses
# them in a workbook. Tab, line feed and carriage return are text. C1 controls
# and the bidirectional overrides (text shown in another order than it is
# read, "Trojan Source") are refused too.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def control_problem(name: str, value: str, **where: Any) -> Problem | None:
    """A problem naming the first control character of ``value``, or None."""
    found = CONTROL_CHARACTERS.search(value)
    if found is None:
        return None
    return Problem(
        name,
        message("control_character", code=f"{ord(found.group()):04X}"),
        allowed=message("printable_with_breaks"),
        hint=message("remove_control"),
        **where,
    )


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


def regular_file(path: Path, display: str | None = None, *, max_bytes: int = MAX_BYTES) -> int:
    """Check that ``path`` is a regular file of at most ``max_bytes``; return its size.

    Checked with ``stat`` before the file is opened: a FIFO in place of a
    table or a rule file would block the read forever (or feed it without
    end), a device would be read without end.
    """
    name = display or str(path)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise InputError([Problem(name, message("file_not_found"))]) from None
    except (OSError, ValueError) as exc:
        reason = os_reason(exc)
        raise InputError([Problem(name, message("cannot_be_read", reason=reason))]) from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError([Problem(name, message("is_a_folder"))])
    if not stat.S_ISREG(st.st_mode):
        raise InputError(
            [
                Problem(
                    name,
                    message("not_regular_file_kind", kind=_file_kind(st.st_mode)),
                    allowed=message("a_regular_file"),
                    hint=message("copy_into_file"),
                )
            ]
        )
    if st.st_size > max_bytes:
        raise InputError(
            [
                Problem(
                    name,
                    message("file_size", n=st.st_size),
                    allowed=message("at_most_bytes", n=max_bytes),
                )
            ]
        )
    return st.st_size


def _file_kind(mode: int) -> Message:
    if stat.S_ISFIFO(mode):
        return message("kind_fifo")
    if stat.S_ISSOCK(mode):
        return message("kind_socket")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return message("kind_device")
    return message("kind_special")


def read_bytes(path: Path, display: str | None = None, *, max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file of at most ``max_bytes``, or an :class:`InputError`.

    The file is opened without blocking and checked again once open, so a
    path swapped for a FIFO after the first check cannot block the read.
    """
    name = display or str(path)
    regular_file(path, name, max_bytes=max_bytes)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise InputError(
                    [Problem(name, message("not_regular_file"), allowed=message("a_regular_file"))]
                )
            raw = handle.read(max_bytes + 1)
    except (OSError, ValueError) as exc:
        reason = os_reason(exc)
        raise InputError([Problem(name, message("cannot_be_read", reason=reason))]) from None
    if len(raw) > max_bytes:  # grew while being read
        raise InputError(
            [
                Problem(
                    name,
                    message("file_over", n=max_bytes),
                    allowed=message("at_most_bytes", n=max_bytes),
                )
            ]
        )
    return raw


def read_text(path: Path, display: str | None = None, *, max_bytes: int = MAX_BYTES) -> str:
    """Read a UTF-8 text file (BOM allowed) or raise an :class:`InputError`.

    The file must be a regular file; its size is checked before the bytes
    are read, so a huge file costs no memory. UTF-16 (Excel's "Unicode
    text") and a workbook saved under a text name are named as such, since
    "not UTF-8" would not tell the user which way to save it.
    """
    name = display or str(path)
    raw = read_bytes(path, name, max_bytes=max_bytes)
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise InputError(
            [
                Problem(
                    name,
                    message("utf16"),
                    allowed=message("utf8_text"),
                    hint=message("save_as_utf8_excel"),
                )
            ]
        )
    if raw[:4] == b"PK\x03\x04":
        raise InputError(
            [
                Problem(
                    name,
                    message("zip_not_text"),
                    allowed=message("utf8_text"),
                    hint=message("workbook_xlsx_name"),
                )
            ]
        )
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise InputError([Problem(name, message("nul_bytes"), line=line)])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(
            [
                Problem(
                    name,
                    message("not_utf8", byte=f"{raw[exc.start]:02x}"),
                    line=line,
                    allowed=message("utf8_text"),
                    hint=message("save_file_utf8"),
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
        raise InputError([_too_deep(name)])
    fast = _fast_parse(text, name)
    if fast is not None:
        return fast
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        error = exc.problem or str(exc)
        hint = None
        around = text.splitlines()[max(0, line - 2) : line] if line else []
        if any("\t" in t for t in around):
            hint = message("indent_spaces")
        said = (
            message("yaml_syntax_at", column=mark.column + 1, error=error)
            if mark is not None
            else message("yaml_syntax", error=error)
        )
        raise InputError([Problem(name, said, line=line, hint=hint)]) from None
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise InputError(
            [
                Problem(
                    name,
                    message("yaml_character", code=f"{code:04X}"),
                    line=line,
                    allowed=message("printable_text"),
                    hint=message("yaml_binary"),
                )
            ]
        ) from None
    except yaml.YAMLError as exc:
        raise InputError([Problem(name, message("yaml_error", error=exc))]) from None
    except RecursionError:
        raise InputError([_too_deep(name)]) from None
    if node is None:
        return None, LineMap({(): 1})
    builder = _Builder(name)
    value = builder.build(node, (), 0)
    if builder.problems:
        raise InputError(builder.problems)
    return value, builder.lines


# libyaml's composer (PyYAML's C binding), when PyYAML was built with it: the
# same nodes, tags resolved by the same resolver, about twenty times faster
# than the pure-Python one (which was most of reading the rule files of a
# round). A document it does not compose cleanly, or whose values have a
# problem, is read again by the pure-Python composer below, so that every
# message about a file is the one that composer gives.
_C_LOADER = getattr(yaml, "CSafeLoader", None)


def _fast_parse(text: str, name: str) -> tuple[Any, LineMap] | None:
    """The document through libyaml, or None when it is not clean (or there is no libyaml)."""
    if _C_LOADER is None:
        return None
    try:
        node = yaml.compose(text, Loader=_C_LOADER)
    except Exception:  # any refusal: the pure-Python composer says what is wrong
        return None
    if node is None:
        return None, LineMap({(): 1})
    builder = _Builder(name)
    value = builder.build(node, (), 0)
    if builder.problems:
        return None
    return value, builder.lines


def _too_deep(name: str, **where: Any) -> Problem:
    return Problem(name, message("yaml_too_deep"), allowed=message("depth", n=MAX_DEPTH), **where)


class _Builder:
    """Plain data from composed nodes, under the node and depth budgets, with every
    problem (tag, duplicate key, control character) collected."""

    def __init__(self, name: str):
        self.name = name
        self.lines = LineMap()
        self.problems: list[Problem] = []
        self.count = 0
        self.exhausted = False

    def problem(self, what: Message, line: int, **extra: Any) -> None:
        self.problems.append(Problem(self.name, what, line=line, **extra))

    def build(self, node: yaml.Node, path: tuple[Any, ...], depth: int) -> Any:
        line = node.start_mark.line + 1
        self.lines.setdefault(path, line)
        if not self._within_budget(line, depth):
            return None
        if node.tag not in _STANDARD_TAGS:
            self.problem(message("yaml_tag", tag=node.tag), line, allowed=message("plain_values"))
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        self._check_text(node.value, line, path)
        return _scalar(node)

    def _within_budget(self, line: int, depth: int) -> bool:
        self.count += 1
        if self.count > MAX_NODES:
            if not self.exhausted:
                self.exhausted = True
                self.problem(
                    message("yaml_too_many"),
                    line,
                    allowed=message("at_most_values", n=MAX_NODES),
                )
            return False
        if depth > MAX_DEPTH:
            self.problems.append(_too_deep(self.name, line=line))
            return False
        return True

    def _check_text(self, text: str, line: int, path: tuple[Any, ...]) -> None:
        found = control_problem(self.name, text, line=line, column=_dotted(path) or None)
        if found is not None:
            self.problems.append(found)

    def _mapping(self, node: yaml.MappingNode, path: tuple[Any, ...], depth: int) -> dict:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = self._key(key_node, path, out)
            if key is None:
                continue
            self.lines[(*path, key)] = key_node.start_mark.line + 1
            out[key] = self.build(value_node, (*path, key), depth + 1)
        return out

    def _key(self, node: yaml.Node, path: tuple[Any, ...], seen: dict[str, Any]) -> str | None:
        """The key a node spells, or None (and a problem) when it cannot be one."""
        line = node.start_mark.line + 1
        if node.tag == "tag:yaml.org,2002:merge":
            self.problem(message("yaml_merge_key"), line)
            return None
        if not isinstance(node, yaml.ScalarNode):
            self.problem(message("key_plain_text"), line)
            return None
        if node.tag not in _STANDARD_TAGS:
            self.problem(message("yaml_tag", tag=node.tag), line, allowed=message("plain_values"))
            return None
        key = node.value
        if key in seen:
            first = self.lines.get((*path, key))
            self.problem(
                message("duplicate_key_at", key=key, line=first)
                if first
                else message("duplicate_key", key=key),
                line,
                column=_dotted((*path, key)),
            )
            return None
        self._check_text(key, line, path)  # the key itself is not shown: it holds the character
        return key


# One constructor for every explicitly tagged scalar: its per-tag methods keep
# no state for scalars, and making a SafeLoader per value cost more than the
# parsing (an alias bomb expanded to the node limit took seconds).
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_COLLECTION_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}
_STR = "tag:yaml.org,2002:str"

# Plain scalars are resolved as YAML 1.2's core schema does (PyYAML implements
# YAML 1.1): 'yes', 'no', 'on', 'off' stay text, '1:30' is not 90 (base 60),
# '0777' is 777 (not octal 511), '1_000' is text. One addition: a plain
# 'YYYY-MM-DD' is a date, since rule and scenario dates are written so.
_CORE_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_CORE_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False}
_CORE_BOOL["FALSE"] = False
_CORE_INT = re.compile(r"^[-+]?[0-9]+$")
_CORE_OCT = re.compile(r"^0o[0-7]+$")
_CORE_HEX = re.compile(r"^0x[0-9a-fA-F]+$")
_CORE_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_CORE_SPECIAL = {".inf": math.inf, ".Inf": math.inf, ".INF": math.inf, ".nan": math.nan}
_CORE_SPECIAL |= {".NaN": math.nan, ".NAN": math.nan}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _scalar(node: yaml.ScalarNode) -> Any:
    """A scalar's value: YAML 1.2 core types for plain scalars, text for quoted ones."""
    if node.tag in _COLLECTION_TAGS:  # "!!map 'x'": a scalar that claims to be a mapping
        return node.value
    if not node.style:  # plain: None from PyYAML, "" from libyaml (a tag on it is not kept apart)
        return _core(node.value)
    if node.tag == _STR:
        return node.value
    construct = _CONSTRUCTOR.yaml_constructors.get(node.tag)  # an explicit !!int, !!float ...
    if construct is None:
        return node.value
    try:
        return construct(_CONSTRUCTOR, node)
    except (yaml.YAMLError, ValueError, OverflowError, TypeError):
        return node.value


def _core(text: str) -> Any:
    """A plain scalar under YAML 1.2's core schema (and ISO dates)."""
    if _CORE_NULL.match(text):
        return None
    if text in _CORE_BOOL:
        return _CORE_BOOL[text]
    if _CORE_INT.match(text):
        return int(text)
    if _CORE_OCT.match(text):
        return int(text[2:], 8)
    if _CORE_HEX.match(text):
        return int(text[2:], 16)
    if _CORE_FLOAT.match(text):
        return float(text)
    sign = -1.0 if text[:1] == "-" else 1.0
    special = _CORE_SPECIAL.get(text.lstrip("+-") if text[:2] in ("-.", "+.") else text)
    if special is not None:
        return sign * special
    if _ISO_DATE.match(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return text
    return text


def _dotted(path: tuple[Any, ...]) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out
