"""The committee's web app over HTTP: opening a session and a decision, timed on 127.0.0.1.

Starts ``talenta serve`` on the demo scenario (a fresh SQLite file, a free
port), then drives it as a browser would, with plain HTTP requests:

- ``server ready``: from the process start until the first page answers
  (the round is loaded before the first request);
- ``open session``: POST /sessions and the session page it redirects to;
- per open post: the post page (its alternatives re-solved and priced:
  the preview of choosing one of them then reuses that solve), and a
  decision: ``preview`` (GET: re-solve with the chosen
  candidate pinned, price and displaced, the page) and ``confirm`` (POST,
  then the refreshed post page with its three names re-priced); the first
  few posts warm the server and are not counted.

With ``--province`` the round is a province instead (20,000 people x 5,000
posts, :func:`engine.demo.synth.make_province`, written into a temporary
project with the demo's rules as bench/bench_memory.py does), and only the
first ``--decisions`` posts are decided (the first one warms the server).

Beside each wall time, the server process's CPU seconds for the same
requests (``/proc/<pid>/stat``, its threads and waited-for children): on a
shared machine the wall times carry the load, the CPU seconds much less.

Figures are printed (p50, p95, max in ms), never asserted; run by hand::

    .venv/bin/python bench/bench_app.py [--scenario scenarios/demo.yaml]
    .venv/bin/python bench/bench_app.py --province [--decisions 6]
"""

from __future__ import annotations

import argparse
import html
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WARM = 3
SERVER = 0  # the server's process id, for its CPU time
TIMEOUT = 60.0  # seconds one request may take (the province's: --timeout)


PAGE = "post page (three names priced)"
PREVIEW = "decision preview (re-solve+page)"
CONFIRM = "confirm + refreshed post page"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=TIMEOUT) as r:
        return r.read().decode()


def _post(url: str, data: dict[str, str]) -> str:
    body = urllib.parse.urlencode(data).encode()
    with urllib.request.urlopen(urllib.request.Request(url, body), timeout=TIMEOUT) as r:
        return r.read().decode()


def _cpu() -> float:
    """CPU seconds the server has used: user and system, its own and its children's."""
    if not SERVER:
        return 0.0
    fields = Path(f"/proc/{SERVER}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = sum(int(x) for x in fields[11:15])  # utime, stime, cutime, cstime
    return ticks / os.sysconf("SC_CLK_TCK")


CPU: dict[str, list[float]] = {}


def _timed(fn, *args, name: str = ""):  # type: ignore[no-untyped-def]
    t0, c0 = time.perf_counter(), _cpu()
    out = fn(*args)
    if name:
        CPU.setdefault(name, []).append(_cpu() - c0)
    return out, (time.perf_counter() - t0) * 1000


def _figures(name: str, ms: list[float]) -> None:
    if not ms:
        print(f"{name:<34} no samples")
        return
    q = statistics.quantiles(ms, n=20)[18] if len(ms) >= 2 else ms[0]
    cpu = CPU.get(name, [])[-len(ms) :]
    spent = (
        f"   server CPU p50 {statistics.median(cpu):6.2f} s max {max(cpu):6.2f} s" if cpu else ""
    )
    print(
        f"{name:<34} n={len(ms):<3} p50 {statistics.median(ms):7.1f} ms"
        f"   p95 {q:7.1f} ms   max {max(ms):7.1f} ms{spent}"
    )


def _decisions(
    base: str, session: str, limit: int | None = None, warm: int = WARM
) -> dict[str, list[float]]:
    page = _get(session)
    posts = list(dict.fromkeys(re.findall(r'href="/sessions/\d+/posts/([^"]+)"', page)))
    posts = posts[:limit] if limit else posts
    times: dict[str, list[float]] = {"page": [], "preview": [], "confirm": [], "both": []}
    version = 0
    for n, pid in enumerate(posts):
        post_page, t_page = _timed(_get, f"{session}/posts/{pid}", name=PAGE)
        nips = re.findall(
            r'name="action" value="choose"><input type="hidden" name="nip" value="(\d+)"', post_page
        )
        if not nips:
            continue
        data = {"action": "choose", "nip": nips[0], "reason": "bench", "version": str(version)}
        preview, t_preview = _timed(
            _get, f"{session}/posts/{pid}/preview?" + urllib.parse.urlencode(data), name=PREVIEW
        )
        if 'id="confirm"' not in preview:
            continue  # the choice cannot hold with the decisions before it
        _, t_confirm = _timed(_post, f"{session}/posts/{pid}/decide", data, name=CONFIRM)
        version += 1
        if n >= warm:
            times["page"].append(t_page)
            times["preview"].append(t_preview)
            times["confirm"].append(t_confirm)
            times["both"].append(t_preview + t_confirm)
    return times


def _province(folder: Path) -> Path:
    """A province project built as bench/bench_memory.py builds it; returns its scenario."""
    sys.path.insert(0, str(ROOT / "bench"))
    from bench_memory import build_project

    folder.mkdir(parents=True)
    made = build_project(folder, 20_000, 5_000, 20260701)
    print(f"province: {made['people']:,} people, {made['posts']:,} posts")
    return folder / "scenarios" / "provinsi.yaml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="scenarios/demo.yaml")
    parser.add_argument("--province", action="store_true", help="20,000 people x 5,000 posts")
    parser.add_argument("--decisions", type=int, default=None, help="decide on this many posts")
    parser.add_argument("--timeout", type=float, default=None, help="seconds per request")
    args = parser.parse_args()
    global TIMEOUT
    TIMEOUT = args.timeout or (900.0 if args.province else 60.0)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        warm, limit = WARM, args.decisions
        if args.province:
            args.scenario = str(_province(Path(tmp) / "provinsi"))
            warm, limit = 1, args.decisions or 6
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "engine.cli", "serve", args.scenario, "--port", str(port),
             "--db", str(Path(tmp) / "bench.db")],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        global SERVER
        SERVER = proc.pid
        try:
            assert proc.stdout is not None
            print(proc.stdout.readline().strip())  # printed once the round is loaded
            while True:
                try:
                    _get(base + "/")
                    break
                except OSError:
                    time.sleep(0.05)
            print(
                f"{'server ready (round loaded)':<34} {(time.perf_counter() - t0) * 1000:7.1f} ms"
            )
            print(f"{'server CPU to load the round':<34} {_cpu():7.1f} s")
            t1, c1 = time.perf_counter(), _cpu()
            session_page = _post(base + "/sessions", {"scenario": args.scenario})
            print(
                f"{'open session (+ its page)':<34} {(time.perf_counter() - t1) * 1000:7.1f} ms"
                f"   server CPU {_cpu() - c1:6.2f} s"
            )
            sid = re.search(r"<h1>Sesi (\d+)", session_page)
            assert sid, html.unescape(session_page[:500])
            times = _decisions(base, f"{base}/sessions/{sid.group(1)}", limit, warm)
            _figures(PAGE, times["page"])
            _figures(PREVIEW, times["preview"])
            _figures(CONFIRM, times["confirm"])
            _figures("preview + confirm + refresh", times["both"])
        finally:
            proc.terminate()
            proc.wait(timeout=10)


if __name__ == "__main__":
    main()
