"""Run many ``talenta`` command lines as real processes that share one import.

Importing the engine (pandas, OR-Tools, pydantic) costs about two seconds a
process; the CLI tests need a dozen processes on two shared cores. This
helper imports once, then forks one child per command line: each child is a
real process that runs the real entry point (:func:`engine.cli.main`) with
its own ``sys.argv``, working folder, stdout and stderr files, and exits with
its own code. The parent prints the exit codes as JSON.

Usage::

    python tests/hardening/cli_runner.py JOBS.json

where JOBS.json is a list of ``{"argv": [...], "cwd": ..., "stdout": ...,
"stderr": ...}``.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from pathlib import Path


def _child(job: dict) -> int:
    os.chdir(job["cwd"])
    for fd, key in ((1, "stdout"), (2, "stderr")):
        target = os.open(job[key], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(target, fd)
        os.close(target)
    sys.argv = ["talenta", *job["argv"]]
    from engine.cli import main

    try:
        main()
        return 0
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:  # what the real process would show: a traceback, code 1
        traceback.print_exc()
        return 1


def run(jobs: list[dict]) -> list[int]:
    import engine.check
    import engine.cli
    import engine.plan.pipeline
    import engine.report.render  # noqa: F401  (import before forking: the children share it)

    children = []
    for job in jobs:
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                code = _child(job)
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        children.append(pid)
    return [os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) for pid in children]


if __name__ == "__main__":
    print(json.dumps(run(json.loads(Path(sys.argv[1]).read_text(encoding="utf-8")))))
