"""Side constraints: CP-SAT over the arc variables, bounded by flows.

Called by :func:`solvers.solve` only when the flow optimum breaks a side
constraint (or has a rotation that is not allowed). One Boolean per arc;
an ineligible pair never becomes a variable.

Model
-----
* ``x[a]`` per arc; at most one arc per person (exactly one for
  must-place persons) and per post, as linear rows; pins fixed to 1.
* :class:`~solvers.MaxMoves`, :class:`~solvers.GroupLimit`,
  :class:`~solvers.LinearConstraint`: linear constraints on ``x``.
* Vacancy chains (:class:`~solvers.MaxChainLength`, ``allow_cycles=False``):
  a position ``d[h]`` per person with a home post, 0 unless ``h`` moves.
  If ``a = (i, j)`` is chosen and ``j`` is the home of ``h != i``, then
  ``d[i] >= d[h] + 1`` (``i`` continues the chain ``h`` started or
  continued; a rotation would need ``d`` to increase round a cycle, so it
  is impossible), or, for a person ``i`` without a home post who ends the
  chain, ``d[h] <= k - 1``. ``d <= k`` bounds the chain length.
* CP-SAT runs without presolve and with every row in its LP
  (``linearization_level=2``): its presolve turned the person and post rows
  into clauses its LP does not see, and lost the assignment bound.

Objective, in stages
--------------------
The lexicographic objective is solved one level at a time, each with its
own small coefficients and the levels above held as constraints (one
folded objective needs coefficients so large that CP-SAT proved nothing
in 10 s on the demo regency):

1. fills per tier: the flow's fills are the most any plan reaches; they are
   held as cardinality rows (``sum of x into tier t >= F_t``). Only when no
   plan reaches them (the first stage-2 model over every arc is
   infeasible) are the fills found tier by tier, highest first
   (:func:`_stage_fills`);
2. total score;
3. fewest non-stay arcs, with the score held at its optimum and every arc
   that no plan of that score can use fixed to 0 (by the ceilings below).

Arc sets and ceilings
---------------------
Every candidate arc has a *ceiling*: a proven upper bound on the score of a
plan that uses it. First from the score-only flow optimum ``S*`` and its
potentials (``S* - rc``: linear-programming duality on the assignment
polytope, whatever the side constraints); then, when linear side
constraints or fills could bind, from :func:`solvers.lagrange.lagrangian_bound`
(the LP duals of those rows priced into one more flow). Above
:data:`FULL_MODEL_ARCS` candidate arcs, CP-SAT gets the arcs of the flow
plans, the stay arcs and the :data:`RESTRICTED_ARCS` arcs of highest
ceiling. A plan using a left-out arc scores at most the largest left-out
ceiling, so a plan above it is optimal over every arc; otherwise every arc
that can reach the plan's score is taken in and CP-SAT runs once more (or
the set widens, if it had no plan at all). The bound stated is the lowest
of: the CP-SAT bound on a run's arc set or the ceiling of the arcs it left
out (whichever is higher), ``S*``, and the Lagrangian bound: proven, never
estimated.

When the Lagrangian bound applies, CP-SAT first gets a short try
(:data:`FIRST_TRY_SHARE` of the time, at least :data:`FIRST_TRY_MIN`
seconds) on the flow's arc set; if that does not prove its plan, the bound
is computed and CP-SAT goes on over the :data:`LAGRANGE_CP_ARCS` arcs of
highest Lagrangian ceiling for the rest of the time.

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
from solvers.flow import FlowResult, solve_flow
from solvers.lagrange import arc_ceilings, has_rows, lagrangian_bound
from solvers.plan import build_solution, chain_lengths, repair, side_violations
from solvers.problem import AssignmentProblem
from solvers.solution import Solution, Status

__all__ = ["FULL_MODEL_ARCS", "RESTRICTED_ARCS", "solve_side"]

#: Up to this many candidate arcs the CP-SAT model holds every arc. Measured on
#: the demo regency (31.9 k arcs): the full model took 12-18 s to prove its
#: optimum, the restricted one (2,246 arcs) 0.2-0.4 s.
FULL_MODEL_ARCS = 2_000
#: Arcs of highest ceiling in the first restricted arc set (besides the arcs
#: of the flow plans and the stay arcs).
RESTRICTED_ARCS = 2_000
#: When linear side constraints (or fills) could tighten the bound, the first
#: CP-SAT try gets this share of the time left (at least FIRST_TRY_MIN
#: seconds); if it does not prove its plan, the Lagrangian bound is computed
#: and CP-SAT goes on over the arcs it ranks best.
FIRST_TRY_SHARE = 0.1
FIRST_TRY_MIN = 1.0
#: Arcs in the LP that sets the Lagrangian prices (the bound covers all arcs).
#: Measured on the 2 M-arc province: 105 k columns give the LP optimum over
#: every arc (LP 2.2 s, flow 1.6 s); 25 k columns a bound 0.03 % above it.
LAGRANGE_LP_ARCS = 100_000
#: Arcs of highest ceiling CP-SAT gets after the Lagrangian bound. Province,
#: 60 s: 1,085,221 (gap 0.42 %); the flow's 5.8 k-arc set held no plan above
#: 1,053,417.
LAGRANGE_CP_ARCS = 20_000

#: Models of up to this many arcs are solved by one CP-SAT worker: the same
#: model then gives the same plan among tied optima (two workers race, and
#: either may report its own; a test saw two plans). Demo what-ifs (2.2 k
#: arcs), median solver time over two runs with one worker: 0.20-0.31 s and
#: 0.32-0.34 s, against 0.26 s and 0.37 s with two. The province's 20-25 k-arc
#: models keep two: with one, its 60 s gap was 4.27 % against 0.26-0.35 %,
#: and a search cut by the clock is not repeatable anyway.
ONE_WORKER_ARCS = 5_000

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
            model.add(cp_model.LinearExpr.sum(lits) == 1)
        elif len(lits) > 1:
            model.add(cp_model.LinearExpr.sum(lits) <= 1)
    for idx in groups(q):
        if idx.size > 1:
            model.add(_sum(x, idx) <= 1)
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


def _solver(time_left: float, workers: int, n_arcs: int) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, time_left)
    # Without presolve every person and post row stays in CP-SAT's LP, whose
    # bound is then the assignment polytope's. Presolve turned them into
    # clauses its LP does not see: on a 210-arc model with one linear quota
    # the LP bound stayed 50 % above the optimum and nothing was proven in
    # 20 s; without it, optimal in 0.02 s. (On the 120 k-arc province model it
    # also used the whole minute before the search could start.)
    solver.parameters.cp_model_presolve = False
    solver.parameters.linearization_level = 2
    solver.parameters.num_workers = 1 if n_arcs <= ONE_WORKER_ARCS else max(1, int(workers))
    solver.parameters.random_seed = 0
    return solver


def _values(solver: cp_model.CpSolver, n: int) -> np.ndarray:
    sol = np.asarray(solver.response_proto.solution, dtype=np.int64)
    return sol[:n]


def _floor_bound(bound: float) -> int:
    """Largest integer objective compatible with CP-SAT's (float) bound of a maximisation.

    The objectives here have integer coefficients, so CP-SAT's bound is an
    integer carried in a double; the margin only absorbs rounding.
    """
    return math.floor(bound + max(1e-6, 1e-12 * abs(bound)))


def _fills(prob: AssignmentProblem, chosen: np.ndarray) -> dict[int, int]:
    """Posts filled per tier (tiers above 0) by the arcs ``chosen``."""
    assert prob.priority is not None
    tiers, counts = np.unique(prob.priority[prob.post[chosen]], return_counts=True)
    return {int(t): int(c) for t, c in zip(tiers, counts, strict=True) if t > 0}


@dataclass
class _Pricing:
    """Ceilings of the candidate arcs: the best score of a plan that uses each.

    From the score-only flow optimum ``s_star`` (side constraints and tiers
    ignored): a plan that uses an arc of reduced cost ``rc`` scores at most
    ``s_star - rc`` (linear-programming duality on the assignment
    polytope), whatever the side constraints. :meth:`tighten` lowers them
    with the ceilings of :func:`solvers.lagrange.lagrangian_bound`, which
    hold for plans that meet the fills they were computed for.
    """

    arcs: np.ndarray  # candidate arcs, canonical order
    always: np.ndarray  # per candidate: kept in every arc set (flow plans, stays)
    s_star: int
    ceiling: np.ndarray  # per arc of the problem
    flow_ceiling: np.ndarray
    lagrange: int | None = None  # the Lagrangian bound in force, if any

    @classmethod
    def of(cls, prob: AssignmentProblem, flow: FlowResult, candidates: np.ndarray) -> _Pricing:
        plain = prob if prob.priority is None else prob.with_changes(priority=None)
        chosen = flow.chosen if prob.priority is None else solve_flow(plain).chosen
        s_star = int(prob.score[chosen].sum())
        ceiling = s_star - arc_ceilings(plain, chosen, prob.score)
        always = np.isin(candidates, chosen) | np.isin(candidates, flow.chosen)
        always |= prob.is_stay[candidates]
        return cls(candidates, always, s_star, ceiling, ceiling.copy())

    def tighten(self, ceiling: np.ndarray, bound: int) -> None:
        """Take in a Lagrangian bound and its ceilings."""
        self.ceiling = np.minimum(self.ceiling, ceiling)
        self.lagrange = bound

    def reset(self) -> None:
        """Back to the flow's ceilings (the fills they assumed changed)."""
        self.ceiling = self.flow_ceiling.copy()
        self.lagrange = None

    def ceiling_of(self, arcs: np.ndarray) -> np.ndarray:
        """Best score of a plan using each of ``arcs``."""
        return self.ceiling[arcs]

    def _split(self, keep: np.ndarray) -> tuple[np.ndarray, int | None]:
        left = ~keep
        if not left.any():
            return self.arcs, None
        return self.arcs[keep], int(self.ceiling[self.arcs[left]].max())

    def cheapest(
        self, budget: int, extra: np.ndarray | None = None
    ) -> tuple[np.ndarray, int | None]:
        """The arcs always kept, ``extra``, and the ``budget`` others of highest ceiling.

        Returns the arcs and the ceiling of the arcs left out: the best
        score a plan using one of them can reach (``None`` when none is).
        """
        keep = self.always.copy()
        if extra is not None:
            keep |= np.isin(self.arcs, extra)
        free = np.flatnonzero(~keep)
        if budget < free.size:
            top = self.ceiling[self.arcs[free]]
            cut = np.partition(top, top.size - 1 - budget)[top.size - 1 - budget]
            keep[free[top > cut]] = True
        else:
            keep[free] = True
        return self._split(keep)

    def reaching(self, score: int) -> tuple[np.ndarray, int | None]:
        """Every arc that can be in a plan scoring at least ``score``."""
        return self._split(self.always | (self.ceiling[self.arcs] >= score))


@dataclass
class _Run:
    """Outcome of the score and moves stages on one arc set."""

    status: str  # "plan", "infeasible" or "unknown"
    chosen: np.ndarray | None = None
    score: int = 0
    bound: int = 0  # on the score of plans over the arc set that meet the fills
    score_optimal: bool = False
    moves_optimal: bool = False
    n_arcs: int = 0


def _hint(built: _Built, prob: AssignmentProblem, plan: np.ndarray | None) -> None:
    """Hint the arcs of ``plan`` (and its chain positions) to CP-SAT."""
    built.model.clear_hints()
    if plan is None:
        return
    on = np.isin(built.arcs, plan)
    for var, h in zip(built.x, on.tolist(), strict=True):
        built.model.add_hint(var, h)
    if built.depth and np.isin(plan, built.arcs).all():
        steps, depth = chain_lengths(prob, plan)
        pos = dict(zip(prob.person[steps].tolist(), depth.tolist(), strict=True))
        for person, var in built.depth.items():
            built.model.add_hint(var, max(pos.get(person, 0), 0))


def _sum(x: list, idx: np.ndarray):
    return cp_model.LinearExpr.sum([x[i] for i in idx.tolist()])


def _add_fills(built: _Built, prob: AssignmentProblem, fills: dict[int, int]) -> None:
    """Fill at least ``fills[t]`` posts of every tier ``t`` (small coefficients)."""
    assert prob.priority is not None
    tier = prob.priority[prob.post[built.arcs]]
    for t, f in fills.items():
        if f > 0:
            built.model.add(_sum(built.x, np.flatnonzero(tier == t)) >= f)


def _stages(
    prob: AssignmentProblem,
    arcs: np.ndarray,
    fills: dict[int, int] | None,
    plan: np.ndarray | None,
    deadline: float,
    workers: int,
    pricing: _Pricing | None = None,
    stop: float | None = None,
    ceiling: int | None = None,
) -> _Run:
    """Best score, then fewest non-stay arcs, over ``arcs`` with the fills held.

    Two CP-SAT solves on one model, each with its own small objective: the
    score (fills held as cardinality constraints), then the number of
    non-stay arcs with the score held at its optimum. For the second, arcs
    that no plan scoring that much can use (by ``pricing``) are fixed to 0.
    Both end by ``stop`` (default ``deadline``); the second runs only when
    the first proves its score over every arc (``ceiling``: the best score
    of a plan that uses an arc left out of ``arcs``).
    """
    built = _build(prob, arcs, with_literals=False)
    x, all_arcs = built.x, built.arcs
    model = built.model
    if fills:
        _add_fills(built, prob, fills)
    _hint(built, prob, plan)
    score = prob.score[all_arcs]
    total = cp_model.LinearExpr.weighted_sum(x, score.tolist())
    model.maximize(total)
    stop = deadline if stop is None else stop
    solver = _solver(stop - time.perf_counter(), workers, len(x))
    status = solver.solve(model)
    if status == cp_model.MODEL_INVALID:  # pragma: no cover - a bug in _build
        raise RuntimeError(f"CP-SAT model invalid: {solver.response_stats()}")
    if status == cp_model.INFEASIBLE:
        return _Run("infeasible", n_arcs=len(x))
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return _Run("unknown", n_arcs=len(x))
    got = _values(solver, len(x))
    s2 = int(score @ got)
    optimal = status == cp_model.OPTIMAL
    bound = s2 if optimal else max(s2, _floor_bound(solver.best_objective_bound))
    moves_optimal = not prob.has_moves_level
    time_left = stop - time.perf_counter()
    proven = optimal and (ceiling is None or ceiling < s2)
    if proven and not moves_optimal and time_left > 0:
        model.add(total >= s2)
        if pricing is not None:
            for i in np.flatnonzero(pricing.ceiling_of(all_arcs) < s2).tolist():
                model.add(x[i] == 0)
        model.minimize(_sum(x, np.flatnonzero(~prob.is_stay[all_arcs])))
        _hint(built, prob, all_arcs[got.astype(bool)])
        solver = _solver(time_left, workers, len(x))
        status = solver.solve(model)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            got = _values(solver, len(x))
            moves_optimal = status == cp_model.OPTIMAL
    return _Run(
        "plan",
        all_arcs[got.astype(bool)],
        s2,
        bound,
        score_optimal=optimal,
        moves_optimal=moves_optimal,
        n_arcs=len(x),
    )


def _stage_fills(
    prob: AssignmentProblem,
    arcs: np.ndarray,
    plan: np.ndarray | None,
    deadline: float,
    workers: int,
) -> tuple[str, dict[int, int], bool, np.ndarray | None]:
    """Most posts filled per tier, highest tier first, under the side constraints.

    One CP-SAT solve per tier on one model, each maximising that tier's
    count with the higher tiers' counts held. Returns ``("plan", fills,
    proven, plan)``, ``("infeasible", {}, True, None)`` when no plan exists
    at all, or ``("unknown", {}, False, None)`` when none was found in time.
    """
    assert prob.priority is not None
    built = _build(prob, arcs, with_literals=False)
    x, model = built.x, built.model
    tier = prob.priority[prob.post[built.arcs]]
    _hint(built, prob, plan)
    fills: dict[int, int] = {}
    proven = True
    tiers = [int(t) for t in np.unique(tier) if t > 0][::-1]
    if not tiers:  # no tiered post can be filled: any plan fills nothing
        tiers = [0]
    for t in tiers:
        sel = np.flatnonzero(tier == t)
        expr = _sum(x, sel)
        model.maximize(expr)
        solver = _solver(deadline - time.perf_counter(), workers, len(x))
        status = solver.solve(model)
        if status == cp_model.INFEASIBLE:
            return "infeasible", {}, True, None
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return "unknown", {}, False, None
        got = _values(solver, len(x))
        if t > 0:
            fills[t] = int(got[sel].sum())
            model.add(expr >= fills[t])
        proven &= status == cp_model.OPTIMAL
        plan = built.arcs[got.astype(bool)]
        _hint(built, prob, plan)
    return "plan", fills, proven, plan


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
    pricing = _Pricing.of(prob, flow, candidates) if candidates.size else None
    restricted = pricing is not None and candidates.size > FULL_MODEL_ARCS
    s_star: int | None = None  # the core problem's best score: bounds every plan
    if pricing is not None:
        s_star = pricing.s_star
    elif prob.priority is None:
        s_star = int(prob.score[flow.chosen].sum())
    start = repair(prob, flow.chosen)
    hint = flow.chosen if start is None else start
    # Fill targets: the flow's fills are the most any plan can reach; a plan
    # that reaches them under the side constraints proves them optimal.
    fills = _fills(prob, flow.chosen) if prob.priority is not None else None
    fills_proven = True
    stage1_done = prob.priority is None
    lagrange_due = pricing is not None and has_rows(prob, fills)
    budget = RESTRICTED_ARCS
    arcs, ceiling = pricing.cheapest(budget) if restricted else (candidates, None)
    best: _Run | None = None
    best_ceiling: int | None = None
    # the lowest proven bound seen on the score of plans that meet the fills:
    # each run bounds the plans over its arc set, its ceiling those outside it
    proof: int | None = None
    while True:
        stop = None
        if lagrange_due:  # a first, short try on the flow's arc set
            now = time.perf_counter()
            stop = min(deadline, now + max(FIRST_TRY_MIN, FIRST_TRY_SHARE * (deadline - now)))
        run = _stages(prob, arcs, fills, hint, deadline, workers, pricing, stop, ceiling)
        if run.status == "plan" and (best is None or run.score >= best.score):
            best, best_ceiling = run, ceiling
            hint = run.chosen
        if run.status == "plan" or (run.status == "infeasible" and ceiling is not None):
            seen = run.bound if run.status == "plan" else None
            if ceiling is not None:
                seen = ceiling if seen is None else max(seen, ceiling)
            if seen is not None:
                proof = seen if proof is None else min(proof, seen)
        proven = (
            run.status == "plan"
            and run.score_optimal
            and (ceiling is None or ceiling < run.score)
            and run.moves_optimal
        )
        if not proven and lagrange_due and run.status != "infeasible":
            # price the linear side constraints into the flow: a tighter
            # bound, and ceilings that pick the arcs CP-SAT gets next
            assert pricing is not None
            lagrange_due = False
            columns, _ = pricing.cheapest(LAGRANGE_LP_ARCS, hint)
            lag = lagrangian_bound(
                prob,
                candidates,
                columns,
                fills,
                time_limit=max(0.0, deadline - time.perf_counter()),
            )
            if lag is not None:
                pricing.tighten(lag.ceiling, lag.bound)
            if restricted:
                arcs, ceiling = pricing.cheapest(LAGRANGE_CP_ARCS, hint)
            continue
        if run.status == "infeasible":
            if ceiling is not None and restricted:  # widen the arc set
                budget *= 8
                arcs, ceiling = pricing.cheapest(budget)
                continue
            if not stage1_done:  # the flow's fills cannot all be reached
                stage1_done = True
                kind, got, fills_proven, plan = _stage_fills(
                    prob, candidates, hint, deadline, workers
                )
                if kind == "infeasible":
                    return _no_plan(prob, cp_model.INFEASIBLE, candidates, workers, deadline, t0)
                if kind == "unknown":
                    break
                fills, hint, proof = got, plan, None
                budget = RESTRICTED_ARCS
                if pricing is not None:
                    pricing.reset()
                    lagrange_due = has_rows(prob, fills)
                if restricted:
                    arcs, ceiling = pricing.cheapest(budget)
                continue
            if prob.priority is None:
                return _no_plan(prob, cp_model.INFEASIBLE, candidates, workers, deadline, t0)
            break  # pragma: no cover - the fills came from a plan
        if run.status == "unknown":
            break
        if (
            run.score_optimal
            and ceiling is not None
            and ceiling >= run.score
            and restricted
            and time.perf_counter() < deadline
        ):
            # a plan using a left-out arc might still tie or beat it: take in
            # every arc that can reach this score, and solve once more
            arcs, ceiling = pricing.reaching(run.score)
            continue
        break
    lagrange = None if pricing is None else pricing.lagrange
    if best is None or best.chosen is None:
        if start is None:
            return _no_plan(prob, cp_model.UNKNOWN, candidates, workers, deadline, t0)
        score = int(prob.score[start].sum())
        cap = [b for b in (s_star, lagrange) if b is not None]
        repaired_fills = fills is None or _fills(prob, start) == fills
        bound = min(cap) if cap and repaired_fills else s_star
        return build_solution(
            prob,
            start,
            Status.FEASIBLE,
            "min_cost_flow+repair",
            time.perf_counter() - t0,
            bound=None if bound is None else max(bound, score),
            message="CP-SAT found no plan in time; plan = flow optimum repaired",
        )
    notes: list[str] = []
    chosen = best.chosen
    score = best.score
    if best_ceiling is not None:
        notes.append(
            f"CP-SAT on {best.n_arcs} of {candidates.size + prob.pin_arcs.size} arcs "
            "(the others cannot beat the bound)"
        )
    bound = best.bound if proof is None else proof
    for cap in (s_star, lagrange):
        if cap is not None:
            bound = min(bound, cap)
    bound = max(bound, score)
    score_proven = bound == score
    if lagrange is not None:
        notes.append(f"bound priced by the side constraints: {lagrange}")
    if not fills_proven:
        notes.append("the tier fills are not proven optimal")
    if score_proven and not best.moves_optimal:
        notes.append("the score is optimal; fewest moves among such plans not proven")
    proven = fills_proven and score_proven and best.moves_optimal
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


def _no_plan(
    prob: AssignmentProblem,
    status: int,
    arcs: np.ndarray,
    workers: int,
    deadline: float,
    t0: float,
) -> Solution:
    """INFEASIBLE (over every candidate arc, with the conflict named) or UNKNOWN."""
    if status == cp_model.INFEASIBLE:
        names = _conflicts(prob, arcs, workers, deadline)
        return Solution(
            status=Status.INFEASIBLE,
            wall_time=time.perf_counter() - t0,
            method="cp_sat",
            conflicts=tuple(names),
            message="no plan satisfies " + ", ".join(repr(n) for n in names) + " together",
        )
    return Solution(
        status=Status.UNKNOWN,
        wall_time=time.perf_counter() - t0,
        method="cp_sat",
        message="no plan found within the time limit",
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
        solver = _solver(max(0.5, deadline - time.perf_counter()), 1, arcs.size)
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
