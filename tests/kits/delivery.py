"""Shared helpers of the delivery tests: a fake clock and a small outgoing report."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from execbrief.delivery.message import Rendered
from execbrief.delivery.outgoing import Outgoing
from execbrief.delivery.pacing import Timing
from execbrief.secrets.guard import SecretGuard


@dataclass
class FakeTime:
    """A clock that only moves when something sleeps (or a test advances it)."""

    start: datetime = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    elapsed: float = 0.0
    sleeps: list[float] = field(default_factory=list)

    def now(self) -> datetime:
        return self.start + timedelta(seconds=self.elapsed)

    def monotonic(self) -> float:
        return self.elapsed

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.elapsed += seconds

    def timing(self, random_value: float = 0.5) -> Timing:
        return Timing(
            now=self.now, monotonic=self.monotonic, sleep=self.sleep, random=lambda: random_value
        )


def outgoing(
    report: str = "ceo",
    recipients: tuple[str, ...] = ("ceo@harbor.example",),
    text: str = "Hello.\n",
    document: object = None,
) -> Outgoing:
    """An outgoing report with a plain text body."""
    return Outgoing(report, document, Rendered(subject=f"{report} report", text=text), recipients)  # type: ignore[arg-type]


def real_guard() -> SecretGuard:
    """The real outgoing secret guard, with a test key and no fingerprints of its own."""
    return SecretGuard(b"delivery-test-key-0123456789abcd", frozenset())
