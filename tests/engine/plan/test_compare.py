"""talenta compare on hand-worked rounds: what changes when a rule or a weight changes."""

from __future__ import annotations

import io
import json

import openpyxl
from factories import ROOT, person, post

from engine.plan.compare import compare_plans
from engine.plan.pipeline import build_plan
from engine.report.render import LABELS, render_comparison

RULES = (ROOT / "rules/struktural.yaml").read_text(encoding="utf-8")


def round_files(tiny_round, extra: str = ""):
    # Two Administrators compete for one vacant JPT Pratama post (Kepala Dinas).
    # A: S1 Teknik Sipil, JPM 90 (the best fit); B: S2 Ilmu Hukum, JPM 70, heading a
    # Hukum post that fits her. Both are eligible for KADIS (Teknik Sipil) under the baseline.
    a = person(
        1,
        jenis_jabatan="Administrator",
        golongan="IV/b",
        pendidikan="S1",
        jpm="90",
        pelatihan="PKN II:2020",
    )
    b = person(
        2,
        jenis_jabatan="Administrator",
        golongan="IV/b",
        pendidikan="S2",
        jpm="70",
        pelatihan="PKN II:2020",
        jenis_kelamin="P",
        tanggal_lahir="1976-03-03",
        jurusan="Ilmu Hukum",
    )
    posts = [
        post("KADIS", eselon="II.b", jenis_jabatan="JPT Pratama"),
        post(
            "SEK",
            eselon="III.a",
            jenis_jabatan="Administrator",
            atasan_id="KADIS",
            nip_pemangku=a["nip"],
        ),
        post(
            "KABID",
            eselon="III.b",
            jenis_jabatan="Administrator",
            atasan_id="KADIS",
            nip_pemangku=b["nip"],
            bidang="Hukum",
        ),
    ]
    return tiny_round([a, b], posts, RULES, extra=extra), a, b


def test_s2_rule_and_women_share_change_the_placement(tiny_round, tmp_path):
    base_path, a, b = round_files(tiny_round)
    base = build_plan(base_path).record
    assert [(p.nip, p.to.jabatan_id) for p in base.placements] == [(a["nip"], "KADIS")]

    s2 = tmp_path / "s2.yaml"
    s2.write_text(
        "kind: scenario\nextends: scenario.yaml\nname: S2 for JPT\nchanges:\n"
        "  - rule: jpt-pratama.pendidikan\n    require: {pendidikan: {min: S2}}\n",
        encoding="utf-8",
    )
    women = tmp_path / "women.yaml"
    women.write_text(
        "kind: scenario\nextends: scenario.yaml\nname: Women 50%\nconstraints:\n"
        "  min_women_share: [{jenis_jabatan: JPT Pratama, share: 0.5}]\n",
        encoding="utf-8",
    )
    plans = [base, build_plan(s2).record, build_plan(women).record]
    for plan in plans[1:]:
        assert [(p.nip, p.to.jabatan_id) for p in plan.placements] == [(b["nip"], "KADIS")]
    c = compare_plans(plans, LABELS["en"], "en")
    assert c.names == ["Tiny test round", "S2 for JPT", "Women 50%"]
    (kadis,) = [p for p in c.posts if p["jabatan_id"] == "KADIS"]
    assert [w["nip"] for w in kadis["by_plan"]] == [a["nip"], b["nip"], b["nip"]]
    # The S2 change excludes A from KADIS: one more exclusion, changed by the S2 scenario.
    (rule,) = [r for r in c.rules if r["rule"] == "jpt-pratama.pendidikan"]
    assert rule["exclusions"] == [0, 1, 0] and rule["changed_in"] == ["S2 for JPT"]
    # The women's share has a price: the objective it costs, as two separate solves show.
    (constraint,) = c.constraints
    assert constraint["price"] > 0
    assert constraint["price"] == round(base.objective.value - plans[2].objective.value, 1)
    assert "Rule jpt-pratama.pendidikan is changed by scenario S2 for JPT." in c.lines
    assert any(
        line.startswith("Jabatan KADIS (KADIS): Tiny test round places Contoh Pegawai 1")
        for line in c.lines
    )
    rendered = render_comparison(c, "en")
    assert json.loads(rendered["compare.json"])["plans"] == c.names
    book = openpyxl.load_workbook(io.BytesIO(rendered["compare.xlsx"]))
    assert book.sheetnames[0] == "Summary"
