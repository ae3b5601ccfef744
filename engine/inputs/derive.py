"""Per-person facts derived at the scenario date, as numpy arrays.

Rules and scores read these arrays, never the raw tables, so every figure
is computed once per scenario and vectorised. Missing inputs stay missing
(NaN, or -1 for codes) so that a rule can answer UNKNOWN rather than guess.

One calendar arithmetic counts every span (age, years of service, in grade,
in post, years left before BUP, look-backs): a month is complete on its
monthly anniversary, and an anniversary that the month lacks (29 February in
a common year, the 31st in a short month) falls on the first day of the next
month. :func:`months_between` counts complete months, :func:`shift_years`
gives the day a span is complete (forward) or the latest start from which it
is complete by a day (backward), and :func:`whole_years` is
``months_between // 12``. Spans are shown in years of complete months
(``months / 12``), so a span shown as 2.0 is two years to the day. Only the
sum of several post-history rows (experience) is counted in days, and
compared with the days of the calendar years before the date.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from engine.inputs import scales
from engine.inputs.data import Tables, skp_years
from engine.inputs.equivalence import Equivalences, bundled_equivalences
from engine.inputs.progression import RankProgression, bundled_rank_progression
from engine.inputs.settings import BupTable, Taxonomy

__all__ = [
    "FieldHistory",
    "People",
    "Posts",
    "Sanctions",
    "derive_people",
    "derive_posts",
    "months_between",
    "shift_years",
    "whole_years",
    "years_between",
]

DAYS_PER_YEAR = 365.25
# How many assessment years before the scenario's year the SKP matrix holds (the
# longest look-back a rule or a weights file may ask for).
SKP_LOOKBACK_YEARS = 5


def _month_day(dates: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Months since 1970-01 and days since the first of the month (0-30) of datetime64[D] values."""
    months = dates.astype("datetime64[M]")
    day = (dates - months.astype("datetime64[D]")).astype("int64")
    return months.astype("int64"), day


def months_between(start: np.ndarray, day: dt.date | np.ndarray) -> np.ndarray:
    """Complete calendar months from each ``start`` to ``day``; NaN where either is missing.

    A month is complete on its monthly anniversary; an anniversary the month
    lacks (the 31st, 29 February) is reached on the first of the next month.
    Negative where ``start`` is after ``day``.
    """
    start = np.asarray(start, dtype="datetime64[D]")
    end = np.broadcast_to(np.asarray(day, dtype="datetime64[D]"), start.shape)
    missing = np.isnat(start) | np.isnat(end)
    epoch = np.datetime64("1970-01-01", "D")
    m0, d0 = _month_day(np.where(missing, epoch, start))
    m1, d1 = _month_day(np.where(missing, epoch, end))
    out = ((m1 - m0) - (d0 > d1)).astype("float64")
    out[missing] = np.nan
    return out


def years_between(start: np.ndarray, day: dt.date | np.ndarray) -> np.ndarray:
    """Years of complete calendar months (``months / 12``) from ``start`` to ``day``; NaN missing."""
    return months_between(start, day) / 12


def _codes(series: pd.Series) -> np.ndarray:
    return np.asarray(series.cat.codes, dtype=np.int16)


@dataclass(frozen=True)
class Sanctions:
    """The sanction history at the date (PP 94/2021): one entry per sanction on record.

    Imposed on or before the date and not annulled; from the hukuman_disiplin
    table and the pegawai table's single-column form (hukuman_tingkat, _tmt,
    _selesai), the same sanction in both counted once.
    """

    person: np.ndarray  # index into People
    level: np.ndarray  # codes into HUKUMAN_TINGKAT
    tmt: np.ndarray  # datetime64[D], imposed
    selesai: np.ndarray  # datetime64[D], ended (or ends); NaT: no end on record

    def of(self, i: int) -> np.ndarray:
        """Indices of person ``i``'s sanctions, oldest first."""
        rows = np.flatnonzero(self.person == i)
        return rows[np.argsort(self.tmt[rows], kind="stable")]


@dataclass(frozen=True)
class FieldHistory:
    """The posts each person has held up to the date, with each post's field.

    One entry per post-history row that began on or before the date (the
    current post, with no end, runs to the date; a row that ends after the
    date is cut at it). A person without any history row has one entry, their
    current post from its TMT, and ``complete`` False: the time before it is
    not on record. ``field`` is the row's ``bidang``, else the ``bidang`` of
    the jabatan table's post named by its ``jabatan_id`` (for a person without
    history, of the post they hold), as a taxonomy field code; -1 unknown.
    """

    person: np.ndarray  # index into People
    field: np.ndarray  # taxonomy field code, -1 unknown
    start: np.ndarray  # datetime64[D]
    end: np.ndarray  # datetime64[D], at most the date
    complete: np.ndarray  # per person: every post held is on record (a history row)


@dataclass
class People:
    """Derived arrays for ``n`` people at ``date`` (one entry per pegawai row)."""

    date: dt.date
    nip: np.ndarray
    nama: np.ndarray
    jenis_kelamin: np.ndarray
    unit: np.ndarray
    jenis_jabatan: np.ndarray  # labels
    level: np.ndarray  # level rank of the current post (equivalences.jenjang)
    golongan: np.ndarray  # codes into GOLONGAN, -1 missing
    pendidikan: np.ndarray  # rank (equivalences.pendidikan), -1 missing (S1 and D4 share one)
    pendidikan_label: np.ndarray  # the person's own level ("S1", "D4"), None missing
    field: np.ndarray  # field code of the jurusan in the taxonomy, -1 unknown
    jurusan: np.ndarray
    born: np.ndarray  # datetime64[D]
    tmt_cpns: np.ndarray
    tmt_golongan: np.ndarray
    tmt_jabatan: np.ndarray
    usia: np.ndarray  # whole years by birthday (float, NaN missing)
    masa_kerja: np.ndarray
    masa_golongan: np.ndarray
    masa_jabatan: np.ndarray
    skp_years: list[int]  # the SKP_LOOKBACK_YEARS years before the date's year, latest first
    skp: np.ndarray  # (n, len(skp_years)) codes into SKP_PREDIKAT, -1 missing
    jpm: np.ndarray
    kompetensi: np.ndarray
    pelatihan: list[dict[str, int]]
    hukuman: np.ndarray  # most severe sanction on record at the date (codes), -1 none
    sanctions: Sanctions  # every sanction on record at the date
    experience: dict[str, np.ndarray]  # jenis jabatan -> years held (days / 365.25)
    # Per person: the years at every level are on record (a post-history row); else
    # only the current post's years are known and the other levels are unknown.
    experience_known: np.ndarray
    field_history: FieldHistory
    bup: np.ndarray  # retirement date, datetime64[D]
    sisa_bup: np.ndarray  # years of complete months left before BUP
    home: np.ndarray  # index of the post held (structural), -1 none
    experience_from_history: bool  # the round has a post-history table with rows
    # Regular promotion in rank (rules/kenaikan-pangkat.yaml unless the caller gives one):
    # the golongan rule's counterfactual date follows it.
    rank_progression: RankProgression = field(default_factory=bundled_rank_progression)
    # The ranks pendidikan and level are on (rules/kesetaraan.yaml unless the caller
    # gives one): the pendidikan and kenaikan_jenjang rules compare against them.
    equivalences: Equivalences = field(default_factory=bundled_equivalences)
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


def derive_posts(
    tables: Tables,
    people_index: dict[str, int],
    taxonomy: Taxonomy,
    equivalences: Equivalences | None = None,
) -> Posts:
    """The posts' arrays; ``level`` is the level rank of ``equivalences`` (default the bundled file)."""
    ranks = (equivalences or bundled_equivalences()).jenjang
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
        level=np.array([ranks[j] for j in jenis], dtype=np.int16),
        bidang=jab["bidang"].to_numpy(dtype=object),
        field=np.array([taxonomy.field_code(b) for b in jab["bidang"]], dtype=np.int32),
        kecamatan=jab["kecamatan"].to_numpy(dtype=object),
        atasan=np.array(
            [index[p] if p is not None else -1 for p in jab["atasan_id"]], dtype=np.int64
        ),
        kritis=jab["kritis"].to_numpy(dtype=bool),
        holder=np.array(
            [people_index[n] if n is not None else -1 for n in jab["nip_pemangku"]],
            dtype=np.int64,
        ),
    )


def derive_people(
    tables: Tables,
    day: dt.date,
    taxonomy: Taxonomy,
    bup: BupTable,
    progression: RankProgression | None = None,
    equivalences: Equivalences | None = None,
) -> People:
    """Compute every person's derived facts at ``day`` (``progression``: the
    rank-progression schedule; default the bundled rules/kenaikan-pangkat.yaml;
    ``equivalences``: the ranks of pendidikan and jenis jabatan; default the
    bundled rules/kesetaraan.yaml).

    The tables are as :func:`engine.inputs.data.load_tables` checks them (and
    a horizon's round keeps them): every NIP of the post and sanction
    histories and every incumbent is a pegawai row, and pendidikan is a level
    of the scale, so they are looked up, never defaulted."""
    eq = equivalences or bundled_equivalences()
    peg = tables.pegawai
    n = len(peg)
    jenis = peg["jenis_jabatan"].astype(str).to_numpy(dtype=object)
    born = peg["tanggal_lahir"].to_numpy(dtype="datetime64[D]")
    tmt_jabatan = peg["tmt_jabatan"].to_numpy(dtype="datetime64[D]")
    years, skp = _skp_look_back(peg, day)
    pendidikan = np.array([eq.pendidikan[str(p)] for p in peg["pendidikan"]], dtype=np.int8)
    nips = peg["nip"].to_numpy(dtype=object)
    index = {nip: i for i, nip in enumerate(nips)}
    home = _homes(tables, index, n)
    experience, known, from_history = _experience(tables, index, jenis, tmt_jabatan, day)
    post_field = np.array(
        [taxonomy.field_code(b) for b in tables.jabatan["bidang"]], dtype=np.int32
    )
    field_history = _field_history(tables, index, post_field, home, tmt_jabatan, day, taxonomy)
    retire = bup.retirement_dates(born, jenis, day)
    sanctions = _sanctions(tables, index, day)
    return People(
        date=day,
        nip=nips,
        nama=peg["nama"].to_numpy(dtype=object),
        jenis_kelamin=peg["jenis_kelamin"].astype(str).to_numpy(dtype=object),
        unit=peg["unit"].to_numpy(dtype=object),
        jenis_jabatan=jenis,
        level=np.array([eq.jenjang[j] for j in jenis], dtype=np.int16),
        golongan=_codes(peg["golongan"]),
        pendidikan=pendidikan,
        pendidikan_label=np.array([str(p) for p in peg["pendidikan"]], dtype=object),
        field=taxonomy.major_codes(peg["jurusan"]),
        jurusan=peg["jurusan"].to_numpy(dtype=object),
        born=born,
        tmt_cpns=peg["tmt_cpns"].to_numpy(dtype="datetime64[D]"),
        tmt_golongan=peg["tmt_golongan"].to_numpy(dtype="datetime64[D]"),
        tmt_jabatan=tmt_jabatan,
        usia=np.floor(years_between(born, day)),
        masa_kerja=years_between(peg["tmt_cpns"].to_numpy(dtype="datetime64[D]"), day),
        masa_golongan=years_between(peg["tmt_golongan"].to_numpy(dtype="datetime64[D]"), day),
        masa_jabatan=years_between(tmt_jabatan, day),
        skp_years=years,
        skp=skp,
        jpm=peg["jpm"].to_numpy(dtype=float),
        kompetensi=peg["kompetensi"].to_numpy(dtype=float),
        pelatihan=list(peg["pelatihan"]),
        hukuman=_most_severe(sanctions, n),
        sanctions=sanctions,
        experience=experience,
        experience_known=known,
        field_history=field_history,
        bup=retire,
        sisa_bup=years_between(np.full(n, np.datetime64(day, "D")), retire),
        home=home,
        experience_from_history=from_history,
        rank_progression=progression or bundled_rank_progression(),
        equivalences=eq,
    )


def _skp_look_back(peg: pd.DataFrame, day: dt.date) -> tuple[list[int], np.ndarray]:
    """The look-back's years and each person's SKP codes in them.

    The years are the assessment years before the scenario's year, most recent
    first; a year without a column is missing (-1), never replaced by an older one.
    """
    years = [day.year - 1 - k for k in range(SKP_LOOKBACK_YEARS)]
    on_file = set(skp_years(peg))
    skp = np.full((len(peg), len(years)), -1, dtype=np.int8)
    for k, year in enumerate(years):
        if year in on_file:
            skp[:, k] = np.asarray(peg[f"skp_{year}"].cat.codes, dtype=np.int8)
    return years, skp


def _homes(tables: Tables, index: dict[str, int], n: int) -> np.ndarray:
    """The post each person holds (its row in the jabatan table), -1 for none."""
    home = np.full(n, -1, dtype=np.int64)
    for j, nip in enumerate(tables.jabatan["nip_pemangku"]):
        if nip is not None:
            home[index[nip]] = j
    return home


def _experience(
    tables: Tables, index: dict[str, int], jenis: np.ndarray, tmt_jabatan: np.ndarray, day: dt.date
) -> tuple[dict[str, np.ndarray], np.ndarray, bool]:
    """Years (days / 365.25) each person has held each jenis jabatan up to ``day``, and
    whether those years are known.

    From the post history for people with a history row (overlaps are not
    merged: the history is expected to be contiguous): known at every level.
    A person without a row has only their current post on record: its years
    count at its level, and the years at every other level are unknown
    (``known`` False), not zero.
    """
    n = len(jenis)
    out = {level: np.zeros(n) for level in scales.JENIS_JABATAN}
    today = np.datetime64(day, "D")
    riw = tables.riwayat
    covered = np.zeros(n, dtype=bool)
    if riw is not None and len(riw):
        person = np.array([index[nip] for nip in riw["nip"]], dtype=np.int64)
        start = riw["tmt_mulai"].to_numpy(dtype="datetime64[D]")
        end = riw["tmt_selesai"].to_numpy(dtype="datetime64[D]").copy()
        end[np.isnat(end)] = today
        end = np.minimum(end, today)
        span = np.clip((end - start).astype(float) / DAYS_PER_YEAR, 0, None)
        levels = riw["jenis_jabatan"].astype(str).to_numpy(dtype=object)
        for level in np.unique(levels):
            mask = levels == level
            np.add.at(out[level], person[mask], span[mask])
        covered[person] = True
    fallback = ~covered
    days = (today - np.asarray(tmt_jabatan, dtype="datetime64[D]")).astype(float)
    current = np.clip(days / DAYS_PER_YEAR, 0, None)
    for level in np.unique(jenis[fallback]):
        mask = fallback & (jenis == level)
        out[level][mask] += current[mask]
    return out, covered, riw is not None and len(riw) > 0


def _field_history(
    tables: Tables,
    index: dict[str, int],
    post_field: np.ndarray,
    home: np.ndarray,
    tmt_jabatan: np.ndarray,
    day: dt.date,
    taxonomy: Taxonomy,
) -> FieldHistory:
    """Each person's posts up to ``day`` with their fields (see :class:`FieldHistory`)."""
    n = len(home)
    today = np.datetime64(day, "D")
    riw = tables.riwayat
    if riw is None or not len(riw):
        riw = pd.DataFrame(
            {c: [] for c in ("nip", "tmt_mulai", "tmt_selesai", "jabatan_id", "bidang")}
        )
    person = np.array([index[nip] for nip in riw["nip"]], dtype=np.int64)
    start = riw["tmt_mulai"].to_numpy(dtype="datetime64[D]")
    end = riw["tmt_selesai"].to_numpy(dtype="datetime64[D]").copy()
    end[np.isnat(end)] = today
    end = np.minimum(end, today)
    # Each post's field, and -1 last: the field of "no post" (a post index of -1).
    field_of = np.append(post_field, -1).astype(np.int32)
    post_index = {pid: j for j, pid in enumerate(tables.jabatan["jabatan_id"])}
    # Both columns are optional: a history without them (or rows added by a
    # horizon's round) gives the field through the post, or not at all.
    none = pd.Series([None] * len(riw), index=riw.index, dtype=object)
    by_post = field_of[[post_index.get(pid, -1) for pid in riw.get("jabatan_id", none)]]
    own = np.array([taxonomy.field_code(b) for b in riw.get("bidang", none)], dtype=np.int32)
    field = np.where(own >= 0, own, by_post)
    keep = start <= today  # a row that begins after the date is not held yet
    complete = np.zeros(n, dtype=bool)
    complete[person] = True
    # Without a history row only the current post is on record: from its TMT, in its field.
    alone = np.flatnonzero(~complete & (tmt_jabatan <= today))
    return FieldHistory(
        person=np.concatenate([person[keep], alone]),
        field=np.concatenate([field[keep], field_of[home[alone]]]),
        start=np.concatenate([start[keep], tmt_jabatan[alone]]),
        end=np.concatenate([end[keep], np.full(len(alone), today)]),
        complete=complete,
    )


def _sanctions(tables: Tables, index: dict[str, int], day: dt.date) -> Sanctions:
    """Every sanction imposed on or before ``day`` and not annulled, from both forms."""
    peg = tables.pegawai
    frames = [
        pd.DataFrame(
            {
                "person": np.arange(len(peg)),
                "level": np.asarray(peg["hukuman_tingkat"].cat.codes, dtype=np.int64),
                "tmt": peg["hukuman_tmt"].to_numpy(dtype="datetime64[D]"),
                "selesai": peg["hukuman_selesai"].to_numpy(dtype="datetime64[D]"),
            }
        )
    ]
    huk = tables.hukuman
    if huk is not None and len(huk):
        annulled = huk["dibatalkan"].to_numpy(dtype=bool)  # the loader reads an empty cell as no
        frames.append(
            pd.DataFrame(
                {
                    "person": [index[nip] for nip in huk["nip"]],
                    "level": np.asarray(huk["hukuman_tingkat"].cat.codes, dtype=np.int64),
                    "tmt": huk["hukuman_tmt"].to_numpy(dtype="datetime64[D]"),
                    "selesai": huk["hukuman_selesai"].to_numpy(dtype="datetime64[D]"),
                }
            )[~annulled]
        )
    rows = pd.concat(frames)  # read by position below: the row labels are never used
    tmt = rows["tmt"].to_numpy(dtype="datetime64[D]")
    # No sanction in the pegawai table's columns: level -1 and no TMT.
    keep = (rows["level"].to_numpy() >= 0) & (tmt <= np.datetime64(day, "D"))
    rows = rows[keep].drop_duplicates(["person", "level", "tmt"])
    return Sanctions(
        person=rows["person"].to_numpy(dtype=np.int64),
        level=rows["level"].to_numpy(dtype=np.int8),
        tmt=rows["tmt"].to_numpy(dtype="datetime64[D]"),
        selesai=rows["selesai"].to_numpy(dtype="datetime64[D]"),
    )


def _most_severe(sanctions: Sanctions, n: int) -> np.ndarray:
    out = np.full(n, -1, dtype=np.int8)
    np.maximum.at(out, sanctions.person, sanctions.level)
    return out


def shift_years(day: dt.date, years: float) -> dt.date:
    """``day`` moved by ``years`` (whole months) on the calendar of :func:`months_between`.

    Forward, the day a span of ``years`` that starts on ``day`` is complete:
    "two years in post since 2025-01-02" are complete on 2027-01-02, a year
    from 2024-02-29 on 2025-03-01, a month from 2025-01-31 on 2025-03-01.
    Backward, the latest start from which a span of ``-years`` is complete by
    ``day`` (the day clamped to the month's end: two years before 2026-02-28
    is 2024-02-28, one month before 2024-03-31 is 2024-02-29). Both are the
    one arithmetic: ``months_between(s, d) >= n`` exactly when
    ``s <= shift_years(d, -n/12)`` and exactly when ``shift_years(s, n/12) <= d``.
    """
    months = round(years * 12)
    total = day.year * 12 + (day.month - 1) + months
    year, month = divmod(total, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    if day.day <= last:
        return dt.date(year, month, day.day)
    if months < 0:
        return dt.date(year, month, last)
    return dt.date(year, month, last) + dt.timedelta(days=1)


def whole_years(start: dt.date, day: dt.date) -> int:
    """Completed calendar years from ``start`` to ``day`` (age in whole years by birthday).

    ``months_between(start, day) // 12``: born on 29 February, a year older on 1 March
    in a common year.
    """
    return day.year - start.year - ((day.month, day.day) < (start.month, start.day))
