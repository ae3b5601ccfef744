"""The assignment problem, as integer arrays.

An :class:`AssignmentProblem` is a set of allowed ``(person, post)`` arcs,
each with an integer score, plus optional structure: the post each person
holds now (``home``), who must keep some post (``must_place``), post tiers
for a lexicographic objective (``priority``), forced and forbidden pairs
(``pins``, ``bans``), side constraints and whether rotations are allowed.

Assumptions
-----------
* Persons are ``0 .. n_persons-1`` and posts ``0 .. n_posts-1``; every arc
  is one allowed pair; a pair that is not an arc can never be chosen.
* Scores are integers (scale and round before), ``|score| <= 2**40``; they
  may be negative: a negative arc is chosen only when something forces it.
* Each post has at most one home person (a formation is held by one
  person). An arc whose post is its person's home post is that person's
  *stay* arc.
* The problem is immutable once built; every array is validated and stored
  as a read-only copy-free view where possible: ``person`` and ``post`` as
  given when int32 or int64 (each may be either), every other integer array
  as ``int64``, masks as ``bool``. Arithmetic on indices (a pair's key
  ``person * n_posts + post``) is done in int64.

Every problem found in the input is reported at once, in one
:class:`~solvers.SolverError`.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from solvers.constraints import SideConstraint
from solvers.errors import DuplicateArcError, SolverError
from solvers.settings import Settings

__all__ = ["MAX_ABS_SCORE", "AssignmentProblem"]

# The cached arrays made from the arcs and homes alone: a copy with the same arcs keeps them.
_ARC_CACHES = ("_canonical", "canonical", "_sorted_key", "_person_start", "is_stay", "is_move")

#: Largest absolute score accepted; leaves room to fold tiers, moves and
#: ties into one 64-bit cost.
MAX_ABS_SCORE = 2**40

#: From this many arcs on, the input is checked by one compiled pass (the
#: solvers' own threshold for compiled code: a problem has no settings).
COMPILED_CHECK_ARCS = Settings.kernel_min_arcs


def _readonly(arr: np.ndarray) -> np.ndarray:
    """A read-only view (the caller's own array stays writeable)."""
    view = np.ascontiguousarray(arr).view()
    view.flags.writeable = False
    return view


def _as_int(
    values: object, what: str, problems: list[str], ndim: int = 1, keep: tuple = ()
) -> np.ndarray | None:
    """``values`` as an int64 array (or as they are when their type is one of
    ``keep``), or None with the problem added to ``problems``."""
    arr = np.asarray(values)
    if arr.dtype == bool or not (np.issubdtype(arr.dtype, np.integer) or arr.size == 0):
        problems.append(
            f"{what} must hold integers, got dtype {arr.dtype}"
            + (
                " (round or scale the scores first)"
                if np.issubdtype(arr.dtype, np.floating)
                else ""
            )
        )
        return None
    if arr.ndim != ndim:
        problems.append(f"{what} must be {ndim}-dimensional, got shape {arr.shape}")
        return None
    if arr.dtype in keep:
        return arr
    return arr.astype(np.int64, copy=False)


#: The types person and post indices are kept in as given (any other integer
#: type becomes int64): a province round's hundred million arcs as int32 are
#: 800 MB less than as int64.
ID_TYPES = (np.dtype(np.int32), np.dtype(np.int64))


def _canonical_order(
    person: np.ndarray, post: np.ndarray, n_persons: int, n_posts: int
) -> tuple[np.ndarray | None, int]:
    """The order that sorts the arcs by ``(person, post)`` (stable), or None
    when they are in it already, and how many arcs repeat the pair before
    them in it (duplicates). Large arc sets by one compiled counting sort
    (:func:`solvers.kernels.canonical_order`: linear when each person's arcs
    come in post order, as the engine's do but for the stay arcs), small ones
    by sorting the pair key."""
    if person.size >= COMPILED_CHECK_ARCS:
        from solvers.kernels import canonical_order

        # int32 while the arcs' indices fit it: 4 bytes an arc, not 8
        out = np.empty(person.size, np.int32 if person.size < 2**31 else np.int64)
        order, repeats, identity = canonical_order(
            np.ascontiguousarray(person), np.ascontiguousarray(post), n_persons, out
        )
        return (None if identity else order), int(repeats)
    key = person.astype(np.int64) * max(n_posts, 1) + post
    if key.size < 2 or bool(np.all(key[1:] > key[:-1])):
        return None, 0
    order = np.argsort(key, kind="stable")
    sk = key[order]
    return order, int(np.count_nonzero(sk[1:] == sk[:-1]))


def _summary(arrays: dict[str, np.ndarray | None]) -> dict | None:
    """Ranges of ``person``, ``post`` and ``score`` and whether the pairs
    strictly increase, and how many arcs from the first on strictly increase
    by ``(post, person)``, by one compiled pass (:func:`solvers.kernels.arc_summary`)
    on large arc sets of equal lengths; None otherwise (numpy checks them)."""
    person, post, score = arrays["person"], arrays["post"], arrays["score"]
    if person is None or post is None or score is None:
        return None
    if not (person.size == post.size == score.size) or person.size < COMPILED_CHECK_ARCS:
        return None
    from solvers.kernels import arc_summary

    pmin, pmax, qmin, qmax, smin, smax, increasing, run = arc_summary(
        np.ascontiguousarray(person), np.ascontiguousarray(post), np.ascontiguousarray(score)
    )
    return {
        "person": (int(pmin), int(pmax)),
        "post": (int(qmin), int(qmax)),
        "score": (int(smin), int(smax)),
        "increasing": bool(increasing),
        "post_run": int(run),
    }


def _sample(values: np.ndarray, k: int = 5) -> str:
    shown = ", ".join(str(v) for v in values[:k].tolist())
    return shown + (", ..." if len(values) > k else "")


#: Arcs per block of the passes over every arc that write into one output.
_BLOCK = 1 << 20


@dataclass(frozen=True, eq=False, kw_only=True)
class AssignmentProblem:
    """Allowed ``(person, post)`` arcs with scores, and what constrains them.

    Parameters
    ----------
    n_persons, n_posts
        Number of persons and posts.
    person, post, score
        Equal-length integer arrays, one entry per allowed arc. Duplicate
        ``(person, post)`` pairs are an error. ``person`` and ``post`` are
        kept as int32 when given so (a province round's arcs in half the
        memory), ``score`` as int64.
    home
        Post each person holds now, ``-1`` for none; shape ``(n_persons,)``.
    must_place
        Persons who must get some post (incumbents: they stay or move,
        nobody loses a post to the model); bool, shape ``(n_persons,)``.
    priority
        Tier of each post, shape ``(n_posts,)``, integers ``>= 0``. When
        given, the objective is lexicographic: first fill as many posts of
        the highest tier as possible, then of the next tier, ... (tier 0
        carries no fill priority), then maximise the total score, then
        minimise the number of non-stay arcs.
    pins
        ``(k, 2)`` array of ``(person, post)`` pairs that must be chosen;
        each must be an arc.
    bans
        ``(k, 2)`` array of pairs that must not be chosen (pairs that are
        not arcs are ignored).
    side
        Side constraints (:class:`~solvers.MaxMoves`,
        :class:`~solvers.GroupLimit`, :class:`~solvers.LinearConstraint`,
        :class:`~solvers.MaxChainLength`), with distinct names.
    allow_cycles
        If false, no rotation among home posts (``a`` takes ``b``'s post
        while ``b`` takes ``a``'s, or longer cycles).

    Raises
    ------
    SolverError
        Listing every problem found in the input.

    Examples
    --------
    >>> import numpy as np
    >>> prob = AssignmentProblem(n_persons=2, n_posts=2, person=np.array([0, 0, 1]),
    ...                          post=np.array([0, 1, 1]), score=np.array([5, 3, 4]))
    >>> prob.n_arcs
    3
    """

    n_persons: int
    n_posts: int
    person: np.ndarray
    post: np.ndarray
    score: np.ndarray
    home: np.ndarray | None = None
    must_place: np.ndarray | None = None
    priority: np.ndarray | None = None
    pins: np.ndarray | None = None
    bans: np.ndarray | None = None
    side: Sequence[SideConstraint] = ()
    allow_cycles: bool = True

    def __post_init__(self) -> None:
        problems: list[str] = []
        set_ = object.__setattr__
        for name in ("n_persons", "n_posts"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 0:
                problems.append(f"{name} must be a non-negative int, got {value!r}")
        if problems:
            raise SolverError(problems, "AssignmentProblem")
        n, m = int(self.n_persons), int(self.n_posts)
        set_(self, "n_persons", n)
        set_(self, "n_posts", m)

        arrays = {}
        for name in ("person", "post", "score"):
            keep = ID_TYPES if name != "score" else ()
            arrays[name] = _as_int(getattr(self, name), name, problems, keep=keep)
        summary = _summary(arrays)
        if arrays["person"] is not None:
            self._check_range(arrays["person"], n, "person", problems, summary)
        if arrays["post"] is not None:
            self._check_range(arrays["post"], m, "post", problems, summary)
        s = arrays["score"]
        if summary is not None:
            top = max(summary["score"][1], -summary["score"][0])
        else:
            top = max(int(s.max()), -int(s.min())) if s is not None and s.size else 0
        if top > MAX_ABS_SCORE:
            problems.append(f"|score| must be <= 2**40, found {top}")
        if not problems:
            lengths = {k: len(v) for k, v in arrays.items()}
            if len(set(lengths.values())) > 1:
                problems.append(f"person, post and score must have equal lengths, got {lengths}")
        arcs_ok = not problems
        if arcs_ok:
            for name, arr in arrays.items():
                set_(self, name, _readonly(arr))

        home = self._normalise_home(n, m, problems)
        must = self._normalise_must(n, problems)
        priority = self._normalise_priority(m, problems)
        pins = self._normalise_pairs(self.pins, "pins", n, m, problems)
        bans = self._normalise_pairs(self.bans, "bans", n, m, problems)
        side = self._normalise_side(problems)
        if not isinstance(self.allow_cycles, bool | np.bool_):
            problems.append(f"allow_cycles must be a bool, got {self.allow_cycles!r}")
        if problems:
            raise SolverError(problems, "AssignmentProblem")
        set_(self, "home", home)
        set_(self, "must_place", must)
        set_(self, "priority", priority)
        set_(self, "bans", bans)
        set_(self, "side", side)
        set_(self, "allow_cycles", bool(self.allow_cycles))
        self._check_duplicates(
            summary is not None and summary["increasing"],
            summary["post_run"] if summary is not None else 0,
        )
        set_(self, "pins", pins)
        self._check_pins(problems)
        for c in side:
            problems.extend(c.check(self.n_arcs, m))
        if problems:
            raise SolverError(problems, "AssignmentProblem")

    # ---------------------------------------------------------------- checks
    @staticmethod
    def _check_range(
        arr: np.ndarray, upper: int, what: str, problems: list[str], summary: dict | None = None
    ) -> None:
        if summary is not None:
            low, high = summary[what]
            if low >= 0 and high < upper:
                return
        if not arr.size or (int(arr.min()) >= 0 and int(arr.max()) < upper):
            return  # two reductions, no mask: rounds have millions of arcs
        bad = (arr < 0) | (arr >= upper)
        if bad.any():
            problems.append(
                f"{what}: {int(bad.sum())} values out of range [0, {upper}): "
                f"{_sample(np.unique(arr[bad]))}"
            )

    def _normalise_home(self, n: int, m: int, problems: list[str]) -> np.ndarray:
        if self.home is None:
            return _readonly(np.full(n, -1, dtype=np.int64))
        home = _as_int(self.home, "home", problems)
        if home is None:
            return np.zeros(0, np.int64)
        if home.shape != (n,):
            problems.append(f"home has shape {home.shape}, expected ({n},)")
            return home
        bad = (home < -1) | (home >= m)
        if bad.any():
            problems.append(
                f"home: {int(bad.sum())} values out of range [-1, {m}): "
                f"{_sample(np.unique(home[bad]))}"
            )
            return home
        held = np.sort(home[home >= 0])
        dup = np.unique(held[1:][held[1:] == held[:-1]])
        if dup.size:
            problems.append(
                f"home: posts {_sample(dup)} are the home of more than one person; "
                "a post has at most one holder"
            )
        return _readonly(home)

    def _normalise_must(self, n: int, problems: list[str]) -> np.ndarray:
        if self.must_place is None:
            return _readonly(np.zeros(n, dtype=bool))
        must = np.asarray(self.must_place)
        if must.dtype != bool:
            problems.append(f"must_place must be a bool array, got dtype {must.dtype}")
        elif must.shape != (n,):
            problems.append(f"must_place has shape {must.shape}, expected ({n},)")
        return _readonly(must)

    def _normalise_priority(self, m: int, problems: list[str]) -> np.ndarray | None:
        if self.priority is None:
            return None
        pr = _as_int(self.priority, "priority", problems)
        if pr is None:
            return None
        if pr.shape != (m,):
            problems.append(f"priority has shape {pr.shape}, expected ({m},), one tier per post")
        elif pr.size and pr.min() < 0:
            problems.append(f"priority tiers must be >= 0, found {pr.min()}")
        return _readonly(pr)

    @staticmethod
    def _normalise_pairs(
        pairs: object, what: str, n: int, m: int, problems: list[str]
    ) -> np.ndarray:
        if pairs is None:
            return _readonly(np.zeros((0, 2), dtype=np.int64))
        arr = np.asarray(pairs)
        if arr.size == 0:
            return _readonly(np.zeros((0, 2), dtype=np.int64))
        arr = _as_int(arr, what, problems, ndim=2)
        if arr is None:
            return np.zeros((0, 2), np.int64)
        if arr.shape[1] != 2:
            problems.append(f"{what} has shape {arr.shape}, expected (k, 2) rows of (person, post)")
            return arr
        AssignmentProblem._check_range(arr[:, 0], n, f"{what} person", problems)
        AssignmentProblem._check_range(arr[:, 1], m, f"{what} post", problems)
        return _readonly(arr)

    def _normalise_side(self, problems: list[str]) -> tuple:
        side = tuple(self.side or ())
        names: dict[str, int] = {}
        for c in side:
            if not isinstance(c, SideConstraint):
                problems.append(
                    f"side: {c!r} is not a side constraint "
                    "(MaxMoves, GroupLimit, LinearConstraint or MaxChainLength)"
                )
                continue
            names[c.name] = names.get(c.name, 0) + 1
        dup = sorted(k for k, v in names.items() if v > 1)
        if dup:
            problems.append(f"side: constraint names must be distinct, repeated: {dup}")
        reserved = {"must_place", "pins", "bans", "allow_cycles"} & set(names)
        if reserved:
            problems.append(f"side: names {sorted(reserved)} are reserved")
        if sum(c.chains for c in side if isinstance(c, SideConstraint)) > 1:
            problems.append("side: give at most one MaxChainLength")
        return side

    def _check_duplicates(self, increasing: bool = False, post_run: int = 0) -> None:
        """Raise on a pair given twice; remember the canonical order.
        ``increasing``: the pairs are known to strictly increase already.
        ``post_run``: how many arcs from the first strictly increase by
        ``(post, person)``, as a round's eligible pairs come; when the arcs
        after them are few (its stay arcs) they are looked for in those and
        among themselves, and the canonical order is left to be made when
        something asks for it (:meth:`arc_index`, the component path): a
        round solved on the sparse core never does, and it is a counting
        sort of every arc."""
        if increasing:
            self.__dict__["_canonical"] = None
            return
        if self._no_repeat_after_run(post_run):
            return
        order, repeats = _canonical_order(self.person, self.post, self.n_persons, self.n_posts)
        self.__dict__["_canonical"] = order  # the cached property
        if repeats:
            self._refuse_duplicates(order)

    def _no_repeat_after_run(self, run: int) -> bool:
        """Whether the arcs after the first ``run`` (strictly increasing by
        ``(post, person)``) are at most an eighth of the arcs, and none of
        them repeats a pair of the run or of each other."""
        n = self.n_arcs
        if run < 1 or (n - run) * 8 > n:
            return False
        from solvers.kernels import repeats_of_run

        if repeats_of_run(self.person, self.post, run):
            return False
        tail = self.post[run:].astype(np.int64) * max(self.n_persons, 1) + self.person[run:]
        tail.sort()
        return not bool(np.any(tail[1:] == tail[:-1]))

    def _refuse_duplicates(self, order: np.ndarray) -> None:
        """Raise :class:`DuplicateArcError` naming the pairs given twice
        (``order``: the canonical order, duplicates next to each other)."""
        sk = self.key[order]
        dup_keys = np.unique(sk[1:][sk[1:] == sk[:-1]])
        pairs = ", ".join(
            f"({k // max(self.n_posts, 1)}, {k % max(self.n_posts, 1)})" for k in dup_keys[:5]
        )
        raise DuplicateArcError(
            f"{dup_keys.size} (person, post) pairs appear more than once: {pairs}"
            + (", ..." if dup_keys.size > 5 else "")
            + "; merge them into one arc",
            "AssignmentProblem",
        )

    def _check_pins(self, problems: list[str]) -> None:
        pins = self.pins
        if pins.shape[0] == 0:
            return
        idx = self.arc_index(pins[:, 0], pins[:, 1])
        missing = pins[idx < 0]
        if missing.size:
            shown = ", ".join(f"({a}, {b})" for a, b in missing[:5].tolist())
            problems.append(f"pins: {len(missing)} pinned pairs are not arcs: {shown}")
        for col, what in ((0, "person"), (1, "post")):
            vals = np.sort(pins[:, col])
            dup = np.unique(vals[1:][vals[1:] == vals[:-1]])
            if dup.size:
                problems.append(f"pins: {what}s {_sample(dup)} are pinned more than once")
        if self.bans.shape[0]:
            pk = pins[:, 0] * self.n_posts + pins[:, 1]
            bk = self.bans[:, 0] * self.n_posts + self.bans[:, 1]
            both = np.intersect1d(pk, bk)
            if both.size:
                shown = ", ".join(f"({k // self.n_posts}, {k % self.n_posts})" for k in both[:5])
                problems.append(f"pins and bans both name the pairs {shown}")

    # ----------------------------------------------------------- derived data
    @property
    def n_arcs(self) -> int:
        """Number of arcs."""
        return int(self.person.shape[0])

    @property
    def key(self) -> np.ndarray:
        """``person * n_posts + post`` of each arc (int64; computed on each use, not
        kept: a province round has tens of millions of arcs)."""
        return _readonly(self.person.astype(np.int64) * max(self.n_posts, 1) + self.post)

    @cached_property
    def _canonical(self) -> np.ndarray | None:
        return _canonical_order(self.person, self.post, self.n_persons, self.n_posts)[0]

    @cached_property
    def _sorted_key(self) -> np.ndarray:
        """``key`` in canonical order: what :meth:`arc_index` searches."""
        return _readonly(self.key[self.canonical])

    @cached_property
    def _person_start(self) -> np.ndarray:
        """Where each person's arcs start in canonical order (``n_persons + 1``
        offsets): what :meth:`arc_index` searches on large arc sets."""
        start = np.zeros(self.n_persons + 1, dtype=np.int64)
        np.cumsum(np.bincount(self.person, minlength=self.n_persons), out=start[1:])
        return _readonly(start)

    @property
    def is_canonical(self) -> bool:
        """Whether the arcs are in canonical order already (``canonical`` is
        ``0..n_arcs-1``)."""
        return self._canonical is None

    @cached_property
    def canonical(self) -> np.ndarray:
        """Arc indices sorted by ``(person, post)``: the order solvers work in
        (int32 on large arc sets while the arcs' indices fit it, else int64).

        Solving in this order, whatever order the caller gave the arcs in,
        is what makes the same set of arcs give the same plan.
        """
        c = self._canonical
        return _readonly(np.arange(self.n_arcs, dtype=np.int64) if c is None else c)

    @cached_property
    def is_stay(self) -> np.ndarray:
        """True for each arc whose post is its person's home post.

        Computed a block of arcs at a time, with ``home`` in the posts' own
        type: one pass that makes no temporary the length of the arcs (at
        20 M arcs, a 160 MB int64 gather and its page faults were a second).
        """
        home = self.home.astype(self.post.dtype, copy=False)
        out = np.empty(self.n_arcs, dtype=bool)
        for lo in range(0, self.n_arcs, _BLOCK):
            hi = lo + _BLOCK
            np.equal(home[self.person[lo:hi]], self.post[lo:hi], out=out[lo:hi])
        return _readonly(out)

    @cached_property
    def is_move(self) -> np.ndarray:
        """True for each arc that is a move (person has a home, arc leaves it)."""
        return _readonly(self.moves_at(slice(None)))

    def moves_at(self, arcs: np.ndarray | slice) -> np.ndarray:
        """``is_move`` of the arcs ``arcs`` only (a plan's few thousand arcs of
        a round of millions)."""
        h = self.home[self.person[arcs]]
        return (h >= 0) & (h != self.post[arcs])

    @cached_property
    def banned(self) -> np.ndarray:
        """True for each arc named in ``bans``."""
        mask = np.zeros(self.n_arcs, dtype=bool)
        if self.bans.shape[0]:
            idx = self.arc_index(self.bans[:, 0], self.bans[:, 1])
            mask[idx[idx >= 0]] = True
        return _readonly(mask)

    @cached_property
    def pin_arcs(self) -> np.ndarray:
        """Arc index of each pin (int64)."""
        return _readonly(self.arc_index(self.pins[:, 0], self.pins[:, 1]))

    @property
    def has_moves_level(self) -> bool:
        """Whether "fewest non-stay arcs" breaks ties between equal scores.

        It does when posts have tiers or persons have home posts; otherwise
        the objective is the plain total score.
        """
        return self.priority is not None or bool((self.home >= 0).any())

    def arc_index(self, person: np.ndarray, post: np.ndarray) -> np.ndarray:
        """Index of the arc for each ``(person, post)`` pair, ``-1`` if none.

        Parameters
        ----------
        person, post
            Equal-length integer arrays (in range).
        """
        person = np.asarray(person, dtype=np.int64)
        post = np.asarray(post, dtype=np.int64)
        want = person * max(self.n_posts, 1) + post
        if not want.size:  # no pins or bans: build no index
            return np.zeros(want.shape, dtype=np.int64)
        if self.n_arcs >= COMPILED_CHECK_ARCS:  # no sorted copy of the keys
            from solvers.kernels import arc_lookup

            return arc_lookup(self.canonical, self.post, self._person_start, person, post)
        order = self.canonical
        sk = self._sorted_key
        pos = np.searchsorted(sk, want)
        pos_c = np.minimum(pos, max(sk.size - 1, 0))
        found = (pos < sk.size) & (sk[pos_c] == want) if sk.size else np.zeros(want.shape, bool)
        return np.where(found, order[pos_c] if sk.size else -1, -1).astype(np.int64)

    def _with_pairs(self, **changes: object) -> AssignmentProblem:
        """A copy with other pins or bans (:meth:`with_changes`): the arcs are this
        problem's, checked already, so they are not checked again, and their look-up
        arrays are shared; on a round of tens of millions of arcs each is seconds of
        sorting, and a committee's decision changes only a pin or a ban. The pairs
        are checked as the constructor checks them."""
        problems: list[str] = []
        n, m = self.n_persons, self.n_posts
        pins = self._normalise_pairs(changes.get("pins", self.pins), "pins", n, m, problems)
        bans = self._normalise_pairs(changes.get("bans", self.bans), "bans", n, m, problems)
        if problems:
            raise SolverError(problems, "AssignmentProblem")
        out = copy.copy(self)  # the same arrays, and the caches made from the arcs alone
        for name in list(out.__dict__):  # any other cache may depend on the pins or bans
            cached = isinstance(getattr(type(self), name, None), cached_property)
            if cached and name not in _ARC_CACHES:
                del out.__dict__[name]
        object.__setattr__(out, "pins", pins)
        object.__setattr__(out, "bans", bans)
        out._check_pins(problems)
        if problems:
            raise SolverError(problems, "AssignmentProblem")
        return out

    def drop_caches(self) -> None:
        """Free the arrays computed on demand (canonical order, arc masks);
        they are computed again if asked for. For rounds of tens of millions
        of arcs, once the plan and its evidence are made. (What the evidence
        computes belongs to its :class:`~solvers.Evidence` object.)"""
        for name in (
            "_canonical",
            "canonical",
            "_sorted_key",
            "_person_start",
            "is_stay",
            "is_move",
            "banned",
            "pin_arcs",
        ):
            self.__dict__.pop(name, None)

    def with_changes(self, **changes: object) -> AssignmentProblem:
        """A copy of this problem with some fields replaced.

        Examples
        --------
        >>> import numpy as np
        >>> p = AssignmentProblem(n_persons=1, n_posts=1, person=np.array([0]),
        ...                       post=np.array([0]), score=np.array([1]))
        >>> p.with_changes(bans=np.array([[0, 0]])).bans.shape
        (1, 2)
        """
        if changes and changes.keys() <= {"pins", "bans"}:
            return self._with_pairs(**changes)
        fields = {
            k: getattr(self, k)
            for k in (
                "n_persons",
                "n_posts",
                "person",
                "post",
                "score",
                "home",
                "must_place",
                "priority",
                "pins",
                "bans",
                "side",
                "allow_cycles",
            )
        }
        fields.update(changes)
        out = AssignmentProblem(**fields)  # type: ignore[arg-type]
        # The arcs' look-up arrays hold for the copy when its arcs and homes are these:
        # on a round of tens of millions of arcs, each is seconds of sorting.
        if not {"n_persons", "n_posts", "person", "post", "home"} & changes.keys():
            for name in _ARC_CACHES:
                if name in self.__dict__:
                    out.__dict__[name] = self.__dict__[name]
        return out
