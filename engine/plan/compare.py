"""Lay two or more plans side by side: KPIs, placements that differ, rules and
constraints that bite, and one plain line per difference a committee can
read aloud.

Works on typed plans (:class:`~engine.plan.records.PlanRecord`), so a
comparison can be made of plans built now or read back from plan.json files. The first plan is the baseline every
other is compared with.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from engine.plan.records import PlanRecord

__all__ = ["KPI_KEYS", "Comparison", "compare_plans"]

KPI_KEYS: tuple[str, ...] = (
    "posts_opened",
    "posts_vacated_by_moves",
    "posts_filled",
    "posts_unfilled",
    "moves",
    "promotions",
    "from_outside",
    "chains",
    "longest_chain",
    "mean_fit",
    "field_match_rate",
    "women_share",
    "leaving_at_bup",
)

TEXT = {
    "id": {
        "kpi": "{label}: {a} pada {base} menjadi {b} pada {other}.",
        "objective": "Nilai tujuan: {a} pada {base} menjadi {b} pada {other} (selisih {delta:+.1f}).",
        "post": "{post}: {base} menempatkan {a}; {other} menempatkan {b}.",
        "nobody": "tidak seorang pun",
        "rule_changed": "Aturan {rule} diubah oleh skenario {other}.",
        "rule_bites": "Aturan {rule} menyaring {a} calon pada {base} dan {b} calon pada {other}.",
        "constraint": "Batasan '{name}' pada {other} mengurangi nilai tujuan sebesar {price}.",
    },
    "en": {
        "kpi": "{label}: {a} in {base} becomes {b} in {other}.",
        "objective": "Objective: {a} in {base} becomes {b} in {other} ({delta:+.1f}).",
        "post": "{post}: {base} places {a}; {other} places {b}.",
        "nobody": "nobody",
        "rule_changed": "Rule {rule} is changed by scenario {other}.",
        "rule_bites": "Rule {rule} excludes {a} candidates in {base} and {b} in {other}.",
        "constraint": "Constraint '{name}' in {other} costs {price} of the objective.",
    },
}


@dataclass
class Comparison:
    names: list[str]
    kpis: list[tuple[str, list[Any]]]  # (kpi key, value per plan)
    objective: list[float]
    posts: list[
        dict[str, Any]
    ]  # posts whose occupant differs: jabatan_id, nama_jabatan, per plan {nip, nama, fit}
    people: list[
        dict[str, Any]
    ]  # people whose destination differs: nip, nama, per plan jabatan_id or None
    rules: list[dict[str, Any]]  # rule id, exclusions per plan, changed in which plans
    constraints: list[dict[str, Any]]  # plan name, constraint name, price
    lines: list[str]

    def as_dict(self) -> dict[str, Any]:
        return {
            "plans": self.names,
            "kpis": {k: v for k, v in self.kpis},
            "objective": self.objective,
            "posts": self.posts,
            "people": self.people,
            "rules": self.rules,
            "constraints": self.constraints,
            "lines": self.lines,
        }


def _occupants(plan: PlanRecord) -> dict[str, dict[str, Any]]:
    return {
        str(p.to.jabatan_id): {
            "nip": p.nip,
            "nama": p.nama,
            "fit": p.fit,
            "nama_jabatan": p.to.nama_jabatan,
        }
        for p in plan.placements
    }


def compare_plans(plans: list[PlanRecord], labels: dict[str, Any], lang: str = "id") -> Comparison:
    """Compare ``plans``, the first being the baseline."""
    if len(plans) < 2:
        raise ValueError("compare needs at least two plans")
    names = [p.manifest.scenario.name for p in plans]
    text = TEXT[lang]
    kpis = [(k, [getattr(p.summary, k) for p in plans]) for k in KPI_KEYS]
    objective = [p.objective.value for p in plans]
    lines = _kpi_lines(names, kpis, objective, labels, text)
    posts = _posts_that_differ(plans, names, text, lines)
    people = _people_who_differ(plans)
    rules = _rules_that_differ(plans, names, text, lines)
    constraints = [
        {"plan": names[k], "name": c.name, "price": c.price}
        for k, p in enumerate(plans)
        for c in p.constraints
    ]
    for c in constraints:
        lines.append(text["constraint"].format(name=c["name"], other=c["plan"], price=c["price"]))
    return Comparison(names, kpis, objective, posts, people, rules, constraints, lines)


def _kpi_lines(
    names: list[str],
    kpis: list[tuple[str, list[Any]]],
    objective: list[float],
    labels: dict[str, Any],
    text: dict[str, str],
) -> list[str]:
    """One line per KPI (and the objective) that differs from the baseline."""
    lines: list[str] = []
    base = names[0]
    for k, other in enumerate(names[1:], start=1):
        for key, values in kpis:
            if values[0] != values[k]:
                lines.append(
                    text["kpi"].format(
                        label=labels["kpi"].get(key, key),
                        a=_show(values[0]),
                        b=_show(values[k]),
                        base=base,
                        other=other,
                    )
                )
        if objective[0] != objective[k]:
            lines.append(
                text["objective"].format(
                    a=objective[0],
                    b=objective[k],
                    delta=objective[k] - objective[0],
                    base=base,
                    other=other,
                )
            )
    return lines


def _posts_that_differ(
    plans: list[PlanRecord], names: list[str], text: dict[str, str], lines: list[str]
) -> list[dict[str, Any]]:
    """Posts whose occupant differs between plans; a line for each difference."""
    occupants = [_occupants(p) for p in plans]
    post_ids = sorted({pid for occ in occupants for pid in occ})
    posts = []
    for pid in post_ids:
        who = [occ.get(pid) for occ in occupants]
        if len({w["nip"] if w else None for w in who}) == 1:
            continue
        nama = next(w["nama_jabatan"] for w in who if w)
        posts.append({"jabatan_id": pid, "nama_jabatan": nama, "by_plan": who})
        for k, other in enumerate(names[1:], start=1):
            if (who[0] or {}).get("nip") != (who[k] or {}).get("nip"):
                lines.append(
                    text["post"].format(
                        post=f"{nama} ({pid})",
                        base=names[0],
                        other=other,
                        a=_person(who[0], text),
                        b=_person(who[k], text),
                    )
                )
    return posts


def _people_who_differ(plans: list[PlanRecord]) -> list[dict[str, Any]]:
    """People whose destination differs between plans."""
    destinations = [{p.nip: (p.to.jabatan_id, p.nama) for p in plan.placements} for plan in plans]
    people = []
    for nip in sorted({nip for d in destinations for nip in d}):
        to = [d.get(nip, (None, None))[0] for d in destinations]
        if len(set(to)) > 1:
            nama = next(d[nip][1] for d in destinations if nip in d)
            people.append({"nip": nip, "nama": nama, "to": to})
    return people


def _rules_that_differ(
    plans: list[PlanRecord], names: list[str], text: dict[str, str], lines: list[str]
) -> list[dict[str, Any]]:
    """Rules changed by a scenario, or excluding a different number of candidates."""
    rule_ids = sorted(
        {r for p in plans for r in p.rule_exclusions}
        | {c["rule"] for p in plans for c in p.manifest.rule_changes}
    )
    rules = []
    for rid in rule_ids:
        excl = [p.rule_exclusions.get(rid, 0) for p in plans]
        changed = [
            names[k]
            for k, p in enumerate(plans)
            if any(c["rule"] == rid for c in p.manifest.rule_changes)
        ]
        if len(set(excl)) == 1 and not changed:
            continue
        rules.append({"rule": rid, "exclusions": excl, "changed_in": changed})
        for other in changed:
            lines.append(text["rule_changed"].format(rule=rid, other=other))
        for k, other in enumerate(names[1:], start=1):
            if excl[0] != excl[k]:
                lines.append(
                    text["rule_bites"].format(
                        rule=rid, a=excl[0], b=excl[k], base=names[0], other=other
                    )
                )
    return rules


def _show(value: Any) -> str:
    return "-" if value is None else str(value)


def _person(who: dict[str, Any] | None, text: dict[str, str]) -> str:
    if who is None:
        return text["nobody"]
    return f"{who['nama']} ({who['fit']})"
