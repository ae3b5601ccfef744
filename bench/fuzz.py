"""The long fuzz run of every loader: count the inputs tried, fail on the first crash.

Two engines over the targets of ``tests/hardening/fuzzlib.py`` (one per
loader: load_yaml, load_rules, load_taxonomy, load_weights, load_bup,
load_talent_box, load_rank_progression, load_scenario + load_context, and
read_table / load_tables for CSV and XLSX; and ``whole_round``: a mutated
round through ``talenta plan`` and every output, in a forked child under a
memory and a time limit, ``tests/hardening/fuzz_round.py``):

- ``atheris``: coverage-guided (libFuzzer) byte mutations of the valid seed
  files, with the ``engine`` package instrumented; one subprocess per
  loader, since libFuzzer owns its process. Used when atheris is installed.
- ``mutations``: structured mutations (YAML trees, CSV cells, lines) of
  the same seeds, from a seeded ``random.Random`` per input, so any input
  is reproducible from its number.

A crash is any exception other than ``engine.errors.TalentaError``. The
crashing input is saved under ``--artifacts`` and the run exits with code 1.

Usage::

    .venv/bin/python bench/fuzz.py --examples 20000            # both engines, all loaders
    .venv/bin/python bench/fuzz.py --examples 20000 --max-seconds 120   # capped per loader
    .venv/bin/python bench/fuzz.py --engine mutations --examples 2000 --targets load_bup
    .venv/bin/python bench/fuzz.py --engine mutations --targets whole_round --max-seconds 300
    .venv/bin/python bench/fuzz.py --engine mutations --examples 2000 \
        --targets siasn_data_utama,siasn_rw_jabatan,siasn_export_csv

The whole-round target has no byte-level (atheris) run: its input is a set
of files. Its line reports the peak RSS of the children (``peak MB``).
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]


def _have_atheris() -> bool:
    try:
        import atheris  # noqa: F401
    except ImportError:
        return False
    return True


def run_mutations(name: str, examples: int, artifacts: Path, seconds: float | None) -> dict:
    """Structured mutations of one target's seeds; stops at the first crash."""
    from hardening.fuzzlib import TARGETS, Workspace, mutate

    target = TARGETS[name]
    ws = Workspace()
    seeds = target.seeds(ws)
    counts = {"ok": 0, "error": 0}
    start = time.perf_counter()
    try:
        for k in range(examples):
            if seconds is not None and time.perf_counter() - start > seconds:
                return {**counts, "tried": k, "seconds": round(time.perf_counter() - start, 1)}
            rng = random.Random(f"{name}:{k}")
            data = mutate(rng, seeds[rng.randrange(len(seeds))], target.style)
            try:
                counts[target.run(ws, data)] += 1
            except Exception:
                path = artifacts / f"crash-mutations-{name}-{k}"
                path.write_bytes(data)
                return {
                    "tried": k + 1,
                    **counts,
                    "crash": traceback.format_exc(limit=-6),
                    "input": str(path),
                    "seconds": round(time.perf_counter() - start, 1),
                }
    finally:
        ws.close()
    return {"tried": examples, **counts, "seconds": round(time.perf_counter() - start, 1)}


def _children_peak_mb() -> float:
    """Peak RSS of the largest child process waited for so far (the whole-round runs)."""
    return round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)


def run_atheris(
    name: str, examples: int, artifacts: Path, timeout: int, seconds: float | None
) -> dict:
    """libFuzzer over one target in a subprocess; parses its run count."""
    from hardening.fuzzlib import TARGETS, Workspace

    corpus = Path(tempfile.mkdtemp(prefix=f"fuzz-corpus-{name}-"))
    ws = Workspace()
    try:
        for k, seed in enumerate(TARGETS[name].seeds(ws)):
            (corpus / f"seed-{k}").write_bytes(seed)
    finally:
        ws.close()
    start = time.perf_counter()
    proc = subprocess.run(
        [
            sys.executable,
            __file__,
            "--atheris-child",
            name,
            f"-runs={examples}",
            "-max_len=100000",
            f"-timeout={timeout}",
            "-rss_limit_mb=4096",
            f"-artifact_prefix={artifacts}/atheris-{name}-",
            "-print_final_stats=1",
            *([f"-max_total_time={int(seconds)}"] if seconds else []),
            str(corpus),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONHASHSEED": "0"},
    )
    log = proc.stderr
    done = re.search(r"Done (\d+) runs", log)
    execs = re.search(r"stat::number_of_executed_units:\s*(\d+)", log)
    tried = int(done.group(1)) if done else int(execs.group(1)) if execs else 0
    result: dict = {"tried": tried, "seconds": round(time.perf_counter() - start, 1)}
    if proc.returncode != 0:
        tail = log[log.find("=== Uncaught Python exception") :] if "Uncaught" in log else log
        result["crash"] = tail[-4000:]
        found = re.findall(r"Test unit written to (\S+)", log)
        result["input"] = found[-1] if found else None
    return result


def _atheris_child(name: str, argv: list[str]) -> None:
    import atheris

    with atheris.instrument_imports(include=["engine"]):
        for module in (
            "engine.inputs.yamlio",
            "engine.inputs.schema",
            "engine.inputs.settings",
            "engine.rules.ruleset",
            "engine.scoring.talent",
            "engine.inputs.progression",
            "engine.inputs.scenario",
            "engine.inputs.data",
            "engine.rules.crossref",
            "engine.plan.pipeline",
            "engine.check",
        ):
            importlib.import_module(module)
    from hardening.fuzzlib import TARGETS, Workspace

    target = TARGETS[name]
    ws = Workspace()

    def one(data: bytes) -> None:
        target.run(ws, data)

    atheris.Setup([sys.argv[0], *argv], one)
    atheris.Fuzz()


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["--atheris-child"]:
        _atheris_child(args[1], args[2:])
        return 0
    from hardening.fuzzlib import TARGETS

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=20000, help="inputs per loader and engine")
    parser.add_argument(
        "--engine",
        choices=["both", "atheris", "mutations"],
        default="both",
        help="both: atheris (if installed) and structured mutations",
    )
    parser.add_argument("--targets", default=",".join(TARGETS), help="comma-separated loaders")
    parser.add_argument("--artifacts", type=Path, default=None, help="where crashing inputs go")
    parser.add_argument("--timeout", type=int, default=60, help="seconds one input may take")
    parser.add_argument(
        "--max-seconds",
        type=float,
        default=None,
        help="stop a loader's run after this many seconds (whichever of this and --examples first)",
    )
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    opts = parser.parse_args(args)
    names = [n for n in opts.targets.split(",") if n]
    unknown = [n for n in names if n not in TARGETS]
    if unknown:
        parser.error(f"unknown targets {unknown}; known: {', '.join(TARGETS)}")
    engines = ["atheris", "mutations"] if opts.engine == "both" else [opts.engine]
    if "atheris" in engines and not _have_atheris():
        print("atheris is not installed: structured mutations only", file=sys.stderr)
        engines = ["mutations"]
    artifacts = opts.artifacts or Path(tempfile.mkdtemp(prefix="talenta-fuzz-artifacts-"))
    artifacts.mkdir(parents=True, exist_ok=True)
    results: dict[str, dict[str, dict]] = {}
    crashed = False
    print(f"{'engine':10s} {'loader':24s} {'inputs':>8s} {'ok':>7s} {'error':>7s} {'s':>7s}")
    for engine in engines:
        for name in names:
            if engine == "atheris" and TARGETS[name].style == "round":
                continue  # a set of files, not bytes: structured mutations only
            if engine == "atheris":
                r = run_atheris(name, opts.examples, artifacts, opts.timeout, opts.max_seconds)
            else:
                r = run_mutations(name, opts.examples, artifacts, opts.max_seconds)
            if TARGETS[name].style == "round":
                r["peak_child_mb"] = _children_peak_mb()
            results.setdefault(engine, {})[name] = r
            print(
                f"{engine:10s} {name:24s} {r['tried']:8d} {r.get('ok', ''):>7} "
                f"{r.get('error', ''):>7} {r['seconds']:7.1f}"
                + (f"  peak {r['peak_child_mb']} MB" if "peak_child_mb" in r else "")
                + ("  CRASH" if "crash" in r else ""),
                flush=True,
            )
            if "crash" in r:
                crashed = True
                print(r["crash"], file=sys.stderr)
                print(f"input: {r.get('input')}", file=sys.stderr)
    total = sum(r["tried"] for per in results.values() for r in per.values())
    print(f"total inputs tried: {total}; crashes: {'yes' if crashed else 'none'}")
    if opts.json:
        opts.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
