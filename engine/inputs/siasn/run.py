"""``talenta import siasn``: from SIASN files to talenta's tables, whole or not at all.

Takes SIASN sources, an output folder, the mapping folder, the taxonomy,
optional extra tables of the office, and two switches (leave CPNS out; mask
personal data in messages and the report). Gives the folder with
pegawai.csv, jabatan.csv, riwayat_jabatan.csv, hukuman_disiplin.csv (when
the sources hold rw-hukdis responses), import-report.md and
import-report.json, and the :class:`~engine.inputs.siasn.report.Log`.

Every problem of every file is collected and raised at the end as one
:class:`~engine.errors.InputError`; nothing is written then. The tables are
written to a temporary folder beside the output folder and renamed into
place, so a reader sees the old folder or the whole new one. Inputs are only
read.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from engine.errors import InputError, Problem, message, messages_language
from engine.i18n import CONSOLE
from engine.inputs.data import HUKUMAN_COLUMNS, PEGAWAI_COLUMNS, RIWAYAT_COLUMNS, load_tables
from engine.inputs.settings import Taxonomy, load_taxonomy
from engine.inputs.siasn.extra import apply_extra
from engine.inputs.siasn.history import diklat, hukdis, riwayat, skp
from engine.inputs.siasn.mapping import DEFAULT_FOLDER, load_mapping
from engine.inputs.siasn.people import build_people
from engine.inputs.siasn.posts import JABATAN, build_posts
from engine.inputs.siasn.read import EXPORT, read_sources
from engine.inputs.siasn.report import Log, Masker, render_json, render_markdown, summary
from engine.inputs.siasn.unor import build_tree
from engine.inputs.siasn.values import Context

__all__ = ["OUTPUTS", "Options", "command", "import_siasn"]

OUTPUTS = (
    "pegawai.csv",
    "jabatan.csv",
    "riwayat_jabatan.csv",
    "import-report.md",
    "import-report.json",
    "hukuman_disiplin.csv",  # only when the sources hold rw-hukdis responses
)
HUKUMAN = tuple(c.name for c in HUKUMAN_COLUMNS)
# The tables in contract order (engine.inputs.data, docs/data.md); the
# pegawai table's SKP columns (skp_YYYY) go between its head and its tail.
_PEGAWAI = tuple(c.name for c in PEGAWAI_COLUMNS)
PEGAWAI_HEAD = _PEGAWAI[: _PEGAWAI.index("tmt_jabatan") + 1]
PEGAWAI_TAIL = _PEGAWAI[len(PEGAWAI_HEAD) :]
RIWAYAT = tuple(c.name for c in RIWAYAT_COLUMNS)
# Endpoints read but not used, and why: each is listed in the report.
UNUSED = {
    "rw-golongan": message("siasn_log_unused_golongan"),
    "rw-pendidikan": message("siasn_log_unused_pendidikan"),
    "rw-kinerjaperiodik": message("siasn_log_unused_kinerja"),
    "rw-kursus": message("siasn_log_unused_kursus"),
}
# Columns SIASN cannot carry, and why (the office's extra tables give them).
NO_SOURCE = {
    ("pegawai", "jpm"): message("siasn_log_no_jpm"),
    ("pegawai", "kompetensi"): message("siasn_log_no_kompetensi"),
    ("jabatan", "bidang"): message("siasn_log_no_bidang"),
    ("jabatan", "kecamatan"): message("siasn_log_no_kecamatan"),
    ("jabatan", "kritis"): message("siasn_log_no_kritis"),
}


@dataclass
class Options:
    """How to import: the mapping, the taxonomy, extra tables and the switches."""

    mapping: Path = DEFAULT_FOLDER
    taxonomy: Path = DEFAULT_FOLDER.parents[1] / "rules" / "taksonomi.yaml"
    extra: list[Path] = field(default_factory=list)
    without_cpns: bool = False
    pseudonymise: bool = False


def _check_out(out: Path, sources: list[Path]) -> list[Problem]:
    problems = []
    if out.exists() and not out.is_dir():
        problems.append(
            Problem(str(out), message("is_a_file"), allowed=message("a_folder_for_import"))
        )
    elif out.is_dir():
        others = sorted(p.name for p in out.iterdir() if p.name not in OUTPUTS)
        if others:
            problems.append(
                Problem(
                    str(out),
                    message("holds_other_files", files=", ".join(others[:5])),
                    allowed=message("new_or_import_folder"),
                    hint=message("choose_other_out"),
                )
            )
    resolved = out.resolve()
    for source in sources:
        src = source.resolve()
        if src == resolved or resolved in src.parents:
            problems.append(
                Problem(
                    str(source),
                    message("siasn_source_inside_out"),
                    allowed=message("siasn_sources_apart"),
                )
            )
    return problems


def _map(ctx: Context, frames: dict[str, pd.DataFrame], taxonomy: Taxonomy, options: Options):
    """The three tables from the raw frames (problems go to ctx)."""
    tree = build_tree(ctx, frames.get("ref-unor"))
    people = build_people(ctx, frames, tree, taxonomy, options.without_cpns)
    posts = build_posts(ctx, tree, people)
    history = riwayat(ctx, frames, people, tree)
    pegawai = people.table
    worst, sanctions = hukdis(ctx, frames, people)
    for part in (skp(ctx, frames, people), worst, diklat(ctx, frames, people)):
        pegawai = pegawai.merge(part, on="nip", how="left")
    for column in PEGAWAI_TAIL:
        if column not in pegawai.columns:
            pegawai[column] = None
    pegawai, posts = apply_extra(ctx, options.extra, pegawai, posts, taxonomy)
    for (table, column), why in NO_SOURCE.items():
        frame = pegawai if table == "pegawai" else posts
        empty = frame[column].isna() if column in frame.columns else pd.Series([True])
        if len(frame) and empty.all():
            ctx.log.add(
                "fields_not_mapped", table, column, message("siasn_log_give_extra", why=why)
            )
    skp_cols = sorted(c for c in pegawai.columns if c.startswith("skp_"))
    # One order whatever the order of the files: people by NIP, posts as ref-unor lists them.
    pegawai = pegawai[[*PEGAWAI_HEAD, *skp_cols, *PEGAWAI_TAIL]].sort_values("nip", kind="stable")
    if history is None:
        ctx.log.add(
            "fields_not_mapped", "riwayat_jabatan", "(all)", message("siasn_log_no_rw_jabatan")
        )
        history = pd.DataFrame(columns=list(RIWAYAT))
    if sanctions is not None:
        sanctions = sanctions[list(HUKUMAN)].sort_values(["nip", "hukuman_tmt"], kind="stable")
    return pegawai, posts[list(JABATAN)], history[list(RIWAYAT)], sanctions


def import_siasn(sources: list[Path], out: Path, options: Options) -> Log:
    """Import ``sources`` into ``out``; raise InputError listing every problem."""
    masker = Masker(options.pseudonymise)
    problems = _check_out(out, sources)
    taxonomy = load_taxonomy(options.taxonomy)
    mapping = load_mapping(options.mapping, set(taxonomy.field_of_major))
    raw = read_sources(sources)
    log = Log()
    log.sources = raw.files
    log.empty_answers = raw.empty_answers
    log.settings = {
        "mapping": str(options.mapping),
        "taxonomy": str(options.taxonomy),
        "extra_tables": ", ".join(str(p) for p in options.extra) or "none",
        "cpns": "left_out" if options.without_cpns else "included",
        "personal_data": "masked" if options.pseudonymise else "shown",
    }
    ctx = Context(mapping, log, masker, [*problems, *raw.problems])
    if not {"data-utama", EXPORT} & set(raw.frames) and not raw.problems:
        ctx.problems.append(
            Problem(
                message("command_line"),
                message("siasn_nobody_to_import"),
                allowed=message(
                    "siasn_import_sources", responses="data-utama-<NIP>.json", types=".xlsx/.csv"
                ),
            )
        )
    if ctx.problems:
        raise InputError(_masked(ctx.problems, masker))
    for endpoint, why in UNUSED.items():
        if endpoint in raw.frames:
            log.add(
                "rows_not_mapped",
                endpoint,
                "",
                message("siasn_log_read_not_used", why=why),
                count=len(raw.frames[endpoint]),
            )
    tables = _map(ctx, raw.frames, taxonomy, options)
    if ctx.problems:
        raise InputError(_masked(ctx.problems, masker))
    _write(out, tables, log, taxonomy, masker)
    return log


def _mask_text(text: str, masker: Masker) -> str:
    return re.sub(r"(?<!\d)\d{18}(?!\d)", lambda m: masker.nip(m.group(0)), text)


def _masked(problems: list[Problem], masker: Masker) -> list[Problem]:
    """Problems with every NIP (in messages and in per-NIP file names) masked when asked."""
    if not masker.on:
        return problems
    return [
        replace(p, file=_mask_text(str(p.file), masker), message=_mask_text(str(p.message), masker))
        for p in problems
    ]


def _write(out: Path, tables, log: Log, taxonomy: Taxonomy, masker: Masker) -> None:
    pegawai, jabatan, history, sanctions = tables
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    try:
        for name, frame in zip(OUTPUTS[:3], (pegawai, jabatan, history), strict=True):
            frame.to_csv(tmp / name, index=False, lineterminator="\n")
        log.written = {
            "pegawai": len(pegawai),
            "jabatan": len(jabatan),
            "riwayat_jabatan": len(history),
        }
        if sanctions is not None:
            sanctions.to_csv(tmp / OUTPUTS[5], index=False, lineterminator="\n")
            log.written["hukuman_disiplin"] = len(sanctions)
        log.readiness = _readiness(tmp, out, taxonomy, masker)
        # With --pseudonymise every NIP in the report is masked, file names of
        # per-NIP responses included.
        for name, text in ((OUTPUTS[3], render_markdown(log)), (OUTPUTS[4], render_json(log))):
            (tmp / name).write_text(_mask_text(text, masker) if masker.on else text, "utf-8")
        os.chmod(tmp, 0o777 & ~_umask())
        old = None
        if out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".old", dir=out.parent))
            os.rmdir(old)
            os.rename(out, old)
        os.rename(tmp, out)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _readiness(tmp: Path, out: Path, taxonomy: Taxonomy, masker: Masker) -> list[str]:
    """What talenta's own loader says of the tables written (empty: ready for a round)."""
    empty = [
        str(message("siasn_no_rows", file=out / name))
        for name in ("pegawai.csv", "jabatan.csv")
        if (tmp / name).read_text(encoding="utf-8").count("\n") < 2
    ]
    if empty:  # nothing for the loader to check
        return empty
    try:
        load_tables(
            tmp / "pegawai.csv",
            tmp / "jabatan.csv",
            tmp / "riwayat_jabatan.csv",
            hukuman=tmp / OUTPUTS[5] if (tmp / OUTPUTS[5]).exists() else None,
            majors=list(taxonomy.field_of_major),
            fields=list(taxonomy.fields),
            display=lambda p: str(out / p.name),
        )
    except InputError as exc:
        lines = [str(p) for p in exc.problems[:100]]
        if len(exc.problems) > 100:
            lines.append(str(message("_more_problems", n=len(exc.problems) - 100)))
        if masker.on:
            lines = [_mask_text(line, masker) for line in lines]
        return lines
    return []


def command(
    sources: list[Path],
    out: Path,
    extra: list[Path],
    mapping: Path | None,
    taxonomy: Path | None,
    without_cpns: bool,
    pseudonymise: bool,
) -> list[str]:
    """Run the import as the command line asks; the lines to print on success."""
    options = Options(extra=extra, without_cpns=without_cpns, pseudonymise=pseudonymise)
    if mapping is not None:
        options.mapping = mapping
    if taxonomy is not None:
        options.taxonomy = taxonomy
    log = import_siasn(sources, out, options)
    files = [name for name in OUTPUTS if (out / name).exists()]
    written = CONSOLE[messages_language()]["written"]
    return [*summary(log), written.format(files=", ".join(str(out / name) for name in files))]
