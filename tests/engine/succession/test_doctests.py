"""The runnable examples in succession's docstrings hold."""

from __future__ import annotations

import doctest

import pytest

import engine.inputs.progression as progression
import engine.succession.readiness as readiness
import engine.succession.shown as shown


@pytest.mark.parametrize("module", [progression, readiness, shown])
def test_doctest_examples(module):
    result = doctest.testmod(module)
    assert result.attempted and result.failed == 0
