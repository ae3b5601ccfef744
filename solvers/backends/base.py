"""What every backend is given, and what it promises.

A backend turns an :class:`~solvers.AssignmentProblem` into a
:class:`~solvers.Solution`: ``solve(prob, request, start) -> Solution``
(:class:`Backend`). :func:`solvers.solve` calls the flow backend first,
whose plan is optimal when the side constraints hold for it, and hands
that plan to the CP-SAT backend as its ``start`` when they do not. The
certified path is not a backend of its own but the flow backend's way of
solving one very large component (same network, same answer, proven).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Protocol

from solvers.problem import AssignmentProblem
from solvers.settings import Settings
from solvers.solution import Solution

__all__ = ["Backend", "Request"]


@dataclass(frozen=True)
class Request:
    """One solve's limits and tuning, shared by every backend it calls.

    ``time_limit`` counts from ``t0`` (when :func:`solvers.solve` started),
    so a backend called second gets what is left (CP-SAT counts its own
    budget in deterministic time: ``settings.cp_deterministic_per_second``
    per second of it). ``workers``: CP-SAT's search workers (None:
    ``settings.cp_workers``, fixed, not the machine's cores).
    """

    settings: Settings = field(default_factory=Settings)
    time_limit: float = 60.0
    workers: int | None = None
    t0: float = field(default_factory=time.perf_counter)

    @property
    def deadline(self) -> float:
        """``time.perf_counter()`` value by which the solve must end."""
        return self.t0 + self.time_limit

    @property
    def n_workers(self) -> int:
        """CP-SAT workers for models above ``settings.one_worker_arcs``."""
        return max(1, self.settings.cp_workers if self.workers is None else int(self.workers))

    def elapsed(self) -> float:
        """Seconds since the solve started."""
        return time.perf_counter() - self.t0


class Backend(Protocol):
    """A way to solve an assignment problem.

    ``solve`` returns a :class:`~solvers.Solution` for ``prob`` that
    :func:`solvers.validate` accepts, or one with status INFEASIBLE naming
    the conflict, or UNKNOWN; ``start`` is another backend's plan to start
    from (the flow's optimum of the problem without side constraints).
    """

    name: str

    def solve(
        self, prob: AssignmentProblem, request: Request, start: Solution | None = None
    ) -> Solution: ...
