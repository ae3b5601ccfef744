"""The certified large-scale path: a very large component solved on a sparse
arc set and proven optimal for all of its arcs.

* :mod:`~solvers.backends.certified.component`: the component's network
  and its first sparse arc set (each person's and post's best arcs);
* :mod:`~solvers.backends.certified.auction`: the forward/reverse auction
  (compiled), its certificate and the check of every arc;
* :mod:`~solvers.backends.certified.certificate`: duals of the flow's
  sparse optimum, the reduced-cost check, repairs in place;
* :mod:`~solvers.backends.certified.path`: the rounds that tie them
  together (:func:`~solvers.backends.certified.path.solve_component`).
"""
