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

This module holds data and input checks only; how each constraint is
modelled lives in :mod:`solvers.backends.cpsat`, how it is checked on a plan in
:mod:`solvers.validate`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = [
    "GroupLimit",
    "LinearConstraint",
    "MaxChainLength",
    "MaxMoves",
    "SideConstraint",
]


def _int_array(values: object, what: str, problems: list[str]) -> np.ndarray:
    arr = np.asarray(values)
    if arr.dtype == bool or not np.issubdtype(arr.dtype, np.integer):
        problems.append(f"{what} must be an integer array, got dtype {arr.dtype}")
        return np.zeros(0, dtype=np.int64)
    return arr.astype(np.int64, copy=False)


@dataclass(frozen=True, eq=False)
class MaxMoves:
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


@dataclass(frozen=True, eq=False)
class GroupLimit:
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


@dataclass(frozen=True, eq=False)
class LinearConstraint:
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


@dataclass(frozen=True, eq=False)
class MaxChainLength:
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


SideConstraint = MaxMoves | GroupLimit | LinearConstraint | MaxChainLength
