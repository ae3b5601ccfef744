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
constraints or fills could bind, from :func:`solvers.backends.lagrange.lagrangian_bound`
(the LP duals of those rows priced into one more flow). Above
``Settings.full_model_arcs`` candidate arcs, CP-SAT gets the arcs of the flow
plans, the stay arcs and the ``Settings.restricted_arcs`` arcs of highest
ceiling. A plan using a left-out arc scores at most the largest left-out
ceiling, so a plan above it is optimal over every arc; otherwise every arc
that can reach the plan's score is taken in and CP-SAT runs once more (or
the set widens, if it had no plan at all). The bound stated is the lowest
of: the CP-SAT bound on a run's arc set or the ceiling of the arcs it left
out (whichever is higher), ``S*``, and the Lagrangian bound: proven, never
estimated.

When the Lagrangian bound applies, CP-SAT first gets a short try
(``Settings.first_try_share`` of the time, at least ``first_try_min``
seconds) on the flow's arc set; if that does not prove its plan, the bound
is computed and CP-SAT goes on over the ``Settings.lagrange_cp_arcs`` arcs of
highest Lagrangian ceiling for the rest of the time.

Budget
------
CP-SAT's limit is deterministic time (its own count of the work done), not
the wall clock, so the plan does not depend on how busy the machine is:
``Settings.cp_deterministic_per_second`` units per second of the solve's
time limit, shared by every CP-SAT run of the solve (:class:`_Budget`; the
first try gets ``first_try_share`` of what is left, at least
``first_try_min`` seconds' worth). Models above ``Settings.one_worker_arcs``
arcs get ``Settings.cp_workers`` workers, interleaved (deterministic);
smaller ones one. The wall clock only stops a run at
``Settings.cp_wall_factor`` times the time limit, and a plan cut by it says so.

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

from solvers.backends.base import Request
from solvers.backends.flow import solve_flow
from solvers.backends.lagrange import arc_ceilings, has_rows, lagrangian_bound
from solvers.plan import build_solution, chain_lengths, repair, side_violations
from solvers.problem import AssignmentProblem
from solvers.solution import Solution, Status

__all__ = ["CpSatBackend", "solve_side"]


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

    for c in prob.side:
        if c.chains:  # the chain-depth model below, with allow_cycles
            continue
        c.build(model, x, arcs, prob, literal(c.name))
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
    chain = next((c for c in prob.side if c.chains), None)
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


class _Budget:
    """The deterministic time CP-SAT may use in one solve, and what it used.

    ``time_limit * cp_deterministic_per_second`` units; each run is charged
    the deterministic time it reports, so how much is left (and so every
    later run and decision) is the same on a quiet or a busy machine. The
    wall clock only stops a run at ``cp_wall_factor`` times the time limit
    (``wall_hit`` then says a run was cut by it).
    """

    def __init__(self, req: Request) -> None:
        s = req.settings
        self.total = req.time_limit * s.cp_deterministic_per_second
        self.used = 0.0
        self.wall_stop = req.t0 + req.time_limit * s.cp_wall_factor
        self.wall_hit = False

    def left(self) -> float:
        """Deterministic time left."""
        return self.total - self.used

    def solve(
        self,
        model: cp_model.CpModel,
        req: Request,
        n_arcs: int,
        cap: float | None = None,
        workers: int | None = None,
        least: float = 0.0,
    ) -> tuple[cp_model.CpSolver, int]:
        """Solve ``model`` within what is left (at most ``cap``, at least
        ``least``); charge its time."""
        det = self.left() if cap is None else min(self.left(), cap)
        det = max(_MIN_DET, least, det)
        solver = _solver(det, self.wall_stop - time.perf_counter(), req, n_arcs)
        if workers is not None:
            solver.parameters.num_workers = workers
            solver.parameters.interleave_search = workers > 1
        status = solver.solve(model)
        self.used += solver.response_proto.deterministic_time
        if status not in (cp_model.OPTIMAL, cp_model.INFEASIBLE):
            self.wall_hit |= time.perf_counter() >= self.wall_stop
        return solver, status


#: The least deterministic time a run is given (about 30 ms of CPU).
_MIN_DET = 0.01


def _solver(det_time: float, wall_time: float, req: Request, n_arcs: int) -> cp_model.CpSolver:
    """A CP-SAT solver for ``det_time`` units of deterministic time (and at
    most ``wall_time`` seconds): one worker on models of up to
    ``one_worker_arcs`` arcs (tied optima then come out the same every
    time), else the request's workers, interleaved so that they too give
    the same plan every time."""
    solver = cp_model.CpSolver()
    solver.parameters.max_deterministic_time = det_time
    solver.parameters.max_time_in_seconds = max(0.05, wall_time)
    # Without presolve every person and post row stays in CP-SAT's LP, whose
    # bound is then the assignment polytope's. Presolve turned them into
    # clauses its LP does not see: on a 210-arc model with one linear quota
    # the LP bound stayed 50 % above the optimum and nothing was proven in
    # 20 s; without it, optimal in 0.02 s. (On the 120 k-arc province model it
    # also used the whole minute before the search could start.)
    solver.parameters.cp_model_presolve = False
    solver.parameters.linearization_level = 2
    many = 1 if n_arcs <= req.settings.one_worker_arcs else req.n_workers
    solver.parameters.num_workers = many
    solver.parameters.interleave_search = many > 1
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
    with the ceilings of :func:`solvers.backends.lagrange.lagrangian_bound`, which
    hold for plans that meet the fills they were computed for.
    """

    arcs: np.ndarray  # candidate arcs, canonical order
    always: np.ndarray  # per candidate: kept in every arc set (flow plans, stays)
    s_star: int
    ceiling: np.ndarray  # per arc of the problem
    flow_ceiling: np.ndarray
    lagrange: int | None = None  # the Lagrangian bound in force, if any

    @classmethod
    def of(
        cls, prob: AssignmentProblem, start: np.ndarray, candidates: np.ndarray, req: Request
    ) -> _Pricing:
        """Ceilings from the flow's plan ``start`` (of the score alone when
        the posts have tiers)."""
        plain = prob if prob.priority is None else prob.with_changes(priority=None)
        settings = req.settings
        chosen = start if prob.priority is None else solve_flow(plain, settings=settings).chosen
        s_star = int(prob.score[chosen].sum())
        ceiling = s_star - arc_ceilings(plain, chosen, prob.score, settings=settings)
        always = np.isin(candidates, chosen) | np.isin(candidates, start)
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
        self, budget: int, extra: np.ndarray | None = None, floor: int | None = None
    ) -> tuple[np.ndarray, int | None]:
        """The arcs always kept, ``extra``, and the ``budget`` others of highest ceiling.

        ``floor``: a score some plan is known to reach; the arcs whose ceiling
        is below it are left out whatever the budget (no plan scoring that
        much uses them). Returns the arcs and the ceiling of the arcs left
        out: the best score a plan using one of them can reach (``None``
        when none is).
        """
        keep = self.always.copy()
        if extra is not None:
            keep |= np.isin(self.arcs, extra)
        free = np.flatnonzero(~keep)
        if floor is not None:
            free = free[self.ceiling[self.arcs[free]] >= floor]
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
    req: Request,
    pricing: _Pricing | None = None,
    cap: float | None = None,
    ceiling: int | None = None,
    budget: _Budget | None = None,
) -> _Run:
    """Best score, then fewest non-stay arcs, over ``arcs`` with the fills held.

    Two CP-SAT solves on one model, each with its own small objective: the
    score (fills held as cardinality constraints), then the number of
    non-stay arcs with the score held at its optimum. For the second, arcs
    that no plan scoring that much can use (by ``pricing``) are fixed to 0.
    Both share at most ``cap`` units of ``budget``'s deterministic time
    (default: what is left); the second runs only when the first proves its
    score over every arc (``ceiling``: the best score of a plan that uses an
    arc left out of ``arcs``).
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
    budget = _Budget(req) if budget is None else budget
    start = budget.used
    solver, status = budget.solve(model, req, len(x), cap)
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
    left = budget.left() if cap is None else min(budget.left(), cap - (budget.used - start))
    proven = optimal and (ceiling is None or ceiling < s2)
    if proven and not moves_optimal and left > 0:
        model.add(total >= s2)
        if pricing is not None:
            for i in np.flatnonzero(pricing.ceiling_of(all_arcs) < s2).tolist():
                model.add(x[i] == 0)
        model.minimize(_sum(x, np.flatnonzero(~prob.is_stay[all_arcs])))
        _hint(built, prob, all_arcs[got.astype(bool)])
        solver, status = budget.solve(model, req, len(x), left)
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
    req: Request,
    budget: _Budget | None = None,
) -> tuple[str, dict[int, int], bool, np.ndarray | None]:
    """Most posts filled per tier, highest tier first, under the side constraints.

    One CP-SAT solve per tier on one model, each maximising that tier's
    count with the higher tiers' counts held. Returns ``("plan", fills,
    proven, plan)``, ``("infeasible", {}, True, None)`` when no plan exists
    at all, or ``("unknown", {}, False, None)`` when none was found in time.
    """
    assert prob.priority is not None
    budget = _Budget(req) if budget is None else budget
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
        solver, status = budget.solve(model, req, len(x))
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


class CpSatBackend:
    """Side constraints by CP-SAT, from the flow's plan (the module docstring)."""

    name = "cp_sat"

    def solve(
        self, prob: AssignmentProblem, request: Request, start: Solution | None = None
    ) -> Solution:
        """Best plan under the side constraints; ``start``: the flow's optimum
        of the problem without them (solved here when not given)."""
        if start is not None:
            return solve_side(prob, start.arc, request)
        return solve_side(prob, solve_flow(prob, settings=request.settings).chosen, request)


def solve_side(prob: AssignmentProblem, start: np.ndarray, req: Request) -> Solution:
    """Best plan under the side constraints, from the flow's plan ``start``
    (chosen arcs of the problem without them); see the module docstring."""
    search = _Search(prob, start, req)
    outcome = search.run()
    if isinstance(outcome, Solution):
        return outcome
    return search.result()


class _Search:
    """The rounds of :func:`solve_side`: CP-SAT on an arc set, then a wider
    set, the Lagrangian bound, or the tier fills, until the plan is proven
    or the time is up. Holds what the rounds share: the arc set and the
    ceiling of the arcs left out, the best run, the lowest proven bound."""

    def __init__(self, prob: AssignmentProblem, start: np.ndarray, req: Request) -> None:
        settings = req.settings
        self.prob, self.req = prob, req
        self.det = _Budget(req)  # every CP-SAT run of this solve shares it
        self.candidates = candidates = _candidate_arcs(prob)
        self.pricing = _Pricing.of(prob, start, candidates, req) if candidates.size else None
        self.restricted = self.pricing is not None and candidates.size > settings.full_model_arcs
        self.s_star: int | None = None  # the core problem's best score: bounds every plan
        if self.pricing is not None:
            self.s_star = self.pricing.s_star
        elif prob.priority is None:
            self.s_star = int(prob.score[start].sum())
        self.start = repair(prob, start)
        self.hint = start if self.start is None else self.start
        # Fill targets: the flow's fills are the most any plan can reach; a
        # plan that reaches them under the side constraints proves them optimal.
        self.fills = _fills(prob, start) if prob.priority is not None else None
        self.fills_proven = True
        self.stage1_done = prob.priority is None
        self.lagrange_due = self.pricing is not None and has_rows(prob, self.fills)
        self.budget = settings.restricted_arcs
        self.arcs, self.ceiling = (
            self._cheapest(self.budget)
            if self.restricted
            else (
                candidates,
                None,
            )
        )
        self.best: _Run | None = None
        self.best_ceiling: int | None = None
        # the lowest proven bound seen on the score of plans that meet the
        # fills: each run bounds the plans over its arc set, its ceiling
        # those outside it
        self.proof: int | None = None

    def _cheapest(self, budget: int, extra: np.ndarray | None = None) -> tuple:
        assert self.pricing is not None
        return self.pricing.cheapest(budget, extra)

    def run(self) -> Solution | None:
        """Rounds until one ends the search; a Solution when it ends in no plan."""
        while True:
            run = self._stage()
            self._record(run)
            proven = (
                run.status == "plan"
                and run.score_optimal
                and (self.ceiling is None or self.ceiling < run.score)
                and run.moves_optimal
            )
            if not proven and self.lagrange_due and run.status != "infeasible":
                self._lagrange()
                continue
            if run.status == "infeasible":
                step = self._after_infeasible()
                if step == "again":
                    continue
                return step if isinstance(step, Solution) else None
            if run.status == "unknown":
                return None
            if (
                run.score_optimal
                and self.ceiling is not None
                and self.ceiling >= run.score
                and self.restricted
                and self.det.left() > 0
            ):
                # a plan using a left-out arc might still tie or beat it: take
                # in every arc that can reach this score, and solve once more
                assert self.pricing is not None
                self.arcs, self.ceiling = self.pricing.reaching(run.score)
                continue
            return None

    def _stage(self) -> _Run:
        """CP-SAT on the current arc set (a short first try while the
        Lagrangian bound is due)."""
        cap = None
        if self.lagrange_due:  # a first, short try on the flow's arc set
            s, left = self.req.settings, self.det.left()
            least = s.first_try_min * s.cp_deterministic_per_second
            cap = min(left, max(least, s.first_try_share * left))
        return _stages(
            self.prob,
            self.arcs,
            self.fills,
            self.hint,
            self.req,
            self.pricing,
            cap,
            self.ceiling,
            self.det,
        )

    def _record(self, run: _Run) -> None:
        """Keep the best plan, and the lowest bound the run proves."""
        if run.status == "plan" and (self.best is None or run.score >= self.best.score):
            self.best, self.best_ceiling = run, self.ceiling
            self.hint = run.chosen
        if run.status == "plan" or (run.status == "infeasible" and self.ceiling is not None):
            seen = run.bound if run.status == "plan" else None
            if self.ceiling is not None:
                seen = self.ceiling if seen is None else max(seen, self.ceiling)
            if seen is not None:
                self.proof = seen if self.proof is None else min(self.proof, seen)

    def _lagrange(self) -> None:
        """Price the linear side constraints into the flow: a tighter bound,
        and ceilings that pick the arcs CP-SAT gets next."""
        pricing, s = self.pricing, self.req.settings
        assert pricing is not None
        self.lagrange_due = False
        columns, _ = pricing.cheapest(s.lagrange_lp_arcs, self.hint)
        lag = lagrangian_bound(
            self.prob,
            self.candidates,
            columns,
            self.fills,
            time_limit=max(0.0, self.det.wall_stop - time.perf_counter()),
            settings=s,
        )
        if lag is not None:
            pricing.tighten(lag.ceiling, lag.bound)
        if self.restricted:
            # only the arcs that can reach the best plan's score under the new
            # ceilings: when they fit the budget, the arcs left out cannot
            # beat it and CP-SAT proves the optimum on a small model (the
            # demo's committee limits: 840 arcs instead of 20,000)
            floor = None if self.best is None else self.best.score
            self.arcs, self.ceiling = pricing.cheapest(s.lagrange_cp_arcs, self.hint, floor)

    def _after_infeasible(self) -> str | Solution | None:
        """No plan on the arc set: widen it, or find the fills that can be
        reached, or prove that no plan exists. ``"again"`` for another round,
        a Solution (INFEASIBLE) or None (stop)."""
        prob, req = self.prob, self.req
        if self.ceiling is not None and self.restricted:  # widen the arc set
            self.budget *= 8
            self.arcs, self.ceiling = self._cheapest(self.budget)
            return "again"
        if not self.stage1_done:  # the flow's fills cannot all be reached
            self.stage1_done = True
            kind, got, self.fills_proven, plan = _stage_fills(
                prob, self.candidates, self.hint, req, self.det
            )
            if kind == "infeasible":
                return _no_plan(prob, cp_model.INFEASIBLE, self.candidates, req)
            if kind == "unknown":
                return None
            self.fills, self.hint, self.proof = got, plan, None
            self.budget = req.settings.restricted_arcs
            if self.pricing is not None:
                self.pricing.reset()
                self.lagrange_due = has_rows(prob, self.fills)
            if self.restricted:
                self.arcs, self.ceiling = self._cheapest(self.budget)
            return "again"
        if prob.priority is None:
            return _no_plan(prob, cp_model.INFEASIBLE, self.candidates, req)
        return None  # pragma: no cover - the fills came from a plan

    def result(self) -> Solution:
        """The best plan found with its proven bound, the repaired flow plan
        when CP-SAT found none, or UNKNOWN."""
        prob, best = self.prob, self.best
        lagrange = None if self.pricing is None else self.pricing.lagrange
        if best is None or best.chosen is None:
            return self._fallback(lagrange)
        notes: list[str] = []
        if self.best_ceiling is not None:
            notes.append(
                f"CP-SAT on {best.n_arcs} of {self.candidates.size + prob.pin_arcs.size} arcs "
                "(the others cannot beat the bound)"
            )
        bound = best.bound if self.proof is None else self.proof
        for cap in (self.s_star, lagrange):
            if cap is not None:
                bound = min(bound, cap)
        bound = max(bound, best.score)
        score_proven = bound == best.score
        if lagrange is not None:
            notes.append(f"bound priced by the side constraints: {lagrange}")
        if not self.fills_proven:
            notes.append("the tier fills are not proven optimal")
        if score_proven and not best.moves_optimal:
            notes.append("the score is optimal; fewest moves among such plans not proven")
        if self.det.wall_hit:
            notes.append(_WALL_NOTE)
        proven = self.fills_proven and score_proven and best.moves_optimal
        leftover = side_violations(prob, best.chosen)
        if leftover:  # pragma: no cover - the model encodes every constraint
            raise RuntimeError(f"CP-SAT plan breaks {leftover}")
        return build_solution(
            prob,
            best.chosen,
            Status.OPTIMAL if proven else Status.FEASIBLE,
            "cp_sat",
            self.req.elapsed(),
            bound=bound,
            message="; ".join(notes),
        )

    def _fallback(self, lagrange: int | None) -> Solution:
        """CP-SAT found no plan in time: the repaired flow plan, or UNKNOWN."""
        prob, start = self.prob, self.start
        if start is None:
            return _no_plan(prob, cp_model.UNKNOWN, self.candidates, self.req)
        score = int(prob.score[start].sum())
        cap = [b for b in (self.s_star, lagrange) if b is not None]
        repaired_fills = self.fills is None or _fills(prob, start) == self.fills
        bound = min(cap) if cap and repaired_fills else self.s_star
        return build_solution(
            prob,
            start,
            Status.FEASIBLE,
            "min_cost_flow+repair",
            self.req.elapsed(),
            bound=None if bound is None else max(bound, score),
            message="CP-SAT found no plan in time; plan = flow optimum repaired"
            + ("; " + _WALL_NOTE if self.det.wall_hit else ""),
        )


_WALL_NOTE = "CP-SAT stopped by the wall clock, not its deterministic budget"


def _no_plan(prob: AssignmentProblem, status: int, arcs: np.ndarray, req: Request) -> Solution:
    """INFEASIBLE (over every candidate arc, with the conflict named) or UNKNOWN."""
    if status == cp_model.INFEASIBLE:
        names = _conflicts(prob, arcs, req)
        return Solution(
            status=Status.INFEASIBLE,
            wall_time=req.elapsed(),
            method="cp_sat",
            conflicts=tuple(names),
            message="no plan satisfies " + ", ".join(repr(n) for n in names) + " together",
        )
    return Solution(
        status=Status.UNKNOWN,
        wall_time=req.elapsed(),
        method="cp_sat",
        message="no plan found within the time limit",
    )


def _conflicts(prob: AssignmentProblem, arcs: np.ndarray, req: Request) -> list[str]:
    """A minimal set of constraint names that cannot hold together."""
    built = _build(prob, arcs, with_literals=True)
    names = list(built.literals)
    if not names:
        return ["must_place"]
    # one budget for every check, each at least half a second's worth
    budget = _Budget(req)
    least = 0.5 * req.settings.cp_deterministic_per_second

    def infeasible(subset: list[str]) -> tuple[bool, list[str]]:
        built.model.clear_assumptions()
        built.model.add_assumptions([built.literals[n] for n in subset])
        solver, status = budget.solve(built.model, req, arcs.size, workers=1, least=least)
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
