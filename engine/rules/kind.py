"""What a requirement kind is: the base class every kind in :mod:`engine.rules.kinds` extends.

Takes nothing at import; gives :class:`Kind` (the contract), the verdict codes
``PASS``/``FAIL``/``UNKNOWN``, :class:`Counterfactual`, :class:`TimeBehaviour`
and the small helpers kinds share (verdicts from booleans, calendar dates).

A kind is one class that declares, side by side:

- ``name`` and ``Params``: the key in a rule's ``require:`` and its pydantic
  model (the rule-file JSON Schema and the reference page are generated from it);
- ``facts``: the :class:`~engine.inputs.derive.People` attributes it reads.
  Facts are computed once per scenario, vectorised, in
  :func:`engine.inputs.derive.derive_people`; a kind never derives them per pair;
- ``post_keys``: the post attributes (:class:`~engine.inputs.derive.Posts`
  names) its verdict reads, and ``post_labels``: those it only names in its
  explanation. The post view evaluators receive has exactly these attributes
  (:mod:`engine.rules.registry`);
- :meth:`Kind.join_keys`, when the verdict is an equality between a person
  and a post attribute, so eligibility joins instead of checking every pair;
- :meth:`Kind.evaluate` (vectorised over people), :meth:`Kind.explain` (Bahasa
  Indonesia and English) and :meth:`Kind.counterfactual`;
- :meth:`Kind.time_behaviour`: how the verdict moves as time alone passes.

An evaluator returns one verdict per person: ``PASS`` (1), ``FAIL`` (0) or
``UNKNOWN`` (2, data missing). Evaluators read only the post attributes named
by :meth:`Kind.reads`, so eligibility can evaluate a rule once for all posts
that agree on those attributes.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

import numpy as np

from engine.i18n import obligation_text
from engine.inputs import scales
from engine.inputs.derive import People, Posts
from engine.inputs.schema import Strict
from engine.inputs.settings import Taxonomy

# The post view evaluators receive is built from the kinds' declarations
# (engine.rules.registry.PostView), so it is typed loosely here: importing it
# would make this module and the registry import each other.
PostLike = Any

__all__ = [
    "FAIL",
    "PASS",
    "UNKNOWN",
    "VERDICT_NAMES",
    "Counterfactual",
    "Golongan",
    "Grade",
    "JenisJabatan",
    "Kind",
    "Obligation",
    "Pendidikan",
    "Predikat",
    "TimeBehaviour",
    "Tingkat",
    "as_date",
    "fmt_years",
    "on_or_before",
    "tri",
]

FAIL, PASS, UNKNOWN = np.int8(0), np.int8(1), np.int8(2)
VERDICT_NAMES = {0: "FAIL", 1: "PASS", 2: "UNKNOWN"}

Golongan = Literal[scales.GOLONGAN]  # type: ignore[valid-type]
Pendidikan = Literal[scales.PENDIDIKAN]  # type: ignore[valid-type]
Predikat = Literal[scales.SKP_PREDIKAT]  # type: ignore[valid-type]
JenisJabatan = Literal[scales.JENIS_JABATAN]  # type: ignore[valid-type]
Tingkat = Literal[scales.HUKUMAN_TINGKAT]  # type: ignore[valid-type]
Grade = Literal["exact", "family", "related"]


class TimeBehaviour(enum.Enum):
    """How a rule's verdict moves as time alone passes (nobody moves, no new records).

    ``IMPROVES``: it can only turn from FAIL to PASS (years of service, a
    minimum age); ``WORSENS``: only from PASS to FAIL (a maximum age, years
    left before BUP); ``CONSTANT``: time alone does not change it (education,
    field of study); ``MIXED``: it can do both (a minimum and a maximum age).
    Succession reads it to evaluate improving rules on the people as they
    will be, and the others today.
    """

    IMPROVES = "improves"
    WORSENS = "worsens"
    CONSTANT = "constant"
    MIXED = "mixed"

    @property
    def meaning(self) -> str:
        """What it means for a verdict, in a few words."""
        return {
            "improves": "can only turn from FAIL to PASS",
            "worsens": "can only turn from PASS to FAIL",
            "constant": "does not change",
            "mixed": "can turn either way",
        }[self.value]

    @classmethod
    def of_range(cls, low: bool, high: bool) -> TimeBehaviour:
        """A lower bound, an upper bound or both on a value that grows with time."""
        if low and high:
            return cls.MIXED
        return cls.IMPROVES if low else cls.WORSENS


@dataclass(frozen=True)
class Counterfactual:
    """What would make a failing person pass."""

    id: str  # Bahasa Indonesia
    en: str
    from_date: dt.date | None = None  # time alone qualifies them from this date

    def text(self, lang: str) -> str:
        return self.id if lang == "id" else self.en


@dataclass(frozen=True)
class Obligation:
    """What a person placed in a post must still do after appointment, and by when.

    A rule that does not exclude but binds the appointee (training due within
    months of appointment, PP 11/2017 jo. PP 17/2020) gives one per placement
    whose person has not yet met it.
    """

    training: tuple[str, ...]  # any of these meets it; the first is the one named
    due: dt.date  # the last day it may be met (the appointment date shifted by the months)

    def text(self, lang: str) -> str:
        """ "wajib PKA paling lambat 2028-01-04" / "must complete PKA by 2028-01-04"."""
        return obligation_text(self.training, self.due.isoformat(), lang)


def tri(ok: np.ndarray, known: np.ndarray) -> np.ndarray:
    """PASS where ``ok``, else FAIL; UNKNOWN where not ``known``."""
    out = np.where(ok, PASS, FAIL).astype(np.int8)
    out[~known] = UNKNOWN
    return out


def on_or_before(dates: np.ndarray, day: dt.date) -> np.ndarray:
    """Bool per person: the date is on or before ``day`` (False where missing)."""
    return ~np.isnat(dates) & (dates <= np.datetime64(day, "D"))


def as_date(value: np.datetime64) -> dt.date | None:
    """A datetime64 as a date; ``None`` where missing."""
    return None if np.isnat(value) else dt.date.fromisoformat(str(value.astype("datetime64[D]")))


def fmt_years(x: float) -> str:
    """Years with one decimal, ``-`` where missing."""
    return "-" if np.isnan(x) else f"{x:.1f}"


class Kind:
    """Base of a requirement kind. Subclasses set the class attributes and the methods."""

    name: ClassVar[str]
    Params: ClassVar[type[Strict]]
    facts: ClassVar[tuple[str, ...]]
    post_keys: ClassVar[tuple[str, ...]] = ()
    post_labels: ClassVar[tuple[str, ...]] = ()
    summary_id: ClassVar[str]
    summary_en: ClassVar[str]
    example: ClassVar[dict[str, object]]

    def __init__(self, taxonomy: Taxonomy | None = None):
        self.taxonomy = taxonomy

    def reads(self, p: Strict) -> tuple[str, ...]:
        """The post attributes a rule with parameters ``p`` reads (default: ``post_keys``)."""
        return self.post_keys

    def join_keys(
        self, p: Strict, people: People, posts: Posts
    ) -> tuple[np.ndarray, np.ndarray] | None:
        """The rule as an equality, when it is one; else ``None``.

        Returns ``(person_key, post_key)``, int64 arrays over people and
        posts, such that for every post ``j`` the verdict of person ``i`` is
        UNKNOWN where ``person_key[i] == -1``, else PASS exactly where
        ``person_key[i] == post_key[j]`` (a post key of -2 matches nobody).
        It must agree with :meth:`evaluate` everywhere.
        """
        return None

    def evaluate(self, p: Strict, people: People, post: PostLike) -> np.ndarray:
        """One verdict per person (PASS, FAIL or UNKNOWN) for a post like ``post``."""
        raise NotImplementedError

    def explain(self, p: Strict, people: People, i: int, post: PostLike, lang: str) -> str:
        """The values compared, in one sentence."""
        raise NotImplementedError

    def counterfactual(self, p: Strict, people: People, i: int, post: PostLike) -> Counterfactual:
        """The smallest change that makes person ``i`` pass, or the date time alone does."""
        raise NotImplementedError

    def obligation(
        self, p: Strict, people: People, i: int, appointed: dt.date
    ) -> Obligation | None:
        """What person ``i`` appointed on ``appointed`` must still do; ``None`` for most kinds."""
        return None

    def time_behaviour(self, p: Strict, rank_progression: bool = False) -> TimeBehaviour:
        """How a rule with parameters ``p`` moves as time passes.

        ``rank_progression``: golongan advance by a rank-progression schedule
        (so spans since TMT golongan start again at each promotion).
        """
        raise NotImplementedError
