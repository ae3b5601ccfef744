"""Test set-up for :mod:`solvers`.

``tests/`` is on ``sys.path`` (the root conftest) and ``tests/solvers`` has
no ``__init__``, so ``import solvers`` could resolve to a namespace package
spanning this folder. Put the project root first and drop such a stale
namespace module, so the tests always exercise the real package.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
if str(ROOT) not in sys.path[:1]:
    sys.path.insert(0, str(ROOT))
if str(HERE) not in sys.path:  # helper modules (solvers_brute, solvers_strategies)
    sys.path.append(str(HERE))
_mod = sys.modules.get("solvers")
if _mod is not None and getattr(_mod, "__file__", None) is None:
    for name in [k for k in sys.modules if k == "solvers" or k.startswith("solvers.")]:
        del sys.modules[name]
