"""Per-person facts derived at the scenario date, as numpy arrays.

Rules and scores read these arrays, never the raw tables, so every figure
is computed once per scenario and vectorised. Time spans are in years of
365.25 days. Missing inputs stay missing (NaN, or -1 for codes) so that a
rule can answer UNKNOWN rather than guess.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from engine.inputs import scales
from engine.inputs.data import Tables, skp_years
from engine.inputs.settings import BupTable, Taxonomy

__all__ = [
    "People",
    "Posts",
    "derive_people",
    "derive_posts",
    "shift_years",
    "whole_years",
    "years_between",
]

DAYS_PER_YEAR = 365.25


def years_between(start: np.ndarray, day: dt.date) -> np.ndarray:
    """Years from each ``start`` (datetime64) to ``day``; NaN where start is missing."""
    start = np.asarray(start, dtype="datetime64[D]")
    delta = (np.datetime64(day, "D") - start).astype("float64")
    delta[np.isnat(start)] = np.nan
    return delta / DAYS_PER_YEAR


def _codes(series: pd.Series) -> np.ndarray:
    return np.asarray(series.cat.codes, dtype=np.int16)


@dataclass
class People:
    """Derived arrays for ``n`` people at ``date`` (one entry per pegawai row)."""

    date: dt.date
    nip: np.ndarray
    nama: np.ndarray
    jenis_kelamin: np.ndarray
    unit: np.ndarray
    jenis_jabatan: np.ndarray  # labels
    level: np.ndarray  # LEVEL_RANK of the current post
    golongan: np.ndarray  # codes into GOLONGAN, -1 missing
    pendidikan: np.ndarray  # PENDIDIKAN_RANK, -1 missing
    field: np.ndarray  # field code of the jurusan in the taxonomy, -1 unknown
    jurusan: np.ndarray
    born: np.ndarray  # datetime64[D]
    tmt_cpns: np.ndarray
    tmt_golongan: np.ndarray
    tmt_jabatan: np.ndarray
    usia: np.ndarray  # years
    masa_kerja: np.ndarray
    masa_golongan: np.ndarray
    masa_jabatan: np.ndarray
    skp_years: list[int]  # the years of the skp matrix columns, most recent first
    skp: np.ndarray  # (n, len(skp_years)) codes into SKP_PREDIKAT, -1 missing
    jpm: np.ndarray
    kompetensi: np.ndarray
    pelatihan: list[dict[str, int]]
    hukuman: np.ndarray  # codes into HUKUMAN_TINGKAT, -1 none
    hukuman_tmt: np.ndarray
    hukuman_selesai: np.ndarray
    experience: dict[str, np.ndarray]  # jenis jabatan -> years held
    bup: np.ndarray  # retirement date, datetime64[D]
    sisa_bup: np.ndarray  # years left before BUP
    home: np.ndarray  # index of the post held (structural), -1 none
    experience_from_history: bool = False
    # Talent box (kotak talenta) 1-9 per person, 0 where unknown; None when the
    # scenario names no talent-box file. Set by engine.plan.pipeline from engine.scoring.talent.
    talent_box: np.ndarray | None = None
    talent_regime: str | None = None  # the talent-box regime the boxes were computed under
    _training_cache: dict[str, np.ndarray] = field(default_factory=dict, repr=False)

    @property
    def n(self) -> int:
        return len(self.nip)

    def training_year(self, name: str) -> np.ndarray:
        """Year each person completed training ``name``; NaN if not on record."""
        if name not in self._training_cache:
            self._training_cache[name] = np.array(
                [d.get(name, np.nan) for d in self.pelatihan], dtype=float
            )
        return self._training_cache[name]

    def record(self, i: int) -> dict[str, object]:
        """One person's derived facts as a plain dict (for explanations)."""
        return {
            "nip": self.nip[i],
            "nama": self.nama[i],
            "jenis_jabatan": self.jenis_jabatan[i],
            "golongan": scales.GOLONGAN[self.golongan[i]] if self.golongan[i] >= 0 else None,
            "usia": self.usia[i],
        }


@dataclass
class Posts:
    """Arrays for the posts (jabatan rows)."""

    jabatan_id: np.ndarray
    nama: np.ndarray
    unit: np.ndarray
    eselon: np.ndarray
    jenis_jabatan: np.ndarray
    level: np.ndarray
    bidang: np.ndarray
    field: np.ndarray  # field code, -1 unknown
    kecamatan: np.ndarray
    atasan: np.ndarray  # index of the parent post, -1 none
    kritis: np.ndarray
    holder: np.ndarray  # index of the incumbent person, -1 vacant

    @property
    def n(self) -> int:
        return len(self.jabatan_id)


def derive_posts(tables: Tables, people_index: dict[str, int], taxonomy: Taxonomy) -> Posts:
    jab = tables.jabatan
    ids = jab["jabatan_id"].to_numpy(dtype=object)
    index = {pid: i for i, pid in enumerate(ids)}
    jenis = jab["jenis_jabatan"].astype(str).to_numpy(dtype=object)
    return Posts(
        jabatan_id=ids,
        nama=jab["nama_jabatan"].to_numpy(dtype=object),
        unit=jab["unit"].to_numpy(dtype=object),
        eselon=jab["eselon"].astype(str).to_numpy(dtype=object),
        jenis_jabatan=jenis,
        level=np.array([scales.LEVEL_RANK[j] for j in jenis], dtype=np.int16),
        bidang=jab["bidang"].to_numpy(dtype=object),
        field=np.array([taxonomy.field_code(b) for b in jab["bidang"]], dtype=np.int32),
        kecamatan=jab["kecamatan"].to_numpy(dtype=object),
        atasan=np.array(
            [index.get(p, -1) if p is not None else -1 for p in jab["atasan_id"]], dtype=np.int64
        ),
        kritis=jab["kritis"].to_numpy(dtype=bool),
        holder=np.array(
            [people_index.get(n, -1) if n is not None else -1 for n in jab["nip_pemangku"]],
            dtype=np.int64,
        ),
    )


def derive_people(tables: Tables, day: dt.date, taxonomy: Taxonomy, bup: BupTable) -> People:
    """Compute every person's derived facts at ``day``."""
    peg = tables.pegawai
    n = len(peg)
    jenis = peg["jenis_jabatan"].astype(str).to_numpy(dtype=object)
    born = peg["tanggal_lahir"].to_numpy(dtype="datetime64[D]")
    tmt_jabatan = peg["tmt_jabatan"].to_numpy(dtype="datetime64[D]")
    years = [y for y in skp_years(peg) if y < day.year][::-1]
    skp = np.full((n, len(years)), -1, dtype=np.int8)
    for k, year in enumerate(years):
        skp[:, k] = np.asarray(peg[f"skp_{year}"].cat.codes, dtype=np.int8)
    pendidikan = np.array(
        [scales.PENDIDIKAN_RANK.get(str(p), -1) if pd.notna(p) else -1 for p in peg["pendidikan"]],
        dtype=np.int8,
    )
    nips = peg["nip"].to_numpy(dtype=object)
    index = {nip: i for i, nip in enumerate(nips)}
    home = np.full(n, -1, dtype=np.int64)
    for j, nip in enumerate(tables.jabatan["nip_pemangku"]):
        if nip is not None and nip in index:
            home[index[nip]] = j
    experience, from_history = _experience(tables, index, jenis, tmt_jabatan, day)
    retire = bup.retirement_dates(born, jenis)
    return People(
        date=day,
        nip=nips,
        nama=peg["nama"].to_numpy(dtype=object),
        jenis_kelamin=peg["jenis_kelamin"].astype(str).to_numpy(dtype=object),
        unit=peg["unit"].to_numpy(dtype=object),
        jenis_jabatan=jenis,
        level=np.array([scales.LEVEL_RANK[j] for j in jenis], dtype=np.int16),
        golongan=_codes(peg["golongan"]),
        pendidikan=pendidikan,
        field=taxonomy.major_codes(peg["jurusan"]),
        jurusan=peg["jurusan"].to_numpy(dtype=object),
        born=born,
        tmt_cpns=peg["tmt_cpns"].to_numpy(dtype="datetime64[D]"),
        tmt_golongan=peg["tmt_golongan"].to_numpy(dtype="datetime64[D]"),
        tmt_jabatan=tmt_jabatan,
        usia=years_between(born, day),
        masa_kerja=years_between(peg["tmt_cpns"].to_numpy(dtype="datetime64[D]"), day),
        masa_golongan=years_between(peg["tmt_golongan"].to_numpy(dtype="datetime64[D]"), day),
        masa_jabatan=years_between(tmt_jabatan, day),
        skp_years=years,
        skp=skp,
        jpm=peg["jpm"].to_numpy(dtype=float),
        kompetensi=peg["kompetensi"].to_numpy(dtype=float),
        pelatihan=list(peg["pelatihan"]),
        hukuman=np.asarray(peg["hukuman_tingkat"].cat.codes, dtype=np.int8),
        hukuman_tmt=peg["hukuman_tmt"].to_numpy(dtype="datetime64[D]"),
        hukuman_selesai=peg["hukuman_selesai"].to_numpy(dtype="datetime64[D]"),
        experience=experience,
        bup=retire,
        sisa_bup=(retire - np.datetime64(day, "D")).astype(float) / DAYS_PER_YEAR,
        home=home,
        experience_from_history=from_history,
    )


def _experience(
    tables: Tables, index: dict[str, int], jenis: np.ndarray, tmt_jabatan: np.ndarray, day: dt.date
) -> tuple[dict[str, np.ndarray], bool]:
    """Years each person has held each jenis jabatan, up to ``day``.

    From the post history when the data has one (overlaps are not merged:
    the history is expected to be contiguous); else the current post only.
    """
    n = len(jenis)
    out = {level: np.zeros(n) for level in scales.JENIS_JABATAN}
    riw = tables.riwayat
    if riw is not None and len(riw):
        person = np.array([index.get(nip, -1) for nip in riw["nip"]], dtype=np.int64)
        start = riw["tmt_mulai"].to_numpy(dtype="datetime64[D]")
        end = riw["tmt_selesai"].to_numpy(dtype="datetime64[D]").copy()
        today = np.datetime64(day, "D")
        end[np.isnat(end)] = today
        end = np.minimum(end, today)
        span = np.clip((end - start).astype(float) / DAYS_PER_YEAR, 0, None)
        levels = riw["jenis_jabatan"].astype(str).to_numpy(dtype=object)
        ok = person >= 0
        for level in np.unique(levels[ok]):
            mask = ok & (levels == level)
            np.add.at(out[level], person[mask], span[mask])
        covered = np.zeros(n, dtype=bool)
        covered[person[ok]] = True
        # People without any history row fall back on their current post.
        fallback = ~covered
    else:
        fallback = np.ones(n, dtype=bool)
    current = np.nan_to_num(years_between(tmt_jabatan, day), nan=0.0).clip(min=0)
    for level in np.unique(jenis[fallback]):
        mask = fallback & (jenis == level)
        out[level][mask] += current[mask]
    return out, riw is not None and len(riw) > 0


def shift_years(day: dt.date, years: float) -> dt.date:
    """``day`` moved by ``years`` on the calendar (whole months; the day clamped to the month's end).

    "Two years in post since 2025-01-02" are complete on 2027-01-02: spans
    are compared on the calendar, never as days / 365.25, so a verdict and
    its counterfactual date agree to the day.
    """
    months = round(years * 12)
    total = day.year * 12 + (day.month - 1) + months
    year, month = divmod(total, 12)
    month += 1
    last = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


def whole_years(start: dt.date, day: dt.date) -> int:
    """Completed calendar years from ``start`` to ``day`` (age in whole years)."""
    return day.year - start.year - ((day.month, day.day) < (start.month, start.day))
