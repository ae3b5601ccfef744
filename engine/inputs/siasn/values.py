"""Turn SIASN text cells into talenta values, column by column.

Takes raw frames (:mod:`engine.inputs.siasn.read`) and the mapping; gives
pandas Series of talenta values. Every function is vectorised over a whole
column; only the rows with a problem are visited one by one, to report each
with its file, record (NIP or record id) and SIASN field. A code table entry
that is a judgement is logged as a guess with its rule.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from engine.errors import Message, Problem, Text, allowed_list, message
from engine.inputs import scales
from engine.inputs.siasn.mapping import NEEDED, CodeTable, Mapping
from engine.inputs.siasn.read import META, clean
from engine.inputs.siasn.report import Log, Masker

__all__ = ["Context", "Rows", "code", "dates", "jenis_jabatan", "section"]

EMPTY_DATES = frozenset({"01-01-0001", "0001-01-01", "00-00-0000", "0000-00-00"})
_EARLIEST = pd.Timestamp("1900-01-01")
_LATEST = pd.Timestamp("2100-12-31")


@dataclass
class Context:
    """What every mapping step shares: the mapping, the log, the masker, the problems."""

    mapping: Mapping
    log: Log
    masker: Masker
    problems: list[Problem]
    left_out: set[str] = field(default_factory=set)  # NIPs of people left out

    def who(self, frame: pd.DataFrame, i: int) -> Text:
        """How a message names row ``i``: by NIP when known, else by its record."""
        nip = frame["nip"].iat[i] if "nip" in frame.columns else None
        if nip:
            return f"NIP {self.masker.nip(nip)}"
        key = frame["_key_nip"].iat[i] if "_key_nip" in frame.columns else None
        if key:
            return f"NIP {self.masker.nip(key)} {frame['_record'].iat[i]}"
        return message("siasn_record", record=frame["_record"].iat[i])

    def report(
        self,
        frame: pd.DataFrame,
        rows: np.ndarray,
        column: str,
        what: Message,
        allowed: Text | None = None,
        hint: Text | None = None,
        values: pd.Series | None = None,
    ) -> None:
        """One problem per row in ``rows``; ``value`` of ``what`` is the row's value."""
        for i in rows:
            i = int(i)
            line = frame["_line"].iat[i]
            src = f"_src_{column}"
            named = frame[src].iat[i] if src in frame.columns and frame[src].iat[i] else column
            value = "" if values is None else str(values.iat[i])[:60]
            self.problems.append(
                Problem(
                    str(frame["_file"].iat[i]),
                    message(
                        "siasn_who_says",
                        who=self.who(frame, i),
                        what=Message(what.key, (*what.params, ("value", value))),
                    ),
                    line=int(line) if line is not None and not pd.isna(line) else None,
                    column=named,
                    allowed=allowed,
                    hint=hint,
                )
            )


def section(mapping: Mapping, raw: pd.DataFrame, name: str) -> pd.DataFrame:
    """The values of one section of kolom.yaml, picked from a raw frame.

    Each value ``v`` comes with ``_src_v``: the SIASN field it was taken from,
    so that a message names the field the user's file has.
    """
    out: dict[str, pd.Series] = {}
    for value in NEEDED[name]:
        fields = [f for f in mapping.fields(name, value) if f in raw.columns]
        picked = pd.Series([None] * len(raw), index=raw.index, dtype=object)
        src = picked.copy()
        for f in fields:
            cells = clean(raw[f])
            take = picked.isna() & cells.notna()
            picked = picked.where(~take, cells)
            src = src.where(~take, f)
        out[value] = picked
        out[f"_src_{value}"] = src
    for meta in META:
        out[meta] = raw[meta] if meta in raw.columns else None
    return pd.DataFrame(out, index=raw.index).reset_index(drop=True)


def code(
    ctx: Context,
    frame: pd.DataFrame,
    column: str,
    table: CodeTable,
    where: tuple[str, str, str],
    *,
    upper: bool = False,
) -> pd.Series:
    """The codes of ``frame[column]`` through a code table.

    An unknown code is a problem; a code whose mapping is a judgement is
    logged as a guess. ``where`` is (table name in kode.yaml, talenta table,
    talenta column). A numeric code that lost its leading zero in JSON ("5")
    is read padded ("05").
    """
    name, out_table, out_column = where
    values = frame[column]
    plain = {(k.upper() if upper else k): v for k, v in table.plain().items()}
    text = values.str.upper() if upper else values
    keys = text.where(text.isin(plain.keys()), text.str.zfill(2))
    mapped = keys.map(plain)
    bad = np.flatnonzero((values.notna() & mapped.isna()).to_numpy())
    if bad.size:
        ctx.report(
            frame,
            bad,
            column,
            message("siasn_code_unknown", table=name),
            allowed=allowed_list(list(plain), 12),
            hint=message("siasn_add_code"),
            values=values,
        )
    for key, rule in table.rules().items():
        hit = np.flatnonzero((keys == (key.upper() if upper else key)).to_numpy())
        if hit.size:
            ctx.log.add(
                "guessed",
                out_table,
                out_column,
                message("siasn_log_mapping_rule", rule=rule),
                _labels(ctx, frame, hit),
            )
    return mapped.astype(object).where(mapped.notna(), None)


class Rows:
    """Rows of a frame as a collection of labels ("NIP ..."), made only when iterated.

    The report keeps a few examples of each loss or guess; on a province's
    data a guess may cover 20,000 rows, so labels are not made for all.
    """

    def __init__(self, ctx: Context, frame: pd.DataFrame, rows: np.ndarray):
        self.ctx, self.frame, self.rows = ctx, frame, rows

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[str]:
        return (self.ctx.who(self.frame, int(i)) for i in self.rows)


def _labels(ctx: Context, frame: pd.DataFrame, rows: np.ndarray) -> Rows:
    return Rows(ctx, frame, rows)


def dates(ctx: Context, frame: pd.DataFrame, column: str) -> pd.Series:
    """``frame[column]`` from dd-mm-yyyy (or yyyy-mm-dd, dd/mm/yyyy) into datetime64.

    The empty forms ("", null, 01-01-0001) are missing; anything else that is
    no date is a problem.
    """
    values = frame[column]
    empty = values.isna() | values.isin(EMPTY_DATES)
    text = values.where(~empty)
    parsed = pd.to_datetime(text, format="%d-%m-%Y", errors="coerce")
    for pattern, fmt, cut in (
        (r"\d{4}-\d{1,2}-\d{1,2}", "%Y-%m-%d", True),
        (r"\d{1,2}/\d{1,2}/\d{4}", "%d/%m/%Y", False),
    ):
        shaped = text.str.match(pattern).fillna(False).astype(bool) & parsed.isna()
        if shaped.any():
            part = text.where(shaped)
            part = part.str.split(r"[ T]", n=1, regex=True).str[0] if cut else part
            parsed = parsed.fillna(pd.to_datetime(part, format=fmt, errors="coerce"))
    bad = parsed.isna() & ~empty
    odd = parsed.notna() & ((parsed < _EARLIEST) | (parsed > _LATEST))
    if bad.any():
        ctx.report(
            frame,
            np.flatnonzero(bad.to_numpy()),
            column,
            message("siasn_not_a_date"),
            allowed=message("siasn_date_format", example="31-01-2024"),
            values=values,
        )
    if odd.any():
        ctx.report(
            frame,
            np.flatnonzero(odd.to_numpy()),
            column,
            message("siasn_date_out_of_range", first=1900, last=2100),
            allowed=message("siasn_date_in_range", first=1900, last=2100),
            values=values,
        )
    return parsed.where(~odd)


def jenis_jabatan(
    ctx: Context,
    frame: pd.DataFrame,
    fields: tuple[str, str, str],
    out_table: str,
) -> tuple[pd.Series, pd.Series]:
    """Jenis jabatan and eselon of each row, from its track, eselon and post name.

    ``fields`` names the (jenis jabatan id, eselon id, post name) values of the
    frame's section of kolom.yaml. Structural: level from the eselon;
    functional: jenjang from the end of the post's name; pelaksana as is.
    """
    m: Mapping = ctx.mapping
    track_col, eselon_col, name_col = fields
    codes = m.codes.jenis_jabatan
    track = code(ctx, frame, track_col, codes, ("jenis_jabatan", out_table, "jenis_jabatan"))
    eselon_id = frame[eselon_col]
    eselon_map = m.codes.eselon.plain()
    eselon = eselon_id.where(eselon_id.isin(eselon_map.keys()), eselon_id.str.zfill(2)).map(
        eselon_map
    )
    out = pd.Series([None] * len(frame), index=frame.index, dtype=object)
    structural = (track == "struktural").to_numpy()
    out[structural] = eselon[structural].map(scales.ESELON_JENIS)
    bad = np.flatnonzero(structural & eselon.isna().to_numpy())
    ctx.report(
        frame,
        bad,
        eselon_col,
        message("siasn_no_eselon"),
        allowed=allowed_list(list(eselon_map), 10),
        hint=message("siasn_add_eselon"),
        values=eselon_id,
    )
    out[(track == "pelaksana").to_numpy()] = "Pelaksana"
    functional = (track == "fungsional").to_numpy()
    names = frame[name_col].fillna("").str.strip().str.upper()
    jenjang = m.codes.jenjang_fungsional
    for ending in sorted(jenjang.plain(), key=len, reverse=True):
        hit = functional & out.isna().to_numpy() & names.str.endswith(ending.upper()).to_numpy()
        out[hit] = jenjang.plain()[ending]
        if ending in jenjang.rules() and hit.any():
            rows = np.flatnonzero(hit)
            ctx.log.add(
                "guessed",
                out_table,
                "jenis_jabatan",
                message("siasn_log_mapping_rule", rule=jenjang.rules()[ending]),
                _labels(ctx, frame, rows),
            )
    bad = np.flatnonzero(functional & out.isna().to_numpy())
    ctx.report(
        frame,
        bad,
        name_col,
        message("siasn_no_jenjang"),
        allowed=allowed_list(list(jenjang.plain()), 12),
        hint=message("siasn_add_jenjang"),
        values=frame[name_col],
    )
    return out, eselon.astype(object).where(eselon.notna(), None)
