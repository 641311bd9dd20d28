"""landing-zone: multicloud landing zones and migration waves for AI workloads, with guardrails.

The `lz` command plans a stack offline (Pulumi's mock runtime, no credentials), evaluates the
policy pack over the resulting graph, and writes graph.json, findings.json and report.md.
"""

__version__ = "0.1.0"
