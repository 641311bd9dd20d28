"""Cutover: weighted DNS between the source and target endpoints, and the alarms that call a rollback.

The weights come from config: `steps[current_step]` % of the traffic goes to the target and the
rest to the source (a blue/green cutover's steps are 0 and 100). Advancing a step is a config
change and a `pulumi up`; rolling back is setting the previous step. The alarms encode the wave's
rollback thresholds on the target's error rate and p99 latency over `evaluation_minutes`.
"""
