"""``talenta`` with a disk that stalls on the N-th output file.

Test-only; the engine carries no hook. Before the real entry point runs,
``os.fsync`` is wrapped: each call (one per output file, inside
:func:`engine.report.files.write_atomic`, after the temporary file is written and
before it is renamed into place) prints ``fsync K`` on stdout, and the N-th
call then stalls. A test waits for ``fsync N`` and SIGKILLs the process:
killed between writing a temporary file and renaming it.

Usage: ``python slow_writer.py N talenta-args...`` (N = 0: never stall)
"""

from __future__ import annotations

import os
import sys
import time


def main() -> None:
    stall_at = int(sys.argv[1])
    real_fsync = os.fsync
    count = 0

    def slow_fsync(fd: int) -> None:
        nonlocal count
        count += 1
        print(f"fsync {count}", flush=True)
        if count == stall_at:
            time.sleep(600)
        real_fsync(fd)

    os.fsync = slow_fsync
    sys.argv = ["talenta", *sys.argv[2:]]
    from engine.cli import main as talenta

    talenta()


if __name__ == "__main__":
    main()
