"""A scenario's round kept loaded in the server process, re-solved with the committee's decisions.

Takes a scenario path; :class:`LiveRound` loads it once (the one pipeline,
:func:`engine.plan.pipeline.plan_round`: the engine's optimal plan is the
session's starting proposal) and keeps the solver problem. A decision
changes only the pins and bans of that problem, so a re-solve reuses the
eligible pairs and their scores instead of reloading and re-scoring the
inputs: tens of milliseconds on a regency. Every re-solved plan is checked
by the solvers' independent validator before it is shown.

Gives per-post views (the three names with fit, components, soft rules
failed, price, time to retirement), previews of a decision (its price in
fit points and who else moves), a person's full explanation, and the
session's final plan (:meth:`LiveRound.final_plan`) for the closing
documents.
"""

from __future__ import annotations

import dataclasses
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

import solvers
from engine.app.decisions import InForce
from engine.app.i18n import Msg, msg
from engine.eligibility.candidates import verdicts
from engine.inputs.scenario import PairSpec
from engine.plan.pipeline import Plan, load_context, plan_round
from engine.round.setup import round_setup
from engine.rules.obligations import obligations_of
from engine.scoring.fit import SCALE
from solvers.backends.levels import levels_of, stages
from solvers.cycle import Local
from solvers.errors import SolverError

__all__ = ["LiveRound", "NameRow", "Preview", "Solved"]

Key = tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]
CACHE_SIZE = 512  # solved states kept per round: a sidang makes a few hundred at most
EVIDENCE_SIZE = 2  # states whose residual graph is kept: on a province each holds millions of arcs


@dataclass(frozen=True)
class Solved:
    """A plan of the round under some pins and bans, or why there is none."""

    ok: bool
    message: Msg = field(default_factory=lambda: Msg(""))
    objective: int = 0
    post_of: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    holder: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    # the state's solver problem (plain scores, its pins and bans) and its optimal plan:
    # what prices the alternatives of every post from this state at once
    problem: solvers.AssignmentProblem | None = field(default=None, compare=False, repr=False)
    solution: solvers.Solution | None = field(default=None, compare=False, repr=False)
    # the plan with the potentials that certify it, once the round decides by cycles
    # (solvers.cycle.Local): the next decision and the post page's prices start here
    local: Local | None = field(default=None, compare=False, repr=False)

    @property
    def points(self) -> float:
        return self.objective / SCALE


@dataclass(frozen=True)
class Move:
    """A person whose post differs between two plans."""

    nip: str
    nama: str
    before: str
    after: str
    decided: bool


@dataclass(frozen=True)
class Preview:
    """What a decision does to the round: its price and who else moves."""

    ok: bool
    message: Msg
    price: float | None  # fit points lost against the current plan (negative: gained)
    moves: list[Move]
    filled_before: int
    filled_after: int


@dataclass(frozen=True)
class NameRow:
    """One name for a post, as the committee sees it."""

    rank: int
    nip: str
    nama: str
    fit: float
    components: dict[str, float]
    soft_failed: list[str]
    price: float | None
    years_to_bup: float
    talent_box: int | None
    current_post: str
    proposed: bool
    # appointed on the round's date, what the person must still do, and by when
    obligations: list[Msg] = field(default_factory=list)
    missing: list[Msg] = field(default_factory=list)  # fit components made without their data


class LiveRound:
    """One scenario's round, loaded once, re-solved per decision."""

    def __init__(self, scenario: Path, *, pseudonymise: bool = False) -> None:
        t0 = time.perf_counter()
        self.scenario = scenario.resolve()
        self.pseudonymise = pseudonymise
        self._loaded = load_context(scenario)  # real names and NIPs: pins and bans resolve here
        # Without the plan's priced shortlists and baselines: the post pages price every
        # name from the session's current plan (names), and the documents' plan.json is
        # made in full by final_plan.
        self.plan: Plan = plan_round(self._loaded, pseudonymise=pseudonymise, evidence=False)
        # What the pages show: with pseudonymise, every name and NIP is a pseudonym
        # (engine.plan.privacy), in the pages, the events and the documents alike.
        self.ctx = self.plan.context
        self.record = self.plan.record
        self.inputs = dict(self.record.manifest.inputs_sha256)  # what a session records
        self.problem = self.plan.problem
        people, posts = self.ctx.people, self.ctx.posts
        self.person_index = {str(n): i for i, n in enumerate(people.nip)}
        self.post_index = {str(p): j for j, p in enumerate(posts.jabatan_id)}
        cands = self.plan.candidates
        self._cand_person = np.asarray(cands.person)
        self._cand_post = np.asarray(cands.post)
        # Every arc of the round, by post: the eligible pairs, then the incumbents' stays
        # (an incumbent who moves in the plan may be kept, as the plan's shortlist says).
        self.arc_person = np.asarray(self.problem.person)
        self._arc_post = np.asarray(self.problem.post)
        self._by_post = np.argsort(self._arc_post, kind="stable")
        self._post_start = np.searchsorted(self._arc_post[self._by_post], np.arange(posts.n + 1))
        self._cache: OrderedDict[Key, Solved] = OrderedDict()
        self._evidence: OrderedDict[Key, solvers.Evidence] = OrderedDict()
        self._final: tuple[Key, Plan] | None = None  # the last session plan made in full
        self._sticky = _sticky_scores(self.problem, self.plan.solution)
        self._applicable = self.ctx.ruleset.applicable(self.ctx.day, self.ctx.posts)
        self.sticky = True  # False once the sticky scores proved too wide for the flow's costs
        self._checked = False  # whether they were checked
        self._root: Local | bool | None = False  # the proposal's Local, made on first use
        self.base = self._proposal()
        # Posts open in the proposal: open before the solve, or vacated by its moves.
        self._base_open = round_setup(self._loaded).open_now | self._vacated(self.base)
        self._cache[((), ())] = self.base
        # A round decided by cycles starts from the proposal's certified state: made
        # here, with the round, so that the first post page is as quick as the next.
        self._local_root_if_plain()
        self.load_seconds = time.perf_counter() - t0

    # -- solving -------------------------------------------------------------

    def _proposal(self) -> Solved:
        """The engine's proposal as a solved state: the plan's own solution, not a re-solve."""
        sol, prob = self.plan.solution, self.problem
        post_of = np.full(self.ctx.people.n, -1, dtype=np.int64)
        post_of[sol.person] = sol.post
        holder = np.full(self.ctx.posts.n, -1, dtype=np.int64)
        holder[sol.post] = sol.person
        objective = int(prob.score[sol.arc].sum())
        return Solved(True, Msg(""), objective, post_of, holder, prob, sol)

    def _pairs(self, pairs: tuple[tuple[str, str], ...]) -> tuple[np.ndarray, list[str]]:
        out, unknown = [], []
        for nip, pid in pairs:
            if nip in self.person_index and pid in self.post_index:
                out.append((self.person_index[nip], self.post_index[pid]))
            else:
                unknown.append(f"{pid}")
        return np.array(out, dtype=np.int64).reshape(-1, 2), unknown

    def solve(self, key: Key) -> Solved:
        """The best plan with the scenario's own pins and bans plus ``key``'s; cached."""
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
        solved = self._solve(key)
        self._cache[key] = solved
        if len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        self._trim(solved)
        return solved

    def _trim(self, keep: Solved) -> None:
        """Free the look-up arrays the solver made on the problems of the states kept
        (canonical order, arc keys: hundreds of MB each on a province), but on the
        round's own, ``keep``'s and those whose evidence is kept; made again if asked."""
        kept = {id(self.problem), id(keep.problem)} | {id(e.prob) for e in self._evidence.values()}
        for state in self._cache.values():
            if state.problem is not None and id(state.problem) not in kept:
                state.problem.drop_caches()

    def _solve(self, key: Key) -> Solved:
        prob = self.problem
        pins, unknown = self._pairs(key[0])
        bans, unknown_b = self._pairs(key[1])
        if unknown or unknown_b:
            return Solved(
                False, msg("pegawai atau jabatan tidak dikenal: {which}",
                           which=", ".join(unknown + unknown_b))
            )  # fmt: skip
        base_pins = prob.pins if prob.pins is not None else np.zeros((0, 2), dtype=np.int64)
        base_bans = prob.bans if prob.bans is not None else np.zeros((0, 2), dtype=np.int64)
        pins = np.unique(np.vstack([base_pins, pins]), axis=0)
        not_arc = pins[prob.arc_index(pins[:, 0], pins[:, 1]) < 0] if len(pins) else pins
        if len(not_arc):
            i, j = (int(x) for x in not_arc[0])
            return Solved(
                False, msg("{name} tidak memenuhi syarat untuk {post}",
                           name=self.name(i), post=self.post_name(j))
            )  # fmt: skip
        try:
            plain = prob.with_changes(pins=pins, bans=np.vstack([base_bans, bans]))
        except SolverError as exc:
            return Solved(False, Msg("{why}", {"why": str(exc)}))
        local = self._by_cycles(key, plain)
        if local is not None:
            sol, q = local[0], plain
        else:
            sol, q = self._full_solve(plain)
        if sol.status not in (solvers.Status.OPTIMAL, solvers.Status.FEASIBLE):
            why = ", ".join(sol.conflicts) or sol.message or sol.status.value
            return Solved(
                False,
                msg(
                    "tidak ada rencana yang memenuhi semua keputusan ini sekaligus ({why})", why=why
                ),
            )
        problems = solvers.validate(q, sol)
        if problems:
            return Solved(
                False, msg("solver memberi rencana yang tidak sah: {why}", why="; ".join(problems))
            )
        post_of = np.full(self.ctx.people.n, -1, dtype=np.int64)
        post_of[sol.person] = sol.post
        holder = np.full(self.ctx.posts.n, -1, dtype=np.int64)
        holder[sol.post] = sol.person
        objective = int(prob.score[sol.arc].sum())  # without the stickiness
        # Optimal for the sticky scores is optimal for the plain ones (a real point
        # always outweighs every proposal arc kept): the plan, with its plain objective.
        exact = sol.status == solvers.Status.OPTIMAL
        sol = dataclasses.replace(sol, objective=objective, bound=objective if exact else None)
        state = local[1] if local is not None else None
        return Solved(True, Msg(""), objective, post_of, holder, plain, sol, state)

    def _full_solve(self, plain: solvers.AssignmentProblem) -> tuple[solvers.Solution, Any]:
        """A whole solve of ``plain`` (on the sticky scores while they fold); the plan and
        the problem it was solved on."""
        q = plain.with_changes(score=self._sticky) if self._sticky_mode() else plain
        return solvers.solve(q, time_limit=self.ctx.loaded.scenario.time_limit), q

    def _sticky_mode(self) -> bool:
        """Whether decisions are solved whole on the sticky scores (checked once).

        On a large round the sticky scores do not fold into the flow's 64-bit costs
        beside the post tiers, and solving their levels in sequence takes a whole solve
        per stage. The round is then decided on the plain scores, where a decision is
        one cycle on the state before it (:meth:`_by_cycles`): only the people on that
        cycle move, though among cycles of equal price it may not be the shortest.
        """
        if not self._checked:
            self._checked = True
            if not _folds(self.problem.with_changes(score=self._sticky)):
                self.sticky, self._sticky = False, self.problem.score
        return self.sticky

    def _by_cycles(
        self, key: Key, plain: solvers.AssignmentProblem
    ) -> tuple[solvers.Solution, Local] | None:
        """The plan of ``key`` from the nearest solved state, one cycle per decision.

        The nearest state is the cached one with the most of ``key``'s pins and bans and
        none else (the proposal at worst); each pin and ban it lacks is one cycle on its
        residual graph (:class:`solvers.cycle.Local`): the optimum a whole solve gives,
        on the plain scores, certified by the potentials each step repairs. So only
        once the round solves on the plain scores (the sticky ones are exact only by a
        whole solve), and not under side constraints; None: solve it whole.
        """
        if self._sticky_mode() or plain.side or not plain.allow_cycles:
            return None
        t0 = time.perf_counter()
        start, have = self._nearest(key)
        if start is None:
            return None
        had_pins, had_bans = set(have[0]), set(have[1])
        pins = [p for p in key[0] if p not in had_pins]
        bans = [b for b in key[1] if b not in had_bans]
        state: Local | None = start
        for (nip, pid), pin in [(p, True) for p in pins] + [(b, False) for b in bans]:
            i, j = self.person_index[nip], self.post_index[pid]
            state = state.pin(i, j) if pin else state.ban(i, j)
            if state is None:
                return None
        return state.solution(plain, time.perf_counter() - t0), state

    def _nearest(self, key: Key) -> tuple[Local | None, Key]:
        """The cached state with a :class:`Local` whose pins and bans are the most of
        ``key``'s and none other; the proposal's when no other is."""
        pins, bans = set(key[0]), set(key[1])
        best, have = self._root_local(), ((), ())
        for k, state in self._cache.items():
            if state.local is None or len(k[0]) + len(k[1]) <= len(have[0]) + len(have[1]):
                continue
            if set(k[0]) <= pins and set(k[1]) <= bans:
                best, have = state.local, k
        return best, have

    def _local_root_if_plain(self) -> Local | None:
        """The proposal's :class:`Local` when the round decides by cycles."""
        if self._sticky_mode() or self.problem.side or not self.problem.allow_cycles:
            return None
        return self._root_local()

    def _root_local(self) -> Local | None:
        """The proposal with the potentials that certify it, made once."""
        if self._root is False:
            self._root = Local.root(self.problem, self.plan.solution)
        return self._root if isinstance(self._root, Local) else None

    def current(self, inforce: InForce) -> Solved:
        return self.solve(inforce.key())

    # -- names and posts ------------------------------------------------------

    def name(self, i: int) -> str:
        return str(self.ctx.people.nama[i])

    def post_name(self, j: int) -> str:
        return str(self.ctx.posts.nama[j])

    def where(self, solved: Solved, i: int) -> str:
        """Where person ``i`` is in a plan, in words."""
        j = int(solved.post_of[i])
        if j >= 0:
            return f"{self.post_name(j)}, {self.ctx.posts.unit[j]}"
        home = int(self.ctx.people.home[i])
        if home >= 0:
            return f"({self.post_name(home)}: BUP)"
        return f"tetap {self.ctx.people.jenis_jabatan[i]}"

    def open_posts(self, solved: Solved) -> list[int]:
        """Posts open in the round: open before the solve, or vacated by a move of this plan."""
        posts = self.ctx.posts
        js = np.flatnonzero(self._base_open | self._vacated(solved)).tolist()
        level = np.asarray(posts.level)
        return sorted(js, key=lambda j: (str(posts.unit[j]), -int(level[j]), self.post_name(j)))

    def _vacated(self, solved: Solved) -> np.ndarray:
        """Posts whose holder moves to another post, or leaves, in ``solved``."""
        posts = self.ctx.posts
        held = posts.holder >= 0
        return held & (solved.post_of[np.where(held, posts.holder, 0)] != np.arange(posts.n))

    def filled(self, solved: Solved, js: list[int]) -> int:
        return int(sum(solved.holder[j] >= 0 for j in js))

    def preview(self, before: Solved, key: Key, decided: tuple[str, str] | None) -> Preview:
        """The plan with ``key``'s decisions against ``before``: price and moves."""
        after = self.solve(key)
        js = self.open_posts(before)
        if not after.ok:
            return Preview(False, after.message, None, [], self.filled(before, js), 0)
        changed = np.flatnonzero(before.post_of != after.post_of)
        decided_i = self.person_index.get(decided[0], -1) if decided else -1
        moves = [
            Move(
                str(self.ctx.people.nip[i]),
                self.name(int(i)),
                self.where(before, int(i)),
                self.where(after, int(i)),
                int(i) == decided_i,
            )
            for i in changed
        ]
        moves.sort(key=lambda m: (not m.decided, m.after, m.nama))
        price = round((before.objective - after.objective) / SCALE, 1)
        js_after = sorted(set(js) | set(self.open_posts(after)))
        return Preview(
            True, Msg(""), price, moves, self.filled(before, js_after), self.filled(after, js_after)
        )

    def candidates(self, j: int) -> np.ndarray:
        """Indices (into the round's arcs) of the people who may take post ``j``: the
        eligible, and its incumbent if they stay in the pool."""
        return self._by_post[self._post_start[j] : self._post_start[j + 1]]

    def _row(self, k: int, rank: int, price: float | None, solved: Solved) -> NameRow:
        people = self.ctx.people
        i, j = int(self.arc_person[k]), int(self._arc_post[k])
        pair = self.plan.scores.at(k)
        box = people.talent_box
        return NameRow(
            rank=rank,
            nip=str(people.nip[i]),
            nama=self.name(i),
            fit=float(self.plan.scores.fit[k]),
            components={c: round(float(v[0]), 1) for c, v in pair.components.items()},
            # a stay arc (past the eligible pairs) fails none
            soft_failed=self.plan.candidates.soft.failed_at(k),
            price=price,
            years_to_bup=round(float(people.sisa_bup[i]), 1),
            talent_box=int(box[i]) if box is not None and int(box[i]) > 0 else None,
            current_post=self.post_name(int(people.home[i]))
            if people.home[i] >= 0
            else f"{people.jenis_jabatan[i]}, {people.unit[i]}",
            proposed=int(solved.holder[j]) == i,
            obligations=self._obligations(i, j),
            missing=self._missing(pair),
        )

    def _obligations(self, i: int, j: int) -> list[Msg]:
        """What person ``i`` appointed to post ``j`` on the round's date must still do."""
        ctx = self.ctx
        return [
            msg("wajib {training} paling lambat {due}", training=o.training[0], due=str(o.due))
            for _, o in obligations_of(self._applicable, ctx.people, i, j, ctx.day, ctx.taxonomy)
        ]

    def _missing(self, pair: Any) -> list[Msg]:
        """The fit components of a pair made without their data, in words."""
        out = []
        if pair.missing_kinerja[0]:
            out.append(msg("kinerja tanpa SKP (dinilai 0)"))
        if pair.missing_potensi[0]:  # as the weights file's missing_assessment scores it
            zero = self.ctx.weights.missing_assessment == "zero"
            policy = "0" if zero else msg("netral")
            out.append(msg("potensi tanpa hasil penilaian (dinilai {policy})", policy=policy))
        return out

    def names(self, j: int, inforce: InForce, size: int | None = None) -> list[NameRow]:
        """The names for post ``j`` in the current plan: the proposed person, then the
        best alternatives by price, then fit (the plan's shortlist order).

        Every eligible person is priced from the current plan's duals (:meth:`_prices`).
        Under side constraints a price is a constrained re-solve: only the best by fit
        are priced then.
        """
        size = size or self.ctx.loaded.scenario.shortlist
        solved = self.current(inforce)
        pid = str(self.ctx.posts.jabatan_id[j])
        banned = {nip for nip, p in inforce.bans() if p == pid}
        ks = self.candidates(j)
        people = self.ctx.people
        ks = [int(k) for k in ks if str(people.nip[self.arc_person[k]]) not in banned]
        holder = int(solved.holder[j]) if solved.ok else -1
        first = [k for k in ks if int(self.arc_person[k]) == holder]
        others = [k for k in ks if int(self.arc_person[k]) != holder]
        fit = self.plan.scores.fit
        if self.problem.side:
            others = sorted(others, key=lambda k: (-fit[k], int(self.arc_person[k])))[:size]
        prices = self._prices(j, inforce.key(), [int(self.arc_person[k]) for k in others])
        priced = [
            (price is None, price or 0.0, -fit[k], int(self.arc_person[k]), k, price)
            for k, price in zip(others, prices, strict=True)
        ]
        priced.sort(key=lambda t: t[:4])
        rows = [self._row(k, 1, 0.0, solved) for k in first]
        rows += [self._row(t[4], 0, t[5], solved) for t in priced[:size]]
        return [dataclasses.replace(r, rank=n + 1) for n, r in enumerate(rows[:size])]

    def _prices(self, j: int, key: Key, persons: list[int]) -> list[float | None]:
        """Fit points lost against the plan of ``key`` if each of ``persons`` took post
        ``j`` instead (replacing a decision on ``j``, if any); None where no plan holds.

        Exact: the forcing prices of the state's optimal plan (solvers.Evidence: one
        shortest-path tree on its residual graph prices every candidate of the post),
        not a re-solve per name. A decision already on ``j`` is taken out first: the
        prices are then read from the state without it.
        """
        if not persons:
            return []
        solved = self.solve(key)
        pid = str(self.ctx.posts.jabatan_id[j])
        free = _with(key, pins=[], drop_post=pid)
        base = self.solve(free)
        if not (solved.ok and base.ok) or base.solution is None:
            return [None] * len(persons)
        local = base.local if free != ((), ()) else self._local_root_if_plain()
        if local is not None:  # one Dijkstra from the post on the state's potentials
            who, loss = local.prices(j)
        else:
            who, loss = self._evidence_of(free, base).forcing_prices(
                j, time_limit=self.ctx.loaded.scenario.time_limit
            )
        at = dict(zip(who.tolist(), loss.tolist(), strict=True))
        out: list[float | None] = []
        for i in persons:
            lost = at.get(i, np.inf)
            if not np.isfinite(lost):
                out.append(None)
                continue
            alt = base.objective - int(lost)  # the best plan of ``free`` with i on j
            out.append(round((solved.objective - alt) / SCALE, 1) + 0.0)
        return out

    def _evidence_of(self, key: Key, solved: Solved) -> solvers.Evidence:
        """The evidence of a state's plan, kept for the few states last asked about."""
        ev = self._evidence.get(key)
        if ev is None:
            assert solved.problem is not None and solved.solution is not None
            ev = solvers.Evidence(solved.problem, solved.solution)
            self._evidence[key] = ev
            if len(self._evidence) > EVIDENCE_SIZE:
                self._evidence.popitem(last=False)
        self._evidence.move_to_end(key)
        return ev

    def explain(self, i: int, j: int, lang: str = "id") -> dict[str, Any]:
        """Every rule of post ``j`` for person ``i``, and the person's other eligible posts."""
        ctx = self.ctx
        rows = verdicts(ctx.people, ctx.posts, ctx.ruleset, ctx.taxonomy, ctx.day, i, j, lang)
        mine = np.flatnonzero(self._cand_person == i)
        fit = self.plan.scores.fit
        elsewhere = sorted(mine, key=lambda k: -fit[k])[:8]
        return {
            "verdicts": rows,
            "eligible": all(v.verdict == "PASS" for v in rows if v.hard),
            "elsewhere": [
                (
                    str(ctx.posts.jabatan_id[self._cand_post[k]]),
                    self.post_name(int(self._cand_post[k])),
                    float(fit[k]),
                )
                for k in elsewhere
            ],
        }

    def final_plan(self, inforce: InForce) -> Plan:
        """The session's plan through the one pipeline: the scenario plus the decisions."""
        if self._final is not None and self._final[0] == inforce.key():
            return self._final[1]
        plan = self._final_plan(inforce)
        self._final = (inforce.key(), plan)
        return plan

    def _final_plan(self, inforce: InForce) -> Plan:
        real = self._loaded
        sc = real.loaded.scenario

        def pairs(shown: list[tuple[str, str]]) -> list[PairSpec]:
            return [
                PairSpec(nip=str(real.people.nip[self.person_index[n]]), jabatan_id=p)
                for n, p in shown
            ]

        pins = [*sc.pins, *pairs(inforce.pins())]
        bans = [*sc.bans, *pairs(inforce.bans())]
        scenario = sc.model_copy(update={"pins": pins, "bans": bans})
        ctx = dataclasses.replace(
            real, loaded=dataclasses.replace(real.loaded, scenario=scenario), timings={}
        )
        return plan_round(ctx, pseudonymise=self.pseudonymise)


def _folds(prob: solvers.AssignmentProblem) -> bool:
    """Whether the post tiers and the scores of ``prob`` fold into one 64-bit cost per arc."""
    posts = np.arange(prob.n_posts)
    levels = levels_of(prob, np.arange(prob.person.size), prob.post, posts, prob.n_persons)
    if prob.has_moves_level:
        levels = levels[:-1]
    try:
        return len(stages(levels, prob.n_persons + prob.n_posts + 1)) == 1
    except solvers.CostRangeError:
        return False


def _sticky_scores(prob: solvers.AssignmentProblem, base: solvers.Solution) -> np.ndarray:
    """Arc scores that keep the engine's proposal wherever a decision leaves a choice.

    Equal-valued plans abound (two Kasubbag posts of one kind in two units);
    without this a re-solve could reshuffle people the decision does not
    concern, and the committee would see moves that are not its decision's
    doing. Every score is multiplied by more than the number of placements a
    plan can have (people or posts, the fewer) and the proposal's arcs get
    one point more: a plan never gives up a real point to keep a proposal
    arc, and among equal plans keeps the most.
    """
    factor = min(prob.n_persons, prob.n_posts) + 1  # more than the proposal arcs any plan has
    sticky = prob.score.astype(np.int64) * factor
    sticky[base.arc] += 1
    return sticky


def _with(key: Key, *, pins: list[tuple[str, str]], drop_post: str) -> Key:
    """``key`` with ``pins`` added, replacing any pin on ``drop_post``."""
    kept = [p for p in key[0] if p[1] != drop_post]
    return tuple(sorted({*kept, *pins})), key[1]
