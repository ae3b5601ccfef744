"""Wall time of `talenta import siasn` on a province's SIASN files.

Builds a synthetic province (engine.demo.synth.make_province: 20,000 people
with their post histories, SKP, sanctions and trainings, 5,000 posts), turns
it into SIASN-shaped files with the test fixture generator (Export Data ASN
as CSV and XLSX, one data-utama and one file per rw-* endpoint holding every
person's responses, ref-unor), then runs the import as a user would, Python
start-up included, and checks the tables it wrote against the province's.

Run: .venv/bin/python bench/bench_siasn.py [--people 20000] [--posts 5000] [--runs 3]
Prints measured figures; the target is under 30 s wall on 2 cores.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _generator():
    path = ROOT / "tests/engine/inputs/siasn/make_fixtures.py"
    spec = importlib.util.spec_from_file_location("siasn_make_fixtures", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=20000)
    parser.add_argument("--posts", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from engine.demo.synth import make_province, write

    make = _generator()
    talenta = Path(sys.executable).with_name("talenta")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        start = time.perf_counter()
        write(make_province(20261205, args.posts, args.people), work / "province")
        tables = make.read_demo(work / "province")
        make.write_siasn(*tables, work / "files")
        built = time.perf_counter() - start
        files = sorted((work / "files/siasn").iterdir())
        size = sum(p.stat().st_size for p in files)
        records = {
            name: len(t) for name, t in zip(("pegawai", "jabatan", "riwayat"), tables, strict=True)
        }
        print(
            f"province: {records['pegawai']:,} people, {records['jabatan']:,} posts, "
            f"{records['riwayat']:,} history rows; {len(files)} SIASN files, "
            f"{size / 1e6:.1f} MB (built in {built:.1f} s)"
        )
        extra = [str(p) for p in sorted((work / "files/kantor").glob("*.csv"))]
        walls, cpus = [], []
        for k in range(args.runs):
            out = work / f"out{k}"
            argv = [str(talenta), "import", "siasn", str(work / "files/siasn"), "--out", str(out)]
            argv += [a for p in extra for a in ("--extra", p)]
            used = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env=os.environ.copy())
            walls.append(time.perf_counter() - start)
            now = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus.append(now.ru_utime - used.ru_utime + now.ru_stime - used.ru_stime)
        print(f"talenta import siasn, wall time over {args.runs} runs (Python start-up included):")
        print(
            f"  median {statistics.median(walls):.2f} s, min {min(walls):.2f} s, "
            f"max {max(walls):.2f} s; target < 30 s on 2 cores"
        )
        print(
            f"  CPU time (user + sys) median {statistics.median(cpus):.2f} s: the figure to "
            "trust when the 2 cores are shared (load average now "
            f"{os.getloadavg()[0]:.1f})"
        )
        written = {
            name: (out / f"{name}.csv").read_text(encoding="utf-8").count("\n") - 1
            for name in ("pegawai", "jabatan", "riwayat_jabatan")
        }
        print(f"  rows written: {written}; cores visible: {os.cpu_count()}")


if __name__ == "__main__":
    main()
