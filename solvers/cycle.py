"""One more pin on an optimal plan: the new optimum by one cycle, not a re-solve.

For an optimal plan of the core problem (no side constraints, rotations
allowed), the best plan that also holds an unused pair ``i -> j`` is the
plan with flow pushed round the cheapest cycle through that arc in the
residual graph: that cycle's cost is the pair's forcing price
(:mod:`solvers.prices`), and pushing it is the optimum of the problem with
the pair pinned. On the post graph of :class:`solvers.prices.PostGraph`
(each filled post merged with its occupant, the unplaced folded into the
sink), the cycle is the shortest path from post ``j`` (from the sink if
``j`` is empty) to the post ``i`` holds (to the sink if ``i`` holds none),
closed by ``i`` taking ``j``. Each arc of the path is one person taking a
post or leaving one (the graph records which), so walking it back gives the
new plan; the reduced costs under the graph's potentials are non-negative,
so one Dijkstra finds it.

What it costs: one Dijkstra from one node on the post graph, and the new
plan's bookkeeping; the graph itself (its potentials) is what pricing the
plan's shortlists already built.

Assumptions
-----------
* ``graph`` was built from ``(prob, sol)`` with ``sol`` optimal for ``prob``'s
  core, and ``pinned`` is ``prob`` with the pair added to its pins (same
  arcs, scores, bans and tiers).
* The result is optimal for ``pinned`` in the post tiers and the score; the
  "fewest moves" tie-break, which the post graph leaves out, may differ
  from a re-solve's among plans of equal score.
"""

from __future__ import annotations

import time

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from solvers.plan import build_solution
from solvers.prices import PostGraph
from solvers.problem import AssignmentProblem
from solvers.solution import Solution, Status

__all__ = ["pin_cycle"]


def pin_cycle(
    graph: PostGraph, sol: Solution, pinned: AssignmentProblem, person: int, post: int
) -> Solution | None:
    """The optimum of ``pinned`` (``graph``'s problem plus the pin ``person -> post``).

    Returns None when the pair cannot be had this way (not an arc of the
    network: banned, or the person or the post pinned already; or no cycle
    through it): a re-solve then says whether any plan holds it.
    """
    t0 = time.perf_counter()
    prob = graph.prob
    a = int(prob.arc_index(np.array([person]), np.array([post]))[0])
    if not graph.ok or a < 0 or not graph.in_net[a]:
        return None
    if graph.at[person] == post:  # already so: the plan stands
        return build_solution(pinned, sol.arc, Status.OPTIMAL, "pin_cycle", 0.0)
    source = post if graph.filled[post] else graph.sink
    target = int(graph.at[person]) if graph.at[person] >= 0 else graph.sink
    moves = _path_moves(graph, source, target)
    if moves is None:
        return None
    post_of = np.full(prob.n_persons, -1, dtype=np.int64)
    post_of[sol.person] = sol.post
    for who, dest in moves:
        post_of[who] = dest
    post_of[person] = post
    placed = np.flatnonzero(post_of >= 0)
    chosen = pinned.arc_index(placed, post_of[placed])
    if (chosen < 0).any():  # pragma: no cover - defensive: every move is an arc
        return None
    return build_solution(pinned, chosen, Status.OPTIMAL, "pin_cycle", time.perf_counter() - t0)


def _path_moves(graph: PostGraph, source: int, target: int) -> list[tuple[int, int]] | None:
    """(person, new post or -1) along the shortest path ``source -> target``; None if
    unreachable."""
    if source == target:
        return []
    n = graph.n_nodes
    keys, first = graph.single_arcs()
    rc = graph.rc[first].astype(np.float64)  # explicit zeros stay arcs of the sparse matrix
    matrix = csr_matrix((rc, (keys // n, keys % n)), shape=(n, n))
    dist, pred = dijkstra(matrix, directed=True, indices=source, return_predecessors=True)
    if not np.isfinite(dist[target]):
        return None
    moves = []
    v = target
    while v != source:
        u = int(pred[v])
        k = int(first[np.searchsorted(keys, u * n + v)])
        if graph.who[k] >= 0:
            moves.append((int(graph.who[k]), int(graph.dest[k])))
        v = u
    return moves[::-1]
