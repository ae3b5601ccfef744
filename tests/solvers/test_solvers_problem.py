"""Input checking of AssignmentProblem: every problem reported, clearly."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from solvers import (
    AssignmentProblem,
    DuplicateArcError,
    GroupLimit,
    LinearConstraint,
    MaxChainLength,
    MaxMoves,
    SolverError,
)


def _prob(**kw):
    base = dict(
        n_persons=3,
        n_posts=2,
        person=np.array([0, 1, 2]),
        post=np.array([0, 1, 1]),
        score=np.array([1, 2, 3]),
    )
    base.update(kw)
    return AssignmentProblem(**base)


def test_reports_every_problem_at_once() -> None:
    with pytest.raises(SolverError) as err:
        _prob(person=np.array([0, 5, 2]), score=np.array([1.5, 2, 3]), home=np.array([1, 1, -1]))
    msg = str(err.value)
    assert "3 problems" in msg
    assert "round or scale the scores" in msg
    assert "person: 1 values out of range [0, 3): 5" in msg
    assert "home of more than one person" in msg


@pytest.mark.parametrize(
    ("kw", "fragment"),
    [
        ({"n_persons": -1}, "n_persons must be a non-negative int"),
        ({"post": np.array([0, 1])}, "equal lengths"),
        ({"post": np.array([0, 2, 1])}, "post: 1 values out of range"),
        ({"score": np.array([1, 2, 2**41])}, "|score| must be <= 2**40"),
        ({"home": np.array([0, 1])}, "home has shape (2,), expected (3,)"),
        ({"home": np.array([0, 7, -1])}, "home: 1 values out of range"),
        ({"must_place": np.array([1, 0, 0])}, "must_place must be a bool array"),
        ({"priority": np.array([1, -1])}, "priority tiers must be >= 0"),
        ({"priority": np.array([1])}, "one tier per post"),
        ({"pins": np.array([[0, 1]])}, "pinned pairs are not arcs"),
        ({"pins": np.array([[1, 1], [2, 1]])}, "posts 1 are pinned more than once"),
        ({"pins": np.array([[0, 0]]), "bans": np.array([[0, 0]])}, "pins and bans both name"),
        ({"pins": np.array([0, 0])}, "pins must be 2-dimensional"),
        ({"bans": np.array([[0, 0, 0]])}, "expected (k, 2)"),
        ({"side": [MaxMoves(1, "x"), MaxMoves(2, "x")]}, "names must be distinct"),
        ({"side": [MaxMoves(1, "pins")]}, "reserved"),
        ({"side": ["not a constraint"]}, "is not a side constraint"),
        ({"side": [MaxMoves(-1, "m")]}, "limit must be >= 0"),
        ({"side": [GroupLimit(np.array([0, 1]), 1, "g")]}, "one group per arc"),
        ({"side": [GroupLimit(np.array([0, 1, 2]), np.array([1, 1]), "g")]}, "groups go up to 2"),
        ({"side": [LinearConstraint(np.array([1, 1, 1]), name="l")]}, "give lower, upper or both"),
        ({"side": [LinearConstraint(np.array([1, 1, 1]), 3, 2, "l")]}, "lower 3 > upper 2"),
        ({"side": [MaxChainLength(0, "c")]}, "k must be >= 1"),
        ({"side": [MaxChainLength(2, "a"), MaxChainLength(3, "b")]}, "at most one MaxChainLength"),
    ],
)
def test_bad_input_is_named(kw: dict, fragment: str) -> None:
    with pytest.raises(SolverError) as err:
        _prob(**kw)
    assert fragment in str(err.value)


def test_duplicate_arcs_are_an_error() -> None:
    with pytest.raises(DuplicateArcError, match=r"\(1, 1\); merge them"):
        _prob(person=np.array([0, 1, 1]), post=np.array([0, 1, 1]))


def test_arrays_are_read_only_views() -> None:
    person = np.array([0, 1, 2])
    prob = _prob(person=person)
    with pytest.raises(ValueError):
        prob.person[0] = 2
    person[0] = 1  # the caller's array stays writeable
    assert prob.n_arcs == 3


def test_arc_index_and_canonical_order() -> None:
    prob = _prob(person=np.array([2, 0, 1]), post=np.array([1, 0, 1]))
    assert prob.canonical.tolist() == [1, 2, 0]
    assert prob.arc_index(np.array([0, 2, 1]), np.array([0, 1, 0])).tolist() == [1, 0, -1]


def test_stay_and_move_arcs() -> None:
    prob = _prob(home=np.array([0, 0 + 1, -1]))
    assert prob.is_stay.tolist() == [True, True, False]
    assert prob.is_move.tolist() == [False, False, False]
    prob = _prob(home=np.array([1, -1, 0]))
    assert prob.is_move.tolist() == [True, False, True]


def test_empty_problem_is_fine() -> None:
    prob = AssignmentProblem(
        n_persons=0,
        n_posts=0,
        person=np.zeros(0, int),
        post=np.zeros(0, int),
        score=np.zeros(0, int),
    )
    from solvers import solve, validate

    sol = solve(prob)
    assert sol.objective == 0 and validate(prob, sol) == []


@pytest.mark.parametrize(
    ("kw", "fragment"),
    [
        ({"person": np.array([0, 5, 2])}, "person: 1 values out of range [0, 3): 5"),
        ({"post": np.array([-1, 1, 1])}, "post: 1 values out of range [0, 2): -1"),
        ({"score": np.array([1, -(2**41), 2])}, "|score| must be <= 2**40"),
        ({"post": np.array([0, 1])}, "equal lengths"),
    ],
)
def test_large_arc_sets_are_checked_the_same_by_one_compiled_pass(
    kw: dict, fragment: str, monkeypatch
) -> None:
    import solvers.problem as problem

    monkeypatch.setattr(problem, "COMPILED_CHECK_ARCS", 0)  # every arc set counts as large
    with pytest.raises(SolverError) as err:
        _prob(**kw)
    assert fragment in str(err.value)
    with pytest.raises(DuplicateArcError, match=r"\(1, 1\); merge them"):
        _prob(person=np.array([0, 1, 1]), post=np.array([0, 1, 1]))
    assert _prob().is_canonical
    shuffled = _prob(person=np.array([2, 0, 1]), post=np.array([1, 0, 1]))
    assert not shuffled.is_canonical and shuffled.canonical.tolist() == [1, 2, 0]


def test_a_copy_with_other_pins_shares_the_arcs_look_up_and_finds_the_same_arcs() -> None:
    prob = AssignmentProblem(
        n_persons=3, n_posts=2, person=np.array([2, 0, 1, 0]), post=np.array([0, 1, 0, 0]),
        score=np.array([1, 2, 3, 4]), home=np.array([0, -1, -1]),
    )  # fmt: skip
    assert prob.arc_index(np.array([0, 1]), np.array([0, 0])).tolist() == [3, 2]
    pinned = prob.with_changes(pins=np.array([[1, 0]]), bans=np.array([[0, 1]]))
    assert pinned.canonical is prob.canonical  # shared, not sorted again
    assert pinned.pin_arcs.tolist() == [2] and pinned.banned.tolist() == [False, True, False, False]
    assert pinned._sorted_key is prob._sorted_key
    # the pins' and bans' own arrays are made again for the copy's pairs, not kept
    again = pinned.with_changes(pins=np.array([[2, 0]]), bans=np.array([[0, 0]]))
    assert again.pin_arcs.tolist() == [0] and again.banned.tolist() == [False, False, False, True]
    assert pinned.pin_arcs.tolist() == [2]
    # and the pairs are checked as the constructor checks them
    for bad, fragment in (
        ({"pins": np.array([[1, 1]])}, "pinned pairs are not arcs"),
        ({"pins": np.array([[0, 0]]), "bans": np.array([[0, 0]])}, "pins and bans both name"),
        ({"pins": np.array([[0, 0], [1, 0]])}, "pinned more than once"),
        ({"bans": np.array([[5, 0]])}, "out of range"),
    ):
        with pytest.raises(SolverError, match=fragment):
            prob.with_changes(**bad)
    other = prob.with_changes(person=np.array([0, 1, 2, 2]), post=np.array([1, 1, 1, 0]))
    assert other.canonical is not prob.canonical  # other arcs: nothing shared
    assert other.arc_index(np.array([2, 0]), np.array([0, 1])).tolist() == [3, 0]


@pytest.mark.parametrize("compiled", [False, True])
@pytest.mark.parametrize(
    ("person", "post"),
    [
        ([0, 2, 1, 2, 0], [0, 0, 1, 1, 1]),  # the engine's order: by post, a stay arc appended
        ([2, 0, 1, 0, 2], [1, 1, 1, 0, 0]),  # out of order
    ],
)
def test_a_pair_given_twice_is_refused_in_order_or_not(
    person: list, post: list, compiled: bool, monkeypatch
) -> None:
    import solvers.problem as problem

    if compiled:
        monkeypatch.setattr(problem, "COMPILED_CHECK_ARCS", 0)
    ok = dict(n_persons=3, n_posts=2, person=np.array(person), post=np.array(post))
    prob = AssignmentProblem(**ok, score=np.arange(5))
    # by hand: sorted by (person, post) the arcs are (0,0) (0,1) (1,1) (2,0) (2,1)
    want = {(0, 0): 0, (0, 1): 1, (1, 1): 2, (2, 0): 3, (2, 1): 4}
    got = [(person[a], post[a]) for a in prob.canonical.tolist()]
    assert got == sorted(want) and not prob.is_canonical
    twice = dict(ok, person=np.r_[person, 2], post=np.r_[post, 0])  # (2, 0) appended again
    with pytest.raises(DuplicateArcError, match=r": 1 \(person, post\) pairs .*: \(2, 0\); merge"):
        AssignmentProblem(**twice, score=np.arange(6))
    first = dict(ok, person=np.r_[0, person], post=np.r_[1, post])  # (0, 1) put first
    with pytest.raises(DuplicateArcError, match=r"\(0, 1\); merge them"):
        AssignmentProblem(**first, score=np.arange(6))


def test_a_large_round_in_the_engine_order_is_ordered_as_a_sort_would(monkeypatch) -> None:
    import solvers.problem as problem

    rng = np.random.default_rng(7)
    n, m = 300, 80
    post, person = np.nonzero(rng.random((m, n)) < 0.3)
    held = np.arange(0, m, 2)
    holder = rng.permutation(n)[: held.size]
    keep = ~np.isin(held * n + holder, post * n + person)  # a stay arc is not also eligible
    person, post = np.r_[person, holder[keep]], np.r_[post, held[keep]]
    kw = dict(
        n_persons=n, n_posts=m, person=person, post=post, score=rng.integers(0, 99, post.size)
    )
    small = AssignmentProblem(**kw)
    monkeypatch.setattr(problem, "COMPILED_CHECK_ARCS", 0)
    large = AssignmentProblem(**kw)
    assert large.canonical.tolist() == np.lexsort((post, person)).tolist()
    assert large.canonical.tolist() == small.canonical.tolist()
    large.drop_caches()
    assert large.canonical.tolist() == small.canonical.tolist()


def _engine_order(rng: np.random.Generator, n: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    """Eligible pairs by post, then person, as a round's come (about a third of all)."""
    post, person = np.nonzero(rng.random((m, n)) < 0.3)
    return person, post


@pytest.mark.parametrize(
    ("tail", "repeated"),
    [
        ([], None),
        (["free"], None),  # a stay arc that is not also eligible
        (["free", "other"], None),
        (["free", "free"], "free"),  # a stay arc given twice
        (["other", "first"], "first"),  # the run's first pair again, after it
        (["last"], "last"),  # the run's last pair again, after it
    ],
)
def test_a_round_in_the_engine_order_checks_its_stay_arcs_without_sorting_every_arc(
    tail: list, repeated: str | None, monkeypatch
) -> None:
    """A round's arcs are its eligible pairs by (post, person) and a few stay
    arcs after them: the stay arcs are looked for among the pairs, no
    canonical order is made unless asked for, and a pair given twice is
    refused as the sort refuses it."""
    import solvers.problem as problem

    monkeypatch.setattr(problem, "COMPILED_CHECK_ARCS", 0)
    rng = np.random.default_rng(3)
    n, m = 30, 8
    person, post = _engine_order(rng, n, m)
    taken = set(zip(person.tolist(), post.tolist(), strict=True))
    free = [(p, q) for p in range(n) for q in range(m) if (p, q) not in taken]
    named = {
        "free": free[0],
        "other": free[-1],
        "first": (int(person[0]), int(post[0])),
        "last": (int(person[-1]), int(post[-1])),
    }
    pairs = [named[t] for t in tail]
    person = np.r_[person, [p for p, _ in pairs]].astype(np.int64)
    post = np.r_[post, [q for _, q in pairs]].astype(np.int64)
    kw = dict(n_persons=n, n_posts=m, person=person, post=post, score=np.zeros(post.size, int))
    if repeated is not None:
        shown = "({}, {})".format(*named[repeated])
        with pytest.raises(DuplicateArcError, match=re.escape(shown) + "; merge them"):
            AssignmentProblem(**kw)
        return
    prob = AssignmentProblem(**kw)
    assert "_canonical" not in prob.__dict__  # not sorted on the way in
    assert prob.canonical.tolist() == np.lexsort((post, person)).tolist()
    qp, qq = np.divmod(np.arange(n * m), m)
    arc_of = {
        (p, q): a for a, (p, q) in enumerate(zip(person.tolist(), post.tolist(), strict=True))
    }
    want = [arc_of.get((p, q), -1) for p, q in zip(qp.tolist(), qq.tolist(), strict=True)]
    assert prob.arc_index(qp, qq).tolist() == want


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n_tail=st.integers(0, 12), twice=st.booleans())
def test_the_engine_order_check_refuses_exactly_the_pairs_the_sort_refuses(
    seed: int, n_tail: int, twice: bool
) -> None:
    """Against the plain sort (a small arc set, numpy's path): the same
    problems accepted, and the same pairs named when one is given twice."""
    import solvers.problem as problem

    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(20, 40)), int(rng.integers(4, 10))
    person, post = _engine_order(rng, n, m)
    if person.size == 0:
        return
    tail_p = rng.integers(0, n, n_tail)
    tail_q = rng.integers(0, m, n_tail)
    if twice and n_tail:
        tail_p[-1], tail_q[-1] = tail_p[0], tail_q[0]
    person, post = np.r_[person, tail_p], np.r_[post, tail_q]
    kw = dict(n_persons=n, n_posts=m, person=person, post=post, score=np.zeros(post.size, int))

    def outcome(threshold: int) -> str:
        old = problem.COMPILED_CHECK_ARCS
        problem.COMPILED_CHECK_ARCS = threshold
        try:
            prob = AssignmentProblem(**kw)
        except DuplicateArcError as exc:
            return str(exc)
        finally:
            problem.COMPILED_CHECK_ARCS = old
        return str(prob.canonical.tolist())

    assert outcome(0) == outcome(10**9)


def test_a_large_round_finds_each_pair_without_a_sorted_key(monkeypatch) -> None:
    import solvers.problem as problem

    monkeypatch.setattr(problem, "COMPILED_CHECK_ARCS", 0)  # every arc set counts as large
    rng = np.random.default_rng(11)
    n, m = 40, 30
    post, person = np.nonzero(rng.random((m, n)) < 0.3)
    turn = rng.permutation(post.size)
    person, post = person[turn], post[turn]
    prob = AssignmentProblem(n_persons=n + 1, n_posts=m, person=person, post=post,
                             score=np.zeros(post.size, int))  # fmt: skip
    arc_of = {
        (p, q): a for a, (p, q) in enumerate(zip(person.tolist(), post.tolist(), strict=True))
    }
    qp, qq = np.divmod(np.arange((n + 1) * m), m)  # every pair, person n has no arcs
    want = [arc_of.get((p, q), -1) for p, q in zip(qp.tolist(), qq.tolist(), strict=True)]
    assert prob.arc_index(qp, qq).tolist() == want
    assert "_sorted_key" not in prob.__dict__
    banned = prob.with_changes(bans=np.array([[person[0], post[0]]]))
    assert banned._person_start is prob._person_start
    assert np.flatnonzero(banned.banned).tolist() == [0]


@pytest.mark.parametrize("compiled", [False, True])
def test_int32_pairs_are_kept_as_given_and_checked_as_int64_ones(compiled, monkeypatch) -> None:
    import solvers.problem as problem

    if compiled:
        monkeypatch.setattr(problem, "COMPILED_CHECK_ARCS", 0)
    person = np.array([0, 2, 1, 2], dtype=np.int32)
    post = np.array([0, 0, 1, 1], dtype=np.int32)
    prob = AssignmentProblem(n_persons=3, n_posts=2, person=person, post=post,
                             score=np.arange(4, dtype=np.int32))  # fmt: skip
    # Indices kept (no copy), the score made int64.
    assert prob.person.dtype == np.int32 and np.shares_memory(prob.person, person)
    assert prob.post.dtype == np.int32 and np.shares_memory(prob.post, post)
    assert prob.score.dtype == np.int64
    # by hand: sorted by (person, post) the arcs are (0,0) (1,1) (2,0) (2,1): arcs 0 2 1 3
    assert prob.canonical.tolist() == [0, 2, 1, 3]
    assert prob.canonical.dtype == (np.int32 if compiled else np.int64)  # the compiled: 4 bytes
    assert prob.key.dtype == np.int64 and prob.key.tolist() == [0, 4, 3, 5]
    assert prob.arc_index(np.array([2, 1, 0]), np.array([1, 0, 1])).tolist() == [3, -1, -1]
    twice = np.r_[person, np.int32(1)], np.r_[post, np.int32(1)]  # (1, 1) again
    assert twice[0].dtype == np.int32
    with pytest.raises(DuplicateArcError, match=r": 1 \(person, post\) pairs .*: \(1, 1\); merge"):
        AssignmentProblem(n_persons=3, n_posts=2, person=twice[0], post=twice[1],
                          score=np.arange(5))  # fmt: skip
    bad = np.array([0, 3, 1, 2], dtype=np.int32)
    with pytest.raises(SolverError, match=r"person: 1 values out of range \[0, 3\): 3"):
        AssignmentProblem(n_persons=3, n_posts=2, person=bad, post=post, score=np.arange(4))


def test_the_key_of_int32_pairs_does_not_overflow() -> None:
    # 50,000 x 50,000 pairs: person 49,999 at post 49,999 has key 49,999 x 50,000 + 49,999
    # = 2,499,999,999, past int32's 2,147,483,647.
    prob = AssignmentProblem(
        n_persons=50_000,
        n_posts=50_000,
        person=np.array([49_999], dtype=np.int32),
        post=np.array([49_999], dtype=np.int32),
        score=np.array([1]),
    )
    assert prob.key.tolist() == [2_499_999_999]


def test_pairs_of_mixed_integer_types_give_the_int64_problems_plan() -> None:
    import solvers

    rng = np.random.default_rng(3)
    n, m = 30, 12
    post, person = np.nonzero(rng.random((m, n)) < 0.4)
    score = rng.integers(-5, 60, post.size)
    home = np.full(n, -1)
    home[:6] = np.arange(6)
    base = dict(n_persons=n, n_posts=m, score=score, home=home)
    want = solvers.solve(AssignmentProblem(**base, person=person, post=post))
    for p_type, q_type, s_type in ((np.int32, np.int64, np.int64), (np.int16, np.int32, np.int32),
                                   (np.uint16, np.uint8, np.int16)):  # fmt: skip
        prob = AssignmentProblem(
            **dict(base, score=score.astype(s_type)),
            person=person.astype(p_type),
            post=post.astype(q_type),
        )
        assert prob.person.dtype in (np.int32, np.int64) and prob.post.dtype in (
            np.int32,
            np.int64,
        )
        got = solvers.solve(prob)
        assert got.status == want.status == solvers.Status.OPTIMAL
        assert got.arc.tolist() == want.arc.tolist() and got.objective == want.objective
        assert solvers.validate(prob, got) == []


@pytest.mark.parametrize("dtype", [np.int32, np.int64])
def test_stay_arcs_are_found_block_by_block_as_in_one_pass(monkeypatch, dtype):
    """``is_stay`` walks the arcs a block at a time: with blocks of 7 arcs
    over 50 arcs of 6 persons (the last block short), an arc is a stay
    exactly where the post is its person's home, -1 (no home) never one."""
    import solvers.problem as problem

    monkeypatch.setattr(problem, "_BLOCK", 7)
    home = np.array([2, -1, 0, 4, 5, 1])
    person = np.repeat(np.arange(6), 9)[:50].astype(dtype)
    post = np.tile(np.arange(9), 6)[:50].astype(dtype)
    prob = AssignmentProblem(
        n_persons=6,
        n_posts=9,
        person=person,
        post=post,
        score=np.ones(50, dtype=np.int64),
        home=home,
    )
    # worked by hand: person i's arcs are 9 * i + (0..8); the stays are
    # 0*9+2, 2*9+0, 3*9+4, 4*9+5 and 5*9+1 (person 1 has no home)
    assert np.flatnonzero(prob.is_stay).tolist() == [2, 18, 31, 41, 46]
