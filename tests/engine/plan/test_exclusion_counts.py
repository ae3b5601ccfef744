"""Rule exclusions are counted in people, with (person, post) pairs said as pairs
(issue 15, item 5b)."""

from __future__ import annotations

from factories import person, post

from engine.plan.compare import compare_plans
from engine.plan.pipeline import build_plan
from engine.report.render import LABELS

# One hard rule: JPT Pratama posts need an S2.
RULES = """\
- id: jpt.s2
  title: JPT Pratama berijazah paling rendah S2.
  applies_to: {jenis_jabatan: JPT Pratama}
  require: {pendidikan: {min: S2}}
  source: aturan contoh untuk uji
  effective: {from: 2020-01-01}
"""


def _round(tiny_round, extra: str = ""):
    # Three vacant JPT Pratama posts; two Administrators with an S1 and one with
    # an S2. The rule turns each S1 holder away from each of the three posts:
    # 2 people, 2 x 3 = 6 (person, post) pairs.
    people = [
        person(1, jenis_jabatan="Administrator", pendidikan="S1", golongan="IV/b"),
        person(2, jenis_jabatan="Administrator", pendidikan="S1", golongan="IV/b"),
        person(3, jenis_jabatan="Administrator", pendidikan="S2", golongan="IV/b"),
    ]
    posts = [post(f"KADIS{k}", eselon="II.b", jenis_jabatan="JPT Pratama") for k in (1, 2, 3)]
    return tiny_round(people, posts, RULES, extra=extra), people


def test_a_rule_that_turns_two_people_away_from_three_posts_excludes_two_people(tiny_round):
    path, people = _round(tiny_round)
    plan = build_plan(path).record
    # Person 3 takes one post; their own post is not structural, so the
    # other two JPT posts stay open and unfilled: three open posts in all.
    assert plan.summary.posts_opened == 3
    assert [p.nip for p in plan.placements] == [people[2]["nip"]]
    assert plan.rule_exclusions_people == {"jpt.s2": 2}
    assert plan.rule_exclusions == {"jpt.s2": 6}
    # Per post the count is people: each post turned two people away.
    for u in plan.unfilled:
        assert [(e.rule, e.people) for e in u.excluded_by] == [("jpt.s2", 2)]


def test_compare_says_people_and_labels_pairs_as_pairs(tiny_round, tmp_path):
    path, _ = _round(tiny_round)
    base = build_plan(path).record
    # A scenario where the rule asks only S1: it excludes nobody.
    loose = tmp_path / "loose.yaml"
    loose.write_text(
        "kind: scenario\nextends: scenario.yaml\nname: S1 enough\nchanges:\n"
        "  - rule: jpt.s2\n    require: {pendidikan: {min: S1}}\n",
        encoding="utf-8",
    )
    other = build_plan(loose).record
    c = compare_plans([base, other], LABELS["en"], "en")
    (rule,) = c.rules
    assert (rule["exclusions"], rule["pairs"]) == ([2, 0], [6, 0])
    assert rule["cells"] == ["2 people (6 pairs)", "0 people (0 pairs)"]
    assert (
        "Rule jpt.s2 excludes 2 people in Tiny test round and 0 in S1 enough "
        "(6 and 0 (person, post) pairs)." in c.lines
    )
    # A plan written before people were recorded has pairs only, and says pairs.
    old = base.model_copy(update={"rule_exclusions_people": None})
    c = compare_plans([old, other], LABELS["id"], "id")
    assert c.rules[0]["cells"] == ["6 pasangan", "0 pasangan"]
    assert (
        "Aturan jpt.s2 menyaring 6 pasangan pegawai-jabatan pada Tiny test round dan 0 pada S1 enough."
        in c.lines
    )
