"""Database replication into the target cloud's managed database: full load, then change data capture."""
