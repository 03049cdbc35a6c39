"""How fast and how often dispatch sends: the retry policy, the rate limiter and the injectable
clock."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class RetryPolicy:
    """Capped exponential backoff with jitter: attempt n waits ``min(cap, base * 2**(n-1))``,
    half of it fixed and half random."""

    attempts: int = 5
    base: float = 1.0
    cap: float = 30.0

    def delay(self, attempt: int, unit_random: float) -> float:
        """The wait after failed attempt ``attempt`` (1-based), with ``unit_random`` in [0, 1)."""
        ceiling = min(self.cap, self.base * 2 ** (attempt - 1))
        return ceiling / 2 + ceiling / 2 * unit_random


class RateLimiter:
    """A token bucket: at most ``rate`` sends per second, bursts of at most ``burst``.

    ``monotonic`` and ``sleep`` are injectable so tests run without waiting.
    """

    def __init__(
        self,
        rate: float | None,
        *,
        burst: float = 1.0,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if rate is not None and rate <= 0:
            raise ValueError("the send rate must be positive")
        self.rate = rate
        self.burst = max(1.0, burst)
        self.monotonic = monotonic
        self.sleep = sleep
        self.tokens = self.burst
        self.updated = monotonic()

    def acquire(self, tokens: float = 1.0) -> None:
        """Take ``tokens`` (recipients), waiting until the bucket holds them."""
        if self.rate is None:
            return
        while True:
            now = self.monotonic()
            self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
            self.updated = now
            if self.tokens >= tokens:
                self.tokens -= tokens
                return
            self.sleep((tokens - self.tokens) / self.rate)


@dataclass
class Timing:
    """Where dispatch gets time: ``now`` for timestamps and Date headers, ``monotonic`` and
    ``sleep`` for the rate limiter and backoff, ``random`` for jitter. All injectable."""

    now: Callable[[], datetime]
    monotonic: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    random: Callable[[], float] = random.random
