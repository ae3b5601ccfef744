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
    # Both were Pengawas in Teknik Sipil posts for seven years before their current
    # posts (2019-01-02): five years in fields related to KADIS's, Teknik Sipil.
    history = [
        row
        for p in (a, b)
        for row in (
            {
                "nip": p["nip"],
                "jenis_jabatan": "Pengawas",
                "tmt_mulai": "2012-01-02",
                "tmt_selesai": "2019-01-02",
                "bidang": "Teknik Sipil",
            },
            {
                "nip": p["nip"],
                "jenis_jabatan": "Administrator",
                "tmt_mulai": "2019-01-02",
                "jabatan_id": "SEK" if p is a else "KABID",
            },
        )
    ]
    return tiny_round([a, b], posts, RULES, extra=extra, history=history), a, b


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


def _variant(tmp_path, name: str, body: str):
    path = tmp_path / f"{name}.yaml"
    path.write_text(
        f"kind: scenario\nextends: scenario.yaml\nname: {name}\n{body}", encoding="utf-8"
    )
    return build_plan(path).record


def _renamed(record, name: str, **changes):
    scenario = record.manifest.scenario.model_copy(update={"name": name})
    manifest = record.manifest.model_copy(update={"scenario": scenario})
    return record.model_copy(update={"manifest": manifest, **changes})


def test_a_post_never_opened_is_not_called_empty(tiny_round, tmp_path):
    """Issue 15 item 2: not opened, opened and filled, opened and unfilled are told apart."""
    base_path, _, _ = round_files(tiny_round)
    base = build_plan(base_path).record
    # Baseline: KADIS is vacant and open, A fills it and leaves SEK, which nobody may fill
    # (lateral moves are off, B is the only other person): SEK is opened and unfilled.
    assert [u.post.jabatan_id for u in base.unfilled] == ["SEK"]
    # A plan that opens nothing: every post keeps its incumbent.
    closed = _renamed(base, "Closed", placements=[], unfilled=[])
    c = compare_plans([base, closed], LABELS["en"], "en")
    by_post = {p["jabatan_id"]: [w["status"] for w in p["by_plan"]] for p in c.posts}
    assert by_post == {"KADIS": ["filled", "not_opened"], "SEK": ["unfilled", "not_opened"]}
    assert (
        "Jabatan KADIS (KADIS): Tiny test round places Contoh Pegawai 1"
        f" ({base.placements[0].fit}); Closed does not open the post." in c.lines
    )
    assert (
        "Jabatan SEK (SEK): Tiny test round opens the post but leaves it unfilled;"
        " Closed does not open the post." in c.lines
    )
    assert not any("nobody" in line or "tidak seorang pun" in line for line in c.lines)
    rendered = render_comparison(c, "id")
    assert "tidak dibuka" in rendered["compare.html"]
    assert "dibuka, tidak terisi" in rendered["compare.html"]


def test_a_post_opened_by_name_and_left_unfilled_is_told_from_one_never_opened(
    tiny_round, tmp_path
):
    base_path, _, _ = round_files(tiny_round)
    base = build_plan(base_path).record
    # KABID opened by name: B loses her stay arc, nobody may take KABID (no lateral moves).
    named = _variant(tmp_path, "Named", "open:\n  vacant: true\n  posts: [KABID]\n")
    assert "KABID" in [u.post.jabatan_id for u in named.unfilled]
    c = compare_plans([base, named], LABELS["en"], "en")
    (kabid,) = [p for p in c.posts if p["jabatan_id"] == "KABID"]
    assert [w["status"] for w in kabid["by_plan"]] == ["not_opened", "unfilled"]
    assert (
        "Jabatan KABID (KABID): Tiny test round does not open the post;"
        " Named opens the post but leaves it unfilled." in c.lines
    )


def test_input_differences_come_first_and_name_each_setting_and_rule_term(tiny_round, tmp_path):
    """Issue 15 item 3: settings, rules in force and their terms, pins and bans, before effects."""
    base_path, a, _ = round_files(tiny_round)
    base = build_plan(base_path).record
    other = _variant(
        tmp_path,
        "Other",
        "open:\n  vacant: true\n  retiring_before: 2026-09-01\n"
        "changes:\n  - rule: jpt-pratama.pendidikan\n    require: {pendidikan: {min: S2}}\n"
        f"bans:\n  - {{nip: '{a['nip']}', jabatan_id: KADIS}}\n",
    )
    c = compare_plans([base, other], LABELS["en"], "en")
    inputs = {(d["kind"], d["key"]) for d in c.inputs}
    assert ("setting", "open.retiring_before") in inputs
    assert ("setting", "bans") in inputs
    assert ("rule_terms", "jpt-pratama.pendidikan: require.pendidikan.min") in inputs
    assert "Input: open.retiring_before is - in Tiny test round and 2026-09-01 in Other." in c.lines
    assert (
        "Input: rule jpt-pratama.pendidikan differs in Other: require.pendidikan.min S1 becomes S2."
        in c.lines
    )
    assert f"Input: bans is [] in Tiny test round and ['{a['nip']} -> KADIS'] in Other." in c.lines
    first_effect = next(k for k, line in enumerate(c.lines) if not line.startswith("Input:"))
    assert all(line.startswith("Input:") for line in c.lines[:first_effect])
    assert len([line for line in c.lines if line.startswith("Input:")]) == len(c.inputs)


def test_a_rule_in_force_in_one_plan_only_is_listed(tiny_round, tmp_path):
    base_path, _, _ = round_files(tiny_round)
    base = build_plan(base_path).record
    removed = _variant(
        tmp_path, "No age rule", "changes:\n  - rule: jpt-pratama.usia\n    remove: true\n"
    )
    c = compare_plans([base, removed], LABELS["en"], "en")
    assert "Input: rule jpt-pratama.usia is in force in Tiny test round, not in No age rule." in (
        c.lines
    )
    c = compare_plans([removed, base], LABELS["en"], "en")
    assert "Input: rule jpt-pratama.usia is in force in Tiny test round, not in No age rule." in (
        c.lines
    )


def test_objectives_on_other_weights_are_not_subtracted(tiny_round, tmp_path):
    """Issue 15 item 5: other weights put an objective on another scale: say so."""
    base_path, _, _ = round_files(tiny_round)
    base = build_plan(base_path).record
    heavier = _variant(tmp_path, "Heavier moves", "move_penalty: 9\n")
    same_scale = _variant(
        tmp_path, "Later", "open:\n  vacant: true\n  retiring_before: 2026-09-01\n"
    )
    c = compare_plans([base, heavier, same_scale], LABELS["en"], "en")
    assert c.comparable == [True, False, True]
    assert not any(line.startswith("Objective:") and "Heavier moves" in line for line in c.lines)
    assert (
        f"The objectives of Tiny test round ({base.objective.value}) and Heavier moves"
        f" ({heavier.objective.value}) are not comparable: their weights differ (move_penalty)."
        in c.lines
    )
    assert json.loads(render_comparison(c, "en")["compare.json"])["objective_comparable"] == [
        True,
        False,
        True,
    ]


def test_a_plan_records_the_weights_its_fit_used(tiny_round, tmp_path):
    """Issue 15 item 3: compare tells what the weights were on both sides, also
    for the plan on the regime's own weights (the tiny round's weights file is
    the project's: Kepka BKN 411/2025, 40/30/20/10)."""
    base_path, _, _ = round_files(tiny_round)
    base = build_plan(base_path).record
    doubled = _variant(tmp_path, "Keilmuan double", "component_weights: {keilmuan: 40}\n")
    assert base.manifest.settings.weights_in_force == {
        "kinerja": 40.0,
        "potensi": 30.0,
        "keilmuan": 20.0,
        "pengalaman": 10.0,
    }
    # 40/30/40/10 over 120
    assert doubled.manifest.settings.weights_in_force == {
        "kinerja": 33.33,
        "potensi": 25.0,
        "keilmuan": 33.33,
        "pengalaman": 8.33,
    }
    c = compare_plans([base, doubled], LABELS["en"], "en")
    assert (
        "Input: weights_in_force.keilmuan is 20.0 in Tiny test round and 33.33 in Keilmuan double."
        in c.lines
    )
