"""Render a Plan as plan.json, run.json, report.md and report.html, written atomically.

Every output is rendered in memory first; only then are the files published
together (:mod:`engine.report.publish`: written into a fresh folder beside
the output folder and swapped in), so an interrupted run leaves the previous
report intact and a failed render writes nothing. The HTML is self-contained (no network) and autoescaped:
data never becomes markup.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import jinja2
import numpy as np

from engine.plan.compare import Comparison
from engine.plan.pipeline import Plan
from engine.report.files import write_atomic
from engine.report.publish import publish
from engine.report.svg import svg_bench, svg_chains, svg_talent_box
from engine.report.workbook import plan_sheets, workbook_bytes
from engine.succession.analysis import Succession, analyse
from engine.succession.progression import RankProgression

__all__ = [
    "LABELS",
    "render",
    "render_comparison",
    "succession_view",
    "write_all",
    "write_atomic",
    "write_outputs",
]

LABELS: dict[str, dict[str, Any]] = {
    "id": {
        "title": "Rencana penempatan",
        "talent_box": "Kotak talenta",
        "succession": "Suksesi: kekuatan bangku cadangan",
        "uncovered": "Jabatan tanpa penerus siap dalam 2 tahun",
        "blocking_rule": "Aturan penghalang",
        "compare_title": "Perbandingan rencana",
        "differences": "Perbedaan, satu per baris",
        "posts_differ": "Jabatan yang diisi berbeda",
        "rules_binding": "Aturan dan batasan yang menentukan",
        "rule": "Aturan / batasan",
        "changed_in": "Diubah pada",
        "committee": "Tim",
        "date": "Tanggal",
        "status": "Status",
        "regime": "Rezim penilaian",
        "summary": "Ringkasan",
        "objective": "Nilai tujuan (poin kecocokan)",
        "gain_over": "Keunggulan atas",
        "placements": "Penempatan",
        "post": "Jabatan",
        "person": "Pegawai",
        "from": "Dari",
        "kind": "Jenis",
        "fit": "Kecocokan",
        "price": "Selisih dari optimum",
        "chains": "Rantai kekosongan",
        "shortlists": "Tiga nama per jabatan terbuka",
        "unfilled": "Jabatan yang tidak terisi",
        "unfilled_short": "tidak terisi",
        "post_status": {"unfilled": "dibuka, tidak terisi", "not_opened": "tidak dibuka"},
        "head": {
            "scenario": "Skenario",
            "figure": "Ukuran",
            "value": "Nilai",
            "item": "Butir",
            "jabatan_id": "ID jabatan",
            "unit": "Unit kerja",
            "from_unit": "Dari unit",
            "opened_by": "Dibuka karena",
            "considered": "Dipertimbangkan",
            "eligible": "Memenuhi syarat",
            "length": "Panjang",
            "end": "Akhir",
            "steps": "Langkah",
            "jenis_jabatan": "Jenis jabatan",
            "box": "Kotak",
            "in_pool": "Kelompok rencana suksesi",
            "kinerja_axis": "Sumbu kinerja",
            "potensial_axis": "Sumbu potensial",
        },
        "kinds": {
            "promosi": "promosi",
            "rotasi": "rotasi",
            "dari luar jabatan struktural": "dari luar jabatan struktural",
        },
        "opened_by": {
            "vacant": "kosong",
            "retirement": "pemangku pensiun (BUP)",
            "named": "dibuka oleh skenario",
            "chain": "dikosongkan oleh perpindahan",
        },
        "rules_word": "aturan",
        "box_word": "Kotak",
        "unknown_box": "tidak diketahui",
        "decisions": "Keputusan tim (penetapan dan larangan)",
        "decision": "Keputusan",
        "decision_kind": {"pin": "Penetapan", "ban": "Larangan"},
        "decision_price": "harga (poin tujuan)",
        "displaced": "yang bergeser",
        "pinned": "ditetapkan",
        "stays": "tetap",
        "without": "tanpa keputusan ini:",
        "reason_h": "Alasan",
        "excluded_by": "Tersaring oleh aturan",
        "rules_passed": "Aturan yang dipenuhi",
        "soft_failed": "Aturan lunak tidak dipenuhi",
        "no_candidates": "tidak ada calon yang memenuhi syarat",
        "none": "tidak ada",
        "manifest": "Manifes",
        "solver": "Pemecah",
        "rules_in_force": "Aturan berlaku",
        "end": {
            "outside": "diisi dari luar jabatan struktural",
            "unfilled": "berakhir dengan jabatan tidak terisi",
            "cycle": "rotasi",
        },
        "reason": {
            "no_eligible_person": "tidak ada pegawai yang memenuhi syarat",
            "eligible_placed_elsewhere": "semua yang memenuhi syarat ditempatkan di jabatan lain atau tetap",
        },
        "kpi": {
            "posts": "Jabatan",
            "posts_opened": "Jabatan terbuka",
            "posts_vacated_by_moves": "Dikosongkan oleh promosi",
            "posts_filled": "Terisi",
            "posts_unfilled": "Tidak terisi",
            "moves": "Perpindahan",
            "promotions": "Promosi",
            "from_outside": "Dari luar struktural",
            "stays": "Tetap",
            "leaving_at_bup": "Pensiun (BUP)",
            "chains": "Rantai kekosongan",
            "longest_chain": "Rantai terpanjang",
            "mean_fit": "Rata-rata kecocokan",
            "field_match_rate": "Kesesuaian bidang (%)",
            "women_share": "Perempuan (%)",
            "eligible_pairs": "Pasangan memenuhi syarat",
        },
    },
    "en": {
        "title": "Placement plan",
        "talent_box": "Talent box",
        "succession": "Succession: bench strength",
        "uncovered": "Posts without a successor ready within 2 years",
        "blocking_rule": "Blocking rule",
        "compare_title": "Plan comparison",
        "differences": "Differences, one per line",
        "posts_differ": "Posts filled differently",
        "rules_binding": "Rules and constraints that bite",
        "rule": "Rule / constraint",
        "changed_in": "Changed in",
        "committee": "Committee",
        "date": "Date",
        "status": "Status",
        "regime": "Scoring regime",
        "summary": "Summary",
        "objective": "Objective (fit points)",
        "gain_over": "Gain over",
        "placements": "Placements",
        "post": "Post",
        "person": "Person",
        "from": "From",
        "kind": "Kind",
        "fit": "Fit",
        "price": "Cost against the optimum",
        "chains": "Vacancy chains",
        "shortlists": "Three names per open post",
        "unfilled": "Unfilled posts",
        "unfilled_short": "unfilled",
        "post_status": {"unfilled": "opened, unfilled", "not_opened": "not opened"},
        "head": {
            "scenario": "Scenario",
            "figure": "Figure",
            "value": "Value",
            "item": "Item",
            "jabatan_id": "Post id",
            "unit": "Unit",
            "from_unit": "From unit",
            "opened_by": "Opened by",
            "considered": "Considered",
            "eligible": "Eligible",
            "length": "Length",
            "end": "End",
            "steps": "Steps",
            "jenis_jabatan": "Jenis jabatan",
            "box": "Box",
            "in_pool": "Talent pool",
            "kinerja_axis": "Kinerja axis",
            "potensial_axis": "Potensial axis",
        },
        "kinds": {
            "promosi": "promotion",
            "rotasi": "rotation",
            "dari luar jabatan struktural": "from outside structural posts",
        },
        "opened_by": {
            "vacant": "vacant",
            "retirement": "incumbent retires (BUP)",
            "named": "opened by the scenario",
            "chain": "vacated by a move",
        },
        "rules_word": "rules",
        "box_word": "Box",
        "unknown_box": "unknown",
        "decisions": "Committee decisions (pins and bans)",
        "decision": "Decision",
        "decision_kind": {"pin": "Pin", "ban": "Ban"},
        "decision_price": "price (objective points)",
        "displaced": "displaced",
        "pinned": "pinned",
        "stays": "stays",
        "without": "without this decision:",
        "reason_h": "Reason",
        "excluded_by": "Excluded by rule",
        "rules_passed": "Rules passed",
        "soft_failed": "Soft rules failed",
        "no_candidates": "no eligible candidate",
        "none": "none",
        "manifest": "Manifest",
        "solver": "Solver",
        "rules_in_force": "Rules in force",
        "end": {
            "outside": "filled from outside structural posts",
            "unfilled": "ends with an unfilled post",
            "cycle": "rotation",
        },
        "reason": {
            "no_eligible_person": "nobody is eligible",
            "eligible_placed_elsewhere": "everyone eligible was placed elsewhere or stays",
        },
        "kpi": {
            "posts": "Posts",
            "posts_opened": "Posts opened",
            "posts_vacated_by_moves": "Vacated by promotions",
            "posts_filled": "Filled",
            "posts_unfilled": "Unfilled",
            "moves": "Moves",
            "promotions": "Promotions",
            "from_outside": "From outside structural posts",
            "stays": "Stays",
            "leaving_at_bup": "Retiring (BUP)",
            "chains": "Vacancy chains",
            "longest_chain": "Longest chain",
            "mean_fit": "Mean fit",
            "field_match_rate": "Field match (%)",
            "women_share": "Women (%)",
            "eligible_pairs": "Eligible pairs",
        },
    },
}


def _md_escape(value: object) -> str:
    """Text for a Markdown table cell: no markup, no HTML, no broken table."""
    text = str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for ch in ("\\", "|", "*", "_", "`", "[", "]"):
        text = text.replace(ch, "\\" + ch)
    return text.replace("\n", " ")


def _env() -> jinja2.Environment:
    loader = jinja2.PackageLoader("engine.report", "templates")
    html = jinja2.Environment(
        loader=loader,
        autoescape=jinja2.select_autoescape(["html.j2"]),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    html.filters["md"] = _md_escape
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


def talent_rows(view: Succession) -> list[tuple[object, ...]] | None:
    """One row per person of the talent box, best box first (None without a talent box)."""
    box = view.talent
    if box is None:
        return None
    people = view.context.people
    order = np.lexsort((people.nip.astype(str), -box.box.astype(np.int64))).tolist()
    return [
        (
            str(people.nip[i]),
            str(people.nama[i]),
            str(people.jenis_jabatan[i]),
            str(people.unit[i]),
            int(box.box[i]) or None,
            bool(box.in_pool[i]),
            None if np.isnan(box.kinerja[i]) else round(float(box.kinerja[i]), 1),
            None if np.isnan(box.potensial[i]) else round(float(box.potensial[i]), 1),
        )
        for i in order
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
    env = _env()
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
        "talent_names": sorted(view.boxes.names.items(), reverse=True) if view.boxes else [],
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
                talent=talent_rows(view),
                post_names={pid: p["nama_jabatan"] for pid, p in posts.items()},
            )
        ),
    }


def render_comparison(comparison: Comparison, lang: str = "id") -> dict[str, str | bytes]:
    """compare.json, compare.md, compare.html and compare.xlsx, in memory."""
    t = LABELS[lang]
    c = comparison
    html = _env().get_template("compare.html.j2").render({"c": c, "t": t, "lang": lang})
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
            ["jabatan_id", t["post"], *c.names],
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
            [(r["rule"], *r["exclusions"], ", ".join(r["changed_in"])) for r in c.rules],
        ),
    ]
    return {
        "compare.json": json.dumps(c.as_dict(), ensure_ascii=False, indent=2, sort_keys=True)
        + "\n",
        "compare.md": "\n".join(md) + "\n",
        "compare.html": html,
        "compare.xlsx": workbook_bytes(sheets),
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
