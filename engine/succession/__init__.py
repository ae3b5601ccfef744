"""Succession: who could follow whom, where the bench is empty, and a multi-year horizon.

Takes a loaded round; gives the successor graph (networkx) with readiness,
bench strength, key persons, retirement waves, and yearly rounds run by the
same pipeline as a plan.
"""
