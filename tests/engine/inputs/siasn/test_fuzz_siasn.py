"""The SIASN readers, fed mutated responses and exports, return or raise TalentaError.

As tests/hardening fuzzes the other loaders: the oracle is that an import
either succeeds or fails with a TalentaError (a message and exit code 2);
any other exception is a crash. Seeds are a few people of the committed
synthetic fixtures; mutations work on the JSON tree (an odd value, a key
dropped or in another case, a record replaced), on CSV cells, and on the
raw text.
"""

from __future__ import annotations

import copy
import json
import random
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hardening.fuzzlib import ODD_TEXT, mutate, outcome
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.inputs.siasn.run import Options, import_siasn

FUZZ = settings(
    deadline=None,
    database=None,
    derandomize=True,
    max_examples=30,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
ODD_JSON: tuple[Any, ...] = (
    None,
    0,
    -1,
    1.5,
    1e308,
    True,
    [],
    {},
    [None],
    {"data": None},
    "01-01-0001",
    "31-02-2020",
    "null",
    "'",
    "x" * 300,
    *ODD_TEXT,
)


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory, committed: Path) -> Iterator[Path]:
    """Three people of the committed fixtures: per-NIP files, rw-* files, export rows."""
    folder = tmp_path_factory.mktemp("fuzz") / "siasn"
    source = committed / "siasn"
    folder.mkdir()
    keep = [
        p.name.removeprefix("data-utama-").removesuffix(".json")
        for p in source.glob("data-utama-*")
    ]
    for path in source.glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        if path.name.startswith(("rw-", "data-utama.json")):
            data = {k: v for k, v in data.items() if k in keep}
        if path.name == "ref-unor.json":
            data["data"] = data["data"][:6]
        (folder / path.name).write_text(json.dumps(data), encoding="utf-8")
    lines = (source / "export-data-asn.csv").read_text(encoding="utf-8").splitlines()[:3]
    (folder / "export-data-asn.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    yield folder


def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for k, v in enumerate(node):
            out += _paths(v, (*prefix, k))
    return out


def _mutate_json(rng: random.Random, data: Any) -> Any:
    data = copy.deepcopy(data)
    path = rng.choice(_paths(data))
    if not path:
        return rng.choice(ODD_JSON)
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    op = rng.randrange(4)
    if op == 0 and isinstance(parent, dict):
        del parent[last]
    elif op == 1 and isinstance(parent, dict) and isinstance(last, str):
        parent[rng.choice((last.upper(), last.lower(), last.title()))] = parent.pop(last)
    elif op == 2 and isinstance(parent, list):
        parent.append(copy.deepcopy(parent[last]))
    else:
        parent[last] = rng.choice(ODD_JSON)
    return data


def _import(folder: Path, out: Path) -> str:
    shutil.rmtree(out, ignore_errors=True)
    return outcome(lambda: import_siasn([folder], out, Options()))


@pytest.mark.parametrize(
    "name",
    ["data-utama.json", "rw-jabatan.json", "rw-skp22.json", "rw-hukdis.json", "ref-unor.json"],
)
def test_mutated_json_responses(small: Path, tmp_path: Path, name: str) -> None:
    seed = json.loads((small / name).read_text(encoding="utf-8"))
    work = tmp_path / "siasn"
    shutil.copytree(small, work)

    @FUZZ
    @given(st.integers(0, 2**32))
    def run(n: int) -> None:
        rng = random.Random(n)
        data = seed
        for _ in range(rng.choice((1, 1, 2, 3))):
            data = _mutate_json(rng, data)
        (work / name).write_text(json.dumps(data), encoding="utf-8")
        _import(work, tmp_path / "out")

    run()


@pytest.mark.parametrize("name,style", [("export-data-asn.csv", "csv"), ("rw-diklat.json", "text")])
def test_mutated_files_as_text(small: Path, tmp_path: Path, name: str, style: str) -> None:
    seed = (small / name).read_bytes()
    work = tmp_path / "siasn"
    shutil.copytree(small, work)

    @FUZZ
    @given(st.integers(0, 2**32))
    def run(n: int) -> None:
        (work / name).write_bytes(mutate(random.Random(n), seed, style))
        _import(work, tmp_path / "out")

    run()


def test_random_bytes_as_a_response(small: Path, tmp_path: Path) -> None:
    work = tmp_path / "siasn"
    shutil.copytree(small, work)

    @FUZZ
    @given(st.binary(max_size=2000))
    def run(data: bytes) -> None:
        (work / "rw-skp.json").write_bytes(data)
        assert _import(work, tmp_path / "out") in {"ok", "error"}

    run()


def test_the_seeds_import(small: Path, tmp_path: Path) -> None:
    assert _import(small, tmp_path / "out") == "ok"
