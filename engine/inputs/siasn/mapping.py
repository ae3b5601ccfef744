"""The SIASN mapping folder, read strictly into typed settings.

Takes a folder (``mapping/siasn`` by default) holding three YAML files:
``kode.yaml`` (SIASN code tables and what each code means in talenta's
tables), ``kolom.yaml`` (which SIASN field fills which value) and
``jurusan.yaml`` (the reviewed lookup from SIASN's free-text degree names to
the majors of the taxonomy). Gives a :class:`Mapping`. Every file is dated
and cited like a rule file; a problem is an :class:`~engine.errors.InputError`
with ``file:line``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from engine.errors import InputError, Problem, message
from engine.inputs import scales
from engine.inputs.schema import Effective, Strict, validate
from engine.inputs.yamlio import load_yaml

__all__ = ["DEFAULT_FOLDER", "NEEDED", "CodeTable", "Mapping", "load_mapping"]

DEFAULT_FOLDER = Path(__file__).resolve().parents[3] / "mapping" / "siasn"


class Guessed(Strict):
    """A code whose meaning is a judgement: its value and the rule used."""

    value: str
    rule: str = Field(min_length=3)


class CodeTable(Strict):
    """One SIASN code table: code -> talenta value, with its source and dates."""

    source: str = Field(min_length=3)
    effective: Effective
    values: dict[str, str | Guessed]

    def plain(self) -> dict[str, str]:
        """Code -> value, judgements included."""
        return {k: v if isinstance(v, str) else v.value for k, v in self.values.items()}

    def rules(self) -> dict[str, str]:
        """Code -> rule, for the codes whose mapping is a judgement."""
        return {k: v.rule for k, v in self.values.items() if isinstance(v, Guessed)}


class Band(Strict):
    min: float = Field(ge=0, le=100)
    value: Literal[scales.SKP_PREDIKAT]  # type: ignore[valid-type]


class BandTable(Strict):
    """Numeric SKP (PP 46/2011) onto today's predikat."""

    source: str = Field(min_length=3)
    effective: Effective
    bands: list[Band] = Field(min_length=1)

    @model_validator(mode="after")
    def _descending(self) -> BandTable:
        bounds = [b.min for b in self.bands]
        if bounds != sorted(bounds, reverse=True) or bounds[-1] != 0:
            raise ValueError(message("siasn_bands_order"))
        return self


class CodesFile(Strict):
    kind: Literal["siasn_codes"]
    golongan: CodeTable
    eselon: CodeTable
    jenis_jabatan: CodeTable
    jenjang_fungsional: CodeTable
    pendidikan: CodeTable
    jenis_kelamin: CodeTable
    kuadran: CodeTable
    skp_angka: BandTable
    hukuman_tingkat: CodeTable
    diklat_struktural: CodeTable
    kedudukan_aktif: CodeTable
    status_cpns: CodeTable

    @model_validator(mode="after")
    def _targets(self) -> CodesFile:
        allowed = {
            "golongan": scales.GOLONGAN,
            "eselon": scales.ESELON,
            "jenis_jabatan": ("struktural", "fungsional", "pelaksana"),
            "jenjang_fungsional": tuple(
                j for j in scales.JENIS_JABATAN if j.startswith("Fungsional")
            ),
            "pendidikan": scales.PENDIDIKAN,
            "jenis_kelamin": scales.JENIS_KELAMIN,
            "kuadran": scales.SKP_PREDIKAT,
            "hukuman_tingkat": scales.HUKUMAN_TINGKAT,
        }
        for name, levels in allowed.items():
            table: CodeTable = getattr(self, name)
            bad = sorted({v for v in table.plain().values() if v not in levels})
            if bad:
                raise ValueError(
                    message(
                        "siasn_not_talenta_values", name=name, bad=bad, levels=", ".join(levels)
                    )
                )
        return self


Fields = list[str]


class ColumnsFile(Strict):
    kind: Literal["siasn_columns"]
    source: str = Field(min_length=3)
    effective: Effective
    person: dict[str, Fields]
    jabatan: dict[str, Fields]
    skp22: dict[str, Fields]
    skp: dict[str, Fields]
    hukdis: dict[str, Fields]
    diklat: dict[str, Fields]
    unor: dict[str, Fields]

    @model_validator(mode="after")
    def _complete(self) -> ColumnsFile:
        for section, needed in NEEDED.items():
            given = getattr(self, section)
            missing = [k for k in needed if not given.get(k)]
            unknown = [k for k in given if k not in needed]
            if missing or unknown:
                key = "siasn_section_both" if missing and unknown else "siasn_section_unknown"
                raise ValueError(
                    message(
                        key if unknown else "siasn_section_missing",
                        section=section,
                        missing=missing,
                        unknown=unknown,
                        allowed=", ".join(needed),
                    )
                )
        return self


_WHO = ("nip", "id_pns")
NEEDED: dict[str, tuple[str, ...]] = {
    "person": (
        "id",
        "nip",
        "nama",
        "gelar_depan",
        "gelar_belakang",
        "jenis_kelamin",
        "tanggal_lahir",
        "tmt_cpns",
        "status_cpns",
        "kedudukan",
        "golongan_id",
        "tmt_golongan",
        "pendidikan_id",
        "jurusan",
        "jenis_jabatan_id",
        "nama_jabatan",
        "eselon_id",
        "tmt_jabatan",
        "unor_id",
        "unor_induk",
    ),
    "jabatan": (
        *_WHO,
        "jenis_jabatan_id",
        "eselon_id",
        "nama_jabatan",
        "tmt",
        "unor_id",
        "unor_induk",
    ),
    "skp22": (*_WHO, "tahun", "kuadran"),
    "skp": (*_WHO, "tahun", "nilai"),
    "hukdis": (*_WHO, "tingkat", "tmt", "selesai", "masa_tahun", "masa_bulan", "batal", "jenis"),
    "diklat": (*_WHO, "jenis", "tahun", "tanggal"),
    "unor": (
        "id",
        "atasan",
        "induk",
        "eselon_id",
        "nama_unor",
        "nama_jabatan",
        "pemimpin",
        "jabatan_id",
    ),
}


class JurusanFile(Strict):
    kind: Literal["siasn_jurusan"]
    source: str = Field(min_length=3)
    effective: Effective
    reviewed: dt.date
    majors: dict[str, str]


@dataclass(frozen=True)
class Mapping:
    """Everything the import reads from the mapping folder."""

    codes: CodesFile
    columns: ColumnsFile
    jurusan: JurusanFile
    files: dict[str, str]  # which file each part came from, for the report

    def fields(self, section: str, value: str) -> list[str]:
        """SIASN field names (lower case) that fill ``value`` of ``section``, in order."""
        return [f.lower() for f in getattr(self.columns, section)[value]]


_FILES: tuple[tuple[str, str, type[Strict]], ...] = (
    ("codes", "kode.yaml", CodesFile),
    ("columns", "kolom.yaml", ColumnsFile),
    ("jurusan", "jurusan.yaml", JurusanFile),
)


def load_mapping(folder: Path = DEFAULT_FOLDER, majors: set[str] | None = None) -> Mapping:
    """Read and check the mapping folder; ``majors`` checks the jurusan lookup's targets."""
    problems: list[Problem] = []
    parts: dict[str, Strict] = {}
    names: dict[str, str] = {}
    for key, filename, model in _FILES:
        path = folder / filename
        name = str(path)
        names[key] = name
        try:
            data, lines = load_yaml(path, name)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        parsed, found = validate(model, data, lines, name)
        problems.extend(found)
        if parsed is None:
            continue
        parts[key] = parsed
        if isinstance(parsed, JurusanFile) and majors is not None:
            for text, major in parsed.majors.items():
                if major not in majors:
                    problems.append(
                        Problem(
                            name,
                            message("siasn_major_not_in_taxonomy", text=text, major=major),
                            line=lines.line_of(("majors", text)),
                            column=f"majors.{text}",
                            hint=message("siasn_name_a_major", file="rules/taksonomi.yaml"),
                        )
                    )
    if problems:
        raise InputError(problems)
    return Mapping(parts["codes"], parts["columns"], parts["jurusan"], names)  # type: ignore[arg-type]
