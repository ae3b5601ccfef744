"""The output stage alone: the plan's sections and every file ``talenta plan`` writes.

One round is planned in this process (a province written by
:func:`bench_memory.build_project`, or ``--scenario``); then, each timed in
CPU seconds (steadier than wall time on a shared machine), best of
``--repeat``:

* the sections of the plan (:mod:`engine.plan.sections`), as the round
  assembled them (each builder wrapped; the shortlists with their prices,
  which are the solver's, and without: ``shortlist rows``);
* every output of :func:`engine.report.render.render`: the succession view,
  the pictures, plan.json, run.json, report.md, report.html, the talent
  rows, the workbook's sheets and plan.xlsx; and the publication of the
  files into a folder.

With ``--write DIR`` the rendered files are also written there, to compare
two versions of the code byte for byte (plan.xlsx: the parts of its zip).

Usage::

    .venv/bin/python bench/bench_outputs.py --people 20000
    .venv/bin/python bench/bench_outputs.py --scenario PATH --repeat 3 --write /tmp/out
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

SECTIONS = (
    "build_placements",
    "build_chains",
    "build_unfilled",
    "build_shortlists",
    "_near",
    "_shortlist_entries",
    "build_objective",
    "build_summary",
    "build_decisions",
    "build_rule_exclusions",
    "build_manifest",
)


def cpu() -> float:
    return time.process_time()


def best(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """The least CPU time of ``repeat`` calls, and the last call's result."""
    times, got = [], None
    for _ in range(repeat):
        t = cpu()
        got = fn()
        times.append(cpu() - t)
    return min(times), got


def plan_with_sections(scenario: Path) -> tuple[Any, dict[str, float]]:
    """Plan the round, with the CPU time of each section's builder."""
    from engine.plan import sections
    from engine.plan.pipeline import load_context, plan_round

    spent: dict[str, float] = {}

    def wrap(name: str) -> None:
        inner = getattr(sections, name, None)
        if inner is None:
            return

        def timed(*args: Any, **kwargs: Any) -> Any:
            t = cpu()
            try:
                return inner(*args, **kwargs)
            finally:
                spent[name] = spent.get(name, 0.0) + cpu() - t

        setattr(sections, name, timed)

    for name in SECTIONS:
        wrap(name)
    ctx = load_context(scenario)
    t = cpu()
    plan = plan_round(ctx)
    spent["plan_round"] = cpu() - t
    spent["assemble (wall)"] = plan.run["timings_s"]["assemble"]
    return plan, spent


def render_steps(plan: Any, repeat: int, lang: str) -> tuple[dict[str, float], dict[str, Any]]:
    """Each output's CPU time, rendered as :func:`engine.report.render.render` does."""
    from engine.report import render as r
    from engine.report.workbook import plan_sheets, workbook_bytes

    out: dict[str, float] = {}
    labels = r.LABELS[lang]
    out["render (whole)"], contents = best(lambda: r.render(plan, lang), repeat)
    out["succession view"], view = best(lambda: r.succession_view(plan), repeat)
    out["pictures"], pictures = best(lambda: r.pictures(view, lang), repeat)
    out["plan.json"], _ = best(lambda: r.plan_json(plan), repeat)
    posts = {
        str(pid): {"nama_jabatan": str(name)}
        for pid, name in zip(plan.context.posts.jabatan_id, plan.context.posts.nama, strict=True)
    }
    env = r.templates()
    values = {
        "plan": plan.record,
        "m": plan.record.manifest,
        "t": labels,
        "lang": lang,
        "posts": posts,
        "pictures": pictures,
        "input_label": lambda role: r.input_label(role, labels),
        "talent_names": sorted(view.boxes.names.items(), reverse=True) if view.boxes else [],
        "unverified": r.unverified_sources(plan.record.manifest, labels),
    }
    for name in ("report.md", "report.html"):
        template = env.get_template(f"{name}.j2")
        out[name], _ = best(lambda template=template: template.render(values), repeat)
    out["talent rows"], rows = best(lambda: r.talent_rows(view, labels), repeat)
    names = {pid: p["nama_jabatan"] for pid, p in posts.items()}

    def sheets() -> list:
        made = plan_sheets(plan.record, labels, talent=rows, post_names=names)
        return [(title, header, list(body)) for title, header, body in made]

    out["plan.xlsx sheets"], made = best(sheets, repeat)
    out["plan.xlsx"], _ = best(lambda: workbook_bytes(made, (labels["yes"], labels["no"])), repeat)
    return out, contents


def publish(contents: dict[str, Any], repeat: int) -> float:
    from engine.report.publish import OutputFolder

    with tempfile.TemporaryDirectory(prefix="talenta-outputs-") as tmp:

        def once() -> None:
            with OutputFolder(Path(tmp) / "out") as folder:
                folder.publish(contents)

        return best(once, repeat)[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=20260701)
    parser.add_argument("--scenario", type=Path, default=None, help="a scenario instead")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--lang", default="id")
    parser.add_argument("--write", type=Path, default=None, help="write the files here too")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    opts = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="talenta-outputs-") as tmp:
        scenario = opts.scenario
        if scenario is None:
            from bench_memory import build_project

            build_project(Path(tmp), opts.people, opts.people // 4, opts.seed)
            scenario = Path(tmp) / "scenarios/provinsi.yaml"
        plan, sections = plan_with_sections(scenario)
        steps, contents = render_steps(plan, opts.repeat, opts.lang)
        steps["publish"] = publish(contents, opts.repeat)
    sizes = {name: len(body) for name, body in contents.items()}
    print(f"{plan.context.people.n:,} people, {plan.context.posts.n:,} posts; CPU s")
    print("sections (as the round assembled them):")
    for name, spent in sections.items():
        print(f"  {name:28s} {spent:8.3f}")
    print(f"outputs (best of {opts.repeat}):")
    for name, spent in steps.items():
        print(f"  {name:28s} {spent:8.3f}")
    print("files: " + ", ".join(f"{k} {v:,} B" for k, v in sizes.items()))
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")
    if opts.write is not None:
        opts.write.mkdir(parents=True, exist_ok=True)
        for name, body in contents.items():
            data = body.encode("utf-8") if isinstance(body, str) else body
            (opts.write / name).write_bytes(data)
    if opts.json is not None:
        opts.json.write_text(
            json.dumps({"sections": sections, "outputs": steps, "sizes": sizes}, indent=2),
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
