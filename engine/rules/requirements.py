"""The closed catalogue of requirement kinds.

Each kind is one class holding, side by side, its parameters (a pydantic
model, from which the rule-file JSON Schema is generated), its vectorised
evaluator, its explanation in Bahasa Indonesia and English, and its
counterfactual: the smallest change that would make a failing person pass,
or the date from which time alone makes them pass.

An evaluator takes the :class:`~engine.inputs.derive.People` arrays and one post's
attributes (:class:`PostView`) and returns one verdict per person:
``PASS`` (1), ``FAIL`` (0) or ``UNKNOWN`` (2, data missing). Evaluators
read only the post attributes named in ``post_keys``, so eligibility can
evaluate a rule once for all posts that agree on those attributes.

A kind whose verdict is an equality between a person attribute and a post
attribute (same field, same family, same unit) says so through
:meth:`Kind.join_keys`: eligibility then joins people to posts on that key
instead of evaluating the rule over everyone for every post
(:mod:`engine.eligibility.candidates`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import ClassVar, Literal

import numpy as np
import pandas as pd
from pydantic import Field, field_validator, model_validator

from engine.inputs import scales
from engine.inputs.derive import DAYS_PER_YEAR, People, Posts, shift_years, whole_years
from engine.inputs.schema import Strict
from engine.inputs.settings import FIELD_GRADES, Taxonomy

__all__ = [
    "CATALOGUE",
    "FAIL",
    "PASS",
    "UNKNOWN",
    "Counterfactual",
    "Kind",
    "PostView",
    "Requirement",
]

FAIL, PASS, UNKNOWN = np.int8(0), np.int8(1), np.int8(2)
VERDICT_NAMES = {0: "FAIL", 1: "PASS", 2: "UNKNOWN"}

Golongan = Literal[scales.GOLONGAN]  # type: ignore[valid-type]
Pendidikan = Literal[scales.PENDIDIKAN]  # type: ignore[valid-type]
Predikat = Literal[scales.SKP_PREDIKAT]  # type: ignore[valid-type]
JenisJabatan = Literal[scales.JENIS_JABATAN]  # type: ignore[valid-type]
Tingkat = Literal[scales.HUKUMAN_TINGKAT]  # type: ignore[valid-type]
Grade = Literal["exact", "family", "related"]


@dataclass(frozen=True)
class PostView:
    """The attributes of one post that evaluators may read."""

    jabatan_id: str
    jenis_jabatan: str
    level: int
    eselon: str
    unit: str
    bidang: str
    field: int
    kritis: bool


@dataclass(frozen=True)
class Counterfactual:
    """What would make a failing person pass."""

    id: str  # Bahasa Indonesia
    en: str
    from_date: dt.date | None = None  # time alone qualifies them from this date

    def text(self, lang: str) -> str:
        return self.id if lang == "id" else self.en


def _tri(ok: np.ndarray, known: np.ndarray) -> np.ndarray:
    out = np.where(ok, PASS, FAIL).astype(np.int8)
    out[~known] = UNKNOWN
    return out


def _on_or_before(dates: np.ndarray, day: dt.date) -> np.ndarray:
    """Bool per person: the date is on or before ``day`` (False where missing)."""
    return ~np.isnat(dates) & (dates <= np.datetime64(day, "D"))


def _date(value: np.datetime64) -> dt.date | None:
    return None if np.isnat(value) else dt.date.fromisoformat(str(value.astype("datetime64[D]")))


def _fmt_years(x: float) -> str:
    return "-" if np.isnan(x) else f"{x:.1f}"


class Kind:
    """Base of a requirement kind. Subclasses set the class attributes."""

    name: ClassVar[str]
    Params: ClassVar[type[Strict]]
    post_keys: ClassVar[tuple[str, ...]] = ()
    summary_id: ClassVar[str]
    summary_en: ClassVar[str]
    example: ClassVar[dict[str, object]]

    def __init__(self, taxonomy: Taxonomy | None = None):
        self.taxonomy = taxonomy

    def reads(self, p: Strict) -> tuple[str, ...]:
        """The post attributes a rule with parameters ``p`` reads (default: ``post_keys``)."""
        return self.post_keys

    def join_keys(
        self, p: Strict, people: People, posts: Posts
    ) -> tuple[np.ndarray, np.ndarray] | None:
        """The rule as an equality, when it is one; else ``None``.

        Returns ``(person_key, post_key)``, int64 arrays over people and
        posts, such that for every post ``j`` the verdict of person ``i`` is
        UNKNOWN where ``person_key[i] == -1``, else PASS exactly where
        ``person_key[i] == post_key[j]`` (a post key of -2 matches nobody).
        It must agree with :meth:`evaluate` everywhere.
        """
        return None

    def evaluate(self, p: Strict, people: People, post: PostView) -> np.ndarray:
        """One verdict per person (PASS, FAIL or UNKNOWN) for a post like ``post``."""
        raise NotImplementedError

    def explain(self, p: Strict, people: People, i: int, post: PostView, lang: str) -> str:
        """The values compared, in one sentence."""
        raise NotImplementedError

    def counterfactual(self, p: Strict, people: People, i: int, post: PostView) -> Counterfactual:
        raise NotImplementedError


# --------------------------------------------------------------------------
class GolonganParams(Strict):
    min: Golongan | None = Field(default=None, description="lowest golongan/ruang allowed")
    max: Golongan | None = Field(default=None, description="highest golongan/ruang allowed")

    @model_validator(mode="after")
    def _some(self) -> GolonganParams:
        if self.min is None and self.max is None:
            raise ValueError("give min, max or both")
        if (
            self.min
            and self.max
            and scales.golongan_index(self.min) > scales.golongan_index(self.max)
        ):
            raise ValueError(f"min {self.min} is above max {self.max}")
        return self


class GolonganKind(Kind):
    name = "golongan"
    Params = GolonganParams
    summary_id = "Golongan/ruang paling rendah dan/atau paling tinggi."
    summary_en = "Lowest and/or highest golongan/ruang."
    example: ClassVar[dict[str, object]] = {"min": "III/d"}
    # Regular promotion in rank (kenaikan pangkat reguler) every 4 years: the
    # earliest date time alone could bring the missing steps (PP 99/2000 Ps. 7).
    YEARS_PER_STEP = 4

    def evaluate(self, p, people, post):
        g = people.golongan
        ok = np.ones(people.n, dtype=bool)
        if p.min:
            ok &= g >= scales.golongan_index(p.min)
        if p.max:
            ok &= g <= scales.golongan_index(p.max)
        return _tri(ok, g >= 0)

    def explain(self, p, people, i, post, lang):
        have = scales.GOLONGAN[people.golongan[i]] if people.golongan[i] >= 0 else "-"
        need = " – ".join(x for x in (p.min and f"≥ {p.min}", p.max and f"≤ {p.max}") if x)
        return (
            f"golongan {have}; syarat {need}"
            if lang == "id"
            else f"golongan {have}; required {need}"
        )

    def counterfactual(self, p, people, i, post):
        g = people.golongan[i]
        if p.min and g < scales.golongan_index(p.min):
            steps = scales.golongan_index(p.min) - g
            since = _date(people.tmt_golongan[i]) or people.date
            when = max(people.date, shift_years(since, self.YEARS_PER_STEP * steps))
            return Counterfactual(
                f"perlu golongan {p.min} ({steps} tingkat lagi; paling cepat {when} bila naik pangkat reguler)",
                f"needs golongan {p.min} ({steps} more step(s); at the earliest {when} by regular promotion)",
                when,
            )
        return Counterfactual(f"golongan paling tinggi {p.max}", f"golongan at most {p.max}")


# --------------------------------------------------------------------------
class PendidikanParams(Strict):
    min: Pendidikan = Field(description="lowest education level (S1 and D4 count as equal)")


class PendidikanKind(Kind):
    name = "pendidikan"
    Params = PendidikanParams
    summary_id = "Pendidikan paling rendah (S1 dan D-IV setara)."
    summary_en = "Lowest education level (S1 and D-IV are equal)."
    example: ClassVar[dict[str, object]] = {"min": "S1"}

    def evaluate(self, p, people, post):
        have = people.pendidikan
        return _tri(have >= scales.PENDIDIKAN_RANK[p.min], have >= 0)

    def explain(self, p, people, i, post, lang):
        rank = people.pendidikan[i]
        have = next((k for k, v in scales.PENDIDIKAN_RANK.items() if v == rank), "-")
        return (
            f"pendidikan {have}; syarat paling rendah {p.min}"
            if lang == "id"
            else f"pendidikan {have}; required at least {p.min}"
        )

    def counterfactual(self, p, people, i, post):
        return Counterfactual(f"perlu pendidikan {p.min}", f"needs pendidikan {p.min}")


# --------------------------------------------------------------------------
class BidangParams(Strict):
    min: Grade = Field(
        default="family",
        description="weakest field-of-study match accepted: exact (same field), family (same family), related",
    )


class BidangKind(Kind):
    name = "bidang_keilmuan"
    Params = BidangParams
    post_keys = ("field",)
    summary_id = "Kesesuaian jurusan dengan bidang jabatan, menurut taksonomi bidang keilmuan: sama bidang (exact), satu rumpun (family), atau terkait (related)."
    summary_en = "Match of the person's major to the post's field, through the field taxonomy: exact, same family, or related."
    example: ClassVar[dict[str, object]] = {"min": "family"}

    def join_keys(self, p, people, posts):
        # exact: the same field; family: the same family. "related" is not an
        # equivalence (a field relates to fields of other families): no join.
        if p.min == "related":
            return None
        assert self.taxonomy is not None
        if p.min == "exact":
            code = np.arange(len(self.taxonomy.fields), dtype=np.int64)
        else:
            families = sorted(set(self.taxonomy.family_of.values()))
            code = np.array(
                [families.index(self.taxonomy.family_of[f]) for f in self.taxonomy.fields],
                dtype=np.int64,
            )
        person = np.where(people.field >= 0, code[np.maximum(people.field, 0)], -1)
        post = np.where(posts.field >= 0, code[np.maximum(posts.field, 0)], -2)
        return person.astype(np.int64), post.astype(np.int64)

    def grades(self, people: People, post: PostView) -> np.ndarray:
        assert self.taxonomy is not None
        known = (people.field >= 0) & (post.field >= 0)
        grade = np.zeros(people.n, dtype=np.int8)
        if post.field >= 0:
            grade[known] = self.taxonomy.grade[people.field[known], post.field]
        return grade

    def evaluate(self, p, people, post):
        known = people.field >= 0
        return _tri(self.grades(people, post) >= FIELD_GRADES.index(p.min), known)

    def explain(self, p, people, i, post, lang):
        grade = FIELD_GRADES[self.grades(people, post)[i]]
        major = people.jurusan[i] or "-"
        if lang == "id":
            return f"jurusan {major}, bidang jabatan {post.bidang}: kecocokan '{grade}'; syarat paling lemah '{p.min}'"
        return (
            f"major {major}, post field {post.bidang}: match '{grade}'; required at least '{p.min}'"
        )

    def counterfactual(self, p, people, i, post):
        return Counterfactual(
            f"perlu jurusan dalam bidang {post.bidang} (kecocokan '{p.min}' atau lebih)",
            f"needs a major in the field {post.bidang} (match '{p.min}' or better)",
        )


# --------------------------------------------------------------------------
class UsiaParams(Strict):
    min: int | None = Field(default=None, ge=0, le=100, description="youngest age in whole years")
    max: int | None = Field(
        default=None, ge=0, le=100, description="oldest age in whole years at the scenario date"
    )

    @model_validator(mode="after")
    def _some(self) -> UsiaParams:
        if self.min is None and self.max is None:
            raise ValueError("give min, max or both")
        return self


class UsiaKind(Kind):
    name = "usia"
    Params = UsiaParams
    summary_id = "Usia pada tanggal skenario, dalam tahun penuh."
    summary_en = "Age at the scenario date, in whole years."
    example: ClassVar[dict[str, object]] = {"max": 56}

    def evaluate(self, p, people, post):
        age = np.floor(people.usia)
        ok = np.ones(people.n, dtype=bool)
        if p.min is not None:
            ok &= age >= p.min
        if p.max is not None:
            ok &= age <= p.max
        return _tri(ok, ~np.isnan(age))

    def explain(self, p, people, i, post, lang):
        need = " – ".join(
            x for x in (p.min is not None and f"≥ {p.min}", p.max is not None and f"≤ {p.max}") if x
        )
        age = int(np.floor(people.usia[i]))
        return f"usia {age} tahun; syarat {need}" if lang == "id" else f"age {age}; required {need}"

    def counterfactual(self, p, people, i, post):
        born = _date(people.born[i])
        if p.min is not None and born and whole_years(born, people.date) < p.min:
            when = _birthday(born, p.min)
            return Counterfactual(f"memenuhi syarat mulai {when}", f"eligible from {when}", when)
        return Counterfactual(
            f"melewati batas usia {p.max} tahun; tidak dapat dipenuhi",
            f"past the age limit of {p.max}; cannot be met",
        )


def _birthday(born: dt.date, age: int) -> dt.date:
    try:
        return born.replace(year=born.year + age)
    except ValueError:  # 29 February
        return dt.date(born.year + age, 3, 1)


# --------------------------------------------------------------------------
class YearsParams(Strict):
    min_years: float = Field(ge=0, le=60, description="least number of years")


class _SpanKind(Kind):
    """A span of years since a start date (masa kerja, masa golongan, masa jabatan)."""

    attr: ClassVar[str]
    start_attr: ClassVar[str]
    label_id: ClassVar[str]
    label_en: ClassVar[str]

    def span(self, people: People) -> np.ndarray:
        return getattr(people, self.attr)

    def evaluate(self, p, people, post):
        start = getattr(people, self.start_attr)
        ok = _on_or_before(start, shift_years(people.date, -p.min_years))
        return _tri(ok, ~np.isnat(start))

    def explain(self, p, people, i, post, lang):
        have = _fmt_years(self.span(people)[i])
        if lang == "id":
            return f"{self.label_id} {have} tahun; syarat paling sedikit {p.min_years:g} tahun"
        return f"{self.label_en} {have} years; required at least {p.min_years:g} years"

    def counterfactual(self, p, people, i, post):
        start = _date(getattr(people, self.start_attr)[i])
        if start is None:
            return Counterfactual(f"data {self.label_id} kosong", f"{self.label_en} is missing")
        when = shift_years(start, p.min_years)
        return Counterfactual(f"memenuhi syarat mulai {when}", f"eligible from {when}", when)


class MasaKerjaKind(_SpanKind):
    name = "masa_kerja"
    Params = YearsParams
    attr, start_attr = "masa_kerja", "tmt_cpns"
    label_id, label_en = "masa kerja", "years of service"
    summary_id = "Masa kerja sejak TMT CPNS, paling sedikit sekian tahun."
    summary_en = "Years of service since TMT CPNS, at least."
    example: ClassVar[dict[str, object]] = {"min_years": 10}


class MasaGolonganKind(_SpanKind):
    name = "masa_golongan"
    Params = YearsParams
    attr, start_attr = "masa_golongan", "tmt_golongan"
    label_id, label_en = "masa kerja dalam golongan", "years in golongan"
    summary_id = "Masa kerja dalam golongan sekarang, paling sedikit sekian tahun."
    summary_en = "Years in the current golongan, at least."
    example: ClassVar[dict[str, object]] = {"min_years": 2}


class MasaJabatanParams(YearsParams):
    only_promotion: bool = Field(
        default=True,
        description="apply only when the post is a step up from the person's current level",
    )


class MasaJabatanKind(_SpanKind):
    name = "masa_jabatan"
    Params = MasaJabatanParams
    post_keys = ("level",)
    attr, start_attr = "masa_jabatan", "tmt_jabatan"
    label_id, label_en = "masa jabatan", "years in post"
    summary_id = (
        "Lama menduduki jabatan sekarang, paling sedikit sekian tahun (bisa hanya untuk promosi)."
    )
    summary_en = "Years in the current post, at least (optionally only for a step up)."
    example: ClassVar[dict[str, object]] = {"min_years": 2, "only_promotion": True}

    def evaluate(self, p, people, post):
        out = super().evaluate(p, people, post)
        if p.only_promotion:
            out[people.level >= post.level] = PASS
        return out


# --------------------------------------------------------------------------
class PengalamanParams(Strict):
    levels: list[JenisJabatan] = Field(min_length=1, description="jenis jabatan whose years count")
    min_years: float = Field(
        ge=0, le=60, description="least number of years at those levels, together"
    )


class PengalamanKind(Kind):
    name = "pengalaman"
    Params = PengalamanParams
    summary_id = "Pengalaman pada jenjang tertentu (dijumlah dari riwayat jabatan bila ada, selain itu dari jabatan sekarang)."
    summary_en = "Experience at given levels (summed from the post history when there is one, else the current post)."
    example: ClassVar[dict[str, object]] = {
        "levels": ["Pengawas", "Fungsional Ahli Muda"],
        "min_years": 3,
    }

    def years(self, p, people: People) -> np.ndarray:
        return sum((people.experience[level] for level in p.levels), np.zeros(people.n))

    @staticmethod
    def needed_days(p, people: People) -> int:
        """Days in the ``min_years`` calendar years that end at the scenario date."""
        return (people.date - shift_years(people.date, -p.min_years)).days

    def evaluate(self, p, people, post):
        have_days = np.round(self.years(p, people) * DAYS_PER_YEAR)
        return _tri(have_days >= self.needed_days(p, people), np.ones(people.n, dtype=bool))

    def explain(self, p, people, i, post, lang):
        have = _fmt_years(self.years(p, people)[i])
        levels = ", ".join(p.levels)
        if lang == "id":
            return f"pengalaman sebagai {levels}: {have} tahun; syarat paling sedikit {p.min_years:g} tahun"
        return f"experience as {levels}: {have} years; required at least {p.min_years:g} years"

    def counterfactual(self, p, people, i, post):
        short_days = self.needed_days(p, people) - round(self.years(p, people)[i] * DAYS_PER_YEAR)
        short = short_days / DAYS_PER_YEAR
        if people.jenis_jabatan[i] in p.levels:
            when = people.date + dt.timedelta(days=int(short_days))
            return Counterfactual(f"memenuhi syarat mulai {when}", f"eligible from {when}", when)
        return Counterfactual(
            f"perlu {short:.1f} tahun lagi sebagai {', '.join(p.levels)}",
            f"needs {short:.1f} more years as {', '.join(p.levels)}",
        )


# --------------------------------------------------------------------------
class SkpParams(Strict):
    min: Predikat = Field(default="Baik", description="lowest SKP predikat accepted in each year")
    years: int = Field(default=2, ge=1, le=5, description="how many of the most recent years")


class SkpKind(Kind):
    name = "skp"
    Params = SkpParams
    summary_id = (
        "Predikat SKP paling rendah pada setiap tahun dari N tahun terakhir yang ada datanya sebelum tahun skenario "
        "(nilai angka PP 46/2011 dibaca dengan tabel konversi)."
    )
    summary_en = (
        "Lowest SKP predikat in each of the last N years on record before the scenario year "
        "(PP 46/2011 numbers are read through the conversion bands)."
    )
    example: ClassVar[dict[str, object]] = {"min": "Baik", "years": 2}

    def evaluate(self, p, people, post):
        window = people.skp[:, : p.years]
        if window.shape[1] < p.years:
            return np.full(people.n, UNKNOWN, dtype=np.int8)
        need = scales.SKP_PREDIKAT.index(p.min)
        fail = ((window >= 0) & (window < need)).any(axis=1)
        known = (window >= 0).all(axis=1)
        out = np.where(fail, FAIL, np.where(known, PASS, UNKNOWN)).astype(np.int8)
        return out

    def explain(self, p, people, i, post, lang):
        parts = []
        for k, year in enumerate(people.skp_years[: p.years]):
            code = people.skp[i, k]
            parts.append(f"{year}: {scales.SKP_PREDIKAT[code] if code >= 0 else '-'}")
        values = ", ".join(parts) or "-"
        if lang == "id":
            return f"SKP {values}; syarat paling rendah {p.min} selama {p.years} tahun"
        return f"SKP {values}; required at least {p.min} for {p.years} years"

    def counterfactual(self, p, people, i, post):
        return Counterfactual(
            f"perlu predikat SKP paling rendah {p.min} selama {p.years} tahun berturut-turut",
            f"needs SKP predikat {p.min} or better for {p.years} years in a row",
        )


# --------------------------------------------------------------------------
class HukumanParams(Strict):
    levels: list[Tingkat] = Field(
        default=["sedang", "berat"], min_length=1, description="sanction levels that exclude"
    )
    lookback_years: float | None = Field(
        default=None,
        ge=0,
        le=40,
        description="years after a sanction ends that it still excludes; empty: ever",
    )


class HukumanKind(Kind):
    name = "hukuman_disiplin"
    Params = HukumanParams
    summary_id = "Tidak sedang/pernah dijatuhi hukuman disiplin tingkat tertentu, dalam masa tinjau (PP 94/2021)."
    summary_en = "No current or past disciplinary sanction of given levels within a look-back period (PP 94/2021)."
    example: ClassVar[dict[str, object]] = {"levels": ["sedang", "berat"], "lookback_years": 5}

    def evaluate(self, p, people, post):
        codes = [scales.HUKUMAN_TINGKAT.index(level) for level in p.levels]
        hit = np.isin(people.hukuman, codes)
        if p.lookback_years is not None:
            end = people.hukuman_selesai
            hit &= ~_on_or_before(end, shift_years(people.date, -p.lookback_years))
        return _tri(~hit, np.ones(people.n, dtype=bool))

    def explain(self, p, people, i, post, lang):
        code = people.hukuman[i]
        look = f"{p.lookback_years:g}" if p.lookback_years is not None else None
        if code < 0:
            return (
                "tidak ada hukuman disiplin tercatat"
                if lang == "id"
                else "no disciplinary sanction on record"
            )
        level, end = scales.HUKUMAN_TINGKAT[code], _date(people.hukuman_selesai[i])
        if lang == "id":
            return f"hukuman disiplin {level}, selesai {end}; dilarang: {', '.join(p.levels)}" + (
                f" dalam {look} tahun terakhir" if look else ""
            )
        return f"disciplinary sanction {level}, ended {end}; excluded: {', '.join(p.levels)}" + (
            f" within the last {look} years" if look else ""
        )

    def counterfactual(self, p, people, i, post):
        end = _date(people.hukuman_selesai[i])
        if p.lookback_years is not None and end is not None:
            when = shift_years(end, p.lookback_years)
            return Counterfactual(f"memenuhi syarat mulai {when}", f"eligible from {when}", when)
        return Counterfactual(
            "tidak dapat dipenuhi (hukuman tercatat)", "cannot be met (sanction on record)"
        )


# --------------------------------------------------------------------------
class PelatihanParams(Strict):
    any_of: list[str] = Field(
        min_length=1, description="trainings that satisfy the rule (PKP, PKA, PKN II, PKN I, ...)"
    )
    timing: Literal["before", "within"] = Field(
        default="before", description="before appointment, or within `months` after it"
    )
    months: int = Field(
        default=12, ge=1, le=60, description="for timing 'within': months after appointment"
    )

    @field_validator("any_of")
    @classmethod
    def _names(cls, value: list[str]) -> list[str]:
        for name in value:
            if not name.strip() or ":" in name or "|" in name:
                raise ValueError(f"'{name}' is not a training name")
        return value


class PelatihanKind(Kind):
    name = "pelatihan"
    Params = PelatihanParams
    summary_id = (
        "Pelatihan kepemimpinan yang disyaratkan, sebelum pengangkatan atau paling lambat N bulan sesudahnya "
        "(timing 'within': tidak menggugurkan, menjadi kewajiban)."
    )
    summary_en = (
        "Required leadership training, before appointment or within N months after it "
        "(timing 'within': never excludes, becomes an obligation)."
    )
    example: ClassVar[dict[str, object]] = {"any_of": ["PKA"], "timing": "before"}

    def has(self, p, people: People) -> np.ndarray:
        done = np.zeros(people.n, dtype=bool)
        for name in p.any_of:
            done |= ~np.isnan(people.training_year(name))
        return done

    def evaluate(self, p, people, post):
        if p.timing == "within":
            return np.full(people.n, PASS, dtype=np.int8)
        return _tri(self.has(p, people), np.ones(people.n, dtype=bool))

    def explain(self, p, people, i, post, lang):
        done = sorted(f"{k} {v}" for k, v in people.pelatihan[i].items()) or ["-"]
        need = " / ".join(p.any_of)
        when_id = (
            "sebelum pengangkatan"
            if p.timing == "before"
            else f"paling lambat {p.months} bulan setelah pengangkatan"
        )
        when_en = (
            "before appointment"
            if p.timing == "before"
            else f"within {p.months} months after appointment"
        )
        if lang == "id":
            return f"pelatihan {', '.join(done)}; syarat {need} {when_id}"
        return f"training {', '.join(done)}; required {need} {when_en}"

    def counterfactual(self, p, people, i, post):
        need = " / ".join(p.any_of)
        return Counterfactual(f"perlu pelatihan {need}", f"needs training {need}")


# --------------------------------------------------------------------------
class ScoreParams(Strict):
    min: float = Field(description="lowest value accepted")


class _ValueKind(Kind):
    attr: ClassVar[str]
    label_id: ClassVar[str]
    label_en: ClassVar[str]

    def evaluate(self, p, people, post):
        have = getattr(people, self.attr)
        return _tri(have >= p.min, ~np.isnan(have))

    def explain(self, p, people, i, post, lang):
        v = getattr(people, self.attr)[i]
        shown = "-" if np.isnan(v) else f"{v:g}"
        return (
            f"{self.label_id} {shown}; syarat paling rendah {p.min:g}"
            if lang == "id"
            else f"{self.label_en} {shown}; required at least {p.min:g}"
        )

    def counterfactual(self, p, people, i, post):
        return Counterfactual(
            f"perlu {self.label_id} paling rendah {p.min:g}",
            f"needs {self.label_en} of at least {p.min:g}",
        )


class JpmKind(_ValueKind):
    name = "jpm"
    Params = ScoreParams
    attr, label_id, label_en = "jpm", "JPM", "JPM"
    summary_id = "Hasil asesmen job-person match (%) paling rendah (MS ≥ 80, MMS 68–79)."
    summary_en = "Lowest assessment job-person match % (MS ≥ 80, MMS 68–79)."
    example: ClassVar[dict[str, object]] = {"min": 68}


class KompetensiKind(_ValueKind):
    name = "kompetensi"
    Params = ScoreParams
    attr, label_id, label_en = (
        "kompetensi",
        "level kompetensi manajerial",
        "managerial competency level",
    )
    summary_id = "Level kompetensi manajerial paling rendah (1–5, PermenPANRB 38/2017)."
    summary_en = "Lowest managerial competency level (1–5, PermenPANRB 38/2017)."
    example: ClassVar[dict[str, object]] = {"min": 3}


class SisaBupKind(_ValueKind):
    name = "sisa_bup"
    Params = ScoreParams
    attr, label_id, label_en = (
        "sisa_bup",
        "sisa masa kerja sebelum BUP (tahun)",
        "years left before BUP",
    )
    summary_id = "Sisa tahun sebelum batas usia pensiun, paling sedikit."
    summary_en = "Years left before the retirement age (BUP), at least."
    example: ClassVar[dict[str, object]] = {"min": 2}

    def explain(self, p, people, i, post, lang):
        left, bup = _fmt_years(people.sisa_bup[i]), _date(people.bup[i]) or "-"
        if lang == "id":
            return f"sisa masa kerja sebelum BUP ({bup}) {left} tahun; syarat paling sedikit {p.min:g} tahun"
        return f"years left before BUP ({bup}): {left}; required at least {p.min:g}"

    def counterfactual(self, p, people, i, post):
        return Counterfactual(
            f"BUP {_date(people.bup[i])}: sisa masa kerja kurang dari {p.min:g} tahun; tidak dapat dipenuhi",
            f"BUP {_date(people.bup[i])}: fewer than {p.min:g} years left; cannot be met",
        )


# --------------------------------------------------------------------------
def _either(numbers: list[int], word: str) -> str:
    """``7, 8 atau 9`` / ``7, 8 or 9``."""
    text = [str(n) for n in numbers]
    return text[0] if len(text) == 1 else f"{', '.join(text[:-1])} {word} {text[-1]}"


class KotakTalentaParams(Strict):
    any_of: list[int] = Field(
        min_length=1,
        description="talent boxes accepted, 1-9 (the talent pool, kelompok rencana suksesi, is 7, 8, 9)",
    )

    @field_validator("any_of")
    @classmethod
    def _boxes(cls, value: list[int]) -> list[int]:
        bad = [b for b in value if not 1 <= b <= 9]
        if bad:
            raise ValueError(f"boxes are numbered 1 to 9, found {bad}")
        if len(set(value)) != len(value):
            raise ValueError("a box is named twice")
        return sorted(value)


class KotakTalentaKind(Kind):
    """The talent box (kotak talenta) of the regime in force at the scenario date.

    The box comes from :func:`engine.scoring.talent.talent_box` (kinerja x potensial,
    thresholds and numbering from the talent-box file the scenario names);
    without such a file, or without the data to place a person, the verdict
    is UNKNOWN, never a guess.
    """

    name = "kotak_talenta"
    Params = KotakTalentaParams
    summary_id = (
        "Kotak talenta (kinerja x potensial, PermenPANRB 3/2020; Kepka BKN 411/2025) termasuk salah satu "
        "kotak yang disebut; tanpa berkas kotak talenta pada skenario hasilnya UNKNOWN."
    )
    summary_en = (
        "Talent box (kinerja x potensial, PermenPANRB 3/2020; Kepka BKN 411/2025) is one of the boxes named; "
        "without a talent-box file in the scenario the verdict is UNKNOWN."
    )
    example: ClassVar[dict[str, object]] = {"any_of": [7, 8, 9]}

    def evaluate(self, p, people, post):
        box = people.talent_box
        if box is None:
            return np.full(people.n, UNKNOWN, dtype=np.int8)
        return _tri(np.isin(box, p.any_of), box > 0)

    def explain(self, p, people, i, post, lang):
        need_id, need_en = _either(p.any_of, "atau"), _either(p.any_of, "or")
        box = people.talent_box
        if box is None:
            if lang == "id":
                return f"kotak talenta tidak dihitung (skenario tidak menyebut berkas kotak talenta); syarat kotak {need_id}"
            return f"talent box not computed (the scenario names no talent-box file); required box {need_en}"
        if box[i] <= 0:
            if lang == "id":
                return f"kotak talenta tidak diketahui (data kinerja atau potensial kosong); syarat kotak {need_id}"
            return f"talent box unknown (no kinerja or potensial data); required box {need_en}"
        regime = f" ({people.talent_regime})" if people.talent_regime else ""
        if lang == "id":
            return f"kotak talenta {box[i]}{regime}; syarat kotak {need_id}"
        return f"talent box {box[i]}{regime}; required box {need_en}"

    def counterfactual(self, p, people, i, post):
        need_id, need_en = _either(p.any_of, "atau"), _either(p.any_of, "or")
        box = people.talent_box
        if box is None:
            return Counterfactual(
                "sebutkan berkas kotak talenta (talent_box) pada skenario",
                "name a talent-box file (talent_box) in the scenario",
            )
        if box[i] <= 0:
            return Counterfactual(
                "perlu data SKP dan potensial (JPM atau kompetensi) agar kotak talenta dapat dihitung",
                "needs SKP and potential data (JPM or competency) to be placed in a talent box",
            )
        return Counterfactual(
            f"perlu masuk kotak talenta {need_id} (sekarang kotak {box[i]}): kinerja atau potensial lebih tinggi",
            f"needs talent box {need_en} (now box {box[i]}): higher kinerja or potensial",
        )


# --------------------------------------------------------------------------
class UnitKerjaParams(Strict):
    same_as_post: bool = Field(
        default=False,
        description="the person works now in the unit of the post (promotion or rotation within the unit)",
    )
    any_of: list[str] | None = Field(
        default=None, min_length=1, description="units (OPD) one of which the person works in now"
    )

    @model_validator(mode="after")
    def _one(self) -> UnitKerjaParams:
        if self.same_as_post == (self.any_of is not None):
            raise ValueError("give either same_as_post: true or any_of (a list of units)")
        return self


class UnitKerjaKind(Kind):
    """The unit (OPD, instansi) a person works in now, against the post's unit or a list.

    ``same_as_post`` is an equality between the person's unit and the post's:
    at national scale eligibility joins people to posts on it (formation
    within the instansi) instead of checking every pair.
    """

    name = "unit_kerja"
    Params = UnitKerjaParams
    post_keys = ("unit",)
    summary_id = (
        "Unit kerja (OPD/instansi) pegawai sekarang: sama dengan unit jabatan (same_as_post), "
        "atau salah satu unit yang disebut (any_of)."
    )
    summary_en = (
        "The unit (OPD/instansi) the person works in now: the post's own unit (same_as_post), "
        "or one of the units named (any_of)."
    )
    example: ClassVar[dict[str, object]] = {"same_as_post": True}

    def reads(self, p):
        return self.post_keys if p.same_as_post else ()

    def join_keys(self, p, people, posts):
        if not p.same_as_post:
            return None
        person_unit = np.asarray(people.unit, dtype=object)
        codes, uniques = pd.factorize(person_unit, use_na_sentinel=True)
        post = pd.Index(uniques).get_indexer(np.asarray(posts.unit, dtype=object))
        return codes.astype(np.int64), np.where(post >= 0, post, -2).astype(np.int64)

    def evaluate(self, p, people, post):
        unit = np.asarray(people.unit, dtype=object)
        known = ~pd.isna(unit)
        wanted = [post.unit] if p.same_as_post else p.any_of
        return _tri(np.isin(unit, wanted) & known, known)

    def explain(self, p, people, i, post, lang):
        have = people.unit[i] or "-"
        if p.same_as_post:
            need_id, need_en = f"unit jabatan ({post.unit})", f"the post's unit ({post.unit})"
        else:
            need_id = f"salah satu dari: {', '.join(p.any_of)}"
            need_en = f"one of: {', '.join(p.any_of)}"
        if lang == "id":
            return f"unit kerja sekarang {have}; syarat {need_id}"
        return f"works now in {have}; required {need_en}"

    def counterfactual(self, p, people, i, post):
        units = post.unit if p.same_as_post else " / ".join(p.any_of)
        return Counterfactual(
            f"perlu bertugas lebih dahulu di {units}", f"needs to be working in {units} first"
        )


KINDS: tuple[type[Kind], ...] = (
    GolonganKind,
    PendidikanKind,
    BidangKind,
    UsiaKind,
    MasaKerjaKind,
    MasaGolonganKind,
    MasaJabatanKind,
    PengalamanKind,
    SkpKind,
    HukumanKind,
    PelatihanKind,
    KompetensiKind,
    JpmKind,
    SisaBupKind,
    KotakTalentaKind,
    UnitKerjaKind,
)
CATALOGUE: dict[str, type[Kind]] = {k.name: k for k in KINDS}


class Requirement(Strict):
    """Exactly one requirement kind with its parameters."""

    golongan: GolonganParams | None = None
    pendidikan: PendidikanParams | None = None
    bidang_keilmuan: BidangParams | None = None
    usia: UsiaParams | None = None
    masa_kerja: YearsParams | None = None
    masa_golongan: YearsParams | None = None
    masa_jabatan: MasaJabatanParams | None = None
    pengalaman: PengalamanParams | None = None
    skp: SkpParams | None = None
    hukuman_disiplin: HukumanParams | None = None
    pelatihan: PelatihanParams | None = None
    kompetensi: ScoreParams | None = None
    jpm: ScoreParams | None = None
    sisa_bup: ScoreParams | None = None
    kotak_talenta: KotakTalentaParams | None = None
    unit_kerja: UnitKerjaParams | None = None

    model_config = Strict.model_config | {
        "json_schema_extra": {"minProperties": 1, "maxProperties": 1}
    }

    @model_validator(mode="after")
    def _exactly_one(self) -> Requirement:
        given = [k for k in CATALOGUE if getattr(self, k) is not None]
        if len(given) != 1:
            found = ", ".join(given) if given else "none"
            raise ValueError(
                f"give exactly one requirement kind (found: {found}); allowed: {', '.join(CATALOGUE)}"
            )
        return self

    @property
    def kind(self) -> str:
        return next(k for k in CATALOGUE if getattr(self, k) is not None)

    @property
    def params(self) -> Strict:
        return getattr(self, self.kind)
