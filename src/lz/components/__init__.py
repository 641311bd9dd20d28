"""Pulumi component resources of the landing zone, one per logical entity, grouped by concern.

`landing_zone.LandingZone` builds a foundation from the spec; `foundation/<cloud>.py` wires one
cloud's entities (network, keys, audit, ...) together; each entity's component lives in the folder
of its concern, every cloud's variant beside the others.
"""
