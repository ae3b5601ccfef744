"""Verdicts and how they count: the one place that decides what UNKNOWN means.

Takes the verdicts a requirement kind gives (PASS, FAIL or UNKNOWN per
person, :mod:`engine.rules.requirements`) and the scenario's ``unknown``
setting; gives who fails. A verdict is UNKNOWN when the data a rule reads
is missing; the scenario says whether that counts as failing (``fail``, the
default: nobody is found eligible by a guess) or as passing (``pass``).
:class:`UnknownPolicy` is that decision; eligibility (both methods and the
join on equality keys), ``talenta eligible`` and succession all ask it.

Also :class:`ActiveRule`: one rule in force over the posts it applies to,
evaluated once per distinct value of the post attributes it reads
(:func:`engine.eligibility.groups.value_codes`), with its failures counted
by the policy.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.eligibility.groups import value_codes
from engine.inputs.derive import People, Posts
from engine.rules.registry import POST_KEYS, PostView
from engine.rules.requirements import FAIL, PASS, UNKNOWN, Kind
from engine.rules.ruleset import LoadedRule

__all__ = ["ActiveRule", "UnknownPolicy", "post_view"]


@dataclass(frozen=True)
class UnknownPolicy:
    """Whether an UNKNOWN verdict (data missing) counts as a failure.

    Examples
    --------
    >>> v = np.array([PASS, FAIL, UNKNOWN])
    >>> UnknownPolicy.of("fail").failed(v).tolist()
    [False, True, True]
    >>> UnknownPolicy.of("pass").failed(v).tolist()
    [False, True, False]
    """

    fails: bool = True

    @classmethod
    def of(cls, setting: str | UnknownPolicy) -> UnknownPolicy:
        """The policy a scenario's ``unknown`` setting (``"fail"`` or ``"pass"``) names."""
        if isinstance(setting, UnknownPolicy):
            return setting
        if setting not in ("fail", "pass"):
            raise ValueError(f"unknown must be 'fail' or 'pass', got {setting!r}")
        return cls(fails=setting == "fail")

    def failed(self, verdicts: np.ndarray) -> np.ndarray:
        """Bool per verdict: FAIL, or UNKNOWN when UNKNOWN counts as a failure."""
        failed = verdicts == FAIL
        if self.fails:
            failed |= verdicts == UNKNOWN
        return failed

    def unequal(self, have: np.ndarray, want: np.ndarray) -> np.ndarray:
        """An equality rule on codes: fails where ``have != want``; a missing code (-1) is UNKNOWN.

        Examples
        --------
        >>> UnknownPolicy(fails=False).unequal(np.array([3, -1, 4]), np.array([3, 3, 3])).tolist()
        [False, False, True]
        """
        failed = have != want
        if not self.fails:
            failed &= have != -1
        return failed


def post_view(posts: Posts, j: int) -> PostView:
    """The attributes of post ``j`` that evaluators may read (those the kinds declare)."""
    return PostView(**{key: _scalar(getattr(posts, key)[j]) for key in POST_KEYS})


def _scalar(value: object) -> object:
    """A numpy number as a Python one; any other value (object arrays) as text."""
    return value.item() if isinstance(value, np.generic) else str(value)


class ActiveRule:
    """One rule in force, with the posts it applies to and its verdicts per post value.

    ``code[j]`` is post ``j``'s value of the attributes the rule reads and
    ``rep[c]`` a post with value ``c``; verdicts are evaluated once per value
    and cached. With ``join`` (the default), a rule that is an equality
    between a person and a post attribute
    (:meth:`~engine.rules.requirements.Kind.join_keys`) is evaluated from its
    keys; without, always by the kind's evaluator.
    """

    def __init__(
        self,
        loaded: LoadedRule,
        kind: Kind,
        mask: np.ndarray,
        people: People,
        posts: Posts,
        unknown: UnknownPolicy,
        *,
        join: bool = True,
    ):
        self.rule = loaded.rule
        self.id = loaded.rule.id
        self.hard = loaded.rule.hard
        self.penalty = loaded.rule.penalty or 0.0
        self.kind = kind
        self.mask = mask
        self.people, self.posts = people, posts
        self.policy = unknown
        self.code, self.rep = value_codes(kind, self.rule.params, posts)
        self.join = kind.join_keys(self.rule.params, people, posts) if join else None
        self._failed: dict[int, np.ndarray] = {}
        self._unknown: dict[int, np.ndarray] = {}

    def verdict(self, c: int) -> np.ndarray:
        """PASS, FAIL or UNKNOWN per person, at posts of value ``c``."""
        if self.join is not None:
            person, post = self.join
            v = np.where(person == post[self.rep[c]], PASS, FAIL).astype(np.int8)
            v[person == -1] = UNKNOWN
            return v
        return self.kind.evaluate(
            self.rule.params, self.people, post_view(self.posts, int(self.rep[c]))
        )

    def failed(self, c: int) -> np.ndarray:
        """Bool over people: fails (UNKNOWN counted as the policy says) at posts of value ``c``."""
        if c not in self._failed:
            v = self.verdict(c)
            self._failed[c] = self.policy.failed(v)
            self._unknown[c] = v == UNKNOWN
        return self._failed[c]

    def unknown(self, c: int) -> np.ndarray:
        """Bool over people: UNKNOWN at posts of value ``c``."""
        self.failed(c)
        return self._unknown[c]

    def failed_pairs(self, person: np.ndarray, post: np.ndarray, js: np.ndarray) -> np.ndarray:
        """Bool over pairs: the rule applies to the pair's post and fails the pair.

        ``js`` are the posts the pairs may come from.
        """
        active = self.mask[post]
        if self.join is not None:
            key, post_key = self.join
            return active & self.policy.unequal(key[person], post_key[post])
        used = np.unique(self.code[js[self.mask[js]]])
        if len(used) == 0:
            return np.zeros(len(person), dtype=bool)
        if len(used) == 1:
            return active & self.failed(int(used[0]))[person]
        table = np.stack([self.failed(int(c)) for c in used])
        row = np.minimum(np.searchsorted(used, self.code[post]), len(used) - 1)
        return active & table[row, person]
