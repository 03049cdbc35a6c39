"""The SQLite store: runs, snapshots, findings, deliveries and provider events."""

from execbrief.store.db import (
    Claim,
    Delivery,
    DeliveryKey,
    Event,
    Run,
    Store,
)
from execbrief.store.status import ACCEPTED, EVENT_RANK, REACHED, RETRYABLE, DeliveryStatus

__all__ = [
    "ACCEPTED",
    "EVENT_RANK",
    "REACHED",
    "RETRYABLE",
    "Claim",
    "Delivery",
    "DeliveryKey",
    "DeliveryStatus",
    "Event",
    "Run",
    "Store",
]
