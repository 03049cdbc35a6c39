"""Analyses: pure functions over a Snapshot that return Metrics and Findings."""
