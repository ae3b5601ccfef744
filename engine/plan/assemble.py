"""Turn a validated solution into the Plan's JSON: placements, chains, unfilled
posts with reasons, shortlists, objective, summary and manifest.

Every figure here is traced to its source: a placement carries its score
components and the rules it passed; an unfilled post names the rules that
excluded its candidates or the people placed elsewhere; a shortlist entry
carries the exact price (fit points lost against the optimum) of choosing
that person instead.
"""

from __future__ import annotations

import platform
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

import solvers
from engine.eligibility.candidates import Candidates
from engine.inputs.data import file_sha256
from engine.scoring.fit import SCALE, Scores, post_weights

if TYPE_CHECKING:
    from engine.plan.pipeline import Context

__all__ = ["assemble", "input_hashes", "versions"]

SCHEMA_VERSION = "1"


def _r(x: float, digits: int = 1) -> float:
    return float(round(float(x), digits))


def assemble(
    ctx: Context,
    cands: Candidates,
    scores: Scores,
    problem: solvers.AssignmentProblem,
    solution: solvers.Solution,
    open_now: np.ndarray,
    leaving: np.ndarray,
    is_stay: np.ndarray,
) -> dict[str, Any]:
    sc = ctx.loaded.scenario
    people, posts = ctx.people, ctx.posts
    arc_of = dict(
        zip(
            zip(solution.person.tolist(), solution.post.tolist(), strict=True),
            solution.arc.tolist(),
            strict=True,
        )
    )  # the chosen arcs only: a province round has tens of millions of arcs
    chosen = list(arc_of)
    occupant = np.full(posts.n, -1, dtype=np.int64)
    placed_at = np.full(people.n, -1, dtype=np.int64)
    for i, j in chosen:
        occupant[j] = i
        placed_at[i] = j
    moves = [(i, j) for i, j in chosen if not is_stay[arc_of[(i, j)]]]
    move_set = set(moves)
    vacated = np.zeros(posts.n, dtype=bool)
    for i, _ in moves:
        if people.home[i] >= 0:
            vacated[people.home[i]] = True
    applicable = ctx.ruleset.applicable(sc.date, posts)
    hard_rules_of = [
        [r.rule.id for r, m in applicable if m[j] and r.rule.hard] for j in range(posts.n)
    ]

    def post_ref(j: int) -> dict[str, Any] | None:
        if j < 0:
            return None
        return {
            "jabatan_id": str(posts.jabatan_id[j]),
            "nama_jabatan": str(posts.nama[j]),
            "jenis_jabatan": str(posts.jenis_jabatan[j]),
            "unit": str(posts.unit[j]),
        }

    def person_ref(i: int) -> dict[str, Any]:
        return {"nip": str(people.nip[i]), "nama": str(people.nama[i])}

    placements = []
    for i, j in sorted(moves, key=lambda ij: (str(posts.jabatan_id[ij[1]]), ij[0])):
        k = arc_of[(i, j)]
        parts = scores.at(k)
        home = int(people.home[i])
        if home < 0:
            kind = "dari luar jabatan struktural"
            origin = {
                "jabatan_id": None,
                "nama_jabatan": str(people.jenis_jabatan[i]),
                "jenis_jabatan": str(people.jenis_jabatan[i]),
                "unit": str(people.unit[i]),
            }
        else:
            kind = "promosi" if posts.level[j] > posts.level[home] else "rotasi"
            origin = post_ref(home)
        soft = [rid for rid, mask in cands.soft_failed if k < len(mask) and mask[k]]
        placements.append(
            {
                **person_ref(i),
                "from": origin,
                "to": post_ref(j),
                "kind": kind,
                "fit": _r(scores.fit[k]),
                "components": {c: _r(v[0]) for c, v in parts.components.items()},
                "weighted": {c: _r(v[0], 2) for c, v in parts.weighted.items()},
                "penalty": _r(scores.penalty[k]),
                "soft_rules_failed": soft,
                "rules_passed": hard_rules_of[j],
                "arc_score": int(problem.score[k]),
            }
        )

    # Vacancy chains: start at each post opened before the solve; follow the
    # post the mover left.
    chains = []
    mover_home = {j: int(people.home[i]) for i, j in moves}
    visited: set[int] = set()
    starts = [
        j for j in np.flatnonzero(open_now) if occupant[j] >= 0 and (occupant[j], j) in move_set
    ]
    for start in sorted(starts, key=lambda j: str(posts.jabatan_id[j])):
        steps, j, end = [], int(start), "outside"
        while True:
            visited.add(j)
            i = int(occupant[j])
            home = mover_home.get(j, -1)
            steps.append(
                {
                    "post": post_ref(j),
                    "filled_by": person_ref(i),
                    "from_jabatan_id": str(posts.jabatan_id[home]) if home >= 0 else None,
                }
            )
            if home < 0:
                end = "outside"
                break
            if occupant[home] < 0:
                end = "unfilled"
                steps.append({"post": post_ref(home), "filled_by": None, "from_jabatan_id": None})
                break
            if home in visited:
                end = "cycle"
                break
            j = home
        chains.append(
            {
                "start": str(posts.jabatan_id[start]),
                "length": sum(1 for s in steps if s["filled_by"]),
                "end": end,
                "steps": steps,
            }
        )
    # Rotations (cycles of moves that no open post starts).
    for _, j in sorted(moves, key=lambda ij: str(posts.jabatan_id[ij[1]])):
        if j in visited:
            continue
        steps, cur = [], j
        while cur not in visited and occupant[cur] >= 0:
            visited.add(cur)
            mover = int(occupant[cur])
            home = mover_home.get(cur, -1)
            steps.append(
                {
                    "post": post_ref(cur),
                    "filled_by": person_ref(mover),
                    "from_jabatan_id": str(posts.jabatan_id[home]) if home >= 0 else None,
                }
            )
            if home < 0:
                break
            cur = home
        chains.append(
            {
                "start": str(posts.jabatan_id[j]),
                "length": len(steps),
                "end": "cycle",
                "steps": steps,
            }
        )

    # Unfilled posts and why.
    # Candidates are sorted by post, then person.
    post_start = np.searchsorted(cands.post, np.arange(posts.n + 1))
    unfilled = []
    for j in np.flatnonzero(occupant < 0):
        j = int(j)
        opened_by = (
            "vacant"
            if posts.holder[j] < 0
            else (
                "retirement" if leaving[posts.holder[j]] else ("named" if open_now[j] else "chain")
            )
        )
        eligible = cands.person[post_start[j] : post_start[j + 1]].tolist()
        excluded = sorted(cands.excluded[j].items(), key=lambda kv: (-kv[1], kv[0]))
        entry: dict[str, Any] = {
            "post": post_ref(j),
            "opened_by": opened_by,
            "considered": int(cands.considered[j]),
            "eligible": len(eligible),
            "unknown": int(cands.unknown[j]),
            "excluded_by": [{"rule": rid, "people": n} for rid, n in excluded],
        }
        entry["eligible_placed_elsewhere"] = []
        if not eligible:
            entry["reason"] = "no_eligible_person"
        else:
            entry["reason"] = "eligible_placed_elsewhere"
            entry["eligible_placed_elsewhere"] = [
                {
                    **person_ref(i),
                    "placed_at": str(posts.jabatan_id[placed_at[i]]) if placed_at[i] >= 0 else None,
                }
                for i in eligible[:10]
            ]
        unfilled.append(entry)
    unfilled.sort(key=lambda e: e["post"]["jabatan_id"])

    # Shortlists for every post that was open in the plan (opened, or vacated by a move).
    # Prices are exact (one shortest-path computation per post on the optimal
    # flow); above solvers.evidence.EXACT_MAX_ARCS arcs they are upper bounds
    # found on a restricted arc set. Under side constraints an exact price
    # needs a constrained re-solve per candidate; the prices are then those of
    # the plan without the side constraints, and the plan says so.
    shortlist_posts = np.flatnonzero(open_now | vacated)
    shortlists = {}
    price_problem, price_solution, price_basis = problem, solution, "exact"
    if problem.side:
        price_problem = problem.with_changes(side=[])
        price_solution = solvers.solve(price_problem, time_limit=sc.time_limit)
        price_basis = "without side constraints"
    if solvers.pricing_basis(price_problem) == "restricted":
        # Tens of millions of arcs: priced on each person's and post's best arcs.
        price_basis = (
            "upper bounds" if price_basis == "exact" else "upper bounds without side constraints"
        )
    # One Evidence for every post: the potentials of the first post's prices serve the rest.
    evidence = solvers.Evidence(price_problem, price_solution)
    for j in sorted(shortlist_posts.tolist(), key=lambda j: str(posts.jabatan_id[j])):
        persons, price = evidence.forcing_prices(j)
        if len(persons) == 0:
            shortlists[str(posts.jabatan_id[j])] = []
            continue
        fit = scores.fit[problem.arc_index(persons, np.full(len(persons), j))]
        # The placed person first, then by price (ties: an equally good plan
        # exists with them), then by fit; NIP makes the order total.
        chosen_here = persons == occupant[j]
        order = np.lexsort((persons, -fit, np.abs(price), ~chosen_here))[: sc.shortlist]
        shortlists[str(posts.jabatan_id[j])] = [
            {
                "rank": r + 1,
                **person_ref(int(persons[o])),
                "fit": _r(fit[o]),
                "price": _r(abs(price[o]) / SCALE) if np.isfinite(price[o]) else None,
                "chosen": bool(occupant[j] == persons[o]),
            }
            for r, o in enumerate(order)
        ]

    # Objective and its components over every chosen arc.
    ks = np.array([arc_of[c] for c in chosen], dtype=np.int64)
    stay_k = ks[is_stay[ks]]
    move_k = ks[~is_stay[ks]]
    # Components add up to the objective: each arc's weighted components times
    # its post's weight, minus soft penalties, plus stay bonuses, minus moves.
    w = post_weights(posts, sc.post_weights)[problem.post[ks]]
    components = {c: _r((v * w).sum()) for c, v in scores.at(ks).weighted.items()}
    objective = {
        "value": _r(solution.objective / SCALE),
        "bound": _r(solution.bound / SCALE) if solution.bound is not None else None,
        "gap": solution.gap,
        "components": components,
        "soft_penalties": -_r((scores.penalty[ks] * w).sum()),
        "stability_bonus": _r(len(stay_k) * sc.stability_bonus),
        "move_penalty": -_r(len(move_k) * sc.move_penalty),
        "unit": "fit points, weighted by post (post_weights)",
    }
    baselines = {}
    for name, fn in (("greedy", solvers.greedy), ("cascade", solvers.cascade)):
        base = fn(problem)
        if base.objective is None:  # the heuristic found no plan under the side constraints
            baselines[name] = {
                "objective": None,
                "gain_of_optimum": None,
                "status": base.status.name,
            }
            continue
        baselines[name] = {
            "objective": _r(base.objective / SCALE),
            "gain_of_optimum": _r((solution.objective - base.objective) / SCALE),
            "posts_filled": len(base.post),
            "status": base.status.name,
        }

    opened = int(open_now.sum())
    open_in_plan = open_now | vacated
    filled = int((open_in_plan & (occupant >= 0)).sum())
    fits = [p["fit"] for p in placements]
    summary = {
        "posts": int(posts.n),
        "posts_opened": opened,
        "posts_vacated_by_moves": int(vacated.sum()),
        "posts_filled": filled,
        "posts_unfilled": len(unfilled),
        "moves": len(moves),
        "promotions": sum(1 for p in placements if p["kind"] == "promosi"),
        "from_outside": sum(1 for p in placements if p["kind"] == "dari luar jabatan struktural"),
        "stays": len(stay_k),
        "leaving_at_bup": int(leaving[posts.holder[posts.holder >= 0]].sum()),
        "chains": len(chains),
        "longest_chain": max((c["length"] for c in chains), default=0),
        "mean_fit": _r(np.mean(fits)) if fits else None,
        "field_match_rate": _r(
            np.mean([p["components"]["keilmuan"] >= 60 for p in placements]) * 100
        )
        if placements
        else None,
        "women_share": _r(np.mean([people.jenis_kelamin[i] == "P" for i, _ in moves]) * 100)
        if moves
        else None,
        "eligible_pairs": len(cands),
    }
    # Which rules bite: people each hard rule excluded, summed over the open posts.
    exclusions: dict[str, int] = {}
    for j in np.flatnonzero(open_now | vacated):
        for rid, n in cands.excluded[int(j)].items():
            exclusions[rid] = exclusions.get(rid, 0) + int(n)
    constraints = []
    if problem.side:
        prices = solvers.side_constraint_prices(problem, solution, time_limit=sc.time_limit)
        constraints = [
            {"name": c.name, "price": _r(prices.get(c.name, 0) / SCALE)} for c in problem.side
        ]
    manifest = {
        "schema_version": SCHEMA_VERSION,
        "scenario": {
            "name": sc.name,
            "committee": sc.committee,
            "date": sc.date.isoformat(),
            "file": ctx.loaded.path.name,
            # Relative to the project folder (the scenario folder's parent), so
            # the plan can be re-run from its manifest: talenta rerun plan.json.
            "path": _project_relative(ctx.loaded.path),
        },
        "inputs_sha256": input_hashes(ctx.input_files),
        "rules_in_force": cands.rules_in_force,
        "rule_changes": [c.model_dump(mode="json", exclude_none=True) for c in sc.changes],
        "regime": ctx.weights.regime,
        "talent_regime": ctx.talent.regime if ctx.talent is not None else None,
        "solver": {
            "method": solution.method,
            "status": solution.status.name,
            "message": solution.message,
        },
        "versions": versions(),
    }
    return {
        "status": solution.status.name,
        "objective": objective,
        "summary": summary,
        "baselines": baselines,
        "placements": placements,
        "chains": chains,
        "unfilled": unfilled,
        "shortlists": shortlists,
        "shortlist_prices": price_basis,
        "rule_exclusions": dict(sorted(exclusions.items())),
        "constraints": constraints,
        "manifest": manifest,
    }


def _project_relative(path: Path) -> str:
    resolved = path.resolve()
    return resolved.relative_to(resolved.parent.parent).as_posix()


def versions() -> dict[str, str]:
    """Versions of the software that made a plan."""
    out = {"python": platform.python_version()}
    for dist in ("talenta", "ortools", "pandas", "numpy", "networkx", "pyyaml", "pydantic"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = "not installed"
    return out


def input_hashes(files: dict[str, Path]) -> dict[str, str]:
    return {role: file_sha256(path) for role, path in sorted(files.items())}
