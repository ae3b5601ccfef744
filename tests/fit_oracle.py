"""An independent oracle of the fit score, for tests that check a fit they did not pick.

Written from the rule in docs and rules/bobot.yaml, one pair at a time in
plain Python, sharing no code with engine.scoring.fit: the weights file is
read with yaml, the version in force is found by its dates here, and every
component is computed from the person's derived facts as the module
docstring of engine.scoring.fit states it:

- kinerja: mean points of the known SKP predikat of the ``skp_years`` most
  recent years before the scenario year (none known: 0);
- potensi: JPM, else kompetensi x 20 (kept within 0-100); with neither, the
  weights file's ``missing_assessment``: ``zero`` counts 0, ``neutral`` (the
  default) and ``not_eligible`` (for the posts left to such a person) count
  the median potensi of the people who have an assessment (50 if nobody has);
- keilmuan: points of the grade of the person's jurusan against the post's bidang;
- pengalaman: years at the post's level and the level below, capped, as a share;
- fit: the weighted mean minus the soft rules' penalty, within 0-100, to one decimal.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import yaml

LEVEL = {  # the post's level and its structural equivalents (PermenPANRB 17/2021)
    "Pelaksana": 0,
    "Fungsional Pemula": 0,
    "Fungsional Terampil": 1,
    "Fungsional Mahir": 1,
    "Fungsional Penyelia": 1,
    "Fungsional Ahli Pertama": 1,
    "Fungsional Ahli Muda": 2,
    "Pengawas": 2,
    "Fungsional Ahli Madya": 3,
    "Administrator": 3,
    "Fungsional Ahli Utama": 4,
    "JPT Pratama": 4,
    "JPT Madya": 5,
    "JPT Utama": 6,
}
PREDIKAT = ("Sangat Kurang", "Kurang", "Butuh Perbaikan", "Baik", "Sangat Baik")


def weights_in_force(path: Path, day: dt.date) -> dict:
    """The version of a weights file whose effective period covers ``day``."""
    for version in yaml.safe_load(path.read_text(encoding="utf-8"))["versions"]:
        eff = version["effective"]
        until = eff.get("until")
        if eff["from"] <= day and (until is None or day <= until):
            return version
    raise LookupError(f"no weights in force on {day}")


def fit_by_hand(people, posts, taxonomy, weights: dict, i: int, j: int, penalty: float) -> float:
    """Fit of person ``i`` for post ``j`` (0-100, one decimal)."""
    known = [
        weights["skp_points"][PREDIKAT[c]] for c in people.skp[i][: weights["skp_years"]] if c >= 0
    ]
    kinerja = sum(known) / len(known) if known else 0.0
    if not math.isnan(people.jpm[i]):
        potensi = people.jpm[i]
    elif not math.isnan(people.kompetensi[i]):
        potensi = people.kompetensi[i] * 20
    else:
        potensi = None
    grade = taxonomy.grade_of(people.jurusan[i], posts.bidang[j])
    keilmuan = weights["field_points"][grade]
    level = LEVEL[posts.jenis_jabatan[j]]
    years = sum(
        float(held[i])
        for jenis, held in people.experience.items()
        if LEVEL[jenis] == level or (level > 0 and LEVEL[jenis] == level - 1)
    )
    cap = weights["experience_cap_years"]
    pengalaman = min(years, cap) / cap * 100
    w = weights["components"]
    if potensi is None:
        neutral = weights.get("missing_assessment", "neutral") != "zero"
        potensi = _median_assessed(people) if neutral else 0.0
    potensi = min(max(potensi, 0.0), 100.0)
    raw = (
        w["kinerja"] * kinerja
        + w["potensi"] * potensi
        + w["keilmuan"] * keilmuan
        + w["pengalaman"] * pengalaman
    ) / sum(w.values()) - penalty
    return round(min(max(raw, 0.0), 100.0), 1)


def _median_assessed(people) -> float:
    """The median potensi of the people with an assessment (50 if nobody has one)."""
    values = sorted(
        min(max(j if not math.isnan(j) else k * 20, 0.0), 100.0)
        for j, k in zip(people.jpm, people.kompetensi, strict=True)
        if not (math.isnan(j) and math.isnan(k))
    )
    if not values:
        return 50.0
    mid = len(values) // 2
    return values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2
