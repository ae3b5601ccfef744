"""Why placements change between plans (issue 15, item 4): forced by the inputs, or a tie."""

from __future__ import annotations

from factories import ROOT, person, post

from engine.plan.changes import _why, explain_changes
from engine.plan.compare import compare_plans
from engine.plan.pipeline import build_plan
from engine.report.render import LABELS

RULES = (ROOT / "rules/struktural.yaml").read_text(encoding="utf-8")


def _round(tiny_round, twin: bool = False):
    # A (S1, JPM 90) and B (S2, JPM 70) compete for the vacant JPT post KADIS.
    a = person(1, jenis_jabatan="Administrator", golongan="IV/b", jpm="90", pelatihan="PKN II:2020")
    b = person(
        2,
        jenis_jabatan="Administrator",
        golongan="IV/b",
        pendidikan="S2",
        jpm="70",
        pelatihan="PKN II:2020",
        jenis_kelamin="P",
    )
    people, posts = (
        [a, b],
        [
            post("KADIS", eselon="II.b", jenis_jabatan="JPT Pratama"),
            post("SEK", jenis_jabatan="Administrator", atasan_id="KADIS", nip_pemangku=a["nip"]),
            post("KABID", jenis_jabatan="Administrator", atasan_id="KADIS", nip_pemangku=b["nip"]),
        ],
    )
    if twin:  # A's twin: same facts, another NIP, heading a post of the same kind
        c = dict(a, nama="Contoh Pegawai 3", nip=a["nip"][:-3] + "003")
        people.append(c)
        posts.append(
            post("KABID2", jenis_jabatan="Administrator", atasan_id="KADIS", nip_pemangku=c["nip"])
        )
    return tiny_round(people, posts, RULES), a, b


def _variant(tmp_path, name: str, body: str):
    path = tmp_path / f"{name}.yaml"
    path.write_text(
        f"kind: scenario\nextends: scenario.yaml\nname: {name}\n{body}", encoding="utf-8"
    )
    return build_plan(path)


def test_a_change_a_rule_forces_names_the_rule(tiny_round, tmp_path):
    base_path, a, b = _round(tiny_round)
    base = build_plan(base_path)
    s2 = _variant(
        tmp_path,
        "S2",
        "changes:\n  - rule: jpt-pratama.pendidikan\n    require: {pendidikan: {min: S2}}\n",
    )
    assert [p.nip for p in base.record.placements] == [a["nip"]]
    assert [p.nip for p in s2.record.placements] == [b["nip"]]
    c = compare_plans([base.record, s2.record], LABELS["en"], "en")
    explain_changes(c, [base, s2], "en")
    (kadis,) = [p for p in c.posts if p["jabatan_id"] == "KADIS"]
    assert kadis["why"][1] == {"kind": "forced", "by": "rule", "rules": ["jpt-pratama.pendidikan"]}
    assert (
        "Jabatan KADIS (KADIS): in S2, Contoh Pegawai 1 fails rule jpt-pratama.pendidikan:"
        " the change is forced by the inputs." in c.lines
    )
    assert any(line.startswith("S2: ") and "1 forced by the inputs" in line for line in c.lines)


def test_a_ban_and_a_side_constraint_are_named_as_what_forces_the_change(tiny_round, tmp_path):
    base_path, a, _ = _round(tiny_round)
    base = build_plan(base_path)
    banned = _variant(tmp_path, "Banned", f"bans:\n  - {{nip: '{a['nip']}', jabatan_id: KADIS}}\n")
    women = _variant(
        tmp_path,
        "Women",
        "constraints:\n  min_women_share: [{jenis_jabatan: JPT Pratama, share: 0.5}]\n",
    )
    c = compare_plans([base.record, banned.record, women.record], LABELS["en"], "en")
    explain_changes(c, [base, banned, women], "en")
    (kadis,) = [p for p in c.posts if p["jabatan_id"] == "KADIS"]
    assert kadis["why"][1] == {"kind": "forced", "by": "ban"}
    assert kadis["why"][2] == {"kind": "forced", "by": "constraints"}


def test_an_equally_good_choice_is_a_tie_and_a_worse_one_has_its_price(tiny_round):
    base_path, a, b = _round(tiny_round, twin=True)
    base = build_plan(base_path)
    (placed,) = base.record.placements
    twin = next(n for n in (a["nip"], a["nip"][:-3] + "003") if n != placed.nip)
    # A's twin in KADIS: the same fit, the same chain: a plan of equal value.
    assert _why(base, twin, "KADIS") == {"kind": "tie", "price": 0.0}
    # B in KADIS: her fit there is lower; the price is what the shortlist says.
    shortlist = {s.nip: s.price for s in base.record.shortlists["KADIS"]}
    why = _why(base, b["nip"], "KADIS")
    assert why["kind"] == "value" and why["price"] == shortlist[b["nip"]] > 0
