"""Side constraints: CP-SAT over the arc variables, warm-started from the flow.

Called by :func:`solvers.solve` only when the flow optimum breaks a side
constraint (or has a rotation that is not allowed). One Boolean per arc;
an ineligible pair never becomes a variable.

Model
-----
* ``x[a]`` per arc; at most one arc per person (exactly one for
  must-place persons) and per post; pins fixed to 1.
* :class:`~solvers.MaxMoves`, :class:`~solvers.GroupLimit`,
  :class:`~solvers.LinearConstraint`: linear constraints on ``x``.
* Vacancy chains (:class:`~solvers.MaxChainLength`, ``allow_cycles=False``):
  a position ``d[h]`` per person with a home post, 0 unless ``h`` moves.
  If ``a = (i, j)`` is chosen and ``j`` is the home of ``h != i``, then
  ``d[i] >= d[h] + 1`` (``i`` continues the chain ``h`` started or
  continued; a rotation would need ``d`` to increase round a cycle, so it
  is impossible), or, for a person ``i`` without a home post who ends the
  chain, ``d[h] <= k - 1``. ``d <= k`` bounds the chain length.
* Objective: the lexicographic objective with one global scaling
  (:func:`solvers.flow.arc_values` over one component). With post tiers it
  is solved in two stages: fills first, then score and moves with the fills
  held.

Size
----
Up to :data:`FULL_MODEL_ARCS` arcs the model holds every arc and its bound
is the bound of the problem. Beyond, it holds the arcs whose reduced cost
(from the potentials of the score-only flow optimum ``S*``) is small, plus
the flow's own arcs, stay arcs and pins. Any plan that uses a left-out arc
``a`` scores at most ``S* - rc[a]`` (linear-programming duality on the
assignment polytope), so the bound reported is
``min(S*, max(bound on the kept arcs, S* - min rc of the left-out arcs))``:
proven, never estimated.

Infeasibility
-------------
Each side constraint gets an enforcement literal; the constraints in
conflict are found with assumptions
(``sufficient_assumptions_for_infeasibility``) and shrunk by deletion to a
minimal set.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np
from ortools.sat.python import cp_model

from solvers.constraints import GroupLimit, LinearConstraint, MaxChainLength, MaxMoves
from solvers.duals import Residual
from solvers.flow import FlowResult, _tier_weights, prepare, solve_flow
from solvers.plan import build_solution, chain_lengths, repair, side_violations
from solvers.problem import AssignmentProblem
from solvers.solution import Solution, Status

__all__ = ["FULL_MODEL_ARCS", "PRESOLVE_MAX_ARCS", "RESTRICTED_ARCS", "solve_side"]

#: Up to this many arcs the CP-SAT model holds every arc. Measured on the demo
#: regency (31k arcs, a women's share or chain and per-unit limits): the full
#: model found no plan in 30 s, the restricted one (with the bound still
#: covering the left-out arcs through the flow's reduced costs) found one.
FULL_MODEL_ARCS = 2_000
#: Target size of the restricted arc set beyond that.
RESTRICTED_ARCS = 2_000
#: Above this many arcs CP-SAT's presolve is switched off: on the province
#: model (120k arcs, chain constraints) it took the whole minute and returned
#: nothing, while the search without it starts from the hint at once.
PRESOLVE_MAX_ARCS = 50_000

_INT_MIN = -(2**62)
_INT_MAX = 2**62


@dataclass
class _Built:
    model: cp_model.CpModel
    arcs: np.ndarray
    x: list
    literals: dict[str, object] = field(default_factory=dict)
    depth: dict[int, object] = field(default_factory=dict)


def _candidate_arcs(prob: AssignmentProblem) -> np.ndarray:
    """Arcs CP-SAT may use: not banned, not clashing with a pin (canonical order)."""
    prep_free_person = np.ones(prob.n_persons, dtype=bool)
    prep_free_post = np.ones(prob.n_posts, dtype=bool)
    pins = prob.pin_arcs
    prep_free_person[prob.person[pins]] = False
    prep_free_post[prob.post[pins]] = False
    order = prob.canonical
    keep = (
        ~prob.banned[order]
        & prep_free_person[prob.person[order]]
        & prep_free_post[prob.post[order]]
    )
    return order[keep]


def _build(
    prob: AssignmentProblem,
    arcs: np.ndarray,
    *,
    with_literals: bool,
) -> _Built:
    """The CP-SAT model over ``arcs`` (pins are added and fixed to 1)."""
    arcs = np.concatenate([prob.pin_arcs, arcs])
    model = cp_model.CpModel()
    x = [model.new_bool_var("") for _ in range(arcs.size)]
    built = _Built(model, arcs, x)
    for k in range(prob.pin_arcs.size):
        model.add(x[k] == 1)
    p = prob.person[arcs]
    q = prob.post[arcs]

    def groups(key: np.ndarray) -> list[np.ndarray]:
        order = np.argsort(key, kind="stable")
        cuts = np.flatnonzero(np.diff(key[order])) + 1
        return np.split(order, cuts) if order.size else []

    for idx in groups(p):
        lits = [x[i] for i in idx.tolist()]
        if prob.must_place[p[idx[0]]]:
            model.add_exactly_one(lits)
        elif len(lits) > 1:
            model.add_at_most_one(lits)
    for idx in groups(q):
        if idx.size > 1:
            model.add_at_most_one([x[i] for i in idx.tolist()])
    # must-place persons without any arc in the model make it infeasible
    has = np.zeros(prob.n_persons, dtype=bool)
    has[p] = True
    if (prob.must_place & ~has).any():
        model.add_bool_or([])  # empty clause: infeasible

    def literal(name: str):
        if not with_literals:
            return None
        lit = model.new_bool_var(f"enforce[{name}]")
        built.literals[name] = lit
        return lit

    def enforce(ct, lit) -> None:
        if lit is not None:
            ct.only_enforce_if(lit)

    for c in prob.side:
        if isinstance(c, MaxChainLength):
            continue
        lit = literal(c.name)
        if isinstance(c, MaxMoves):
            mask = prob.is_move[arcs] | ((prob.home[p] < 0) if c.count_new else False)
            sel = np.flatnonzero(mask)
            if sel.size > c.limit or lit is not None:
                enforce(
                    model.add(cp_model.LinearExpr.sum([x[i] for i in sel.tolist()]) <= c.limit), lit
                )
        elif isinstance(c, GroupLimit):
            g = c.group[arcs]
            for idx in groups(np.where(g >= 0, g, -1)):
                gid = int(g[idx[0]])
                if gid < 0:
                    continue
                limit = int(c.limits[gid])
                if idx.size > limit or lit is not None:
                    enforce(
                        model.add(cp_model.LinearExpr.sum([x[i] for i in idx.tolist()]) <= limit),
                        lit,
                    )
        elif isinstance(c, LinearConstraint):
            coef = c.coef[arcs]
            sel = np.flatnonzero(coef)
            expr = cp_model.LinearExpr.weighted_sum(
                [x[i] for i in sel.tolist()], coef[sel].tolist()
            )
            lo = _INT_MIN if c.lower is None else int(c.lower)
            hi = _INT_MAX if c.upper is None else int(c.upper)
            enforce(model.add_linear_constraint(expr, lo, hi), lit)
    _add_chains(prob, built, p, q, literal, with_literals)
    return built


def _add_chains(
    prob: AssignmentProblem,
    built: _Built,
    p: np.ndarray,
    q: np.ndarray,
    literal,
    with_literals: bool,
) -> None:
    chain = next((c for c in prob.side if isinstance(c, MaxChainLength)), None)
    if chain is None and prob.allow_cycles:
        return
    model, x = built.model, built.x
    home = prob.home
    holder = np.full(prob.n_posts, -1, dtype=np.int64)
    has_home = home >= 0
    holder[home[has_home]] = np.flatnonzero(has_home)
    h_of_arc = holder[q]
    relevant = np.unique(np.concatenate([p[home[p] >= 0], h_of_arc[h_of_arc >= 0]]))
    n_home = relevant.size
    k_cap = n_home + 1
    if chain is not None and not with_literals:
        k_cap = chain.k
    lit_chain = literal(chain.name) if chain is not None else None
    lit_cycle = literal("allow_cycles") if not prob.allow_cycles else None
    if with_literals:
        # the ordering constraints hold when either literal is on
        z = model.new_bool_var("chain_or_cycle")
        parts = [lit for lit in (lit_chain, lit_cycle) if lit is not None]
        model.add_bool_or(parts).only_enforce_if(z)
        for lit in parts:
            model.add_implication(lit, z)
    else:
        z = None
    d = {int(h): model.new_int_var(0, k_cap, "") for h in relevant.tolist()}
    built.depth = d
    stay = prob.is_stay[built.arcs]
    moving: dict[int, list] = {}
    for i, (person, s) in enumerate(zip(p.tolist(), stay.tolist(), strict=True)):
        if not s and person in d:
            moving.setdefault(person, []).append(x[i])
    for h, var in d.items():
        moved = cp_model.LinearExpr.sum(moving.get(h, []))
        model.add(var <= k_cap * moved)
        model.add(var >= moved)
        if lit_chain is not None and with_literals:
            model.add(var <= chain.k).only_enforce_if(lit_chain)
    sel = np.flatnonzero((h_of_arc >= 0) & (h_of_arc != p))
    for i in sel.tolist():
        h = int(h_of_arc[i])
        person = int(p[i])
        enf = [x[i]] + ([z] if z is not None else [])
        if person in d:
            model.add(d[person] >= d[h] + 1).only_enforce_if(enf)
        elif chain is not None:
            enf_c = [x[i]] + ([lit_chain] if lit_chain is not None and with_literals else [])
            model.add(d[h] <= chain.k - 1).only_enforce_if(enf_c)


def _solver(time_left: float, workers: int, n_arcs: int = 0) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, time_left)
    if n_arcs > PRESOLVE_MAX_ARCS:
        solver.parameters.cp_model_presolve = False
    solver.parameters.num_workers = max(1, int(workers))
    solver.parameters.random_seed = 0
    return solver


def _values(solver: cp_model.CpSolver, n: int) -> np.ndarray:
    sol = np.asarray(solver.response_proto.solution, dtype=np.int64)
    return sol[:n]


def _bound_to_score(bound: float, scale: int) -> int:
    """Largest total score compatible with a composite bound ``S*scale - moves``."""
    b = math.floor(bound + 1e-6 * max(1.0, abs(bound)))  # float bound, rounded up safely
    return (b + scale - 1) // scale if scale > 1 else b


def solve_side(
    prob: AssignmentProblem,
    flow: FlowResult,
    *,
    time_limit: float,
    workers: int,
    t0: float,
) -> Solution:
    """Best plan under the side constraints (see the module docstring)."""
    deadline = t0 + time_limit
    candidates = _candidate_arcs(prob)
    restricted = candidates.size > FULL_MODEL_ARCS
    flow_score = int(prob.score[flow.chosen].sum())
    s_star = flow_score if prob.priority is None else None
    rc_floor: int | None = None
    if restricted:
        arcs, s_star, rc_floor = _restrict(prob, candidates, flow)
    else:
        arcs = candidates
    built = _build(prob, arcs, with_literals=False)
    x = built.x
    all_arcs = built.arcs
    start = repair(prob, flow.chosen)
    if start is not None and not np.isin(start, all_arcs).all():
        start = None  # the restricted set lost an arc of the repaired plan
    hint = np.isin(all_arcs, flow.chosen if start is None else start)
    for var, h in zip(x, hint.tolist(), strict=True):
        built.model.add_hint(var, h)
    if built.depth and start is not None:  # complete the hint: chain positions
        steps, depth = chain_lengths(prob, start)
        pos = dict(zip(prob.person[steps].tolist(), depth.tolist(), strict=True))
        for person, var in built.depth.items():
            built.model.add_hint(var, max(pos.get(person, 0), 0))
    labels = np.zeros(prob.n_persons + prob.n_posts, dtype=np.int64)
    moves_level = prob.has_moves_level
    p_all = prob.person[all_arcs]
    q_all = prob.post[all_arcs]
    m_total = min(np.unique(p_all).size, np.unique(q_all).size)
    scale = m_total + 1 if moves_level else 1
    value = prob.score[all_arcs] * scale - (
        (~prob.is_stay[all_arcs]).astype(np.int64) if moves_level else 0
    )
    notes: list[str] = []
    stage1_optimal = True
    if prob.priority is not None:
        weight = _tier_weights(prob, labels[prob.n_persons :], 1, np.unique(q_all))
        w = weight[q_all]
        built.model.maximize(cp_model.LinearExpr.weighted_sum(x, w.tolist()))
        solver = _solver(deadline - time.perf_counter(), workers, len(x))
        status = solver.solve(built.model)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            got = _values(solver, len(x))
            fills = int(w @ got)
            stage1_optimal = status == cp_model.OPTIMAL
            if not stage1_optimal:
                notes.append("the tier fills are not proven optimal")
            built.model.add(cp_model.LinearExpr.weighted_sum(x, w.tolist()) >= fills)
            built.model.clear_hints()
            for var, h in zip(x, got.tolist(), strict=True):
                built.model.add_hint(var, h)
        else:
            return _no_plan(prob, status, solver, arcs, restricted, workers, deadline, t0)
    built.model.maximize(cp_model.LinearExpr.weighted_sum(x, value.tolist()))
    solver = _solver(deadline - time.perf_counter(), workers, len(x))
    status = solver.solve(built.model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        if start is None or status == cp_model.INFEASIBLE:
            return _no_plan(prob, status, solver, arcs, restricted, workers, deadline, t0)
        # CP-SAT found nothing better in time: the repaired flow plan stands
        chosen = start
        notes.append("CP-SAT found no plan in time; plan = flow optimum repaired")
        score = int(prob.score[chosen].sum())
        bound = s_star if s_star is not None else None
        return build_solution(
            prob,
            chosen,
            Status.FEASIBLE,
            "min_cost_flow+repair",
            time.perf_counter() - t0,
            bound=None if bound is None else max(bound, score),
            message="; ".join(notes),
        )
    got = _values(solver, len(x)).astype(bool)
    chosen = all_arcs[got]
    score = int(prob.score[chosen].sum())
    bound = _bound_to_score(solver.best_objective_bound, scale)
    if restricted:
        assert s_star is not None and rc_floor is not None
        bound = max(bound, s_star - rc_floor)
        notes.append(
            f"CP-SAT on {all_arcs.size} of {candidates.size + prob.pin_arcs.size} arcs "
            "(the others cannot beat the bound)"
        )
    if s_star is not None:
        bound = min(bound, s_star)
    bound = max(bound, score)
    proven = status == cp_model.OPTIMAL and stage1_optimal and (not restricted or bound == score)
    if proven:
        bound = score
    leftover = side_violations(prob, chosen)
    if leftover:  # pragma: no cover - the model encodes every constraint
        raise RuntimeError(f"CP-SAT plan breaks {leftover}")
    return build_solution(
        prob,
        chosen,
        Status.OPTIMAL if proven else Status.FEASIBLE,
        "cp_sat",
        time.perf_counter() - t0,
        bound=bound,
        message="; ".join(notes),
    )


def _restrict(
    prob: AssignmentProblem, candidates: np.ndarray, flow: FlowResult
) -> tuple[np.ndarray, int, int]:
    """Arcs with the smallest reduced costs, ``S*`` and the smallest left-out rc.

    Reduced costs come from the potentials of a score-only optimum (the
    flow's own plan when there are no tiers: ties broken by moves keep it
    score-optimal).
    """
    chosen = flow.chosen
    if prob.priority is not None:
        chosen = solve_flow(prob.with_changes(priority=None)).chosen
    prep = prepare(prob, moves_level=False)
    arcs = prep.arcs
    p, q = prob.person[arcs], prob.post[arcs]
    persons, pl = np.unique(p, return_inverse=True)
    posts, ql = np.unique(q, return_inverse=True)
    cost = -prob.score[arcs]
    chosen_mask = np.isin(arcs, chosen)
    res = Residual(persons.size, posts.size, pl, ql, cost, chosen_mask, ~prep.must[persons])
    if not res.compute_potentials():  # pragma: no cover - the plan is score-optimal
        raise RuntimeError("could not price arcs: the flow plan is not score-optimal")
    rc = res.reduced_costs(pl, ql, cost)
    s_star = int(prob.score[chosen].sum())
    keep = chosen_mask | prob.is_stay[arcs]
    budget = max(RESTRICTED_ARCS - int(keep.sum()), 0)
    free = np.flatnonzero(~keep)
    if budget < free.size:
        cut = np.partition(rc[free], budget)[budget]
        keep[free[rc[free] < cut]] = True
    else:
        keep[free] = True
    left = ~keep
    rc_floor = int(rc[left].min()) if left.any() else 2**62
    return arcs[keep], s_star, rc_floor


def _no_plan(
    prob: AssignmentProblem,
    status: int,
    solver: cp_model.CpSolver,
    arcs: np.ndarray,
    restricted: bool,
    workers: int,
    deadline: float,
    t0: float,
) -> Solution:
    if status == cp_model.MODEL_INVALID:  # pragma: no cover - a bug in _build
        raise RuntimeError(f"CP-SAT model invalid: {solver.response_stats()}")
    if status == cp_model.INFEASIBLE and not restricted:
        names = _conflicts(prob, arcs, workers, deadline)
        return Solution(
            status=Status.INFEASIBLE,
            wall_time=time.perf_counter() - t0,
            method="cp_sat",
            conflicts=tuple(names),
            message="no plan satisfies " + ", ".join(repr(n) for n in names) + " together",
        )
    what = (
        "no plan on the restricted arc set"
        if status == cp_model.INFEASIBLE
        else ("no plan found within the time limit")
    )
    return Solution(
        status=Status.UNKNOWN,
        wall_time=time.perf_counter() - t0,
        method="cp_sat",
        message=what,
    )


def _conflicts(
    prob: AssignmentProblem, arcs: np.ndarray, workers: int, deadline: float
) -> list[str]:
    """A minimal set of constraint names that cannot hold together."""
    built = _build(prob, arcs, with_literals=True)
    names = list(built.literals)
    if not names:
        return ["must_place"]

    def infeasible(subset: list[str]) -> tuple[bool, list[str]]:
        built.model.clear_assumptions()
        built.model.add_assumptions([built.literals[n] for n in subset])
        solver = _solver(max(0.5, deadline - time.perf_counter()), 1)
        status = solver.solve(built.model)
        if status != cp_model.INFEASIBLE:
            return False, []
        core_idx = set(solver.sufficient_assumptions_for_infeasibility())
        core = [n for n in subset if built.literals[n].index in core_idx]
        return True, core or subset

    ok, core = infeasible(names)
    if not ok:
        return names
    for name in list(core):
        trial = [n for n in core if n != name]
        still, _ = infeasible(trial)
        if still:
            core = trial
    return core or ["must_place"]
