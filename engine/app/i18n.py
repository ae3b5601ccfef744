"""The app's pages in English: the phrases come from the one catalogue, :mod:`engine.i18n`.

The pages are written in Indonesian (the default); a template marks each
phrase with ``_()`` and, when a user switches to English, the phrase is
looked up in :data:`engine.i18n.APP_EN` (a phrase not listed stays
Indonesian). The berita acara and the recommendation to the PPK are official
documents and stay Indonesian.
"""

from __future__ import annotations

from engine.i18n import APP_EN as EN
from engine.i18n import LANGUAGES, translator

__all__ = ["EN", "LANGUAGES", "translator"]
