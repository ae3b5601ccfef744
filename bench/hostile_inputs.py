"""Time and peak memory of refusing outsized tables (issue 19, items 1 and 2).

Builds each hostile table in a temporary folder, then reads it with
``engine.inputs.data.read_table`` (what every command does first) in a fresh
process, and prints the wall time, the CPU time (user + system: on shared
cores the wall time also counts the other processes), the peak RSS and the
first line of the refusal. Every refusal must take under 5 s of wall time
and 500 MB; the script exits 1 otherwise.

- ``xlsx-bomb``: the issue's zip bomb, a workbook whose sheet (its
  ``<dimension>`` removed) unpacks to 385 MB of junk rows;
- ``xlsx-bomb-low-ratio``: 385 MB of rows made hard to compress (random
  hex in every cell), so that the inflate ratio stays under the limit and
  the streaming row count has to refuse it;
- ``csv-1m``: a million rows of junk cells, the header right;
- ``csv-10m``: ten million (over the byte limit);
- ``csv-at-limit``: 300,000 junk rows, the most a table may have: parsed,
  its problems capped (a figure, not a refusal before parsing).

Usage::

    .venv/bin/python bench/hostile_inputs.py            # all cases
    .venv/bin/python bench/hostile_inputs.py csv-1m     # one
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

LIMIT_S, LIMIT_MB = 5.0, 500.0
SHEET_BYTES = 385 * 1024 * 1024
MEASURED = """
import json, resource, sys, time
from pathlib import Path
from engine.errors import InputError
from engine.inputs.data import read_table
start = time.perf_counter()
usage0 = resource.getrusage(resource.RUSAGE_SELF)
cpu0 = usage0.ru_utime + usage0.ru_stime
try:
    read_table(Path(sys.argv[1]))
    said = "read without a refusal"
except InputError as exc:
    said = str(exc).splitlines()[1] if len(exc.problems) else str(exc)
    said += f" [{len(exc.problems)} problem(s) kept]"
wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"wall_s": round(wall, 2),
                  "cpu_s": round(usage.ru_utime + usage.ru_stime - cpu0, 2),
                  "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                  "said": said}))
"""


def _header() -> list[str]:
    from factories import PEGAWAI_HEADER

    return list(PEGAWAI_HEADER)


def _xlsx_bomb(path: Path, random_cells: bool) -> None:
    """A workbook from openpyxl with its sheet replaced by ~385 MB of rows, no <dimension>."""
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(_header())
    book.save(path)
    with zipfile.ZipFile(path) as source:
        parts = {i.filename: source.read(i.filename) for i in source.infolist()}
    sheet = parts.pop("xl/worksheets/sheet1.xml")
    start = sheet.index(b"<dimension")
    sheet = sheet[:start] + sheet[sheet.index(b"/>", start) + 2 :]
    head, tail = sheet.split(b"</sheetData>")
    rng = random.Random(19)
    level = 1 if random_cells else 9
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as target:
        for name, data in parts.items():
            target.writestr(name, data)
        with target.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as out:
            out.write(head)
            written = len(head)
            while written < SHEET_BYTES:
                if random_cells:
                    block = b"".join(
                        b"<row>"
                        + b"".join(
                            b'<c t="inlineStr"><is><t>%s</t></is></c>'
                            % rng.randbytes(12).hex().encode()
                            for _ in range(21)
                        )
                        + b"</row>"
                        for _ in range(200)
                    )
                else:
                    cells = '<c t="inlineStr"><is><t>junk</t></is></c>' * 21
                    block = f"<row>{cells}</row>".encode() * 200
                out.write(block)
                written += len(block)
            out.write(b"</sheetData>" + tail)


def _csv(path: Path, rows: int) -> None:
    header = ",".join(_header())
    junk = ",".join(["junk"] * len(_header())) + "\n"
    with path.open("w", encoding="utf-8") as out:
        out.write(header + "\n")
        for _ in range(rows // 10_000):
            out.write(junk * 10_000)


CASES = {
    "xlsx-bomb": ("pegawai.xlsx", lambda p: _xlsx_bomb(p, False)),
    "xlsx-bomb-low-ratio": ("pegawai.xlsx", lambda p: _xlsx_bomb(p, True)),
    "csv-1m": ("pegawai.csv", lambda p: _csv(p, 1_000_000)),
    "csv-10m": ("pegawai.csv", lambda p: _csv(p, 10_000_000)),
    "csv-at-limit": ("pegawai.csv", lambda p: _csv(p, 300_000)),
}
REFUSALS = {"xlsx-bomb", "xlsx-bomb-low-ratio", "csv-1m", "csv-10m"}


def main(argv: list[str]) -> int:
    names = argv or list(CASES)
    failed = False
    print(f"{'case':22s} {'file MB':>8s} {'wall s':>7s} {'CPU s':>6s} {'peak MB':>8s}  refusal")
    for name in names:
        filename, build = CASES[name]
        with tempfile.TemporaryDirectory(prefix="talenta-hostile-") as folder:
            path = Path(folder) / filename
            build(path)
            size = path.stat().st_size / 1024**2
            proc = subprocess.run(
                [sys.executable, "-c", MEASURED, str(path)],
                capture_output=True,
                text=True,
                cwd=ROOT,
                check=True,
            )
        r = json.loads(proc.stdout)
        bad = name in REFUSALS and (r["wall_s"] > LIMIT_S or r["peak_mb"] > LIMIT_MB)
        failed |= bad
        print(
            f"{name:22s} {size:8.1f} {r['wall_s']:7.2f} {r['cpu_s']:6.2f} {r['peak_mb']:8.1f}"
            f"  {r['said']}" + ("  OVER THE LIMIT" if bad else ""),
            flush=True,
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
