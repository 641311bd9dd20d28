"""Prices of what the landing zone runs: the price catalog (lz/data/prices.yaml), the per-type cost
rules, cost.json, the base diff, the budget gate and a wave's transfer estimates."""
