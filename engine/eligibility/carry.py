"""Eligibility carried from one round to the next: only the people whose verdicts moved are emitted again.

A horizon decides a round a year on the same posts and rules, and most
people's standing does not move between two years: their verdicts under
every rule are the same, so their eligible pairs are the same. This layer
sits on :func:`engine.eligibility.candidates.find_candidates` without
changing how a verdict is reached:

- every rule's verdict vectors are evaluated as a round always evaluates
  them (one per rule and post value, over all people: the work that is
  vectorised and small); together with the people each level considers
  (pool and move policy) and each person's own post they make a person's
  *signature*: everything that decides which pairs the person has, at
  which soft penalty;
- a person of the previous round with the same signature now (matched by
  NIP) keeps their previous pairs; the others (moved, promoted in rank,
  aged past a rule's boundary, a new SKP year, ...: whatever changed a
  verdict) are emitted again by the finder, restricted to them;
- the two are merged in post-then-person order, so the result is the
  table a round from scratch finds, pair for pair. The per-post counts
  (considered, excluded by each rule, UNKNOWN) are always the round's own.

When the posts, the rules in force or what a rule reads of its posts
differ from the previous round (a rule version starting, another scenario),
nothing is carried and the round is found from scratch.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from engine.eligibility.candidates import Candidates, finder
from engine.eligibility.verdicts import ActiveRule, UnknownPolicy
from engine.inputs.derive import People, Posts
from engine.inputs.settings import Taxonomy
from engine.rules.ruleset import RuleSet

__all__ = ["CarriedRound", "EligibilityCarry", "find_candidates_carried"]


@dataclass
class CarriedRound:
    """What one round's eligibility leaves for the next.

    ``layout``: what the signature's columns mean (rules, their posts and
    the values they read; levels; posts considered); a later round carries
    only under the same layout. ``person``: the pairs' people (the round's
    rows), sorted by post then person, ``count`` the pairs per post;
    ``soft``: per soft rule, its failures over the pairs.
    """

    layout: tuple
    nip: np.ndarray
    bits: np.ndarray  # (people, bytes): failed verdicts and considered-by-level, packed
    keys: np.ndarray  # (people, columns): equality keys and the post held
    person: np.ndarray
    count: np.ndarray
    soft: dict[str, np.ndarray]
    penalties: dict[str, float]


@dataclass
class EligibilityCarry:
    """The carry between the rounds of a horizon: the last round's, and what each round reused.

    ``log``: per round, ``(people, people emitted again, pairs carried)``.
    """

    last: CarriedRound | None = None
    log: list[tuple[int, int, int]] = field(default_factory=list)


def _used_codes(a: ActiveRule, consider: np.ndarray) -> list[int]:
    return np.unique(a.code[a.mask & consider]).tolist()


def _layout(rules: list[ActiveRule], posts: Posts, level_code: np.ndarray, consider) -> tuple:
    """Everything a signature column depends on besides the people."""
    parts: list = [consider.tobytes(), level_code.tobytes()]
    for a in rules:
        reads = tuple(a.kind.reads(a.rule.params))  # type: ignore[arg-type]
        values = tuple(tuple(map(str, getattr(posts, k)[a.rep].tolist())) for k in reads)
        post_key = None if a.join is None else a.join[1].tobytes()
        parts.append(
            (a.id, a.hard, a.penalty, a.policy, a.rule.model_dump_json(), a.mask.tobytes())
        )
        kind = (type(a.kind).__qualname__, id(a.kind.taxonomy))
        parts.append((a.code.tobytes(), reads, values, post_key, kind))
    return tuple(parts)


def _signature(
    rules: list[ActiveRule], consider: np.ndarray, base: np.ndarray, home: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per person: packed failed verdicts (every rule, every post value) and considered-by-level; keys."""
    columns = [row for row in base]
    keys = [home.astype(np.int64)]
    for a in rules:
        if a.join is not None:
            keys.append(a.join[0].astype(np.int64))
            continue
        columns.extend(a.failed(c) for c in _used_codes(a, consider))
    bits = np.packbits(np.stack(columns, axis=1), axis=1)
    return bits, np.stack(keys, axis=1)


def _unchanged(
    last: CarriedRound, nip: np.ndarray, bits: np.ndarray, keys: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per person now: their row in the last round (-1 new), and whether their signature is the same."""
    order = np.argsort(last.nip, kind="stable")
    at = np.searchsorted(last.nip[order], nip)
    at = np.minimum(at, len(order) - 1) if len(order) else np.zeros(len(nip), dtype=np.int64)
    known = (last.nip[order][at] == nip) if len(order) else np.zeros(len(nip), dtype=bool)
    row = np.where(known, order[at] if len(order) else 0, -1)
    same = known.copy()
    same[known] &= (last.bits[row[known]] == bits[known]).all(axis=1)
    same[known] &= (last.keys[row[known]] == keys[known]).all(axis=1)
    return row, same


def _carried_pairs(
    last: CarriedRound, row: np.ndarray, same: np.ndarray, n_posts: int
) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """The last round's pairs of the people kept, in this round's rows (post, then person)."""
    now = np.full(len(last.nip), -1, dtype=np.int64)
    now[row[same]] = np.flatnonzero(same)
    person = now[last.person]
    keep = person >= 0
    post = np.repeat(np.arange(n_posts, dtype=np.int64), last.count)[keep]
    # Rows keep their order from year to year (people leave, nobody is inserted),
    # but a carried table is re-sorted when they do not.
    person = person[keep]
    soft = {rid: mask[keep] for rid, mask in last.soft.items()}
    key = post * max(len(row), 1) + person
    if len(key) > 1 and not bool(np.all(key[1:] > key[:-1])):
        order = np.argsort(key, kind="stable")
        post, person = post[order], person[order]
        soft = {rid: mask[order] for rid, mask in soft.items()}
    return person, post, soft


def _merge(
    carried: tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]],
    fresh: Candidates,
    n_people: int,
    penalties: dict[str, float],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """Carried and freshly emitted pairs in one table sorted by post then person."""
    c_person, c_post, c_soft = carried
    f_key = fresh.post * n_people + fresh.person
    c_key = c_post * n_people + c_person
    total = len(c_key) + len(f_key)
    # Each pair's place in the merged table: its rank in its own table plus
    # the pairs of the other table before it (no key is in both).
    at_f = np.searchsorted(c_key, f_key) + np.arange(len(f_key))
    at_c = np.searchsorted(f_key, c_key) + np.arange(len(c_key))
    del f_key, c_key
    person = np.empty(total, dtype=np.int64)
    post = np.empty(total, dtype=np.int64)
    person[at_f], person[at_c] = fresh.person, c_person
    post[at_f], post[at_c] = fresh.post, c_post
    fresh_soft = dict(fresh.soft_failed)
    soft: dict[str, np.ndarray] = {}
    penalty = np.zeros(total)
    for rid, p in penalties.items():  # in rule order, as the finder sums them
        mask = np.empty(total, dtype=bool)
        mask[at_f], mask[at_c] = fresh_soft[rid], c_soft[rid]
        soft[rid] = mask
        penalty += np.where(mask, p, 0.0)
    return person, post, penalty, soft


def find_candidates_carried(
    people: People,
    posts: Posts,
    ruleset: RuleSet,
    taxonomy: Taxonomy,
    day: dt.date,
    *,
    pool: np.ndarray,
    allowed: Callable[[People, int], np.ndarray],
    unknown: str | UnknownPolicy = "fail",
    carry: EligibilityCarry,
) -> Candidates:
    """:func:`~engine.eligibility.candidates.find_candidates`, carrying the unchanged people's pairs.

    ``carry`` holds the previous round's (``carry.last``; ``None`` in the
    first round) and is updated to this round's. The result equals
    ``find_candidates`` of the same arguments (``method="auto"``).
    """
    f = finder(people, posts, ruleset, taxonomy, day, pool, allowed, unknown)
    layout = _layout(f.rules, posts, f.level_code, f.consider)
    bits, keys = _signature(f.rules, f.consider, f.base, people.home)
    last = carry.last if carry.last is not None and carry.last.layout == layout else None
    if last is None:
        row = np.full(people.n, -1, dtype=np.int64)
        same = np.zeros(people.n, dtype=bool)
    else:
        row, same = _unchanged(last, people.nip, bits, keys)
    fresh = f.run(emit=~same)
    soft_rules = {a.id: a.penalty for a in f.rules if not a.hard}
    if same.any():
        carried = _carried_pairs(last, row, same, posts.n)  # type: ignore[arg-type]
        person, post, penalty, soft = _merge(carried, fresh, people.n, soft_rules)
        cands = Candidates(
            person=person,
            post=post,
            penalty=penalty,
            soft_failed=[(rid, soft[rid]) for rid in soft_rules],
            considered=fresh.considered,
            excluded=fresh.excluded,
            unknown=fresh.unknown,
            rules_in_force=fresh.rules_in_force,
            excluded_people_of=fresh.excluded_people_of,
        )
    else:
        cands = fresh
    carry.log.append((int(people.n), int((~same).sum()), int(len(cands) - len(fresh))))
    count = np.bincount(cands.post, minlength=posts.n)
    carry.last = CarriedRound(
        layout=layout,
        nip=np.asarray(people.nip),
        bits=bits,
        keys=keys,
        person=cands.person.astype(np.int32 if people.n < 2**31 else np.int64),
        count=count,
        soft=dict(cands.soft_failed),
        penalties=soft_rules,
    )
    return cands
