"""Training due after appointment: the placement is made and carries its due date everywhere.

PP 11/2017 jo. PP 17/2020: PKA is due within 1 year of appointment to an
Administrator post. The tiny round is dated 2026-07-01 (the appointment
date); a Kepala Seksi with only PKP moves up, so by hand the obligation is
"wajib PKA paling lambat 2027-07-01". The Pelaksana who takes the seksi has
PKP already and owes nothing.
"""

from __future__ import annotations

import io

import openpyxl
from factories import ROOT, person, post

from engine.plan.explain import eligible_for
from engine.plan.pipeline import build_plan, load_context
from engine.plan.records import PlanRecord
from engine.report.render import render

RULES = (ROOT / "rules/struktural.yaml").read_text(encoding="utf-8")
OWED_ID = "wajib PKA paling lambat 2027-07-01"
OWED_EN = "must complete PKA by 2027-07-01"


def _round(tiny_round):
    kasi = person(1, jpm="90", pelatihan="PKP:2015")
    staf = person(
        3,
        jenis_jabatan="Pelaksana",
        golongan="III/c",
        tmt_jabatan="2015-01-01",
        tanggal_lahir="1985-01-01",
        pelatihan="PKP:2015",
    )
    posts = [
        post("KABID"),
        post(
            "SEKSI1",
            eselon="IV.a",
            jenis_jabatan="Pengawas",
            atasan_id="KABID",
            nip_pemangku=kasi["nip"],
        ),
    ]
    return kasi, staf, tiny_round([kasi, staf], posts, RULES)


def test_a_placement_without_the_training_carries_its_due_date(tiny_round):
    kasi, staf, scenario = _round(tiny_round)
    plan = build_plan(scenario)
    by_post = {p.to.jabatan_id: p for p in plan.record.placements}
    assert by_post["KABID"].nip == kasi["nip"]  # placed, not excluded
    (owed,) = by_post["KABID"].obligations
    assert (owed.rule, owed.training, owed.due) == (
        "administrator.pelatihan-wajib",
        ["PKA", "PKN II", "PKN I"],
        "2027-07-01",
    )
    assert by_post["SEKSI1"].nip == staf["nip"] and by_post["SEKSI1"].obligations == []
    # plan.json keeps it, and reads back.
    again = PlanRecord.from_json(plan.record.to_json())
    assert again.placements[0].obligations == plan.record.placements[0].obligations


def test_every_output_shows_the_obligation_in_its_language(tiny_round):
    _, _, scenario = _round(tiny_round)
    plan = build_plan(scenario)
    for lang, text, other in (("id", OWED_ID, OWED_EN), ("en", OWED_EN, OWED_ID)):
        out = render(plan, lang)
        assert text in out["report.md"] and other not in out["report.md"]
        assert text in out["report.html"] and other not in out["report.html"]
        book = openpyxl.load_workbook(io.BytesIO(out["plan.xlsx"]))
        cells = {c.value for ws in book.worksheets for row in ws.iter_rows() for c in row}
        assert text in cells and other not in cells


def test_explain_names_what_each_eligible_person_would_owe(tiny_round):
    kasi, _, scenario = _round(tiny_round)
    ctx = load_context(scenario)
    j = list(ctx.posts.jabatan_id).index("KABID")
    rows = {r["nip"]: r for r in eligible_for(ctx, j, lang="id").eligible}
    assert rows[kasi["nip"]]["obligations"] == [OWED_ID]
