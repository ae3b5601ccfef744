"""Solver backends: the ways an :class:`~solvers.AssignmentProblem` is solved.

Each backend is a module behind one interface (:class:`~solvers.backends.base.Backend`:
``solve(prob, request, start) -> Solution``, with the time limit, workers
and :class:`~solvers.settings.Settings` in one
:class:`~solvers.backends.base.Request`):

* :mod:`~solvers.backends.flow`: the core problem (side constraints
  ignored) as one min-cost flow per batch of components, OR-Tools'
  ``SimpleMinCostFlow`` (:mod:`~solvers.backends.mcf`) on the network
  :mod:`~solvers.backends.network` prepares;
* :mod:`~solvers.backends.certified`: how the flow backend solves a very
  large component: a sparse arc set, the auction, a certificate on every
  arc, repairs;
* :mod:`~solvers.backends.cpsat`: side constraints and ``allow_cycles`` by
  CP-SAT, starting from the flow's plan, with the Lagrangian bound of
  :mod:`~solvers.backends.lagrange`.

Nothing here is imported by the contract modules (problem, solution,
constraints, errors); :func:`solvers.solve` picks the backends.
"""
