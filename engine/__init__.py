"""talenta engine: the ASN domain, from input tables and rule files to a placement Plan.

The one pipeline is :func:`engine.plan.pipeline.build_plan`; see docs/architecture.md.
"""

__version__ = "0.1.0"
