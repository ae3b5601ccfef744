"""Fit score of (person, post) pairs, as named components.

Each component is on a 0-100 scale; the fit is the weighted sum (weights in
the weights file of the regime in force) minus the penalties of the soft
rules a pair fails, floored at 0:

- ``kinerja``: mean SKP predikat points over the regime's ``skp_years``
  most recent years on record (missing years are skipped; none: 0).
- ``potensi``: assessment JPM %; without one, managerial competency level
  x 20; without either, 0.
- ``keilmuan``: points of the field-match grade of the person's jurusan to
  the post's bidang (exact / family / related / none).
- ``pengalaman``: years at the post's level and the level below, capped at
  ``experience_cap_years``, as a share of the cap.

Everything is vectorised over the pair arrays.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine import scales
from engine.derive import People, Posts
from engine.settings import COMPONENTS, FIELD_GRADES, Taxonomy, WeightsVersion

__all__ = ["SCALE", "Scores", "score_pairs"]

# Fit is carried to one decimal; the solver works on integers of fit x SCALE.
SCALE = 10


@dataclass(frozen=True)
class Scores:
    """Fit of each pair and its components (aligned with the pair arrays)."""

    fit: np.ndarray  # 0-100, after penalties, rounded to 1 decimal
    components: dict[str, np.ndarray]  # each 0-100
    weighted: dict[str, np.ndarray]  # weight x points / 100
    penalty: np.ndarray
    missing_kinerja: np.ndarray  # bool: no SKP on record in the window
    missing_potensi: np.ndarray  # bool: neither JPM nor kompetensi


def _kinerja(people: People, w: WeightsVersion) -> tuple[np.ndarray, np.ndarray]:
    window = people.skp[:, : w.skp_years]
    points = np.array([w.skp_points[p] for p in scales.SKP_PREDIKAT])
    known = window >= 0
    values = np.where(known, points[np.clip(window, 0, None)], 0.0)
    count = known.sum(axis=1)
    mean = np.divide(values.sum(axis=1), count, out=np.zeros(people.n), where=count > 0)
    return mean, count == 0


def _potensi(people: People) -> tuple[np.ndarray, np.ndarray]:
    jpm = people.jpm
    from_kompetensi = people.kompetensi * 20.0
    value = np.where(
        ~np.isnan(jpm), jpm, np.where(~np.isnan(from_kompetensi), from_kompetensi, 0.0)
    )
    return np.clip(value, 0, 100), np.isnan(jpm) & np.isnan(from_kompetensi)


def experience_by_rank(people: People) -> np.ndarray:
    """(n, ranks) years each person has held jabatan of each level rank."""
    ranks = max(scales.LEVEL_RANK.values()) + 1
    out = np.zeros((people.n, ranks))
    for level, years in people.experience.items():
        out[:, scales.LEVEL_RANK[level]] += years
    return out


def score_pairs(
    people: People,
    posts: Posts,
    person: np.ndarray,
    post: np.ndarray,
    penalty: np.ndarray,
    taxonomy: Taxonomy,
    weights: WeightsVersion,
    component_weights: dict[str, float] | None = None,
) -> Scores:
    """Score the pairs ``(person[k], post[k])``.

    ``component_weights`` overrides the regime's weights (a scenario's
    what-if, e.g. keilmuan counted double); they are renormalised to 100.
    """
    kinerja, missing_k = _kinerja(people, weights)
    potensi, missing_p = _potensi(people)
    pf, qf = people.field[person], posts.field[post]
    known = (pf >= 0) & (qf >= 0)
    grade = np.zeros(len(person), dtype=np.int64)
    grade[known] = taxonomy.grade[pf[known], qf[known]]
    field_points = np.array([weights.field_points[g] for g in FIELD_GRADES])
    exp = experience_by_rank(people)
    level = posts.level[post].astype(np.int64)
    relevant = exp[person, level] + np.where(level > 0, exp[person, np.maximum(level - 1, 0)], 0.0)
    components = {
        "kinerja": kinerja[person],
        "potensi": potensi[person],
        "keilmuan": field_points[grade],
        "pengalaman": np.minimum(relevant, weights.experience_cap_years)
        / weights.experience_cap_years
        * 100.0,
    }
    w = dict(weights.components)
    if component_weights:
        w = {**w, **component_weights}
    total = sum(w[c] for c in COMPONENTS)
    weighted = {c: components[c] * w[c] / total for c in COMPONENTS}
    raw = sum(weighted.values()) - penalty
    fit = np.round(np.clip(raw, 0, 100), 1)
    return Scores(fit, components, weighted, penalty, missing_k[person], missing_p[person])


def post_weights(posts: Posts, weights: dict[str, float]) -> np.ndarray:
    """Weight of each post's fit in the objective, by its jenis jabatan.

    A sum of plain fits is indifferent to which of two versatile people is
    promoted (either way both fits are counted once); weighting higher posts
    more makes the optimum put the best-fitting person in the most senior
    post (the rearrangement inequality), as a committee expects.
    """
    return np.array([weights.get(j, 1.0) for j in posts.jenis_jabatan], dtype=float)
