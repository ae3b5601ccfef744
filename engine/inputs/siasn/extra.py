"""The office's own extra table: what SIASN does not hold.

Takes CSV or XLSX files in the format of docs/data.md ("Extra table for a
SIASN import"): a table keyed by ``nip`` may give ``jpm``, ``kompetensi`` and
``jurusan``; a table keyed by ``jabatan_id`` may give ``bidang``,
``kecamatan`` and ``kritis``. Gives the pegawai and jabatan tables with those
columns filled; a value of the extra table wins over SIASN's. Every problem
(an unknown column, a key not imported, a value out of range) is reported
with file, line and column.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from engine.errors import InputError, Problem, Text, allowed_list, message
from engine.inputs.data import read_table
from engine.inputs.settings import Taxonomy
from engine.inputs.siasn.values import Context

__all__ = ["PERSON", "POST", "apply_extra"]

PERSON = ("jpm", "kompetensi", "jurusan")
POST = ("bidang", "kecamatan", "kritis")
_YES_NO = {"ya", "y", "true", "1", "benar", "tidak", "t", "false", "0", "salah"}


def _check_values(
    ctx: Context, name: str, frame: pd.DataFrame, lines: list[int], taxonomy: Taxonomy
) -> None:
    def bad(mask: pd.Series, column: str, what: str, allowed: Text) -> None:
        for i in np.flatnonzero(mask.to_numpy()):
            ctx.problems.append(
                Problem(
                    name,
                    message(what, value=str(frame[column].iat[i])[:40]),
                    line=lines[i],
                    column=column,
                    allowed=allowed,
                )
            )

    given = {c: frame[c].fillna("").str.strip() for c in frame.columns}
    if "jpm" in given:
        n = pd.to_numeric(given["jpm"].str.replace(",", "."), errors="coerce")
        bad((given["jpm"] != "") & ~n.between(0, 100), "jpm", "siasn_not_jpm", "0-100")
    if "kompetensi" in given:
        n = pd.to_numeric(given["kompetensi"], errors="coerce")
        bad(
            (given["kompetensi"] != "") & ~n.isin([1, 2, 3, 4, 5]),
            "kompetensi",
            "siasn_not_competency",
            "1, 2, 3, 4, 5",
        )
    if "kritis" in given:
        bad(
            (given["kritis"] != "") & ~given["kritis"].str.lower().isin(_YES_NO),
            "kritis",
            "siasn_not_yes_no",
            "ya, tidak",
        )
    if "bidang" in given:
        fields = set(taxonomy.fields)
        bad(
            (given["bidang"] != "") & ~given["bidang"].isin(fields),
            "bidang",
            "siasn_not_field",
            allowed_list(sorted(fields), 8),
        )
    if "jurusan" in given:
        majors = set(taxonomy.field_of_major)
        bad(
            (given["jurusan"] != "") & ~given["jurusan"].isin(majors),
            "jurusan",
            "siasn_not_major",
            message("siasn_a_major"),
        )


def _read(
    ctx: Context, path: Path, taxonomy: Taxonomy
) -> tuple[str, pd.DataFrame, list[int]] | None:
    name = str(path)
    try:
        frame, _ = read_table(path)
    except InputError as exc:
        ctx.problems.extend(exc.problems)
        return None
    lines = list(frame.attrs.get("source_lines", []))
    key = (
        "nip" if "nip" in frame.columns else "jabatan_id" if "jabatan_id" in frame.columns else None
    )
    if key is None:
        ctx.problems.append(
            Problem(
                name,
                message("siasn_no_key_column"),
                line=1,
                allowed=message("siasn_key_column", nip="nip", jabatan="jabatan_id"),
            )
        )
        return None
    allowed = PERSON if key == "nip" else POST
    for column in frame.columns:
        if column != key and column not in allowed:
            ctx.problems.append(
                Problem(
                    name,
                    message("siasn_unknown_extra_column", column=column, key=key),
                    line=1,
                    allowed=", ".join(allowed),
                )
            )
    dup = frame[key].duplicated(keep="first").to_numpy()
    for i in np.flatnonzero(dup):
        ctx.problems.append(
            Problem(
                name,
                message("siasn_key_twice", key=key, value=frame[key].iat[i]),
                line=lines[i],
                column=key,
            )
        )
    _check_values(ctx, name, frame, lines, taxonomy)
    return key, frame, lines


def apply_extra(
    ctx: Context,
    paths: list[Path],
    pegawai: pd.DataFrame,
    jabatan: pd.DataFrame,
    taxonomy: Taxonomy,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """pegawai and jabatan with the columns of the extra tables filled in."""
    for path in paths:
        found = _read(ctx, path, taxonomy)
        if found is None:
            continue
        key, frame, lines = found
        target = pegawai if key == "nip" else jabatan
        known = set(target[key].dropna())
        for i, value in enumerate(frame[key]):
            if value not in known and value not in ctx.left_out:
                shown = ctx.masker.nip(value) if key == "nip" else value
                ctx.problems.append(
                    Problem(
                        str(path),
                        message(
                            "siasn_nip_not_imported" if key == "nip" else "siasn_post_not_imported",
                            key=key,
                            value=shown,
                        ),
                        line=lines[i],
                        column=key,
                    )
                )
        values = frame.drop_duplicates(key).set_index(key)
        for column in values.columns:
            cells = values[column]
            given = target[key].map(cells.where(cells != "", None))
            if column in target.columns:
                target[column] = given.where(given.notna(), target[column])
            else:
                target[column] = given
    return pegawai, jabatan
