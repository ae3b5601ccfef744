"""Every (person, post) pair checked against every rule that applies, vectorised.

Assumptions:

- A requirement kind reads only the post attributes it names
  (:meth:`~engine.rules.requirements.Kind.reads`), so posts that share the same
  applicable rules and the same values of those attributes share one
  eligibility vector over people. Each rule is evaluated once per distinct
  value of those attributes, never per pair.
- Rules that are equalities between a person and a post attribute (the same
  field or family of study, the same unit: :meth:`~engine.rules.requirements.Kind.join_keys`)
  are joins. Posts with such a hard rule get their candidates by a sort-merge
  join of people and posts on the equality keys, and the other rules filter
  the joined pairs by gathering from their per-value verdict vectors. At
  national scale (hundreds of thousands of people and posts, thousands of
  units) this never builds the person x post cross product.
- Posts without a hard equality rule are grouped by rule signature (the
  rules that apply, the values of the attributes they read, the post's
  level); each group is evaluated once over all people and its eligible
  people are emitted for every post of the group.
- The result is a long table of eligible pairs sorted by post then person
  (no dense person x post matrix), plus per-post counts of how many
  candidates each hard rule excluded, for the "why unfilled" reasons. The
  counts are computed from per-value tables, not from the pairs.
- UNKNOWN verdicts (data missing) are counted and treated as the scenario
  says: ``fail`` (default: not eligible, no guessing) or ``pass``
  (:class:`~engine.eligibility.verdicts.UnknownPolicy`).
- Posts are grouped by rule signature in one place
  (:mod:`engine.eligibility.groups`); each rule's verdicts per post value
  are :class:`~engine.eligibility.verdicts.ActiveRule`.
- ``method="groups"`` is the plain method (every group over all people, one
  Python step per post); it is kept as the reference the join is tested
  against. The per-pair evaluator :func:`verdicts` is for explaining one
  pair only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal, overload

import numpy as np

from engine.eligibility.groups import dense_codes, group_posts, row_codes, signature
from engine.eligibility.soft import SoftFailures
from engine.eligibility.verdicts import ActiveRule, UnknownPolicy, post_view
from engine.inputs.derive import People, Posts
from engine.inputs.settings import Taxonomy
from engine.rules.registry import PostView
from engine.rules.requirements import CATALOGUE, FAIL, PASS, UNKNOWN, Counterfactual, Kind
from engine.rules.ruleset import LoadedRule, RuleSet

__all__ = [
    "Candidates",
    "ExcludedCounts",
    "Verdict",
    "find_candidates",
    "verdict_of",
    "verdicts",
]


class ExcludedCounts(Sequence):
    """Per post, ``{hard rule id: people it excluded}`` (rules with none left out).

    Stored as one count per (hard rule, post) and turned into a dict only
    when a post is looked at, so a national round does not build hundreds of
    thousands of dicts it never reads.
    """

    def __init__(self, rule_ids: Sequence[str], counts: np.ndarray):
        self.rule_ids = list(rule_ids)
        self.counts = counts  # (len(rule_ids), n_posts)

    def __len__(self) -> int:
        return int(self.counts.shape[1])

    @overload
    def __getitem__(self, j: int) -> dict[str, int]: ...
    @overload
    def __getitem__(self, j: slice) -> list[dict[str, int]]: ...
    def __getitem__(self, j):
        if isinstance(j, slice):
            return [self[k] for k in range(len(self))[j]]
        column = self.counts[:, j].tolist()
        return {rid: int(c) for rid, c in zip(self.rule_ids, column, strict=True) if c}

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"ExcludedCounts({len(self.rule_ids)} rules x {len(self)} posts)"


@dataclass
class Candidates:
    """Eligible (person, post) pairs and what excluded the others.

    ``person``/``post`` are aligned arrays sorted by post, then person
    (int32 while the people and posts fit it: :func:`index_dtype`).
    ``soft`` holds which soft rules each pair fails, a bit per rule
    (:class:`~engine.eligibility.soft.SoftFailures`); ``penalty`` is the
    total of their penalties per pair, computed from it.
    ``excluded[j]`` maps a hard rule id to the number of people it excluded
    from post ``j`` (among those considered); ``considered[j]`` is how many
    people were considered at all; ``unknown[j]`` how many had a rule
    UNKNOWN.
    """

    person: np.ndarray
    post: np.ndarray
    soft: SoftFailures
    considered: np.ndarray
    excluded: Sequence[dict[str, int]]
    unknown: np.ndarray
    rules_in_force: list[str] = field(default_factory=list)
    excluded_people_of: Callable[[np.ndarray], dict[str, int]] | None = field(
        default=None, repr=False
    )

    def __len__(self) -> int:
        return len(self.person)

    @property
    def penalty(self) -> np.ndarray:
        """float64 soft penalty of each pair (an array made on each call: per pair,
        ``soft.penalty(k)``)."""
        return self.soft.penalty()

    @property
    def soft_failed(self) -> list[tuple[str, np.ndarray]]:
        """``(rule id, bool mask over pairs)`` per soft rule, made on each call
        (per pair, ``soft.failed_at(k)``)."""
        return self.soft.unpacked()

    def excluded_people(self, posts: np.ndarray) -> dict[str, int]:
        """Per hard rule: distinct people it excluded from at least one of ``posts`` (a bool mask).

        ``excluded[j]`` counts people per post; summed over posts it counts
        (person, post) pairs, and a person turned away from ten posts is
        counted ten times. This counts each person once. Rules that exclude
        nobody are left out.
        """
        if self.excluded_people_of is None:
            raise ValueError("these candidates do not keep what excluded whom")
        return self.excluded_people_of(np.asarray(posts, dtype=bool))

    def subset(self, keep: np.ndarray) -> Candidates:
        """The pairs where ``keep`` holds; the per-post counts (who was considered, excluded) stay."""
        return replace(
            self, person=self.person[keep], post=self.post[keep], soft=self.soft.subset(keep)
        )


def index_dtype(n_people: int, n_posts: int) -> type[np.signedinteger]:
    """The type of person and post indices: int32 while a pair's key
    ``person * n_posts + post`` fits it too (so no product of two indices
    overflows downstream), else int64.

    >>> index_dtype(50_000, 12_500).__name__, index_dtype(50_000, 50_000).__name__
    ('int32', 'int64')
    """
    return np.int32 if n_people * max(n_posts, 1) < 2**31 else np.int64


def _kinds(taxonomy: Taxonomy) -> dict[str, Kind]:
    return {name: cls(taxonomy) for name, cls in CATALOGUE.items()}


def find_candidates(
    people: People,
    posts: Posts,
    ruleset: RuleSet,
    taxonomy: Taxonomy,
    day: dt.date,
    *,
    pool: np.ndarray,
    allowed: Callable[[People, int], np.ndarray],
    unknown: str | UnknownPolicy = "fail",
    open_posts: np.ndarray | None = None,
    method: Literal["auto", "join", "groups"] = "auto",
) -> Candidates:
    """Build the long table of eligible pairs.

    Parameters
    ----------
    people, posts:
        The derived arrays at the scenario date.
    ruleset, taxonomy, day:
        The rules (those in force at ``day`` apply) and the field taxonomy.
    pool:
        Bool mask of the people who may be considered at all.
    allowed:
        ``allowed(people, post_level)`` -> bool mask: whether a move
        from each person's level to a post of that level is allowed (the
        scenario's move policy by level:
        :meth:`engine.eligibility.moves.MovePolicy.allowed`).
    unknown:
        ``"fail"`` or ``"pass"`` (or the :class:`UnknownPolicy` they name):
        how an UNKNOWN verdict counts.
    open_posts:
        Bool mask of posts to consider; all when ``None``.
    method:
        ``"auto"`` (default): posts with a hard equality rule are joined
        when the join yields fewer pairs before filtering than their
        signature groups would evaluate (see the module docstring);
        ``"join"``: always; ``"groups"``: the plain reference method.
        All three give the same result.

    Returns
    -------
    Candidates
    """
    policy = UnknownPolicy.of(unknown)
    if method == "groups":
        return _find_by_groups(
            people, posts, ruleset, taxonomy, day, pool, allowed, policy, open_posts
        )
    if method not in {"auto", "join"}:
        raise ValueError(f"method must be 'auto', 'join' or 'groups', got {method!r}")
    finder = _Finder(people, posts, ruleset, taxonomy, day, pool, allowed, policy, open_posts)
    return finder.run(always_join=method == "join")


# --------------------------------------------------------------------------
def _ranges(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Concatenated ``arange(s, s + c)`` for each start ``s`` and count ``c``, without a loop."""
    counts = np.asarray(counts, dtype=np.int64)
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    shift = np.asarray(starts, dtype=np.int64) - (np.cumsum(counts) - counts)
    # 32-bit when the values fit: these index tens of millions of pairs
    top = int(np.max(np.asarray(starts, dtype=np.int64) + counts))
    kind = np.int32 if top < 2**31 else np.int64
    out = np.repeat(shift.astype(kind), counts)
    out += np.arange(total, dtype=kind)
    return out


def _joined_pairs(parts: list[np.ndarray], dtype: type) -> np.ndarray:
    """The parts one after the other (the one part itself: no copy)."""
    if len(parts) == 1:
        return parts[0]
    return np.concatenate([np.zeros(0, dtype=dtype), *parts])


def _kept_runs(a: int, n: int, dropped: np.ndarray | None) -> list[tuple[int, int]]:
    """The runs ``[a, a + n)`` is cut into when the sorted positions ``dropped`` are taken out.

    >>> _kept_runs(10, 5, np.array([1, 3]))
    [(10, 11), (12, 13), (14, 15)]
    >>> _kept_runs(10, 3, None)
    [(10, 13)]
    """
    if dropped is None:
        return [(a, a + n)]
    cuts = [a + int(d) for d in dropped.tolist()]
    ends = [*cuts, a + n]
    begins = [a, *(c + 1 for c in cuts)]
    return [(b, e) for b, e in zip(begins, ends, strict=True) if e > b]


def _unique_rows(bits: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct rows of a 2-D uint64 matrix, the row of each input row, and their counts."""
    if bits.shape[1] == 1:  # the usual case: a 1-D sort, much faster than axis=0
        rows, inverse, counts = np.unique(bits[:, 0], return_inverse=True, return_counts=True)
        return rows[:, None], inverse.ravel(), counts
    rows, inverse, counts = np.unique(bits, axis=0, return_inverse=True, return_counts=True)
    return rows, inverse.ravel(), counts


class _Finder:
    """The join method of :func:`find_candidates` (see the module docstring)."""

    def __init__(
        self,
        people: People,
        posts: Posts,
        ruleset: RuleSet,
        taxonomy: Taxonomy,
        day: dt.date,
        pool: np.ndarray,
        allowed: Callable[[People, int], np.ndarray],
        unknown: UnknownPolicy,
        open_posts: np.ndarray | None,
    ):
        self.people, self.posts = people, posts
        self.policy = unknown
        consider = np.ones(posts.n, dtype=bool) if open_posts is None else np.asarray(open_posts)
        self.consider = consider.astype(bool)
        kinds = _kinds(taxonomy)
        self.applicable = ruleset.applicable(day, posts)
        self.rules = [
            ActiveRule(r, kinds[r.rule.kind], m & self.consider, people, posts, unknown)
            for r, m in self.applicable
        ]
        self.soft_ids = [a.id for a in self.rules if not a.hard]
        self.soft_penalties = [a.penalty for a in self.rules if not a.hard]
        self.ids = index_dtype(people.n, posts.n)
        # Who may be considered for a post of each level (pool and move policy).
        self.levels, self.level_code = np.unique(posts.level, return_inverse=True)
        self.level_code = self.level_code.astype(np.int64).ravel()
        self.base = np.zeros((len(self.levels), people.n), dtype=bool)
        for lc in np.unique(self.level_code[self.consider]):
            self.base[lc] = pool & allowed(people, int(self.levels[lc]))
        self.base_count = self.base.sum(axis=1)

    # ---- counts for the reasons ---------------------------------------------
    def _excluded(self) -> ExcludedCounts:
        hard = [a for a in self.rules if a.hard]
        counts = np.zeros((len(hard), self.posts.n), dtype=np.int64)
        n = self.people.n
        for h, a in enumerate(hard):
            js = np.flatnonzero(a.mask)
            if not len(js):
                continue
            lcs = self.level_code[js]
            if a.join is not None:
                key, post_key = a.join
                values, inverse = np.unique(
                    np.concatenate([key, post_key[js]]), return_inverse=True
                )
                inverse = inverse.ravel()
                person_code, post_code = inverse[:n], inverse[n:]
                known = key >= 0
                for lc in np.unique(lcs):
                    at = lcs == lc
                    passed = np.bincount(person_code[self.base[lc] & known], minlength=len(values))
                    extra = 0 if self.policy.fails else int((self.base[lc] & ~known).sum())
                    counts[h, js[at]] = self.base_count[lc] - passed[post_code[at]] - extra
            else:
                combo = a.code[js] * len(self.levels) + lcs
                uniq, inverse = np.unique(combo, return_inverse=True)
                values = np.array(
                    [
                        np.count_nonzero(
                            a.failed(int(u // len(self.levels))) & self.base[u % len(self.levels)]
                        )
                        for u in uniq
                    ],
                    dtype=np.int64,
                )
                counts[h, js] = values[inverse.ravel()]
        return ExcludedCounts([a.id for a in hard], counts)

    def _unknown_counts(self) -> np.ndarray:
        """Per post: considered people with some rule that applies UNKNOWN.

        Every distinct UNKNOWN mask gets a bit; a person's bits say which
        masks hold them, a post's bits which masks its rules use. Counting
        then runs over the few distinct bit patterns, not over pairs.
        """
        out = np.zeros(self.posts.n, dtype=np.int64)
        masks: list[np.ndarray] = []
        ids: dict[bytes, int] = {}
        per_rule: list[tuple[np.ndarray, np.ndarray]] = []  # (posts, mask id per post)

        def mask_id(mask: np.ndarray) -> int:
            if not mask.any():
                return -1
            key = np.packbits(mask).tobytes()
            if key not in ids:
                ids[key] = len(masks)
                masks.append(mask)
            return ids[key]

        for a in self.rules:
            js = np.flatnonzero(a.mask)
            if not len(js):
                continue
            if a.join is not None:
                per_rule.append((js, np.full(len(js), mask_id(a.join[0] == -1))))
            else:
                used, inverse = np.unique(a.code[js], return_inverse=True)
                table = np.array([mask_id(a.unknown(int(c))) for c in used], dtype=np.int64)
                per_rule.append((js, table[inverse.ravel()]))
        if not masks:
            return out
        words = (len(masks) + 63) // 64
        person_bits = np.zeros((self.people.n, words), dtype=np.uint64)
        for m, mask in enumerate(masks):
            person_bits[mask, m // 64] |= np.uint64(1 << (m % 64))
        post_bits = np.zeros((self.posts.n, words), dtype=np.uint64)
        for js, mid in per_rule:
            has = mid >= 0
            for w in range(words):
                shift = (np.maximum(mid, 0) % 64).astype(np.uint64)
                bit = np.left_shift(np.uint64(1), shift)
                post_bits[js, w] |= np.where(has & (mid // 64 == w), bit, np.uint64(0))
        for lc in np.unique(self.level_code[self.consider]):
            js = np.flatnonzero(self.consider & (self.level_code == lc))
            patterns, _, counts = _unique_rows(person_bits[self.base[lc]])
            some = patterns.any(axis=1)
            patterns, counts = patterns[some], counts[some]
            if not len(patterns):
                continue
            wanted, inverse, _ = _unique_rows(post_bits[js])
            hit = ((wanted[:, None, :] & patterns[None, :, :]) != 0).any(axis=2)
            out[js] = (hit @ counts)[inverse]
        return out

    # ---- pairs --------------------------------------------------------------
    def _signature(self, js: np.ndarray) -> np.ndarray:
        return signature(
            [a.mask for a in self.rules], [a.code for a in self.rules], self.level_code, js
        )

    def _soft(self, failed: dict[str, np.ndarray], n: int) -> np.ndarray:
        """The soft rules' bits of ``n`` pairs from their failures (see :class:`SoftFailures`)."""
        return SoftFailures.pack(self.soft_ids, self.soft_penalties, failed, n).bits

    def _groups(self, js: np.ndarray) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """Posts without a hard equality rule: evaluate each signature group over all people.

        Each group: its posts, the people eligible for them and those people's soft bits.
        """
        masks, codes = [a.mask for a in self.rules], [a.code for a in self.rules]
        out = []
        for members in group_posts(masks, codes, self.level_code, js):
            j0 = int(members[0])
            ok = self.base[self.level_code[j0]].copy()
            soft: dict[str, np.ndarray] = {}
            for a in self.rules:
                if not a.mask[j0]:
                    continue
                failed = a.failed(int(a.code[j0]))
                if a.hard:
                    ok &= ~failed
                else:
                    soft[a.id] = failed
            chosen = np.flatnonzero(ok).astype(self.ids)
            bits = self._soft({rid: m[chosen] for rid, m in soft.items()}, len(chosen))
            out.append((members, chosen, bits))
        return out

    def _join(
        self,
        people_ids: np.ndarray,
        person_keys: list[np.ndarray],
        post_ids: np.ndarray,
        post_keys: list[np.ndarray],
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Sort-merge join on keys that must all be equal.

        Returns the people sorted by key and, per post, where its matches
        start in that order and how many there are; :func:`_ranges` turns
        them into pairs sorted by post then person.
        """
        if not person_keys:  # no key left to join on: every person with every post
            n = len(people_ids)
            return people_ids, np.zeros(len(post_ids), np.int64), np.full(len(post_ids), n)
        if len(person_keys) == 1:
            pk, qk = person_keys[0], post_keys[0]
        else:
            # One code per combination of keys, people and posts coded together (a
            # post key of -2 gets a code no person has).
            both, _ = dense_codes(
                [np.concatenate([p, q]) for p, q in zip(person_keys, post_keys, strict=True)]
            )
            pk, qk = both[: len(people_ids)], both[len(people_ids) :]
        order = np.argsort(pk, kind="stable")
        ordered = pk[order]
        lo = np.searchsorted(ordered, qk, "left")
        return people_ids[order], lo, np.searchsorted(ordered, qk, "right") - lo

    def _joined(
        self, js: np.ndarray, equalities: list[ActiveRule], limit: float
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        """Posts ``js`` of one level that share the hard equality rules ``equalities``: join, then filter.

        Returns the pairs' person, post and soft bits, sorted by post then person.

        Returns ``None`` (use the groups instead) when the join would yield
        more than ``limit`` pairs before filtering.
        """
        people_ids = np.flatnonzero(self.base[self.level_code[js[0]]]).astype(self.ids)
        # A hard rule that applies to every post here and reads nothing of them
        # that differs is a filter on people: apply it before the join.
        joined = {id(a) for a in equalities}
        prefiltered = set()
        for a in self.rules:
            if a.hard and id(a) not in joined and a.mask[js].all():
                codes = a.code[js]
                if (codes == codes[0]).all():
                    people_ids = people_ids[~a.failed(int(codes[0]))[people_ids]]
                    prefiltered.add(id(a))
        keys = [a.join[0][people_ids] for a in equalities]  # type: ignore[index]
        post_keys = [a.join[1][js] for a in equalities]  # type: ignore[index]
        missing = np.stack([k == -1 for k in keys], axis=1)
        if self.policy.fails:
            known = ~missing.any(axis=1)
            pieces = [self._join(people_ids[known], [k[known] for k in keys], js, post_keys)]
        else:
            # UNKNOWN passes: a person missing a key matches on the keys they have.
            pieces = []
            patterns, which = np.unique(missing, axis=0, return_inverse=True)
            for p, pattern in enumerate(patterns):
                sel = which.ravel() == p
                use = [e for e in range(len(equalities)) if not pattern[e]]
                pieces.append(
                    self._join(
                        people_ids[sel],
                        [keys[e][sel] for e in use],
                        js,
                        [post_keys[e] for e in use],
                    )
                )
        if sum(int(count.sum()) for _, _, count in pieces) > limit:
            return None
        person = _joined_pairs([ids[_ranges(lo, n)] for ids, lo, n in pieces], self.ids)
        post = _joined_pairs([np.repeat(js.astype(self.ids), n) for _, _, n in pieces], self.ids)
        if len(pieces) > 1:
            order = np.lexsort((person, post))
            person, post = person[order], post[order]
        for a in self.rules:
            if not a.hard or id(a) in joined | prefiltered or not a.mask[js].any():
                continue
            ok = ~a.failed_pairs(person, post, js)
            person, post = person[ok], post[ok]
            del ok
        soft = [a for a in self.rules if not a.hard]
        bits = SoftFailures.empty(self.soft_ids, self.soft_penalties, len(person)).bits
        for e, rule in enumerate(soft):
            if rule.mask[js].any():
                failed = rule.failed_pairs(person, post, js)
                bits[:, e // 8] |= failed.view(np.uint8) << np.uint8(e % 8)
        return person, post, bits

    def _split(self, always_join: bool) -> tuple[list[tuple], list[tuple]]:
        """The posts considered, as signature groups and as joins (see the module docstring)."""
        equalities = [a for a in self.rules if a.hard and a.join is not None]
        # Posts are classed by their level and the hard equality rules that apply.
        if equalities:
            eq_mask = np.stack([a.mask for a in equalities], axis=1)
            classes = row_codes(np.column_stack([eq_mask, self.level_code]).astype(np.int64))
            has_equality = eq_mask.any(axis=1)
        else:
            classes = np.zeros(self.posts.n, dtype=np.int64)
            has_equality = np.zeros(self.posts.n, dtype=bool)
        considered = np.flatnonzero(self.consider)
        joins = []
        grouped = [considered[~has_equality[considered]]]
        with_eq = considered[has_equality[considered]]
        if len(with_eq):
            # Join where it yields fewer pairs before filtering than the groups
            # would evaluate (signature groups x people); else evaluate groups.
            codes = row_codes(self._signature(with_eq))
            for c in np.unique(classes[with_eq]):
                at = classes[with_eq] == c
                js = with_eq[at]
                eq = [a for a in equalities if a.mask[js[0]]]
                n_groups = len(np.unique(codes[at]))
                n_people = int(self.base_count[self.level_code[js[0]]])
                limit = np.inf if always_join else n_groups * n_people
                joined = self._joined(js, eq, limit=limit)
                if joined is None:
                    grouped.append(js)
                else:
                    joins.append(joined)
        return self._groups(np.sort(np.concatenate(grouped))), joins

    def _emit(
        self, groups: list[tuple], joins: list[tuple]
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every group's and join's pairs in one long table, sorted by post then person.

        A person's own post is left out (it is their stay arc, not a
        candidacy). Returns the pair count per post, and per pair the
        person and the soft rules' bits. Each post's pairs are one slice of
        its group's or join's arrays, copied once into place: no index array
        the length of the pairs is built. A join's pairs are let go as soon
        as they are copied.
        """
        n_posts = self.posts.n
        # Per post: which piece (a group, then a join) holds its pairs, where, how many.
        pieces = [[ch, bits] for _, ch, bits in groups]
        pieces += [[jp, bits] for jp, _, bits in joins]
        piece = np.full(n_posts, -1, dtype=np.int64)
        start = np.zeros(n_posts, dtype=np.int64)
        length = np.zeros(n_posts, dtype=np.int64)
        last = np.full(len(pieces), -1, dtype=np.int64)  # the last post each piece serves
        for g, (members, chosen, _) in enumerate(groups):
            piece[members] = g
            length[members] = len(chosen)
            last[g] = members.max()
        for k, (_, join_post, _) in enumerate(joins, start=len(groups)):
            # The join's pairs are sorted by post: each post's run by a binary search.
            js = np.arange(n_posts, dtype=join_post.dtype)
            first = np.searchsorted(join_post, js, "left")
            n = np.searchsorted(join_post, js, "right") - first
            runs = np.flatnonzero(n)
            piece[runs], start[runs], length[runs] = k, first[runs], n[runs]
            last[k] = runs.max(initial=-1)
        groups.clear()
        joins.clear()
        drop = self._own_pairs(pieces, piece, start, length)
        count = length.copy()
        for j, at in drop.items():
            count[j] -= len(at)
        total = int(count.sum())
        person = np.empty(total, dtype=self.ids)
        bits = SoftFailures.empty(self.soft_ids, self.soft_penalties, total).bits
        offset = (np.cumsum(count) - count).tolist()
        start_of, length_of, piece_of = start.tolist(), length.tolist(), piece.tolist()
        for j in np.flatnonzero(piece >= 0).tolist():
            src_person, src_bits = pieces[piece_of[j]]
            o = offset[j]
            for a, b in _kept_runs(start_of[j], length_of[j], drop.get(j)):
                person[o : o + b - a] = src_person[a:b]
                bits[o : o + b - a] = src_bits[a:b]
                o += b - a
            if last[piece_of[j]] == j:
                pieces[piece_of[j]] = None  # copied whole: free it before the next
        return count, person, bits

    def _own_pairs(
        self, pieces: list[tuple], piece: np.ndarray, start: np.ndarray, length: np.ndarray
    ) -> dict[int, np.ndarray]:
        """Per post, where in its slice of pairs the people holding it are (sorted people)."""
        home = self.people.home
        holders = np.flatnonzero(home >= 0)
        holders = holders[np.argsort(home[holders], kind="stable")]
        held = home[holders]
        lo = np.searchsorted(held, np.arange(len(piece)), "left")
        hi = np.searchsorted(held, np.arange(len(piece)), "right")
        drop: dict[int, np.ndarray] = {}
        for j in np.flatnonzero((hi > lo) & (piece >= 0)).tolist():
            a = int(start[j])
            seg = pieces[piece[j]][0][a : a + int(length[j])]
            own = holders[lo[j] : hi[j]]
            pos = np.searchsorted(seg, own)
            inside = pos < len(seg)
            hit = pos[inside][seg[pos[inside]] == own[inside]]
            if len(hit):
                drop[j] = hit
        return drop

    def run(self, always_join: bool = False) -> Candidates:
        posts = self.posts
        groups, joins = self._split(always_join)
        count, person, bits = self._emit(groups, joins)
        del groups, joins
        post = np.repeat(np.arange(posts.n, dtype=self.ids), count)
        considered_count = np.where(self.consider, self.base_count[self.level_code], 0)
        return Candidates(
            person=person,
            post=post,
            soft=SoftFailures(self.soft_ids, self.soft_penalties, bits),
            considered=considered_count.astype(np.int64),
            excluded=self._excluded(),
            unknown=self._unknown_counts(),
            rules_in_force=[r.rule.id for r, _ in self.applicable],
            excluded_people_of=_ExcludedPeople(
                self.rules,
                self.posts.level,
                self.consider,
                lambda level: self.base[self._level_index(level)],
            ),
        )

    def _level_index(self, level: int) -> int:
        return int(np.searchsorted(self.levels, level))


# --------------------------------------------------------------------------
def _find_by_groups(
    people: People,
    posts: Posts,
    ruleset: RuleSet,
    taxonomy: Taxonomy,
    day: dt.date,
    pool: np.ndarray,
    allowed: Callable[[People, int], np.ndarray],
    unknown: UnknownPolicy,
    open_posts: np.ndarray | None,
) -> Candidates:
    """The plain method: each signature group of posts evaluated over all people.

    Every rule goes through its kind's evaluator (no join) and the counts are
    taken per group. Kept as the reference the join method is tested against.
    """
    kinds = _kinds(taxonomy)
    applicable = ruleset.applicable(day, posts)
    rules = [
        ActiveRule(r, kinds[r.rule.kind], m, people, posts, unknown, join=False)
        for r, m in applicable
    ]
    consider = np.ones(posts.n, dtype=bool) if open_posts is None else open_posts
    considered = np.zeros(posts.n, dtype=np.int64)
    unknown_count = np.zeros(posts.n, dtype=np.int64)
    excluded: list[dict[str, int]] = [{} for _ in range(posts.n)]
    masks, codes = [a.mask for a in rules], [a.code for a in rules]
    pieces = []
    for members in group_posts(masks, codes, posts.level, np.flatnonzero(consider)):
        base = pool & allowed(people, int(posts.level[members[0]]))
        chosen, soft, counts, any_unknown = _evaluate_group(rules, int(members[0]), base)
        considered[members] = int(base.sum())
        unknown_count[members] = int(any_unknown.sum())
        for j in members:
            excluded[j] = counts
        pieces.append((members, chosen, soft))
    soft_ids = [a.id for a in rules if not a.hard]
    person, post, soft_failed = _tile_groups(pieces, soft_ids)
    # A person's own post is their stay arc, not a candidacy.
    own = people.home[person] == post
    order = np.lexsort((person[~own], post[~own]))
    keep = np.flatnonzero(~own)[order]
    ids = index_dtype(people.n, posts.n)
    soft = {rid: mask[keep] for rid, mask in soft_failed}
    return Candidates(
        person=person[keep].astype(ids),
        post=post[keep].astype(ids),
        soft=SoftFailures.pack(soft_ids, [a.penalty for a in rules if not a.hard], soft, len(keep)),
        considered=considered,
        excluded=excluded,
        unknown=unknown_count,
        rules_in_force=[r.rule.id for r, _ in applicable],
        excluded_people_of=_ExcludedPeople(
            rules, posts.level, consider, lambda level: pool & allowed(people, level)
        ),
    )


class _ExcludedPeople:
    """Distinct people each hard rule excluded from some of a set of posts.

    A person is counted once per rule however many of the posts the rule
    closes to them. Works per (rule value, post level), never per pair: the
    people of a level considered (``base_of(level)``) who fail the rule at
    posts of that value are or-ed together.
    """

    def __init__(
        self,
        rules: list[ActiveRule],
        level: np.ndarray,
        consider: np.ndarray,
        base_of: Callable[[int], np.ndarray],
    ):
        self.rules = [a for a in rules if a.hard]
        self.level = level
        self.consider = np.asarray(consider, dtype=bool)
        self.base_of = base_of

    def __call__(self, posts: np.ndarray) -> dict[str, int]:
        out: dict[str, int] = {}
        bases: dict[int, np.ndarray] = {}
        for a in self.rules:
            js = np.flatnonzero(a.mask & posts & self.consider)
            if not len(js):
                continue
            hit: np.ndarray | None = None
            for lv in np.unique(self.level[js]).tolist():
                base = bases.setdefault(lv, self.base_of(lv))
                at = js[self.level[js] == lv]
                hit = self._union(a, at, base, hit)
            count = int(hit.sum()) if hit is not None else 0
            if count:
                out[a.id] = count
        return dict(sorted(out.items()))

    @staticmethod
    def _union(
        a: ActiveRule, at: np.ndarray, base: np.ndarray, hit: np.ndarray | None
    ) -> np.ndarray:
        hit = np.zeros(len(base), dtype=bool) if hit is None else hit
        if a.join is not None:
            key, post_key = a.join
            values = np.unique(post_key[at]).tolist()
            failing = [lambda v=v: a.policy.unequal(key, np.int64(v)) for v in values]
        else:
            failing = [lambda c=c: a.failed(c) for c in np.unique(a.code[at]).tolist()]
        for fails in failing:
            hit |= fails() & base
            if not (base & ~hit).any():  # everyone considered is already counted
                break
        return hit


def _evaluate_group(
    rules: list[ActiveRule], j0: int, base: np.ndarray
) -> tuple[np.ndarray, dict[str, np.ndarray], dict[str, int], np.ndarray]:
    """Every rule that applies to post ``j0``, over the people ``base`` considers.

    Returns the people who pass every hard rule, their soft failures, how
    many considered people each hard rule excluded, and who had some
    verdict UNKNOWN.
    """
    ok = base.copy()
    any_unknown = np.zeros(len(base), dtype=bool)
    soft: dict[str, np.ndarray] = {}
    counts: dict[str, int] = {}
    for a in rules:
        if not a.mask[j0]:
            continue
        c = int(a.code[j0])
        failed = a.failed(c)
        any_unknown |= a.unknown(c) & base
        if a.hard:
            n_failed = int((failed & base).sum())
            if n_failed:
                counts[a.id] = n_failed
            ok &= ~failed
        else:
            soft[a.id] = failed
    chosen = np.flatnonzero(ok)
    return chosen, {r: m[chosen] for r, m in soft.items()}, counts, any_unknown


def _tile_groups(
    pieces: list[tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]],
    soft_ids: list[str],
) -> tuple[np.ndarray, np.ndarray, list[tuple[str, np.ndarray]]]:
    """Each group's chosen people repeated for every post of the group (unsorted pairs)."""
    persons, postss = [], []
    soft_parts: dict[str, list[np.ndarray]] = {rid: [] for rid in soft_ids}
    for members, chosen, soft in pieces:
        m = len(members)
        persons.append(np.tile(chosen, m))
        postss.append(np.repeat(np.asarray(members, dtype=np.int64), len(chosen)))
        for rid in soft_ids:
            failed = soft.get(rid)
            soft_parts[rid].append(
                np.tile(failed, m) if failed is not None else np.zeros(len(chosen) * m, dtype=bool)
            )
    person = np.concatenate(persons) if persons else np.zeros(0, dtype=np.int64)
    post = np.concatenate(postss) if postss else np.zeros(0, dtype=np.int64)
    soft_failed = [
        (rid, np.concatenate(parts) if parts else np.zeros(0, dtype=bool))
        for rid, parts in soft_parts.items()
    ]
    return person, post, soft_failed


@dataclass(frozen=True)
class Verdict:
    """One rule's verdict for one (person, post) pair, with its explanation."""

    rule_id: str
    title: str
    kind: str
    hard: bool
    penalty: float | None
    verdict: str  # PASS | FAIL | UNKNOWN
    explanation: str
    source: str
    file: str
    line: int | None
    counterfactual: Counterfactual | None
    verified: bool  # the rule's source was checked against the regulation's text


def verdicts(
    people: People,
    posts: Posts,
    ruleset: RuleSet,
    taxonomy: Taxonomy,
    day: dt.date,
    i: int,
    j: int,
    lang: str = "id",
) -> list[Verdict]:
    """Every rule in force that applies to post ``j``, evaluated for person ``i``."""
    kinds = _kinds(taxonomy)
    view = post_view(posts, j)
    out = []
    for rule, mask in ruleset.applicable(day, posts):
        if not mask[j]:
            continue
        kind = kinds[rule.rule.kind]
        v = int(kind.evaluate(rule.rule.params, people, view)[i])
        out.append(verdict_of(rule, kind, v, people, i, view, lang))
    return out


def verdict_of(
    rule: LoadedRule, kind: Kind, v: int, people: People, i: int, view: PostView, lang: str
) -> Verdict:
    """Rule ``rule``'s verdict ``v`` (PASS, FAIL, UNKNOWN) for person ``i`` at the post ``view``, explained."""
    name = {int(PASS): "PASS", int(FAIL): "FAIL", int(UNKNOWN): "UNKNOWN"}[v]
    return Verdict(
        rule_id=rule.rule.id,
        title=rule.rule.title,
        kind=rule.rule.kind,
        hard=rule.rule.hard,
        penalty=rule.rule.penalty,
        verdict=name,
        explanation=kind.explain(rule.rule.params, people, i, view, lang),
        source=rule.rule.source,
        verified=rule.rule.verified,
        file=rule.file,
        line=rule.line,
        counterfactual=None
        if name == "PASS"
        else kind.counterfactual(rule.rule.params, people, i, view),
    )
