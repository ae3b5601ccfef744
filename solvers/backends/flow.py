"""The flow backend: the core problem as a min-cost flow (OR-Tools).

Network (:mod:`solvers.backends.mcf`): every person is a node with supply
1; it sends its unit either to a post (arc per allowed pair, capacity 1,
cost ``-value``) or, unless it must be placed, straight to the sink; every
post sends at most one unit to the sink. A minimum-cost flow is then a
maximum-value assignment, vacancy chains included: a person who moves
frees a home post that another person's arc can fill in the same flow.

Steps, all vectorised (no per-arc Python loop):

0. A problem of at least ``Settings.core_min_arcs`` arcs whose levels do
   not fold into one 64-bit cost is solved whole on a sparse core
   (:mod:`solvers.backends.core`: its own ids and arc order, no copy of
   the arcs), and none of the steps below is taken.
1. :func:`solvers.backends.network.prepare`: pins and bans out, canonical
   arc order, connected components, the folded values.
2. Small components are packed into batches of about
   ``Settings.batch_nodes`` nodes and solved together (their objectives
   add up, so one flow per batch is optimal for each), large ones alone;
   from ``Settings.parallel_min_arcs`` arcs, batches are shared among
   ``Settings.processes`` forked processes (OR-Tools holds the GIL).
3. A very large component (millions of arcs, high degree) goes to the
   certified path (:mod:`solvers.backends.certified.path`): a sparse arc
   set, the auction, a certificate on every arc, repairs. If it cannot
   prove its plan, the component is solved whole.

Assumptions
-----------
* The problem has been validated by :class:`~solvers.AssignmentProblem`.
* Side constraints and ``allow_cycles`` are ignored here: this is the
  relaxation that :mod:`solvers.backends.cpsat` starts from and whose
  optimum, when it happens to satisfy them, is returned as is.
"""

from __future__ import annotations

import itertools
import multiprocessing as mp
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from solvers.backends.base import Request
from solvers.backends.certified.component import Component
from solvers.backends.certified.path import solve_component
from solvers.backends.levels import fewest_moves, levels_of, solve_levels
from solvers.backends.mcf import InfeasibleCore, cost_in_range, run_mcf
from solvers.backends.network import Prepared, RangeSignal, prepare
from solvers.plan import build_solution
from solvers.problem import AssignmentProblem
from solvers.settings import Settings
from solvers.solution import Solution, Status

__all__ = ["FlowBackend", "FlowResult", "InfeasibleCore", "solve_flow"]

#: What one batch gives back: chosen arcs, how the certificate was reached
#: (``""`` when solved whole), and the log of the certified path.
BatchResult = tuple[np.ndarray, str, list[dict]]


@dataclass
class FlowResult:
    """Chosen arcs of an optimal flow, and how they were found."""

    chosen: np.ndarray  # arc indices (problem order), pins included
    method: str
    wall_time: float
    note: str = ""
    certified_components: int = 0
    sparse_rounds: list[dict] = field(default_factory=list)


class FlowBackend:
    """The core problem by min-cost flow: side constraints and
    ``allow_cycles`` are ignored, so its plan is the problem's optimum when
    it meets them (:func:`solvers.solve` checks) and a bound otherwise."""

    name = "min_cost_flow"

    def solve(
        self, prob: AssignmentProblem, request: Request, start: Solution | None = None
    ) -> Solution:
        """OPTIMAL for the core problem, or INFEASIBLE naming the core parts
        in conflict. ``start``: a plan of this problem or of one close to it
        (the previous year's), whose pairs start the sparse core of a large
        component (:mod:`solvers.backends.core`); the plan is the same
        optimum with or without it."""
        try:
            flow = solve_flow(prob, settings=request.settings, start=start)
        except InfeasibleCore as exc:
            return _core_infeasible(prob, exc.persons, request)
        return build_solution(
            prob, flow.chosen, Status.OPTIMAL, flow.method, request.elapsed(), message=flow.note
        )


def _core_infeasible(prob: AssignmentProblem, persons: np.ndarray, request: Request) -> Solution:
    """INFEASIBLE solution naming the core parts in conflict.

    ``must_place`` is always part of it; ``pins`` and ``bans`` are added
    when the persons fit once they are dropped (deletion filter).
    """
    parts = [k for k, arr in (("pins", prob.pins), ("bans", prob.bans)) if arr.shape[0]]
    for part in list(parts):
        trial = [k for k in parts if k != part]
        drop = {k: None for k in ("pins", "bans") if k not in trial}
        try:
            solve_flow(prob.with_changes(**drop), settings=request.settings)
        except InfeasibleCore:
            parts.remove(part)  # still infeasible without it: not needed
    shown = ", ".join(str(i) for i in persons[:10].tolist()) + (
        ", ..." if persons.size > 10 else ""
    )
    msg = (
        f"{persons.size} persons who must be placed cannot all get a post "
        f"(e.g. persons {shown}): their allowed posts are too few"
    )
    if parts:
        msg += " once " + " and ".join(parts) + " are applied"
    return Solution(
        status=Status.INFEASIBLE,
        wall_time=request.elapsed(),
        method="min_cost_flow",
        conflicts=("must_place", *parts),
        message=msg,
    )


def solve_flow(
    prob: AssignmentProblem,
    *,
    sparse: bool = True,
    settings: Settings | None = None,
    start: Solution | None = None,
) -> FlowResult:
    """Optimal plan of the core problem (side constraints ignored).

    Parameters
    ----------
    prob
        The problem.
    sparse
        Allow the certified sparse path on very large components.
    settings
        Tuning values and process counts (default: :class:`Settings()`).
    start
        A warm start: a plan whose pairs ``(person, post)`` (ids of this
        problem; pairs that are not arcs here are ignored) seed the sparse
        core of a large component. It changes the work, not the optimum.

    Raises
    ------
    InfeasibleCore
        If the must-place persons cannot all be placed (``persons`` holds
        global ids of a set of persons left out by a maximum placement).
    CostRangeError
        If one level of the objective alone (the scores) cannot be
        represented for OR-Tools; when the levels only fail together, they
        are solved in sequence (:mod:`solvers.backends.levels`).
    """
    settings = Settings() if settings is None else settings
    t0 = time.perf_counter()
    want = _start_posts(prob, start)
    if prob.n_arcs and prob.n_arcs >= settings.core_min_arcs:
        got = _solve_core(prob, settings, want, t0, force=False)
        if got is not None:
            return got
    try:
        prep = prepare(prob, settings=settings, unfolded_ok=True)
        try:
            chosen, cert, log = _solve_prepared(prep, sparse)
        except RangeSignal:  # a batch's costs with the moves: the moves after the rest
            prep = prepare(prob, moves_level=False, settings=settings, unfolded_ok=True)
            chosen, cert, log = _solve_prepared(prep, sparse)
    except _WholeCore:  # a component the levels do not fold for: the whole problem on a core
        got = _solve_core(prob, settings, want, t0, force=True)
        assert got is not None
        return got
    chosen = np.concatenate([prep.pinned, chosen])
    if "auction" in cert:
        method = "auction+sparse_certified"
    elif cert:
        method = "min_cost_flow+sparse_certified"
    else:
        method = "min_cost_flow"
    return FlowResult(chosen, method, time.perf_counter() - t0, "", len(cert), log)


class _WholeCore(Exception):
    """A component of at least ``Settings.core_min_arcs`` arcs whose levels
    do not fold (internal signal): the whole problem goes to the sparse core."""


def _solve_core(
    prob: AssignmentProblem,
    settings: Settings,
    want: np.ndarray | None,
    t0: float,
    *,
    force: bool,
) -> FlowResult | None:
    """The whole problem's lexicographic optimum on a sparse core
    (:mod:`solvers.backends.core`), from the warm start's pairs if any; None
    when the levels fold and ``force`` is false (the usual way is taken)."""
    from solvers.backends.core import solve_core  # compiled: large rounds only

    c0 = time.process_time()
    log: list[dict] = []
    got = solve_core(prob, settings, log, want, force=force)
    if got is None:
        return None
    log.append({"core": True, "arcs": prob.n_arcs, "warm": want is not None, "cpu_s": _since(c0)})
    chosen = np.concatenate([prob.pin_arcs, got])
    return FlowResult(chosen, "min_cost_flow+core_certified", time.perf_counter() - t0, "", 1, log)


def _start_posts(prob: AssignmentProblem, start: Solution | None) -> np.ndarray | None:
    """Per person, the post a warm start gives them (-1: none); None without
    a plan. Pairs out of this problem's range are ignored (a pool that
    changed since the start was solved)."""
    if start is None or not start.has_plan or start.person.size == 0:
        return None
    person = np.asarray(start.person, dtype=np.int64)
    post = np.asarray(start.post, dtype=np.int64)
    ok = (person >= 0) & (person < prob.n_persons) & (post >= 0) & (post < prob.n_posts)
    out = np.full(prob.n_persons, -1, dtype=np.int64)
    out[person[ok]] = post[ok]
    return out


def _solve_batch(
    prep: Prepared,
    arcs_pos: np.ndarray | slice,
    persons: np.ndarray,
    posts: np.ndarray,
    pl: np.ndarray,
    ql: np.ndarray,
    sparse_ok: bool,
    log: list[dict],
) -> tuple[np.ndarray, str]:
    """Solve whole components: arcs ``prep.arcs[arcs_pos]`` over local nodes.

    Returns the chosen arcs (problem indices) and how the sparse
    certificate was reached: ``"auction"``, ``"min_cost_flow"``, or ``""``
    when the component was solved whole. A component of at least
    ``Settings.core_min_arcs`` arcs whose levels do not fold raises
    :class:`_WholeCore`: the whole problem is then solved on a sparse core.
    """
    s = prep.settings
    n_arcs = pl.size
    if n_arcs >= s.core_min_arcs and (
        prep.fold is None or (not prep.moves_level and prep.prob.has_moves_level)
    ):  # the levels do not fold: the whole problem on a sparse core
        raise _WholeCore()
    used, certified = _solve_whole(prep, arcs_pos, persons, posts, pl, ql, sparse_ok, log)
    if isinstance(arcs_pos, slice):
        return prep.arcs[arcs_pos.start + used], certified
    return prep.arcs[arcs_pos[used]], certified


def _solve_whole(
    prep: Prepared,
    arcs_pos: np.ndarray | slice,
    persons: np.ndarray,
    posts: np.ndarray,
    pl: np.ndarray,
    ql: np.ndarray,
    sparse_ok: bool,
    log: list[dict],
) -> tuple[np.ndarray, str]:
    """Local arcs of the component's optimum by the folded flow (the
    certified path on a large one), the levels in sequence over every arc
    when they do not fold; and how the certificate was reached."""
    s = prep.settings
    may_leave = ~prep.must[persons]
    n_nodes = persons.size + posts.size + 1
    n_arcs = pl.size
    costs: list[np.ndarray] = []

    def folded() -> np.ndarray:
        """The arcs' costs (folded values, negated) in OR-Tools' range; made
        on first use (a large round solved by stages may not need them)."""
        if not costs:
            cost = np.negative(prep.values[arcs_pos])
            if not cost_in_range(cost, n_nodes, s.cost_limit):
                raise RangeSignal()
            costs.append(cost)
        return costs[0]

    certified = ""
    flow = None
    if prep.fold is not None:
        try:
            if (
                sparse_ok
                and n_arcs >= s.sparse_min_arcs
                and n_arcs >= s.sparse_min_degree * persons.size
            ):
                comp = Component(persons.size, posts.size, pl, ql, may_leave, folded, s, log)
                flow, certified = solve_component(prep, arcs_pos, persons, posts, comp)
            if flow is None:
                flow = run_mcf(persons.size, posts.size, pl, ql, folded(), may_leave)
            if not prep.moves_level and prep.prob.has_moves_level:  # then fewest moves
                t0 = time.process_time()
                nonstay = ~prep.prob.is_stay[prep.arcs[arcs_pos]]
                flow = fewest_moves(
                    persons.size, posts.size, pl, ql, may_leave, folded(), flow, nonstay
                )
                log.append({"fewest_moves_after": True, "arcs": int(n_arcs), "cpu_s": _since(t0)})
        except RangeSignal:
            if prep.moves_level and prep.prob.has_moves_level:
                raise  # solve_flow folds the levels above the moves instead
            flow, certified = None, ""
    if flow is None:  # the folded costs do not fit: the levels in sequence
        arcs = prep.arcs[arcs_pos]
        t0 = time.process_time()
        levels = levels_of(prep.prob, arcs, ql, posts, persons.size)
        pr = prep.prob.priority
        tier_posts = None if pr is None else pr[posts] > 0
        flow, n_stages, filled = solve_levels(
            persons.size, posts.size, pl, ql, may_leave, levels, s.cost_limit, tier_posts
        )
        log.append(
            {
                "levels": len(levels),
                "stages": n_stages,
                "tier_posts_filled": filled,
                "arcs": int(n_arcs),
                "cpu_s": _since(t0),
            }
        )
    return np.flatnonzero(flow > 0), certified


def _since(t0: float) -> float:
    """CPU seconds of this process since ``t0`` (``time.process_time``), rounded."""
    return round(time.process_time() - t0, 3)


def _small_int(labels: np.ndarray, bound: int) -> np.ndarray:
    """Labels in the narrowest unsigned type (16-bit keys sort by radix)."""
    if bound < 2**16:
        return labels.astype(np.uint16)
    return labels.astype(np.uint32 if bound < 2**32 else np.int64)


def _shares(arcs_of: np.ndarray, k: int) -> list[list[int]]:
    """Batches dealt to ``k`` processes: largest first, each to the lightest
    share so far (ties to the lowest), each share in batch order."""
    shares: list[list[int]] = [[] for _ in range(k)]
    load = [0] * k
    for b in np.argsort(-arcs_of, kind="stable").tolist():
        side = load.index(min(load))
        shares[side].append(b)
        load[side] += int(arcs_of[b])
    return [sorted(share) for share in shares]


def _run_batches(
    run: Callable[[int], BatchResult], arcs_of: np.ndarray, settings: Settings
) -> list[BatchResult]:
    """``run(b)`` for every batch ``b``, in several processes when the arcs are many.

    OR-Tools' flow holds the GIL, so threads do not help; forked children
    (``settings.processes - 1`` of them) each solve a share of the arcs
    (whole batches, largest first to the lightest share) and send their
    chosen arcs back through a pipe; an error in a child (an infeasible
    batch) is raised here. Results are returned in batch order, so the plan
    does not depend on the split.
    """
    n = arcs_of.size
    k = min(settings.processes, n)
    if (
        k < 2
        or int(arcs_of.sum()) < settings.parallel_min_arcs
        or "fork" not in mp.get_all_start_methods()
    ):
        return [run(b) for b in range(n)]
    mine, *theirs = _shares(arcs_of, k)
    theirs = [share for share in theirs if share]
    if not theirs:
        return [run(b) for b in range(n)]
    ctx = mp.get_context("fork")
    children = [_fork(ctx, run, share) for share in theirs]
    out: dict[int, BatchResult] = {}
    try:
        out.update((b, run(b)) for b in mine)
        answers = [receive.recv() for _, receive in children]
    finally:
        for proc, receive in children:
            receive.close()
            proc.join()
    for kind, got in answers:
        if kind == "error":
            raise got
        out.update(dict(got))
    return [out[b] for b in range(n)]


def _fork(ctx, run: Callable[[int], BatchResult], share: list[int]) -> tuple:
    """A forked child that runs the batches ``share`` and sends back
    ``("ok", [(b, result), ...])`` or ``("error", exception)``."""
    receive, send = ctx.Pipe(duplex=False)

    def child() -> None:
        try:
            send.send(("ok", [(b, run(b)) for b in share]))
        except BaseException as exc:  # sent to the parent, raised there
            send.send(("error", exc))
        finally:
            send.close()

    proc = ctx.Process(target=child, daemon=True)
    proc.start()
    send.close()
    return proc, receive


def _solve_prepared(prep: Prepared, sparse: bool) -> tuple[np.ndarray, list[str], list[dict]]:
    """Chosen arcs (pins left out), the certificates reached, and the log."""
    prob = prep.prob
    n, m = prob.n_persons, prob.n_posts
    p_all, q_all = prep.person, prep.post
    if p_all.size and int(prep.labels.max()) == 0:
        # one component holding every person and post (each has an arc):
        # local ids are the global ones, nothing to split or renumber
        log: list[dict] = []
        got, cert = _solve_batch(
            prep, slice(0, p_all.size), np.arange(n), np.arange(m), p_all, q_all, sparse, log
        )
        return got, [cert] if cert else [], log
    # quick infeasibility: must-place persons without any usable arc
    has_arc = np.zeros(n, dtype=bool)
    has_arc[p_all] = True
    lonely = np.flatnonzero(prep.must & ~has_arc)
    if lonely.size:
        raise InfeasibleCore(lonely)
    if prep.arcs.size == 0:
        return np.zeros(0, dtype=np.int64), [], []
    batches = _Batches(prep)
    run = batches.runner(sparse)
    results = _run_batches(run, batches.arcs_of, prep.settings)
    chosen = [got for got, _, _ in results]
    certified = [cert for _, cert, _ in results if cert]
    log = [entry for _, _, entries in results for entry in entries]
    return np.concatenate(chosen), certified, log


class _Batches:
    """The components of a prepared network, renumbered and cut into batches.

    Components that have arcs are numbered ``0..k-1`` (in label order);
    within one, arcs stay sorted by person. A batch is a run of consecutive
    components of about ``batch_nodes`` nodes, or one larger component
    alone; :meth:`runner` solves one batch over its local node ids.
    """

    def __init__(self, prep: Prepared) -> None:
        self.prep = prep
        n, m = prep.prob.n_persons, prep.prob.n_posts
        p_all, q_all = prep.person, prep.post
        labels = prep.labels
        n_lab = int(labels.max()) + 1
        with_arcs = np.flatnonzero(np.bincount(labels[p_all], minlength=n_lab))
        k = with_arcs.size
        relabel = np.full(n_lab, k, dtype=np.int64)
        relabel[with_arcs] = np.arange(k)
        node = _small_int(relabel[labels], k + 1)
        self.order: np.ndarray | None = None  # None: the arcs are in order already
        if k > 1:
            self.order = np.argsort(node[p_all], kind="stable")
            p_sorted, self.q_sorted = p_all[self.order], q_all[self.order]
        else:
            p_sorted, self.q_sorted = p_all, q_all
        self.a_start = np.searchsorted(node[p_sorted], np.arange(k + 1, dtype=node.dtype))
        self._persons(p_sorted)
        # posts: order by component, rank within it
        q_lab = node[n:]
        self.q_order = np.argsort(q_lab, kind="stable")
        self.q_start = np.searchsorted(q_lab[self.q_order], np.arange(k + 1, dtype=node.dtype))
        self.q_rank = np.empty(m, dtype=np.int32)
        self.q_rank[self.q_order] = np.arange(m, dtype=np.int32)
        self.p_start = np.r_[self.gid[self.a_start[:-1]], self.persons_all.size]
        comp_nodes = np.diff(self.p_start) + np.diff(self.q_start)
        before = np.cumsum(comp_nodes) - comp_nodes
        size = prep.settings.batch_nodes
        batch = (before // size) * 2 + (comp_nodes >= size)
        cuts = np.flatnonzero(np.r_[True, batch[1:] != batch[:-1], True])
        self.spans = list(itertools.pairwise(cuts.tolist()))
        self.arcs_of = np.diff(self.a_start[cuts]).astype(np.int64)

    def _persons(self, p_sorted: np.ndarray) -> None:
        """Each arc's index among (component, person) pairs (``gid``), and the
        person of each pair. 32-bit local ids halve the memory of the largest
        arrays (tens of millions of arcs)."""
        new_person = np.empty(p_sorted.size, dtype=bool)
        new_person[0] = True
        np.not_equal(p_sorted[1:], p_sorted[:-1], out=new_person[1:])
        new_person[self.a_start[:-1]] = True
        gid = np.cumsum(new_person, dtype=np.int32)
        gid -= 1
        del new_person
        self.gid = gid
        self.persons_all = p_sorted[np.r_[True, gid[1:] != gid[:-1]]]

    def runner(self, sparse: bool) -> Callable[[int], BatchResult]:
        """``run(b)``: solve batch ``b`` (the certified path only for a batch
        of one component), infeasible persons named by global id."""

        def run(b: int) -> BatchResult:
            c0, c1 = self.spans[b]
            a0, a1 = self.a_start[c0], self.a_start[c1]
            pos = self.order[a0:a1] if self.order is not None else slice(int(a0), int(a1))
            persons = self.persons_all[self.p_start[c0] : self.p_start[c1]]
            posts = self.q_order[self.q_start[c0] : self.q_start[c1]]
            pl = self.gid[a0:a1] - np.int32(self.p_start[c0])
            ql = self.q_rank[self.q_sorted[a0:a1]]
            ql -= np.int32(self.q_start[c0])
            log: list[dict] = []
            try:
                got, cert = _solve_batch(
                    self.prep, pos, persons, posts, pl, ql, sparse and (c1 - c0 == 1), log
                )
            except InfeasibleCore as exc:
                raise InfeasibleCore(persons[exc.persons]) from None
            return got, cert, log

        return run
