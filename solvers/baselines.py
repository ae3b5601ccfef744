"""Baselines: what a greedy rule or an older HR suite's cascade would give.

They exist to be compared with the optimum in reports ("the optimal plan
scores 4% more than filling posts one by one"), never to be shown as the
plan. Both return a :class:`~solvers.Solution` that passes
:func:`~solvers.validate`, or status UNKNOWN when the rule gets stuck
(a must-place person left without any free allowed post, a lower bound of
a :class:`~solvers.LinearConstraint` not reached).

Assumptions
-----------
* Only arcs with a positive score are taken by choice; must-place persons
  are placed even at a loss (their stay arc first).
* Side constraints are honoured by skipping any pick that would break an
  upper limit; lower bounds are checked at the end.
"""

from __future__ import annotations

import itertools
import time

import numpy as np

from solvers.plan import build_solution, side_violations
from solvers.problem import AssignmentProblem
from solvers.settings import Settings
from solvers.solution import Solution, Status

__all__ = ["cascade", "greedy"]


class _Tracker:
    """Running state of a sequential pick rule: used persons/posts, side limits, chains."""

    def __init__(self, prob: AssignmentProblem) -> None:
        self.prob = prob
        self.person_post = np.full(prob.n_persons, -1, dtype=np.int64)
        self.post_person = np.full(prob.n_posts, -1, dtype=np.int64)
        self.chosen: list[int] = []
        holder = np.full(prob.n_posts, -1, dtype=np.int64)
        has = prob.home >= 0
        holder[prob.home[has]] = np.flatnonzero(has)
        self.holder = holder
        # each side constraint's running count (the chain limit is tracked here)
        self.limiters = [(c.name, c.limiter(prob)) for c in prob.side]
        self.chain = next((c for c in prob.side if c.chains), None)
        self.track_chains = self.chain is not None or not prob.allow_cycles
        self.checks = bool(prob.side) or not prob.allow_cycles

    def _stepped(self, i: int) -> bool:
        j = self.person_post[i]
        return j >= 0 and j != self.prob.home[i]

    def _chain_ok(self, i: int, j: int) -> bool:
        """Would placing ``i`` on ``j`` (a step) keep chains within limits?"""
        home = self.prob.home
        back = 0
        h = self.holder[j]
        seen = {i}
        cycle = False
        while h >= 0 and self._stepped(int(h)):
            if int(h) in seen:
                cycle = True
                break
            seen.add(int(h))
            back += 1
            h = self.holder[self.person_post[h]]
        forward = 0
        nxt = self.post_person[home[i]] if home[i] >= 0 else -1
        while not cycle and nxt >= 0 and nxt != i and self._stepped(int(nxt)):
            if int(nxt) in seen:
                cycle = True
                break
            seen.add(int(nxt))
            forward += 1
            hn = home[nxt]
            nxt = self.post_person[hn] if hn >= 0 else -1
        if cycle:
            return False  # rotations are never allowed by a chain limit, nor here
        return self.chain is None or back + 1 + forward <= self.chain.k

    def allowed(self, a: int) -> bool:
        prob = self.prob
        i, j = int(prob.person[a]), int(prob.post[a])
        if self.person_post[i] >= 0 or self.post_person[j] >= 0:
            return False
        if not self.checks:
            return True
        step = not bool(prob.is_stay[a])
        if not all(limiter.allows(a) for _, limiter in self.limiters):
            return False
        return not (step and self.track_chains and not self._chain_ok(i, j))

    def take(self, a: int) -> None:
        prob = self.prob
        i, j = int(prob.person[a]), int(prob.post[a])
        self.person_post[i] = j
        self.post_person[j] = i
        self.chosen.append(a)
        for _, limiter in self.limiters:
            limiter.take(a)

    def lower_bounds_ok(self) -> list[str]:
        """Names of the constraints whose lower limits the picks fall short of."""
        return [name for name, limiter in self.limiters if limiter.short()]


def _usable(prob: AssignmentProblem, arcs: np.ndarray | slice = slice(None)) -> np.ndarray:
    """Whether each arc (of ``arcs``, by default all) is not banned and does
    not touch a pinned person or post."""
    pins = prob.pin_arcs
    free_p = np.ones(prob.n_persons, dtype=bool)
    free_q = np.ones(prob.n_posts, dtype=bool)
    free_p[prob.person[pins]] = False
    free_q[prob.post[pins]] = False
    return ~prob.banned[arcs] & free_p[prob.person[arcs]] & free_q[prob.post[arcs]]


def _rounds(
    prob: AssignmentProblem, cand: np.ndarray, rank: np.ndarray, tr: _Tracker, block: int
) -> None:
    """Sequential greedy over ``cand`` (best rank first), done in vectorised rounds.

    With a strict order on arcs, repeatedly taking every arc that is the
    best remaining arc of both its person and its post gives exactly the
    matching that the one-by-one greedy gives. ``cand`` is in rank order, so
    it is taken in blocks (a prefix of the order is decided by the prefix
    alone): each round then scans one block, not tens of millions of arcs.
    """
    for a in range(0, cand.size, block):
        _rounds_block(prob, cand[a : a + block], rank, tr)


def _rounds_block(
    prob: AssignmentProblem, cand: np.ndarray, rank: np.ndarray, tr: _Tracker
) -> None:
    big = np.iinfo(np.int64).max
    cand = cand[(tr.person_post[prob.person[cand]] < 0) & (tr.post_person[prob.post[cand]] < 0)]
    while cand.size:
        p, q, r = prob.person[cand], prob.post[cand], rank[cand]
        best_p = np.full(prob.n_persons, big, dtype=np.int64)
        best_q = np.full(prob.n_posts, big, dtype=np.int64)
        np.minimum.at(best_p, p, r)
        np.minimum.at(best_q, q, r)
        take = cand[(best_p[p] == r) & (best_q[q] == r)]
        tr.person_post[prob.person[take]] = prob.post[take]
        tr.post_person[prob.post[take]] = prob.person[take]
        tr.chosen.extend(take.tolist())  # no side constraint here: no limiter to count
        cand = cand[(tr.person_post[prob.person[cand]] < 0) & (tr.post_person[prob.post[cand]] < 0)]


def _sequential(prob: AssignmentProblem, cand: np.ndarray, tr: _Tracker) -> None:
    for a in cand.tolist():  # side constraints: one pick at a time
        if tr.allowed(a):
            tr.take(a)


def _finish(
    prob: AssignmentProblem, tr: _Tracker, method: str, t0: float, extra: str = ""
) -> Solution:
    missing = np.flatnonzero(prob.must_place & (tr.person_post < 0))
    problems = []
    if missing.size:
        problems.append(f"must-place persons {missing[:10].tolist()} got no post")
    short = tr.lower_bounds_ok()
    if short:
        problems.append("lower bounds not reached: " + ", ".join(short))
    if not problems and tr.checks:
        broken = side_violations(prob, np.asarray(tr.chosen, dtype=np.int64))
        if broken:  # e.g. the pins alone break a limit
            problems.append("constraints broken: " + ", ".join(broken))
    if problems:
        return Solution(
            status=Status.UNKNOWN,
            wall_time=time.perf_counter() - t0,
            method=method,
            message=f"{method} got stuck: " + "; ".join(problems),
        )
    return build_solution(
        prob,
        np.asarray(tr.chosen, dtype=np.int64),
        Status.FEASIBLE,
        method,
        time.perf_counter() - t0,
        message=extra,
    )


def _place_must(
    prob: AssignmentProblem, tr: _Tracker, usable: np.ndarray, order: np.ndarray
) -> None:
    """Must-place persons still without a post: their stay arc, else their best free arc."""
    need = prob.must_place & (tr.person_post < 0)
    if not need.any():
        return
    stay = np.flatnonzero(usable & prob.is_stay & need[prob.person])
    for a in stay.tolist():
        if tr.allowed(a):
            tr.take(a)
    need = prob.must_place & (tr.person_post < 0)
    if need.any():
        rest = order[need[prob.person[order]] & usable[order]]
        for a in rest.tolist():
            if tr.person_post[prob.person[a]] < 0 and tr.allowed(a):
                tr.take(a)


def greedy(prob: AssignmentProblem, *, settings: Settings | None = None) -> Solution:
    """Highest score first: take each arc whose person and post are both free.

    Posts held by must-place persons are kept for them until they have
    moved; must-place persons left over then take their stay arc (or their
    best free arc); posts their holders left are then filled greedily. So
    when every must-place person has a stay arc and staying breaks no side
    constraint, the result is a valid plan.

    Parameters
    ----------
    prob
        The problem.
    settings
        ``greedy_block``: arcs per block of the vectorised rounds.

    Returns
    -------
    Solution
        Method ``"greedy"``, status FEASIBLE (or UNKNOWN if stuck).

    Examples
    --------
    >>> import numpy as np
    >>> from solvers import AssignmentProblem
    >>> prob = AssignmentProblem(n_persons=2, n_posts=2, person=np.array([0, 0, 1]),
    ...                          post=np.array([0, 1, 0]), score=np.array([5, 4, 4]))
    >>> from solvers import solve
    >>> greedy(prob).objective, solve(prob).objective  # greedy takes (0, 0) first
    (5, 8)
    """
    t0 = time.perf_counter()
    settings = Settings() if settings is None else settings
    tr = _Tracker(prob)
    for a in prob.pin_arcs.tolist():
        tr.take(a)
    compiled = not tr.checks and prob.n_arcs >= settings.kernel_min_arcs
    if compiled and _greedy_compiled(prob, tr):
        return _finish(prob, tr, "greedy", t0)
    usable = _usable(prob)
    # best first: score descending, then canonical (person, post) order
    order = _best_first(prob)
    rank = np.empty(prob.n_arcs, dtype=np.int64)
    rank[order] = np.arange(prob.n_arcs)
    held_by_must = np.zeros(prob.n_posts, dtype=bool)
    must_home = prob.home[prob.must_place & (prob.home >= 0)]
    held_by_must[must_home] = True
    holder = tr.holder
    # phase 1: positive arcs, posts of must-place holders reserved for them
    reserved = held_by_must[prob.post] & (holder[prob.post] != prob.person)
    phase1 = order[(usable & ~reserved & (prob.score > 0))[order]]
    run = _sequential if tr.checks else _rounds_runner(rank, settings.greedy_block)
    run(prob, phase1, tr)
    # phase 2: must-place persons without a post
    _place_must(prob, tr, usable, order)
    # phase 3: posts whose must-place holders moved are free now
    phase3 = order[(usable & reserved & (prob.score > 0))[order]]
    run(prob, phase3, tr)
    return _finish(prob, tr, "greedy", t0)


def _greedy_compiled(prob: AssignmentProblem, tr: _Tracker) -> bool:
    """The three phases of :func:`greedy` without side constraints, each one
    compiled pass over the arcs in best-first order (a province round: tens
    of millions of arcs); False when the scores span too many values for
    the counting sort. Arcs of pinned persons and posts need no mask: the
    pins are taken first, so the passes find their persons and posts taken."""
    from solvers.kernels import greedy_scan

    got = _positive_best_first(prob)
    if got is None:
        return False
    held_by_must = np.zeros(prob.n_posts, dtype=bool)
    held_by_must[prob.home[prob.must_place & (prob.home >= 0)]] = True
    state = (held_by_must, tr.holder)
    taken = (tr.person_post, tr.post_person)
    tr.chosen.extend(greedy_scan(*got, *state, False, *taken).tolist())
    if (prob.must_place & (tr.person_post < 0)).any():
        _place_must(prob, tr, _usable(prob), _best_first(prob))
    tr.chosen.extend(greedy_scan(*got, *state, True, *taken).tolist())
    return True


#: A counting sort's keys may span at most this many values (scores on a
#: scale of a few thousand): beyond, the baselines sort by merge sort.
_BUCKETS_MAX = 1 << 22


def _positive_best_first(
    prob: AssignmentProblem,
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """The arcs of positive score, not banned, score descending then in
    canonical order, with their persons and posts (32-bit where they fit;
    :func:`solvers.kernels.best_first`); None when the scores span more than
    ``_BUCKETS_MAX`` values."""
    from solvers.kernels import best_first

    score = prob.score
    top = int(score.max()) if score.size else 0
    n_keys = top - max(int(score.min()), 1) + 1 if top > 0 else 0
    if n_keys > _BUCKETS_MAX:
        return None
    size = sum(int(np.count_nonzero(score[lo : lo + _BLOCK] > 0)) for lo in _blocks(prob))
    ids = np.int32 if prob.n_arcs < 2**31 else np.int64
    arc = np.empty(size, dtype=ids)
    p = np.empty(size, dtype=np.int32 if prob.n_persons < 2**31 else np.int64)
    q = np.empty(size, dtype=np.int32 if prob.n_posts < 2**31 else np.int64)
    if not size:
        return arc, p, q
    p_start = _person_starts(prob.person, prob.n_persons, _BLOCK)
    banned = prob.banned if prob.bans.shape[0] else np.zeros(0, dtype=bool)
    canon = prob.canonical
    n = best_first(canon, p_start, prob.post, score, banned, top, n_keys, arc, p, q)
    return arc[:n], p[:n], q[:n]


#: Arcs per block of a pass over every arc: its temporaries stay a few MB.
_BLOCK = 1 << 22


def _blocks(prob: AssignmentProblem) -> range:
    return range(0, prob.n_arcs, _BLOCK)


def _person_starts(person: np.ndarray, n_persons: int, block: int = _BLOCK) -> np.ndarray:
    """Where each person's arcs start in canonical order (``n_persons + 1``
    offsets, int64): the arcs per person counted a block at a time, since
    ``np.bincount`` copies 32-bit persons into an int64 array first (a GB at
    a province round's 125 M arcs)."""
    start = np.zeros(n_persons + 1, dtype=np.int64)
    counts = start[1:]
    for lo in range(0, person.size, block):
        counts += np.bincount(person[lo : lo + block], minlength=n_persons)
    np.cumsum(counts, out=counts)
    return start


def _rounds_runner(rank: np.ndarray, block: int):
    def run(prob: AssignmentProblem, cand: np.ndarray, tr: _Tracker) -> None:
        _rounds(prob, cand, rank, tr, block)

    return run


def cascade(prob: AssignmentProblem, *, settings: Settings | None = None) -> Solution:
    """Fill vacant posts one at a time; a post left by a mover joins the queue.

    The queue starts with the posts that have no home person, in index
    order (plus posts left by pinned persons). Each post takes its best
    free candidate with a positive score (highest score, then lowest
    person index); an incumbent who takes it frees a home post, which is
    appended to the queue. Persons who did not move stay. This is the
    single-path cascade of older HR suites: no look-ahead, no exchange.

    Parameters
    ----------
    prob
        The problem.
    settings
        Taken as :func:`greedy` takes it; the cascade has nothing to tune (each
        post's candidates are sorted when the queue reaches it).

    Returns
    -------
    Solution
        Method ``"cascade"``, status FEASIBLE (or UNKNOWN if stuck).
    """
    t0 = time.perf_counter()
    tr = _Tracker(prob)
    for a in prob.pin_arcs.tolist():
        tr.take(a)
    candidates = _PostCandidates(prob)
    home = prob.home
    holder = tr.holder
    depth = np.zeros(prob.n_posts, dtype=np.int64)
    queue = [int(j) for j in np.flatnonzero(holder < 0) if tr.post_person[j] < 0]
    for a in prob.pin_arcs.tolist():
        i = int(prob.person[a])
        if home[i] >= 0 and home[i] != prob.post[a]:
            queue.append(int(home[i]))
    depth[queue] = 1
    k = tr.chain.k if tr.chain is not None else None
    head = 0
    while head < len(queue):
        j = queue[head]
        head += 1
        if tr.post_person[j] >= 0 or (k is not None and depth[j] > k):
            continue
        a = _first_free(tr, *candidates.of(j), home, j)
        if a < 0:
            continue
        i = int(prob.person[a])
        tr.take(a)
        if home[i] >= 0 and home[i] != j:
            depth[home[i]] = depth[j] + 1
            queue.append(int(home[i]))
    # everyone who did not move stays, when staying is allowed and worth it
    stay = np.flatnonzero(prob.is_stay)
    stay = stay[_usable(prob, stay)]
    stay = stay[(tr.person_post[prob.person[stay]] < 0) & (tr.post_person[prob.post[stay]] < 0)]
    stay = stay[prob.must_place[prob.person[stay]] | (prob.score[stay] >= 0)]
    for a in stay.tolist():
        if tr.allowed(a):
            tr.take(a)
    if (prob.must_place & (tr.person_post < 0)).any():
        _place_must(prob, tr, _usable(prob), _best_first(prob))
    return _finish(prob, tr, "cascade", t0)


def _stable_by(order: np.ndarray, key: np.ndarray) -> np.ndarray:
    """``order`` stably sorted by ``key[order]`` (ascending): numpy's radix sort
    when the key's range fits 16 bits (scores, posts of a province), else a
    merge sort."""
    k = key[order]
    if k.size and int(k.max()) - int(k.min()) < 2**16:
        k = (k - k.min()).astype(np.uint16)
    return order[np.argsort(k, kind="stable")]


def _best_first(prob: AssignmentProblem) -> np.ndarray:
    """Every arc, score descending, then canonical ``(person, post)`` order."""
    return _stable_by(prob.canonical, -prob.score.astype(np.int64))


class _PostCandidates:
    """Each post's candidates for the cascade, best first (score descending,
    then person), sorted when the queue first reaches the post.

    Only the posts a cascade fills are ever sorted (a province round: about
    a thousand posts of five thousand, of twenty million arcs); sorting
    every arc by score and grouping them by post was a second of a
    province round. Arcs of pinned persons and posts are left in: the queue
    never holds a pinned post, and a pinned person is never free.
    """

    def __init__(self, prob: AssignmentProblem) -> None:
        self.prob = prob
        self.sorted: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        post = prob.post
        # a round's arcs come in a few runs sorted by post (the candidates by
        # post, the stay arcs after them): each post's arcs are found in each
        # run by bisection, and nothing the length of the arcs is sorted
        cut = np.flatnonzero(post[1:] < post[:-1]) + 1
        self.runs: list[tuple[int, int]] | None = None
        if cut.size < _FEW_RUNS:
            bounds = np.r_[0, cut, post.size].tolist()
            self.runs = list(itertools.pairwise(bounds))
            return
        order = np.argsort(post, kind="stable")
        self.order = order.astype(np.int32) if prob.n_arcs < 2**31 else order
        self.starts = np.searchsorted(post[self.order], np.arange(prob.n_posts + 1))

    def arcs_of(self, j: int) -> np.ndarray:
        """Every arc into post ``j`` (int64)."""
        if self.runs is None:
            return self.order[self.starts[j] : self.starts[j + 1]].astype(np.int64)
        post = self.prob.post
        # the needle in the arcs' own type: a Python int (or int64) against
        # int32 posts makes numpy cast the whole run before each search
        key = post.dtype.type(j)
        found = []
        for lo, hi in self.runs:
            run = post[lo:hi]
            a, b = np.searchsorted(run, key, "left"), np.searchsorted(run, key, "right")
            found.append(np.arange(lo + a, lo + b, dtype=np.int64))
        return np.concatenate(found)

    def of(self, j: int) -> tuple[np.ndarray, np.ndarray]:
        """Post ``j``'s arcs of positive score, not banned, best first; and their persons."""
        got = self.sorted.get(j)
        if got is None:
            prob = self.prob
            arcs = self.arcs_of(j)
            score = prob.score[arcs]
            keep = score > 0
            if prob.bans.shape[0]:
                keep &= ~prob.banned[arcs]
            arcs, score = arcs[keep], score[keep]
            persons = prob.person[arcs]
            best = np.lexsort((persons, -score.astype(np.int64)))
            got = self.sorted[j] = (arcs[best], persons[best])
        return got


#: Arcs in fewer runs sorted by post than this are searched run by run
#: (:class:`_PostCandidates`); in more, grouped by a stable sort.
_FEW_RUNS = 16


def _first_free(
    tr: _Tracker, arcs: np.ndarray, persons: np.ndarray, home: np.ndarray, j: int
) -> int:
    """The best candidate of post ``j`` (``arcs``, their ``persons``, best
    first) who is free to take it, or -1."""
    lo, hi = 0, arcs.size
    step = 64  # most posts find theirs among their first names
    while lo < hi:
        who = persons[lo : min(lo + step, hi)]
        free = tr.person_post[who] < 0
        # a holder's post is only taken after they move
        h = home[who]
        free &= ~((h >= 0) & (h != j) & (tr.post_person[np.maximum(h, 0)] >= 0))
        for k in np.flatnonzero(free).tolist():
            a = int(arcs[lo + k])
            if tr.allowed(a):
                return a
        lo += step
        step *= 4
    return -1
