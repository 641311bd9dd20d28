"""Object transfers into a target store with each target cloud's managed service.

Every transfer runs a first bulk copy and then scheduled deltas (only new or changed objects),
verifies what it copied, and never propagates deletes from the source unless the dataset asks for
it. Credentials for the source come from workload identity federation or from Pulumi secrets.
"""
