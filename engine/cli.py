"""The ``talenta`` command line.

Every command calls the one pipeline (:mod:`engine.plan.pipeline`). A user's mistake
is a message and exit code 2, never a traceback; an internal error is a one
line message and exit code 1 (set ``TALENTA_DEBUG=1`` to see the traceback).
"""

from __future__ import annotations

import gc
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from engine.errors import (
    InputError,
    Problem,
    TalentaError,
    did_you_mean,
    message,
    set_messages_language,
)
from engine.i18n import CONSOLE, DEFAULT, LANGUAGES, MOVES, REPORT, source_text

__all__ = ["app", "main"]

# The help of the app, of each command and of each argument and option is in the
# catalogue (engine.i18n.HELP), set in the run's language when main() builds the command
# line (engine.help), so a command's declaration here holds no help text.
app = typer.Typer(
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain help: rich help prints a type for every flag ("--quiet <bool>").
    rich_markup_mode=None,
    no_args_is_help=True,
)
out_console = Console()
err_console = Console(stderr=True)

LangOpt = Annotated[
    str,
    typer.Option("--lang"),
]


PANGKAT = Path("rules/kenaikan-pangkat.yaml")
PangkatOpt = Annotated[
    Path | None,
    typer.Option(
        "--pangkat",
        show_default=False,
    ),
]


def _rank_progression(pangkat: Path | None) -> tuple[Any, list[Path]]:
    """The rank progression named (or the default file, when it exists) and its path."""
    from engine.inputs.progression import load_rank_progression

    if pangkat is None:
        if not PANGKAT.is_file():
            return None, []
        pangkat = PANGKAT
    return load_rank_progression(pangkat), [pangkat]


def _lang(lang: str) -> str:
    """The run's language, checked; every message shown from here on is in it."""
    if lang not in LANGUAGES:
        raise InputError([_usage(message("not_a_language", lang=lang), ", ".join(LANGUAGES))])
    set_messages_language(lang)
    return lang


def _usage(what: Any, allowed: Any) -> Problem:
    return Problem(message("command_line"), what, allowed=allowed)


def _imports_done() -> None:
    """The command's modules are imported: the garbage collector back on, past them.

    main() turns the cyclic garbage collector off while Python starts and a command
    imports what it uses: the libraries' modules, classes and functions live as long
    as the process, and the collections their creation set off walked them again and
    again (0.15 CPU s of a demo round's start). They are frozen here (no collection
    walks them again) and the collector runs as usual for the command's own work.
    Each command calls this right after its imports; where the collector was on
    (the command called from a test, not through main()) nothing changes.
    """
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


@app.callback()
def talenta(ctx: typer.Context, lang: LangOpt = DEFAULT) -> None:
    _pass_language(ctx, lang)


def _pass_language(ctx: Any, lang: str) -> None:
    """``--lang`` before the command (``talenta --lang en plan``, ``talenta --lang en
    --help``) is the command's own: each command below takes it as its default."""
    _lang(lang)
    ctx.default_map = {name: {"lang": lang} for name in ctx.command.commands}


@app.command()
def plan(
    scenario: Annotated[Path, typer.Argument()] = Path("scenarios/demo.yaml"),
    out: Annotated[Path, typer.Option("--out")] = Path("out"),
    lang: LangOpt = DEFAULT,
    quiet: Annotated[bool, typer.Option("--quiet")] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    pseudonymise: Annotated[
        bool,
        typer.Option("--pseudonymise"),
    ] = False,
    pangkat: PangkatOpt = None,
) -> None:
    from engine.plan.pipeline import load_context, plan_round
    from engine.report.publish import OutputFolder
    from engine.report.render import render

    _imports_done()
    lang = _lang(lang)
    if pseudonymise:
        from engine.plan.privacy import refuse_key_inside

        refuse_key_inside(out)
        _mask_messages(scenario)
    start = time.perf_counter()
    with OutputFolder(out) as folder, _progress(quiet or as_json) as progress:
        progress.add_task(CONSOLE[lang]["planning"].format(name=scenario.name), total=None)
        ctx = load_context(scenario)
        progression, pangkat_file = _rank_progression(pangkat)
        folder.refuse_inputs([*ctx.input_files.values(), *pangkat_file])
        result = plan_round(ctx, start, pseudonymise=pseudonymise)
        written = folder.publish(render(result, lang, progression))
    wall = time.perf_counter() - start
    s = result.summary
    if as_json:
        out_console.print_json(
            json.dumps(
                {
                    "summary": s.model_dump(mode="json"),
                    "status": result.record.status,
                    "objective": result.record.objective.value,
                    "wall_time_s": round(wall, 3),
                }
            )
        )
        return
    if quiet:
        return
    t = Table(
        title=escape(f"{result.record.manifest.scenario.name} ({result.record.status})"),
        show_header=False,
    )
    c = CONSOLE[lang]
    for key, value in (
        ("posts_opened", s.posts_opened),
        ("posts_vacated_by_moves", s.posts_vacated_by_moves),
        ("posts_filled", s.posts_filled),
        ("posts_unfilled", s.posts_unfilled),
        ("moves", f"{s.moves} ({s.promotions})"),
        ("chains", f"{s.chains} ({s.longest_chain})"),
        ("mean_fit", s.mean_fit),
        ("objective", result.record.objective.value),
        ("gain_over_greedy", result.record.baselines["greedy"].gain_of_optimum),
        ("wall_time", c["seconds"].format(s=wall)),
    ):
        t.add_row(c["plan_rows"][key], escape(str(value)))
    out_console.print(t)
    _print_written(written, lang)


@app.command()
def explain(
    nip: Annotated[str, typer.Argument()],
    jabatan: Annotated[str, typer.Argument()],
    scenario: Annotated[Path, typer.Option("--scenario")] = Path("scenarios/demo.yaml"),
    lang: LangOpt = DEFAULT,
) -> None:
    from engine.plan.explain import LoadedRound
    from engine.round.context import load_context

    _imports_done()
    lang = _lang(lang)
    ctx = load_context(scenario)
    i, j = _find(ctx, nip, jabatan)
    found = LoadedRound(ctx).explain(i, j, lang)
    title = f"{ctx.people.nama[i]} ({nip}) → {ctx.posts.nama[j]} ({jabatan}), {ctx.day}"
    _print_verdicts(title, found.verdicts, lang)
    _print_missing(ctx, i, lang)
    # The round's own policy too (one implementation: engine.eligibility.moves):
    # who reaches BUP before the cut-off leaves, and the scenario's moves.
    hard_fail = found.failed + ([MOVES[lang][found.policy]] if found.policy else [])
    verdict = CONSOLE[lang]["not_eligible_verdict" if hard_fail else "eligible_verdict"]
    out_console.print(
        verdict + (f": {', '.join(hard_fail)}" if hard_fail else ""),
        markup=False,
        highlight=False,
        soft_wrap=True,
    )


def _print_missing(ctx: Any, i: int, lang: str) -> None:
    """Say which fit components of the person are made without their data, and how they count."""
    from engine.report.workbook import missing_text
    from engine.scoring.fit import missing_data

    missing = [c for c, flags in missing_data(ctx.people, ctx.weights).items() if flags[i]]
    if missing:
        labels = REPORT[lang]
        text = missing_text(missing, ctx.weights.missing_assessment, labels)
        out_console.print(
            f"{labels['missing_data']}: {text} (missing_assessment: {ctx.weights.missing_assessment})",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )


@app.command()
def check(
    paths: Annotated[
        list[Path],
        typer.Argument(),
    ],
    unverified: Annotated[
        bool,
        typer.Option("--unverified"),
    ] = False,
    lang: LangOpt = DEFAULT,
) -> None:
    from engine.check import check_paths

    _imports_done()
    c = CONSOLE[_lang(lang)]
    result = check_paths(paths)
    for name, what in result.checked:
        kind, _, count = what.partition(" ")
        shown = c["check_kinds"].get(kind, kind) + (f" {count}" if count else "")
        out_console.print(
            c["check_ok"].format(file=name, what=shown), markup=False, highlight=False
        )
    if unverified:
        out_console.print(c["check_unverified"].format(n=len(result.unverified)), markup=False)
        for line in result.unverified:
            out_console.print(f"  {line}", markup=False, highlight=False, soft_wrap=True)
    if result.problems:
        raise InputError(result.problems)
    out_console.print(c["check_done"].format(n=len(result.checked)), markup=False)


@app.command()
def eligible(
    jabatan: Annotated[str, typer.Argument()],
    scenario: Annotated[Path, typer.Option("--scenario")] = Path("scenarios/demo.yaml"),
    nearest: Annotated[int, typer.Option("--nearest")] = 5,
    lang: LangOpt = DEFAULT,
) -> None:
    from engine.plan.explain import LoadedRound
    from engine.report.workbook import missing_text
    from engine.round.context import load_context

    _imports_done()
    lang = _lang(lang)
    ctx = load_context(scenario)
    _, j = _find(ctx, None, jabatan)
    result = LoadedRound(ctx).eligible(j, nearest=nearest, lang=lang)
    c = CONSOLE[lang]
    title = c["eligible_title"].format(
        post=ctx.posts.nama[j], jabatan=jabatan, day=ctx.day, n=len(result.eligible)
    )
    t = Table(title=escape(title))
    labels = REPORT[lang]
    for col in (*c["eligible_head"], labels["missing_data"]):
        t.add_column(col)
    for k, row in enumerate(result.eligible, start=1):
        t.add_row(
            str(k),
            escape(row["nip"]),
            escape(row["nama"]),
            escape(row["jabatan"]),
            f"{row['fit']:.1f}",
            escape("; ".join(row["obligations"]) or "-"),
            escape(missing_text(row["missing"], ctx.weights.missing_assessment, labels)),
        )
    out_console.print(t)
    if result.nearest:
        t = Table(title=c["nearest_title"])
        for col in c["nearest_head"]:
            t.add_column(col)
        for row in result.nearest:
            t.add_row(
                escape(row["nip"]),
                escape(row["nama"]),
                escape(", ".join(row["failed"])),
                escape("; ".join(row["changes"])),
                escape(str(row["from_date"] or "-")),
            )
        out_console.print(t)
    unverified = [
        r.rule.id
        for r, mask in ctx.ruleset.applicable(ctx.day, ctx.posts)
        if mask[j] and not r.rule.verified
    ]
    if unverified:
        out_console.print(
            f"{REPORT[lang]['unverified']}: {', '.join(unverified)}", markup=False, soft_wrap=True
        )


@app.command()
def compare(
    plans: Annotated[
        list[Path],
        typer.Argument(),
    ],
    out: Annotated[Path, typer.Option("--out")] = Path("out/compare"),
    lang: LangOpt = DEFAULT,
    quiet: Annotated[bool, typer.Option("--quiet")] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    from engine.plan.changes import explain_changes
    from engine.plan.compare import compare_plans
    from engine.plan.pipeline import build_plan
    from engine.plan.records import read_plan
    from engine.report.publish import OutputFolder
    from engine.report.render import LABELS, render_comparison

    _imports_done()
    lang = _lang(lang)
    if len(plans) < 2:
        raise InputError(
            [_usage(f"compare got {len(plans)} plan(s)", "two or more scenario or plan.json files")]
        )
    data, rounds = [], []
    with OutputFolder(out) as folder, _progress(quiet or as_json) as progress:
        folder.refuse_inputs(plans, message("the_comparison"))
        task = progress.add_task("planning", total=len(plans))
        for path in plans:
            progress.update(task, description=f"planning {path.name}")
            if path.suffix == ".json":
                data.append(read_plan(path))
            else:
                rounds.append(build_plan(path))
                folder.refuse_inputs(
                    rounds[-1].context.input_files.values(), message("the_comparison")
                )
                data.append(rounds[-1].record)
            progress.advance(task)
        comparison = compare_plans(data, LABELS[lang], lang)
        if len(rounds) == len(data):  # every plan built here: say why each placement changed
            explain_changes(comparison, rounds, lang)
        written = folder.publish(render_comparison(comparison, lang))
    if as_json:
        out_console.print_json(json.dumps(comparison.as_dict(), ensure_ascii=False))
        return
    if quiet:
        return
    t = Table(title=LABELS[lang]["compare_title"])
    t.add_column("")
    for name in comparison.names:
        t.add_column(escape(name), justify="right")
    for key, values in comparison.kpis:
        t.add_row(
            LABELS[lang]["kpi"].get(key, key),
            *("-" if v is None else escape(str(v)) for v in values),
        )
    t.add_row(LABELS[lang]["objective"], *(escape(str(v)) for v in comparison.objective))
    out_console.print(t)
    for line in comparison.lines[:40]:
        out_console.print("- " + line, markup=False, highlight=False)
    if len(comparison.lines) > 40:
        more = CONSOLE[lang]["more_in"].format(
            n=len(comparison.lines) - 40, path=out / "compare.md"
        )
        out_console.print(more, markup=False)
    _print_written(written, lang)


@app.command()
def rerun(
    plan_json: Annotated[Path, typer.Argument()],
    out: Annotated[Path, typer.Option("--out")] = Path("out/rerun"),
    lang: LangOpt = DEFAULT,
) -> None:
    from engine.inputs.yamlio import read_text
    from engine.plan.pipeline import load_context, plan_round
    from engine.plan.records import MAX_PLAN_JSON_BYTES, read_plan
    from engine.plan.sections import input_hashes
    from engine.report.publish import OutputFolder
    from engine.report.render import plan_json as render_json
    from engine.report.render import render

    _imports_done()
    lang = _lang(lang)
    old = read_plan(plan_json)
    old_text = read_text(plan_json, str(plan_json), max_bytes=MAX_PLAN_JSON_BYTES)
    manifest = old.manifest
    scenario = Path(manifest.scenario.path or manifest.scenario.file)
    with OutputFolder(out) as folder:
        folder.refuse_inputs([plan_json], message("the_rerun"))
        ctx = load_context(scenario)
        folder.refuse_inputs(ctx.input_files.values(), message("the_rerun"))
        now = input_hashes(ctx.input_files)
        changed = sorted(
            role
            for role in set(now) | set(manifest.inputs_sha256)
            if now.get(role) != manifest.inputs_sha256.get(role)
        )
        if changed:
            raise InputError(
                [
                    Problem(
                        str(plan_json),
                        message("input_changed", role=role),
                        allowed=message("inputs_hashed"),
                    )
                    for role in changed
                ]
            )
        result = plan_round(ctx, pseudonymise=bool(manifest.pseudonymised))
        folder.publish(render(result, lang, _rank_progression(None)[0]))
    if render_json(result) == old_text:
        same = CONSOLE[lang]["identical"].format(new=out / "plan.json", old=plan_json)
        out_console.print(same, markup=False)
        return
    before, now_plan = old.to_dict(), result.record.to_dict()
    differ = sorted(k for k in set(before) | set(now_plan) if before.get(k) != now_plan.get(k))
    versions = result.record.manifest.versions
    text = CONSOLE[lang]["differs"].format(keys=", ".join(differ), versions=versions)
    out_console.print(text, markup=False)
    raise typer.Exit(1)


def _progress(quiet: bool):
    """A progress bar on a terminal; silent when quiet or not a TTY."""
    from rich.progress import Progress

    return Progress(
        console=err_console, transient=True, disable=quiet or not err_console.is_terminal
    )


@app.command()
def succession(
    scenario: Annotated[Path, typer.Argument()] = Path("scenarios/demo.yaml"),
    horizon: Annotated[
        int,
        typer.Option("--horizon"),
    ] = 5,
    out: Annotated[Path, typer.Option("--out")] = Path("out/succession"),
    pangkat: Annotated[
        Path,
        typer.Option("--pangkat"),
    ] = Path("rules/kenaikan-pangkat.yaml"),
    window: Annotated[int, typer.Option("--window")] = 2,
    lang: LangOpt = DEFAULT,
    quiet: Annotated[bool, typer.Option("--quiet")] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    from engine.inputs.progression import load_rank_progression
    from engine.plan.pipeline import load_context
    from engine.report import succession as report
    from engine.report.publish import OutputFolder
    from engine.succession.analysis import succession_of

    _imports_done()
    lang = _lang(lang)
    if not 0 <= horizon <= 30:
        raise InputError([_usage(f"--horizon {horizon}", "0 to 30 years")])
    if not 1 <= window <= 5:
        raise InputError([_usage(f"--window {window}", "1 to 5 years")])
    start = time.perf_counter()
    with OutputFolder(out) as folder, _progress(quiet or as_json) as progress:
        ctx = load_context(scenario)
        folder.refuse_inputs([*ctx.input_files.values(), pangkat], message("the_succession_run"))
        progression = load_rank_progression(pangkat)
        c = CONSOLE[lang]
        task = progress.add_task(c["succession"], total=max(horizon, 1))

        def on_year(k: int, day) -> None:
            progress.update(task, completed=k, description=c["year"].format(k=k, day=day))

        result = succession_of(ctx, progression, horizon, window=window, on_year=on_year)
        result.timings["total"] = time.perf_counter() - start
        written = folder.publish(dict(report.succession_files(result, lang)))
    wall = time.perf_counter() - start
    data = result.as_dict()
    if as_json:
        out_console.print_json(report.summary_json(data, wall))
        return
    if quiet:
        return
    t = Table(
        title=escape(f"{data['scenario']['name']}, {data['scenario']['date']}"), show_header=False
    )
    for row in report.summary_rows(data, window, wall, lang):
        t.add_row(*(escape(cell) for cell in row))
    out_console.print(t)
    if data["horizon"]:
        t = Table(
            title=c["horizon_title"].format(n=horizon),
            caption=c["horizon_caption"].format(window=window),
        )
        head = c["horizon_head"]
        t.add_column(head[0], no_wrap=True)
        for col in head[1:]:
            t.add_column(col, justify="right")
        for row in report.horizon_rows(data):
            t.add_row(*(escape(cell) for cell in row))
        out_console.print(t)
    _print_written(written, lang)


def _print_written(written: list[Path], lang: str) -> None:
    files = ", ".join(str(p) for p in written)
    out_console.print(CONSOLE[lang]["written"].format(files=files), markup=False)


import_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None)
app.add_typer(import_app, name="import")


@import_app.callback()
def import_group(ctx: typer.Context, lang: LangOpt = DEFAULT) -> None:
    _pass_language(ctx, lang)


@import_app.command("siasn")
def import_siasn(
    sources: Annotated[
        list[Path],
        typer.Argument(),
    ],
    out: Annotated[Path, typer.Option("--out")],
    extra: Annotated[
        list[Path] | None,
        typer.Option("--extra"),
    ] = None,
    mapping: Annotated[Path | None, typer.Option("--mapping")] = None,
    taxonomy: Annotated[
        Path | None,
        typer.Option("--taxonomy"),
    ] = None,
    without_cpns: Annotated[bool, typer.Option("--without-cpns")] = False,
    pseudonymise: Annotated[bool, typer.Option("--pseudonymise")] = False,
    lang: LangOpt = DEFAULT,
) -> None:
    from engine.inputs.siasn.run import command

    _imports_done()
    _lang(lang)
    for line in command(sources, out, extra or [], mapping, taxonomy, without_cpns, pseudonymise):
        out_console.print(line, markup=False, highlight=False)


VERDICT_STYLE = {"PASS": "green", "FAIL": "red", "UNKNOWN": "yellow"}
# Below this width a table of five columns cuts its cells: one block per rule.
WIDE_CONSOLE = 120


def _print_verdicts(title: str, rows: list[Any], lang: str) -> None:
    """Each rule's verdict: a table on a wide console, else one block per rule.

    A rule id is a name to look up: it is never wrapped or cut.
    """
    c = CONSOLE[lang]
    head = c["verdicts_head"]
    if out_console.width >= WIDE_CONSOLE:
        t = Table(title=escape(title))
        width = max((len(v.rule_id) + len(_strength(v, lang)) for v in rows), default=4)
        t.add_column(head[0], no_wrap=True, min_width=width)
        for col in head[1:]:
            t.add_column(col)
        for v in rows:
            t.add_row(
                escape(f"{v.rule_id}{_strength(v, lang)}"),
                f"[{VERDICT_STYLE[v.verdict]}]{escape(c['verdict'][v.verdict])}[/]",
                escape(v.explanation),
                escape(v.counterfactual.text(lang) if v.counterfactual else ""),
                escape(source_text(v.source, v.verified, lang)),
            )
        out_console.print(t)
        return
    out_console.print(escape(title), style="bold", soft_wrap=True)
    for v in rows:
        word = escape(c["verdict"][v.verdict])
        out_console.print(
            f"{escape(v.rule_id)}{escape(_strength(v, lang))}  [{VERDICT_STYLE[v.verdict]}]{word}[/]",
            soft_wrap=True,
        )
        for label, text in (
            (head[2], v.explanation),
            (head[3], v.counterfactual.text(lang) if v.counterfactual else ""),
            (head[4], source_text(v.source, v.verified, lang)),
        ):
            if text:
                out_console.print(f"  {label}: {escape(text)}")


def _strength(v: Any, lang: str) -> str:
    """How a soft rule counts (a hard rule: nothing)."""
    return "" if v.hard else CONSOLE[lang]["soft"].format(penalty=v.penalty)


def _find(ctx, nip: str | None, jabatan: str) -> tuple[int, int]:
    problems = []
    people_index = {n: k for k, n in enumerate(ctx.people.nip)}
    post_index = {p: k for k, p in enumerate(ctx.posts.jabatan_id)}
    if nip is not None and nip not in people_index:
        problems.append(
            Problem(
                message("command_line"),
                message("nip_not_in_pegawai", nip=nip),
                hint=did_you_mean(nip, list(people_index)),
            )
        )
    if jabatan not in post_index:
        problems.append(
            Problem(
                message("command_line"),
                message("jabatan_id_not_in_jabatan", jabatan=jabatan),
                hint=did_you_mean(jabatan, list(post_index)),
            )
        )
    if problems:
        raise InputError(problems)
    return (people_index[nip] if nip is not None else -1), post_index[jabatan]


# How a message is shown: a pseudonymised run masks NIPs and names in every
# message it prints, its errors included (set by `plan --pseudonymise`).
_show: Callable[[str], str] = str


def _mask_messages(scenario: Path) -> None:
    """Mask NIPs, and the names of the scenario's pegawai table, in every message printed."""
    import secrets

    from engine.plan.privacy import mask_text, names_of_round

    names: list[str] | None = None
    key = secrets.token_bytes(32)

    def masked(text: str) -> str:
        nonlocal names
        if names is None:
            names = names_of_round(scenario)
        return mask_text(text, names, key)

    global _show
    _show = masked


def _new_password(lang: str) -> str:
    """A password typed twice (hidden), asked again until both agree; the prompts in ``lang``."""
    c = CONSOLE[lang]
    while True:
        first = typer.prompt(c["password_prompt"], hide_input=True)
        if first == typer.prompt(c["password_again"], hide_input=True):
            return first
        err_console.print(c["password_mismatch"], markup=False)


@app.command()
def serve(
    scenario: Annotated[Path | None, typer.Argument()] = None,
    host: Annotated[str, typer.Option("--host")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port")] = 8765,
    db: Annotated[str, typer.Option("--db")] = "talenta-sessions.db",
    add_account: Annotated[
        str | None,
        typer.Option("--add-account"),
    ] = None,
    tls_cert: Annotated[Path | None, typer.Option("--tls-cert")] = None,
    tls_key: Annotated[Path | None, typer.Option("--tls-key")] = None,
    pseudonymise: Annotated[bool, typer.Option("--pseudonymise")] = False,
    lang: LangOpt = DEFAULT,
) -> None:
    from engine.app import web

    _imports_done()
    lang = _lang(lang)
    if add_account is not None:
        web.account_spec(add_account)  # a wrong spec is told before the password is asked
        password = _new_password(lang)
        out_console.print(web.add_account_from_cli(db, add_account, password, lang), markup=False)
        return
    if (tls_cert is None) != (tls_key is None):
        raise InputError([_usage(message("options_together"), message("both_or_neither"))])
    tls = (str(tls_cert), str(tls_key)) if tls_cert and tls_key else None
    web.serve(
        scenario, host, port, db, echo=typer.echo, tls=tls, pseudonymise=pseudonymise, lang=lang
    )


def small_pages_for_numpy() -> None:
    """Ask numpy not to back its large arrays with transparent huge pages.

    numpy marks every array of 4 MB or more ``MADV_HUGEPAGE``. Where the kernel
    then compacts memory to find 2 MB pages on the spot (``defrag`` set to
    ``madvise``, the common default), a round that makes and drops many large
    arrays spends its time in the kernel: at 20,000 people, 13.7 s of system time
    against 3.4 s with ordinary pages, for about 1 s more of user time
    (docs/solvers.md, "Huge pages"). A value the user set in
    ``NUMPY_MADVISE_HUGEPAGE`` is kept. It must run before numpy is imported,
    which reads the variable once.
    """
    os.environ.setdefault("NUMPY_MADVISE_HUGEPAGE", "0")


def main() -> None:
    """Entry point: run the app and turn errors into messages and exit codes.

    A usage error (a mistyped option, a missing argument, a bad value) is
    told through the catalogue in the language the command line asks for,
    with the command's usage (exit code 2); the project's own errors are
    printed as they are (exit code 2); anything else is an internal error,
    one line and exit code 1 (the traceback with ``TALENTA_DEBUG=1``).
    """
    # Off until the command's imports are done (_imports_done): what Python and the
    # libraries create as they start is not garbage, and collecting walked it again and again.
    gc.disable()
    from engine.help import set_help
    from engine.usage import argv_language, is_parser_error, usage_lines

    small_pages_for_numpy()
    try:
        command = typer.main.get_command(app)
        set_help(command, argv_language(sys.argv[1:]), pangkat=PANGKAT)
        try:
            code = command.main(
                prog_name="talenta", standalone_mode=False
            )  # the parser's errors come here
        except typer.Abort:
            err_console.print(message("_aborted").render(argv_language(sys.argv[1:])))
            sys.exit(1)
        except Exception as exc:
            if not is_parser_error(exc):
                raise
            for line in usage_lines(exc, argv_language(sys.argv[1:])):
                err_console.print(line, markup=False, highlight=False)
            sys.exit(exc.exit_code)  # type: ignore[attr-defined]
        if isinstance(code, int) and code:
            sys.exit(code)  # typer.Exit(code) of a command
    except TalentaError as exc:
        err_console.print(_show(str(exc)), markup=False, highlight=False)
        sys.exit(2)
    except KeyboardInterrupt:
        err_console.print(str(message("_interrupted")), markup=False)
        sys.exit(130)
    except Exception as exc:
        if os.environ.get("TALENTA_DEBUG"):
            raise
        err_console.print(
            _show(str(message("_internal_error", error=f"{type(exc).__name__}: {exc}"))),
            markup=False,
            highlight=False,
        )
        sys.exit(1)


if __name__ == "__main__":
    main()
