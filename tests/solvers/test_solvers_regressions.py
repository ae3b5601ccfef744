"""Regression tests, each named after what broke."""

from __future__ import annotations

import doctest
import importlib

import numpy as np
import pytest

from solvers import (
    AssignmentProblem,
    GroupLimit,
    Status,
    cascade,
    forcing_prices,
    greedy,
    solve,
    validate,
)


def test_posts_without_arcs_do_not_shift_local_post_ids_in_one_component() -> None:
    # One component plus posts with no arcs (0 and 2): local post ids were
    # taken from an unsorted order and the flow solved the wrong network.
    prob = AssignmentProblem(
        n_persons=2,
        n_posts=4,
        person=np.array([0, 0, 1]),
        post=np.array([1, 3, 3]),
        score=np.array([5, 1, 4]),
    )
    sol = solve(prob)
    assert sol.objective == 9
    assert sol.post.tolist() == [1, 3]
    assert validate(prob, sol) == []


def test_pins_that_break_a_side_limit_leave_the_baselines_stuck() -> None:
    # The baselines took pins unconditionally and returned an invalid plan.
    prob = AssignmentProblem(
        n_persons=1,
        n_posts=1,
        person=np.array([0]),
        post=np.array([0]),
        score=np.array([0]),
        pins=np.array([[0, 0]]),
        side=[GroupLimit(np.array([0]), 0, "per unit")],
    )
    for baseline in (greedy, cascade):
        sol = baseline(prob)
        assert sol.status == Status.UNKNOWN
        assert validate(prob, sol) == []
    assert solve(prob).status == Status.INFEASIBLE


def test_forcing_an_already_pinned_pair_costs_nothing() -> None:
    prob = AssignmentProblem(
        n_persons=2,
        n_posts=1,
        person=np.array([0, 1]),
        post=np.array([0, 0]),
        score=np.array([1, 5]),
        pins=np.array([[0, 0]]),
    )
    persons, price = forcing_prices(prob, solve(prob), 0)
    assert persons.tolist() == [0, 1]
    assert price.tolist() == [0.0, np.inf]


# Every module of solvers/ (backends included) whose docstrings hold examples.
DOCTEST_MODULES = [
    "solvers",
    "solvers.problem",
    "solvers.solver",
    "solvers.validate",
    "solvers.baselines",
    "solvers.evidence",
    "solvers.duals",
    "solvers.picks",
    "solvers.settings",
    "solvers.constraints",
    "solvers.backends.lagrange",
]


@pytest.mark.parametrize("module", DOCTEST_MODULES)
def test_docstring_examples_run(module: str) -> None:
    mod = importlib.import_module(module)
    result = doctest.testmod(mod, optionflags=doctest.NORMALIZE_WHITESPACE)
    # A module whose examples were all lost (or never collected) would pass on
    # failed == 0 alone: some example must have run.
    assert result.attempted > 0, f"{module}: no docstring example ran"
    assert result.failed == 0


def test_every_module_with_examples_is_run() -> None:
    from pathlib import Path

    import solvers

    folder = Path(solvers.__file__).parent
    with_examples = set()
    for path in folder.rglob("*.py"):
        if ">>> " not in path.read_text(encoding="utf-8"):
            continue
        parts = ("solvers", *path.relative_to(folder).with_suffix("").parts)
        with_examples.add(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    assert with_examples == set(DOCTEST_MODULES)
