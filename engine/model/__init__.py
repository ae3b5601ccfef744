"""Model: the one place where a round becomes a solver problem.

Takes a loaded round (people, posts, the scenario's choices) and its
eligible pairs; gives the arcs (candidate arcs, then the incumbents' stay
arcs), and, once they are scored, the :class:`solvers.AssignmentProblem`:
integer arc values (weighted fit, stability bonus, move penalty), who must be
placed, home posts, pins, bans, fill tiers and the committee's side
constraints. Nothing else in engine/ builds a solver problem.
"""
