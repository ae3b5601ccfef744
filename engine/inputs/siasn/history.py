"""Per-person histories: posts, SKP, sanctions and leadership trainings.

Takes the raw frames of rw-jabatan, rw-skp22, rw-skp, rw-hukdis and
rw-diklat, the people imported and the unit tree; gives the
riwayat_jabatan table, the hukuman_disiplin table (every sanction) and, per
NIP, the pegawai columns skp_YYYY, hukuman_tingkat/_tmt/_selesai and
pelatihan. A record is tied to its person
by its NIP, else by its person id (joined to data-utama's id), else by the
NIP of its file name or key; records of people not imported are counted in
the report, not written.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from engine.errors import message
from engine.inputs import scales
from engine.inputs.siasn.people import People, _unit, iso
from engine.inputs.siasn.posts import post_ids
from engine.inputs.siasn.unor import Tree
from engine.inputs.siasn.values import Context, Rows, code, dates, jenis_jabatan, section

__all__ = ["diklat", "hukdis", "riwayat", "skp"]

_TRAINING_ORDER = ("PKP", "PKA", "PKN II", "PKN I")


def _records(
    ctx: Context, frames: dict[str, pd.DataFrame], endpoint: str, name: str, people: People
) -> pd.DataFrame | None:
    """The section ``name`` of an endpoint's records, each tied to a NIP of ``people``."""
    raw = frames.get(endpoint)
    if raw is None or raw.empty:
        return None
    rows = section(ctx.mapping, raw, name)
    by_id = rows["id_pns"].str.lower().map(people.ids)
    nip = rows["nip"].where(rows["nip"].notna(), by_id)
    rows["nip"] = nip.where(nip.notna(), rows["_key_nip"])
    known = rows["nip"].isin(people.table["nip"])
    gone = ~known & rows["nip"].isin(ctx.left_out)
    for mask, why in (
        (rows["nip"].isna(), message("siasn_log_no_owner")),
        (gone, message("siasn_log_person_left_out")),
        (~known & ~gone & rows["nip"].notna(), message("siasn_log_person_unknown")),
    ):
        if mask.any():
            ctx.log.add(
                "rows_not_mapped",
                endpoint,
                "",
                why,
                Rows(ctx, rows, np.flatnonzero(mask.to_numpy())),
            )
    return rows[known.to_numpy()].reset_index(drop=True)


def riwayat(
    ctx: Context, frames: dict[str, pd.DataFrame], people: People, tree: Tree | None
) -> pd.DataFrame | None:
    """riwayat_jabatan: one row per rw-jabatan record; a post ends where the next begins."""
    rows = _records(ctx, frames, "rw-jabatan", "jabatan", people)
    if rows is None:
        return None
    jenis, _ = jenis_jabatan(
        ctx, rows, ("jenis_jabatan_id", "eselon_id", "nama_jabatan"), "riwayat_jabatan"
    )
    start = dates(ctx, rows, "tmt")
    table = pd.DataFrame(
        {
            "nip": rows["nip"],
            "jenis_jabatan": jenis,
            "nama_jabatan": rows["nama_jabatan"],
            "unit": _unit(ctx, rows, tree, "riwayat_jabatan"),
            "tmt_mulai": start,
            "jabatan_id": _held_posts(ctx, rows, jenis, tree),
            # rw-jabatan has no field of a post: empty, so the field comes from the
            # jabatan table's post (jabatan_id) or is unknown.
            "bidang": None,
        }
    )
    drop = table["tmt_mulai"].isna() | table["jenis_jabatan"].isna()
    undated = np.flatnonzero((rows["tmt"].isna() & drop).to_numpy())
    if undated.size:
        ctx.log.add(
            "rows_not_mapped",
            "riwayat_jabatan",
            "tmt_mulai",
            message("siasn_log_undated_post"),
            Rows(ctx, rows, undated),
        )
    table = table[~drop.to_numpy()]
    table = table.sort_values(["nip", "tmt_mulai"], kind="stable").reset_index(drop=True)
    following = table.groupby("nip", sort=False)["tmt_mulai"].shift(-1)
    table["tmt_selesai"] = iso(following)
    table["tmt_mulai"] = iso(table["tmt_mulai"])
    return table


def _held_posts(ctx: Context, rows: pd.DataFrame, jenis: pd.Series, tree: Tree | None) -> pd.Series:
    """The jabatan_id of a structural record's post: the post its unorId is, when the tree has it.

    A structural post is its unor (ref-unor), so the jabatan table's post of
    that unor, with the bidang an extra table gives it, is the post held. A
    functional or pelaksana record's unor is only where the person worked.
    """
    if tree is None:
        return pd.Series([None] * len(rows), index=rows.index, dtype=object)
    ids = post_ids(ctx, tree)
    unor = rows["unor_id"].str.lower()
    held = unor.map(ids).astype(object)
    structural = pd.Series(jenis, index=rows.index).isin(scales.STRUCTURAL)
    return held.where(structural & held.notna(), None)


def skp(ctx: Context, frames: dict[str, pd.DataFrame], people: People) -> pd.DataFrame:
    """skp_YYYY per NIP: rw-skp22's kuadran, else rw-skp's number through the PP 46/2011 bands."""
    parts = []
    new = _records(ctx, frames, "rw-skp22", "skp22", people)
    if new is not None:
        value = code(
            ctx,
            new,
            "kuadran",
            ctx.mapping.codes.kuadran,
            ("kuadran", "pegawai", "skp"),
            upper=True,
        )
        parts.append(
            pd.DataFrame({"nip": new["nip"], "tahun": _year(ctx, new), "v": value, "p": 0})
        )
    old = _records(ctx, frames, "rw-skp", "skp", people)
    if old is not None:
        parts.append(
            pd.DataFrame(
                {"nip": old["nip"], "tahun": _year(ctx, old), "v": _bands(ctx, old), "p": 1}
            )
        )
    if not parts:
        return pd.DataFrame({"nip": people.table["nip"]})
    both = pd.concat(parts, ignore_index=True).dropna(subset=["tahun", "v"])
    both = both.sort_values(["nip", "tahun", "p"], kind="stable")
    shadowed = both.duplicated(["nip", "tahun"], keep="first") & (both["p"] == 1)
    if shadowed.any():
        ctx.log.add(
            "rows_not_mapped",
            "rw-skp",
            "nilaiPrestasiKerja",
            message("siasn_log_skp_shadowed"),
            [f"NIP {ctx.masker.nip(r.nip)} {int(r.tahun)}" for r in both[shadowed].itertuples()],
        )
    both = both.drop_duplicates(["nip", "tahun"], keep="first")
    wide = both.pivot(index="nip", columns="tahun", values="v")
    wide.columns = [f"skp_{int(y)}" for y in wide.columns]
    return wide.reset_index()


def _year(ctx: Context, rows: pd.DataFrame) -> pd.Series:
    text = rows["tahun"].fillna("").str.strip().str.replace(r"\.0$", "", regex=True)
    ok = text.str.fullmatch(r"(19|20)\d\d")
    ctx.report(
        rows,
        np.flatnonzero((~ok & rows["tahun"].notna()).to_numpy()),
        "tahun",
        message("siasn_not_a_year"),
        allowed=message("siasn_a_year", example=2023),
        values=rows["tahun"],
    )
    return pd.to_numeric(text.where(ok), errors="coerce")


def _bands(ctx: Context, rows: pd.DataFrame) -> pd.Series:
    table = ctx.mapping.codes.skp_angka
    number = pd.to_numeric(rows["nilai"].str.replace(",", ".", regex=False), errors="coerce")
    bad = (rows["nilai"].notna() & (number.isna() | (number < 0) | (number > 100))).to_numpy()
    ctx.report(
        rows,
        np.flatnonzero(bad),
        "nilai",
        message("siasn_not_skp_number"),
        allowed=message("siasn_skp_range", law="PP 46/2011"),
        values=rows["nilai"],
    )
    number = number.where(~bad)
    out = pd.Series([None] * len(rows), dtype=object)
    for band in table.bands:  # highest first
        out = out.where(out.notna() | ~(number >= band.min), band.value)
    until = table.effective.until
    years = pd.to_numeric(rows["tahun"], errors="coerce")
    late = (
        (number.notna() & (years > until.year)).to_numpy() if until else np.zeros(len(rows), bool)
    )
    if late.any():
        ctx.log.add(
            "guessed",
            "pegawai",
            "skp_YYYY",
            message("siasn_log_skp_late", until=until),
            Rows(ctx, rows, np.flatnonzero(late)),
        )
    return out


def hukdis(
    ctx: Context, frames: dict[str, pd.DataFrame], people: People
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """The sanctions of rw-hukdis: the most severe per NIP (pegawai's columns) and the history.

    The history (the hukuman_disiplin table, docs/data.md) has one row per
    sanction, annulled ones marked ``dibatalkan``; it is None when the
    sources hold no rw-hukdis response. The pegawai columns keep the most
    severe sanction not annulled; a round that reads both counts it once.
    """
    empty = pd.DataFrame(columns=["nip", "hukuman_tingkat", "hukuman_tmt", "hukuman_selesai"])
    rows = _records(ctx, frames, "rw-hukdis", "hukdis", people)
    if rows is None:
        return empty, None
    annulled = rows["batal"].notna()
    if annulled.any():
        ctx.log.add(
            "rows_not_mapped",
            "rw-hukdis",
            "skPembatalanNomor",
            message("siasn_log_annulled"),
            Rows(ctx, rows, np.flatnonzero(annulled.to_numpy())),
        )
    level = code(
        ctx,
        rows,
        "tingkat",
        ctx.mapping.codes.hukuman_tingkat,
        ("hukuman_tingkat", "hukuman_disiplin", "hukuman_tingkat"),
        upper=True,
    )
    table = pd.DataFrame(
        {
            "nip": rows["nip"],
            "lvl": level,
            "tmt": dates(ctx, rows, "tmt"),
            "end": _sanction_ends(ctx, rows),
            "batal": annulled,
            "jenis": rows["jenis"],
        }
    ).dropna(subset=["lvl", "tmt"])
    table = table.sort_values(["nip", "tmt"], kind="stable")
    history = pd.DataFrame(
        {
            "nip": table["nip"],
            "hukuman_tingkat": table["lvl"],
            "hukuman_tmt": iso(table["tmt"]),
            "hukuman_selesai": iso(table["end"]),
            "dibatalkan": table["batal"].map({True: "ya", False: "tidak"}),
            "keterangan": table["jenis"],
        }
    )
    kept = table[~table["batal"]].copy()
    kept["rank"] = kept["lvl"].map({t: k for k, t in enumerate(scales.HUKUMAN_TINGKAT)})
    kept = kept.sort_values(["nip", "rank", "tmt"], kind="stable").drop_duplicates(
        "nip", keep="last"
    )
    worst = pd.DataFrame(
        {
            "nip": kept["nip"],
            "hukuman_tingkat": kept["lvl"],
            "hukuman_tmt": iso(kept["tmt"]),
            "hukuman_selesai": iso(kept["end"]),
        }
    )
    return worst, history


def _sanction_ends(ctx: Context, rows: pd.DataFrame) -> pd.Series:
    """Each sanction's end: its end date, else its start plus masaTahun/masaBulan (logged)."""
    start = dates(ctx, rows, "tmt")
    end = dates(ctx, rows, "selesai")
    years = pd.to_numeric(rows["masa_tahun"], errors="coerce").fillna(0)
    months = pd.to_numeric(rows["masa_bulan"], errors="coerce").fillna(0)
    span = (years * 12 + months).clip(0, 600).astype(int)
    by_span = (
        pd.Series(
            [
                s + pd.DateOffset(months=int(m)) if pd.notna(s) else pd.NaT
                for s, m in zip(start, span, strict=True)
            ],
            dtype="datetime64[ns]",
        )
        if (end.isna() & start.notna()).any()
        else start
    )
    for mask, rule in (
        (end.isna() & start.notna() & (span > 0), message("siasn_log_end_by_span")),
        (
            end.isna() & start.notna() & (span == 0),
            message("siasn_log_end_at_start"),
        ),
    ):
        if mask.any():
            ctx.log.add(
                "guessed",
                "pegawai",
                "hukuman_selesai",
                rule,
                Rows(ctx, rows, np.flatnonzero(mask.to_numpy())),
            )
    return end.where(end.notna(), by_span)


def diklat(ctx: Context, frames: dict[str, pd.DataFrame], people: People) -> pd.DataFrame:
    """pelatihan per NIP: the leadership trainings of rw-diklat as NAME:YEAR|..."""
    rows = _records(ctx, frames, "rw-diklat", "diklat", people)
    if rows is None:
        return pd.DataFrame(columns=["nip", "pelatihan"])
    table = ctx.mapping.codes.diklat_struktural.plain()
    name = rows["jenis"].map(table)
    other = rows["jenis"].notna() & name.isna()
    if other.any():
        ctx.log.add(
            "rows_not_mapped",
            "rw-diklat",
            "latihanStrukturalId",
            message("siasn_log_not_leadership"),
            Rows(ctx, rows, np.flatnonzero(other.to_numpy())),
        )
    year = _year(ctx, rows)
    when = dates(ctx, rows, "tanggal")
    year = year.where(year.notna(), when.dt.year)
    out = pd.DataFrame({"nip": rows["nip"], "name": name, "year": year}).dropna()
    out["order"] = out["name"].map({n: k for k, n in enumerate(_TRAINING_ORDER)}).fillna(9)
    out = out.sort_values(["nip", "order", "year"], kind="stable").drop_duplicates(
        ["nip", "name"], keep="first"
    )
    out["entry"] = out["name"] + ":" + out["year"].astype(int).astype(str)
    joined = out.groupby("nip", sort=False)["entry"].agg("|".join)
    return joined.rename("pelatihan").reset_index()
