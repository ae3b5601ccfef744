"""Tuning values and the machine's parallelism, in one object.

Every threshold, count and share the solvers use is a field of
:class:`Settings`, with the measurement that chose it. A solve takes one
``Settings`` (the default when none is given); nothing is read from a
module constant, so two solves with different settings can run side by
side, and a test changes a value by passing its own settings instead of
patching a module.

Parallelism is detected, not assumed: ``cpus`` counts the cores this
process may run on (``os.sched_getaffinity``, else ``os.cpu_count``).
The flow's batches use up to ``flow_processes`` processes (default: every
core), and the compiled passes that split their work in two threads do so
only when there is more than one core.

Examples
--------
>>> from dataclasses import replace
>>> s = replace(Settings(), sparse_min_arcs=100, cpus=1)
>>> s.sparse_min_arcs, s.threads
(100, 1)
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

__all__ = ["Settings", "detected_cpus"]


def detected_cpus() -> int:
    """Cores this process may run on (at least 1).

    ``os.sched_getaffinity`` honours a container's or ``taskset``'s limit;
    ``os.cpu_count`` (the machine's cores) is the fallback where it does
    not exist (macOS, Windows).
    """
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class Settings:
    """Every tuning value of the solvers (figures from docs/solvers.md).

    Change one with :func:`dataclasses.replace`; the defaults are the
    values measured best on the benchmarks of ``bench/``.
    """

    # --- parallelism -----------------------------------------------------
    #: Cores available to this process; detected when the object is made.
    cpus: int = field(default_factory=detected_cpus)
    #: Processes for the flow's batches of components, at most ``cpus``
    #: (None: ``cpus``). OR-Tools' flow holds the GIL, so threads do not help
    #: (4 flows of 32 k nodes: 1.54 s serial, 1.35 s in 2 threads); forked
    #: processes do (national instance: 6.6 s in one, 3.8-4.3 s in two).
    flow_processes: int | None = None
    #: Batches go to several processes only from this many arcs: a fork and
    #: a pipe cost more than they save on a demo round.
    parallel_min_arcs: int = 1_000_000

    # --- the flow (OR-Tools min-cost flow) ---------------------------------
    #: Components are packed into batches of at most this many nodes.
    #: National instance: batches of 20,000 nodes 15-20 s, of 2,000 nodes
    #: 4.8-6.9 s, one flow per component about the same as 2,000.
    batch_nodes: int = 2_000
    #: From this many arcs on, passes over the arcs use the compiled code of
    #: :mod:`solvers.kernels` (components, values, best arcs, checks);
    #: below, scipy and numpy (nothing to compile: a demo round never loads
    #: numba). Components of 5 M arcs: 0.03 s compiled against 0.25 s.
    kernel_min_arcs: int = 200_000
    #: OR-Tools' flow multiplies costs by (nodes + 1) and needs the product
    #: below 2**62 (measured: it answers BAD_COST_RANGE just above); costs
    #: are folded when ``|cost| * (nodes + 1)`` stays below this bound, and
    #: the levels are solved in sequence otherwise
    #: (:mod:`solvers.backends.levels`). Tests lower it to force the latter.
    cost_limit: int = 2**61
    #: Arcs handled at a time by the numpy passes over a whole arc set
    #: (bounds the temporaries on arc sets of tens of millions).
    chunk_arcs: int = 1 << 22

    # --- the certified large-scale path ------------------------------------
    #: A component with at least this many arcs, and at least
    #: ``sparse_min_degree`` arcs per person, is solved on a sparse arc set
    #: and certified by duals (below, one flow on every arc is faster).
    sparse_min_arcs: int = 1_000_000
    sparse_min_degree: int = 12
    #: Arcs of its best distinct values each person and each post keeps in
    #: the first sparse set. On the province (21.7 M arcs) exactly k arcs per
    #: group took 19 s, the capped best values 23 s but held on (a) and (c)
    #: (14.9 s against 25.4 s; 72 s against 137 s).
    sparse_k_person: int = 10
    sparse_k_post: int = 5
    #: ... but at most this many times that many arcs (ties past the cap are
    #: broken by a fixed scatter of the arc index).
    sparse_cap: int = 2
    #: Share of the posts whose best arcs the persons' thread also picks (the
    #: rest in a second thread). On the 50k x 30k bench the persons' pick
    #: takes 0.05 s and the posts' 0.12 s; with a share from 0.25 to 0.45
    #: both threads were done in 0.063-0.09 s, without a clear best: the middle.
    pick_split: float = 0.35
    #: Rounds of adding violated arcs before falling back to the whole arc set.
    sparse_rounds: int = 40
    #: Up to this many violating arcs are repaired one by one (a shortest path
    #: each); more trigger a new solve with the arcs added. On (a) with exact
    #: k arcs, 256 in-place repairs made it slower (31 s against 25.4 s).
    repair_max: int = 64
    #: The auction divides eps by this much between phases. On the 50k x 30k
    #: bench (auction alone): 6 -> 1.00 s, 21 phases; 12 -> 0.61 s, 15 phases;
    #: 32 -> 0.61 s; on uniform 100k x 100k 1.8-2.0 s for 6-32.
    auction_theta: int = 12
    #: From the first phase whose eps is at most a ``auction_exact_from``-th
    #: of a value unit, each phase ends with an attempt at exact potentials;
    #: on the 50k x 30k bench the plan is optimal 3 phases before eps = 1.
    auction_exact_from: int = 32
    #: Work budget of that attempt, in arc and node visits per arc and node of
    #: the network (a success on the bench took 0.97).
    auction_exact_work: int = 2
    #: The auction's full check runs in two threads from this many arcs in
    #: each half (below, a thread costs more than the half it saves).
    split_min_arcs: int = 500_000
    #: A problem with at least this many arcs whose levels do not all fold
    #: into one cost is solved level by level on a sparse core priced against
    #: every arc (:mod:`solvers.backends.core`): OR-Tools sees the core only.
    core_min_arcs: int = 4_000_000
    #: Cheapest arcs of each person and each post in the first core, and the
    #: most violated arcs of each added per pricing round. On the 20,000 x
    #: 5,000 round of bench_scale (seed 2, 20.1 M arcs), CPU of the stage:
    #: 8/4 and one per round, 52 rounds, 40.7 s; 8/4 and 4/4, 6 rounds, 4.7 s;
    #: 10/5 and 8/8, 4 rounds, 3.5 s; 10/5 and 16/16 or 16/8 and 8/8, 4
    #: rounds, 3.6 s. Once the core read the problem in place (the whole
    #: solve, the same problem): 10/5 and 8/8, 5 rounds, 2.15 s; 16/16, 4
    #: rounds, 1.99 s; 24/24, 3 rounds, 1.66 s (kept); 32/32, 3, 1.67 s;
    #: 48/48, 3, 1.75 s; 20/10 first and 8/8, 5 rounds, 2.64 s.
    core_k_person: int = 10
    core_k_post: int = 5
    core_add_person: int = 24
    core_add_post: int = 24

    # --- CP-SAT (side constraints) -------------------------------------------
    #: Up to this many candidate arcs the CP-SAT model holds every arc. Demo
    #: regency (31.9 k arcs): the full model took 12-18 s to prove its
    #: optimum, the restricted one (2,246 arcs) 0.2-0.4 s.
    full_model_arcs: int = 2_000
    #: Arcs of highest ceiling in the first restricted arc set (besides the
    #: arcs of the flow plans and the stay arcs).
    restricted_arcs: int = 2_000
    #: When linear side constraints (or fills) could tighten the bound, the
    #: first CP-SAT try gets this share of the time left (at least
    #: ``first_try_min`` seconds); if it does not prove its plan, the
    #: Lagrangian bound is computed and CP-SAT goes on over the arcs it ranks best.
    first_try_share: float = 0.1
    first_try_min: float = 1.0
    #: Arcs in the LP that sets the Lagrangian prices (the bound covers all
    #: arcs). 2 M-arc province: 105 k columns give the LP optimum over every
    #: arc (LP 2.2 s, flow 1.6 s); 25 k columns a bound 0.03 % above it.
    lagrange_lp_arcs: int = 100_000
    #: Arcs of highest ceiling CP-SAT gets after the Lagrangian bound.
    #: Province, 60 s: 1,085,221 (gap 0.42 %); the flow's 5.8 k-arc set held
    #: no plan above 1,053,417.
    lagrange_cp_arcs: int = 20_000
    #: Models of up to this many arcs are solved by one CP-SAT worker: the same
    #: model then gives the same plan among tied optima (two workers race, and
    #: either may report its own). Demo what-ifs (2.2 k arcs): 0.20-0.34 s with
    #: one worker against 0.26-0.37 s with two. The province's 20-25 k-arc
    #: models keep more: with one, its 60 s gap was 4.27 % against 0.26-0.35 %.
    one_worker_arcs: int = 5_000
    #: CP-SAT workers on larger models, fixed rather than the machine's cores,
    #: and run interleaved (``interleave_search``: deterministic whatever the
    #: threads' timing), so a plan is the same on every machine.
    cp_workers: int = 2
    #: CP-SAT's budget is deterministic time (its own count of work done,
    #: independent of the machine's load), this many units per second of the
    #: solve's time limit: a scenario's ``time_limit: 10`` gives 2.5 units.
    #: CP-SAT does about 0.3 units per CPU second; the demo's side-constraint
    #: models need 0.01 once restricted to the arcs that can reach the
    #: Lagrangian bound (0.4 over the 20 k arcs it took before).
    cp_deterministic_per_second: float = 0.25
    #: The wall clock is only a safety stop, at this many times the time
    #: limit; a plan it cut short says so (it may then depend on the load).
    cp_wall_factor: float = 10.0

    # --- evidence and baselines ---------------------------------------------
    #: Above this many arcs, who a forced pair displaces is found by a re-solve
    #: with the pair pinned rather than on the residual graph of every arc
    #: (gigabytes). Prices need no such limit (solvers.prices).
    exact_max_arcs: int = 4_000_000
    #: Arcs per block of the vectorised greedy (a prefix of the rank order is
    #: decided by the prefix alone, so a round scans one block).
    greedy_block: int = 1 << 20

    @property
    def processes(self) -> int:
        """Processes the flow's batches may use (at least 1, at most ``cpus``)."""
        wanted = self.cpus if self.flow_processes is None else self.flow_processes
        return max(1, min(wanted, self.cpus))

    @property
    def threads(self) -> int:
        """Threads a compiled pass may split its work into: 2 when there is a
        second core (every split is in two halves), else 1."""
        return 2 if self.cpus > 1 else 1
