"""Open selection (seleksi terbuka) for JPT Pratama: a scenario key switches its rules on.

PermenPANRB 15/2019: a participant of an open selection for JPT Pratama holds
golongan IV/b at least. Worked by hand: a IV/a Kepala Bidang is the only
candidate for a vacant II.b Kepala Dinas. In a regular round eselon II.b
allows IV/a (one below IV/b) and he is placed; in an open selection the
post stays unfilled and the open selection's floor is what excluded him.
"""

from __future__ import annotations

from factories import ROOT, person, post

from engine.plan.pipeline import build_plan

RULES = "\n".join(
    (ROOT / f"rules/{name}.yaml").read_text(encoding="utf-8")
    for name in ("struktural", "golongan", "seleksi-terbuka")
)


def _people_posts():
    kabid = person(
        1,
        golongan="IV/a",
        tmt_golongan="2022-04-01",
        jenis_jabatan="Administrator",
        tmt_jabatan="2019-01-02",
        pelatihan="PKA:2015",
    )
    posts = [
        post("KADIS", eselon="II.b", jenis_jabatan="JPT Pratama"),
        post("KABID", atasan_id="KADIS", nip_pemangku=kabid["nip"]),
    ]
    return [kabid], posts


def test_a_regular_round_places_the_iv_a_kepala_bidang(tiny_round):
    people, posts = _people_posts()
    plan = build_plan(tiny_round(people, posts, RULES))
    assert [(p.nip, p.to.jabatan_id) for p in plan.record.placements] == [
        (people[0]["nip"], "KADIS")
    ]
    assert plan.record.manifest.settings.round == "regular"
    assert "seleksi-terbuka.golongan" not in plan.record.manifest.rules_in_force


def test_an_open_selection_holds_him_below_its_iv_b_floor(tiny_round):
    people, posts = _people_posts()
    scenario = tiny_round(people, posts, RULES, extra="round: {kind: open_selection}")
    plan = build_plan(scenario)
    assert plan.record.placements == []
    (unfilled,) = plan.record.unfilled
    assert unfilled.reason == "no_eligible_person"
    assert [e.rule for e in unfilled.excluded_by] == ["seleksi-terbuka.golongan"]
    assert plan.record.manifest.settings.round == "open_selection"
    assert "seleksi-terbuka.golongan" in plan.record.manifest.rules_in_force


def test_the_demo_open_selection_places_only_iv_b_and_above_in_jpt_pratama():
    """The demo's open selection, checked against the pegawai file read apart from the engine."""
    import csv

    golongan = {
        r["nip"]: r["golongan"]
        for r in csv.DictReader((ROOT / "data/demo/pegawai.csv").open(encoding="utf-8"))
    }
    regular = build_plan(ROOT / "scenarios/demo.yaml").record
    open_sel = build_plan(ROOT / "scenarios/seleksi-terbuka.yaml").record

    def jpt(plan):
        return [p for p in plan.placements if p.to.jenis_jabatan == "JPT Pratama"]

    allowed = {"IV/b", "IV/c", "IV/d", "IV/e"}
    assert jpt(open_sel) and all(golongan[p.nip] in allowed for p in jpt(open_sel))
    # The floor bites in the demo: the regular round puts someone below IV/b in a JPT post.
    assert any(golongan[p.nip] not in allowed for p in jpt(regular))


def _closed_vacancies(scenario, named: str = ""):
    """The scenario with vacant posts not opened (``open.vacant: false``), and ``named`` opened."""
    text = scenario.read_text(encoding="utf-8").replace("  vacant: true\n", "  vacant: false\n")
    if named:
        text = text.replace("  vacant: false\n", f"  vacant: false\n  posts: [{named}]\n")
    scenario.write_text(text, encoding="utf-8")
    return scenario


def test_a_vacant_post_the_scenario_does_not_open_is_filled_by_nobody(tiny_round):
    """By hand: KADIS is vacant and ``open.vacant`` is false, so KADIS is not
    open; the Kepala Bidang holds KABID and stays. Nothing is opened, filled
    or left unfilled, and no chain or rotation is reported."""
    people, posts = _people_posts()
    plan = build_plan(_closed_vacancies(tiny_round(people, posts, RULES)))
    s = plan.record.summary
    assert plan.record.placements == [] and plan.record.unfilled == []
    assert plan.record.chains == []
    assert (s.posts_opened, s.posts_filled, s.moves, s.stays) == (0, 0, 0, 1)


def test_a_vacant_post_opened_by_name_is_open_when_vacant_posts_are_not(tiny_round):
    people, posts = _people_posts()
    plan = build_plan(_closed_vacancies(tiny_round(people, posts, RULES), named="KADIS"))
    assert [(p.nip, p.to.jabatan_id) for p in plan.record.placements] == [
        (people[0]["nip"], "KADIS")
    ]
    assert [(c.start, c.end, c.length) for c in plan.record.chains] == [("KADIS", "unfilled", 1)]


def test_the_bench_without_a_plan_reads_the_rounds_closed_post_as_the_round_does(tiny_round):
    """The bench's ready-now pairs are the round's own: with KADIS closed the
    Kepala Bidang is ready now for no post (with it open, for KADIS)."""
    from engine.plan.pipeline import load_context
    from engine.succession.readiness import readiness

    people, posts = _people_posts()
    open_round = load_context(tiny_round(people, posts, RULES))
    ready = readiness(open_round)
    at = open_round.posts.jabatan_id[ready.now_post].tolist()
    assert (open_round.people.nip[ready.now_person].tolist(), at) == ([people[0]["nip"]], ["KADIS"])
    closed = readiness(load_context(_closed_vacancies(tiny_round(people, posts, RULES))))
    assert closed.now_person.tolist() == []
