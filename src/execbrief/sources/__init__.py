"""Sources: each reads one kind of artifact and returns typed records with provenance."""
