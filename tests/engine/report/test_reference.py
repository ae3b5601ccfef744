import json

from factories import ROOT

from engine.report.reference import reference_markdown, rules_schema, scenario_schema
from engine.rules.requirements import CATALOGUE


def test_committed_reference_and_schemas_match_the_code():
    """Regenerate with: python -m engine.report.reference"""
    assert (ROOT / "docs/rules-reference.md").read_text(encoding="utf-8") == reference_markdown()
    assert (
        json.loads((ROOT / "schemas/rules.schema.json").read_text(encoding="utf-8"))
        == rules_schema()
    )
    committed = json.loads((ROOT / "schemas/scenario.schema.json").read_text(encoding="utf-8"))
    assert committed == json.loads(json.dumps(scenario_schema(), default=str))


def test_schema_lists_every_kind_and_forbids_unknown_keys():
    schema = rules_schema()
    requirement = schema["$defs"]["Requirement"]
    assert set(requirement["properties"]) == set(CATALOGUE)
    assert requirement["additionalProperties"] is False
    assert requirement["maxProperties"] == 1
    assert schema["items"]["additionalProperties"] is False


def test_every_kind_shows_its_explanation_in_both_languages():
    """The texts come from the kinds' own explain() and counterfactual() on the example person."""
    page = reference_markdown()
    sections = {s.split("`", 1)[0]: s for s in page.split("\n### `")[1:]}
    kinds = [name for name in sections if name in CATALOGUE]
    assert kinds == list(CATALOGUE)
    for name in kinds:
        section = sections[name]
        assert "| Penjelasan |" in section and "| *Explanation* |" in section, name
        assert "| Bila gagal |" in section and "| *What would change it* |" in section, name
    golongan = sections["golongan"]
    assert "| Penjelasan | golongan III/c; syarat ≥ III/d |" in golongan
    assert "| Bila gagal | perlu golongan III/d (1 tingkat lagi;" in golongan
    assert "| *Explanation* | *golongan III/c; required ≥ III/d* |" in golongan
    masa_kerja = sections["masa_kerja"]
    assert "| Bila gagal | memenuhi syarat mulai 2028-03-01 |" in masa_kerja


def test_example_world_is_derived_through_the_loaders():
    from engine.report.reference import example_world

    world = example_world()
    assert world.people.n == 1 and world.post.jenis_jabatan == "Administrator"
    assert world.people.nip[0] == "196903152018031001"


def test_committed_scenario_reference_matches_the_code():
    """Issue 15, item 13. Regenerate with: python -m engine.report.reference"""
    from engine.report.scenario_reference import scenario_markdown

    page = (ROOT / "docs/scenario-reference.md").read_text(encoding="utf-8")
    assert page == scenario_markdown()


def test_the_scenario_reference_lists_every_key_with_an_example_that_validates():
    """Each key of the scenario model has a section and an example, and each example is valid."""
    import copy

    import yaml

    from engine.inputs.scenario import Scenario
    from engine.report.scenario_reference import scenario_markdown

    page = scenario_markdown()
    keys = [f.alias or name for name, f in Scenario.model_fields.items()]
    assert [s.split("\n", 1)[0] for s in page.split("\n## ")[1:]] == [*keys, "extends"]
    base = yaml.safe_load((ROOT / "scenarios/demo.yaml").read_text(encoding="utf-8"))
    for name, field in Scenario.model_fields.items():
        key = field.alias or name
        assert field.examples, key
        section = page.split(f"\n## {key}\n", 1)[1].split("\n## ", 1)[0]
        shown = yaml.safe_load(section.split("```yaml\n", 1)[1].split("```", 1)[0])
        assert shown == {key: field.examples[0]}, key
        data = copy.deepcopy(base)
        data[key] = field.examples[0]
        Scenario.model_validate(data)  # raises if the example is not a valid value
