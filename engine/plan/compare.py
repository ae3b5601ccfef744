"""Lay two or more plans side by side, and say every difference in a line a
committee can read aloud: first what differs in the inputs (settings, rules
in force and their terms, pins, bans, dates, weights), then the effects
(KPIs, the objective when the plans' objectives are on one scale, posts
whose status differs: not opened, filled by whom, or opened and left
unfilled; rules and constraints that bite).

Works on typed plans (:class:`~engine.plan.records.PlanRecord`), so a
comparison can be made of plans built now or read back from plan.json
files. The first plan is the baseline every other is compared with.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from engine.i18n import COMPARE as TEXT
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


# Settings that change what an objective point is worth: plans whose values
# differ here have objectives on different scales.
OBJECTIVE_SCALE_KEYS: tuple[str, ...] = (
    "component_weights",
    "weights_in_force",
    "post_weights",
    "stability_bonus",
    "move_penalty",
    "fill_priority",
    "regime",
    "missing_assessment",
)


@dataclass
class Comparison:
    """Plans side by side; ``lines`` say every difference in words, inputs first."""

    names: list[str]
    inputs: list[dict[str, Any]]  # input differences: kind, key, plan, values
    kpis: list[tuple[str, list[Any]]]  # (kpi key, value per plan)
    objective: list[float]
    scale_keys: list[list[str]]  # per plan: settings that put its objective on another scale
    posts: list[dict[str, Any]]  # posts whose status differs: jabatan_id, nama_jabatan, by_plan
    people: list[dict[str, Any]]  # people whose destination differs: nip, nama, to per plan
    rules: list[
        dict[str, Any]
    ]  # rule id, people and pairs excluded per plan, changed in which plans
    constraints: list[dict[str, Any]]  # plan name, constraint name, price
    lines: list[str]

    @property
    def comparable(self) -> list[bool]:
        """Per plan: is its objective on the baseline's scale."""
        return [not keys for keys in self.scale_keys]

    def as_dict(self) -> dict[str, Any]:
        return {
            "plans": self.names,
            "inputs": self.inputs,
            "kpis": {k: v for k, v in self.kpis},
            "objective": self.objective,
            "objective_comparable": self.comparable,
            "posts": self.posts,
            "people": self.people,
            "rules": self.rules,
            "constraints": self.constraints,
            "lines": self.lines,
        }


def compare_plans(plans: list[PlanRecord], labels: dict[str, Any], lang: str = "id") -> Comparison:
    """Compare ``plans``, the first being the baseline: the inputs that differ, then the effects."""
    if len(plans) < 2:
        raise ValueError("compare needs at least two plans")
    names = [p.manifest.scenario.name for p in plans]
    text = TEXT[lang]
    lines: list[str] = []
    settings = [_settings(p) for p in plans]
    inputs = _input_differences(plans, settings, names, text, lines)
    kpis = [(k, [getattr(p.summary, k) for p in plans]) for k in KPI_KEYS]
    objective = [p.objective.value for p in plans]
    scale_keys = _scale_differences(settings)
    lines += _kpi_lines(names, kpis, objective, scale_keys, labels, text)
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
    return Comparison(
        names, inputs, kpis, objective, scale_keys, posts, people, rules, constraints, lines
    )


def _flat(value: Any, prefix: str = "") -> dict[str, Any]:
    """Nested settings as dotted keys: ``open.retiring_before``, ``post_weights.Pengawas``."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, inner in value.items():
            out.update(_flat(inner, f"{prefix}.{key}" if prefix else str(key)))
        return out
    return {prefix: value}


def _settings(plan: PlanRecord) -> dict[str, Any]:
    """The plan's settings as dotted keys; pins and bans as sorted 'NIP -> post' lists."""
    settings = plan.manifest.settings
    data: dict[str, Any] = {} if settings is None else settings.model_dump(mode="json")
    for key in ("pins", "bans"):
        if key in data:
            data[key] = sorted(f"{p['nip']} -> {p['jabatan_id']}" for p in data[key])
    if data.get("weights_in_force") is not None:
        # the weights the fit used say what the override did, also where a plan
        # takes the regime's weights (its override is null)
        del data["component_weights"]
    data["regime"] = plan.manifest.regime
    if plan.manifest.missing_assessment is not None:
        data["missing_assessment"] = plan.manifest.missing_assessment
    return _flat(data)


def _input_differences(
    plans: list[PlanRecord],
    settings: list[dict[str, Any]],
    names: list[str],
    text: dict[str, str],
    lines: list[str],
) -> list[dict[str, Any]]:
    """Differences between the plans' inputs: settings, then rules in force and their terms."""
    found: list[dict[str, Any]] = []
    for k, other in enumerate(names[1:], start=1):
        for key in sorted(set(settings[0]) | set(settings[k])):
            a, b = settings[0].get(key), settings[k].get(key)
            if a != b:
                found.append({"kind": "setting", "key": key, "plan": other, "values": [a, b]})
                lines.append(
                    text["setting"].format(
                        key=key, a=_show(a), b=_show(b), base=names[0], other=other
                    )
                )
        found += _rule_differences(plans[0], plans[k], names[0], other, text, lines)
    return found


def _rule_differences(
    base: PlanRecord,
    plan: PlanRecord,
    base_name: str,
    other: str,
    text: dict[str, str],
    lines: list[str],
) -> list[dict[str, Any]]:
    """Rules in force in one plan only, and rules whose terms differ."""
    a_rules, b_rules = set(base.manifest.rules_in_force), set(plan.manifest.rules_in_force)
    found: list[dict[str, Any]] = []
    for rid in sorted(b_rules - a_rules):
        found.append({"kind": "rule_added", "key": rid, "plan": other})
        lines.append(text["rule_added"].format(rule=rid, base=base_name, other=other))
    for rid in sorted(a_rules - b_rules):
        found.append({"kind": "rule_removed", "key": rid, "plan": other})
        lines.append(text["rule_removed"].format(rule=rid, base=base_name, other=other))
    for rid in sorted(a_rules & b_rules):
        a, b = base.manifest.rules.get(rid), plan.manifest.rules.get(rid)
        if a is None or b is None:  # plans of schema version 1 do not record the terms
            continue
        fa, fb = _flat(a.model_dump(mode="json")), _flat(b.model_dump(mode="json"))
        for key in sorted(set(fa) | set(fb)):
            if fa.get(key) != fb.get(key):
                values = [fa.get(key), fb.get(key)]
                found.append(
                    {"kind": "rule_terms", "key": f"{rid}: {key}", "plan": other, "values": values}
                )
                lines.append(
                    text["rule_terms"].format(
                        rule=rid, key=key, a=_show(values[0]), b=_show(values[1]), other=other
                    )
                )
    return found


def _scale_differences(settings: list[dict[str, Any]]) -> list[list[str]]:
    """Per plan, the settings that put its objective on another scale than the baseline's."""
    base = settings[0]
    out = []
    for mine in settings:
        out.append(
            sorted(
                key
                for key in set(base) | set(mine)
                if key.split(".")[0] in OBJECTIVE_SCALE_KEYS and base.get(key) != mine.get(key)
            )
        )
    return out


def _kpi_lines(
    names: list[str],
    kpis: list[tuple[str, list[Any]]],
    objective: list[float],
    scale_keys: list[list[str]],
    labels: dict[str, Any],
    text: dict[str, str],
) -> list[str]:
    """One line per KPI (and the objective) that differs from the baseline.

    Objectives on different scales (other weights) are said to be not
    comparable rather than subtracted.
    """
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
        if scale_keys[k]:
            lines.append(
                text["not_comparable"].format(
                    a=objective[0],
                    b=objective[k],
                    keys=", ".join(scale_keys[k]),
                    base=base,
                    other=other,
                )
            )
        elif objective[0] != objective[k]:
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


def _post_status(plan: PlanRecord) -> dict[str, dict[str, Any]]:
    """Each post the plan opens: filled (by whom) or unfilled; a post absent is not opened."""
    status: dict[str, dict[str, Any]] = {
        str(u.post.jabatan_id): {"status": "unfilled", "nama_jabatan": u.post.nama_jabatan}
        for u in plan.unfilled
    }
    for p in plan.placements:
        status[str(p.to.jabatan_id)] = {
            "status": "filled",
            "nip": p.nip,
            "nama": p.nama,
            "fit": p.fit,
            "nama_jabatan": p.to.nama_jabatan,
        }
    return status


def _posts_that_differ(
    plans: list[PlanRecord], names: list[str], text: dict[str, str], lines: list[str]
) -> list[dict[str, Any]]:
    """Posts whose status differs between plans: not opened, filled by whom, or unfilled."""
    statuses = [_post_status(p) for p in plans]
    posts = []
    for pid in sorted({pid for s in statuses for pid in s}):
        by_plan = [s.get(pid, {"status": "not_opened"}) for s in statuses]
        keys = [(w["status"], w.get("nip")) for w in by_plan]
        if len(set(keys)) == 1:
            continue
        nama = next(w["nama_jabatan"] for w in by_plan if "nama_jabatan" in w)
        shown = [{k: v for k, v in w.items() if k != "nama_jabatan"} for w in by_plan]
        posts.append({"jabatan_id": pid, "nama_jabatan": nama, "by_plan": shown})
        for k, other in enumerate(names[1:], start=1):
            if keys[0] != keys[k]:
                lines.append(
                    text["post"].format(
                        post=f"{nama} ({pid})",
                        base=names[0],
                        other=other,
                        a=_status(by_plan[0], text),
                        b=_status(by_plan[k], text),
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
    """Rules changed by a scenario, or excluding a different number of people.

    People are counted once however many posts a rule closes to them; a plan
    written before people were recorded has pair counts only, and the line
    then says pairs.
    """
    rule_ids = sorted(
        {r for p in plans for r in p.rule_exclusions}
        | {c["rule"] for p in plans for c in p.manifest.rule_changes}
    )
    have_people = all(p.rule_exclusions_people is not None for p in plans)
    rules = []
    for rid in rule_ids:
        pairs = [p.rule_exclusions.get(rid, 0) for p in plans]
        excl = (
            [(p.rule_exclusions_people or {}).get(rid, 0) for p in plans] if have_people else None
        )
        changed = [
            names[k]
            for k, p in enumerate(plans)
            if any(c["rule"] == rid for c in p.manifest.rule_changes)
        ]
        if len(set(pairs)) == 1 and (excl is None or len(set(excl)) == 1) and not changed:
            continue
        cells = [
            text["exclusion_cell"].format(people=excl[k], pairs=n)
            if excl is not None
            else text["exclusion_cell_pairs"].format(pairs=n)
            for k, n in enumerate(pairs)
        ]
        rules.append(
            {"rule": rid, "exclusions": excl, "pairs": pairs, "cells": cells, "changed_in": changed}
        )
        for other in changed:
            lines.append(text["rule_changed"].format(rule=rid, other=other))
        for k, other in enumerate(names[1:], start=1):
            if pairs[0] == pairs[k] and (excl is None or excl[0] == excl[k]):
                continue
            key = "rule_bites" if excl is not None else "rule_bites_pairs"
            lines.append(
                text[key].format(
                    rule=rid,
                    a=excl[0] if excl else None,
                    b=excl[k] if excl else None,
                    pa=pairs[0],
                    pb=pairs[k],
                    base=names[0],
                    other=other,
                )
            )
    return rules


def _show(value: Any) -> str:
    """A term as the reader sees it: a dash when absent, a text of several words in quotes."""
    if value is None:
        return "-"
    shown = str(value)
    return f"“{shown}”" if isinstance(value, str) and " " in shown else shown


def _status(who: dict[str, Any], text: dict[str, str]) -> str:
    if who["status"] == "filled":
        return text["filled"].format(nama=who["nama"], fit=who["fit"])
    return text[who["status"]]
