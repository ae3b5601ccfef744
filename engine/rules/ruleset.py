"""Rule files: the requirements of posts, with their legal basis and dates.

A rule file is a YAML list of rules. A rule has an ``id``, a ``title``, a
selector of the posts it applies to (``applies_to``), exactly one
requirement from the closed catalogue (``require``, see
:mod:`engine.rules.requirements`), its ``source`` (legal basis), an ``effective``
period, and is either hard (excludes) or soft (``hard: false`` and a
``penalty`` in fit points). ``exception_of`` names a rule this one replaces
for the posts it selects.

Loading is strict and reports every problem of every file at once, with
``file:line``; two rules of the same kind that can apply to the same post
on the same day with different requirements are an error naming both,
unless one is the ``exception_of`` the other (a soft rule may layer a
cost over a hard rule of the same kind).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import Field, field_validator, model_validator

from engine.errors import InputError, Problem, allowed_list, did_you_mean, message
from engine.inputs import scales
from engine.inputs.derive import Posts
from engine.inputs.schema import Effective, Strict, validate, verified_field
from engine.inputs.yamlio import LineMap, load_yaml
from engine.rules.requirements import JenisJabatan, Requirement

__all__ = ["ROUND_KINDS", "RoundKind", "Rule", "RuleSet", "Selector", "load_rules", "rule_files"]

# The kinds of round a scenario may be (its ``round: {kind: ...}``): a regular
# placement round, or an open selection (seleksi terbuka) for JPT posts
# (UU 20/2023; PermenPANRB 15/2019), where further rules apply.
RoundKind = Literal["regular", "open_selection"]
ROUND_KINDS: tuple[str, ...] = ("regular", "open_selection")

_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


def _as_list(value: Any) -> Any:
    return [value] if isinstance(value, (str, bool)) else value


def _isin(column: np.ndarray, wanted: list) -> np.ndarray:
    """``np.isin`` for text columns: hashed (pandas) on large tables, plain on small ones."""
    if len(column) < 2000:
        return np.isin(column, wanted)
    return pd.Series(column, dtype=object).isin(wanted).to_numpy()


class Selector(Strict):
    """Which posts a rule applies to. Keys combine with AND; a list means any of."""

    jenis_jabatan: list[JenisJabatan] | None = Field(
        default=None, description="jenis jabatan of the post"
    )
    eselon: list[str] | None = Field(
        default=None, description="old eselon of the post (II.a … IV.b)"
    )
    unit: list[str] | None = Field(default=None, description="unit (OPD) of the post")
    jabatan_id: list[str] | None = Field(default=None, description="post ids")
    bidang: list[str] | None = Field(default=None, description="field of the post")
    kritis: bool | None = Field(
        default=None, description="only critical (true) or only non-critical (false) posts"
    )

    @field_validator("jenis_jabatan", "eselon", "unit", "jabatan_id", "bidang", mode="before")
    @classmethod
    def _listify(cls, value: Any) -> Any:
        return _as_list(value)

    @field_validator("eselon")
    @classmethod
    def _eselon(cls, value: list[str] | None) -> list[str] | None:
        for e in value or []:
            if e not in scales.ESELON:
                hint = did_you_mean(e, scales.ESELON)
                allowed = ", ".join(scales.ESELON)
                if hint:
                    raise ValueError(
                        message("unknown_eselon_hint", found=e, allowed=allowed, hint=hint)
                    )
                raise ValueError(message("unknown_eselon", found=e, allowed=allowed))
        return value

    def mask(self, posts: Posts) -> np.ndarray:
        """Boolean mask of the posts selected."""
        m = np.ones(posts.n, dtype=bool)
        for key, column in (
            ("jenis_jabatan", posts.jenis_jabatan),
            ("eselon", posts.eselon),
            ("unit", posts.unit),
            ("jabatan_id", posts.jabatan_id),
            ("bidang", posts.bidang),
        ):
            wanted = getattr(self, key)
            if wanted is not None:
                m &= _isin(column, wanted)
        if self.kritis is not None:
            m &= posts.kritis == self.kritis
        return m

    def may_overlap(self, other: Selector) -> bool:
        """Whether some post could match both selectors (decided from the selectors alone)."""
        for key in ("jenis_jabatan", "eselon", "unit", "jabatan_id", "bidang"):
            a, b = getattr(self, key), getattr(other, key)
            if a is not None and b is not None and not set(a) & set(b):
                return False
        if self.kritis is not None and other.kritis is not None and self.kritis != other.kritis:
            return False
        for x, y in ((self, other), (other, self)):
            if (
                x.eselon is not None
                and y.jenis_jabatan is not None
                and not {scales.ESELON_JENIS[e] for e in x.eselon} & set(y.jenis_jabatan)
            ):
                return False
        return True


class Rule(Strict):
    """One requirement of the posts a selector picks, with its legal basis."""

    id: str = Field(description="unique id, lower case: letters, digits, '.', '_', '-'")
    title: str = Field(description="one sentence a committee can read")
    applies_to: Selector = Field(
        default_factory=Selector, description="which posts; empty: all posts"
    )
    require: Requirement = Field(
        description="exactly one requirement kind and its fields (see below)"
    )
    source: str = Field(min_length=3, description="legal basis: regulation, article")
    verified: bool = verified_field()
    effective: Effective = Field(
        description="from (and optionally until) which dates the rule is in force"
    )
    hard: bool = Field(
        default=True, description="true: excludes; false: costs `penalty` fit points"
    )
    penalty: float | None = Field(
        default=None, gt=0, le=100, description="fit points a soft rule costs when failed"
    )
    exception_of: str | None = Field(
        default=None, description="id of the rule this one replaces for its posts"
    )
    rounds: list[RoundKind] | None = Field(
        default=None,
        min_length=1,
        description="only in rounds of these kinds (the scenario's `round: {kind: ...}`: "
        "`regular`, `open_selection`); empty: every round",
    )

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not _ID.match(value):
            raise ValueError(message("rule_id_format"))
        return value

    @model_validator(mode="after")
    def _hard_soft(self) -> Rule:
        if self.hard and self.penalty is not None:
            raise ValueError(message("hard_rule_penalty"))
        if not self.hard and self.penalty is None:
            raise ValueError(message("soft_rule_no_penalty"))
        return self

    @property
    def kind(self) -> str:
        return self.require.kind

    def applies_in(self, round_kind: str) -> bool:
        """The rule applies in a round of ``round_kind``."""
        return self.rounds is None or round_kind in self.rounds

    @property
    def params(self) -> Strict:
        return self.require.params


@dataclass(frozen=True)
class LoadedRule:
    rule: Rule
    file: str
    line: int | None


@dataclass
class RuleSet:
    """Every rule loaded, with where it came from."""

    rules: list[LoadedRule]
    files: list[str]
    round_kind: str = "regular"  # the scenario's round: rules for other kinds never apply

    def in_force(self, day: dt.date) -> list[LoadedRule]:
        """The rules in force on ``day`` in a round of this set's kind."""
        return [
            r
            for r in self.rules
            if r.rule.effective.covers(day) and r.rule.applies_in(self.round_kind)
        ]

    def by_id(self) -> dict[str, LoadedRule]:
        return {r.rule.id: r for r in self.rules}

    def applicable(self, day: dt.date, posts: Posts) -> list[tuple[LoadedRule, np.ndarray]]:
        """Rules in force at ``day`` with the mask of posts each applies to.

        A rule's posts exclude those of any rule in force that names it in
        ``exception_of``.
        """
        active = self.in_force(day)
        masks = {r.rule.id: r.rule.applies_to.mask(posts) for r in active}
        for r in active:
            if r.rule.exception_of and r.rule.exception_of in masks:
                masks[r.rule.exception_of] = masks[r.rule.exception_of] & ~masks[r.rule.id]
        return [(r, masks[r.rule.id]) for r in active]


def rule_files(paths: Iterable[Path]) -> list[Path]:
    """Expand folders into their ``*.yaml`` rule files (sorted)."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(sorted(p for p in path.glob("*.y*ml") if p.suffix in {".yaml", ".yml"}))
        else:
            out.append(path)
    return out


def load_rules(
    paths: Sequence[Path], display: Any = str, *, fields: Sequence[str] | None = None
) -> RuleSet:
    """Load rule files; raise one :class:`InputError` listing every problem.

    Parameters
    ----------
    paths:
        Rule files (a YAML list of rules each).
    display:
        How a path is shown in messages.
    fields:
        When given, a selector's ``bidang`` must name one of these fields.
    """
    problems: list[Problem] = []
    loaded: list[LoadedRule] = []
    line_maps: dict[str, LineMap] = {}
    names: list[str] = []
    for path in paths:
        name = display(path)
        names.append(name)
        try:
            data, lines = load_yaml(path, name)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        line_maps[name] = lines
        if not isinstance(data, list):
            problems.append(
                Problem(
                    name,
                    message("rule_file_not_list", found=type(data).__name__),
                    line=1,
                    hint=message("rule_start_with_id"),
                )
            )
            continue
        for k, item in enumerate(data):
            rule, found = validate(Rule, item, lines, name, prefix=(k,))
            problems.extend(found)
            if rule is not None:
                loaded.append(LoadedRule(rule, name, lines.line_of((k,))))
    problems.extend(_check_set(loaded, fields))
    if problems:
        raise InputError(problems)
    return RuleSet(loaded, names)


def _check_set(loaded: list[LoadedRule], fields: Sequence[str] | None) -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[str, LoadedRule] = {}
    for r in loaded:
        if r.rule.id in seen:
            first = seen[r.rule.id]
            problems.append(
                Problem(
                    r.file,
                    message("rule_id_twice", id=r.rule.id, file=first.file, line=first.line),
                    line=r.line,
                )
            )
        else:
            seen[r.rule.id] = r
    for r in loaded:
        ref = r.rule.exception_of
        if ref is not None and ref not in seen:
            problems.append(
                Problem(
                    r.file,
                    message("exception_of_unknown", ref=ref),
                    line=r.line,
                    column=f"{r.rule.id}.exception_of",
                    hint=did_you_mean(ref, sorted(seen)),
                )
            )
        if ref == r.rule.id:
            problems.append(
                Problem(r.file, message("exception_of_itself"), line=r.line, column=r.rule.id)
            )
        if fields is not None and r.rule.applies_to.bidang:
            for b in r.rule.applies_to.bidang:
                if b not in fields:
                    problems.append(
                        Problem(
                            r.file,
                            message("bidang_not_in_taxonomy", value=b),
                            line=r.line,
                            column=f"{r.rule.id}.applies_to.bidang",
                            allowed=allowed_list(list(fields), 8),
                            hint=did_you_mean(b, list(fields)),
                        )
                    )
    # Contradictions: same kind, overlapping posts and periods, different requirement.
    by_kind: dict[str, list[LoadedRule]] = {}
    for r in loaded:
        by_kind.setdefault(r.rule.kind, []).append(r)
    for group in by_kind.values():
        for a_i, a in enumerate(group):
            for b in group[a_i + 1 :]:
                ra, rb = a.rule, b.rule
                if ra.exception_of == rb.id or rb.exception_of == ra.id:
                    continue
                # A soft rule layers a cost over a hard one; only two rules of
                # the same strength can contradict each other.
                if ra.hard != rb.hard or ra.params == rb.params:
                    continue
                if not _periods_overlap(ra.effective, rb.effective):
                    continue
                if not any(ra.applies_in(k) and rb.applies_in(k) for k in ROUND_KINDS):
                    continue
                if ra.applies_to.may_overlap(rb.applies_to):
                    problems.append(
                        Problem(
                            b.file,
                            message(
                                "rules_contradict",
                                rule=rb.id,
                                other=ra.id,
                                file=a.file,
                                line=a.line,
                                kind=rb.kind,
                            ),
                            line=b.line,
                            hint=message("rules_contradict_hint", other=ra.id),
                        )
                    )
    return problems


def _periods_overlap(a: Effective, b: Effective) -> bool:
    far = dt.date.max
    return a.from_ <= (b.until or far) and b.from_ <= (a.until or far)
