"""The base of every requirement kind: verdict codes, the shared helpers and the contract's defaults.

Each value is worked out by hand from the definitions in engine/rules/kind.py.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pytest

from engine.rules.kind import (
    FAIL,
    PASS,
    UNKNOWN,
    VERDICT_NAMES,
    Counterfactual,
    Kind,
    Obligation,
    TimeBehaviour,
    as_date,
    fmt_years,
    on_or_before,
    tri,
)


def test_the_verdict_codes_and_their_names() -> None:
    # The codes are written into plans and read back by the reports: 0, 1, 2 as int8.
    assert (int(FAIL), int(PASS), int(UNKNOWN)) == (0, 1, 2)
    assert {FAIL.dtype, PASS.dtype, UNKNOWN.dtype} == {np.dtype(np.int8)}
    assert VERDICT_NAMES == {0: "FAIL", 1: "PASS", 2: "UNKNOWN"}


def test_tri_is_pass_where_ok_fail_where_not_and_unknown_where_not_known() -> None:
    ok = np.array([True, False, True, False])
    known = np.array([True, True, False, False])
    out = tri(ok, known)
    assert out.tolist() == [1, 0, 2, 2] and out.dtype == np.int8


def test_on_or_before_counts_the_day_itself_and_never_a_missing_date() -> None:
    dates = np.array(["2026-06-30", "2026-07-01", "2026-07-02", "NaT"], dtype="datetime64[D]")
    assert on_or_before(dates, dt.date(2026, 7, 1)).tolist() == [True, True, False, False]


def test_as_date_drops_the_time_of_day_and_gives_none_for_a_missing_date() -> None:
    assert as_date(np.datetime64("2026-07-01T15:30")) == dt.date(2026, 7, 1)
    assert as_date(np.datetime64("2027-03-31", "D")) == dt.date(2027, 3, 31)
    assert as_date(np.datetime64("NaT")) is None


def test_fmt_years_has_one_decimal_and_a_dash_where_missing() -> None:
    # 29 months = 2.4166... years; 51 months = 4.25 (shown 4.2: half to even); nothing: 0.0.
    assert [fmt_years(29 / 12), fmt_years(51 / 12), fmt_years(0.0)] == ["2.4", "4.2", "0.0"]
    assert fmt_years(float("nan")) == "-"


def test_a_range_on_a_growing_value_improves_worsens_or_both() -> None:
    assert TimeBehaviour.of_range(True, False) is TimeBehaviour.IMPROVES  # a minimum only
    assert TimeBehaviour.of_range(False, True) is TimeBehaviour.WORSENS  # a maximum only
    assert TimeBehaviour.of_range(True, True) is TimeBehaviour.MIXED
    assert TimeBehaviour.MIXED.meaning == "can turn either way"
    assert TimeBehaviour.IMPROVES.meaning == "can only turn from FAIL to PASS"


def test_a_counterfactual_speaks_each_language_and_is_a_value() -> None:
    cf = Counterfactual("perlu S2", "needs S2")
    assert (cf.text("id"), cf.text("en"), cf.from_date) == ("perlu S2", "needs S2", None)
    with pytest.raises(dataclasses.FrozenInstanceError):
        cf.id = "lain"  # type: ignore[misc]


def test_an_obligation_names_its_first_training_and_due_date_and_is_a_value() -> None:
    owed = Obligation(("PKA", "PKN II", "PKN I"), dt.date(2027, 7, 1))
    assert owed.text("id") == "wajib PKA paling lambat 2027-07-01"
    assert owed.text("en") == "must complete PKA by 2027-07-01"
    with pytest.raises(dataclasses.FrozenInstanceError):
        owed.due = dt.date(2028, 1, 1)  # type: ignore[misc]


class _Bare(Kind):
    """A kind that declares keys and nothing else (not registered)."""

    name = "bare"
    post_keys = ("unit",)


def test_the_contracts_defaults_read_the_post_keys_join_nothing_and_owe_nothing() -> None:
    taxonomy = object()
    kind = _Bare(taxonomy)  # type: ignore[arg-type]
    assert kind.taxonomy is taxonomy and Kind().taxonomy is None
    assert kind.reads(None) == ("unit",)  # type: ignore[arg-type]
    assert Kind().reads(None) == () and Kind.post_labels == ()  # type: ignore[arg-type]
    assert kind.join_keys(None, None, None) is None  # type: ignore[arg-type]
    assert kind.obligation(None, None, 0, dt.date(2026, 7, 1)) is None  # type: ignore[arg-type]
    for call in (
        lambda: kind.evaluate(None, None, None),
        lambda: kind.explain(None, None, 0, None, "id"),
        lambda: kind.counterfactual(None, None, 0, None),
        lambda: kind.time_behaviour(None),
    ):
        with pytest.raises(NotImplementedError):
            call()
