"""The requirement kinds: one module per kind, named after the kind.

Takes nothing; gives, module by module, the classes that
:mod:`engine.rules.registry` collects. The kind ``golongan`` is the class in
``golongan.py`` whose ``name`` is ``"golongan"``; a module whose name starts
with ``_`` holds what a family of kinds shares (a span of years since a
date, a value with a minimum) and no kind of its own.

To add a kind: write its module here (a :class:`~engine.rules.kind.Kind`
subclass with its params, facts, post keys, evaluate, explain,
counterfactual and time behaviour), add a case to ``tests/rules/``, and
regenerate the schema and reference with ``python -m engine.report.reference``.
"""
