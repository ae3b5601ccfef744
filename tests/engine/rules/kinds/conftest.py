"""A requirement kind judged on a few synthetic pegawai rows through the real loaders.

``judge(spec, people, post=..., history=..., sanctions=..., day=...)`` writes the
rows as CSV, loads and derives them as a round does, and returns every
person's verdict, explanation (Indonesian and English) and counterfactual for
the requirement ``spec`` (as written in a rule file's ``require``). All people
are synthetic.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from factories import JABATAN_HEADER, PEGAWAI_HEADER, ROOT, write_csv
from factories import post as post_row

from engine.eligibility.candidates import post_view
from engine.inputs.data import HUKUMAN_COLUMNS, RIWAYAT_COLUMNS, load_tables
from engine.inputs.derive import People, derive_people, derive_posts
from engine.inputs.settings import load_bup, load_taxonomy
from engine.rules.kind import Counterfactual
from engine.rules.requirements import CATALOGUE, Requirement

DAY = dt.date(2026, 7, 1)
TAXONOMY = load_taxonomy(ROOT / "rules/taksonomi.yaml")
BUP = load_bup(ROOT / "rules/bup.yaml")


@dataclass
class Judged:
    people: People
    verdicts: list[int]
    id: list[str]
    en: list[str]
    cf: list[Counterfactual]


Judge = Callable[..., Judged]


@pytest.fixture
def judge(tmp_path: Path) -> Judge:
    calls = iter(range(1000))

    def run(
        spec: dict,
        people: list[dict[str, str]],
        post: dict[str, str] | None = None,
        history: list[dict[str, str]] = (),
        sanctions: list[dict[str, str]] = (),
        day: dt.date = DAY,
    ) -> Judged:
        folder = tmp_path / str(next(calls))
        folder.mkdir()
        write_csv(folder / "p.csv", PEGAWAI_HEADER, people)
        write_csv(folder / "j.csv", JABATAN_HEADER, [post or post_row("CONTOH")])
        riwayat = hukuman = None
        if history:
            riwayat = write_csv(folder / "r.csv", [c.name for c in RIWAYAT_COLUMNS], history)
        if sanctions:
            hukuman = write_csv(folder / "h.csv", [c.name for c in HUKUMAN_COLUMNS], sanctions)
        tables = load_tables(folder / "p.csv", folder / "j.csv", riwayat, hukuman=hukuman)
        derived = derive_people(tables, day, TAXONOMY, BUP)
        posts = derive_posts(tables, {n: i for i, n in enumerate(derived.nip)}, TAXONOMY)
        view = post_view(posts, 0)
        req = Requirement.model_validate(spec)
        kind = CATALOGUE[req.kind](TAXONOMY)
        p = req.params
        n = range(derived.n)
        return Judged(
            derived,
            kind.evaluate(p, derived, view).tolist(),
            [kind.explain(p, derived, i, view, "id") for i in n],
            [kind.explain(p, derived, i, view, "en") for i in n],
            [kind.counterfactual(p, derived, i, view) for i in n],
        )

    return run
