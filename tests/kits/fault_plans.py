"""Fault plans shared by the fault proxy (SES) and the faulty SMTP server: which fault each
selected call gets, from a script or at random with given shares (seeded, thread-safe)."""

from __future__ import annotations

import random
import threading
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

F = TypeVar("F")


def scripted(faults: Iterable[F], otherwise: F) -> Callable[[Any], F]:
    """A plan answering the selected calls with ``faults`` in order, then ``otherwise``."""
    queue = list(faults)
    lock = threading.Lock()

    def plan(_: Any) -> F:
        with lock:
            return queue.pop(0) if queue else otherwise

    return plan


def random_faults(seed: int, shares: dict[F, float], otherwise: F) -> Callable[[Any], F]:
    """A plan that picks each fault with its share (``{THROTTLE: 0.2, DROP: 0.2}``), else
    ``otherwise``."""
    chooser = random.Random(seed)
    lock = threading.Lock()
    weights = list(shares.items())

    def plan(_: Any) -> F:
        with lock:
            roll = chooser.random()
        for fault, share in weights:
            if roll < share:
                return fault
            roll -= share
        return otherwise

    return plan
