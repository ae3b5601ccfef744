"""plan.json's schema and reference page are generated from the typed plan and cannot drift."""

import json

import jsonschema
import pytest
from factories import ROOT

from engine.plan.pipeline import build_plan
from engine.plan.records import PlanRecord, read_plan
from engine.report.plan_reference import plan_markdown, plan_schema


def test_committed_plan_schema_and_page_match_the_code():
    """Regenerate with: python -m engine.report.plan_reference"""
    committed = json.loads((ROOT / "schemas/plan.schema.json").read_text(encoding="utf-8"))
    assert committed == plan_schema()
    assert (ROOT / "docs/plan-json.md").read_text(encoding="utf-8") == plan_markdown()


def test_every_field_of_every_record_is_documented():
    schema = plan_schema()
    for name, node in [("PlanRecord", schema), *schema["$defs"].items()]:
        assert node.get("description"), name
        for key, field in node["properties"].items():
            assert field.get("description"), f"{name}.{key}"


@pytest.fixture(scope="module")
def demo_plan_json() -> str:
    return build_plan(ROOT / "scenarios/demo.yaml").record.to_json()


def test_a_written_plan_validates_against_the_schema_and_reads_back_the_same(demo_plan_json):
    data = json.loads(demo_plan_json)
    jsonschema.validate(data, plan_schema())
    record = PlanRecord.model_validate(data)
    assert record.to_dict() == data
    assert record.placements[0].origin.nama_jabatan == data["placements"][0]["from"]["nama_jabatan"]


def test_a_damaged_plan_json_is_refused_with_the_field_named(tmp_path, demo_plan_json):
    data = json.loads(demo_plan_json)
    data["placements"][0]["fit"] = "high"
    del data["summary"]["posts"]
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    from engine.errors import InputError

    try:
        read_plan(path)
    except InputError as exc:
        text = str(exc)
    else:
        raise AssertionError("a damaged plan.json was accepted")
    assert "placements.0.fit" in text and "summary.posts" in text
