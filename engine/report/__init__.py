"""Report: every rendering of a plan for people to read.

Takes a plan (and comparisons, succession results); gives plan.json,
run.json, report.md, report.html and plan.xlsx, written atomically
(:mod:`engine.report.files`); the succession files and the SVG pictures
(:mod:`engine.report.succession`, :mod:`engine.report.svg`); also the
generated rule-writer's reference and schemas (:mod:`engine.report.reference`).
"""
