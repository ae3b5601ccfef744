"""Generated artefacts for rule writers, from the catalogue itself so they cannot drift.

- ``schemas/rules.schema.json``: JSON Schema of a rule file, for editors
  (VS Code's YAML extension completes keys and flags errors as staff type;
  the bundled rule files point at it with a ``yaml-language-server`` line).
- ``schemas/scenario.schema.json``: the same for scenario files.
- ``docs/scenario-reference.md``: every scenario key
  (:mod:`engine.report.scenario_reference`).
- ``docs/rules-reference.md``: every requirement kind, its fields, an
  example rule and its explanation texts, rendered by the kind's own
  ``explain`` and ``counterfactual`` on a synthetic example person and post
  (:func:`example_world`), so the page shows what ``talenta explain`` says.

Regenerate with ``python -m engine.report.reference``; a test fails when the
committed files differ from what the code generates.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

from engine.inputs.data import load_tables
from engine.inputs.derive import People, derive_people, derive_posts
from engine.inputs.settings import Taxonomy, load_bup, load_taxonomy
from engine.report.files import write_atomic
from engine.report.scenario_reference import scenario_markdown, scenario_schema
from engine.rules.kind import VERDICT_NAMES
from engine.rules.registry import CATALOGUE, PostView
from engine.rules.requirements import Requirement
from engine.rules.ruleset import Rule, Selector

__all__ = [
    "ExampleWorld",
    "example_world",
    "reference_markdown",
    "rules_schema",
    "scenario_markdown",
    "scenario_schema",
    "write_all",
]

RULES_DIR = Path(__file__).resolve().parents[2] / "rules"
EXAMPLE_DATE = dt.date(2026, 7, 1)
# A synthetic Kepala Subbagian who falls short of every example rule, so that
# each kind shows its explanation and its counterfactual. Columns: docs/data.md.
EXAMPLE_PERSON = {
    "nip": "196903152018031001",
    "nama": "Pegawai Contoh",
    "jenis_kelamin": "L",
    "tanggal_lahir": "1969-03-15",
    "tmt_cpns": "2018-03-01",
    "golongan": "III/c",
    "tmt_golongan": "2025-04-01",
    "pendidikan": "D3",
    "jurusan": "Akuntansi",
    "jenis_jabatan": "Pengawas",
    "nama_jabatan": "Kepala Subbagian Keuangan",
    "unit": "Badan Pengelolaan Keuangan Daerah",
    "tmt_jabatan": "2025-07-01",
    "skp_2024": "Baik",
    "skp_2025": "Butuh Perbaikan",
    "jpm": "62",
    "kompetensi": "2",
    "pelatihan": "PKP:2019",
    "hukuman_tingkat": "sedang",
    "hukuman_tmt": "2023-07-01",
    "hukuman_selesai": "2024-06-30",
}
EXAMPLE_POST = {
    "jabatan_id": "DPUPR.BM",
    "nama_jabatan": "Kepala Bidang Bina Marga",
    "unit": "Dinas Pekerjaan Umum dan Penataan Ruang",
    "eselon": "III.b",
    "jenis_jabatan": "Administrator",
    "atasan_id": "",
    "bidang": "Teknik Sipil",
    "kecamatan": "Sangir",
    "nip_pemangku": "",
    "kritis": "tidak",
}
# The talent box is set for the example (it depends on the talent-box file of
# a scenario, not on the catalogue).
EXAMPLE_TALENT_BOX, EXAMPLE_TALENT_REGIME = 5, "Kepka BKN 411/2025"


@dataclass(frozen=True)
class ExampleWorld:
    """The example person (index 0) and post, derived at :data:`EXAMPLE_DATE`."""

    people: People
    post: PostView
    taxonomy: Taxonomy


def example_world(rules_dir: Path = RULES_DIR) -> ExampleWorld:
    """Derive the example person and post through the real loaders."""
    from engine.eligibility.candidates import post_view

    taxonomy = load_taxonomy(rules_dir / "taksonomi.yaml")
    bup = load_bup(rules_dir / "bup.yaml")
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for name, row in (("pegawai.csv", EXAMPLE_PERSON), ("jabatan.csv", EXAMPLE_POST)):
            path = Path(tmp) / name
            with path.open("w", encoding="utf-8", newline="") as handle:
                writer = csv.DictWriter(handle, fieldnames=list(row))
                writer.writeheader()
                writer.writerow(row)
            paths.append(path)
        tables = load_tables(*paths)
    people = derive_people(tables, EXAMPLE_DATE, taxonomy, bup)
    posts = derive_posts(tables, {n: i for i, n in enumerate(people.nip)}, taxonomy)
    people.talent_box = np.array([EXAMPLE_TALENT_BOX], dtype=np.int8)
    people.talent_regime = EXAMPLE_TALENT_REGIME
    return ExampleWorld(people, post_view(posts, 0), taxonomy)


def _example_texts(world: ExampleWorld, name: str) -> list[str]:
    """The example rule of kind ``name`` applied to the example person, as Markdown."""
    req = Requirement.model_validate({name: CATALOGUE[name].example})
    kind = CATALOGUE[name](world.taxonomy)
    people, post = world.people, world.post
    verdict = VERDICT_NAMES[int(kind.evaluate(req.params, people, post)[0])]
    cf = kind.counterfactual(req.params, people, 0, post) if verdict != "PASS" else None
    rows = [
        ("Penjelasan", kind.explain(req.params, people, 0, post, "id")),
        ("Bila gagal", cf.id if cf else "-"),
        ("*Explanation*", f"*{kind.explain(req.params, people, 0, post, 'en')}*"),
        ("*What would change it*", f"*{cf.en}*" if cf else "-"),
    ]
    return [
        f"For the example person and post: **{verdict}**",
        "",
        "| | |",
        "|---|---|",
        *(f"| {label} | {text.replace('|', '/')} |" for label, text in rows),
    ]


def _declarations(name: str) -> list[str]:
    """Where kind ``name`` lives, what it reads, and how its example rule moves in time."""
    kind = CATALOGUE[name]
    params = Requirement.model_validate({name: kind.example}).params
    behaviour = kind().time_behaviour(params)
    lines = [
        f"Defined in `engine/rules/kinds/{name}.py`. "
        f"Reads the person's: {', '.join(kind.facts)} (derived in `engine/inputs/derive.py`).",
    ]
    if kind.post_keys:
        lines += ["", f"Reads the post's: {', '.join(kind.post_keys)}."]
    return [
        *lines,
        "",
        f"Time behaviour of the example rule: {behaviour.value} (as time alone passes, "
        f"its verdict {behaviour.meaning}).",
    ]


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


# What a rule writer needs beyond the fields: how a file is switched on, and
# the rules that bind after appointment instead of excluding.
GUIDE: tuple[str, ...] = (
    "### Switching a rule file on",
    "",
    "A rule file is in force in a round when the scenario names it in `rules:` (a file or a",
    "folder, relative to the scenario) and the scenario date falls in each rule's `effective`.",
    "A rule that replaces a bundled one for its posts names it in `exception_of`. Check with",
    "`talenta check scenario.yaml`, then add cases to `tests/rules/` (tests/rules/README.md).",
    "",
    "### Time",
    "",
    "One calendar arithmetic counts every span (`engine/inputs/derive.py`): age in whole",
    "years by birthday; years of service, in grade, in post and left before BUP in complete",
    "calendar months. A month is complete on its monthly anniversary; an anniversary the",
    "month lacks (29 February in a common year, the 31st) falls on the first of the next",
    "month. Look-backs count back from the scenario date with the same arithmetic, and a",
    "counterfactual date (`memenuhi syarat mulai ...`) is the day the rule starts to pass.",
    "The SKP look-back reads the N assessment years before the scenario's year; a missing",
    "year is UNKNOWN. Sanctions come from the sanction history (`data: hukuman:`, see",
    "docs/data.md) and the pegawai single-column form; annulled ones and those imposed",
    "after the scenario date do not count. Experience without a post-history row is known",
    "only for the current post; the other levels are UNKNOWN.",
    "",
    "### Switching a rule file on in every scenario",
    "",
    "The sample scenarios extend `scenarios/demo.yaml`: a file added to its `rules:` list",
    "is in force in every what-if that `extends` it (a what-if that sets `rules:` itself",
    "replaces the list).",
    "",
    "### Rules of one kind of round: open selections",
    "",
    "A rule with `rounds: [open_selection]` applies only when the scenario says",
    "`round: {kind: open_selection}` (seleksi terbuka for JPT posts); in a regular round it",
    "never applies and is not in force in the plan's manifest. rules/seleksi-terbuka.yaml",
    "holds the open selection's additions for JPT Pratama (PermenPANRB 15/2019; PP",
    "94/2021): golongan at least IV/b (replacing eselon II.b's one-below allowance through",
    "`exception_of`) and no current or past sedang/berat sanction, whose look-back is",
    "`lookback_years` (empty: ever). A rule case says `round: open_selection`.",
    "",
    "### Dated versions: which text is in force on the scenario date",
    "",
    "Every rule and every settings file is dated, and a round reads what is in force on its",
    "date. PP 11/2017 (in force from 2017-04-07) set the structural requirements that PP",
    "17/2020 (2020-02-28) kept in the same terms: such a requirement is one rule from",
    "2017-04-07 whose `source` cites the 2017 article and says PP 17/2020 kept it; a",
    "requirement whose text changed is two rules, the earlier with `until` the day before",
    "the change. The sanction rules stand on PP 11/2017's integrity clause from 2017-04-07",
    "(PP 53/2010's levels before PP 94/2021, the same three). The rules of PP 100/2000",
    "jo. PP 13/2002 (eselon rank ranges, two years in post) have no end date: PP 11/2017",
    "Ps. 363 revoked the regulation but Ps. 364 kept its implementing provisions as far",
    "as they do not conflict (a reading to confirm; set `until` if it proves otherwise).",
    "The settings files (rules/bobot.yaml weights, rules/bup.yaml BUP, rules/kesetaraan.yaml",
    "equivalences, and rules/kotak-talenta.yaml when the scenario names it) hold dated",
    "versions or sections; a scenario date that one of them does not cover is refused with",
    "a problem naming the file and the dates it covers (exit code 2), never a round without",
    "weights or with requirements missing. Today the weights, BUP and equivalences cover",
    "2017-04-07 onwards and the talent box (PermenPANRB 3/2020) 2020-01-01 onwards.",
    "",
    "### Obligations after appointment",
    "",
    "A hard `pelatihan` rule with `timing: within` never excludes: the person placed",
    "without the training carries an obligation, due `months` after the scenario date",
    '(the appointment date) on the calendar: "wajib PKA paling lambat 2028-01-04" for a',
    "placement on 2027-01-04 (PP 11/2017 jo. PP 17/2020: PKP, PKA and PKN II within a",
    "year of appointment). plan.json (`placements[].obligations`), report.md and",
    "report.html, plan.xlsx and `talenta eligible` show it; a soft rule of the same",
    "training (`timing: before`) can still prefer those who have it.",
    "",
    "### Experience in related fields",
    "",
    "`pengalaman_bidang` sums the time in posts whose field relates to the post's `bidang`",
    "(JPT Pratama: 5 years cumulative, PP 11/2017 jo. PP 17/2020 Ps. 107 huruf c angka 3).",
    "Each post-history row's field is its `bidang`, else the `bidang` of the jabatan table's",
    "post its `jabatan_id` names (docs/data.md); `min` says how close the fields must be in",
    "the taxonomy (`family`: the same field or rumpun). Related rows are merged where they",
    "overlap and counted in complete calendar months, the current post up to the scenario",
    "date. Rows of unknown field make the verdict UNKNOWN when they could make up the",
    "shortfall, and so does a person without any history row (only the current post, in",
    "the field of the post they hold, is on record).",
    "",
    "### Verified sources",
    "",
    "Every rule, and every settings file (or each version of one: weights, talent box), says",
    "`verified: true` when its `source` was checked against the regulation's text; without it,",
    'or with `false`, `talenta explain` and the app add "sumber belum diverifikasi" ("source',
    'not verified") to the source, report.md, report.html and plan.xlsx list every such rule',
    "and settings file in force, plan.json records it (`manifest.rules.*.verified`,",
    "`manifest.settings_sources`), `talenta eligible` names the unverified rules of the post",
    "and `talenta check --unverified FILES` lists them with file and line. The bundled files",
    "mark as verified only what was read in the regulation's text; example policies and",
    "figures still to be checked are `false`.",
    "",
)


def reference_markdown() -> str:
    lines = [
        "# Rule reference (generated)",
        "",
        "Generated from the code by `python -m engine.report.reference`; do not edit by hand.",
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
        *GUIDE,
        "## Requirement kinds",
        "",
        "Each kind below ends with what `talenta explain` says for its example rule and this",
        f"synthetic person, applying for this post on {EXAMPLE_DATE} (talent box set to",
        f"{EXAMPLE_TALENT_BOX}, regime {EXAMPLE_TALENT_REGIME}).",
        "",
        "| person (pegawai) | |",
        "|---|---|",
        *(f"| `{k}` | {v} |" for k, v in EXAMPLE_PERSON.items() if k not in {"nip", "nama"}),
        "",
        "| post (jabatan) | |",
        "|---|---|",
        *(f"| `{k}` | {v} |" for k, v in EXAMPLE_POST.items() if v),
        "",
    ]
    world = example_world()
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
        lines += ["", *_declarations(name)]
        lines += [
            "",
            "```yaml",
            yaml.safe_dump([example], allow_unicode=True, sort_keys=False).strip(),
            "```",
            "",
            *_example_texts(world, name),
            "",
        ]
    return "\n".join(lines)


def write_all(root: Path) -> list[Path]:
    targets = {
        root / "schemas/rules.schema.json": json.dumps(rules_schema(), indent=2, ensure_ascii=False)
        + "\n",
        root / "schemas/scenario.schema.json": json.dumps(
            scenario_schema(), indent=2, ensure_ascii=False, default=str
        )
        + "\n",
        root / "docs/rules-reference.md": reference_markdown(),
        root / "docs/scenario-reference.md": scenario_markdown(),
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
