"""--pseudonymise: no name or NIP of the input in any output; stable pseudonyms."""

from __future__ import annotations

import csv
import io

import openpyxl
from factories import ROOT

from engine.plan.pipeline import build_plan
from engine.plan.privacy import KEY_ENV
from engine.report.render import render


def _texts(contents: dict) -> str:
    parts = []
    for name, content in contents.items():
        if name.endswith(".xlsx"):
            book = openpyxl.load_workbook(io.BytesIO(content))
            parts += [str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row]
        else:
            parts.append(content)
    return "\n".join(parts)


def test_no_name_or_nip_leaks_and_pseudonyms_are_stable(monkeypatch):
    monkeypatch.delenv(KEY_ENV, raising=False)
    rows = list(csv.DictReader((ROOT / "data/demo/pegawai.csv").open(encoding="utf-8")))
    first = build_plan(ROOT / "scenarios/demo.yaml", pseudonymise=True)
    text = _texts(render(first, "id"))
    for row in rows:
        assert row["nip"] not in text
        assert row["nama"].split(",")[0] not in text
    assert first.record.manifest.pseudonymised == "key derived from the pegawai input"
    again = build_plan(ROOT / "scenarios/demo.yaml", pseudonymise=True)
    assert again.record.placements == first.record.placements
    # Another key gives other pseudonyms for the same people.
    monkeypatch.setenv(KEY_ENV, "another secret")
    other = build_plan(ROOT / "scenarios/demo.yaml", pseudonymise=True)
    assert other.record.placements[0].nip != first.record.placements[0].nip
    assert other.record.manifest.pseudonymised == f"key from {KEY_ENV}"
    plain = build_plan(ROOT / "scenarios/demo.yaml")
    assert plain.record.manifest.pseudonymised is False
    # The plan itself is the same plan: same posts filled, same objective.
    assert plain.record.objective == first.record.objective
