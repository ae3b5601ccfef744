"""Plan: the one pipeline from a scenario to a validated placement plan.

Takes a scenario; chains inputs, rules, eligibility, scoring and the solver
(:mod:`engine.plan.pipeline`) and gives the plan: placements, vacancy chains,
unfilled posts with reasons, shortlists with prices, KPIs and a manifest.
Also holds what reads plans back: comparison of plans, explanation of one
post, pseudonymisation.
"""
