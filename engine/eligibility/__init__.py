"""Eligibility: every (person, post) pair checked against every rule that applies.

Takes the derived people, the posts and a rule set; gives the long table of
eligible pairs, per-rule verdicts on demand and the exclusion counts that
explain an unfilled post. One place each: the grouping of posts by rule
signature (groups), what an UNKNOWN verdict counts as (verdicts) and the
scenario's move policy (moves).
"""
