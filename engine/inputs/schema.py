"""Validate YAML data against pydantic models and report ``file:line`` problems.

The models of every user-edited file (rules, taxonomy, weights, BUP table,
scenarios) derive from :class:`Strict`: unknown keys are errors and values
are not coerced across types (a list is never read as a string). A pydantic
error's location (a key path) is mapped back to its YAML line through the
:class:`~engine.inputs.yamlio.LineMap`, and an unknown key gets a did-you-mean from
the keys the model allows.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from engine.errors import InputError, Message, Problem, allowed_list, did_you_mean, message
from engine.inputs.yamlio import LineMap

__all__ = [
    "VERIFIED_DESCRIPTION",
    "Effective",
    "Strict",
    "covered_span",
    "every_level",
    "in_force",
    "not_in_force",
    "validate",
    "verified_field",
]

#: What ``verified`` means, on every rule and every settings file or version.
VERIFIED_DESCRIPTION = (
    "true: the source was checked against the regulation's text; false (the default): "
    "not yet, and explain, the reports, the workbook and the app show it as 'source not verified'"
)


def verified_field() -> Any:
    """The ``verified`` field of a rule or a settings file or version (default false)."""
    return Field(default=False, description=VERIFIED_DESCRIPTION)


M = TypeVar("M", bound=BaseModel)
V = TypeVar("V")  # a dated version: anything with an ``effective`` period


class Strict(BaseModel):
    """Base of every model read from a user-edited file."""

    # No NaN or infinity: a '.nan' weight or threshold would turn every score
    # into NaN (and an integer cost into garbage) without an error.
    model_config = ConfigDict(
        extra="forbid", frozen=True, populate_by_name=True, allow_inf_nan=False
    )


class Effective(Strict):
    """Dates between which a rule or setting is in force (both inclusive)."""

    from_: dt.date = Field(alias="from", description="first day in force (YYYY-MM-DD)")
    until: dt.date | None = Field(
        default=None, description="last day in force; empty: still in force"
    )

    def covers(self, day: dt.date) -> bool:
        return self.from_ <= day and (self.until is None or day <= self.until)


def covered_span(periods: Iterable[Effective]) -> str:
    """The dates a list of versions covers, in words: ``2017-04-07 to 2019-12-31, 2020-01-01 onwards``.

    Back-to-back periods are joined, so a gap between versions shows.
    """
    spans: list[list[dt.date | None]] = []
    for p in sorted(periods, key=lambda e: e.from_):
        last = spans[-1] if spans else None
        if last is not None and last[1] is not None and p.from_ == last[1] + dt.timedelta(days=1):
            last[1] = p.until
        else:
            spans.append([p.from_, p.until])
    if not spans:
        return message("span_none").render()
    return ", ".join(
        message("span_onwards", start=start).render()
        if end is None
        else message("span_to", start=start, end=end).render()
        for start, end in spans
    )


def in_force(versions: Sequence[V], day: dt.date, file: str, what: str) -> V:
    """The version of a dated settings file in force on ``day``.

    Raises :class:`~engine.errors.InputError` naming the dates the file covers
    when none is (:func:`not_in_force`).
    """
    for version in versions:
        if version.effective.covers(day):
            return version
    raise InputError([not_in_force(file, what, day, (v.effective for v in versions))])


def not_in_force(file: str, what: str, day: dt.date, periods: Iterable[Effective]) -> Problem:
    """The problem of a settings file that has no version in force on a scenario's date."""
    return Problem(
        file,
        message("not_in_force", what=what, day=day, span=covered_span(periods)),
        allowed=message("not_in_force_allowed"),
    )


def every_level(
    value: dict[str, Any], levels: tuple[str, ...], what: str | Message
) -> dict[str, Any]:
    """Check that a mapping has exactly one entry per level (e.g. per jenis jabatan).

    For pydantic field validators of settings that must cover a whole scale.
    """
    unknown = [k for k in value if k not in levels]
    if unknown:
        raise ValueError(message("unknown_level", what=what, found=unknown), ", ".join(levels))
    missing = [k for k in levels if k not in value]
    if missing:
        raise ValueError(message("missing_level", what=what, missing=", ".join(missing)))
    return value


def validate(
    model: type[M], data: Any, lines: LineMap, file: str, prefix: tuple[Any, ...] = ()
) -> tuple[M | None, list[Problem]]:
    """Validate ``data`` as ``model``; return the instance or the problems found."""
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        return None, [_problem(err, model, lines, file, prefix, data) for err in exc.errors()]


def _data_path(loc: tuple[Any, ...], data: Any) -> tuple[Any, ...]:
    """The part of a pydantic error location that is a path in the data.

    pydantic inserts the names of union members and validators ("str",
    "list[str]", "function-after[...]") into locations; they are dropped by
    walking the data itself, so a key that happens to be called "date" or
    "str" is kept.
    """
    out: list[Any] = []
    node = data
    for part in loc:
        if (isinstance(node, dict) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        ):
            out.append(part)
            node = node[part]
        elif isinstance(node, dict) and isinstance(part, str) and not _is_tag(part):
            out.append(part)  # a missing or unknown key: the path ends here
            node = None
        # else: a union-member or validator tag, not in the data
    return tuple(out)


def _is_tag(part: str) -> bool:
    return "[" in part or part.startswith("function-") or part in _TYPE_TAGS


_TYPE_TAGS = frozenset({"str", "int", "float", "bool", "date", "datetime", "list", "dict", "none"})


def _problem(
    err: dict[str, Any],
    model: type[BaseModel],
    lines: LineMap,
    file: str,
    prefix: tuple[Any, ...],
    data: Any = None,
) -> Problem:
    raw = tuple(err["loc"])
    if err["type"] in {"missing", "extra_forbidden"} and raw:
        # The last part is always a real key (the missing or unknown one).
        loc = (*_data_path(raw[:-1], data), raw[-1])
    else:
        loc = _data_path(raw, data)
    path = (*prefix, *loc)
    line = lines.line_of(path)
    kind = err["type"]
    found = err.get("input")
    key = _dotted(loc)
    if kind == "extra_forbidden":
        allowed = _allowed_keys(model, loc[:-1])
        return Problem(
            file,
            message("unknown_key", key=loc[-1]),
            line=line,
            column=_dotted(loc[:-1]) or None,
            allowed=allowed_list(allowed, 20) if allowed else None,
            hint=did_you_mean(str(loc[-1]), allowed) if allowed else None,
        )
    if kind == "missing":
        return Problem(
            file,
            message("required_key_missing", key=loc[-1]),
            line=lines.line_of(path[:-1]),
            column=_dotted(loc[:-1]) or None,
        )
    ctx = err.get("ctx") or {}
    if kind in {"literal_error", "enum"}:
        expected = str(ctx.get("expected", ""))
        options = [
            o.strip().strip("'") for o in expected.replace(" or ", ", ").split(",") if o.strip()
        ]
        return Problem(
            file,
            message("found_value", found=found),
            line=line,
            column=key or None,
            allowed=expected,
            hint=did_you_mean(str(found), options),
        )
    if kind == "union_tag_invalid":
        expected = [t.strip().strip("'") for t in str(ctx.get("expected_tags", "")).split(",")]
        return Problem(
            file,
            message("unknown_tag", key=str(ctx.get("discriminator", "")).strip("'"), found=found),
            line=line,
            column=key or None,
            allowed=allowed_list(expected, 40),
            hint=did_you_mean(str(found), expected),
        )
    what, allowed = _what(err)
    shown = _short(found)
    text = (
        message("found_what", found=shown, what=what)
        if shown is not None and not isinstance(found, dict)
        else what
    )
    return Problem(
        file, text, line=line, column=key or None, allowed=allowed, hint=_yaml_hint(kind, found)
    )


# pydantic's error types, in the catalogue's words (the rest keep pydantic's own).
_PYDANTIC = {
    "string_type": "pyd_string",
    "int_type": "pyd_int",
    "int_parsing": "pyd_int",
    "int_from_float": "pyd_int",
    "float_type": "pyd_float",
    "float_parsing": "pyd_float",
    "finite_number": "pyd_finite",
    "bool_type": "pyd_bool",
    "bool_parsing": "pyd_bool",
    "date_type": "pyd_date",
    "date_parsing": "pyd_date",
    "date_from_datetime_parsing": "pyd_date",
    "date_from_datetime_inexact": "pyd_date",
    "list_type": "pyd_list",
    "dict_type": "pyd_dict",
    "model_type": "pyd_dict",
    "model_attributes_type": "pyd_dict",
    "greater_than": "pyd_gt",
    "greater_than_equal": "pyd_ge",
    "less_than": "pyd_lt",
    "less_than_equal": "pyd_le",
    "too_short": "pyd_too_short",
    "too_long": "pyd_too_long",
    "string_too_short": "pyd_str_too_short",
    "string_too_long": "pyd_str_too_long",
    "string_pattern_mismatch": "pyd_pattern",
}


# The reasons pydantic gives for a date that cannot be, in the catalogue's words.
_DATE_REASONS = (
    ("month value is outside", "pyd_date_month"),
    ("day value is outside", "pyd_date_day"),
)


def _what(err: dict[str, Any]) -> tuple[Message, str | Message | None]:
    """What a pydantic error says, as a message of the catalogue, and what is allowed.

    A validator of talenta's models raises ``ValueError(message(...))``, and
    what is allowed as a second argument when there is a list to name.
    """
    ctx = err.get("ctx") or {}
    error = ctx.get("error")
    if err["type"] == "value_error" and isinstance(error, ValueError) and error.args:
        first, *rest = error.args
        if isinstance(first, Message):
            return first, (rest[0] if rest else None)
    key = _PYDANTIC.get(err["type"])
    if key == "pyd_date" and isinstance(error, str):
        key = next((k for part, k in _DATE_REASONS if part in error), key)
    if key is not None:
        return message(key, **{k: v for k, v in ctx.items() if k != "error"}), None
    text = err["msg"]
    if text.startswith("Value error, "):
        text = text[len("Value error, ") :]
    return message("pyd_other", error=text), None


_SEXAGESIMAL = re.compile(r"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$")
_YAML11_BOOL = re.compile(r"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$")
_YAML11_NUMBER = re.compile(r"^[-+]?(?:0b[01_]+|[0-9][0-9_]*_[0-9_]*(?:\.[0-9_]*)?)$")


def _yaml_hint(kind: str, found: Any) -> Message | None:
    """What a YAML 1.1 reader would have made of ``found``, when the schema refused it.

    talenta reads YAML 1.2's core schema (engine.inputs.yamlio): values that
    YAML 1.1 turned into numbers or booleans stay text, and text-looking
    numbers, dates and booleans must be quoted to be text.
    """
    number = kind.startswith(("float", "int", "decimal"))
    if isinstance(found, str) and number:
        if _SEXAGESIMAL.match(found):
            return message("yaml_base60", found=found)
        if _YAML11_BOOL.match(found) or _YAML11_NUMBER.match(found):
            return message("yaml_plain_number", found=found)
    if kind == "string_type" and isinstance(found, (bool, int, float, dt.date)):
        return message("yaml_quote_text")
    return None


def _short(value: Any) -> str | None:
    if isinstance(value, (dict, list)):
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _dotted(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _allowed_keys(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """Keys the model allows at ``loc`` (best effort, for did-you-mean)."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return []
        field = _field_by_key(current, part)
        if field is None:
            return []
        current = _model_of(field.annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return [f.alias or name for name, f in current.model_fields.items()]
    return []


def _field_by_key(model: type[BaseModel], key: str) -> Any:
    for name, f in model.model_fields.items():
        if key in {name, f.alias}:
            return f
    return None


def _model_of(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _model_of(arg)
        if found is not None:
            return found
    return None
