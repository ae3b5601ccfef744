"""Rules: the requirements of posts, with their legal basis and dates.

Takes rule files (YAML) and gives a dated :class:`~engine.rules.ruleset.RuleSet`.
The closed catalogue of requirement kinds is one class per kind in
:mod:`engine.rules.kinds` (the contract: :mod:`engine.rules.kind`), collected
by :mod:`engine.rules.registry`, from which the ``require:`` model
(:mod:`engine.rules.requirements`) is generated. :mod:`engine.rules.crossref`
checks that names in rule selectors exist in the tables.
"""
