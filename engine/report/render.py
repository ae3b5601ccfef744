"""Render a Plan as plan.json, run.json, report.md and report.html, written atomically.

Every output is rendered in memory first; only then are the files published
together (:mod:`engine.report.publish`: written into a fresh folder beside
the output folder and swapped in), so an interrupted run leaves the previous
report intact and a failed render writes nothing. The HTML is self-contained (no network) and autoescaped:
data never becomes markup.
"""

from __future__ import annotations

import contextlib
import json
import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import jinja2
import numpy as np

from engine.i18n import REPORT as LABELS
from engine.inputs.progression import RankProgression
from engine.plan.compare import Comparison
from engine.plan.pipeline import Plan
from engine.report.files import write_atomic
from engine.report.publish import publish
from engine.report.svg import svg_bench, svg_chains, svg_talent_box
from engine.report.workbook import (
    input_label,
    missing_text,
    plan_sheets,
    unverified_sources,
    workbook_bytes,
)
from engine.succession.analysis import Succession, analyse

__all__ = [
    "LABELS",
    "render",
    "render_comparison",
    "succession_view",
    "write_all",
    "write_atomic",
    "write_outputs",
]


def _md_escape(value: object) -> str:
    """Text for a Markdown table cell: no markup, no HTML, no broken table."""
    text = str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for ch in ("\\", "|", "*", "_", "`", "[", "]"):
        text = text.replace(ch, "\\" + ch)
    return text.replace("\n", " ")


class _CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Jinja2's bytecode cache, in the folder Jinja2 makes for the user in the
    system's temporary folder (owned by the user, mode 0700; refused otherwise):
    a template is compiled once per version of its text (the cache is keyed by
    the text's checksum and the Python version), not on every run, which was a
    tenth of a demo round. A cache that cannot be read or written is no cache."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except OSError:
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def _compiled_templates() -> jinja2.BytecodeCache | None:
    try:
        return _CompiledTemplates()
    except (OSError, RuntimeError):  # no safe temporary folder: compile every time
        return None


def templates() -> jinja2.Environment:
    """The report templates (engine/report/templates): HTML autoescaped, undefined names an error."""
    loader = jinja2.PackageLoader("engine.report", "templates")
    html = jinja2.Environment(
        loader=loader,
        autoescape=jinja2.select_autoescape(["html.j2"]),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        bytecode_cache=_compiled_templates(),
    )
    html.filters["md"] = _md_escape
    html.filters["missing"] = missing_text
    return html


def plan_json(plan: Plan) -> str:
    """plan.json: deterministic (sorted keys, no time, no output path)."""
    return plan.record.to_json()


def pictures(view: Succession, lang: str = "id") -> dict[str, str]:
    """SVG pictures for the report: talent box, vacancy chains, bench strength.

    The succession view (:func:`engine.succession.analysis.analyse`) of the
    plan's own state, drawn by :mod:`engine.report.svg` (every text escaped).
    """
    out = {
        "chains": svg_chains(view.chains, lang),
        "bench": svg_bench(view.bench, lang, only_focus=True),
    }
    if view.boxes is not None and view.talent_version is not None:
        out["talent_box"] = svg_talent_box(view.boxes, view.talent_version, lang)
    out["uncovered"] = view.uncovered  # type: ignore[assignment]
    return out


def talent_rows(
    view: Succession, labels: dict[str, Any] | None = None
) -> list[tuple[object, ...]] | None:
    """One row per person of the talent box, best box first (None without a talent box).

    The last cell says how a missing assessment was counted (empty: assessed).
    Built column by column: a province has tens of thousands of rows.
    """
    box = view.talent
    if box is None:
        return None
    labels = labels or LABELS["id"]
    policy = view.context.weights.missing_assessment
    if policy == "not_eligible":  # the box, unlike a post's fit, is not given at all
        policy = "no_box"
    unassessed = (
        box.missing_assessment
        if box.missing_assessment is not None
        else np.zeros(len(box.box), dtype=bool)
    )
    people = view.context.people
    order = np.lexsort((people.nip.astype(str), -box.box.astype(np.int64)))
    missing = missing_text(["potensi"], policy, labels)
    columns = zip(
        people.nip[order].astype(str).tolist(),
        people.nama[order].astype(str).tolist(),
        people.jenis_jabatan[order].astype(str).tolist(),
        people.unit[order].astype(str).tolist(),
        box.box[order].astype(np.int64).tolist(),
        box.in_pool[order].astype(bool).tolist(),
        box.kinerja[order].astype(np.float64).tolist(),
        box.potensial[order].astype(np.float64).tolist(),
        unassessed[order].astype(bool).tolist(),
        strict=True,
    )
    return [
        (
            nip,
            nama,
            jenis,
            unit,
            b or None,
            in_pool,
            None if math.isnan(kinerja) else round(kinerja, 1),
            None if math.isnan(potensial) else round(potensial, 1),
            missing if gap else "",
        )
        for nip, nama, jenis, unit, b, in_pool, kinerja, potensial, gap in columns
    ]


def succession_view(plan: Plan, progression: RankProgression | None = None) -> Succession:
    """The plan's succession view: the bench strength ``talenta succession`` reports for year 0.

    One computation (:func:`engine.succession.analysis.analyse` on the plan's
    own round and eligible pairs); with the same ``progression`` as
    ``talenta succession --pangkat`` the two agree post for post.
    """
    return analyse(plan.context, plan, progression=progression)


def render(
    plan: Plan, lang: str = "id", progression: RankProgression | None = None
) -> dict[str, str | bytes]:
    """Render every output file's content, in memory.

    ``progression``: regular promotion in rank for the bench's "ready soon"
    (:func:`succession_view`).
    """
    env = templates()
    view = succession_view(plan, progression)
    posts = {
        str(pid): {"nama_jabatan": str(name)}
        for pid, name in zip(plan.context.posts.jabatan_id, plan.context.posts.nama, strict=True)
    }
    values = {
        "plan": plan.record,
        "m": plan.record.manifest,
        "t": LABELS[lang],
        "lang": lang,
        "posts": posts,
        "pictures": pictures(view, lang),
        "input_label": lambda role: input_label(role, LABELS[lang]),
        "talent_names": sorted(view.boxes.names.items(), reverse=True) if view.boxes else [],
        "unverified": unverified_sources(plan.record.manifest, LABELS[lang]),
    }
    return {
        "plan.json": plan_json(plan),
        "run.json": json.dumps(plan.run, indent=2, sort_keys=True) + "\n",
        "report.md": env.get_template("report.md.j2").render(values),
        "report.html": env.get_template("report.html.j2").render(values),
        "plan.xlsx": workbook_bytes(
            plan_sheets(
                plan.record,
                LABELS[lang],
                talent=talent_rows(view, LABELS[lang]),
                post_names={pid: p["nama_jabatan"] for pid, p in posts.items()},
            ),
            (LABELS[lang]["yes"], LABELS[lang]["no"]),
        ),
    }


def render_comparison(comparison: Comparison, lang: str = "id") -> dict[str, str | bytes]:
    """compare.json, compare.md, compare.html and compare.xlsx, in memory."""
    t = LABELS[lang]
    c = comparison
    html = templates().get_template("compare.html.j2").render({"c": c, "t": t, "lang": lang})
    md = [
        f"# {t['compare_title']}",
        "",
        " · ".join(_md_escape(n) for n in c.names),
        "",
        f"| | {' | '.join(_md_escape(n) for n in c.names)} |",
        "|---|" + "---:|" * len(c.names),
    ]
    for key, values in c.kpis:
        md.append(
            f"| {t['kpi'].get(key, key)} | "
            + " | ".join("-" if v is None else str(v) for v in values)
            + " |"
        )
    md.append(f"| {t['objective']} | " + " | ".join(str(v) for v in c.objective) + " |")
    md += ["", f"## {t['differences']}", ""] + [
        f"- {_md_escape(line)}" for line in c.lines or [t["none"]]
    ]
    sheets = [
        (
            t["summary"],
            ["", *c.names],
            [(t["kpi"].get(k, k), *v) for k, v in c.kpis] + [(t["objective"], *c.objective)],
        ),
        (t["differences"][:31], [""], [(line,) for line in c.lines]),
        (
            t["posts_differ"][:31],
            [t["head"]["jabatan_id"], t["post"], *c.names],
            [
                (
                    p["jabatan_id"],
                    p["nama_jabatan"],
                    *(
                        w["nama"] if w["status"] == "filled" else t["post_status"][w["status"]]
                        for w in p["by_plan"]
                    ),
                )
                for p in c.posts
            ],
        ),
        (
            t["rules_binding"][:31],
            [t["rule"], *c.names, t["changed_in"]],
            [(r["rule"], *r["cells"], ", ".join(r["changed_in"])) for r in c.rules],
        ),
    ]
    return {
        "compare.json": json.dumps(c.as_dict(), ensure_ascii=False, indent=2, sort_keys=True)
        + "\n",
        "compare.md": "\n".join(md) + "\n",
        "compare.html": html,
        "compare.xlsx": workbook_bytes(sheets, (t["yes"], t["no"])),
    }


def write_all(
    contents: dict[str, str | bytes], out: Path, inputs: Iterable[Path] = ()
) -> list[Path]:
    """Publish rendered contents into ``out``, all files together or none
    (:mod:`engine.report.publish`); refuse an ``out`` that holds one of ``inputs``."""
    return publish(contents, out, inputs)


def write_outputs(plan: Plan, out: Path, lang: str = "id") -> list[Path]:
    """Render everything, then publish the files together; return the paths."""
    return write_all(render(plan, lang), out, plan.context.input_files.values())
