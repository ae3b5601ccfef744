"""Collect the rule test cases of this folder (``*.yaml``) as pytest items.

The plugin itself is :mod:`rulecases`; the format is in README.md here.
"""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from rulecases import collect_file  # noqa: E402


def pytest_collect_file(file_path: Path, parent):
    return collect_file(file_path, parent, HERE)
