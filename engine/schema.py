"""Validate YAML data against pydantic models and report ``file:line`` problems.

The models of every user-edited file (rules, taxonomy, weights, BUP table,
scenarios) derive from :class:`Strict`: unknown keys are errors and values
are not coerced across types (a list is never read as a string). A pydantic
error's location (a key path) is mapped back to its YAML line through the
:class:`~engine.yamlio.LineMap`, and an unknown key gets a did-you-mean from
the keys the model allows.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from engine.errors import Problem, allowed_list, did_you_mean
from engine.yamlio import LineMap

__all__ = ["Effective", "Strict", "validate"]

M = TypeVar("M", bound=BaseModel)


class Strict(BaseModel):
    """Base of every model read from a user-edited file."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Effective(Strict):
    """Dates between which a rule or setting is in force (both inclusive)."""

    from_: dt.date = Field(alias="from", description="first day in force (YYYY-MM-DD)")
    until: dt.date | None = Field(
        default=None, description="last day in force; empty: still in force"
    )

    def covers(self, day: dt.date) -> bool:
        return self.from_ <= day and (self.until is None or day <= self.until)


def validate(
    model: type[M], data: Any, lines: LineMap, file: str, prefix: tuple[Any, ...] = ()
) -> tuple[M | None, list[Problem]]:
    """Validate ``data`` as ``model``; return the instance or the problems found."""
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        return None, [_problem(err, model, lines, file, prefix) for err in exc.errors()]


def _problem(
    err: dict[str, Any], model: type[BaseModel], lines: LineMap, file: str, prefix: tuple[Any, ...]
) -> Problem:
    loc = tuple(
        p
        for p in err["loc"]
        if not (
            isinstance(p, str)
            and (
                p.startswith("function-")
                or p in {"list[str]", "str", "date", "int", "float", "bool"}
            )
        )
    )
    path = (*prefix, *loc)
    line = lines.line_of(path)
    kind = err["type"]
    found = err.get("input")
    key = _dotted(loc)
    if kind == "extra_forbidden":
        allowed = _allowed_keys(model, loc[:-1])
        return Problem(
            file,
            f"unknown key '{loc[-1]}'",
            line=line,
            column=_dotted(loc[:-1]) or None,
            allowed=allowed_list(allowed, 20) if allowed else None,
            hint=did_you_mean(str(loc[-1]), allowed) if allowed else None,
        )
    if kind == "missing":
        return Problem(
            file,
            f"required key '{loc[-1]}' is missing",
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
            f"found '{found}'",
            line=line,
            column=key or None,
            allowed=expected,
            hint=did_you_mean(str(found), options),
        )
    message = err["msg"]
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    shown = _short(found)
    text = (
        f"found {shown}: {message}"
        if shown is not None and not isinstance(found, dict)
        else message
    )
    return Problem(file, text, line=line, column=key or None)


def _short(value: Any) -> str | None:
    if isinstance(value, (dict, list)):
        return None
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
