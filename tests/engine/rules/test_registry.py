"""The registry is the one list of requirement kinds, and each kind's declarations are true."""

from __future__ import annotations

import dataclasses
import pkgutil
import sys
import types
from typing import ClassVar

import numpy as np
import pydantic
import pytest
from factories import ROOT

from engine.eligibility.candidates import post_view
from engine.inputs.derive import Posts
from engine.report.reference import example_world, reference_markdown, rules_schema
from engine.rules import kinds as kinds_package
from engine.rules.kind import Counterfactual, Kind, TimeBehaviour
from engine.rules.kinds.usia import UsiaKind
from engine.rules.registry import (
    BASE_POST_KEYS,
    CATALOGUE,
    KINDS,
    POST_KEYS,
    PostView,
    RegistryError,
    _check,
    _kind_of,
    time_behaviour,
)
from engine.rules.requirements import Requirement
from engine.rules.ruleset import Rule
from engine.succession.readiness import time_improving

# Names every kind may read besides its declared facts: the size and the date.
ALWAYS = {"n", "date"}


class Recorder:
    """Passes attribute reads through to ``target`` and remembers their names."""

    def __init__(self, target: object):
        self._target = target
        self.seen: set[str] = set()

    def __getattr__(self, name: str) -> object:
        self.seen.add(name)
        return getattr(self._target, name)


def test_schema_requirement_fields_and_modules_name_the_same_kinds():
    modules = sorted(
        m.name for m in pkgutil.iter_modules(kinds_package.__path__) if not m.name.startswith("_")
    )
    schema_kinds = list(rules_schema()["$defs"]["Requirement"]["properties"])
    assert [k.name for k in KINDS] == modules
    assert list(CATALOGUE) == modules
    assert list(Requirement.model_fields) == modules
    assert schema_kinds == modules
    for name, kind in CATALOGUE.items():
        assert Requirement.model_fields[name].annotation == kind.Params | None


def test_the_reference_page_has_one_section_per_kind_naming_its_module():
    page = reference_markdown()
    for name in CATALOGUE:
        section = page.split(f"\n### `{name}`\n", 1)[1].split("\n### `", 1)[0]
        assert f"Defined in `engine/rules/kinds/{name}.py`" in section
        assert (ROOT / f"engine/rules/kinds/{name}.py").is_file()
        assert "Time behaviour of the example rule:" in section


@pytest.fixture(scope="module")
def world():
    return example_world()


@pytest.mark.parametrize("name", list(CATALOGUE))
def test_every_kind_explains_in_both_languages_and_declares_time(world, name):
    kind = CATALOGUE[name](world.taxonomy)
    params = Requirement.model_validate({name: kind.example}).params
    texts = {lang: kind.explain(params, world.people, 0, world.post, lang) for lang in ("id", "en")}
    assert all(isinstance(t, str) and t for t in texts.values()), texts
    assert texts["id"] != texts["en"]
    cf = kind.counterfactual(params, world.people, 0, world.post)
    assert isinstance(cf, Counterfactual) and cf.id and cf.en and cf.id != cf.en
    assert isinstance(kind.time_behaviour(params), TimeBehaviour)
    assert isinstance(kind.time_behaviour(params, rank_progression=True), TimeBehaviour)
    assert kind.summary_id and kind.summary_en


@pytest.mark.parametrize("name", list(CATALOGUE))
def test_every_kind_reads_only_what_it_declares(world, name):
    """Facts are People attributes, post keys Posts attributes, and nothing else is read."""
    kind = CATALOGUE[name](world.taxonomy)
    params = Requirement.model_validate({name: kind.example}).params
    people, post = Recorder(world.people), Recorder(world.post)
    kind.evaluate(params, people, post)
    assert post.seen <= set(kind.reads(params)), post.seen
    for lang in ("id", "en"):
        kind.explain(params, people, 0, post, lang)
    kind.counterfactual(params, people, 0, post)
    assert people.seen - ALWAYS <= set(kind.facts), people.seen
    assert post.seen <= {*kind.post_keys, *kind.post_labels}, post.seen
    assert set(kind.facts) <= people.seen, "a declared fact that is never read"


def test_the_post_view_has_exactly_the_declared_post_keys(world):
    declared = {k for kind in KINDS for k in (*kind.post_keys, *kind.post_labels)}
    assert set(POST_KEYS) == declared | set(BASE_POST_KEYS)
    assert [f.name for f in dataclasses.fields(PostView)] == list(POST_KEYS)
    assert world.post.bidang == "Teknik Sipil" and world.post.level == 3
    assert isinstance(world.post.field, int) and isinstance(world.post.unit, str)


def test_an_evaluator_cannot_change_the_post_it_reads(world):
    """A post's view is shared by every rule of the post: one evaluator writing
    into it would change what the next one reads, so it is frozen."""
    with pytest.raises(dataclasses.FrozenInstanceError):
        world.post.level = 4
    assert world.post.level == 3


def test_post_view_reads_the_posts_table():
    fields = {f.name: None for f in dataclasses.fields(Posts)}
    values = {"jabatan_id": ["X"], "jenis_jabatan": ["Pengawas"], "level": [2], "field": [7]}
    values |= {"bidang": ["Hukum"], "unit": ["Inspektorat"]}
    posts = Posts(**{**fields, **{k: np.array(v) for k, v in values.items()}})
    view = post_view(posts, 0)
    assert dataclasses.asdict(view) == {k: v[0] for k, v in values.items() if k in POST_KEYS}


class _BadKind(Kind):
    name = "bad"
    facts = ("golongan", "no_such_fact")
    post_keys = ("no_such_key",)
    summary_id = summary_en = "x"
    example: ClassVar[dict[str, object]] = {}

    def evaluate(self, p, people, post):
        return people.golongan


def test_a_misdeclared_kind_is_refused_with_its_problems():
    problems = _check(_BadKind, "engine.rules.kinds.bad")
    text = "; ".join(problems)
    assert "declares no Params" in text
    assert "facts People does not have: no_such_fact" in text
    assert "post keys Posts does not have: no_such_key" in text
    assert "does not define explain" in text and "does not define time_behaviour" in text
    assert "does not define evaluate" not in text


def test_a_module_must_define_the_kind_it_is_named_after():
    with pytest.raises(RegistryError, match="exactly one kind named '_span'"):
        _kind_of("_span")
    assert _kind_of("usia") is CATALOGUE["usia"]


RULE = {"id": "x", "title": "t", "source": "PP 11/2017", "effective": {"from": "2020-01-01"}}


UP, DOWN, SAME, BOTH = (
    TimeBehaviour.IMPROVES,
    TimeBehaviour.WORSENS,
    TimeBehaviour.CONSTANT,
    TimeBehaviour.MIXED,
)


@pytest.mark.parametrize(
    ("require", "plain", "under_progression"),
    [
        ({"masa_kerja": {"min_years": 10}}, UP, UP),
        ({"masa_jabatan": {"min_years": 2}}, UP, UP),
        ({"pengalaman": {"levels": ["Pengawas"], "min_years": 3}}, UP, UP),
        ({"masa_golongan": {"min_years": 4}}, UP, BOTH),
        ({"usia": {"min": 30}}, UP, UP),
        ({"usia": {"max": 56}}, DOWN, DOWN),
        ({"usia": {"min": 30, "max": 56}}, BOTH, BOTH),
        ({"golongan": {"min": "III/d"}}, UP, UP),
        ({"golongan": {"max": "IV/a"}}, DOWN, DOWN),
        ({"golongan": {"min": "III/a", "max": "IV/a"}}, BOTH, BOTH),
        ({"hukuman_disiplin": {"levels": ["berat"], "lookback_years": 5}}, UP, UP),
        ({"hukuman_disiplin": {"levels": ["berat"]}}, SAME, SAME),
        ({"sisa_bup": {"min": 2}}, DOWN, DOWN),
        ({"pendidikan": {"min": "S1"}}, SAME, SAME),
        ({"skp": {"min": "Baik", "years": 2}}, SAME, SAME),
        ({"kotak_talenta": {"any_of": [7, 8, 9]}}, SAME, SAME),
    ],
)
def test_succession_projects_the_rules_whose_kind_says_they_improve(
    require, plain, under_progression
):
    """The behaviours the kinds declare, and succession reading them (not kind names)."""
    rule = Rule.model_validate({**RULE, "require": require})
    assert time_behaviour(rule.kind, rule.params) is plain
    assert time_behaviour(rule.kind, rule.params, rank_progression=True) is under_progression
    assert time_improving(rule) is (plain is UP)
    assert time_improving(rule, rank_progression=True) is (under_progression is UP)


class _PlainParams(pydantic.BaseModel):
    pass


class _LabelKind(UsiaKind):
    """Declared well but for its Params (not Strict) and one post label Posts lacks."""

    name = "label"
    Params = _PlainParams
    post_labels = ("bidang", "no_such_label")


def test_a_kind_with_loose_params_or_an_unknown_label_is_refused_naming_its_module():
    assert _check(_LabelKind, "engine.rules.kinds.label") == [
        "engine.rules.kinds.label: kind 'label' Params is not a Strict model",
        "engine.rules.kinds.label: kind 'label' reads post keys Posts does not have: no_such_label",
    ]
    assert _check(UsiaKind, "engine.rules.kinds.usia") == []


def _module(monkeypatch, name: str, *classes: tuple[str, type, dict]) -> None:
    """A kinds module ``name`` defining the classes given as (class name, base, body)."""
    module = types.ModuleType(f"{kinds_package.__name__}.{name}")
    for cls_name, base, body in classes:
        cls = type(cls_name, (base,), {**body, "__module__": module.__name__})
        setattr(module, cls_name, cls)
    module.UsiaKind = UsiaKind  # imported from another module: not this module's kind
    monkeypatch.setitem(sys.modules, module.__name__, module)


def test_a_module_s_kind_is_its_own_class_that_names_itself(monkeypatch):
    # A family base without a name of its own, and the imported UsiaKind, are not kinds here.
    _module(monkeypatch, "umur", ("Base", UsiaKind, {}), ("Umur", UsiaKind, {"name": "umur"}))
    found = _kind_of("umur")
    assert found.__name__ == "Umur" and found.name == "umur"


def test_a_module_with_the_wrong_kind_or_two_kinds_is_refused(monkeypatch):
    _module(monkeypatch, "umur", ("Other", UsiaKind, {"name": "other"}))
    with pytest.raises(RegistryError) as info:
        _kind_of("umur")
    assert str(info.value) == (
        "engine.rules.kinds.umur must define exactly one kind named 'umur' (found: other)"
    )
    _module(
        monkeypatch,
        "umur",
        ("A", UsiaKind, {"name": "umur"}),
        ("B", UsiaKind, {"name": "x"}),
    )
    with pytest.raises(RegistryError, match=r"named 'umur' \(found: umur, x\)$"):
        _kind_of("umur")
    _module(monkeypatch, "umur", ("A", _LabelKind, {"name": "umur"}))
    with pytest.raises(RegistryError) as info:
        _kind_of("umur")
    assert str(info.value) == (
        "engine.rules.kinds.umur: kind 'umur' Params is not a Strict model; "
        "engine.rules.kinds.umur: kind 'umur' reads post keys Posts does not have: no_such_label"
    )
