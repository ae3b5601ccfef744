"""Fixtures of the SIASN import tests: the demo regency as SIASN files, imported once.

Everything is synthetic: the files are generated from the demo regency by
make_fixtures.py; the small committed set lives in fixtures/.
"""

from __future__ import annotations

import contextvars
import importlib.util
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"


def _load_generator():
    spec = importlib.util.spec_from_file_location("siasn_make_fixtures", HERE / "make_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


make = _load_generator()


@pytest.fixture(scope="session")
def generator():
    """The fixture generator module (make_fixtures.py)."""
    return make


@pytest.fixture(scope="session")
def committed() -> Path:
    """The small committed set: fixtures/siasn and fixtures/kantor."""
    return FIXTURES


@pytest.fixture(scope="session")
def demo_siasn(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole demo regency as SIASN files: <dir>/siasn and <dir>/kantor."""
    out = tmp_path_factory.mktemp("demo-siasn")
    make.write_siasn(*make.read_demo(), out)
    return out


@pytest.fixture(scope="session")
def demo_import(demo_siasn: Path, tmp_path_factory: pytest.TempPathFactory):
    """The demo's SIASN files imported with the office's extra tables, CPNS left out; the
    report in English, as each test's messages are (a session fixture runs before the
    per-test language is set)."""
    from engine.errors import set_messages_language
    from engine.inputs.siasn.run import Options, import_siasn

    out = tmp_path_factory.mktemp("demo-import") / "tables"
    extra = sorted((demo_siasn / "kantor").glob("*.csv"))

    def run():
        set_messages_language("en")
        return import_siasn([demo_siasn / "siasn"], out, Options(extra=extra, without_cpns=True))

    return out, contextvars.copy_context().run(run)
