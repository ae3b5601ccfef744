"""Potentials of the residual graph (solvers/duals.py)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import solvers.backends.mcf as mcf
from solvers.duals import Residual


def _optimal_residual(seed: int) -> Residual:
    """The residual graph of an optimal flow on a small random network."""
    rng = np.random.default_rng(seed)
    n_p, n_q = int(rng.integers(2, 15)), int(rng.integers(2, 15))
    key = np.unique(np.repeat(np.arange(n_p), 3) * n_q + rng.integers(0, n_q, n_p * 3))
    pl, ql = key // n_q, key % n_q
    cost = -rng.integers(-20, 60, pl.size)
    may_leave = np.ones(n_p, dtype=bool)
    used = mcf.run_mcf(n_p, n_q, pl, ql, cost, may_leave) > 0
    return Residual(n_p, n_q, pl, ql, cost, used, may_leave)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), shift=st.integers(-5, 5))
def test_set_potentials_takes_valid_potentials_only(seed: int, shift: int) -> None:
    res = _optimal_residual(seed)
    assert res.compute_potentials()
    assert res.d is not None
    good = res.d.copy()
    fresh = _optimal_residual(seed)
    assert fresh.set_potentials(good + shift)  # a common shift changes no reduced cost
    assert fresh.d is not None and (fresh.d == good + shift).all()
    # break one residual arc: raise its head's potential past the arc's reduced cost
    t, h, c = res.arcs()
    rc = c + good[t] - good[h]
    k = int(np.argmin(rc))
    bad = good.copy()
    bad[h[k]] += int(rc[k]) + 1
    other = _optimal_residual(seed)
    assert not other.set_potentials(bad)
    assert other.d is None
