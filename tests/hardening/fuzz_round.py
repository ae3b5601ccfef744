"""The whole-round fuzz target: mutated rounds through planning and every output.

The loader targets of :mod:`hardening.fuzzlib` stop at the loaders; a date
that loads fine can still crash the planning behind them (issue 19: a
scenario dated 9999-12-31 ended in "internal error: year 10001"). Here an
input is a whole round, the corpus project's scenario, rule file and both
tables, one or two of them mutated (YAML trees, CSV cells, lines, values
chosen to hurt: far dates, markup in names, YAML 1.1 spellings), sometimes
with the pegawai table as a workbook. It runs through ``talenta plan`` (all
five outputs written) in a child process forked from the harness, under a
memory limit (``RLIMIT_AS``) and a time limit (``SIGALRM``).

The oracle: exit 0 with every output whole, or exit 2 with a message and no
output; anything else (exit 1, an internal error, a traceback, a signal,
the memory or time limit) is a crash.

An input is stored as JSON bytes (file name -> text) so that the round fits
the ``Target`` interface of :mod:`hardening.fuzzlib`; bytes that are not
such a round are taken as the pegawai table of the baseline round.
"""

from __future__ import annotations

import json
import os
import random
import resource
import shutil
import signal
import sys
from dataclasses import dataclass
from pathlib import Path

__all__ = ["MEMORY_LIMIT", "TIME_LIMIT", "RoundResult", "mutate_round", "round_seed", "run_round"]

FILES = ("scenarios/round.yaml", "rules/unit.yaml", "data/pegawai.csv", "data/jabatan.csv")
MEMORY_LIMIT = 3 * 1024**3  # address space of one run (the harness's imports take ~0.5 GB)
TIME_LIMIT = 60  # seconds of one run: the round has 4 people and 4 posts
OUTPUTS = ("plan.json", "run.json", "report.md", "report.html", "plan.xlsx")

# Scenario values chosen to hurt the steps behind the loaders.
SCENARIO_VALUES: dict[str, tuple[object, ...]] = {
    "date": ("9999-12-31", "2100-12-31", "1990-01-01", "1900-01-01", "2028-02-29", "2026-02-29"),
    "name": ("[/]", "[link=https://example.invalid]x[/link]", "<img src=x onerror=1>", "# h\n- x"),
    "committee": ("On", "no", "1:30", "[b]x", "`x`", "a|b"),
    "shortlist": (1, 10, 0, 11, "3"),
    "stability_bonus": (0, 100, "1:30", 1e300),
    "move_penalty": (0, 100, -1),
    "time_limit": (0.001, 3600),
    "fill_priority": ("flat", "none", "level"),
    "unknown": ("pass", "fail"),
}
OPEN_VALUES: tuple[dict, ...] = (
    {"vacant": True, "retiring_before": "2100-12-31"},
    {"vacant": False, "posts": ["K1", "K2", "K3", "K4"]},
    {"vacant": True, "posts": ["K9"]},
    {"vacant": True, "retiring_before": "3000-01-01"},
)


def round_seed(project: Path) -> bytes:
    """The baseline round of ``project`` as one input."""
    files = {name: (project / name).read_text(encoding="utf-8") for name in FILES}
    return json.dumps(files, ensure_ascii=False).encode("utf-8")


def _files_of(data: bytes, seed: bytes) -> dict[str, str | bytes]:
    """The round an input holds; raw bytes are the baseline round's pegawai table."""
    try:
        files = json.loads(data.decode("utf-8"))
        if (
            isinstance(files, dict)
            and all(isinstance(v, str) for v in files.values())
            and set(files) <= set(FILES) | {"data/pegawai.xlsx"}
        ):
            return files
    except (UnicodeDecodeError, ValueError, RecursionError):
        pass
    files = json.loads(seed.decode("utf-8"))
    files["data/pegawai.csv"] = data  # type: ignore[assignment]
    return files


def mutate_round(rng: random.Random, seed: bytes) -> bytes:
    """One or two of the round's files mutated; sometimes a scenario value set to hurt."""
    from hardening.fuzzlib import mutate

    files: dict[str, str] = json.loads(seed.decode("utf-8"))
    for _ in range(rng.choice((1, 1, 2))):
        name = rng.choice(FILES)
        if name.endswith(".yaml") and name.startswith("scenarios") and rng.random() < 0.5:
            files[name] = _set_scenario_value(rng, files[name])
            continue
        style = "yaml" if name.endswith(".yaml") else "csv"
        files[name] = mutate(rng, files[name].encode("utf-8"), style).decode("utf-8", "replace")
    if rng.random() < 0.15:
        files = _as_workbook(files)
    return json.dumps(files, ensure_ascii=False).encode("utf-8")


def _set_scenario_value(rng: random.Random, text: str) -> str:
    import yaml

    try:
        tree = yaml.safe_load(text)
    except yaml.YAMLError:
        return text
    if not isinstance(tree, dict):
        return text
    if rng.random() < 0.2:
        tree["open"] = rng.choice(OPEN_VALUES)
    else:
        key = rng.choice(sorted(SCENARIO_VALUES))
        tree[key] = rng.choice(SCENARIO_VALUES[key])
    # Plain dumping keeps dates unquoted, so they are read as dates again.
    return yaml.safe_dump(tree, allow_unicode=True, sort_keys=False)


def _as_workbook(files: dict[str, str]) -> dict[str, str]:
    """The pegawai table as a workbook (base64 in the JSON), the scenario pointing at it."""
    import base64

    from hardening.fuzzlib import xlsx_bytes

    book = xlsx_bytes(files.pop("data/pegawai.csv").encode("utf-8"))
    files["data/pegawai.xlsx"] = base64.b64encode(book).decode("ascii")
    files["scenarios/round.yaml"] = files["scenarios/round.yaml"].replace(
        "pegawai.csv", "pegawai.xlsx"
    )
    return files


@dataclass(frozen=True)
class RoundResult:
    """What one run did: its outcome, exit status and peak memory."""

    outcome: str  # ok | error | crash
    detail: str
    peak_rss_kb: int


def run_round(folder: Path, data: bytes, seed: bytes) -> RoundResult:
    """Write the round into ``folder`` (emptied first), plan it in a forked child, judge it."""
    import base64

    shutil.rmtree(folder, ignore_errors=True)
    project = folder / "project"
    (project / "rules").mkdir(parents=True)
    (project / "data").mkdir()
    (project / "scenarios").mkdir()
    _bundled(project)
    for name, content in _files_of(data, seed).items():
        path = project / name
        if name.endswith(".xlsx"):
            path.write_bytes(base64.b64decode(content))
        else:
            path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    out = folder / "out"
    argv = ["plan", str(project / "scenarios/round.yaml"), "--out", str(out)]  # prints too
    status, rss = _fork(argv, folder)
    return _judge(status, rss, folder, out)


def _bundled(project: Path) -> None:
    """The bundled settings the round names (never mutated)."""
    from factories import ROOT
    from hardening.project import BUNDLED

    for name in BUNDLED:
        shutil.copyfile(ROOT / "rules" / name, project / "rules" / name)


def _fork(argv: list[str], folder: Path) -> tuple[int, int]:
    """Run ``talenta argv`` in a forked child under the limits; its wait status and peak RSS.

    The engine is imported before forking, so that each child starts warm.
    """
    import engine.cli
    import engine.plan.pipeline
    import engine.report.render
    import engine.succession.graph  # noqa: F401  (the report draws its pictures)

    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        code = 1
        try:
            code = _child(argv, folder)
        finally:
            os._exit(code)
    _, status, usage = os.wait4(pid, 0)
    return status, usage.ru_maxrss


def _child(argv: list[str], folder: Path) -> int:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    signal.alarm(TIME_LIMIT)
    for fd, name in ((1, "stdout.txt"), (2, "stderr.txt")):
        target = os.open(folder / name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(target, fd)
        os.close(target)
    # Under pytest sys.stdout and sys.stderr are capture objects: write to the files.
    sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
    sys.stderr = open(2, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
    os.environ.pop("TALENTA_DEBUG", None)
    os.environ["COLUMNS"] = "200"
    sys.argv = ["talenta", *argv]
    from engine.cli import main

    try:
        main()
        return 0
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 1
    except BaseException:  # what a real process would show: a traceback, code 1
        import traceback

        traceback.print_exc()
        return 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()


def _judge(status: int, rss: int, folder: Path, out: Path) -> RoundResult:
    err = (folder / "stderr.txt").read_text(encoding="utf-8", errors="replace")
    if os.WIFSIGNALED(status):
        name = signal.Signals(os.WTERMSIG(status)).name
        return RoundResult("crash", f"killed by {name} (time or memory limit?)\n{err}", rss)
    code = os.WEXITSTATUS(status)
    written = sorted(p.name for p in out.iterdir()) if out.is_dir() else []
    if code == 0:
        missing = [n for n in OUTPUTS if n not in written]
        if missing:
            return RoundResult("crash", f"exit 0 without {missing}", rss)
        json.loads((out / "plan.json").read_text(encoding="utf-8"))
        return RoundResult("ok", "", rss)
    if code == 2 and err.strip() and "Traceback" not in err and "internal error" not in err:
        if written:
            return RoundResult("crash", f"exit 2 but wrote {written}:\n{err}", rss)
        return RoundResult("error", " ".join(err.splitlines()[1:2]), rss)
    return RoundResult("crash", f"exit {code}:\n{err[-3000:]}", rss)
