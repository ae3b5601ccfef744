"""compare_plans on plan records written out by hand: every line and number worked out here.

No round is solved: each plan is a :class:`PlanRecord` built field by field,
so each test states the inputs that differ and the sentences a committee
must read, word for word. People and posts are synthetic.
"""

from __future__ import annotations

from typing import Any

import pytest

from engine.plan.compare import compare_plans
from engine.plan.records import (
    ConstraintPrice,
    Manifest,
    Objective,
    Pair,
    Placement,
    PlanRecord,
    PostRef,
    RuleTerms,
    ScenarioRef,
    ScenarioSettings,
    SolverInfo,
    Summary,
    Unfilled,
)

LABELS = {"kpi": {"moves": "Moves", "mean_fit": "Mean fit"}}

SUMMARY = {
    "posts": 10,
    "posts_opened": 4,
    "posts_vacated_by_moves": 1,
    "posts_filled": 3,
    "posts_unfilled": 2,
    "moves": 3,
    "promotions": 2,
    "from_outside": 0,
    "stays": 6,
    "leaving_at_bup": 1,
    "chains": 1,
    "longest_chain": 2,
    "mean_fit": 70.0,
    "field_match_rate": 50.0,
    "women_share": 33.3,
    "eligible_pairs": 12,
}

SETTINGS = {
    "date": "2026-07-01",
    "open": {"vacant": True, "retiring_before": None},
    "moves": {"promotion": True, "lateral": False},
    "component_weights": None,
    "fill_priority": "level",
    "post_weights": {"Pengawas": 1.0, "Administrator": 1.5},
    "stability_bonus": 5.0,
    "move_penalty": 2.0,
    "shortlist": 5,
    "unknown": "fail",
    "constraints": {},
    "pins": [],
    "bans": [],
}


def _post(jid: str, nama: str) -> PostRef:
    return PostRef(jabatan_id=jid, nama_jabatan=nama, jenis_jabatan="Administrator", unit="Dinas")


def _placement(nip: str, nama: str, jid: str, post_name: str, fit: float) -> Placement:
    return Placement(
        nip=nip,
        nama=nama,
        origin=PostRef(
            jabatan_id=None, nama_jabatan="Pelaksana", jenis_jabatan="Pelaksana", unit="Dinas"
        ),
        to=_post(jid, post_name),
        kind="promosi",
        fit=fit,
        components={},
        weighted={},
        penalty=0.0,
        soft_rules_failed=[],
        rules_passed=[],
        arc_score=int(fit * 10),
    )


def _unfilled(jid: str, post_name: str) -> Unfilled:
    return Unfilled(
        post=_post(jid, post_name),
        opened_by="vacant",
        considered=0,
        eligible=0,
        unknown=0,
        excluded_by=[],
        eligible_placed_elsewhere=[],
        reason="no_eligible_person",
    )


def _terms(**require: Any) -> RuleTerms:
    return RuleTerms(
        title="a rule",
        applies_to={"jenis_jabatan": "Administrator"},
        require=require,
        hard=True,
        penalty=None,
        source="a regulation",
    )


def plan(
    name: str,
    *,
    value: float = 100.0,
    summary: dict[str, Any] | None = None,
    settings: dict[str, Any] | None = None,
    regime: str = "default",
    placements: list[Placement] = (),
    unfilled: list[Unfilled] = (),
    rules: dict[str, RuleTerms | None] | None = None,
    rule_changes: list[dict[str, Any]] = (),
    rule_exclusions: dict[str, int] | None = None,
    rule_exclusions_people: dict[str, int] | None = None,
    constraints: list[ConstraintPrice] = (),
) -> PlanRecord:
    """One plan record; ``rules`` maps the rules in force to their terms (None: not recorded)."""
    rules = {"r.golongan": _terms(golongan={"min": "III/c"})} if rules is None else rules
    return PlanRecord(
        status="OPTIMAL",
        objective=Objective(
            value=value,
            bound=value,
            gap=0.0,
            components={},
            soft_penalties=0.0,
            stability_bonus=0.0,
            move_penalty=0.0,
            unit="fit points",
        ),
        summary=Summary(**(SUMMARY | (summary or {}))),
        baselines={},
        placements=list(placements),
        chains=[],
        unfilled=list(unfilled),
        shortlists={},
        shortlist_prices="exact",
        rule_exclusions=rule_exclusions or {},
        rule_exclusions_people=rule_exclusions_people,
        constraints=list(constraints),
        manifest=Manifest(
            schema_version="2",
            scenario=ScenarioRef(
                name=name, committee="Baperjakat", date="2026-07-01", file="s.yaml", path="s.yaml"
            ),
            inputs_sha256={},
            rules_in_force=sorted(rules),
            rule_changes=list(rule_changes),
            regime=regime,
            talent_regime=None,
            solver=SolverInfo(method="flow", status="OPTIMAL", message=""),
            versions={},
            settings=ScenarioSettings(**(SETTINGS | (settings or {}))),
            rules={k: v for k, v in rules.items() if v is not None},
        ),
    )


def test_fewer_than_two_plans_is_an_error_and_two_are_enough():
    with pytest.raises(ValueError, match="at least two plans"):
        compare_plans([plan("A")], LABELS, "en")
    c = compare_plans([plan("A"), plan("B")], LABELS, "en")
    assert c.names == ["A", "B"]
    # Identical inputs and effects: nothing to say.
    assert c.lines == [] and c.inputs == [] and c.posts == [] and c.rules == []


def test_each_kpi_that_differs_from_the_baseline_is_one_line_in_kpi_order():
    base = plan("A")
    b = plan("B", summary={"moves": 5, "mean_fit": None, "stays": 1})
    c3 = plan("C", summary={"promotions": 1})
    c = compare_plans([base, b, c3], LABELS, "en")
    # `stays` is not one of the compared KPIs; an unlabelled key is named by itself.
    assert c.lines == [
        "Moves: 3 in A becomes 5 in B.",
        "Mean fit: 70.0 in A becomes - in B.",
        "promotions: 2 in A becomes 1 in C.",
    ]
    kpis = dict(c.kpis)
    assert kpis["moves"] == [3, 5, 3] and kpis["promotions"] == [2, 2, 1]
    assert kpis["mean_fit"] == [70.0, None, 70.0]
    assert "stays" not in kpis and len(c.kpis) == 13


def test_the_objective_line_gives_the_signed_difference_on_one_scale():
    c = compare_plans([plan("A"), plan("B", value=112.5), plan("C", value=97.5)], LABELS, "en")
    assert c.objective == [100.0, 112.5, 97.5]
    assert c.comparable == [True, True, True]
    assert c.lines == [
        "Objective: 100.0 in A becomes 112.5 in B (+12.5).",
        "Objective: 100.0 in A becomes 97.5 in C (-2.5).",
    ]


def test_weights_and_regime_put_an_objective_on_another_scale_other_settings_do_not():
    base = plan("A")
    weights = plan(
        "W", value=90.0, settings={"post_weights": {"Pengawas": 2.0, "Administrator": 1.5}}
    )
    regime = plan("R", value=90.0, regime="2027")
    shortlist = plan("S", value=90.0, settings={"shortlist": 3})
    c = compare_plans([base, weights, regime, shortlist], LABELS, "en")
    assert c.scale_keys == [[], ["post_weights.Pengawas"], ["regime"], []]
    assert c.comparable == [True, False, False, True]
    objective_lines = [line for line in c.lines if "bjective" in line]
    assert objective_lines == [
        "The objectives of A (100.0) and W (90.0) are not comparable:"
        " their weights differ (post_weights.Pengawas).",
        "The objectives of A (100.0) and R (90.0) are not comparable: their weights differ (regime).",
        "Objective: 100.0 in A becomes 90.0 in S (-10.0).",
    ]
    assert c.as_dict()["objective_comparable"] == [True, False, False, True]


def test_settings_that_differ_are_named_by_dotted_key_each_plan_against_the_baseline():
    base = plan(
        "A", settings={"pins": [Pair(nip="2", jabatan_id="P1"), Pair(nip="1", jabatan_id="P2")]}
    )
    b = plan(
        "B",
        settings={
            "open": {"vacant": True, "retiring_before": "2026-09-01"},
            "pins": [Pair(nip="1", jabatan_id="P2"), Pair(nip="2", jabatan_id="P1")],
        },
    )
    c3 = plan(
        "C",
        settings={
            "pins": [Pair(nip="2", jabatan_id="P1"), Pair(nip="1", jabatan_id="P2")],
            "move_penalty": 3.0,
        },
    )
    c = compare_plans([base, b, c3], LABELS, "en")
    # The pins are the same pairs in another order: no difference.
    assert c.inputs == [
        {
            "kind": "setting",
            "key": "open.retiring_before",
            "plan": "B",
            "values": [None, "2026-09-01"],
        },
        {"kind": "setting", "key": "move_penalty", "plan": "C", "values": [2.0, 3.0]},
    ]
    assert c.lines[:2] == [
        "Input: open.retiring_before is - in A and 2026-09-01 in B.",
        "Input: move_penalty is 2.0 in A and 3.0 in C.",
    ]
    # A move penalty is a weight: C's objective is on another scale.
    assert c.scale_keys == [[], [], ["move_penalty"]]


def test_pins_are_listed_as_sorted_nip_to_post_pairs():
    base = plan("A")
    pinned = plan(
        "B", settings={"pins": [Pair(nip="9", jabatan_id="P1"), Pair(nip="1", jabatan_id="P3")]}
    )
    c = compare_plans([base, pinned], LABELS, "en")
    assert c.inputs == [
        {"kind": "setting", "key": "pins", "plan": "B", "values": [[], ["1 -> P3", "9 -> P1"]]}
    ]
    assert c.lines == ["Input: pins is [] in A and ['1 -> P3', '9 -> P1'] in B."]


def test_rules_added_removed_and_changed_are_inputs_terms_unknown_to_a_plan_are_skipped():
    # r.dulu is in force in both, its terms recorded in B only (as in a plan of
    # schema version 1): skipped, and the rules after it still compared.
    gol = _terms(golongan={"min": "III/c"})
    base = plan("A", rules={"r.golongan": gol, "r.usia": _terms(usia={"max": 56}), "r.dulu": None})
    b = plan(
        "B",
        rules={
            "r.golongan": _terms(golongan={"min": "III/d"}),
            "r.skp": _terms(skp={"min": "Baik"}),
            "r.dulu": _terms(x={"y": 1}),
        },
    )
    c = compare_plans([base, b], LABELS, "en")
    assert c.inputs == [
        {"kind": "rule_added", "key": "r.skp", "plan": "B"},
        {"kind": "rule_removed", "key": "r.usia", "plan": "B"},
        {
            "kind": "rule_terms",
            "key": "r.golongan: require.golongan.min",
            "plan": "B",
            "values": ["III/c", "III/d"],
        },
    ]
    assert c.lines == [
        "Input: rule r.skp is in force in B, not in A.",
        "Input: rule r.usia is in force in A, not in B.",
        "Input: rule r.golongan differs in B: require.golongan.min III/c becomes III/d.",
    ]


def test_a_term_present_in_one_plan_only_is_shown_as_a_dash():
    base = plan("A", rules={"r.usia": _terms(usia={"max": 56})})
    b = plan("B", rules={"r.usia": _terms(usia={"max": 56, "min": 40})})
    c = compare_plans([base, b], LABELS, "en")
    assert c.lines == ["Input: rule r.usia differs in B: require.usia.min - becomes 40."]


def test_a_title_of_several_words_is_quoted_so_its_own_full_stop_reads_as_text():
    base = plan("A", rules={"r.usia": _terms(usia={"max": 56})})
    retitled = _terms(usia={"max": 56})
    retitled = RuleTerms(**{**vars(retitled), "title": "Usia paling tinggi 56 tahun."})
    c = compare_plans([base, plan("B", rules={"r.usia": retitled})], LABELS, "en")
    assert c.lines == [
        "Input: rule r.usia differs in B: title “a rule” becomes “Usia paling tinggi 56 tahun.”."
    ]


def test_posts_whose_status_differs_are_told_with_who_and_the_fit():
    ani = _placement("111", "Ani", "P1", "Kepala Bidang Satu", 81.5)
    budi = _placement("222", "Budi", "P1", "Kepala Bidang Satu", 77.0)
    same = _placement("333", "Citra", "P9", "Kepala Bidang Sembilan", 60.0)
    base = plan("A", placements=[ani, same], unfilled=[_unfilled("P2", "Sekretaris")])
    b = plan("B", placements=[budi, same], unfilled=[_unfilled("P2", "Sekretaris")])
    c3 = plan("C", placements=[ani, same], unfilled=[_unfilled("P1", "Kepala Bidang Satu")])
    c = compare_plans([base, b, c3], LABELS, "en")
    assert c.posts == [
        {
            "jabatan_id": "P1",
            "nama_jabatan": "Kepala Bidang Satu",
            "by_plan": [
                {"status": "filled", "nip": "111", "nama": "Ani", "fit": 81.5},
                {"status": "filled", "nip": "222", "nama": "Budi", "fit": 77.0},
                # C places Ani in P1 too, but also lists P1 as unfilled: the placement wins.
                {"status": "filled", "nip": "111", "nama": "Ani", "fit": 81.5},
            ],
        },
        {
            "jabatan_id": "P2",
            "nama_jabatan": "Sekretaris",
            "by_plan": [{"status": "unfilled"}, {"status": "unfilled"}, {"status": "not_opened"}],
        },
    ]
    assert c.lines == [
        "Kepala Bidang Satu (P1): A places Ani (81.5); B places Budi (77.0).",
        "Sekretaris (P2): A opens the post but leaves it unfilled; C does not open the post.",
    ]
    assert c.people == [
        {"nip": "111", "nama": "Ani", "to": ["P1", None, "P1"]},
        {"nip": "222", "nama": "Budi", "to": [None, "P1", None]},
    ]


def test_a_post_the_baseline_does_not_open_takes_its_name_from_the_plan_that_does():
    base = plan("A")
    b = plan("B", placements=[_placement("111", "Ani", "P7", "Camat Tujuh", 64.0)])
    c = compare_plans([base, b], LABELS, "en")
    assert c.posts == [
        {
            "jabatan_id": "P7",
            "nama_jabatan": "Camat Tujuh",
            "by_plan": [
                {"status": "not_opened"},
                {"status": "filled", "nip": "111", "nama": "Ani", "fit": 64.0},
            ],
        }
    ]
    assert c.lines == ["Camat Tujuh (P7): A does not open the post; B places Ani (64.0)."]


def test_people_are_listed_by_nip_when_their_destination_differs():
    p = [
        _placement("300", "Citra", "P3", "Tiga", 70.0),
        _placement("100", "Ani", "P1", "Satu", 70.0),
    ]
    q = [
        _placement("300", "Citra", "P3", "Tiga", 70.0),
        _placement("100", "Ani", "P2", "Dua", 70.0),
        _placement("200", "Budi", "P1", "Satu", 70.0),
    ]
    c = compare_plans([plan("A", placements=p), plan("B", placements=q)], LABELS, "en")
    assert c.people == [
        {"nip": "100", "nama": "Ani", "to": ["P1", "P2"]},
        {"nip": "200", "nama": "Budi", "to": [None, "P1"]},
    ]


def test_rules_that_bite_differently_or_are_changed_are_listed_with_counts():
    """Counts in people (each once however many posts a rule closes), pairs beside them."""
    change = [{"rule": "r.pendidikan", "require": {"pendidikan": {"min": "S2"}}}]
    base = plan(
        "A",
        rule_exclusions={"r.golongan": 4, "r.usia": 2, "r.pendidikan": 0, "r.skp": 1},
        rule_exclusions_people={"r.golongan": 2, "r.usia": 1, "r.pendidikan": 0, "r.skp": 1},
    )
    b = plan(
        "B",
        rule_exclusions={"r.golongan": 4, "r.usia": 3, "r.pendidikan": 5, "r.skp": 1},
        rule_exclusions_people={"r.golongan": 2, "r.usia": 1, "r.pendidikan": 2, "r.skp": 1},
        rule_changes=change,
    )
    c3 = plan(
        "C",
        rule_exclusions={"r.golongan": 4, "r.usia": 2, "r.skp": 4},
        rule_exclusions_people={"r.golongan": 2, "r.usia": 1, "r.skp": 1},
    )
    c = compare_plans([base, b, c3], LABELS, "en")
    assert c.rules == [
        {
            "rule": "r.pendidikan",
            "exclusions": [0, 2, 0],
            "pairs": [0, 5, 0],
            "cells": ["0 people (0 pairs)", "2 people (5 pairs)", "0 people (0 pairs)"],
            "changed_in": ["B"],
        },
        {
            "rule": "r.skp",
            "exclusions": [1, 1, 1],
            "pairs": [1, 1, 4],
            "cells": ["1 people (1 pairs)", "1 people (1 pairs)", "1 people (4 pairs)"],
            "changed_in": [],
        },
        {
            "rule": "r.usia",
            "exclusions": [1, 1, 1],
            "pairs": [2, 3, 2],
            "cells": ["1 people (2 pairs)", "1 people (3 pairs)", "1 people (2 pairs)"],
            "changed_in": [],
        },
    ]
    # Each plan against the baseline: r.skp differs in C only (in pairs, not in people).
    assert c.lines == [
        "Rule r.pendidikan is changed by scenario B.",
        "Rule r.pendidikan excludes 0 people in A and 2 in B (0 and 5 (person, post) pairs).",
        "Rule r.skp excludes 1 people in A and 1 in C (1 and 4 (person, post) pairs).",
        "Rule r.usia excludes 1 people in A and 1 in B (2 and 3 (person, post) pairs).",
    ]


def test_plans_written_before_people_were_counted_say_pairs():
    # r.skp closes one pair in both: no difference, not listed.
    base = plan("A", rule_exclusions={"r.usia": 2, "r.skp": 1})
    b = plan(
        "B",
        rule_exclusions={"r.usia": 3, "r.skp": 1},
        rule_exclusions_people={"r.usia": 1, "r.skp": 1},
    )
    c = compare_plans([base, b], LABELS, "en")
    assert c.rules == [
        {
            "rule": "r.usia",
            "exclusions": None,
            "pairs": [2, 3],
            "cells": ["2 pairs", "3 pairs"],
            "changed_in": [],
        }
    ]
    assert c.lines == ["Rule r.usia excludes 2 (person, post) pairs in A and 3 in B."]


def test_a_changed_rule_that_excludes_as_many_is_still_listed():
    change = [{"rule": "r.usia", "require": {"usia": {"max": 58}}}]
    base = plan("A", rule_exclusions={"r.usia": 2}, rule_exclusions_people={"r.usia": 2})
    b = plan(
        "B",
        rule_exclusions={"r.usia": 2},
        rule_exclusions_people={"r.usia": 2},
        rule_changes=change,
    )
    c = compare_plans([base, b], LABELS, "en")
    assert c.rules == [
        {
            "rule": "r.usia",
            "exclusions": [2, 2],
            "pairs": [2, 2],
            "cells": ["2 people (2 pairs)", "2 people (2 pairs)"],
            "changed_in": ["B"],
        }
    ]
    assert c.lines == ["Rule r.usia is changed by scenario B."]


def test_each_constraint_is_listed_with_its_plan_and_price():
    base = plan("A", constraints=[ConstraintPrice(name="women 30%", price=0.0)])
    b = plan(
        "B",
        constraints=[
            ConstraintPrice(name="women 50%", price=12.5),
            ConstraintPrice(name="one per unit", price=1.0),
        ],
    )
    c = compare_plans([base, b], LABELS, "en")
    assert c.constraints == [
        {"plan": "A", "name": "women 30%", "price": 0.0},
        {"plan": "B", "name": "women 50%", "price": 12.5},
        {"plan": "B", "name": "one per unit", "price": 1.0},
    ]
    assert c.lines == [
        "Constraint 'women 30%' in A costs 0.0 of the objective.",
        "Constraint 'women 50%' in B costs 12.5 of the objective.",
        "Constraint 'one per unit' in B costs 1.0 of the objective.",
    ]


def test_the_default_language_is_indonesian():
    c = compare_plans([plan("A"), plan("B", value=90.0, summary={"moves": 4})], LABELS)
    assert c.lines == [
        "Moves: 3 pada A menjadi 4 pada B.",
        "Nilai tujuan: 100.0 pada A menjadi 90.0 pada B (selisih -10.0).",
    ]


def test_as_dict_holds_every_part_of_the_comparison():
    b = plan("B", value=90.0, summary={"moves": 4})
    d = compare_plans([plan("A"), b], LABELS, "en").as_dict()
    assert d["plans"] == ["A", "B"]
    assert d["kpis"]["moves"] == [3, 4]
    assert d["objective"] == [100.0, 90.0]
    assert d["lines"] == [
        "Moves: 3 in A becomes 4 in B.",
        "Objective: 100.0 in A becomes 90.0 in B (-10.0).",
    ]
    assert (d["posts"], d["people"], d["rules"], d["constraints"], d["inputs"]) == (
        [],
        [],
        [],
        [],
        [],
    )


def test_a_setting_given_in_the_baseline_only_is_a_difference_and_a_scale():
    # The baseline overrides the component weights; B and C take the regime's
    # (null). The baseline's four dotted keys are absent from B and C.
    weights = {"kinerja": 50.0, "potensi": 30.0, "keilmuan": 10.0, "pengalaman": 10.0}
    base = plan("A", settings={"component_weights": weights})
    c = compare_plans([base, plan("B"), plan("C", value=90.0)], LABELS, "en")
    keys = [
        "component_weights.keilmuan",
        "component_weights.kinerja",
        "component_weights.pengalaman",
        "component_weights.potensi",
    ]
    assert [(d["key"], d["values"]) for d in c.inputs if d["plan"] == "B"] == [
        ("component_weights.keilmuan", [10.0, None]),
        ("component_weights.kinerja", [50.0, None]),
        ("component_weights.pengalaman", [10.0, None]),
        ("component_weights.potensi", [30.0, None]),
    ]
    assert [d["key"] for d in c.inputs if d["plan"] == "C"] == keys
    assert c.scale_keys == [[], keys, keys]
    assert c.comparable == [True, False, False]


def test_the_weights_in_force_are_compared_where_one_plan_takes_the_regimes():
    # A takes the regime's weights (its override is null) and B doubles
    # keilmuan. Worked by hand: the regime's 40/30/20/10 sums to 100, so A's
    # shares are those numbers; B's 40/30/40/10 sums to 120, so its shares are
    # 40/120 = 33.33, 30/120 = 25.0, 40/120 = 33.33, 10/120 = 8.33. The lines
    # give both sides' numbers, never a dash for the plan on the regime's.
    regime = {"kinerja": 40.0, "potensi": 30.0, "keilmuan": 20.0, "pengalaman": 10.0}
    doubled = {"kinerja": 33.33, "potensi": 25.0, "keilmuan": 33.33, "pengalaman": 8.33}
    base = plan("A", settings={"weights_in_force": regime})
    other = plan(
        "B",
        settings={"component_weights": {"keilmuan": 40.0}, "weights_in_force": doubled},
    )
    c = compare_plans([base, other], LABELS, "en")
    assert [(d["key"], d["values"]) for d in c.inputs] == [
        ("weights_in_force.keilmuan", [20.0, 33.33]),
        ("weights_in_force.kinerja", [40.0, 33.33]),
        ("weights_in_force.pengalaman", [10.0, 8.33]),
        ("weights_in_force.potensi", [30.0, 25.0]),
    ]
    assert not any("component_weights" in line for line in c.lines)
    assert not any(" is - in " in line for line in c.lines)
    assert c.comparable == [True, False]


def test_equal_weights_in_force_are_no_difference_whatever_the_override_says():
    # An override that repeats the regime's own weights changes nothing a
    # point is worth: no input difference, and the objectives compare.
    regime = {"kinerja": 40.0, "potensi": 30.0, "keilmuan": 20.0, "pengalaman": 10.0}
    base = plan("A", settings={"weights_in_force": regime})
    other = plan(
        "B", settings={"component_weights": {"keilmuan": 20.0}, "weights_in_force": regime}
    )
    c = compare_plans([base, other], LABELS, "en")
    assert c.inputs == []
    assert c.comparable == [True, True]


def _manifest(record: PlanRecord, **changes: Any) -> PlanRecord:
    """``record`` with its manifest's fields changed (those ``plan`` does not take)."""
    return record.model_copy(update={"manifest": record.manifest.model_copy(update=changes)})


def test_how_a_missing_assessment_is_scored_is_an_input_and_puts_the_objective_on_a_scale():
    # A scores a person without an assessment as neutral, B as zero; C was written
    # before it was recorded (null): shown as a dash, and still another scale.
    base = _manifest(plan("A"), missing_assessment="neutral")
    zero = _manifest(plan("B", value=90.0), missing_assessment="zero")
    old = plan("C", value=90.0)
    c = compare_plans([base, zero, old], LABELS, "en")
    assert c.inputs == [
        {
            "kind": "setting",
            "key": "missing_assessment",
            "plan": "B",
            "values": ["neutral", "zero"],
        },
        {"kind": "setting", "key": "missing_assessment", "plan": "C", "values": ["neutral", None]},
    ]
    assert c.scale_keys == [[], ["missing_assessment"], ["missing_assessment"]]
    assert c.lines[:2] == [
        "Input: missing_assessment is neutral in A and zero in B.",
        "Input: missing_assessment is neutral in A and - in C.",
    ]


def test_plans_written_before_settings_were_recorded_compare_on_their_regime():
    # Schema version 1 recorded no settings: what is left to compare is the
    # regime (and the rules, the same here), which puts B on another scale.
    a = _manifest(plan("A"), settings=None)
    b = _manifest(plan("B", value=90.0, regime="2027"), settings=None)
    c = compare_plans([a, b], LABELS, "en")
    assert c.inputs == [
        {"kind": "setting", "key": "regime", "plan": "B", "values": ["default", "2027"]}
    ]
    assert c.scale_keys == [[], ["regime"]]
    assert c.lines == [
        "Input: regime is default in A and 2027 in B.",
        "The objectives of A (100.0) and B (90.0) are not comparable: their weights differ (regime).",
    ]


def test_a_rule_closing_as_many_pairs_to_fewer_people_bites_differently():
    # r.usia closes two (person, post) pairs in every plan: in A and B to two
    # people (one post each), in C to one person (two posts). C is the only one
    # that differs from the baseline; B, the same as A, has no line.
    base = plan("A", rule_exclusions={"r.usia": 2}, rule_exclusions_people={"r.usia": 2})
    same = plan("B", rule_exclusions={"r.usia": 2}, rule_exclusions_people={"r.usia": 2})
    fewer = plan("C", rule_exclusions={"r.usia": 2}, rule_exclusions_people={"r.usia": 1})
    c = compare_plans([base, same, fewer], LABELS, "en")
    assert c.rules == [
        {
            "rule": "r.usia",
            "exclusions": [2, 2, 1],
            "pairs": [2, 2, 2],
            "cells": ["2 people (2 pairs)", "2 people (2 pairs)", "1 people (2 pairs)"],
            "changed_in": [],
        }
    ]
    assert c.lines == [
        "Rule r.usia excludes 2 people in A and 1 in C (2 and 2 (person, post) pairs)."
    ]
