"""Every phrase the app's pages mark for translation has its English in the one catalogue."""

from __future__ import annotations

import re
from pathlib import Path

from factories import ROOT

from engine.i18n import APP_EN

TEMPLATES = ROOT / "engine/app/templates"


def _marked(text: str) -> set[str]:
    """The literal phrases inside ``_( ... )`` and in a template's ``words`` table."""
    phrases: set[str] = set()
    for call in re.finditer(r"\b_\(([^()]*)\)", text):
        inside = call.group(1)
        # A table looked up inside _(): its values are the phrases, not its keys.
        pattern = r':\s*"([^"]+)"' if "{" in inside else r'"([^"]+)"'
        phrases.update(re.findall(pattern, inside))
    for table in re.finditer(r"\{% set words = \{(.*?)\} %\}", text):
        phrases.update(re.findall(r':\s*"([^"]+)"', table.group(1)))
    return phrases


def test_every_marked_phrase_of_the_pages_has_its_english():
    marked: dict[str, set[str]] = {}
    for path in [*sorted(TEMPLATES.glob("*.j2")), ROOT / "engine/app/web.py"]:
        for phrase in _marked(Path(path).read_text(encoding="utf-8")):
            marked.setdefault(phrase, set()).add(Path(path).name)
    assert len(marked) > 100
    assert {p: sorted(f) for p, f in marked.items() if p not in APP_EN} == {}


def test_the_check_reads_conditional_phrases_and_word_tables():
    text = (
        '{{ _("Ya" if x else "Tidak") }} {% set words = {"a": "Satu", "b": "Dua"} %}'
        '{{ _({"k": "Tiga"}[key]) }}'
    )
    assert _marked(text) == {"Ya", "Tidak", "Satu", "Dua", "Tiga"}
