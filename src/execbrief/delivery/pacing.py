"""How fast and how often dispatch sends: the retry policy, the rate limiter (alone, or on a
timeline shared by worker processes) and the injectable clock."""

from __future__ import annotations

import multiprocessing
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any


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


class SharedTimeline:
    """One send timeline for several processes (``send --portfolios``): each send reserves the
    next free slot of ``1 / rate`` seconds on it, so the sends of every worker together keep one
    rate, the pace of a lone limiter with a burst of one.

    The slot's end lives in shared memory; make the timeline before the workers start and hand
    it to them as they start (a pool's ``initargs``). Times are ``time.monotonic`` readings,
    which every process on one machine shares.
    """

    def __init__(self, context: Any = None) -> None:
        self.next_free = (context or multiprocessing.get_context()).Value("d", float("-inf"))

    def reserve(self, seconds: float, now: float) -> float:
        """Take the next ``seconds`` of the timeline from ``now`` on; when the slot starts."""
        with self.next_free.get_lock():
            start = max(now, self.next_free.value)
            self.next_free.value = start + seconds
        return float(start)


class RateLimiter:
    """A token bucket: at most ``rate`` sends per second, bursts of at most ``burst``; with a
    ``shared`` timeline, one slot of it per send instead (see ``SharedTimeline``).

    ``monotonic`` and ``sleep`` are injectable so tests run without waiting.
    """

    def __init__(
        self,
        rate: float | None,
        *,
        burst: float = 1.0,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        shared: SharedTimeline | None = None,
    ) -> None:
        if rate is not None and rate <= 0:
            raise ValueError("the send rate must be positive")
        self.rate = rate
        self.burst = max(1.0, burst)
        self.monotonic = monotonic
        self.sleep = sleep
        self.shared = shared
        self.tokens = self.burst
        self.updated = monotonic()

    def acquire(self, tokens: float = 1.0) -> None:
        """Take ``tokens`` (recipients), waiting until the bucket holds them."""
        if self.rate is None:
            return
        if self.shared is not None:
            now = self.monotonic()
            start = self.shared.reserve(tokens / self.rate, now)
            if start > now:
                self.sleep(start - now)
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
    ``sleep`` for the rate limiter and backoff, ``random`` for jitter, ``shared`` a send timeline
    other processes pace on too (None: this run alone). All injectable."""

    now: Callable[[], datetime]
    monotonic: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    random: Callable[[], float] = random.random
    shared: SharedTimeline | None = None

    def limiter(self, rate: float | None) -> RateLimiter:
        """A rate limiter of ``rate`` sends a second on this timing's clock (and timeline)."""
        return RateLimiter(rate, monotonic=self.monotonic, sleep=self.sleep, shared=self.shared)
