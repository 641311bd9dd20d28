"""Per-cloud offline stand-ins for computed resource attributes."""
