"""The compiled pass and the numpy path pick each post's same first pairs, and both are the
plain sort of a post's pairs (engine.kernels.shown_first, engine.succession.shown.top)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.kernels import count_flagged
from engine.succession.shown import post_counts
from engine.succession.shown import top as _top


def _plain(post, fit, person, nip_rank, n_posts, k, years):
    """Each post's pairs sorted by (years, -fit to one decimal, NIP rank), the first k."""
    out = []
    for j in range(n_posts):
        pairs = [a for a in range(len(post)) if post[a] == j]
        pairs.sort(
            key=lambda a: (
                0 if years is None else int(years[a]),
                -round(float(fit[a]) * 10),
                int(nip_rank[person[a]]),
            )
        )
        out += pairs[:k]
    return sorted(out)


@st.composite
def _pairs(draw):
    n_people = draw(st.integers(1, 12))
    n_posts = draw(st.integers(1, 6))
    cells = draw(
        st.lists(
            st.tuples(st.integers(0, n_posts - 1), st.integers(0, n_people - 1)),
            unique=True,
            max_size=60,
        )
    )
    tenths = draw(st.lists(st.integers(0, 1000), min_size=len(cells), max_size=len(cells)))
    # fits on one decimal, and a few off it (the rank rounds them)
    noise = draw(
        st.lists(st.sampled_from([0.0, 0.01, -0.04]), min_size=len(cells), max_size=len(cells))
    )
    with_years = draw(st.booleans())
    years = draw(st.lists(st.integers(1, 3), min_size=len(cells), max_size=len(cells)))
    nip_rank = np.array(draw(st.permutations(range(n_people))), dtype=np.int64)
    k = draw(st.integers(0, 6))
    post = np.array([c[0] for c in cells], dtype=np.int64)
    person = np.array([c[1] for c in cells], dtype=np.int64)
    fit = np.clip(np.array(tenths, dtype=np.float64) / 10 + np.array(noise), 0, 100)
    yrs = np.array(years, dtype=np.int64) if with_years else None
    return post, fit, person, nip_rank, n_posts, k, yrs


@settings(max_examples=300, deadline=None)
@given(_pairs())
def test_compiled_and_numpy_picks_are_the_plain_sort(case):
    post, fit, person, nip_rank, n_posts, k, years = case
    compiled = _top(post, fit, person, nip_rank, n_posts, k, years, min_pairs=0)
    # the pairs read a few at a time: each post's best kept from block to block
    blocks = _top(post, fit, person, nip_rank, n_posts, k, years, min_pairs=0, step=7)
    numpy = _top(post, fit, person, nip_rank, n_posts, k, years, min_pairs=10**9)
    expected = _plain(post, fit, person, nip_rank, n_posts, k, years)
    assert compiled.tolist() == expected
    assert blocks.tolist() == expected
    assert numpy.tolist() == expected


def test_a_float32_fit_is_read_as_the_numpy_path_reads_it():
    post = np.zeros(3, dtype=np.int64)
    person = np.arange(3, dtype=np.int64)
    fit = np.array([70.05, 70.15, 70.1], dtype=np.float32)
    rank = np.array([2, 1, 0], dtype=np.int64)
    for k in (1, 2):
        assert (
            _top(post, fit, person, rank, 1, k, min_pairs=0).tolist()
            == _top(post, fit, person, rank, 1, k, min_pairs=10**9).tolist()
        )


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 8).flatmap(
        lambda n_posts: st.tuples(
            st.just(n_posts),
            st.lists(st.booleans(), min_size=1, max_size=15),
            st.lists(st.tuples(st.integers(0, n_posts - 1), st.integers(0, 14)), max_size=80),
        )
    )
)
def test_count_flagged_counts_each_posts_flagged_people(case):
    """The compiled count against a count by hand, pair by pair."""
    n_posts, flags, cells = case
    cells = [(j, i % len(flags)) for j, i in cells]
    post = np.array([c[0] for c in cells], dtype=np.int32)
    person = np.array([c[1] for c in cells], dtype=np.int32)
    flag = np.array(flags, dtype=bool)
    expected = [0] * n_posts
    for j, i in cells:
        expected[j] += flags[i]
    out = np.zeros(n_posts, dtype=np.int64)
    count_flagged(post, person, flag, out)
    assert out.tolist() == expected


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 9), max_size=60), st.integers(10, 14))
def test_post_counts_of_sorted_pairs_count_each_post(posts, n_posts):
    """Pairs per post by binary searches, against counting each post by hand."""
    post = np.array(sorted(posts), dtype=np.int32)
    assert post_counts(post, n_posts).tolist() == [posts.count(j) for j in range(n_posts)]
