"""The connected components of a flow network (solvers.backends.network):
the vectorised pass of small arc sets against scipy's, which it replaces on
a small round, and against components worked out by hand."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from solvers import AssignmentProblem, Settings
from solvers.backends.network import components_of, prepare


def _scipy(p: np.ndarray, q: np.ndarray, n: int, m: int) -> tuple[int, list[int]]:
    graph = csr_matrix((np.ones(p.size), (p, n + q)), shape=(n + m, n + m))
    count, labels = connected_components(graph, directed=False)
    return int(count), labels.tolist()


@settings(max_examples=400, deadline=None)
@given(
    n=st.integers(1, 40),
    m=st.integers(1, 40),
    pairs=st.lists(st.tuples(st.integers(0, 39), st.integers(0, 39)), max_size=120),
    ids=st.sampled_from([np.int32, np.int64]),
    by_person=st.booleans(),
)
def test_components_are_scipys_on_random_graphs(
    n: int, m: int, pairs: list[tuple[int, int]], ids: type, by_person: bool
) -> None:
    """Same count, same component of every node, same numbering (by smallest
    node), repeated arcs and nodes without arcs included, in any arc order."""
    p = np.array([a % n for a, _ in pairs], dtype=ids)
    q = np.array([b % m for _, b in pairs], dtype=ids)
    if by_person:  # as prepare() passes them
        order = np.argsort(p, kind="stable")
        p, q = p[order], q[order]
    count, labels = components_of(p, q, n, m)
    assert labels.dtype == np.int64
    assert (count, labels.tolist()) == _scipy(p, q, n, m)


@pytest.mark.parametrize("seed", range(6))
def test_components_are_scipys_on_long_paths_and_blocks(seed: int) -> None:
    """Shapes that need many hooking passes: a path through every node in an
    order the seed shuffles, and blocks of posts shared by a few persons."""
    rng = np.random.default_rng(seed)
    n = m = 300
    persons, posts = rng.permutation(n), rng.permutation(m)
    p = np.r_[persons, persons[1:]]  # person k - post k - person k+1 - ...
    q = np.r_[posts, posts[:-1]]
    blocks = rng.integers(0, n, 200)
    p = np.r_[p[: 2 * n - 1 - 100 * (seed % 3)], blocks]
    q = np.r_[q[: 2 * n - 1 - 100 * (seed % 3)], (blocks * 7 + rng.integers(0, 3, 200)) % m]
    count, labels = components_of(p, q, n, m)
    assert (count, labels.tolist()) == _scipy(p, q, n, m)


def test_components_worked_by_hand() -> None:
    """Persons 0-2 are nodes 0-2, posts 0-2 nodes 3-5. Arcs (2, 0) and (0, 2)
    join nodes 2-3 and 0-5; person 1 and post 1 (node 4) have no arc:
    components {0, 5}, {1}, {2, 3}, {4}, numbered by their smallest node."""
    count, labels = components_of(np.array([0, 2]), np.array([2, 0]), 3, 3)
    assert count == 4
    assert labels.tolist() == [0, 1, 2, 2, 3, 0]


def test_no_arcs_every_node_its_own_component() -> None:
    count, labels = components_of(np.zeros(0, np.int64), np.zeros(0, np.int64), 2, 3)
    assert count == 5
    assert labels.tolist() == [0, 1, 2, 3, 4]


def test_prepare_gives_the_compiled_components_from_its_threshold_on() -> None:
    """Below ``kernel_min_arcs`` prepare() uses the vectorised pass, from it
    on the compiled union-find: the same labels on the same round."""
    rng = np.random.default_rng(7)
    n, m = 40, 30
    key = np.unique(rng.integers(0, n, 60) * m + rng.integers(0, m, 60))
    prob = AssignmentProblem(
        n_persons=n, n_posts=m, person=key // m, post=key % m, score=rng.integers(1, 50, key.size)
    )
    small = prepare(prob, settings=dataclasses.replace(Settings(), kernel_min_arcs=10**9))
    compiled = prepare(prob, settings=dataclasses.replace(Settings(), kernel_min_arcs=0))
    assert small.labels.tolist() == compiled.labels.tolist()
    ref = _scipy(prob.person, prob.post, n, m)[1]
    assert small.labels.tolist() == ref
