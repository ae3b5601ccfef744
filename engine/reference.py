"""Generated artefacts for rule writers, from the catalogue itself so they cannot drift.

- ``schemas/rules.schema.json``: JSON Schema of a rule file, for editors
  (VS Code's YAML extension completes keys and flags errors as staff type;
  the bundled rule files point at it with a ``yaml-language-server`` line).
- ``schemas/scenario.schema.json``: the same for scenario files.
- ``docs/rules-reference.md``: every requirement kind, its fields, an
  example rule and its explanation texts.

Regenerate with ``python -m engine.reference``; a test fails when the
committed files differ from what the code generates.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import yaml

from engine.requirements import CATALOGUE
from engine.rules import Rule, Selector
from engine.scenario import Scenario

__all__ = ["reference_markdown", "rules_schema", "scenario_schema", "write_all"]


def rules_schema() -> dict:
    item = Rule.model_json_schema(by_alias=True)
    defs = item.pop("$defs", {})
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "talenta rule file",
        "description": "A list of rules: each states one requirement of the posts it applies to, with its legal basis.",
        "type": "array",
        "items": item,
        "$defs": defs,
    }


def scenario_schema() -> dict:
    schema = Scenario.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "talenta scenario"
    schema.setdefault("properties", {})["extends"] = {
        "type": "string",
        "description": "base scenario file",
    }
    return schema


def _fields(model: type) -> list[tuple[str, str, str]]:
    out = []
    for name, field in model.model_fields.items():
        key = field.alias or name
        annotation = str(field.annotation).replace("typing.", "").replace("Literal", "one of ")
        if len(annotation) > 80:
            annotation = annotation[:77] + "..."
        if field.is_required():
            default = "required"
        elif field.default is None or field.default_factory is not None:
            default = "optional"
        else:
            default = f"default: {field.default!r}"
        out.append((key, default, field.description or ""))
    return out


def reference_markdown() -> str:
    lines = [
        "# Rule reference (generated)",
        "",
        "Generated from the code by `python -m engine.reference`; do not edit by hand.",
        "A test fails when this page and the catalogue disagree.",
        "",
        "## A rule",
        "",
        "| key | | meaning |",
        "|---|---|---|",
    ]
    for key, default, desc in _fields(Rule):
        lines.append(f"| `{key}` | {default} | {desc} |")
    lines += [
        "",
        "### `applies_to` (which posts; keys combine with AND, a list means any of)",
        "",
        "| key | | meaning |",
        "|---|---|---|",
    ]
    for key, default, desc in _fields(Selector):
        lines.append(f"| `{key}` | {default} | {desc} |")
    lines += [
        "",
        "Verdicts: each rule that applies to a post is PASS, FAIL or UNKNOWN (data missing) for a",
        "person; the scenario's `unknown:` decides whether UNKNOWN counts as a fail (default) or a pass.",
        "A hard rule excludes; a soft rule (`hard: false`) costs `penalty` fit points.",
        "",
        "## Requirement kinds",
        "",
    ]
    for name, kind in CATALOGUE.items():
        example = {
            "id": f"contoh.{name.replace('_', '-')}",
            "title": "…",
            "applies_to": {"jenis_jabatan": "Administrator"},
            "require": {name: kind.example},
            "source": "…",
            "effective": {"from": "2024-01-01"},
        }
        lines += [
            f"### `{name}`",
            "",
            f"{kind.summary_id}",
            "",
            f"*{kind.summary_en}*",
            "",
            "| field | | meaning |",
            "|---|---|---|",
        ]
        for key, default, desc in _fields(kind.Params):
            lines.append(f"| `{key}` | {default} | {desc} |")
        if kind.post_keys:
            lines += ["", f"Reads the post's: {', '.join(kind.post_keys)}."]
        lines += [
            "",
            "```yaml",
            yaml.safe_dump([example], allow_unicode=True, sort_keys=False).strip(),
            "```",
            "",
        ]
    return "\n".join(lines)


def write_all(root: Path) -> list[Path]:
    from engine.report import write_atomic

    targets = {
        root / "schemas/rules.schema.json": json.dumps(rules_schema(), indent=2, ensure_ascii=False)
        + "\n",
        root / "schemas/scenario.schema.json": json.dumps(
            scenario_schema(), indent=2, ensure_ascii=False, default=str
        )
        + "\n",
        root / "docs/rules-reference.md": reference_markdown(),
    }
    for path, text in targets.items():
        write_atomic(path, text)
    return list(targets)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path(), help="repository root")
    for path in write_all(parser.parse_args().root):
        print(f"written {path}")


if __name__ == "__main__":
    main()
