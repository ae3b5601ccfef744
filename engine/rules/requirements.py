"""The ``require:`` of a rule: exactly one requirement kind with its parameters.

Takes the registry (:mod:`engine.rules.registry`); gives :data:`Requirement`,
a pydantic model with one optional field per registered kind (typed by the
kind's ``Params``), generated so that a new kind needs no edit here. The
rule-file JSON Schema is generated from it (:mod:`engine.report.reference`).

The kinds themselves live in :mod:`engine.rules.kinds`, one module each; the
base class and verdict codes in :mod:`engine.rules.kind`. Their names are
re-exported here for the modules that read rules and verdicts together.
"""

from __future__ import annotations

from pydantic import create_model, model_validator

from engine.errors import message
from engine.inputs.schema import Strict
from engine.rules.kind import (
    FAIL,
    PASS,
    UNKNOWN,
    VERDICT_NAMES,
    Counterfactual,
    JenisJabatan,
    Kind,
    TimeBehaviour,
)
from engine.rules.registry import CATALOGUE, KINDS, PostView

__all__ = [
    "CATALOGUE",
    "FAIL",
    "KINDS",
    "PASS",
    "UNKNOWN",
    "VERDICT_NAMES",
    "Counterfactual",
    "JenisJabatan",
    "Kind",
    "PostView",
    "Requirement",
    "TimeBehaviour",
]


class OneKind(Strict):
    """The base of :data:`Requirement`: exactly one of its fields is given."""

    model_config = Strict.model_config | {
        "json_schema_extra": {"minProperties": 1, "maxProperties": 1}
    }

    @model_validator(mode="after")
    def _exactly_one(self) -> OneKind:
        given = [k for k in CATALOGUE if getattr(self, k) is not None]
        if len(given) != 1:
            found = ", ".join(given) if given else message("rule_no_kind")
            raise ValueError(message("rule_one_kind", found=found, allowed=", ".join(CATALOGUE)))
        return self

    @property
    def kind(self) -> str:
        return next(k for k in CATALOGUE if getattr(self, k) is not None)

    @property
    def params(self) -> Strict:
        return getattr(self, self.kind)


Requirement: type[OneKind] = create_model(
    "Requirement",
    __base__=OneKind,
    __module__=__name__,
    __doc__="Exactly one requirement kind with its parameters.",
    **{name: (kind.Params | None, None) for name, kind in CATALOGUE.items()},  # type: ignore[call-overload]
)
