"""Fit score of (person, post) pairs, as named components.

Each component is on a 0-100 scale; the fit is the weighted sum (weights in
the weights file of the regime in force) minus the penalties of the soft
rules a pair fails, floored at 0:

- ``kinerja``: mean SKP predikat points over the regime's ``skp_years``
  most recent years on record (missing years are skipped; none: 0).
- ``potensi``: assessment JPM %; without one, managerial competency level
  x 20; without either (no assessment), as the weights file's
  ``missing_assessment`` says: ``neutral`` (default) counts the median
  potensi of the people of the table who have an assessment (50, the middle
  of the scale, if nobody has one), so a missing assessment neither lifts a
  person above their assessed peers nor sinks them below; ``zero`` counts 0;
  ``not_eligible`` excludes the person from the posts that need an
  assessment (a hard rule, engine.round.context) and is neutral elsewhere.
  The talent box reads the same policy (engine.scoring.talent).
- ``keilmuan``: points of the field-match grade of the person's jurusan to
  the post's bidang (exact / family / related / none).
- ``pengalaman``: years at the post's level and the level below, capped at
  ``experience_cap_years``, as a share of the cap.

Everything is vectorised over the pair arrays.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from engine.eligibility.soft import SoftFailures
from engine.inputs import scales
from engine.inputs.derive import People, Posts
from engine.inputs.settings import (
    COMPONENTS,
    FIELD_GRADES,
    MissingAssessment,
    Taxonomy,
    WeightsVersion,
)

__all__ = [
    "SCALE",
    "FitView",
    "PairScores",
    "Scores",
    "missing_data",
    "neutral_value",
    "score_pairs",
    "weight_shares",
    "weights_in_force",
]

# Fit is carried to one decimal; the solver works on integers of fit x SCALE.
SCALE = 10


@dataclass(frozen=True)
class PairScores:
    """Components of some pairs, aligned with the indices asked for."""

    components: dict[str, np.ndarray]  # each 0-100
    weighted: dict[str, np.ndarray]  # weight x points / 100
    missing_kinerja: np.ndarray  # bool: no SKP on record in the window
    missing_potensi: np.ndarray  # bool: neither JPM nor kompetensi


class FitView:
    """The fit of each pair, indexed as a float64 array is and computed from the
    per-person and per-post tables when indexed (:meth:`_FitTables.fit`, an
    operation per pair alone, so a value is the same however it is asked for).

    A province round has a hundred million pairs: their fits are read a chunk
    at a time into the solver's scores, and for the few pairs a plan shows.
    """

    def __init__(
        self,
        tables: _FitTables,
        person: np.ndarray,
        post: np.ndarray,
        penalty: np.ndarray | PenaltyLike,
    ):
        self.tables, self.person, self.post, self.penalty = tables, person, post, penalty

    def __len__(self) -> int:
        return len(self.person)

    def __getitem__(self, index: object) -> np.ndarray | np.floating:
        parts = self.compiled() if len(self) >= KERNEL_MIN_PAIRS else None
        if parts is not None:
            return _compiled_read(self, parts, index)
        if isinstance(index, int | np.integer):
            k = np.array([range(len(self))[index]])
            (value,) = self.tables.fit(self.person[k], self.post[k], self.penalty[k])
            return value
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            if step != 1:
                return self[np.arange(start, stop, step)]
            out = np.empty(max(stop - start, 0))
            for a in range(start, stop, CHUNK):
                b = min(a + CHUNK, stop)
                part = self.tables.fit(self.person[a:b], self.post[a:b], self.penalty[a:b])
                out[a - start : b - start] = part
            return out
        k = np.asarray(index)
        return self.tables.fit(self.person[k], self.post[k], self.penalty[k])

    def __array__(self, dtype: object = None, copy: object = None) -> np.ndarray:
        return np.asarray(self[:], dtype=dtype)

    def tolist(self) -> list[float]:
        return self[:].tolist()

    def compiled(self) -> tuple | None:
        """What :func:`engine.kernels.pair_values` reads for these pairs (the fit
        tables, the pairs, the soft-rule bytes and each byte's penalty), or None
        when the penalty is not read from at most one byte of soft rules a pair."""
        soft = getattr(self.penalty, "soft", None)
        if not isinstance(soft, SoftFailures) or soft.bits.shape[1] > 1:
            return None
        # One byte a pair, or none at all (no soft rule: no bits, a penalty of 0.0).
        bits, table = soft.bits.ravel(), soft.byte_penalties()
        t = self.tables
        arrays = (t.own, t.person_field, t.post_field, t.field_pair, t.post_level, t.pengalaman)
        return arrays, (t.stride, t.levels), self.person, self.post, bits, table


#: From this many pairs on, a round's fits are read by one compiled pass
#: (:func:`engine.kernels.pair_values`, numba: never loaded by a small round).
KERNEL_MIN_PAIRS = 200_000

_NO_VALUES = (np.zeros(0), 0.0, 0.0, 0, 0.0)


def _compiled_read(view: FitView, parts: tuple, index: object) -> np.ndarray | np.floating:
    """``view[index]`` by the compiled pass: a slice read in place, any other
    index on the gathered pairs."""
    from engine import kernels

    tables, strides, person, post, bits, table = parts
    if isinstance(index, slice) and index.indices(len(view))[2] == 1:
        start, stop, _ = index.indices(len(view))
        out = np.empty(max(stop - start, 0))  # an empty range: the pass runs no pair
        kernels.pair_values(
            tables, strides, person, post, bits, table, start, stop, _NO_VALUES, out, out[:0]
        )
        return out
    if isinstance(index, int | np.integer):
        k = np.asarray(range(len(view))[index])  # of shape (): one pair, read as a scalar
    elif isinstance(index, slice):
        k = np.arange(*index.indices(len(view)))
    else:
        k = np.asarray(index)
        if k.dtype == bool:
            k = np.flatnonzero(k)
    shape, k = k.shape, k.ravel()  # numpy's gathers below take negative indices as usual
    n = int(k.size)
    out = np.empty(n)
    if n:
        sub = bits[k] if bits.size else bits
        kernels.pair_values(
            tables, strides, person[k], post[k], sub, table, 0, n, _NO_VALUES, out, out[:0]
        )
    return out.reshape(shape)[()]  # the float itself for shape (), else the array


class PenaltyLike(Protocol):
    """What a penalty per pair needs to be: indexed as a float64 array is
    (:class:`engine.eligibility.soft.PenaltyView`)."""

    def __len__(self) -> int: ...
    def __getitem__(self, index: object) -> np.ndarray: ...


@dataclass(frozen=True)
class Scores:
    """Fit of each pair (aligned with the pair arrays); components on demand.

    A province round has tens of millions of eligible pairs and the solver
    needs only their fit, so the fit is computed when it is read
    (:class:`FitView`: a chunk at a time into the solver's scores) and the
    components (four points and four weighted points per pair) for the
    pairs a report shows, by :meth:`at`; nothing is kept per pair.
    """

    fit: FitView  # 0-100, after penalties, rounded to 1 decimal
    penalty: np.ndarray | PenaltyLike
    person: np.ndarray
    post: np.ndarray
    _model: _Model

    def __len__(self) -> int:
        return len(self.fit)

    def at(self, k: np.ndarray | int) -> PairScores:
        """The components of the pairs ``k`` (an index or an index array)."""
        k = np.atleast_1d(np.asarray(k, dtype=np.int64))
        return self._model.components(self.person[k], self.post[k])


def _kinerja(people: People, w: WeightsVersion) -> tuple[np.ndarray, np.ndarray]:
    window = people.skp[:, : w.skp_years]
    points = np.array([w.skp_points[p] for p in scales.SKP_PREDIKAT])
    known = window >= 0
    # A missing year (-1) reads the last points, which `known` masks out.
    values = np.where(known, points[window], 0.0)
    count = known.sum(axis=1)
    mean = np.divide(values.sum(axis=1), count, out=np.zeros(people.n), where=count > 0)
    return mean, count == 0


def _potensi(people: People, policy: MissingAssessment = "zero") -> tuple[np.ndarray, np.ndarray]:
    """Points per person and whether the person has no assessment (scored as ``policy`` says)."""
    jpm = people.jpm
    from_kompetensi = people.kompetensi * 20.0
    value = np.where(~np.isnan(jpm), jpm, from_kompetensi)
    missing = np.isnan(value)
    # Within 0-100 as loaded: JPM 0-100, kompetensi 1-5 (x 20: 20-100).
    value = np.nan_to_num(value, nan=0.0)
    if policy != "zero" and missing.any():
        value[missing] = neutral_value(value[~missing])
    return value, missing


def neutral_value(assessed: np.ndarray) -> float:
    """What ``neutral`` counts for a missing measure: the median of those who have it (else 50).

    >>> neutral_value(np.array([60.0, 75.0, 90.0, 100.0]))
    82.5
    >>> neutral_value(np.array([]))
    50.0
    """
    return float(np.median(assessed)) if len(assessed) else 50.0


def missing_data(people: People, weights: WeightsVersion) -> dict[str, np.ndarray]:
    """Per component, bool per person: made without its data (kinerja: no SKP; potensi: no assessment)."""
    return {"kinerja": _kinerja(people, weights)[1], "potensi": _potensi(people)[1]}


def experience_by_rank(people: People) -> np.ndarray:
    """(n, ranks) years each person has held jabatan of each level rank."""
    level_rank = people.equivalences.jenjang
    out = np.zeros((people.n, max(level_rank.values()) + 1))
    for level, years in people.experience.items():
        out[:, level_rank[level]] += years
    return out


@dataclass(frozen=True)
class _Model:
    """What a pair's components are computed from: per-person and per-post facts."""

    kinerja: np.ndarray  # per person
    missing_k: np.ndarray
    potensi: np.ndarray
    missing_p: np.ndarray
    person_field: np.ndarray
    post_field: np.ndarray
    post_level: np.ndarray
    grade: np.ndarray  # taxonomy grade matrix (person field x post field)
    field_points: np.ndarray  # per grade
    experience: np.ndarray  # (people, level ranks) years
    cap_years: float
    weight: dict[str, float]  # component weights
    total: float  # their sum

    def components(self, person: np.ndarray, post: np.ndarray) -> PairScores:
        pf, qf = self.person_field[person], self.post_field[post]
        known = (pf >= 0) & (qf >= 0)
        grade = np.zeros(len(person), dtype=np.int64)
        grade[known] = self.grade[pf[known], qf[known]]
        level = self.post_level[post].astype(np.int64)
        # The level below of a level-0 post reads the last column, which the where drops.
        relevant = self.experience[person, level] + np.where(
            level > 0, self.experience[person, level - 1], 0.0
        )
        components = {
            "kinerja": self.kinerja[person],
            "potensi": self.potensi[person],
            "keilmuan": self.field_points[grade],
            "pengalaman": np.minimum(relevant, self.cap_years) / self.cap_years * 100.0,
        }
        weighted = {c: components[c] * self.weight[c] / self.total for c in COMPONENTS}
        return PairScores(components, weighted, self.missing_k[person], self.missing_p[person])

    def fit(self, person: np.ndarray, post: np.ndarray, penalty: np.ndarray) -> np.ndarray:
        weighted = self.components(person, post).weighted
        raw = sum(weighted[c] for c in COMPONENTS) - penalty
        return np.round(np.clip(raw, 0, 100), 1)

    def tables(self) -> _FitTables:
        """The weighted points per person, per field pair and per (person, level)."""
        w, total = self.weight, self.total
        # Each table holds what components() computes per pair, with the same
        # operations in the same order, so a fit from the tables is identical.
        own = self.kinerja * w["kinerja"] / total
        own += self.potensi * w["potensi"] / total
        keilmuan = self.field_points * w["keilmuan"] / total  # per grade
        n_fields = len(self.grade)  # square: person field x post field
        # A field of -1 (unknown) is the extra last row or column: grade 0.
        grade = np.zeros((n_fields + 1, n_fields + 1), dtype=np.int64)
        grade[:n_fields, :n_fields] = self.grade
        levels = self.experience.shape[1]
        below = np.zeros_like(self.experience)
        below[:, 1:] = self.experience[:, : levels - 1]
        relevant = self.experience + below
        pengalaman = np.minimum(relevant, self.cap_years) / self.cap_years * 100.0
        return _FitTables(
            own=own,
            person_field=np.where(self.person_field >= 0, self.person_field, n_fields),
            post_field=np.where(self.post_field >= 0, self.post_field, n_fields),
            field_pair=keilmuan[grade].ravel(),
            stride=n_fields + 1,
            post_level=self.post_level.astype(np.int64),
            pengalaman=(pengalaman * w["pengalaman"] / total).ravel(),
            levels=levels,
        )


@dataclass(frozen=True)
class _FitTables:
    """Per-person and per-post parts of the fit, so that a pair costs a few gathers."""

    own: np.ndarray  # per person: weighted kinerja + weighted potensi
    person_field: np.ndarray  # per person, unknown as the last field
    post_field: np.ndarray  # per post, likewise
    field_pair: np.ndarray  # flat (person field, post field): weighted keilmuan
    stride: int
    post_level: np.ndarray
    pengalaman: np.ndarray  # flat (person, level): weighted pengalaman
    levels: int

    def fit(self, person: np.ndarray, post: np.ndarray, penalty: np.ndarray) -> np.ndarray:
        """What :meth:`_Model.fit` gives for these pairs, bit for bit."""
        field = self.person_field[person] * self.stride
        field += self.post_field[post]
        raw = self.own[person]
        raw += self.field_pair[field]
        del field
        at = person.astype(np.int64) * self.levels
        at += self.post_level[post]
        raw += self.pengalaman[at]
        del at
        raw -= penalty
        np.clip(raw, 0, 100, out=raw)
        return np.round(raw, 1, out=raw)


#: Pairs scored at a time: bounds the temporaries of a province-sized round.
CHUNK = 1 << 18


def weights_in_force(
    weights: WeightsVersion, component_weights: dict[str, float] | None = None
) -> dict[str, float]:
    """The component weights a fit uses: the regime's, with a scenario's override
    (``component_weights``) put over them; the fit divides by their sum."""
    w = dict(weights.components)
    if component_weights:
        w = {**w, **component_weights}
    return {c: float(w[c]) for c in COMPONENTS}


def weight_shares(
    weights: WeightsVersion, component_weights: dict[str, float] | None
) -> dict[str, float]:
    """:func:`weights_in_force` as shares of 100, to two decimals: what each
    component is worth in a fit, as the manifest records it."""
    w = weights_in_force(weights, component_weights)
    total = sum(w.values())
    return {c: round(100.0 * v / total, 2) for c, v in w.items()}


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
    A person without an assessment is scored as ``weights.missing_assessment``
    says (see the module docstring). The arrays are kept by reference, not
    copied, and the fits are computed when read (:class:`FitView`).
    """
    kinerja, missing_k = _kinerja(people, weights)
    potensi, missing_p = _potensi(people, weights.missing_assessment)
    w = weights_in_force(weights, component_weights)
    total = sum(w.values())
    model = _Model(
        kinerja=kinerja,
        missing_k=missing_k,
        potensi=potensi,
        missing_p=missing_p,
        person_field=people.field,
        post_field=posts.field,
        post_level=posts.level,
        grade=taxonomy.grade,
        field_points=np.array([weights.field_points[g] for g in FIELD_GRADES], dtype=float),
        experience=experience_by_rank(people),
        cap_years=float(weights.experience_cap_years),
        weight={c: float(w[c]) for c in COMPONENTS},
        total=float(total),
    )
    fit = FitView(model.tables(), person, post, penalty)
    return Scores(fit, penalty, person, post, model)


def post_weights(posts: Posts, weights: dict[str, float]) -> np.ndarray:
    """Weight of each post's fit in the objective, by its jenis jabatan.

    A sum of plain fits is indifferent to which of two versatile people is
    promoted (either way both fits are counted once); weighting higher posts
    more makes the optimum put the best-fitting person in the most senior
    post (the rearrangement inequality), as a committee expects.
    """
    return np.array([weights.get(j, 1.0) for j in posts.jenis_jabatan], dtype=float)
