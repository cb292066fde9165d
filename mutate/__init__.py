"""Planted bugs, one at a time, and whether the tests catch them (`make mutate`; README, "Tests that judge")."""
