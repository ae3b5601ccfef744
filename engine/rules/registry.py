"""The registry of requirement kinds: the one list every other part reads.

Takes the modules of :mod:`engine.rules.kinds` (the kind ``x`` is the one
:class:`~engine.rules.kind.Kind` subclass with ``name = "x"`` in
``engine/rules/kinds/x.py``; modules starting with ``_`` hold family bases)
and gives:

- :data:`KINDS` (in order of name) and :data:`CATALOGUE` (name -> class), from
  which :class:`engine.rules.requirements.Requirement`, the rule-file schema
  and docs/rules-reference.md are generated;
- :data:`POST_KEYS` and :class:`PostView`: the post attributes evaluators may
  read, which are those the kinds declare (``post_keys``, ``post_labels``)
  plus the post's identity and level;
- :func:`time_behaviour`: how a rule of a kind moves as time alone passes.

Each kind's declarations are checked when the registry loads: a kind that
names a fact People does not have, a post key Posts does not have, or that
does not say how it behaves in time fails at import with the kind's module
in the message.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import inspect
import pkgutil
from typing import Any

from engine.inputs.derive import People, Posts
from engine.inputs.schema import Strict
from engine.rules import kinds as kinds_package
from engine.rules.kind import Kind, TimeBehaviour

__all__ = [
    "CATALOGUE",
    "KINDS",
    "POST_KEYS",
    "PostView",
    "RegistryError",
    "time_behaviour",
]

# What every post view carries besides the kinds' keys: the post's identity
# and its level (the move policy reads it for every rule set).
BASE_POST_KEYS: tuple[str, ...] = ("jabatan_id", "jenis_jabatan", "level")


class RegistryError(ImportError):
    """A kind module that does not declare one well-formed kind."""


@functools.cache  # once, not once per kind: inspecting People is most of checking a kind
def _people_attributes() -> frozenset[str]:
    fields = {f.name for f in dataclasses.fields(People)}
    return frozenset(
        fields | {name for name, _ in inspect.getmembers(People) if not name.startswith("_")}
    )


def _check(cls: type[Kind], module: str) -> list[str]:
    """What is wrong with the declarations of ``cls`` (empty when nothing)."""
    problems = []
    for attr in ("Params", "facts", "summary_id", "summary_en", "example"):
        if not hasattr(cls, attr):
            problems.append(f"declares no {attr}")
    if hasattr(cls, "Params") and not issubclass(cls.Params, Strict):
        problems.append("Params is not a Strict model")
    unknown = sorted(set(getattr(cls, "facts", ())) - _people_attributes())
    if unknown:
        problems.append(f"reads facts People does not have: {', '.join(unknown)}")
    posts = {f.name for f in dataclasses.fields(Posts)}
    unknown = sorted((set(cls.post_keys) | set(cls.post_labels)) - posts)
    if unknown:
        problems.append(f"reads post keys Posts does not have: {', '.join(unknown)}")
    for method in ("evaluate", "explain", "counterfactual", "time_behaviour"):
        if getattr(cls, method) is getattr(Kind, method):
            problems.append(f"does not define {method}")
    return [f"{module}: kind '{cls.name}' {p}" for p in problems]


def _kind_of(module_name: str) -> type[Kind]:
    """The one kind that module ``module_name`` of the kinds package defines."""
    module = importlib.import_module(f"{kinds_package.__name__}.{module_name}")
    found = [
        obj
        for obj in vars(module).values()
        if inspect.isclass(obj)
        and issubclass(obj, Kind)
        and obj.__module__ == module.__name__
        and "name" in vars(obj)
    ]
    names = ", ".join(sorted(k.name for k in found)) or "none"
    if len(found) != 1 or found[0].name != module_name:
        raise RegistryError(
            f"{module.__name__} must define exactly one kind named '{module_name}' (found: {names})"
        )
    problems = _check(found[0], module.__name__)
    if problems:
        raise RegistryError("; ".join(problems))
    return found[0]


def _collect() -> tuple[type[Kind], ...]:
    modules = sorted(
        info.name
        for info in pkgutil.iter_modules(kinds_package.__path__)
        if not info.name.startswith("_")
    )
    return tuple(_kind_of(name) for name in modules)


KINDS: tuple[type[Kind], ...] = _collect()
CATALOGUE: dict[str, type[Kind]] = {k.name: k for k in KINDS}

POST_KEYS: tuple[str, ...] = BASE_POST_KEYS + tuple(
    sorted(
        {k for kind in KINDS for k in (*kind.post_keys, *kind.post_labels)} - set(BASE_POST_KEYS)
    )
)

PostView = dataclasses.make_dataclass("PostView", [(key, Any) for key in POST_KEYS], frozen=True)
PostView.__module__ = __name__
PostView.__doc__ = (
    "The attributes of one post that evaluators may read: :data:`POST_KEYS`, "
    "each named as in :class:`~engine.inputs.derive.Posts`."
)


def time_behaviour(kind: str, params: Strict, rank_progression: bool = False) -> TimeBehaviour:
    """How a rule of kind ``kind`` with ``params`` moves as time alone passes.

    Examples
    --------
    >>> from engine.rules.kinds.usia import UsiaParams
    >>> time_behaviour("usia", UsiaParams(max=56)).value
    'worsens'
    """
    return CATALOGUE[kind]().time_behaviour(params, rank_progression)
