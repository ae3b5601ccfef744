"""The pegawai table from data-utama responses and Export Data ASN rows.

Takes the raw ``data-utama`` and ``export`` frames, the unit tree and the
taxonomy; gives the people in service as a frame of talenta's pegawai columns
(text, ISO dates) plus the SIASN person id of each, for joining histories and
post leaders. One person may appear in both sources: per value, the API's is
taken and the export fills what it lacks. People not in service (kedudukan
hukum other than active) and, when asked, CPNS are left out and listed.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from engine.errors import Text, message
from engine.inputs.settings import Taxonomy
from engine.inputs.siasn.read import EXPORT
from engine.inputs.siasn.unor import Tree
from engine.inputs.siasn.values import Context, Rows, code, dates, jenis_jabatan, section

__all__ = ["People", "build_people", "iso", "match_jurusan"]

_DEGREE = re.compile(
    r"^\s*(?:S\s*[-.]?\s*[123]|D\s*[-.]?\s*(?:IV|III|II|I|[1-4])|STRATA\s*[-.]?\s*(?:III|II|I|[123])"
    r"|DIPLOMA\s*[-.]?\s*(?:IV|III|II|I|[1-4])|SARJANA|MAGISTER|DOKTOR|PROFESI|SPESIALIS"
    r"|SMA|SMU|SMK|SLTA|SLTP|SMP|SD)(?![A-Z])[\s.:/-]*",
    re.IGNORECASE,
)
_NIP = r"\d{18}"
REQUIRED = (
    "nama",
    "jenis_kelamin",
    "tanggal_lahir",
    "tmt_cpns",
    "golongan_id",
    "tmt_golongan",
    "pendidikan_id",
    "jenis_jabatan_id",
    "nama_jabatan",
    "tmt_jabatan",
)


@dataclass
class People:
    """The people imported: talenta's pegawai columns, and the SIASN id of each."""

    table: pd.DataFrame  # pegawai columns (no skp_YYYY yet), one row per NIP
    ids: dict[str, str]  # lower-case SIASN person id -> NIP


def iso(values: pd.Series) -> pd.Series:
    """datetime64 as YYYY-MM-DD text; missing stays None."""
    return values.dt.strftime("%Y-%m-%d").astype(object).where(values.notna(), None)


def _norm(values: pd.Series) -> pd.Series:
    text = values.fillna("").str.replace(_DEGREE, "", regex=True)
    return text.str.replace(r"\s+", " ", regex=True).str.strip(" .,-").str.upper()


def match_jurusan(ctx: Context, people: pd.DataFrame, taxonomy: Taxonomy) -> pd.Series:
    """The taxonomy major of each person's last degree name, or the name as SIASN has it.

    A name that equals a major once its degree is dropped is that major;
    else the reviewed lookup of jurusan.yaml decides; else the name is kept
    as it is and listed in the report, never guessed.
    """
    by_name = {_norm(pd.Series([m])).iat[0]: m for m in taxonomy.field_of_major}
    lookup = {_norm(pd.Series([k])).iat[0]: v for k, v in ctx.mapping.jurusan.majors.items()}
    key = _norm(people["jurusan"])
    named = key.map(by_name)
    looked = key.map(lookup)
    out = named.where(named.notna(), looked)
    given = people["jurusan"].notna().to_numpy()
    hit = given & named.notna().to_numpy()
    if hit.any():
        ctx.log.add(
            "guessed",
            "pegawai",
            "jurusan",
            message("siasn_log_degree_name"),
            Rows(ctx, people, np.flatnonzero(hit)),
        )
    hit = given & named.isna().to_numpy() & looked.notna().to_numpy()
    if hit.any():
        reviewed = ctx.mapping.jurusan.reviewed
        ctx.log.add(
            "guessed",
            "pegawai",
            "jurusan",
            message("siasn_log_jurusan_yaml", reviewed=reviewed),
            Rows(ctx, people, np.flatnonzero(hit)),
        )
    unmatched = given & out.isna().to_numpy()
    counts = people["jurusan"][unmatched].value_counts()
    ctx.log.unmatched_jurusan = [{"text": t, "people": int(n)} for t, n in counts.items()]
    missing = ~given
    if missing.any():
        ctx.log.add(
            "fields_not_mapped",
            "pegawai",
            "jurusan",
            message("siasn_log_no_degree_name"),
            Rows(ctx, people, np.flatnonzero(missing)),
        )
    return out.where(out.notna(), people["jurusan"]).astype(object)


def _gather(ctx: Context, frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per NIP from data-utama and the export (data-utama first)."""
    parts = [
        section(ctx.mapping, frames[k], "person") for k in ("data-utama", EXPORT) if k in frames
    ]
    rows = pd.concat(parts, ignore_index=True)
    rows["nip"] = rows["nip"].where(rows["nip"].notna(), rows["_key_nip"])
    bad = rows["nip"].isna() | ~rows["nip"].fillna("").str.fullmatch(_NIP)
    ctx.report(
        rows,
        np.flatnonzero(bad.to_numpy()),
        "nip",
        message("siasn_nip_not_18"),
        allowed=message("siasn_18_digits"),
        values=rows["nip"].fillna(""),
    )
    # A row with a bad NIP stays on its own, so that its other fields are
    # checked too and every problem is reported at once (nothing is written).
    rows["_group"] = rows["nip"].where(~bad, "#" + rows.index.astype(str))
    merged = rows.groupby("_group", sort=False).first()
    return merged.reset_index(drop=True)


def _in_service(ctx: Context, rows: pd.DataFrame, without_cpns: bool) -> pd.DataFrame:
    codes = ctx.mapping.codes
    active = rows["kedudukan"].isin(codes.kedudukan_aktif.plain().keys()) | rows[
        "kedudukan"
    ].str.zfill(2).isin(codes.kedudukan_aktif.plain().keys())
    unknown = rows["kedudukan"].isna()
    if unknown.any():
        ctx.log.add(
            "guessed",
            "pegawai",
            "kedudukan",
            message("siasn_log_no_kedudukan"),
            rows["nip"][unknown].map(lambda n: f"NIP {ctx.masker.nip(n)}"),
        )
    keep = active | unknown
    cpns = rows["status_cpns"].fillna("").str.upper().isin(codes.status_cpns.plain().keys())
    for mask, why in (
        (~keep, "siasn_left_not_in_service"),
        (keep & cpns & without_cpns, "siasn_left_cpns"),
    ):
        for _, row in rows[mask.to_numpy()].iterrows():
            ctx.left_out.add(row["nip"])
            ctx.log.left_out.append(
                {
                    "nip": ctx.masker.nip(row["nip"]),
                    "nama": ctx.masker.name(row["nama"], row["nip"]),
                    "why": message(why, value=row["kedudukan"]),
                }
            )
    if without_cpns:
        keep &= ~cpns
    return rows[keep.to_numpy()].reset_index(drop=True)


def _nama(rows: pd.DataFrame) -> pd.Series:
    front = rows["gelar_depan"].fillna("")
    back = rows["gelar_belakang"].fillna("")
    name = rows["nama"].fillna("")
    full = front.where(front == "", front + " ") + name + back.where(back == "", ", " + back)
    return full.str.strip().astype(object).where(rows["nama"].notna(), None)


def _unit(ctx: Context, rows: pd.DataFrame, tree: Tree | None, table: str) -> pd.Series:
    """The OPD of each row's unor, or SIASN's unor induk name where the tree cannot tell."""
    opd = (
        tree.opd_of(rows["unor_id"])
        if tree is not None
        else pd.Series([None] * len(rows), dtype=object)
    )
    fallback = opd.isna().to_numpy() & rows["unor_induk"].notna().to_numpy()
    if fallback.any():
        ctx.log.add(
            "guessed",
            table,
            "unit",
            message("siasn_log_unor_induk"),
            Rows(ctx, rows, np.flatnonzero(fallback)),
        )
    return opd.where(opd.notna(), rows["unor_induk"]).astype(object)


def _either(fields: list[str]) -> Text:
    """'a or b or c' in the run's language."""
    return functools.reduce(lambda a, b: message("siasn_or", a=a, b=b), fields)


def build_people(
    ctx: Context,
    frames: dict[str, pd.DataFrame],
    tree: Tree | None,
    taxonomy: Taxonomy,
    without_cpns: bool,
) -> People:
    """The pegawai columns of everyone in service, without SKP, sanctions or trainings."""
    rows = _in_service(ctx, _gather(ctx, frames), without_cpns)
    for column in REQUIRED:
        ctx.report(
            rows,
            np.flatnonzero(rows[column].isna().to_numpy()),
            column,
            message("siasn_empty"),
            allowed=message("siasn_a_value_in", fields=_either(ctx.mapping.columns.person[column])),
        )
    codes = ctx.mapping.codes
    jenis, _ = jenis_jabatan(
        ctx, rows, ("jenis_jabatan_id", "eselon_id", "nama_jabatan"), "pegawai"
    )
    unit = _unit(ctx, rows, tree, "pegawai")
    ctx.report(
        rows,
        np.flatnonzero(unit.isna().to_numpy()),
        "unor_id",
        message("siasn_no_unit"),
        allowed=message("siasn_unit_allowed", field="unorIndukNama"),
        values=rows["unor_id"].fillna(""),
    )
    table = pd.DataFrame(
        {
            "nip": rows["nip"],
            "nama": _nama(rows),
            "jenis_kelamin": code(
                ctx,
                rows,
                "jenis_kelamin",
                codes.jenis_kelamin,
                ("jenis_kelamin", "pegawai", "jenis_kelamin"),
                upper=True,
            ),
            "tanggal_lahir": iso(dates(ctx, rows, "tanggal_lahir")),
            "tmt_cpns": iso(dates(ctx, rows, "tmt_cpns")),
            "golongan": code(
                ctx, rows, "golongan_id", codes.golongan, ("golongan", "pegawai", "golongan")
            ),
            "tmt_golongan": iso(dates(ctx, rows, "tmt_golongan")),
            "pendidikan": code(
                ctx,
                rows,
                "pendidikan_id",
                codes.pendidikan,
                ("pendidikan", "pegawai", "pendidikan"),
            ),
            "jurusan": match_jurusan(ctx, rows, taxonomy),
            "jenis_jabatan": jenis,
            "nama_jabatan": rows["nama_jabatan"],
            "unit": unit,
            "tmt_jabatan": iso(dates(ctx, rows, "tmt_jabatan")),
        }
    )
    ids = {str(i).lower(): n for i, n in zip(rows["id"], rows["nip"], strict=True) if i is not None}
    return People(table, ids)
