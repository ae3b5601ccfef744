"""Why a placement changed between two plans: forced by the inputs, or a tie.

``compare`` finds the posts whose occupant differs between the baseline and
another plan. For each, this module asks of the other plan's own round why
it did not keep the baseline's choice (person X in post P):

- **opening**: P is open in one plan only (a move vacated it, or the
  open-post settings or the BUP cut-off differ);
- **forced**: X cannot take P in the other round: a ban, a hard rule X fails
  there (named), the move policy, or X reaches BUP before the cut-off;
- **tie**: X in P is allowed and costs nothing: a plan of equal value keeps
  the baseline's choice, the two plans differ by a reshuffle between equally
  good plans;
- **value**: X in P is allowed but costs objective points in the other
  round (its exact price): a difference of weights, or the knock-on of other
  changes, made the other choice better.

The price is the solver's exact forcing price (:meth:`solvers.Evidence.forcing_prices`:
one shortest-path computation on the optimal flow, or constrained re-solves
under side constraints). It needs the rounds themselves, so it is given for
plans built from scenarios, not for plans read back from plan.json.
"""

from __future__ import annotations

from typing import Any

import numpy as np

import solvers
from engine.eligibility.candidates import verdicts
from engine.i18n import CHANGES as TEXT
from engine.plan.compare import Comparison
from engine.plan.pipeline import Plan
from engine.round.setup import round_setup
from engine.scoring.fit import SCALE

__all__ = ["MAX_CLASSIFIED", "TEXT", "explain_changes"]

# A province comparison can change thousands of placements; each takes one
# pricing pass, so the first ones are classified and the rest counted.
MAX_CLASSIFIED = 300


def _why(
    plan: Plan, nip: str, jabatan_id: str, evidence: solvers.Evidence | None = None
) -> dict[str, Any]:
    """Why ``plan`` did not place ``nip`` in ``jabatan_id``: a reason kind and its detail.

    ``evidence`` (of the plan's problem and solution) keeps what one price
    computes for the next; without it, one is made.
    """
    ctx = plan.context
    i = int(np.flatnonzero(ctx.people.nip == nip)[0])
    j = int(np.flatnonzero(ctx.posts.jabatan_id == jabatan_id)[0])
    problem, solution = plan.problem, plan.solution
    if any((a, b) == (i, j) for a, b in problem.bans.tolist()):
        return {"kind": "forced", "by": "ban"}
    if any(b == j and a != i for a, b in problem.pins.tolist()):
        return {"kind": "forced", "by": "pin"}
    if problem.arc_index(np.array([i]), np.array([j]))[0] < 0:
        if round_setup(ctx).leaving[i]:
            return {"kind": "forced", "by": "leaving"}
        failed = [
            v.rule_id
            for v in verdicts(ctx.people, ctx.posts, ctx.ruleset, ctx.taxonomy, ctx.day, i, j)
            if v.hard and v.verdict != "PASS"
        ]
        if failed:
            return {"kind": "forced", "by": "rule", "rules": failed}
        return {"kind": "forced", "by": "moves"}
    evidence = evidence or solvers.Evidence(problem, solution)
    persons, price = evidence.forcing_prices(j, time_limit=ctx.loaded.scenario.time_limit)
    at = np.searchsorted(persons, i)
    cost = float(abs(price[at])) / SCALE if at < len(persons) and persons[at] == i else None
    if cost is not None and cost == 0:
        return {"kind": "tie", "price": 0.0}
    if cost is None or not np.isfinite(cost):
        # No plan of the round holds the pair: the side constraints or pins exclude it.
        return {"kind": "forced", "by": "constraints" if problem.side else "pin"}
    return {"kind": "value", "price": round(cost, 1)}


def _line(why: dict[str, Any], post: str, person: str, other: str, keys: list[str], t: dict) -> str:
    if why["kind"] == "opening":
        return t["opening"].format(post=post)
    if why["kind"] == "forced":
        key = f"forced_{why['by']}"
        return t[key].format(
            post=post, other=other, person=person, rules=", ".join(why.get("rules", []))
        )
    if why["kind"] == "tie":
        return t["tie"].format(post=post, other=other, person=person)
    driver = t["driver_weights"].format(keys=", ".join(keys)) if keys else t["driver_knock_on"]
    price = "-" if why["price"] is None else why["price"]
    return t["value"].format(post=post, other=other, person=person, price=price, driver=driver)


def explain_changes(comparison: Comparison, plans: list[Plan], lang: str = "id") -> None:
    """Add to each changed post of ``comparison`` why each other plan changed it, and a line each.

    ``plans`` are the rounds behind the comparison's plans, in the same order.
    The reasons go to ``post["why"]`` (one entry per plan, None for the
    baseline and where the status is the same) and to ``comparison.lines``,
    with one summary line per plan.
    """
    t = TEXT[lang]
    evidence = [solvers.Evidence(p.problem, p.solution) for p in plans]
    for k, other in enumerate(comparison.names[1:], start=1):
        counts = {"forced": 0, "tie": 0, "value": 0, "opening": 0}
        classified = 0
        for post in comparison.posts:
            post.setdefault("why", [None] * len(plans))
            base, mine = post["by_plan"][0], post["by_plan"][k]
            if (base["status"], base.get("nip")) == (mine["status"], mine.get("nip")):
                continue
            if classified >= MAX_CLASSIFIED:
                classified += 1
                continue
            classified += 1
            why, person, where = _reason(plans, evidence, k, post, base, mine)
            post["why"][k] = why
            counts[why["kind"]] += 1
            name = f"{post['nama_jabatan']} ({post['jabatan_id']})"
            keys = comparison.scale_keys[k]
            plan_name = comparison.names[where]
            comparison.lines.append(_line(why, name, person, plan_name, keys, t))
        comparison.lines.append(
            t["summary"].format(
                other=other,
                changed=classified,
                forced=counts["forced"],
                ties=counts["tie"],
                value=counts["value"],
                opening=counts["opening"],
            )
        )
        if classified > MAX_CLASSIFIED:
            comparison.lines.append(
                t["unclassified"].format(
                    other=other, n=classified - MAX_CLASSIFIED, limit=MAX_CLASSIFIED
                )
            )


def _reason(
    plans: list[Plan],
    evidence: list[solvers.Evidence],
    k: int,
    post: dict[str, Any],
    base: dict[str, Any],
    mine: dict[str, Any],
) -> tuple[dict[str, Any], str, int]:
    """Why plan ``k`` differs from the baseline at ``post``: the reason, the person it is
    about, and the plan whose round was asked."""
    if "not_opened" in (base["status"], mine["status"]):
        return {"kind": "opening"}, "", k
    if base["status"] == "filled":
        # Why did plan k not keep the baseline's choice?
        return _why(plans[k], base["nip"], post["jabatan_id"], evidence[k]), base["nama"], k
    # The baseline left the post unfilled and plan k fills it: why not in the baseline?
    return _why(plans[0], mine["nip"], post["jabatan_id"], evidence[0]), mine["nama"], 0
