"""Excel workbooks of plans and comparisons: one sheet per view.

Every sheet has a bold frozen header row, a filter, and column widths fitted
to the content. Text that a spreadsheet would read as a formula (a cell
beginning with ``=``, ``+``, ``-`` or ``@``) is written with a leading
apostrophe, so data from the input never executes in Excel.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from engine.plan.records import Manifest, PlanRecord
from engine.report.xlsx import xlsx_bytes

__all__ = [
    "Sheet",
    "input_label",
    "missing_text",
    "plan_sheets",
    "unverified_sources",
    "workbook_bytes",
]

Sheet = tuple[str, Sequence[str], Iterable[Sequence[Any]]]


def workbook_bytes(sheets: Sequence[Sheet], yes_no: tuple[str, str] = ("ya", "tidak")) -> bytes:
    """Build a workbook from (title, header, rows) triples and return its bytes
    (truth values written as ``yes_no``, in the sheets' language).

    Each sheet has a bold frozen header row, a filter over its rows, and
    widths fitted to its content; the parts are written directly
    (:mod:`engine.report.xlsx`).
    """
    return xlsx_bytes(sheets, yes_no)


def plan_sheets(
    plan: PlanRecord,
    labels: dict[str, Any],
    talent: Sequence[Sequence[Any]] | None = None,
    post_names: dict[str, str] | None = None,
) -> list[Sheet]:
    """The views of one plan: summary, placements, shortlists, unfilled, chains, decisions,
    the talent box (when ``talent`` rows are given) and the manifest.

    Every header is in the labels' language; ``post_names`` names the posts of
    the shortlist sheet.
    """
    t = labels
    h = t["head"]
    names = post_names or {}
    return [
        (t["summary"], [h["figure"], h["value"]], _summary_rows(plan, t)),
        (
            t["placements"],
            [
                h["jabatan_id"],
                t["post"],
                h["unit"],
                "NIP",
                t["person"],
                t["from"],
                h["from_unit"],
                t["kind"],
                t["fit"],
                *(t["components"][c] for c in COMPONENTS),
                t["missing_data"],
                t["rules_passed"],
                t["soft_failed"],
                t["obligations"],
            ],
            _placement_rows(plan, t),
        ),
        (
            t["shortlists"],
            [
                h["jabatan_id"],
                t["post"],
                "#",
                "NIP",
                t["person"],
                t["fit"],
                t["price"],
                "✔",
                t["missing_data"],
            ],
            _shortlist_rows(plan, t, names),
        ),
        (
            t["unfilled"],
            [
                h["jabatan_id"],
                t["post"],
                h["opened_by"],
                t["reason_h"],
                h["considered"],
                h["eligible"],
                t["excluded_by"],
            ],
            _unfilled_rows(plan, t),
        ),
        (t["chains"], ["#", h["length"], h["end"], h["steps"]], _chain_rows(plan, t)),
        *_decision_sheet(plan, t),
        *_talent_sheet(talent, t),
        (t["manifest"], [h["item"], h["value"]], _manifest_rows(plan.manifest, t)),
    ]


def _talent_sheet(rows: Sequence[Sequence[Any]] | None, t: dict[str, Any]) -> list[Sheet]:
    """Everyone in the talent box, one row a person (no sheet without a talent box)."""
    if rows is None:
        return []
    h = t["head"]
    header = [
        "NIP",
        t["person"],
        h["jenis_jabatan"],
        h["unit"],
        h["box"],
        h["in_pool"],
        h["kinerja_axis"],
        h["potensial_axis"],
        t["missing_data"],
    ]
    return [(t["talent_box"], header, rows)]


def _decision_sheet(plan: PlanRecord, t: dict[str, Any]) -> list[Sheet]:
    """The committee's pins and bans with their prices (no sheet when there are none)."""
    if not plan.decisions:
        return []
    rows = [
        (
            t["decision_kind"][d.kind],
            d.nip,
            d.nama,
            d.jabatan_id,
            d.nama_jabatan,
            d.price,
            "; ".join(
                f"{m.nama}: {m.with_decision or t['stays']} ({t['without']} "
                f"{m.without_decision or t['stays']})"
                for m in d.displaced
            ),
        )
        for d in plan.decisions
    ]
    header = [
        t["decision"],
        "NIP",
        t["person"],
        t["head"]["jabatan_id"],
        t["post"],
        t["decision_price"],
    ]
    return [(t["decisions"][:31], [*header, t["displaced"]], rows)]


COMPONENTS = ("kinerja", "potensi", "keilmuan", "pengalaman")


def _summary_rows(plan: PlanRecord, t: dict[str, Any]) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = [(t["kpi"].get(k, k), v) for k, v in plan.summary.kpis()]
    rows.append((t["objective"], plan.objective.value))
    for name, base in plan.baselines.items():
        rows.append((f"{t['gain_over']} {t['baselines'].get(name, name)}", base.gain_of_optimum))
    return rows


def missing_text(missing: list[str], policy: str | None, t: dict[str, Any]) -> str:
    """The fit components made without their data, in words: how each was counted."""
    shown = t["missing_policy"].get(policy or "neutral", policy)
    return "; ".join(t["missing"][c].format(policy=shown) for c in missing)


def _shortlist_rows(
    plan: PlanRecord, t: dict[str, Any], names: dict[str, str]
) -> list[tuple[Any, ...]]:
    policy = plan.manifest.missing_assessment
    return [
        (
            post_id,
            names.get(post_id, ""),
            s.rank,
            s.nip,
            s.nama,
            s.fit,
            s.price,
            s.chosen,
            missing_text(s.missing_data, policy, t),
        )
        for post_id, entries in plan.shortlists.items()
        for s in entries
    ]


def _placement_rows(plan: PlanRecord, t: dict[str, Any]) -> list[tuple[Any, ...]]:
    policy = plan.manifest.missing_assessment
    return [
        (
            p.to.jabatan_id,
            p.to.nama_jabatan,
            p.to.unit,
            p.nip,
            p.nama + (f" ({t['pinned']})" if p.pinned else ""),
            p.origin.nama_jabatan,
            p.origin.unit,
            t["kinds"][p.kind],
            p.fit,
            *(p.components[c] for c in COMPONENTS),
            missing_text(p.missing_data, policy, t),
            ", ".join(p.rules_passed),
            ", ".join(p.soft_rules_failed),
            "; ".join(
                t["obligation"].format(training=o.training[0], due=o.due) for o in p.obligations
            ),
        )
        for p in plan.placements
    ]


def _unfilled_rows(plan: PlanRecord, t: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [
        (
            u.post.jabatan_id,
            u.post.nama_jabatan,
            t["opened_by"][u.opened_by],
            t["reason"][u.reason],
            u.considered,
            u.eligible,
            ", ".join(f"{e.rule} ({e.people})" for e in u.excluded_by),
        )
        for u in plan.unfilled
    ]


def _chain_rows(plan: PlanRecord, t: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [
        (
            k + 1,
            c.length,
            t["end"][c.end],
            " <- ".join(
                f"{s.post.nama_jabatan} ({s.filled_by.nama if s.filled_by else '-'})"
                for s in c.steps
            ),
        )
        for k, c in enumerate(plan.chains)
    ]


def input_label(role: str, labels: dict[str, Any]) -> str:
    """An input's role in the manifest (``data.pegawai``, ``rules:rules/x.yaml``) in words."""
    kind, _, path = role.partition(":")
    word = labels["inputs"].get(kind, kind)
    return f"{word} {path}" if path else word


def _manifest_rows(m: Manifest, t: dict[str, Any]) -> list[tuple[Any, ...]]:
    solver = f"{m.solver.method} ({m.solver.status})" + (
        f": {m.solver.message}" if m.solver.message else ""
    )
    return [
        (t["head"]["scenario"], m.scenario.name),
        (t["date"], m.scenario.date),
        (t["regime"], m.regime),
        (t["solver"], solver),
        *((t["version"].format(name=k), v) for k, v in m.versions.items()),
        *((f"sha256 {input_label(k, t)}", v) for k, v in m.inputs_sha256.items()),
        (t["rules_in_force"], ", ".join(m.rules_in_force)),
        *(
            (f"{t['unverified_sources']}: {name}", f"{source} ({t['unverified']})")
            for name, source in unverified_sources(m, t)
        ),
    ]


def unverified_sources(m: Manifest, t: dict[str, Any]) -> list[tuple[str, str]]:
    """(rule id or setting, legal basis) of each rule and settings file in force whose
    source was not verified against the regulation's text: rules first, in force order;
    a setting is named in the words of ``t``."""
    rules = [
        (rid, m.rules[rid].source)
        for rid in m.rules_in_force
        if rid in m.rules and not m.rules[rid].verified
    ]
    names = t["settings_names"]
    settings = [(names.get(s.setting, s.setting), s.source) for s in m.settings_sources]
    return rules + [x for x, s in zip(settings, m.settings_sources, strict=True) if not s.verified]
