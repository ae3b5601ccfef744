"""Round: one scenario's inputs loaded, checked and derived, ready to plan.

Takes a scenario file; gives a :class:`~engine.round.context.Context` (the
tables, settings, rule set and the people and posts derived at the scenario
date, with every input file by role) and the scenario's choices as masks
(:func:`~engine.round.setup.round_setup`: who leaves, who is in the pool,
which posts are open). Plans, succession, explanations and the committee's
app all start from a Context.
"""
