"""The runnable examples in succession's docstrings hold."""

from __future__ import annotations

import doctest

import pytest

import engine.inputs.progression as progression
import engine.succession.readiness as readiness


@pytest.mark.parametrize("module", [progression, readiness])
def test_doctest_examples(module):
    result = doctest.testmod(module)
    assert result.attempted and result.failed == 0
