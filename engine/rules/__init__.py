"""Rules: the requirements of posts, with their legal basis and dates.

Takes rule files (YAML) and gives a dated :class:`~engine.rules.ruleset.RuleSet`;
holds the closed catalogue of requirement kinds (:mod:`engine.rules.requirements`),
each with its evaluator, explanation and counterfactual, and checks that names
in rule selectors exist in the tables (:mod:`engine.rules.crossref`).
"""
