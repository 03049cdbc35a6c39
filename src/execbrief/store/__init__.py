"""The SQLite store: runs, snapshots, findings, deliveries and provider events."""
