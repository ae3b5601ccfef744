"""Golden outputs of every sample scenario, stored before structural work.

A structural change (moving code, typing the plan) must leave what a user
reads unchanged. This module runs each scenario in scenarios/ through the CLI
as a user would, and reduces its outputs to a canonical, diff-able form:
plan.json (minus the installed library versions), report.md, the cell values
of every sheet of plan.xlsx, and the succession command's JSON and Markdown
for the demo.

Regenerate after a change that alters outputs on purpose, and say why in the
commit: ``python tests/golden/golden.py --write``.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
STORE = Path(__file__).resolve().parent / "store"
SCENARIOS = sorted(p.name for p in (ROOT / "scenarios").glob("*.yaml"))
# Fields that describe the machine, not the plan: installed library versions.
VOLATILE_MANIFEST = ("versions",)
_VERSION_IN_TEXT = re.compile(r"\b(talenta|OR-Tools|Python) \d[\w.+-]*")


def _without_versions(text: str) -> str:
    return _VERSION_IN_TEXT.sub(r"\1 <version>", text)


def _talenta(*args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "engine.cli", *args],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )


def _canonical(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def _sheets(path: Path) -> dict[str, list[list[Any]]]:
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True)
    out = {}
    for sheet in book.worksheets:
        out[sheet.title] = [
            [c.isoformat() if hasattr(c, "isoformat") else c for c in row]
            for row in sheet.iter_rows(values_only=True)
            if not (isinstance(row[0], str) and row[0].startswith(("version ", "versi ")))
        ]
    book.close()
    return out


def plan_outputs(scenario: str) -> dict[str, str]:
    """The canonical outputs of ``talenta plan scenarios/<scenario>``, by file name."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        _talenta("plan", f"scenarios/{scenario}", "--out", str(out), "--quiet")
        plan = json.loads((out / "plan.json").read_text(encoding="utf-8"))
        for key in VOLATILE_MANIFEST:
            plan["manifest"].pop(key, None)
        return {
            "plan.json": _canonical(plan),
            "report.md": _without_versions((out / "report.md").read_text(encoding="utf-8")),
            "plan.xlsx.json": _canonical(_sheets(out / "plan.xlsx")),
        }


def succession_outputs() -> dict[str, str]:
    """The canonical outputs of ``talenta succession`` on the demo (horizon 5)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        _talenta("succession", "scenarios/demo.yaml", "--out", str(out), "--quiet")
        return {
            "succession.json": _canonical(
                json.loads((out / "succession.json").read_text(encoding="utf-8"))
            ),
            "succession.md": (out / "succession.md").read_text(encoding="utf-8"),
        }


def all_outputs() -> dict[str, str]:
    """Every golden file, keyed by its path under the store."""
    files: dict[str, str] = {}
    for scenario in SCENARIOS:
        stem = scenario.removesuffix(".yaml")
        for name, text in plan_outputs(scenario).items():
            files[f"{stem}/{name}"] = text
    for name, text in succession_outputs().items():
        files[f"succession/{name}"] = text
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="store the current outputs")
    args = parser.parse_args()
    files = all_outputs()
    if not args.write:
        differ = [k for k, v in files.items() if (STORE / k).read_text(encoding="utf-8") != v]
        print("\n".join(differ) or "identical")
        sys.exit(1 if differ else 0)
    for key, text in files.items():
        path = STORE / key
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    print(f"wrote {len(files)} files under {STORE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
