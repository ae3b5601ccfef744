"""Every (person, post) pair checked against every rule that applies, vectorised.

Assumptions:

- A requirement kind reads only the post attributes it names in
  ``post_keys`` (:mod:`engine.requirements`), so posts that share the same
  applicable rules and the same values of those attributes share one
  eligibility vector over people. Eligibility is computed once per such
  group of posts (a few dozen in a regency) and each rule once per distinct
  value of its keys, never per pair.
- The result is a long table of eligible pairs (no dense person x post
  matrix), plus per-post counts of how many candidates each hard rule
  excluded, for the "why unfilled" reasons.
- UNKNOWN verdicts (data missing) are counted and treated as the scenario
  says: ``fail`` (default: not eligible, no guessing) or ``pass``.
- The per-pair evaluator :func:`verdicts` is for explaining one pair only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from engine.derive import People, Posts
from engine.requirements import CATALOGUE, FAIL, PASS, UNKNOWN, Counterfactual, Kind, PostView
from engine.rules import LoadedRule, RuleSet
from engine.settings import Taxonomy

__all__ = ["Candidates", "Verdict", "find_candidates", "post_view", "verdicts"]


def post_view(posts: Posts, j: int) -> PostView:
    """The attributes of post ``j`` that evaluators may read."""
    return PostView(
        jabatan_id=str(posts.jabatan_id[j]),
        jenis_jabatan=str(posts.jenis_jabatan[j]),
        level=int(posts.level[j]),
        eselon=str(posts.eselon[j]),
        unit=str(posts.unit[j]),
        bidang=str(posts.bidang[j]),
        field=int(posts.field[j]),
        kritis=bool(posts.kritis[j]),
    )


@dataclass
class Candidates:
    """Eligible (person, post) pairs and what excluded the others.

    ``person``/``post`` are aligned arrays sorted by post, then person.
    ``penalty`` is the total of the soft rules each pair fails.
    ``excluded[j]`` maps a hard rule id to the number of people it excluded
    from post ``j`` (among those considered); ``considered[j]`` is how many
    people were considered at all; ``unknown[j]`` how many had a rule
    UNKNOWN.
    """

    person: np.ndarray
    post: np.ndarray
    penalty: np.ndarray
    soft_failed: list[tuple[str, np.ndarray]]  # (rule id, bool mask over pairs)
    considered: np.ndarray
    excluded: list[dict[str, int]]
    unknown: np.ndarray
    rules_in_force: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.person)


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
    unknown: str = "fail",
    open_posts: np.ndarray | None = None,
) -> Candidates:
    """Build the long table of eligible pairs.

    Parameters
    ----------
    pool:
        Bool mask of the people who may be considered at all.
    allowed:
        ``allowed(people, post_level)`` -> bool mask: whether a move
        from each person's level to a post of that level is allowed (the
        scenario's move policy).
    unknown:
        ``"fail"`` or ``"pass"``: how an UNKNOWN verdict counts.
    open_posts:
        Bool mask of posts to consider; all when ``None``.
    """
    kinds = _kinds(taxonomy)
    applicable = ruleset.applicable(day, posts)
    keys = sorted({k for kind in kinds.values() for k in kind.post_keys})
    rule_masks = np.array([mask for _, mask in applicable], dtype=bool).reshape(
        len(applicable), posts.n
    )
    cols = [*(getattr(posts, k) for k in keys), posts.level]
    signature: dict[tuple, list[int]] = {}
    consider = np.ones(posts.n, dtype=bool) if open_posts is None else open_posts
    for j in np.flatnonzero(consider):
        sig = (rule_masks[:, j].tobytes(), *(c[j] for c in cols))
        signature.setdefault(sig, []).append(int(j))

    cache: dict[tuple, np.ndarray] = {}

    def verdict(rule: LoadedRule, view: PostView) -> np.ndarray:
        kind = kinds[rule.rule.kind]
        key = (rule.rule.id, *(getattr(view, k) for k in kind.post_keys))
        if key not in cache:
            cache[key] = kind.evaluate(rule.rule.params, people, view)
        return cache[key]

    soft_ids = [r.rule.id for r, _ in applicable if not r.rule.hard]
    persons, postss, penalties = [], [], []
    soft_parts: dict[str, list[np.ndarray]] = {rid: [] for rid in soft_ids}
    considered = np.zeros(posts.n, dtype=np.int64)
    unknown_count = np.zeros(posts.n, dtype=np.int64)
    excluded: list[dict[str, int]] = [{} for _ in range(posts.n)]
    for members in signature.values():
        j0 = members[0]
        view = post_view(posts, j0)
        base = pool & allowed(people, view.level)
        ok = base.copy()
        any_unknown = np.zeros(people.n, dtype=bool)
        penalty = np.zeros(people.n)
        soft: dict[str, np.ndarray] = {}
        counts: dict[str, int] = {}
        for (rule, _), active in zip(applicable, rule_masks[:, j0], strict=True):
            if not active:
                continue
            v = verdict(rule, view)
            is_unknown = v == UNKNOWN
            failed = (v == FAIL) | (is_unknown & (unknown == "fail"))
            any_unknown |= is_unknown & base
            if rule.rule.hard:
                n_failed = int((failed & base).sum())
                if n_failed:
                    counts[rule.rule.id] = n_failed
                ok &= ~failed
            else:
                penalty += np.where(failed, rule.rule.penalty, 0.0)
                soft[rule.rule.id] = failed
        chosen = np.flatnonzero(ok)
        for j in members:
            considered[j] = int(base.sum())
            unknown_count[j] = int(any_unknown.sum())
            excluded[j] = counts
        m = len(members)
        persons.append(np.tile(chosen, m))
        postss.append(np.repeat(np.asarray(members, dtype=np.int64), len(chosen)))
        penalties.append(np.tile(penalty[chosen], m))
        for rid in soft_ids:
            failed = soft.get(rid)
            soft_parts[rid].append(
                np.tile(failed[chosen], m)
                if failed is not None
                else np.zeros(len(chosen) * m, dtype=bool)
            )
    person = np.concatenate(persons) if persons else np.zeros(0, dtype=np.int64)
    post = np.concatenate(postss) if postss else np.zeros(0, dtype=np.int64)
    penalty_all = np.concatenate(penalties) if penalties else np.zeros(0)
    soft_failed = [
        (rid, np.concatenate(parts) if parts else np.zeros(0, dtype=bool))
        for rid, parts in soft_parts.items()
    ]
    # A person's own post is their stay arc, not a candidacy.
    own = people.home[person] == post
    order = np.lexsort((person[~own], post[~own]))
    keep = np.flatnonzero(~own)[order]
    return Candidates(
        person=person[keep].astype(np.int64),
        post=post[keep].astype(np.int64),
        penalty=penalty_all[keep],
        soft_failed=[(rid, mask[keep]) for rid, mask in soft_failed],
        considered=considered,
        excluded=excluded,
        unknown=unknown_count,
        rules_in_force=[r.rule.id for r, _ in applicable],
    )


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
        name = {int(PASS): "PASS", int(FAIL): "FAIL", int(UNKNOWN): "UNKNOWN"}[v]
        out.append(
            Verdict(
                rule_id=rule.rule.id,
                title=rule.rule.title,
                kind=rule.rule.kind,
                hard=rule.rule.hard,
                penalty=rule.rule.penalty,
                verdict=name,
                explanation=kind.explain(rule.rule.params, people, i, view, lang),
                source=rule.rule.source,
                file=rule.file,
                line=rule.line,
                counterfactual=None
                if name == "PASS"
                else kind.counterfactual(rule.rule.params, people, i, view),
            )
        )
    return out
