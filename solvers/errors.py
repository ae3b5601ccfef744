"""Exceptions raised by :mod:`solvers`.

Every exception the package raises on purpose derives from
:class:`SolverError`, so a caller can catch one class. Input errors list
every problem found at once, not just the first.
"""

from __future__ import annotations

__all__ = ["CostRangeError", "DuplicateArcError", "SolverError"]


class SolverError(ValueError):
    """Bad input to a solver: wrong shape, out-of-range index, contradiction.

    Parameters
    ----------
    problems
        One plain sentence per problem found. The message lists them all.
    what
        What was being checked, e.g. ``"AssignmentProblem"``.
    """

    def __init__(self, problems: str | list[str], what: str = "input") -> None:
        if isinstance(problems, str):
            problems = [problems]
        self.problems: list[str] = list(problems)
        self.what = what
        if len(self.problems) == 1:
            msg = f"invalid {what}: {self.problems[0]}"
        else:
            lines = "\n".join(f"  - {p}" for p in self.problems)
            msg = f"invalid {what} ({len(self.problems)} problems):\n{lines}"
        super().__init__(msg)

    def __reduce__(self) -> tuple:
        # Pickled as it was made (a solve in a child process raises it in the parent).
        return (self.__class__, (self.problems, self.what))


class DuplicateArcError(SolverError):
    """The same ``(person, post)`` pair was given as two arcs."""


class CostRangeError(SolverError):
    """The scores are too large to be combined exactly in 64-bit integers.

    The lexicographic objective (tiers, score, moves) is folded into one
    integer cost per arc; when that cannot be done without overflow this is
    raised instead of returning a wrong plan.
    """
