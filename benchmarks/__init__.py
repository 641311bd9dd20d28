"""`make bench`: the offline tool measured against the Pulumi SDK's own floor, at 1x, 4x and 16x.

`benchmarks.specs` generates the projects (the example foundation and wave, grown by regions, GPU
pools, roles and datasets); `benchmarks.run` times every measurement in a process of its own and
writes `benchmarks/results.json` and `benchmarks/results.md`.
"""
