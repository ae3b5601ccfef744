"""Every loader, fed random bytes and mutated valid files, returns or raises TalentaError.

A short run of the targets in :mod:`hardening.fuzzlib`; ``bench/fuzz.py`` is
the long one. Regression inputs that once crashed a loader are kept below,
named after what broke.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest
from hardening.fuzzlib import TARGETS, Workspace, mutate, outcome
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

# Few examples: the default test run stays short; bench/fuzz.py runs thousands.
BYTES_EXAMPLES = 12
MUTATION_EXAMPLES = 25
# The whole round plans and writes every output in a forked child (~0.5 s each).
SLOW = {
    "load_scenario": 0.3,
    "tables_pegawai_xlsx": 0.5,
    "tables_jabatan_xlsx": 0.5,
    "whole_round": 0.6,
}
FUZZ = settings(
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.fixture(scope="module")
def ws() -> Iterator[Workspace]:
    workspace = Workspace()
    yield workspace
    workspace.close()


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_seeds_are_valid(ws: Workspace, name: str) -> None:
    """Mutations start from files that load: a failure here is a broken seed, not a bug found."""
    target = TARGETS[name]
    for seed in target.seeds(ws):
        assert target.run(ws, seed) == "ok", name


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_random_bytes(ws: Workspace, name: str) -> None:
    target = TARGETS[name]

    @settings(FUZZ, max_examples=max(3, int(BYTES_EXAMPLES * SLOW.get(name, 1))))
    @given(st.binary(max_size=3000))
    def run(data: bytes) -> None:
        target.run(ws, data)

    run()


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_mutated_valid_files(ws: Workspace, name: str) -> None:
    target = TARGETS[name]
    seeds = target.seeds(ws)

    @settings(FUZZ, max_examples=max(3, int(MUTATION_EXAMPLES * SLOW.get(name, 1))))
    @given(st.sampled_from(range(len(seeds))), st.integers(0, 2**32))
    def run(k: int, seed: int) -> None:
        target.run(ws, mutate(random.Random(seed), seeds[k], target.style))

    run()


def test_outcome_lets_crashes_through() -> None:
    def crash() -> None:
        raise KeyError("x")

    with pytest.raises(KeyError):
        outcome(crash)


# Regression inputs: each crashed a loader once (found by bench/fuzz.py).


@pytest.mark.parametrize(
    "data",
    [
        b'\r\n\r\n"\n\r\n\r\n',  # a lone quote between blank lines: no header line (StopIteration)
        b",,,\n;;;\n",
    ],
)
def test_regression_csv_without_a_value(ws: Workspace, data: bytes) -> None:
    assert TARGETS["tables_pegawai_csv"].run(ws, data) == "error"


def _zip_of_a_future_version() -> bytes:
    """A workbook whose central directory asks for zip version 24.3 (found by atheris):
    zipfile raises NotImplementedError, which the zip-bomb check let through."""
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    data = bytearray(out.getvalue())
    central = data.index(b"PK\x01\x02")
    data[central + 6 : central + 8] = (243).to_bytes(2, "little")
    return bytes(data)


def test_regression_zip_of_a_future_version(ws: Workspace) -> None:
    assert TARGETS["read_table_xlsx_bytes"].run(ws, _zip_of_a_future_version()) == "error"


def _round_with(ws: Workspace, **scenario: str) -> bytes:
    """The baseline round with scenario lines replaced (key -> new line)."""
    import json

    from hardening.fuzz_round import round_seed

    files = json.loads(round_seed(ws.project))
    text = files["scenarios/round.yaml"]
    for key, line in scenario.items():
        text = "\n".join(line if t.startswith(f"{key}:") else t for t in text.splitlines()) + "\n"
    files["scenarios/round.yaml"] = text
    return json.dumps(files).encode("utf-8")


@pytest.mark.parametrize(
    "line",
    [
        "date: 9999-12-31",  # "internal error: ValueError: year 10001" behind the loaders
        'name: "[/]"',  # a rich MarkupError after the outputs were written
    ],
)
def test_regression_whole_round(ws: Workspace, line: str) -> None:
    """Inputs that loaded and then crashed the run (issue 19): now exit 0 or 2."""
    data = _round_with(ws, **{line.split(":")[0]: line})
    assert TARGETS["whole_round"].run(ws, data) in {"ok", "error"}


def test_whole_round_reports_a_crash(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """The oracle is not blind: a run that dies of an internal error is a crash."""
    import engine.report.render

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("renderer failed")

    monkeypatch.setattr(engine.report.render, "render", broken)
    with pytest.raises(AssertionError, match="whole round crashed: exit 1"):
        TARGETS["whole_round"].run(ws, TARGETS["whole_round"].seeds(ws)[0])
