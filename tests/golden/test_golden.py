"""What a user reads stays the same across structural work (see golden.py)."""

from __future__ import annotations

import difflib

import pytest

from golden.golden import SCENARIOS, STORE, plan_outputs, succession_outputs


def _assert_same(key: str, text: str) -> None:
    stored = (STORE / key).read_text(encoding="utf-8")
    if stored != text:
        diff = "".join(
            difflib.unified_diff(
                stored.splitlines(keepends=True),
                text.splitlines(keepends=True),
                f"stored/{key}",
                f"now/{key}",
                n=2,
            )
        )
        pytest.fail(f"{key} differs from its golden copy:\n{diff[:6000]}")


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_plan_outputs_match_the_golden_copy(scenario: str) -> None:
    stem = scenario.removesuffix(".yaml")
    for name, text in plan_outputs(scenario).items():
        _assert_same(f"{stem}/{name}", text)


def test_succession_outputs_match_the_golden_copy() -> None:
    for name, text in succession_outputs().items():
        _assert_same(f"succession/{name}", text)
