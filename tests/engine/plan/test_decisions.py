"""Pins and bans are visible in every output, with their price and whom they displace
(issue 15, item 6)."""

from __future__ import annotations

import io

import openpyxl
from factories import ROOT, person, post

from engine.plan.pipeline import build_plan
from engine.report.render import render

RULES = (ROOT / "rules/struktural.yaml").read_text(encoding="utf-8")


def _people():
    a = person(1, jenis_jabatan="Administrator", golongan="IV/b", jpm="90", pelatihan="PKN II:2020")
    b = person(
        2,
        jenis_jabatan="Administrator",
        golongan="IV/b",
        pendidikan="S2",
        jpm="70",
        pelatihan="PKN II:2020",
    )
    return a, b


A, B = _people()


def _round(tiny_round, extra: str = ""):
    a, b = A, B
    posts = [
        post("KADIS", eselon="II.b", jenis_jabatan="JPT Pratama"),
        post("SEK", jenis_jabatan="Administrator", atasan_id="KADIS", nip_pemangku=a["nip"]),
        post("KABID", jenis_jabatan="Administrator", atasan_id="KADIS", nip_pemangku=b["nip"]),
    ]
    return tiny_round([a, b], posts, RULES, extra=extra), a, b


def test_a_pin_carries_its_price_and_the_people_it_displaces(tiny_round):
    free_path, a, b = _round(tiny_round)
    free = build_plan(free_path).record
    assert [(p.nip, p.to.jabatan_id) for p in free.placements] == [(a["nip"], "KADIS")]
    pinned_path, _, _ = _round(tiny_round, f"pins:\n  - {{nip: '{b['nip']}', jabatan_id: KADIS}}")
    plan = build_plan(pinned_path).record
    (placement,) = plan.placements
    assert (placement.nip, placement.to.jabatan_id, placement.pinned) == (b["nip"], "KADIS", True)
    (decision,) = plan.decisions
    assert (decision.kind, decision.nip, decision.jabatan_id) == ("pin", b["nip"], "KADIS")
    # The price is what two separate rounds say: the optimum without the pin minus with it.
    assert decision.price == round(free.objective.value - plan.objective.value, 1) > 0
    moved = {m.nip: (m.with_decision, m.without_decision) for m in decision.displaced}
    assert moved == {a["nip"]: (None, "KADIS"), b["nip"]: ("KADIS", None)}


def test_a_ban_that_costs_nothing_says_so(tiny_round):
    path, _, _ = _round(tiny_round, f"bans:\n  - {{nip: '{B['nip']}', jabatan_id: KADIS}}")
    plan = build_plan(path).record
    (decision,) = plan.decisions
    assert (decision.kind, decision.price, decision.displaced) == ("ban", 0.0, [])
    assert not any(p.pinned for p in plan.placements)


def test_every_output_marks_the_pin_and_lists_the_decision(tiny_round):
    path, _, b = _round(tiny_round, f"pins:\n  - {{nip: '{B['nip']}', jabatan_id: KADIS}}")
    plan = build_plan(path)
    price = plan.record.decisions[0].price
    for lang, mark, title in (
        ("id", "ditetapkan", "Keputusan tim"),
        ("en", "pinned", "Committee decisions"),
    ):
        out = render(plan, lang)
        assert f"**{mark}**" in out["report.md"] and title in out["report.md"]
        assert f"{price}" in out["report.md"]
        assert f'<strong class="pinned">{mark}</strong>' in out["report.html"]
        assert 'id="decisions"' in out["report.html"]
        book = openpyxl.load_workbook(io.BytesIO(out["plan.xlsx"]))
        sheet = next(ws for ws in book.worksheets if ws.title.startswith(title[:10]))
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[1][1] == b["nip"] and rows[1][5] == price
