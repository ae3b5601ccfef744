"""A round as an assignment problem (DESIGN.md, "The optimisation model").

- every incumbent who stays in the pool has a *stay* arc to their own post,
  worth their fit there plus the scenario's stability bonus, and must be
  placed somewhere (stay or move): nobody loses a post to the model;
- every eligible (person, post) pair allowed by the move policy is an arc
  worth its fit minus the move penalty;
- people outside structural posts have no stay arc: being left unplaced
  keeps them where they are;
- a post takes at most one person and a person at most one post, so a post
  freed by a move can be filled in the same solve: vacancy chains come out
  of one optimisation.

Values are integers (weighted fit x :data:`~engine.scoring.fit.SCALE`); the
solver's tie-break makes the plan deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

import solvers
from engine.eligibility.soft import PenaltyView, SoftFailures
from engine.errors import InputError, Problem, message
from engine.inputs.derive import Posts
from engine.round.context import Context
from engine.round.setup import RoundSetup
from engine.scoring.fit import KERNEL_MIN_PAIRS, SCALE, FitView, Scores, post_weights

if TYPE_CHECKING:
    from engine.eligibility.candidates import Candidates
    from engine.inputs.scenario import Scenario

__all__ = [
    "Arcs",
    "StayMask",
    "arc_values",
    "build_problem",
    "fill_tiers",
    "pairs_are_arcs",
    "round_arcs",
    "side_constraints",
]


class StayMask:
    """Whether each arc is a stay arc, indexed as a bool array is: the stay arcs
    are the arcs from ``n_candidates`` on, so nothing is stored per arc."""

    def __init__(self, n_candidates: int, n_arcs: int):
        self.n_candidates, self.n_arcs = n_candidates, n_arcs

    def __len__(self) -> int:
        return self.n_arcs

    def __getitem__(self, index: object) -> np.ndarray | bool:
        if isinstance(index, int | np.integer):
            return bool(range(self.n_arcs)[index] >= self.n_candidates)
        if isinstance(index, slice):
            return np.arange(*index.indices(self.n_arcs)) >= self.n_candidates
        k = np.asarray(index)
        if k.dtype == bool:
            raise TypeError("a stay mask is indexed by arc numbers, not by a mask")
        return np.where(k < 0, k + self.n_arcs, k) >= self.n_candidates

    def __array__(self, dtype: object = None, copy: object = None) -> np.ndarray:
        out = self[:]
        return out if dtype is None else out.astype(dtype)


@dataclass(frozen=True)
class Arcs:
    """The arcs of a round: the candidates' pairs first, then the stay arcs.

    ``person``/``post`` are aligned (int32 while the indices fit it);
    ``soft`` holds the soft rules each arc fails, a bit per rule (a stay
    arc fails none), and ``penalty`` their total, computed from it when
    indexed; ``is_stay`` marks the stay arcs (the last
    ``len(stay_person)``); ``n_candidates`` is how many arcs come from
    eligibility.
    """

    person: np.ndarray
    post: np.ndarray
    soft: SoftFailures
    stay_person: np.ndarray
    n_candidates: int

    def __len__(self) -> int:
        return len(self.person)

    @property
    def penalty(self) -> PenaltyView:
        """Each arc's soft penalty (float64), computed from ``soft`` when indexed."""
        return PenaltyView(self.soft)

    @property
    def is_stay(self) -> StayMask:
        """Whether each arc is a stay arc, computed from its index when indexed."""
        return StayMask(self.n_candidates, len(self.person))


def round_arcs(posts: Posts, setup: RoundSetup, cands: Candidates) -> Arcs:
    """The candidate pairs plus a stay arc for every incumbent who stays in the pool.

    Stay arcs are for incumbents not reaching BUP, on posts not opened by name.
    The candidates' ``person``, ``post`` and soft bits become views of the
    arcs' first part: each array is made once at its whole length, filled in
    place, and the candidates' own copy is let go before the next one is
    made, so a province round never holds its pairs twice.
    """
    holder = posts.holder
    held = holder >= 0
    holder_leaves = held & setup.leaving[np.where(held, holder, 0)]
    stay_post = np.flatnonzero(held & ~holder_leaves & ~setup.named)
    stay_person = holder[stay_post]
    n, total = len(cands), len(cands) + len(stay_post)
    whole = {}
    for name, stay in (("person", stay_person), ("post", stay_post)):
        part = getattr(cands, name)
        whole[name] = np.empty(total, dtype=part.dtype)
        whole[name][:n] = part
        whole[name][n:] = stay
        del part
        setattr(cands, name, whole[name][:n])
    soft = cands.soft
    bits = np.zeros((total, soft.bits.shape[1]), dtype=np.uint8)  # a stay arc fails none
    bits[:n] = soft.bits
    cands.soft = SoftFailures(soft.ids, soft.penalties, bits[:n])
    del soft
    return Arcs(
        person=whole["person"],
        post=whole["post"],
        soft=SoftFailures(cands.soft.ids, cands.soft.penalties, bits),
        stay_person=stay_person,
        n_candidates=n,
    )


def build_problem(
    ctx: Context, setup: RoundSetup, arcs: Arcs, scores: Scores
) -> solvers.AssignmentProblem:
    """The solver problem of a round whose arcs are scored.

    Raises :class:`~engine.errors.InputError` when a pin names a pair that
    is not an arc (the person is not eligible for the post).
    """
    sc = ctx.loaded.scenario
    people, posts = ctx.people, ctx.posts
    arc_score = arc_values(scores.fit, arcs, post_weights(posts, sc.post_weights), sc)
    # Incumbents who stay in the pool must hold some post: stay or move.
    must_place = np.zeros(people.n, dtype=bool)
    must_place[arcs.stay_person] = True
    pins = _pairs(ctx, sc.pins)
    _check_pins(ctx, pins, arcs)
    return solvers.AssignmentProblem(
        n_persons=people.n,
        n_posts=posts.n,
        person=arcs.person,
        post=arcs.post,
        score=arc_score,
        home=np.where(setup.pool, people.home, -1),
        must_place=must_place,
        pins=pins,
        bans=_pairs(ctx, sc.bans),
        side=side_constraints(ctx, arcs.person, arcs.post, arcs.is_stay),
        priority=fill_tiers(posts, sc.fill_priority),
        # Promotion-only moves cannot form a cycle; with lateral moves a rotation
        # (A takes B's post, B takes A's) is what the scenario allows.
        allow_cycles=True,
    )


#: Arcs valued at a time: the float temporaries stay a few MB however many arcs.
CHUNK = 1 << 20


def arc_values(
    fit: np.ndarray | FitView, arcs: Arcs, weight: np.ndarray, sc: Scenario
) -> np.ndarray:
    """Each arc's integer value: ``round((fit x post weight ± bonus) x SCALE)``.

    The stay arcs get the scenario's stability bonus, the others lose its
    move penalty. Computed a chunk of arcs at a time (the fits too, when
    ``fit`` is a :class:`~engine.scoring.fit.FitView`) straight into the one
    int64 array the solver keeps, so a province round holds no float copy
    of its arcs; the arithmetic per arc is the same whatever the chunk. From
    ``KERNEL_MIN_PAIRS`` arcs on, a view's fits and the values are made in one
    compiled pass (:func:`engine.kernels.pair_values`), by the same
    operations in the same order.
    """
    out = np.empty(len(arcs), dtype=np.int64)
    bonus = np.array([-sc.move_penalty, sc.stability_bonus], dtype=np.float64)
    parts = (
        fit.compiled()
        if isinstance(fit, FitView) and len(fit) == len(arcs) >= KERNEL_MIN_PAIRS
        else None
    )
    if parts is not None:  # one compiled pass, the same operations per arc
        from engine import kernels

        value = (weight, float(bonus[0]), float(bonus[1]), arcs.n_candidates, float(SCALE))
        kernels.pair_values(*parts, 0, len(out), value, np.zeros(0), out)
        return out
    stay = arcs.is_stay
    for a in range(0, len(out), CHUNK):
        b = a + CHUNK
        value = fit[a:b] * weight[arcs.post[a:b]]
        value += bonus[stay[a:b].view(np.uint8)]
        value *= SCALE
        out[a:b] = np.round(value, out=value)
    return out


def _pairs(ctx: Context, pairs: list) -> np.ndarray:
    """The scenario's (NIP, jabatan_id) pairs as (person, post) indices."""
    index = {nip: i for i, nip in enumerate(ctx.people.nip)}
    post_index = {pid: j for j, pid in enumerate(ctx.posts.jabatan_id)}
    return np.array(
        [[index[p.nip], post_index[p.jabatan_id]] for p in pairs], dtype=np.int64
    ).reshape(-1, 2)


def fill_tiers(posts: Posts, mode: str) -> np.ndarray | None:
    """Fill priority of each post for the lexicographic objective.

    ``level``: a post's tier is its level on the structural ladder
    (Pengawas 1, Administrator 2, JPT Pratama 3, ...), so a JPT vacancy is
    filled before an Administrator post it may open; ``flat``: every post
    tier 1; ``none``: no fill priority (fit alone).
    """
    if mode == "none":
        return None
    if mode == "flat":
        return np.ones(posts.n, dtype=np.int64)
    return np.maximum(posts.level.astype(np.int64) - 1, 1)


def side_constraints(
    ctx: Context, person: np.ndarray, post: np.ndarray, is_stay: np.ndarray | StayMask
) -> list[object]:
    """The scenario's committee constraints as generic solver side constraints."""
    c = ctx.loaded.scenario.constraints
    people, posts = ctx.people, ctx.posts
    side: list[object] = []
    # Only the per-unit and women's-share constraints read which arcs are moves.
    per_arc = c.max_moves_per_unit, c.max_between_units
    move = ~np.asarray(is_stay) if c.min_women_share or per_arc != (None, None) else None
    if c.max_chain is not None:
        side.append(
            solvers.MaxChainLength(c.max_chain, name=f"rantai paling panjang {c.max_chain}")
        )
    if c.max_moves is not None:
        side.append(
            solvers.MaxMoves(
                c.max_moves, name=f"paling banyak {c.max_moves} perpindahan", count_new=True
            )
        )
    units, unit_code = np.unique(people.unit, return_inverse=True)
    if c.max_moves_per_unit is not None:
        group = np.where(move, unit_code[person], -1).astype(np.int64)
        side.append(
            solvers.GroupLimit(
                group,
                c.max_moves_per_unit,
                name=f"paling banyak {c.max_moves_per_unit} perpindahan dari satu unit",
            )
        )
    if c.max_between_units is not None:
        post_unit = np.searchsorted(units, posts.unit)
        known = np.isin(posts.unit, units)
        to_unit = np.where(known[post], post_unit[post], len(units))
        pair = unit_code[person] * (len(units) + 1) + to_unit
        group = np.where(move & (unit_code[person] != to_unit), pair, -1).astype(np.int64)
        side.append(
            solvers.GroupLimit(
                group,
                c.max_between_units,
                name=f"paling banyak {c.max_between_units} orang dari satu unit ke unit lain",
            )
        )
    for share in c.min_women_share:
        into = move & np.isin(posts.jenis_jabatan[post], share.jenis_jabatan)
        woman = people.jenis_kelamin[person] == "P"
        # sum(woman) >= share x sum(placed), in integer hundredths.
        coef = np.where(
            into, np.where(woman, 100 - round(share.share * 100), -round(share.share * 100)), 0
        )
        levels = ", ".join(share.jenis_jabatan)
        side.append(
            solvers.LinearConstraint(
                coef.astype(np.int64),
                lower=0,
                name=f"perempuan paling sedikit {share.share:.0%} pada {levels}",
            )
        )
    return side


def pairs_are_arcs(arcs: Arcs, pairs: np.ndarray) -> np.ndarray:
    """Bool per ``(person, post)`` row of ``pairs``: whether it is an arc.

    The candidates' arcs come sorted by post, then person: a pair is looked
    for in its post's run by binary search, the few stay arcs one by one, so
    no set or sorted copy of a round's hundred million arcs is made.
    """
    n = arcs.n_candidates
    post, person = arcs.post[:n], arcs.person[:n]
    out = np.zeros(len(pairs), dtype=bool)
    stays = set(zip(arcs.person[n:].tolist(), arcs.post[n:].tolist(), strict=True))
    for k, (i, j) in enumerate(pairs.tolist()):
        lo, hi = (
            np.searchsorted(post, post.dtype.type(j), "left"),
            np.searchsorted(post, post.dtype.type(j), "right"),
        )
        at = lo + np.searchsorted(person[lo:hi], person.dtype.type(i))
        out[k] = (at < hi and person[at] == i) or (i, j) in stays
    return out


def _check_pins(ctx: Context, pins: np.ndarray, arcs: Arcs) -> None:
    if not len(pins):
        return
    have = pairs_are_arcs(arcs, pins)
    bad = []
    for k, (i, j) in enumerate(pins.tolist()):
        if not have[k]:
            nip, pid = ctx.people.nip[i], ctx.posts.jabatan_id[j]
            bad.append(
                Problem(
                    str(ctx.loaded.path),
                    message("pin_not_eligible", nip=nip, post=pid),
                    line=ctx.loaded.lines.line_of(("pins", k)),
                    column=f"pins[{k}]",
                    hint=message("pin_not_eligible_hint", nip=nip, post=pid),
                )
            )
    if bad:
        raise InputError(bad)
