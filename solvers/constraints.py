"""Side constraints on an assignment, as plain data.

A side constraint is anything the pure assignment (each person at most one
post, each post at most one person) cannot express: a cap on moves, a cap
per group of arcs, a linear quota, a bound on vacancy-chain length. Each
one carries a ``name`` that the caller chooses (``"maks. 5 mutasi per
unit"``); solutions name the constraints in conflict by it, and
:func:`solvers.side_constraint_prices` keys its answer by it.

Assumptions
-----------
* Per-arc arrays (``group``, ``coef``) are aligned with the arc arrays of
  the :class:`~solvers.AssignmentProblem` they are given to, in the order
  the caller gave the arcs.
* A *move* is a chosen arc whose post differs from the person's home post,
  for a person who has one (``home >= 0``). Placing a person without a
  home post is a *new placement*; :class:`MaxMoves` counts it only when
  ``count_new`` is true.
* A *vacancy chain* is a sequence of placements in which each placement
  fills the post the previous person left: post ``p1`` is filled by ``a``,
  whose home post ``p2`` is filled by ``b``, whose home post ... . Its
  length is its number of placements, counting the last one, which may be
  a new placement (White, *Chains of Opportunity*, 1970). A rotation
  (``a`` takes ``b``'s post while ``b`` takes ``a``'s) never starts from a
  vacancy, so :class:`MaxChainLength` rules rotations out.

Each constraint is one class that carries everything about it: its
input check (:meth:`~SideConstraint.check`), whether a plan breaks it
(:meth:`~SideConstraint.violations`, with a message per breach; the
independent validator and the solvers call the same method on their own
view of the plan, :class:`PlanView`), its CP-SAT rows
(:meth:`~SideConstraint.build`), its rows in the Lagrangian relaxation
(:meth:`~SideConstraint.lp_rows`), its running count in the greedy
baselines (:meth:`~SideConstraint.limiter`) and the arcs a repair sends
back (:meth:`~SideConstraint.overflow`). A new kind of side constraint is
one new class here. The vacancy-chain model that CP-SAT shares between
:class:`MaxChainLength` and ``allow_cycles`` stays in
:mod:`solvers.backends.cpsat`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol

import numpy as np

__all__ = [
    "Arcs",
    "GroupLimit",
    "Limiter",
    "LinearConstraint",
    "MaxChainLength",
    "MaxMoves",
    "PlanView",
    "SideConstraint",
]

#: Bounds of a CP-SAT linear constraint with one side open.
_INT_MIN = -(2**62)
_INT_MAX = 2**62


class Arcs(Protocol):
    """What a side constraint reads of its problem (an
    :class:`~solvers.AssignmentProblem` has all of it)."""

    person: np.ndarray
    post: np.ndarray
    home: np.ndarray

    @property
    def is_move(self) -> np.ndarray: ...

    @property
    def is_stay(self) -> np.ndarray: ...


@dataclass
class PlanView:
    """A plan as a side constraint checks it.

    ``arc``: the chosen arcs; ``person``, ``post`` and ``home`` (each
    chosen person's home post, -1 for none) per chosen arc. The vacancy
    chains are computed by whoever checks, on demand (the solvers and the
    independent validator each have their own): ``chains()`` gives each
    chain's persons in order, a rotation ending with -1; ``depth()`` the
    position of each step (non-stay arc) in its chain, -1 on a rotation.
    """

    arc: np.ndarray
    person: np.ndarray
    post: np.ndarray
    home: np.ndarray
    chains: Callable[[], list[list[int]]] | None = None
    depth: Callable[[], np.ndarray] | None = None


class Limiter:
    """A side constraint's running count while a heuristic picks arcs one by
    one: whether one more arc keeps its upper limit, and whether the picks
    meet its lower one. The base class limits nothing."""

    def allows(self, a: int) -> bool:
        """Whether taking arc ``a`` keeps the upper limit."""
        return True

    def take(self, a: int) -> None:
        """Count arc ``a`` as taken."""

    def short(self) -> bool:
        """Whether the arcs taken fall short of a lower limit."""
        return False


def _groups(key: np.ndarray) -> list[np.ndarray]:
    """Positions of ``key`` grouped by value, groups in ascending value."""
    order = np.argsort(key, kind="stable")
    cuts = np.flatnonzero(np.diff(key[order])) + 1
    return np.split(order, cuts) if order.size else []


def _enforce(ct: Any, lit: Any) -> None:
    if lit is not None:
        ct.only_enforce_if(lit)


class SideConstraint(ABC):
    """What every side constraint carries (see the module docstring).

    ``linear``: a sum of per-arc terms within bounds, priced by the
    Lagrangian bound; ``chains``: its check needs the plan's vacancy chains.
    """

    name: str
    linear: ClassVar[bool] = True
    chains: ClassVar[bool] = False

    @abstractmethod
    def check(self, n_arcs: int, n_posts: int) -> list[str]:
        """The problems with this constraint's data (empty if none)."""

    @abstractmethod
    def violations(self, plan: PlanView) -> list[str]:
        """One message per breach of this constraint by ``plan`` (empty: it holds)."""

    def broken(self, plan: PlanView) -> bool:
        """Whether ``plan`` breaks this constraint."""
        return bool(self.violations(plan))

    @abstractmethod
    def build(self, model: Any, x: list, arcs: np.ndarray, prob: Arcs, lit: Any) -> None:
        """Add this constraint's rows to the CP-SAT ``model`` whose variable
        ``x[k]`` chooses arc ``arcs[k]``, enforced by ``lit`` when not None."""

    def lp_rows(
        self, prob: Arcs, cand: np.ndarray, pins: np.ndarray
    ) -> list[tuple[np.ndarray, np.ndarray, Any]]:
        """Rows ``sum(coef * x) <= rhs`` over the candidate arcs ``cand`` (pins
        ``pins`` taken as chosen): ``(row of each arc or -1, coef, rhs per row)``."""
        return []

    def limiter(self, prob: Arcs) -> Limiter:
        """A fresh running count for a heuristic that picks arcs one by one."""
        return Limiter()

    def overflow(self, prob: Arcs, plan: np.ndarray, score: np.ndarray) -> list[int]:
        """Arcs of ``plan`` whose persons a repair sends back home to meet an
        upper limit, lowest score first (empty when a revert cannot help)."""
        return []


def _int_array(values: object, what: str, problems: list[str]) -> np.ndarray:
    arr = np.asarray(values)
    if arr.dtype == bool or not np.issubdtype(arr.dtype, np.integer):
        problems.append(f"{what} must be an integer array, got dtype {arr.dtype}")
        return np.zeros(0, dtype=np.int64)
    return arr.astype(np.int64, copy=False)


@dataclass(frozen=True, eq=False)
class MaxMoves(SideConstraint):
    """At most ``limit`` chosen arcs are moves.

    Parameters
    ----------
    limit
        Largest number of moves allowed (``>= 0``).
    name
        Name used in conflicts and prices; defaults to ``"MaxMoves(<limit>)"``.
    count_new
        Also count placements of persons without a home post.

    Examples
    --------
    >>> MaxMoves(5, "maks. 5 mutasi").limit
    5
    """

    limit: int
    name: str = ""
    count_new: bool = False

    def __post_init__(self) -> None:
        if not self.name:
            object.__setattr__(self, "name", f"MaxMoves({self.limit})")

    def check(self, n_arcs: int, n_posts: int) -> list[str]:
        """Return the problems with this constraint's data (empty if none)."""
        if isinstance(self.limit, bool) or not isinstance(self.limit, int | np.integer):
            return [f"{self.name!r}: limit must be an int, got {self.limit!r}"]
        if self.limit < 0:
            return [f"{self.name!r}: limit must be >= 0, got {self.limit}"]
        return []

    def counted(self, prob: Arcs) -> np.ndarray:
        """Per arc of the problem: whether choosing it counts as a move."""
        return prob.is_move | ((prob.home[prob.person] < 0) if self.count_new else False)

    def violations(self, plan: PlanView) -> list[str]:
        moves = (plan.home >= 0) & (plan.home != plan.post)
        if self.count_new:
            moves |= plan.home < 0
        n = int(moves.sum())
        return [f"{self.name}: {n} moves > limit {self.limit}"] if n > self.limit else []

    def build(self, model: Any, x: list, arcs: np.ndarray, prob: Arcs, lit: Any) -> None:
        from ortools.sat.python import cp_model

        sel = np.flatnonzero(self.counted(prob)[arcs])
        if sel.size > self.limit or lit is not None:
            ct = model.add(cp_model.LinearExpr.sum([x[i] for i in sel.tolist()]) <= self.limit)
            _enforce(ct, lit)

    def lp_rows(
        self, prob: Arcs, cand: np.ndarray, pins: np.ndarray
    ) -> list[tuple[np.ndarray, np.ndarray, Any]]:
        counted = self.counted(prob)
        row = np.where(counted[cand], 0, -1)
        return [(row, np.ones(cand.size, dtype=np.int64), self.limit - int(counted[pins].sum()))]

    def limiter(self, prob: Arcs) -> Limiter:
        return _CountLimiter(self.counted(prob).astype(np.int64), None, self.limit)

    def overflow(self, prob: Arcs, plan: np.ndarray, score: np.ndarray) -> list[int]:
        movers = plan[self.counted(prob)[plan]]
        excess = movers.size - self.limit
        return movers[np.argsort(score[movers], kind="stable")][:excess].tolist()


class _CountLimiter(Limiter):
    """A sum of per-arc terms against an upper and a lower limit."""

    def __init__(self, term: np.ndarray, lower: int | None, upper: int | None) -> None:
        self.term, self.lower, self.upper = term, lower, upper
        self.total = 0

    def allows(self, a: int) -> bool:
        return self.upper is None or self.total + int(self.term[a]) <= self.upper

    def take(self, a: int) -> None:
        self.total += int(self.term[a])

    def short(self) -> bool:
        return self.lower is not None and self.total < self.lower


class _GroupLimiter(Limiter):
    """Arcs taken per group against each group's limit."""

    def __init__(self, group: np.ndarray, limits: np.ndarray) -> None:
        self.group, self.limits = group, limits
        self.counts = np.zeros(limits.size, dtype=np.int64)

    def allows(self, a: int) -> bool:
        g = int(self.group[a])
        return g < 0 or self.counts[g] + 1 <= self.limits[g]

    def take(self, a: int) -> None:
        if self.group[a] >= 0:
            self.counts[self.group[a]] += 1


@dataclass(frozen=True, eq=False)
class GroupLimit(SideConstraint):
    """For every group ``g``, at most ``limit[g]`` chosen arcs belong to ``g``.

    Parameters
    ----------
    group
        Group of each arc (``-1``: the arc belongs to no group). For
        "moves into each unit" give the unit of the post on move arcs and
        ``-1`` on stay arcs; for "at most N people from unit u to unit v"
        number the (u, v) pairs.
    limit
        One limit for every group, or one per group (length at least
        ``max(group) + 1``).
    name
        Name used in conflicts and prices.
    """

    group: np.ndarray
    limit: int | np.ndarray
    name: str = ""
    _problems: list[str] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        problems: list[str] = []
        if not self.name:
            object.__setattr__(self, "name", "GroupLimit")
        object.__setattr__(self, "group", _int_array(self.group, f"{self.name!r}: group", problems))
        if np.ndim(self.limit) == 0:
            if isinstance(self.limit, bool) or not isinstance(self.limit, int | np.integer):
                problems.append(f"{self.name!r}: limit must be an int or int array")
                lim = np.zeros(0, dtype=np.int64)
            else:
                n_groups = int(self.group.max()) + 1 if self.group.size else 0
                lim = np.full(max(n_groups, 0), int(self.limit), dtype=np.int64)
        else:
            lim = _int_array(self.limit, f"{self.name!r}: limit", problems)
        object.__setattr__(self, "limit", lim)
        object.__setattr__(self, "_problems", problems)

    @property
    def limits(self) -> np.ndarray:
        """Limit per group, as an int64 array indexed by group."""
        return self.limit  # type: ignore[return-value]

    def check(self, n_arcs: int, n_posts: int) -> list[str]:
        """Return the problems with this constraint's data (empty if none)."""
        problems = list(self._problems)
        if problems:
            return problems
        if self.group.shape != (n_arcs,):
            problems.append(
                f"{self.name!r}: group has shape {self.group.shape}, expected ({n_arcs},), "
                "one group per arc"
            )
        elif n_arcs and self.group.min() < -1:
            problems.append(f"{self.name!r}: group values must be >= -1, found {self.group.min()}")
        n_groups = int(self.group.max()) + 1 if self.group.size else 0
        if self.limits.ndim != 1 or self.limits.size < n_groups:
            problems.append(
                f"{self.name!r}: limit has {self.limits.size} entries but groups go up to "
                f"{n_groups - 1}"
            )
        elif self.limits.size and self.limits.min() < 0:
            problems.append(f"{self.name!r}: limits must be >= 0, found {self.limits.min()}")
        return problems

    def violations(self, plan: PlanView) -> list[str]:
        groups = self.group[plan.arc]
        counts = np.bincount(groups[groups >= 0], minlength=self.limits.size)
        return [
            f"{self.name}: group {g} has {int(counts[g])} > limit {int(self.limits[g])}"
            for g in np.flatnonzero(counts > self.limits).tolist()
        ]

    def build(self, model: Any, x: list, arcs: np.ndarray, prob: Arcs, lit: Any) -> None:
        from ortools.sat.python import cp_model

        g = self.group[arcs]
        for idx in _groups(np.where(g >= 0, g, -1)):
            gid = int(g[idx[0]])
            if gid < 0:
                continue
            limit = int(self.limits[gid])
            if idx.size > limit or lit is not None:
                ct = model.add(cp_model.LinearExpr.sum([x[i] for i in idx.tolist()]) <= limit)
                _enforce(ct, lit)

    def lp_rows(
        self, prob: Arcs, cand: np.ndarray, pins: np.ndarray
    ) -> list[tuple[np.ndarray, np.ndarray, Any]]:
        g = self.group
        used = np.bincount(g[pins][g[pins] >= 0], minlength=self.limits.size)
        return [(g[cand], np.ones(cand.size, dtype=np.int64), self.limits - used)]

    def limiter(self, prob: Arcs) -> Limiter:
        return _GroupLimiter(self.group, self.limits)

    def overflow(self, prob: Arcs, plan: np.ndarray, score: np.ndarray) -> list[int]:
        g = self.group[plan]
        counts = np.bincount(g[g >= 0], minlength=self.limits.size)
        out: list[int] = []
        for gid in np.flatnonzero(counts > self.limits).tolist():
            members = plan[g == gid]
            excess = int(counts[gid] - self.limits[gid])
            order = np.argsort(score[members], kind="stable")
            out.extend(members[order][:excess].tolist())
        return out


@dataclass(frozen=True, eq=False)
class LinearConstraint(SideConstraint):
    """``lower <= sum(coef[a] * x[a]) <= upper`` over the chosen arcs ``a``.

    Parameters
    ----------
    coef
        Integer coefficient of each arc (0 for arcs not concerned).
    lower, upper
        Bounds; ``None`` for no bound. At least one must be given.
    name
        Name used in conflicts and prices.

    Examples
    --------
    "At least 30% women among placements into level L": on the arcs into
    posts of level L, ``coef = 10 * is_woman - 3``; elsewhere 0; ``lower=0``.
    """

    coef: np.ndarray
    lower: int | None = None
    upper: int | None = None
    name: str = ""
    _problems: list[str] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        problems: list[str] = []
        if not self.name:
            object.__setattr__(self, "name", "LinearConstraint")
        object.__setattr__(self, "coef", _int_array(self.coef, f"{self.name!r}: coef", problems))
        object.__setattr__(self, "_problems", problems)

    def check(self, n_arcs: int, n_posts: int) -> list[str]:
        """Return the problems with this constraint's data (empty if none)."""
        problems = list(self._problems)
        if problems:
            return problems
        if self.coef.shape != (n_arcs,):
            problems.append(
                f"{self.name!r}: coef has shape {self.coef.shape}, expected ({n_arcs},), "
                "one coefficient per arc"
            )
        if self.lower is None and self.upper is None:
            problems.append(f"{self.name!r}: give lower, upper or both")
        for label, bound in (("lower", self.lower), ("upper", self.upper)):
            if bound is not None and (
                isinstance(bound, bool) or not isinstance(bound, int | np.integer)
            ):
                problems.append(f"{self.name!r}: {label} must be an int or None, got {bound!r}")
        if (
            not problems
            and self.lower is not None
            and self.upper is not None
            and self.lower > self.upper
        ):
            problems.append(f"{self.name!r}: lower {self.lower} > upper {self.upper}")
        if not problems and self.coef.size and np.abs(self.coef).max() > 2**40:
            problems.append(f"{self.name!r}: |coef| must be <= 2**40")
        return problems

    def violations(self, plan: PlanView) -> list[str]:
        total = int(self.coef[plan.arc].sum())
        out = []
        if self.lower is not None and total < self.lower:
            out.append(f"{self.name}: {total} < lower bound {self.lower}")
        if self.upper is not None and total > self.upper:
            out.append(f"{self.name}: {total} > upper bound {self.upper}")
        return out

    def build(self, model: Any, x: list, arcs: np.ndarray, prob: Arcs, lit: Any) -> None:
        from ortools.sat.python import cp_model

        coef = self.coef[arcs]
        sel = np.flatnonzero(coef)
        expr = cp_model.LinearExpr.weighted_sum([x[i] for i in sel.tolist()], coef[sel].tolist())
        lo = _INT_MIN if self.lower is None else int(self.lower)
        hi = _INT_MAX if self.upper is None else int(self.upper)
        _enforce(model.add_linear_constraint(expr, lo, hi), lit)

    def lp_rows(
        self, prob: Arcs, cand: np.ndarray, pins: np.ndarray
    ) -> list[tuple[np.ndarray, np.ndarray, Any]]:
        at_pin = int(self.coef[pins].sum())
        coef = self.coef[cand]
        row = np.where(coef != 0, 0, -1)
        out = []
        if self.upper is not None:
            out.append((row, coef, int(self.upper) - at_pin))
        if self.lower is not None:
            out.append((row, -coef, at_pin - int(self.lower)))
        return out

    def limiter(self, prob: Arcs) -> Limiter:
        lower = None if self.lower is None else int(self.lower)
        upper = None if self.upper is None else int(self.upper)
        return _CountLimiter(self.coef, lower, upper)


@dataclass(frozen=True, eq=False)
class MaxChainLength(SideConstraint):
    """Every vacancy chain has at most ``k`` placements; no rotations.

    Parameters
    ----------
    k
        Longest chain allowed (``>= 1``): 1 means every vacancy is filled
        by someone whose own post is then left empty or who had none.
    name
        Name used in conflicts and prices.
    """

    k: int
    name: str = ""

    def __post_init__(self) -> None:
        if not self.name:
            object.__setattr__(self, "name", f"MaxChainLength({self.k})")

    def check(self, n_arcs: int, n_posts: int) -> list[str]:
        """Return the problems with this constraint's data (empty if none)."""
        if isinstance(self.k, bool) or not isinstance(self.k, int | np.integer):
            return [f"{self.name!r}: k must be an int, got {self.k!r}"]
        if self.k < 1:
            return [f"{self.name!r}: k must be >= 1, got {self.k}"]
        return []

    #: Not a sum of per-arc terms: the Lagrangian relaxation leaves it out
    #: (its bound then holds with or without it); checked on the chains.
    linear: ClassVar[bool] = False
    chains: ClassVar[bool] = True

    def violations(self, plan: PlanView) -> list[str]:
        assert plan.chains is not None, "MaxChainLength is checked on the plan's chains"
        chains = plan.chains()
        out = []
        for ch in chains:
            if ch and ch[-1] == -1:
                out.append(f"{self.name}: rotation of persons {ch[:-1]} (not a vacancy chain)")
                break
        longest = max((len(ch) for ch in chains if not ch or ch[-1] != -1), default=0)
        if longest > self.k:
            out.append(f"{self.name}: a vacancy chain has {longest} placements > {self.k}")
        return out

    def broken(self, plan: PlanView) -> bool:
        if plan.depth is None:
            return bool(self.violations(plan))
        depth = plan.depth()
        return bool(depth.size and ((depth < 0).any() or depth.max() > self.k))

    def build(self, model: Any, x: list, arcs: np.ndarray, prob: Arcs, lit: Any) -> None:
        """Nothing here: the chain-depth model is built once for this limit and
        ``allow_cycles`` together (:mod:`solvers.backends.cpsat`)."""
