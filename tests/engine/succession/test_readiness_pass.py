"""Ready soon from one pass over groups of posts, against pair tables of the rules taken apart.

The oracle is eligibility's own join method (find_candidates, every post at
once) run twice per year: once with the hard rules that do not improve with
time, on the people today; once with the improving ones, on the people as
they will be ``y`` years on. A pair is ready soon in the first year it is in
both tables and not ready now. engine.succession.readiness.bench_pass must
give exactly those pairs, years and fits, and the same exclusion counts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np
import pytest
from factories import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.eligibility.candidates import find_candidates
from engine.inputs.derive import Posts, shift_years
from engine.inputs.progression import load_rank_progression
from engine.plan.pipeline import load_context, round_setup
from engine.rules.ruleset import LoadedRule, RuleSet
from engine.succession import readiness as readiness_module
from engine.succession.graph import successors
from engine.succession.readiness import _first_allowed, project_people, readiness, time_improving

PROGRESSION = load_rank_progression(ROOT / "rules/kenaikan-pangkat.yaml")


class _Only(RuleSet):
    """The rules of ``full`` that ``keep`` accepts, with ``full``'s masks."""

    def __init__(self, full: RuleSet, day: dt.date, keep: Callable[[LoadedRule], bool]):
        super().__init__(full.rules, full.files)
        self._full, self._day, self._keep = full, day, keep

    def applicable(self, day: dt.date, posts: Posts) -> list[tuple[LoadedRule, np.ndarray]]:
        return [(r, m) for r, m in self._full.applicable(self._day, posts) if self._keep(r)]


def _pairs(ctx, setup, who, rules, when) -> tuple[set[tuple[int, int]], object]:
    c = find_candidates(
        who,
        ctx.posts,
        rules,
        ctx.taxonomy,
        when,
        pool=setup.pool,
        allowed=setup.moves.allowed,
        unknown=ctx.loaded.scenario.unknown,
        method="join",
    )
    c = setup.moves.restrict(c, ctx.people, ctx.posts)
    return set(zip(c.post.tolist(), c.person.tolist(), strict=True)), c


@pytest.mark.parametrize("scenario", ["demo.yaml", "dalam-kecamatan.yaml"])
@pytest.mark.parametrize("progression", [None, PROGRESSION], ids=["fixed", "progression"])
def test_ready_soon_is_the_pair_tables_intersection(scenario, progression):
    ctx = load_context(ROOT / "scenarios" / scenario)
    setup = round_setup(ctx)

    def improving(r: LoadedRule) -> bool:
        return r.rule.hard and time_improving(r.rule, progression is not None)

    ready = readiness(ctx, years=2, progression=progression, shown=None)
    now = set(zip(ready.now_post.tolist(), ready.now_person.tolist(), strict=True))
    static, static_c = _pairs(
        ctx, setup, ctx.people, _Only(ctx.ruleset, ctx.day, lambda r: not improving(r)), ctx.day
    )
    want: dict[tuple[int, int], int] = {}
    for y in (1, 2):
        when = shift_years(ctx.day, y)
        later = project_people(ctx, when, progression)
        grown, grown_c = _pairs(ctx, setup, later, _Only(ctx.ruleset, ctx.day, improving), when)
        for pair in sorted((static & grown) - now):
            want.setdefault(pair, y)
    got = {
        (int(j), int(i)): int(y)
        for j, i, y in zip(ready.soon_post, ready.soon_person, ready.soon_years, strict=True)
    }
    assert got == want
    assert len(got) > 100
    # Pairs come in post order, then person (the graph's and the bench's order).
    keys = ready.soon_post.astype(np.int64) * ctx.people.n + ready.soon_person
    assert (np.diff(keys) > 0).all()
    # Exclusions: the static rules today, the improving ones at the window's end.
    for j in range(ctx.posts.n):
        assert dict(ready.excluded[j]) == {**static_c.excluded[j], **grown_c.excluded[j]}


@pytest.mark.parametrize("scenario", ["demo.yaml", "dalam-kecamatan.yaml"])
@pytest.mark.parametrize("shown", [0, 1, 5])
@pytest.mark.parametrize("compiled", [False, True], ids=["numpy", "compiled"])
def test_kept_ready_soon_are_each_posts_first_of_every_pair(scenario, shown, compiled, monkeypatch):
    """Readiness keeps of a post's ready-soon pairs only those a bench shows first (soonest,
    then best fit to one decimal, then NIP), and counts every one: against every pair,
    sorted one post at a time; picked with numpy (a regency) or by the compiled pass (a
    province's, here from any number of pairs)."""
    if compiled:
        monkeypatch.setattr(readiness_module, "KERNEL_MIN_PAIRS", 0)
    ctx = load_context(ROOT / "scenarios" / scenario)
    every = readiness(ctx, years=2, progression=PROGRESSION, shown=None)
    kept = readiness(ctx, years=2, progression=PROGRESSION, shown=shown)
    nip = [str(x) for x in ctx.people.nip]
    by_post: dict[int, list[tuple[int, float, int]]] = {}
    for i, j, f, y in zip(
        every.soon_person, every.soon_post, every.soon_fit, every.soon_years, strict=True
    ):
        by_post.setdefault(int(j), []).append((int(i), float(f), int(y)))
    want = []
    for j in sorted(by_post):
        first = sorted(by_post[j], key=lambda p: (p[2], -int(np.rint(p[1] * 10)), nip[p[0]]))
        want += sorted((j, i, f, y) for i, f, y in first[:shown])
    got = list(
        zip(
            kept.soon_post.tolist(),
            kept.soon_person.tolist(),
            kept.soon_fit.tolist(),
            kept.soon_years.tolist(),
            strict=True,
        )
    )
    assert got == want
    counts = [len(by_post.get(j, [])) for j in range(ctx.posts.n)]
    assert kept.n_soon.tolist() == every.n_soon.tolist() == counts
    assert max(counts) > 5  # some post has more ready soon than a bench shows
    assert kept.soon_shown == shown and every.soon_shown is None


def test_a_bench_cannot_show_more_ready_soon_than_readiness_kept():
    ctx = load_context(ROOT / "scenarios" / "demo.yaml")
    kept = readiness(ctx, years=2, progression=PROGRESSION, shown=3)
    assert len(successors(ctx, kept, per_post=3).person) > 0
    with pytest.raises(AssertionError, match="4 ready-soon successors per post asked for"):
        successors(ctx, kept, per_post=4)


@pytest.fixture(scope="module")
def kecamatan():
    ctx = load_context(ROOT / "scenarios/dalam-kecamatan.yaml")
    setup = round_setup(ctx)
    return ctx, setup, setup.moves.places(ctx.people, ctx.posts)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(0, 7), share=st.floats(0.0, 1.0))
def test_first_allowed_is_the_whole_filters_first(kecamatan, seed, n, share):
    """A post's first near misses from a growing prefix equal the move policy applied to every
    one of them, then cut (moves within a kecamatan: most people are turned away)."""
    ctx, setup, places = kecamatan
    rng = np.random.default_rng(seed)
    who = rng.permutation(ctx.people.n)[: int(share * ctx.people.n)]
    j = int(rng.integers(ctx.posts.n))
    whole = who[setup.moves.at(ctx.people, ctx.posts, j, places, who)][:n]
    assert _first_allowed(setup, ctx, j, places, who, n).tolist() == whole.tolist()
