"""Migration waves: target stores, transfers, database replication, cutover and rollback alarms.

A wave stack builds on a foundation stack it reads through `pulumi.StackReference`: the wave spec
(`lz.spec.wave`) decides which resources exist, the foundation's outputs fill in the values (keys,
subnets, networks, identities). Each logical entity is one component, each cloud's variant beside
the others:

- `buckets/`: the encrypted, versioned, protected target store of a dataset;
- `transfers/`: the managed service that copies it (bulk copy, then scheduled deltas);
- `databases/`: full load plus change data capture into a managed database;
- `cutover/`: weighted DNS for the canary or blue/green switch, and the alarms that say "roll back".

`wave.MigrationWave` wires them; `context.MigrationContext` is what each of them receives.
"""
