import json

from factories import ROOT

from engine.reference import reference_markdown, rules_schema, scenario_schema
from engine.requirements import CATALOGUE


def test_committed_reference_and_schemas_match_the_code():
    """Regenerate with: python -m engine.reference"""
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
