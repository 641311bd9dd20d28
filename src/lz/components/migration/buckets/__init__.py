"""Target stores of migrated datasets: one component per cloud (S3, Cloud Storage, Blob Storage)."""
