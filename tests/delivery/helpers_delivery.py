"""Shared helpers of the delivery tests: a fake clock and a small outgoing report."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from execbrief.delivery import Outgoing, Timing
from execbrief.message import Rendered


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
