"""The move policy: which moves a scenario allows, decided in one place.

Takes the scenario's ``moves`` (:class:`engine.inputs.scenario.MoveSpec`)
and the derived people and posts; gives, as masks, who may be considered
for a post:

- by level (:meth:`MovePolicy.allowed`): an incumbent of a structural post
  may move up (``promotion``) or to a post of the same level (``lateral``);
  people outside structural posts (fungsional, pelaksana) may take a post of
  their level or above (``from_outside``). Eligibility applies this while it
  finds candidates, so the counts of who was considered and who a rule
  excluded are those of this filter;
- by place (:meth:`MovePolicy.restrict`): with ``within_kecamatan``, nobody
  moves out of the kecamatan of their current post (people outside
  structural posts: the kecamatan most posts of their unit sit in). Applied
  to the eligible pairs after eligibility;
- both, for one post (:meth:`MovePolicy.towards`; :meth:`MovePolicy.at`
  without the level), and nobody towards the post they hold (that is their
  stay arc, not a move).

A round (:mod:`engine.plan.pipeline`), ``talenta eligible``
(:mod:`engine.plan.explain`) and succession (:mod:`engine.succession.readiness`)
all use it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.eligibility.candidates import Candidates
from engine.inputs import scales
from engine.inputs.derive import People, Posts
from engine.inputs.scenario import MoveSpec

__all__ = ["MovePolicy", "person_kecamatan"]


def person_kecamatan(people: People, posts: Posts) -> np.ndarray:
    """Kecamatan of each person's current post; for people outside structural
    posts, the kecamatan most posts of their unit sit in (empty if none)."""
    by_unit: dict[str, dict[str, int]] = {}
    for unit, kec in zip(posts.unit, posts.kecamatan, strict=True):
        counts = by_unit.setdefault(unit, {})
        counts[kec] = counts.get(kec, 0) + 1
    modal = {u: min(c, key=lambda k: (-c[k], k)) for u, c in by_unit.items()}
    out = np.array([modal.get(u, "") for u in people.unit], dtype=object)
    held = people.home >= 0
    out[held] = posts.kecamatan[people.home[held]]
    return out


@dataclass(frozen=True)
class MovePolicy:
    """Which moves are allowed: up, sideways, from outside structural posts, within a kecamatan."""

    promotion: bool = True
    lateral: bool = False
    from_outside: bool = True
    within_kecamatan: bool = False

    @classmethod
    def of(cls, spec: MoveSpec) -> MovePolicy:
        """The policy a scenario's ``moves`` states."""
        return cls(spec.promotion, spec.lateral, spec.from_outside, spec.within_kecamatan)

    def allowed(self, people: People, post_level: int) -> np.ndarray:
        """Bool over people: whether the policy lets each move to a post of ``post_level``."""
        structural = np.isin(people.jenis_jabatan, list(scales.STRUCTURAL))
        up = people.level < post_level
        same = people.level == post_level
        ok_structural = (up & self.promotion) | (same & self.lateral)
        ok_outside = (people.level <= post_level) & self.from_outside
        return np.where(structural, ok_structural, ok_outside)

    def places(self, people: People, posts: Posts) -> np.ndarray | None:
        """Each person's kecamatan when moves stay within it; ``None`` when they need not."""
        return person_kecamatan(people, posts) if self.within_kecamatan else None

    def restrict(self, cands: Candidates, people: People, posts: Posts) -> Candidates:
        """The eligible pairs the policy's place rule keeps (all when moves may leave the kecamatan)."""
        places = self.places(people, posts)
        if places is None:
            return cands
        return cands.subset(places[cands.person] == posts.kecamatan[cands.post])

    def towards(
        self, people: People, posts: Posts, j: int, places: np.ndarray | None = None
    ) -> np.ndarray:
        """Bool over people: who the policy lets move to post ``j`` (by level and place).

        ``places``: :meth:`places`, when already computed for these people.
        """
        return self.allowed(people, int(posts.level[j])) & self.at(people, posts, j, places)

    def at(
        self,
        people: People,
        posts: Posts,
        j: int,
        places: np.ndarray | None = None,
        who: np.ndarray | None = None,
    ) -> np.ndarray:
        """Bool over people: what the policy asks of post ``j`` itself, beyond its level.

        Not the post a person holds (that is their stay arc), and with
        ``within_kecamatan`` the post's kecamatan. Posts of one level share
        :meth:`allowed`, so a loop over posts computes that once per level.
        ``who``: indices of the only people to answer for (the answer is over them).
        """
        home = people.home if who is None else people.home[who]
        ok = home != j
        if self.within_kecamatan:
            places = self.places(people, posts) if places is None else places
            ok &= (places if who is None else places[who]) == posts.kecamatan[j]
        return ok
