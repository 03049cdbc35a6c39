"""The SQLite store: runs, snapshots, findings, deliveries and provider events."""

from execbrief.store.db import (
    ACCEPTED,
    RETRYABLE,
    STATUSES,
    Claim,
    Delivery,
    DeliveryKey,
    Event,
    Run,
    Store,
)

__all__ = [
    "ACCEPTED",
    "RETRYABLE",
    "STATUSES",
    "Claim",
    "Delivery",
    "DeliveryKey",
    "Event",
    "Run",
    "Store",
]
