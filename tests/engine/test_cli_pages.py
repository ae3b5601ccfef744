"""The command line asks numpy for ordinary pages, unless the user chose otherwise.

Each case starts a fresh interpreter, as a user does: numpy reads
``NUMPY_MADVISE_HUGEPAGE`` once, when it is imported.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import sys
from engine import cli
sys.argv = ["talenta", "--help"]
try:
    cli.main()
except SystemExit:
    pass
from numpy._core import multiarray
print("huge" if multiarray._set_madvise_hugepage(False) else "small")
"""


def pages(env_value: str | None) -> str:
    env = {k: v for k, v in os.environ.items() if k != "NUMPY_MADVISE_HUGEPAGE"}
    if env_value is not None:
        env["NUMPY_MADVISE_HUGEPAGE"] = env_value
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return done.stdout.strip().splitlines()[-1]


def test_numpy_imported_without_the_cli_uses_huge_pages():
    # The control: without the command line, numpy's own default is huge pages, so
    # the next case can fail.
    env = {k: v for k, v in os.environ.items() if k != "NUMPY_MADVISE_HUGEPAGE"}
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from numpy._core import multiarray;"
            "print('huge' if multiarray._set_madvise_hugepage(False) else 'small')",
        ],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.stdout.strip() == "huge"


def test_the_command_line_asks_numpy_for_ordinary_pages():
    assert pages(None) == "small"


@pytest.mark.parametrize(("value", "expected"), [("1", "huge"), ("0", "small")])
def test_a_choice_the_user_made_is_kept(value, expected):
    assert pages(value) == expected
