"""The app's pages in English: the phrases come from the one catalogue, :mod:`engine.i18n`.

Takes nothing; gives :data:`EN`, :class:`Msg` and :func:`translator`. The
pages are written in Indonesian (the default); a template marks each
phrase with ``_()`` and, when a user switches to English, the phrase is
looked up in :data:`engine.i18n.APP_EN` (a phrase not listed stays Indonesian). Every error and
notice the app shows is a :class:`Msg`: an Indonesian sentence of this
catalogue with its fields filled only when shown, in the reader's
language. The berita acara and the recommendation to the PPK are official
documents and stay Indonesian.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from engine.i18n import APP_EN as EN
from engine.i18n import LANGUAGES

__all__ = ["EN", "LANGUAGES", "Msg", "msg", "translator"]


@dataclass(frozen=True)
class Msg:
    """A sentence of the catalogue with its fields; put in words only when shown.

    A field may itself be a :class:`Msg` (a decision's name), and is then
    shown in the same language.
    """

    text: str
    params: dict[str, Any] = field(default_factory=dict)

    def render(self, lang: str = "id") -> str:
        template = EN.get(self.text, self.text) if lang == "en" else self.text
        values = {k: v.render(lang) if isinstance(v, Msg) else v for k, v in self.params.items()}
        return template.format(**values) if values else template

    def __str__(self) -> str:
        return self.render("en")


def msg(text: str, **params: Any) -> Msg:
    """A :class:`Msg` of ``text`` with ``params``."""
    return Msg(text, params)


def translator(lang: str) -> Callable[[Any], str]:
    """The ``_()`` of the templates for ``lang``: a phrase, or a :class:`Msg`, in that language."""

    def translate(text: Any) -> str:
        if isinstance(text, Msg):
            return text.render(lang)
        return EN.get(text, text) if lang == "en" else text

    return translate
