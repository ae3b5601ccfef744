"""Each section of the plan on a round small enough to work out by hand.

The round (2026-07-01, rules/struktural.yaml and rules/golongan.yaml, the
Kepka BKN 411/2025 weights: kinerja 40, potensi 30, keilmuan 20,
pengalaman 10; post weights Administrator 1.5, Pengawas 1; stability bonus
5, move penalty 2):

- KABID, an Administrator post (III.b, Teknik Sipil), is vacant;
- KADIS, a JPT Pratama post (II.a, golongan IV/b at least), is vacant:
  nobody has golongan IV/b, and without a history file nobody's years as
  Administrator are known, so nobody is eligible;
- SEKSI1 and SEKSI2 are Pengawas posts (IV.a, Teknik Sipil) held by Kasi
  (JPM 90) and Kasi Dua (JPM 60), both Pengawas since 2019-01-02;
- Staf, a woman Pelaksana with S1 Ilmu Hukum (JPM 80), holds no post.

Both Kasi are Baik in 2024 and 2025 (kinerja 80), S1 Teknik Sipil (keilmuan
100 on a Teknik Sipil post) and have PKP but not PKA (the soft Administrator
rule costs 3 points). Their years as Pengawas, 2019-01-02 to 2026-07-01,
are 7.49, so pengalaman is 74.9 for a Pengawas or an Administrator post.
Staf has no years at Pengawas level or the level below (a Pelaksana is two
levels below) and Ilmu Hukum is not in the Teknik family: keilmuan and
pengalaman 0.

Fits (weighted components, less the penalty):

- Kasi at KABID: 32 + 27 + 20 + 7.49 - 3 = 83.49 -> 83.5
- Kasi Dua at KABID: 32 + 18 + 20 + 7.49 - 3 = 74.49; at SEKSI2 (no penalty) 77.49 -> 77.5
- Kasi at SEKSI1 (staying): 86.49
- Staf at a Pengawas post: 32 + 24 = 56.0

The optimum: Kasi to KABID (83.49 x 1.5 - 2 = 123.24), Staf to the seksi
Kasi leaves (56 - 2 = 54), Kasi Dua stays (77.49 + 5 = 82.49): 259.73, 259.7.

The solver works in integer tenths of the fit shown (83.5, not 83.49),
times the post weight, rounded half to even: Kasi at KABID is 835 x 1.5 =
1252.5 -> 1252, less 20 for the move: 1232; Kasi Dua at KABID 745 x 1.5 =
1117.5 -> 1118, less 20: 1098; the stays 865 + 50 = 915 (Kasi) and 775 + 50
= 825 (Kasi Dua); Staf 560 - 20 = 540. The optimum is 1232 + 540 + 825 =
2597; the best plan with Kasi Dua in KABID is 1098 + 915 + 540 = 2553, so
choosing Kasi Dua costs 4.4 (not the 4.5 of the unrounded fits); keeping
Kasi in SEKSI1 forces that same plan, so Kasi's price at SEKSI1 is 4.4 too.
"""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from importlib import metadata

import numpy as np
import pytest
from factories import (
    JABATAN_HEADER,
    PEGAWAI_HEADER,
    ROOT,
    SCENARIO_TEMPLATE,
    person,
    post,
    write_csv,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.plan import pipeline
from engine.plan.pipeline import build_plan, plan_round
from engine.plan.records import Pair, PlanRecord
from engine.plan.sections import Outcome, assemble, nearest, versions
from engine.round.context import load_context

RULES = (ROOT / "rules/struktural.yaml").read_text(encoding="utf-8") + (
    ROOT / "rules/golongan.yaml"
).read_text(encoding="utf-8")

KASI = person(1, nama="Kasi", jpm="90")
KASI2 = person(2, nama="Kasi Dua", jpm="60", tanggal_lahir="1976-01-01")
STAF = person(
    3,
    nama="Staf",
    jenis_jabatan="Pelaksana",
    golongan="III/c",
    tmt_jabatan="2015-01-01",
    jpm="80",
    tanggal_lahir="1985-01-01",
    jenis_kelamin="P",
    jurusan="Ilmu Hukum",
)
POSTS = [
    # Kasi's seksi first: a post and a person at index 0 tell "held" (>= 0) from "none" (-1).
    post(
        "SEKSI1",
        eselon="IV.a",
        jenis_jabatan="Pengawas",
        atasan_id="KABID",
        nip_pemangku=KASI["nip"],
        nama_jabatan="Kepala Seksi Satu",
    ),
    post("KADIS", eselon="II.a", jenis_jabatan="JPT Pratama", nama_jabatan="Kepala Dinas"),
    post("KABID", atasan_id="KADIS", nama_jabatan="Kepala Bidang"),
    post(
        "SEKSI2",
        eselon="IV.a",
        jenis_jabatan="Pengawas",
        atasan_id="KABID",
        nip_pemangku=KASI2["nip"],
        nama_jabatan="Kepala Seksi Dua",
    ),
]
ADMINISTRATOR_HARD = {
    "administrator.pendidikan",
    "administrator.pengalaman",
    "administrator.skp",
    "administrator.hukuman",
    "struktural.masa-jabatan",
    "eselon-3b.golongan",
    # Training due within a year of appointment binds the appointee, never excludes.
    "administrator.pelatihan-wajib",
}


def solve(scenario) -> tuple[PlanRecord, Outcome]:
    """The plan of a scenario, and the solved round it was assembled from."""
    seen: list[Outcome] = []

    def keep(out: Outcome, *args, **kwargs):
        seen.append(out)
        return assemble(out, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pipeline, "assemble", keep)
        record = build_plan(scenario).record
    (outcome,) = seen
    return record, outcome


@pytest.fixture(scope="module")
def solved(tmp_path_factory):
    """The module's round: its plan, and the solved round it was assembled from."""
    folder = tmp_path_factory.mktemp("sections")
    # Staf first: the person at index 0 fills a post (who is "nobody" is -1).
    write_csv(folder / "pegawai.csv", PEGAWAI_HEADER, [STAF, KASI, KASI2])
    write_csv(folder / "jabatan.csv", JABATAN_HEADER, POSTS)
    (folder / "rules.yaml").write_text(RULES, encoding="utf-8")
    scenario = folder / "scenario.yaml"
    scenario.write_text(
        SCENARIO_TEMPLATE.format(rules=folder / "rules.yaml", root=ROOT, extra=""),
        encoding="utf-8",
    )
    return solve(scenario)


@pytest.fixture(scope="module")
def plan(solved):
    return solved[0]


def test_placements_are_sorted_by_post_with_origin_kind_fit_and_its_parts(plan):
    kabid, seksi = plan.placements
    assert (kabid.nip, kabid.nama, kabid.to.jabatan_id) == (KASI["nip"], "Kasi", "KABID")
    assert (kabid.origin.jabatan_id, kabid.origin.nama_jabatan) == ("SEKSI1", "Kepala Seksi Satu")
    assert kabid.kind == "promosi"
    assert kabid.fit == 83.5 and kabid.penalty == 3.0
    assert kabid.components == {
        "kinerja": 80.0,
        "potensi": 90.0,
        "keilmuan": 100.0,
        "pengalaman": 74.9,
    }
    assert kabid.weighted == {
        "kinerja": 32.0,
        "potensi": 27.0,
        "keilmuan": 20.0,
        "pengalaman": 7.49,
    }
    assert kabid.soft_rules_failed == ["administrator.pelatihan"]
    assert set(kabid.rules_passed) == ADMINISTRATOR_HARD
    # Kasi has PKP, not PKA: appointed on 2026-07-01, PKA is due a year on.
    assert [o.text("id") for o in kabid.obligations] == ["wajib PKA paling lambat 2027-07-01"]
    assert kabid.pinned is False and kabid.missing_data == []
    assert kabid.arc_score == 1232  # the solver's tenths: see the module's docstring
    # Staf holds no structural post: her origin is her jenis jabatan and unit.
    assert (seksi.nip, seksi.to.jabatan_id) == (STAF["nip"], "SEKSI1")
    assert seksi.origin.jabatan_id is None
    assert (seksi.origin.nama_jabatan, seksi.origin.jenis_jabatan) == ("Pelaksana", "Pelaksana")
    assert seksi.origin.unit == STAF["unit"]
    assert seksi.kind == "dari luar jabatan struktural"
    assert seksi.fit == 56.0 and seksi.penalty == 0.0 and seksi.soft_rules_failed == []
    assert seksi.arc_score == 540 and seksi.missing_data == []
    assert seksi.components == {
        "kinerja": 80.0,
        "potensi": 80.0,
        "keilmuan": 0.0,
        "pengalaman": 0.0,
    }


def test_a_move_at_the_same_level_is_a_rotation(tiny_round):
    # Lateral moves allowed, and Kasi Dua's seksi is opened by name: Kasi Dua
    # cannot stay, and the only post left for a Pengawas is the vacant seksi.
    posts = [
        post("SEKSI1", eselon="IV.a", jenis_jabatan="Pengawas", nama_jabatan="Kepala Seksi Satu"),
        post(
            "SEKSI2",
            eselon="IV.a",
            jenis_jabatan="Pengawas",
            nip_pemangku=KASI2["nip"],
            nama_jabatan="Kepala Seksi Dua",
        ),
    ]
    extra = "  posts: [SEKSI2]\nmoves: {promotion: true, lateral: true}"
    # Only the golongan rules: Kasi Dua has no history, so no years as Pelaksana
    # for the Pengawas experience rule.
    golongan = (ROOT / "rules/golongan.yaml").read_text(encoding="utf-8")
    record = build_plan(tiny_round([KASI2], posts, golongan, extra=extra)).record
    (move,) = record.placements
    assert (move.to.jabatan_id, move.origin.jabatan_id, move.kind) == ("SEKSI1", "SEKSI2", "rotasi")
    (left,) = record.unfilled
    assert (left.post.jabatan_id, left.opened_by) == ("SEKSI2", "named")
    assert record.summary.promotions == 0 and record.summary.moves == 1
    assert record.summary.women_share == 0.0 and record.summary.field_match_rate == 100.0


def test_the_chain_runs_from_the_vacant_post_to_the_mover_from_outside(plan):
    (chain,) = plan.chains
    assert (chain.start, chain.length, chain.end) == ("KABID", 2, "outside")
    steps = [(s.post.jabatan_id, s.filled_by.nip, s.from_jabatan_id) for s in chain.steps]
    assert steps == [("KABID", KASI["nip"], "SEKSI1"), ("SEKSI1", STAF["nip"], None)]


def test_the_post_nobody_may_take_is_unfilled_with_the_rules_that_excluded_them(plan):
    (u,) = plan.unfilled
    assert (u.post.jabatan_id, u.post.nama_jabatan) == ("KADIS", "Kepala Dinas")
    assert u.opened_by == "vacant" and u.reason == "no_eligible_person"
    # The round has no history file, so nobody's years as Administrator are known
    # (issue 14, item 5): all three are UNKNOWN on that rule, and excluded by it
    # as the default unknown policy ("fail") says.
    assert (u.eligible, u.unknown) == (0, 3)
    assert u.eligible_placed_elsewhere == []
    # All three may move up to a JPT post; none has known years as Administrator
    # or the IV/b of eselon II.a. Most people first, then by rule id (the
    # golongan rule comes after the JPT rules in the rule files).
    assert u.considered == 3
    # Experience in related fields (issue 14, item 7): both Kasi have held their
    # Teknik Sipil seksi since 2019-01-02, 89 complete months in the field of KADIS
    # (Teknik Sipil): they pass; Staf holds no post, so the field of her only post on
    # record is unknown: UNKNOWN, excluded.
    counts = [(e.rule, e.people) for e in u.excluded_by]
    assert counts == [
        ("eselon-2a.golongan", 3),
        ("jpt-pratama.pengalaman", 3),
        ("jpt-pratama.pengalaman-bidang", 1),
    ]


def test_summary_counts_every_figure_of_the_round(plan):
    s = plan.summary
    assert (s.posts, s.posts_opened, s.posts_vacated_by_moves) == (4, 2, 1)
    assert (s.posts_filled, s.posts_unfilled) == (2, 1)
    assert (s.moves, s.promotions, s.from_outside, s.stays) == (2, 1, 1, 1)
    assert (s.leaving_at_bup, s.chains, s.longest_chain) == (0, 1, 2)
    assert s.mean_fit == 69.8  # (83.5 + 56.0) / 2 = 69.75, to one decimal
    assert s.field_match_rate == 50.0  # Kasi's keilmuan is 100, Staf's 0
    assert s.women_share == 50.0  # Staf is one of the two movers


def test_the_objective_adds_up_from_its_weighted_parts(plan):
    o = plan.objective
    # kinerja: 32 x 1.5 (KABID) + 32 (Staf) + 32 (Kasi Dua); potensi: 27 x 1.5 + 24 + 18;
    # keilmuan: 20 x 1.5 + 0 + 20; pengalaman: 7.49 x 1.5 + 0 + 7.49.
    assert o.components == {
        "kinerja": 112.0,
        "potensi": 82.5,
        "keilmuan": 50.0,
        "pengalaman": 18.7,
    }
    assert o.soft_penalties == -4.5  # Kasi's 3 points at KABID, times 1.5
    assert o.stability_bonus == 5.0  # one stay
    assert o.move_penalty == -4.0  # two moves
    assert o.value == 259.7
    assert o.bound == 259.7 and o.gap == 0.0


def test_shortlists_put_the_chosen_first_and_price_the_others(plan):
    assert set(plan.shortlists) == {"KABID", "KADIS", "SEKSI1"}
    assert plan.shortlist_prices == "exact"
    kabid = [(e.rank, e.nip, e.fit, e.price, e.chosen) for e in plan.shortlists["KABID"]]
    assert kabid == [(1, KASI["nip"], 83.5, 0.0, True), (2, KASI2["nip"], 74.5, 4.4, False)]
    assert plan.shortlists["KADIS"] == []
    seksi = [(e.rank, e.nip, e.fit, e.price, e.chosen) for e in plan.shortlists["SEKSI1"]]
    assert seksi == [(1, STAF["nip"], 56.0, 0.0, True), (2, KASI["nip"], 86.5, 4.4, False)]


def test_rule_exclusions_sum_over_the_posts_open_in_the_plan(plan):
    # Open in the plan: KADIS (3, 3 and 1, above), KABID (Staf has no years as
    # Pengawas: administrator.pengalaman 1) and SEKSI1 (only Staf is considered,
    # a lateral move being off, and she passes). SEKSI2 is not open.
    assert plan.rule_exclusions == {
        "administrator.pengalaman": 1,
        "eselon-2a.golongan": 3,
        "jpt-pratama.pengalaman": 3,
        "jpt-pratama.pengalaman-bidang": 1,
    }


def test_baselines_say_what_the_optimum_gains(plan):
    for name in ("greedy", "cascade"):
        b = plan.baselines[name]
        assert b.status == "FEASIBLE"
        # Both heuristics find the optimum here: KABID, SEKSI1 and SEKSI2 held.
        assert b.objective == 259.7 and b.posts_filled == 3
        assert b.gain_of_optimum == pytest.approx(plan.objective.value - b.objective, abs=0.1)
        assert b.gain_of_optimum >= 0


def test_no_constraint_no_decision_and_the_manifest_records_the_settings(plan):
    assert plan.constraints == [] and plan.decisions == []
    m = plan.manifest
    assert m.settings.stability_bonus == 5 and m.settings.move_penalty == 2
    assert m.settings.post_weights["Administrator"] == 1.5
    assert m.settings.pins == [] and m.settings.bans == []
    assert m.regime == "Kepka BKN 411/2025"
    assert set(m.rules_in_force) >= ADMINISTRATOR_HARD
    assert m.rules["administrator.pelatihan"].hard is False
    assert m.rules["administrator.pelatihan"].penalty == 3
    # The terms as applied (a selector is a list): no defaults, no other kinds.
    pendidikan = m.rules["administrator.pendidikan"]
    assert pendidikan.applies_to == {"jenis_jabatan": ["Administrator"]}
    assert pendidikan.require == {"pendidikan": {"min": "S1"}}
    assert m.scenario.name == "Tiny test round" and m.scenario.date == "2026-07-01"


def test_two_incumbents_who_swap_posts_are_a_rotation(tiny_round):
    # Lateral moves allowed, golongan rules only. Each holds a post of the other's
    # field: Teknik Sipil in a Hukum post and Ilmu Hukum in a Teknik Sipil post.
    # Staying is worth the fit with keilmuan 0 plus 5; moving the fit with
    # keilmuan 100 (20 points more) less 2: each gains 13 by swapping.
    # Also a vacant Manajemen post, A_SEKSI, that a Pelaksana with S1 Akuntansi (the
    # same family: keilmuan 60) takes from outside: 32 + 22.5 + 12 - 2 = 64.5,
    # where either Kepala Seksi would score 62 - 2 = 60 and leave their post.
    sipil = person(1, nama="Sipil")
    hukum = person(2, nama="Hukum", jurusan="Ilmu Hukum", tanggal_lahir="1976-01-01")
    staf = person(3, nama="Staf", jenis_jabatan="Pelaksana", golongan="III/c", jurusan="Akuntansi")
    # Hukum (person 0) holds P_SIPIL (post 0): indices 0 tell "held" from "none".
    posts = [
        post("P_SIPIL", eselon="IV.a", jenis_jabatan="Pengawas", nip_pemangku=hukum["nip"]),
        post(
            "P_HUKUM",
            eselon="IV.a",
            jenis_jabatan="Pengawas",
            nip_pemangku=sipil["nip"],
            bidang="Hukum",
        ),
        post("A_SEKSI", eselon="IV.a", jenis_jabatan="Pengawas", bidang="Manajemen"),
    ]
    golongan = (ROOT / "rules/golongan.yaml").read_text(encoding="utf-8")
    extra = "moves: {promotion: true, lateral: true}"
    record = build_plan(tiny_round([hukum, sipil, staf], posts, golongan, extra=extra)).record
    assert [(p.to.jabatan_id, p.nama, p.origin.jabatan_id, p.kind) for p in record.placements] == [
        ("A_SEKSI", "Staf", None, "dari luar jabatan struktural"),
        ("P_HUKUM", "Hukum", "P_SIPIL", "rotasi"),
        ("P_SIPIL", "Sipil", "P_HUKUM", "rotasi"),
    ]
    # The vacancy's chain first, then the rotation (which no open post starts).
    outside, rotation = record.chains
    assert (outside.start, outside.length, outside.end) == ("A_SEKSI", 1, "outside")
    assert (rotation.start, rotation.length, rotation.end) == ("P_HUKUM", 2, "cycle")
    steps = [(s.post.jabatan_id, s.filled_by.nama, s.from_jabatan_id) for s in rotation.steps]
    assert steps == [("P_HUKUM", "Hukum", "P_SIPIL"), ("P_SIPIL", "Sipil", "P_HUKUM")]
    s = record.summary
    assert (s.posts_opened, s.posts_vacated_by_moves, s.posts_filled, s.posts_unfilled) == (
        1,
        2,
        3,
        0,
    )
    assert (s.moves, s.promotions, s.from_outside, s.stays) == (3, 0, 1, 0)
    assert (s.chains, s.longest_chain) == (2, 2)
    # Keilmuan 100, 100 and 60: a family match counts (60 or more).
    assert s.field_match_rate == 100.0
    assert record.objective.stability_bonus == 0.0 and record.objective.move_penalty == -6.0


def test_a_chain_ends_at_the_post_nobody_takes(tiny_round):
    # The Kepala Bidang retires (58 on 2026-06-15, before the cut-off); the Kepala
    # Seksi takes KABID and nobody may take the seksi left behind.
    old = person(1, tanggal_lahir="1968-06-15", jenis_jabatan="Administrator")
    kasi = person(2, nama="Kasi")
    posts = [
        post("KABID", nip_pemangku=old["nip"]),
        post("SEKSI", eselon="IV.a", jenis_jabatan="Pengawas", nip_pemangku=kasi["nip"]),
    ]
    extra = "  retiring_before: 2026-08-01"
    record = build_plan(tiny_round([old, kasi], posts, RULES, extra=extra)).record
    (chain,) = record.chains
    assert (chain.start, chain.length, chain.end) == ("KABID", 1, "unfilled")
    steps = [
        (s.post.jabatan_id, s.filled_by and s.filled_by.nama, s.from_jabatan_id)
        for s in chain.steps
    ]
    assert steps == [("KABID", "Kasi", "SEKSI"), ("SEKSI", None, None)]
    assert record.summary.leaving_at_bup == 1


def test_a_post_opened_by_name_whose_holder_moves_on_ends_a_chain_in_a_cycle(tiny_round):
    # SEKSI_X is opened by name: its holder may not stay. Lateral moves are on
    # and Pengawas posts are filled first: the holder of SEKSI_Y takes SEKSI_X
    # and SEKSI_X's holder takes SEKSI_Y, which brings the chain back to its start.
    x = person(1, nama="Pemangku X")
    y = person(2, nama="Pemangku Y", tanggal_lahir="1976-01-01")
    posts = [
        post("SEKSI_X", eselon="IV.a", jenis_jabatan="Pengawas", nip_pemangku=x["nip"]),
        post("SEKSI_Y", eselon="IV.a", jenis_jabatan="Pengawas", nip_pemangku=y["nip"]),
    ]
    golongan = (ROOT / "rules/golongan.yaml").read_text(encoding="utf-8")
    extra = "  posts: [SEKSI_X]\nmoves: {promotion: true, lateral: true}"
    record = build_plan(tiny_round([x, y], posts, golongan, extra=extra)).record
    (chain,) = record.chains
    assert (chain.start, chain.length, chain.end) == ("SEKSI_X", 2, "cycle")
    steps = [(s.post.jabatan_id, s.filled_by.nama, s.from_jabatan_id) for s in chain.steps]
    assert steps == [("SEKSI_X", "Pemangku Y", "SEKSI_Y"), ("SEKSI_Y", "Pemangku X", "SEKSI_X")]


def test_an_unfilled_post_lists_ten_of_its_eligible_people_and_where_they_are(tiny_round):
    # Eleven Kepala Seksi, each eligible for a vacant Hukum post, fill priority
    # none: each is worth 82.0 + 5 staying and (59.0 x 1.5) - 2 = 86.5 at KABID
    # (keilmuan 0, and 3 points for PKA), so all stay and KABID stays empty.
    people = [person(k + 1, nama=f"Kasi {k:02d}") for k in range(11)]
    posts = [
        post(f"SEKSI_{k:02d}", eselon="IV.a", jenis_jabatan="Pengawas", nip_pemangku=p["nip"])
        for k, p in enumerate(people)
    ] + [post("KABID", bidang="Hukum")]
    extra = "fill_priority: none"
    record = build_plan(tiny_round(people, posts, RULES, extra=extra)).record
    assert record.placements == [] and record.chains == []
    (u,) = record.unfilled
    assert (u.post.jabatan_id, u.considered, u.eligible, u.reason) == (
        "KABID",
        11,
        11,
        "eligible_placed_elsewhere",
    )
    assert [(e.nama, e.placed_at) for e in u.eligible_placed_elsewhere] == [
        (f"Kasi {k:02d}", f"SEKSI_{k:02d}") for k in range(10)
    ]
    s = record.summary
    assert (s.posts_opened, s.posts_filled, s.posts_unfilled, s.stays) == (1, 0, 1, 11)
    assert (s.moves, s.chains, s.longest_chain) == (0, 0, 0)
    assert (s.mean_fit, s.field_match_rate, s.women_share) == (None, None, None)


def test_a_pin_costs_what_the_hand_worked_prices_say(tiny_round):
    # Kasi Dua pinned to KABID: the plan worked out above at 2553 tenths
    # against the optimum's 2597, a price of 4.4; Kasi then stays and Staf
    # takes the seksi Kasi Dua leaves.
    # A rule change that changes nothing here (nobody has two years as
    # Administrator): recorded as the scenario states it.
    extra = (
        f"pins:\n  - {{nip: '{KASI2['nip']}', jabatan_id: KABID}}\n"
        "changes:\n  - rule: jpt-pratama.usia\n    require: {usia: {max: 58}}"
    )
    record = build_plan(tiny_round([STAF, KASI, KASI2], POSTS, RULES, extra=extra)).record
    assert record.objective.value == 255.3
    (decision,) = record.decisions
    assert (decision.kind, decision.nip, decision.jabatan_id, decision.price) == (
        "pin",
        KASI2["nip"],
        "KABID",
        4.4,
    )
    moved = {m.nama: (m.with_decision, m.without_decision) for m in decision.displaced}
    assert moved == {
        "Staf": ("SEKSI2", "SEKSI1"),
        "Kasi": (None, "KABID"),
        "Kasi Dua": ("KABID", None),
    }
    assert record.manifest.settings.pins == [Pair(nip=KASI2["nip"], jabatan_id="KABID")]
    assert record.manifest.rule_changes == [
        {"rule": "jpt-pratama.usia", "remove": False, "require": {"usia": {"max": 58}}}
    ]


def test_the_manifest_names_each_settings_file_its_versions_and_no_pseudonyms(plan):
    m = plan.manifest
    # The round names no talent-box file: no talent_box entry. The weights in
    # force on 2026-07-01 are those of Kepka BKN 411/2025 (rules/bobot.yaml), the
    # BUP version of UU 20/2023 (rules/bup.yaml); rules/kesetaraan.yaml holds three
    # equivalences (pendidikan, jenjang, skp_angka). None of the demo files is verified.
    names = [s.setting for s in m.settings_sources]
    assert names == [
        "weights",
        "taxonomy",
        "bup",
        "rank_progression",
        "equivalences.pendidikan",
        "equivalences.jenjang",
        "equivalences.skp_angka",
    ]
    assert m.settings_sources[0].source.startswith("Keputusan Kepala BKN 411/2025")
    assert m.settings_sources[2].source.startswith("UU 20/2023")
    assert not any(s.verified for s in m.settings_sources)
    assert m.talent_regime is None and m.missing_assessment == "neutral"
    assert m.pseudonymised is False
    assert set(m.versions) == {
        "python",
        "talenta",
        "ortools",
        "pandas",
        "numpy",
        "networkx",
        "pyyaml",
        "pydantic",
    }
    assert m.scenario.file == "scenario.yaml" and m.scenario.path.endswith("/scenario.yaml")
    assert m.solver.status == plan.status == "OPTIMAL"


def test_the_outcome_says_who_holds_each_post_and_minus_one_for_nobody(solved):
    # People in file order: Staf 0, Kasi 1, Kasi Dua 2; posts: SEKSI1 0, KADIS 1,
    # KABID 2, SEKSI2 3. The optimum (the module's docstring): Kasi to KABID,
    # Staf to SEKSI1, Kasi Dua stays in SEKSI2, nobody in KADIS.
    _, out = solved
    assert out.occupant.tolist() == [0, -1, 1, 2]
    assert out.placed_at.tolist() == [0, 2, 3]
    assert sorted(out.moves) == [(0, 0), (1, 2)]
    # SEKSI1 is left by Kasi; KADIS and KABID were vacant before the solve.
    assert out.vacated.tolist() == [True, False, False, False]
    assert out.open_in_plan.tolist() == [True, True, True, False]
    # Its views are cached: the solved round under them cannot be swapped.
    with pytest.raises(FrozenInstanceError):
        out.solution = out.solution


def test_assemble_gives_the_evidence_by_default_and_records_the_pseudonym_key(solved):
    plan, out = solved
    # The same solved round assembled again, the key's origin given by name.
    again = assemble(out, pseudonymised="random key")
    assert again.manifest.pseudonymised == "random key"
    assert again.shortlist_prices == "exact"
    assert again.shortlists == plan.shortlists and set(again.baselines) == {"greedy", "cascade"}


def test_a_package_that_is_not_installed_is_named_so_in_the_versions(monkeypatch):
    real = metadata.version

    def version(dist: str) -> str:
        if dist == "networkx":
            raise metadata.PackageNotFoundError(dist)
        return real(dist)

    monkeypatch.setattr(metadata, "version", version)
    found = versions()
    assert found["networkx"] == "not installed"
    assert found["numpy"] == np.__version__


def test_a_round_assembled_without_evidence_has_no_shortlists_and_no_baselines(tiny_round):
    # The same round as the module's: the same placements, chains and unfilled
    # post, but neither priced shortlists nor baselines (a horizon's later years).
    path = tiny_round([STAF, KASI, KASI2], POSTS, RULES)
    record = plan_round(load_context(path), evidence=False).record
    assert [(p.nama, p.to.jabatan_id) for p in record.placements] == [
        ("Kasi", "KABID"),
        ("Staf", "SEKSI1"),
    ]
    assert [u.post.jabatan_id for u in record.unfilled] == ["KADIS"]
    assert record.shortlists == {} and record.shortlist_prices == "not computed"
    assert record.baselines == {}
    assert record.objective.value == 259.7


def test_a_fit_made_without_an_assessment_says_so(tiny_round):
    # One vacant Administrator post KABID (Teknik Sipil), no rules, two Pengawas
    # since 2006-07-01 (20 years: pengalaman 100) with S1 Teknik Sipil (keilmuan
    # 100). A: SKP Baik twice (kinerja 80), JPM 75. B: SKP Sangat Baik twice (100)
    # and no JPM nor kompetensi: potensi is missing, counted neutral (the median
    # of those assessed, A's 75). A: 0.4 x 80 + 0.3 x 75 + 20 + 10 = 84.5;
    # B: 40 + 22.5 + 20 + 10 = 92.5: B is placed, and B's fit is flagged.
    a = person(1, tmt_jabatan="2006-07-01", jpm="75", kompetensi="")
    b = person(
        2,
        tmt_jabatan="2006-07-01",
        skp_2024="Sangat Baik",
        skp_2025="Sangat Baik",
        jpm="",
        kompetensi="",
    )
    record = build_plan(tiny_round([a, b], [post("KABID")], "[]\n")).record
    (p,) = record.placements
    assert (p.nip, p.fit, p.missing_data) == (b["nip"], 92.5, ["potensi"])
    got = [(e.nip, e.fit, e.missing_data) for e in record.shortlists["KABID"]]
    assert got == [(b["nip"], 92.5, ["potensi"]), (a["nip"], 84.5, [])]


def test_each_shortlist_entry_carries_its_own_missing_data_whatever_its_rank(tiny_round):
    # The round above with a third Pengawas, C: Baik twice (kinerja 80), JPM 65.
    # Potensi counted neutral for B is the median of those assessed (A's 75 and
    # C's 65): 70. A: 32 + 22.5 + 20 + 10 = 84.5; C: 32 + 19.5 + 30 = 81.5;
    # B: 40 + 21 + 30 = 91.0, placed. In the file A, C, B: the shortlist (B
    # chosen, then A and C by price) is the third, the first and the second.
    a = person(1, tmt_jabatan="2006-07-01", jpm="75", kompetensi="")
    b = person(
        2,
        tmt_jabatan="2006-07-01",
        skp_2024="Sangat Baik",
        skp_2025="Sangat Baik",
        jpm="",
        kompetensi="",
    )
    c = person(3, tmt_jabatan="2006-07-01", jpm="65", kompetensi="")
    record = build_plan(tiny_round([a, c, b], [post("KABID")], "[]\n")).record
    got = [(e.rank, e.nip, e.fit, e.missing_data) for e in record.shortlists["KABID"]]
    assert got == [
        (1, b["nip"], 91.0, ["potensi"]),
        (2, a["nip"], 84.5, []),
        (3, c["nip"], 81.5, []),
    ]


def test_a_post_whose_holder_retires_and_nobody_may_take_is_opened_by_retirement(tiny_round):
    # The Kepala Bidang retires (58 on 2026-06-15, before the cut-off) and
    # nobody else is in the round: KABID is open, and nobody is left to take it,
    # nor the vacant A_KABID. Unfilled posts are listed by jabatan_id (A_KABID
    # first), not in the file's order (KABID first).
    old = person(1, tanggal_lahir="1968-06-15", jenis_jabatan="Administrator")
    posts = [post("KABID", nip_pemangku=old["nip"]), post("A_KABID")]
    extra = "  retiring_before: 2026-08-01"
    record = build_plan(tiny_round([old], posts, extra=extra)).record
    got = [(u.post.jabatan_id, u.opened_by, u.reason, u.eligible) for u in record.unfilled]
    assert got == [
        ("A_KABID", "vacant", "no_eligible_person", 0),
        ("KABID", "retirement", "no_eligible_person", 0),
    ]
    s = record.summary
    assert (s.posts_opened, s.leaving_at_bup, s.posts_unfilled, s.moves) == (2, 1, 2, 0)


def test_an_eligible_person_left_unplaced_is_placed_nowhere(tiny_round):
    # Staf (a Pelaksana, III/c: eligible for a IV.a post by the golongan rules)
    # would score 32 + 24 = 56 at the vacant seksi (keilmuan and pengalaman 0,
    # as above). With fit only (fill_priority none) and a move costing 60 points,
    # taking the seksi is worth 56 - 60 = -4: she is left where she is, and the
    # seksi unfilled beside her. Forcing her in costs 560 - 600 = -40 tenths
    # against the empty plan's 0: a price of 4.0.
    seksi = post("SEKSI", eselon="IV.a", jenis_jabatan="Pengawas")
    golongan = (ROOT / "rules/golongan.yaml").read_text(encoding="utf-8")
    extra = "fill_priority: none\nmove_penalty: 60"
    record, out = solve(tiny_round([STAF], [seksi], golongan, extra=extra))
    assert record.placements == [] and record.chains == []
    assert out.placed_at.tolist() == [-1] and out.occupant.tolist() == [-1]
    (u,) = record.unfilled
    assert (u.opened_by, u.considered, u.eligible, u.reason) == (
        "vacant",
        1,
        1,
        "eligible_placed_elsewhere",
    )
    assert [(e.nama, e.placed_at) for e in u.eligible_placed_elsewhere] == [("Staf", None)]
    shortlist = [(e.rank, e.nama, e.fit, e.price, e.chosen) for e in record.shortlists["SEKSI"]]
    assert shortlist == [(1, "Staf", 56.0, 4.0, False)]
    assert record.objective.value == 0.0 and record.objective.move_penalty == 0.0


def test_baselines_that_miss_the_optimum_say_by_how_much(tiny_round):
    # Two vacant seksi, fit only (fill_priority none), golongan rules only. SEKSI_B
    # (IV.b, Teknik Sipil: golongan III/a at least) comes first in the file,
    # SEKSI_A (IV.a, Hukum: III/b at least) second. Two Pelaksana from outside
    # (Baik twice: kinerja 32; keilmuan and pengalaman as for Staf above):
    # Ahli (III/c, S1 Teknik Sipil, JPM 90): 32 + 27 + 20 = 79 at SEKSI_B, 59 at
    # SEKSI_A (Hukum: keilmuan 0); Baru (III/a, JPM 75) may take only SEKSI_B:
    # 32 + 22.5 + 20 = 74.5. Less 2 for the move, in tenths: 770, 570 and 725.
    # The optimum: Ahli at SEKSI_A and Baru at SEKSI_B, 570 + 725 = 1295.
    # Greedy takes the highest arc first (Ahli at SEKSI_B, 770) and Baru is left
    # without a post; the cascade fills SEKSI_B first (index order) with its best
    # candidate, Ahli, and SEKSI_A has nobody left: both 77.0, 52.5 below.
    ahli = person(4, nama="Ahli", jenis_jabatan="Pelaksana", golongan="III/c", jpm="90")
    baru = person(5, nama="Baru", jenis_jabatan="Pelaksana", golongan="III/a", jpm="75")
    posts = [
        post("SEKSI_B", eselon="IV.b", jenis_jabatan="Pengawas"),
        post("SEKSI_A", eselon="IV.a", jenis_jabatan="Pengawas", bidang="Hukum"),
    ]
    golongan = (ROOT / "rules/golongan.yaml").read_text(encoding="utf-8")
    record = build_plan(tiny_round([ahli, baru], posts, golongan, extra="fill_priority: none"))
    record = record.record
    assert [(p.nama, p.to.jabatan_id, p.fit) for p in record.placements] == [
        ("Ahli", "SEKSI_A", 59.0),
        ("Baru", "SEKSI_B", 74.5),
    ]
    assert record.objective.value == 129.5
    for name in ("greedy", "cascade"):
        b = record.baselines[name]
        assert (b.objective, b.gain_of_optimum, b.posts_filled) == (77.0, 52.5, 1)


def test_a_field_match_is_a_keilmuan_of_60_or_more_whatever_the_weights_file_gives(
    tiny_round, tmp_path
):
    # A weights file whose family match is worth 59.5, not 60: a Pelaksana with
    # S1 Akuntansi taking a vacant Manajemen seksi (the same family) scores
    # keilmuan 59.5, which is not a field match: a rate of 0 %.
    text = (ROOT / "rules/bobot.yaml").read_text(encoding="utf-8")
    (tmp_path / "bobot.yaml").write_text(
        text.replace("family: 60,", "family: 59.5,"), encoding="utf-8"
    )
    staf = person(3, nama="Staf", jenis_jabatan="Pelaksana", golongan="III/c", jurusan="Akuntansi")
    seksi = post("SEKSI", eselon="IV.a", jenis_jabatan="Pengawas", bidang="Manajemen")
    golongan = (ROOT / "rules/golongan.yaml").read_text(encoding="utf-8")
    path = tiny_round([staf], [seksi], golongan)
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            f"weights: {ROOT}/rules/bobot.yaml", "weights: bobot.yaml"
        ),
        encoding="utf-8",
    )
    record = build_plan(path).record
    (p,) = record.placements
    assert (p.nama, p.components["keilmuan"]) == ("Staf", 59.5)
    assert record.summary.field_match_rate == 0.0


def test_a_shortlist_orders_names_of_equal_price_by_fit(tiny_round):
    # Three vacant seksi alike in every way (IV.a, Teknik Sipil), golongan rules
    # only, and three Pelaksana from outside (keilmuan and pengalaman as for Staf
    # above): Ahli (S1 Teknik Sipil, JPM 90) 32 + 27 + 20 = 79, Baru (Teknik Sipil,
    # JPM 80) 76, Hakim (Ilmu Hukum, JPM 80) 32 + 24 = 56. Every plan that places
    # all three is as good as any other, so at each seksi the two not placed there
    # are priced 0 (an equally good plan swaps them in): after the one placed
    # there, they come by fit, the higher first.
    people = [
        person(
            4,
            nama="Hakim",
            jenis_jabatan="Pelaksana",
            golongan="III/c",
            jurusan="Ilmu Hukum",
            jpm="80",
        ),
        person(5, nama="Baru", jenis_jabatan="Pelaksana", golongan="III/c", jpm="80"),
        person(6, nama="Ahli", jenis_jabatan="Pelaksana", golongan="III/c", jpm="90"),
    ]
    posts = [post(f"SEKSI_{k}", eselon="IV.a", jenis_jabatan="Pengawas") for k in (1, 2, 3)]
    golongan = (ROOT / "rules/golongan.yaml").read_text(encoding="utf-8")
    record = build_plan(tiny_round(people, posts, golongan)).record
    fits = {"Ahli": 79.0, "Baru": 76.0, "Hakim": 56.0}
    placed = {p.to.jabatan_id: p.nama for p in record.placements}
    assert sorted(placed.values()) == ["Ahli", "Baru", "Hakim"]
    for jabatan_id, holder in placed.items():
        others = sorted((n for n in fits if n != holder), key=lambda n: -fits[n])
        got = [(e.nama, e.fit, e.price, e.chosen) for e in record.shortlists[jabatan_id]]
        assert got == [(holder, fits[holder], 0.0, True)] + [
            (n, fits[n], 0.0, False) for n in others
        ]


def test_a_womens_share_costs_what_the_hand_worked_fits_say(tiny_round):
    # One vacant seksi (IV.a, Teknik Sipil), golongan rules only, fit only, and two
    # Pelaksana from outside: Ahli (S1 Teknik Sipil, JPM 90) 32 + 27 + 20 = 79;
    # Wati, a woman (S1 Ilmu Hukum, JPM 75) 32 + 22.5 = 54.5. Less 2 for the move,
    # in tenths: 770 and 525. Every placement into a Pengawas post must be a
    # woman's: Wati is placed, and the constraint costs 770 - 525 = 245, 24.5
    # (not a whole number of fit points). The shortlist is then priced without
    # the constraint, and says so: Wati, placed, costs 24.5 there; Ahli nothing.
    ahli = person(4, nama="Ahli", jenis_jabatan="Pelaksana", golongan="III/c", jpm="90")
    wati = person(
        5,
        nama="Wati",
        jenis_jabatan="Pelaksana",
        golongan="III/c",
        jurusan="Ilmu Hukum",
        jenis_kelamin="P",
        tanggal_lahir="1985-01-01",
    )
    seksi = post("SEKSI", eselon="IV.a", jenis_jabatan="Pengawas")
    golongan = (ROOT / "rules/golongan.yaml").read_text(encoding="utf-8")
    extra = (
        "fill_priority: none\n"
        "constraints:\n  min_women_share: [{jenis_jabatan: Pengawas, share: 1.0}]"
    )
    record = build_plan(tiny_round([ahli, wati], [seksi], golongan, extra=extra)).record
    assert [(p.nama, p.fit) for p in record.placements] == [("Wati", 54.5)]
    assert record.objective.value == 52.5
    (constraint,) = record.constraints
    assert constraint.price == 24.5
    assert record.shortlist_prices == "without side constraints"
    got = [(e.nama, e.fit, e.price, e.chosen) for e in record.shortlists["SEKSI"]]
    assert got == [("Wati", 54.5, 24.5, True), ("Ahli", 79.0, 0.0, False)]
    assert record.summary.women_share == 100.0
    # Greedy (the highest arc first) and the cascade (the seksi's best candidate)
    # both place Ahli, which the share forbids: neither has a plan, and both say so.
    for name in ("greedy", "cascade"):
        b = record.baselines[name]
        assert (b.objective, b.gain_of_optimum, b.status) == (None, None, "UNKNOWN")


COSTS = st.lists(
    st.sampled_from([0.0, 0.0, 1.0, 2.5, 2.5, 7.0, np.inf, np.nan]), min_size=0, max_size=40
)


@settings(max_examples=300, deadline=None)
@given(COSTS, st.data(), st.integers(min_value=1, max_value=6))
def test_the_shortlists_first_names_are_found_among_the_nearest_candidates(costs, data, size):
    """Sorting only ``nearest``'s candidates gives the first ``size`` names that
    sorting every candidate gives (ties of cost, infinite and missing prices,
    the chosen anywhere, a fit that orders the ties)."""
    cost = np.array(costs, dtype=np.float64)
    n = len(cost)
    chosen = np.zeros(n, dtype=bool)
    if n and data.draw(st.booleans()):
        chosen[data.draw(st.integers(min_value=0, max_value=n - 1))] = True
    fit = np.array(data.draw(st.lists(st.sampled_from([50.0, 60.0, 70.0]), min_size=n, max_size=n)))
    persons = np.array(data.draw(st.permutations(range(n))), dtype=np.int64)
    every = np.lexsort((persons, -fit, cost, ~chosen))[:size]
    near = nearest(cost, chosen, size)
    assert np.all(np.diff(near) > 0)
    got = near[np.lexsort((persons[near], -fit[near], cost[near], ~chosen[near]))][:size]
    assert got.tolist() == every.tolist()


def test_nearest_keeps_the_chosen_and_the_least_costs_only():
    # Costs 5, 1, 3, 0, 9, 1 and two names: the second least cost is 1, so the
    # candidates at 1, 3 and 5 (costs 1, 0, 1), and the chosen one at 4.
    cost = np.array([5.0, 1.0, 3.0, 0.0, 9.0, 1.0])
    chosen = np.array([False, False, False, False, True, False])
    assert nearest(cost, chosen, 2).tolist() == [1, 3, 4, 5]
    assert nearest(cost, chosen, 6).tolist() == [0, 1, 2, 3, 4, 5]
    assert nearest(np.array([np.nan, 1.0, np.nan]), np.zeros(3, bool), 2).tolist() == [0, 1, 2]
    # Costs all different, 4, 7, 0, 1, 9, and two names: the bound is the second
    # least, 1, not the third (4) nor any cost above it: the candidates at 2 and 3
    # (costs 0 and 1), and the chosen one at 4.
    distinct = np.array([4.0, 7.0, 0.0, 1.0, 9.0])
    chosen = np.array([False, False, False, False, True])
    assert nearest(distinct, chosen, 2).tolist() == [2, 3, 4]
    assert nearest(distinct, np.zeros(5, bool), 3).tolist() == [0, 2, 3]
