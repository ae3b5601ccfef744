import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from factories import ROOT

from engine.errors import InputError
from engine.inputs.equivalence import bundled_equivalences
from engine.rules.ruleset import RuleSet, load_rules, rule_files

GOOD = """
- id: a.pendidikan
  title: Paling rendah S1.
  applies_to: {jenis_jabatan: Administrator}
  require: {pendidikan: {min: S1}}
  source: PP 11/2017 Ps. 54
  effective: {from: 2020-01-01}
"""


def load(tmp_path: Path, text: str):
    path = tmp_path / "r.yaml"
    path.write_text(text, encoding="utf-8")
    return load_rules([path])


def messages(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(InputError) as info:
        load(tmp_path, text)
    return [str(p) for p in info.value.problems]


def test_bundled_rules_load():
    # Every rule file in rules/ (a YAML list; the others are settings with a 'kind'),
    # found by globbing so that a new rule file is loaded here too.
    import yaml

    files = sorted((ROOT / "rules").glob("*.yaml"))
    rule_files = [f for f in files if isinstance(yaml.safe_load(f.read_text("utf-8")), list)]
    assert {"golongan.yaml", "keilmuan.yaml", "struktural.yaml"} <= {f.name for f in rule_files}
    rs = load_rules(rule_files)
    # Independent count: one '- id:' line per rule in the files.
    ids = [
        line.split(":", 1)[1].strip()
        for f in rule_files
        for line in f.read_text("utf-8").splitlines()
        if line.startswith("- id:")
    ]
    assert sorted(r.rule.id for r in rs.rules) == sorted(ids)
    assert len(ids) >= 20
    assert all(r.rule.source and r.rule.effective for r in rs.rules)


def test_a_good_rule(tmp_path):
    (r,) = load(tmp_path, GOOD).rules
    assert r.rule.kind == "pendidikan" and r.line == 2 and r.rule.hard


def test_planted_errors_are_all_reported_with_lines(tmp_path):
    text = (
        GOOD
        + """
- id: b.usia
  title: Usia.
  applies_to: {jenis_jabatn: JPT Pratama}
  require: {usia: {max: 56}}
  source: PP 11/2017
  effective: {from: 2020-13-01}
- id: c.golongan
  title: Golongan.
  require: {golongan: {min: III/x}}
  source: PP 100/2000
  effective: {from: 2020-01-01}
- id: d.two
  title: Two kinds.
  require: {pendidikan: {min: S1}, usia: {max: 50}}
  source: x y z
  effective: {from: 2020-01-01}
- id: e.skp
  title: Bad predikat.
  require: {skp: {min: Bagus}}
  source: PP 11/2017
  effective: {from: 2020-01-01}
- id: a.pendidikan
  title: Duplicate id.
  applies_to: {jenis_jabatan: Pengawas}
  require: {pendidikan: {min: D3}}
  source: PP 11/2017
  effective: {from: 2020-01-01}
  exception_of: nothing.here
"""
    )
    joined = "\n".join(messages(tmp_path, text))
    assert (
        "r.yaml:11: 'applies_to': unknown key 'jenis_jabatn'" in joined
        and "did you mean 'jenis_jabatan'?" in joined
    )
    assert "r.yaml:14:" in joined and "effective.from" in joined
    assert "r.yaml:17:" in joined and "III/x" in joined
    assert "give exactly one requirement kind (found: pendidikan, usia)" in joined
    assert "r.yaml:27:" in joined and "Bagus" in joined
    assert "rule id 'a.pendidikan' is used twice" in joined
    assert "exception_of names unknown rule 'nothing.here'" in joined


def test_contradiction_names_both_rules_unless_exception(tmp_path):
    clash = (
        GOOD
        + """
- id: b.pendidikan
  title: S2 untuk Administrator.
  applies_to: {eselon: III.a}
  require: {pendidikan: {min: S2}}
  source: Perbup contoh
  effective: {from: 2024-01-01}
"""
    )
    (msg,) = messages(tmp_path, clash)
    assert (
        "rule 'b.pendidikan' and rule 'a.pendidikan'" in msg and "exception_of: a.pendidikan" in msg
    )
    rs = load(
        tmp_path,
        clash.replace(
            "effective: {from: 2024-01-01}",
            "effective: {from: 2024-01-01}\n  exception_of: a.pendidikan",
        ),
    )
    assert len(rs.rules) == 2
    # Disjoint selectors never clash: eselon II.b is never an Administrator post.
    rs = load(tmp_path, clash.replace("eselon: III.a", "eselon: II.b"))
    assert len(rs.rules) == 2
    # Periods that do not overlap never clash.
    rs = load(
        tmp_path, clash.replace("{from: 2020-01-01}", "{from: 2020-01-01, until: 2023-12-31}")
    )
    assert len(rs.rules) == 2


def test_soft_rule_needs_penalty(tmp_path):
    (msg,) = messages(tmp_path, GOOD.replace("effective:", "hard: false\n  effective:"))
    assert "needs a penalty" in msg


def test_in_force_by_date(tmp_path):
    rs = load(tmp_path, GOOD.replace("{from: 2020-01-01}", "{from: 2020-01-01, until: 2024-12-31}"))
    assert len(rs.in_force(dt.date(2024, 12, 31))) == 1
    assert len(rs.in_force(dt.date(2025, 1, 1))) == 0


def test_not_a_list(tmp_path):
    (msg,) = messages(tmp_path, "id: x\n")
    assert "a rule file is a list of rules" in msg


# --- rules dated by regime ---------------------------------------------------
REGIMES = """
- id: a.pendidikan
  title: Paling rendah S1 (aturan lama).
  applies_to: {jenis_jabatan: Administrator}
  require: {pendidikan: {min: S1}}
  source: PP 11/2017 Ps. 54
  effective: {from: 2020-01-01, until: 2025-12-31}
- id: b.pendidikan
  title: Paling rendah S2 (aturan baru).
  applies_to: {jenis_jabatan: Administrator}
  require: {pendidikan: {min: S2}}
  source: Perbup contoh 2025
  effective: {from: 2026-01-01}
- id: c.pendidikan
  title: Unit tertentu tetap S1 sampai 2026-06-30.
  applies_to: {jenis_jabatan: Administrator, unit: Inspektorat}
  require: {pendidikan: {min: S1}}
  source: Perbup contoh 2025, peralihan
  effective: {from: 2026-01-01, until: 2026-06-30}
  exception_of: b.pendidikan
"""


def test_consecutive_regimes_do_not_clash_and_apply_by_date(tmp_path):
    rs = load(tmp_path, REGIMES)
    ids = lambda day: sorted(r.rule.id for r in rs.in_force(day))  # noqa: E731
    assert ids(dt.date(2025, 12, 31)) == ["a.pendidikan"]
    assert ids(dt.date(2026, 1, 1)) == ["b.pendidikan", "c.pendidikan"]
    assert ids(dt.date(2026, 7, 1)) == ["b.pendidikan"]
    posts = _posts(["Inspektorat", "Dinas Sosial"])
    during = {r.rule.id: m.tolist() for r, m in rs.applicable(dt.date(2026, 3, 1), posts)}
    # The transitional exception replaces the new rule at the Inspektorat only.
    assert during == {"b.pendidikan": [False, True], "c.pendidikan": [True, False]}
    after = {r.rule.id: m.tolist() for r, m in rs.applicable(dt.date(2026, 7, 1), posts)}
    assert after == {"b.pendidikan": [True, True]}


def test_regimes_that_overlap_by_a_day_clash(tmp_path):
    text = REGIMES.replace("until: 2025-12-31", "until: 2026-01-01")
    (msg,) = messages(tmp_path, text)
    assert "rule 'b.pendidikan' and rule 'a.pendidikan'" in msg


def test_find_candidates_uses_the_rules_of_the_scenario_date(tmp_path):
    from engine.eligibility.candidates import find_candidates

    rs = load(tmp_path, REGIMES)
    people = SimpleNamespace(
        n=3,
        pendidikan=np.array([6, 7, 5]),
        home=np.full(3, -1),
        equivalences=bundled_equivalences(),
    )
    posts = _posts(["Dinas Sosial"])
    taxonomy = SimpleNamespace(fields=(), family_of={})

    def eligible(day):
        c = find_candidates(
            people,
            posts,
            rs,
            taxonomy,
            day,
            pool=np.ones(3, bool),
            allowed=lambda p, level: np.ones(p.n, bool),
        )
        return c.person.tolist(), c.rules_in_force

    assert eligible(dt.date(2025, 6, 1)) == ([0, 1], ["a.pendidikan"])
    assert eligible(dt.date(2026, 6, 1)) == ([1], ["b.pendidikan", "c.pendidikan"])


def _posts(units):
    from engine.inputs.derive import Posts

    n = len(units)
    text = np.array([f"P{k}" for k in range(n)], dtype=object)
    return Posts(
        jabatan_id=text,
        nama=text,
        unit=np.array(units, dtype=object),
        eselon=np.full(n, "III.b", dtype=object),
        jenis_jabatan=np.full(n, "Administrator", dtype=object),
        level=np.full(n, 3, dtype=np.int16),
        bidang=np.full(n, "Hukum", dtype=object),
        field=np.zeros(n, dtype=np.int32),
        kecamatan=text,
        atasan=np.full(n, -1),
        kritis=np.zeros(n, dtype=bool),
        holder=np.full(n, -1),
    )


def test_talent_box_follows_the_regime_of_the_scenario_date():
    from engine.plan.pipeline import load_context, with_state

    ctx = load_context(ROOT / "scenarios/demo.yaml")
    assert ctx.people.talent_box is not None and ctx.people.talent_box.shape == (ctx.people.n,)
    assert ctx.people.talent_regime == ctx.talent.regime == "Kepka BKN 411/2025"
    earlier = ctx.loaded.scenario.model_copy(update={"date": dt.date(2025, 6, 2)})
    before = with_state(ctx, earlier, ctx.tables)
    assert before.people.talent_regime == "PermenPANRB 3/2020"
    assert before.people.talent_box is not None


def test_the_plan_manifest_names_both_regimes(tiny_round):
    from factories import person, post

    from engine.plan.pipeline import build_plan

    scenario = tiny_round(
        [person(1, jpm="90")],
        [post("KABID")],
        extra=f"talent_box: {ROOT / 'rules/kotak-talenta.yaml'}",
    )
    manifest = build_plan(scenario).record.manifest
    assert manifest.regime == "Kepka BKN 411/2025"
    assert manifest.talent_regime == "Kepka BKN 411/2025"
    without = tiny_round([person(1, jpm="90")], [post("KABID")])
    assert build_plan(without).record.manifest.talent_regime is None


def test_skp_and_sanction_rules_state_their_figures(tmp_path):
    text = """
- id: a.skp
  title: SKP without its look-back.
  require: {skp: {min: Baik}}
  source: PP 11/2017
  effective: {from: 2020-01-01}
- id: b.hukuman
  title: Sanctions without their levels.
  require: {hukuman_disiplin: {lookback_years: 5}}
  source: PP 94/2021
  effective: {from: 2020-01-01}
"""
    joined = "\n".join(messages(tmp_path, text))
    assert "r.yaml:4:" in joined and "'years'" in joined
    assert "r.yaml:9:" in joined and "'levels'" in joined


# --- the rule set's own checks, each worked out by hand ---------------------------


def _rule(rid: str, require: str, extra: str = "", applies: str = "{}") -> str:
    return (
        f"- id: {rid}\n  title: Contoh.\n  applies_to: {applies}\n  require: {require}\n"
        f"  source: Perbup contoh\n  effective: {{from: 2020-01-01}}\n{extra}"
    )


S1, S2 = "{pendidikan: {min: S1}}", "{pendidikan: {min: S2}}"


def test_an_unknown_eselon_is_refused_with_the_nearest_one_when_there_is_one(tmp_path):
    (close,) = messages(tmp_path, _rule("a", S1, applies="{eselon: IV.c}"))
    allowed = "allowed: IV.b, IV.a, III.b, III.a, II.b, II.a, I.b, I.a"
    assert close.endswith(f"unknown eselon 'IV.c'; {allowed} (did you mean 'IV.b'?)")
    (far,) = messages(tmp_path, _rule("a", S1, applies="{eselon: Kepala}"))
    assert far.endswith(f"unknown eselon 'Kepala'; {allowed}")


def test_a_rule_id_is_lower_case_and_a_hard_rule_has_no_penalty(tmp_path):
    (msg,) = messages(tmp_path, _rule("A.Besar", S1))
    assert "id must be lower case letters" in msg
    (msg,) = messages(tmp_path, _rule("a", S1, "  penalty: 5\n"))
    assert "a hard rule has no penalty" in msg
    (r,) = load(tmp_path, _rule("a", S1, "  hard: false\n  penalty: 5\n")).rules
    assert not r.rule.hard and r.rule.penalty == 5


def test_a_file_that_is_not_a_list_is_named_at_line_1_and_every_file_is_reported(tmp_path):
    (tmp_path / "a.yaml").write_text("id: x\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("- id: [unclosed\n", encoding="utf-8")
    (tmp_path / "c.yaml").write_text(_rule("c", "{pendidikan: {min: S9}}"), encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_rules([tmp_path / n for n in ("a.yaml", "b.yaml", "c.yaml")], lambda p: p.name)
    got = [str(p) for p in info.value.problems]
    assert got[0].startswith("a.yaml:1: a rule file is a list of rules, found dict")
    assert [g.split(":")[0] for g in got] == ["a.yaml", "b.yaml", "c.yaml"]


def test_rule_files_of_a_folder_are_its_yaml_files_in_order(tmp_path):
    for name in ("b.yml", "a.yaml", "ringkasan.y.xml", "catatan.txt"):
        (tmp_path / name).write_text("[]\n", encoding="utf-8")
    single = tmp_path / "catatan.txt"
    assert rule_files([tmp_path, single]) == [tmp_path / "a.yaml", tmp_path / "b.yml", single]


def test_a_selector_s_bidang_must_be_a_field_of_the_taxonomy(tmp_path):
    fields = [f"Bidang {c}" for c in "ABCDEFGH"] + ["Hukum", "Teknik Sipil"]  # ten fields
    path = tmp_path / "r.yaml"
    path.write_text(_rule("a", S1, applies="{bidang: [Hukum, Teknik Sipl, Kesehatan]}"))
    with pytest.raises(InputError) as info:
        load_rules([path], lambda p: p.name, fields=fields)
    # The allowed list shows the first eight fields and the count of all ten.
    head = "r.yaml:1: 'a.applies_to.bidang': bidang"
    allowed = "allowed: " + ", ".join(fields[:8]) + ", … (10 in all)"
    assert [str(p) for p in info.value.problems] == [
        f"{head} 'Teknik Sipl' is not a field of the taxonomy; {allowed} (did you mean "
        "'Teknik Sipil'?)",
        f"{head} 'Kesehatan' is not a field of the taxonomy; {allowed}",
    ]
    assert len(load_rules([path], fields=[*fields, "Teknik Sipl", "Kesehatan"]).rules) == 1
    assert len(load_rules([path]).rules) == 1  # without a taxonomy, any bidang


def test_a_rule_cannot_be_its_own_exception(tmp_path):
    (msg,) = messages(tmp_path, _rule("a", S1, "  exception_of: a\n"))
    assert msg.endswith("r.yaml:1: 'a': a rule cannot be an exception of itself")


@pytest.mark.parametrize(
    ("a", "b", "clash"),
    [
        ("{unit: Inspektorat}", "{unit: Dinas Sosial}", False),  # disjoint units
        ("{unit: [Inspektorat, Bappeda]}", "{unit: [Bappeda]}", True),  # a unit in common
        ("{unit: Inspektorat}", "{}", True),  # the second selects every post
        ("{kritis: true}", "{kritis: false}", False),
        ("{kritis: true}", "{kritis: true}", True),
        ("{kritis: true}", "{unit: Inspektorat}", True),
        ("{jenis_jabatan: Pengawas}", "{eselon: IV.a}", True),  # IV.a is a Pengawas eselon
        ("{eselon: II.a}", "{jenis_jabatan: Pengawas}", False),  # II.a never is
    ],
)
def test_two_rules_of_a_kind_clash_when_some_post_can_match_both(tmp_path, a, b, clash):
    text = _rule("a", S1, applies=a) + _rule("b", S2, applies=b)
    if clash:
        (msg,) = messages(tmp_path, text)
        assert "r.yaml:7: rule 'b' and rule 'a' (" in msg
        assert "r.yaml:1) both set 'pendidikan'" in msg
    else:
        assert len(load(tmp_path, text).rules) == 2


def test_no_clash_across_strengths_rounds_or_with_an_exception_listed_first(tmp_path):
    soft = "  hard: false\n  penalty: 5\n"
    # A soft rule layers a cost over a hard one of the same kind.
    assert len(load(tmp_path, _rule("a", S1) + _rule("b", S2, soft)).rules) == 2
    # Two soft ones with different values do clash.
    assert len(messages(tmp_path, _rule("a", S1, soft) + _rule("b", S2, soft))) == 1
    # Rules of different rounds never apply together; of the same round they clash.
    regular, open_ = "  rounds: [regular]\n", "  rounds: [open_selection]\n"
    assert len(load(tmp_path, _rule("a", S1, regular) + _rule("b", S2, open_)).rules) == 2
    assert len(messages(tmp_path, _rule("a", S1, open_) + _rule("b", S2, open_))) == 1
    # The exception may come before the rule it replaces.
    assert len(load(tmp_path, _rule("a", S2, "  exception_of: b\n") + _rule("b", S1)).rules) == 2


def test_periods_that_share_their_first_day_clash(tmp_path):
    # b ends on 2020-01-01, the day a begins: both apply that day.
    ended = _rule("b", S2).replace("{from: 2020-01-01}", "{from: 2018-01-01, until: 2020-01-01}")
    (msg,) = messages(tmp_path, _rule("a", S1) + ended)
    assert "rule 'b' and rule 'a'" in msg
    ended = ended.replace("until: 2020-01-01", "until: 2019-12-31")
    assert len(load(tmp_path, _rule("a", S1) + ended).rules) == 2


def test_a_critical_post_selector_and_an_exception_whose_rule_is_not_in_force(tmp_path):
    posts = _posts(["Inspektorat", "Dinas Sosial"])
    posts.kritis[:] = [True, False]
    text = (
        _rule("a", S1, applies="{kritis: true}")
        + _rule("b", "{usia: {max: 56}}", "  exception_of: c\n", applies="{unit: Inspektorat}")
        + _rule("c", "{jpm: {min: 60}}").replace("{from: 2020-01-01}", "{from: 2030-01-01}")
    )
    rs = load(tmp_path, text)
    got = {r.rule.id: m.tolist() for r, m in rs.applicable(dt.date(2026, 7, 1), posts)}
    # c is not in force yet, so b replaces nothing and applies where it selects.
    assert got == {"a": [True, False], "b": [True, False]}
    assert [r.rule.id for r in RuleSet(rs.rules, rs.files, "open_selection").in_force(
        dt.date(2031, 1, 1))] == ["a", "b", "c"]  # fmt: skip


MIDDLE = {
    # a rule between a.pendidikan and the one that contradicts it, passed over
    # for each reason two rules cannot contradict each other
    "exception": "applies_to: {jenis_jabatan: Administrator}\n"
    "  require: {pendidikan: {min: S2}}\n"
    "  exception_of: a.pendidikan\n"
    "  effective: {from: 2020-01-01}",
    "same requirement": "applies_to: {eselon: III.a}\n"
    "  require: {pendidikan: {min: S1}}\n"
    "  effective: {from: 2020-01-01}",
    "periods apart": "applies_to: {jenis_jabatan: Administrator}\n"
    "  require: {pendidikan: {min: S3}}\n"
    "  effective: {from: 2010-01-01, until: 2019-12-31}",
    "rounds apart": "applies_to: {jenis_jabatan: Administrator}\n"
    "  require: {pendidikan: {min: S3}}\n"
    "  rounds: [open_selection]\n"
    "  effective: {from: 2020-01-01}",
}


@pytest.mark.parametrize("why", list(MIDDLE))
def test_a_rule_passed_over_does_not_end_the_search_for_contradictions(tmp_path, why):
    """a.pendidikan (Administrator, S1, from 2020) and c.pendidikan (eselon
    III.a, an Administrator post, S2, from 2024) contradict each other. A rule
    between them that cannot contradict a.pendidikan (its exception, the same
    requirement, a period before 2020, or only in open selections while
    a.pendidikan is for regular rounds) must not stop the check: the clash of
    c with a is still reported."""
    good = GOOD
    if why == "rounds apart":
        good = GOOD.replace("effective:", "rounds: [regular]\n  effective:")
    text = (
        good
        + "\n- id: b.pendidikan\n  title: Di antara.\n  source: Perbup contoh\n  "
        + MIDDLE[why]
        + """
- id: c.pendidikan
  title: S2 untuk Administrator.
  applies_to: {eselon: III.a}
  require: {pendidikan: {min: S2}}
  source: Perbup contoh
  effective: {from: 2024-01-01}
"""
    )
    joined = "\n".join(messages(tmp_path, text))
    assert "rule 'c.pendidikan' and rule 'a.pendidikan'" in joined


def test_a_loaded_rule_keeps_the_file_and_line_it_came_from(tmp_path):
    """Every message about a rule names the file and line it was read from (GOOD's
    rule starts on line 2 of r.yaml); nothing may write another place into it."""
    (loaded,) = load(tmp_path, GOOD).rules
    assert (Path(loaded.file).name, loaded.line) == ("r.yaml", 2)
    with pytest.raises(AttributeError):
        loaded.line = 3
