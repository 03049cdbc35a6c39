"""History: the runs stored per period, what changed since the last report, and the archive."""
