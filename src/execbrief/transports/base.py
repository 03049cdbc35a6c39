"""What a transport plugin is: one ``send`` method, ``check``, ``close`` and a context manager;
and the optional ``events`` capability of a provider that reports what became of a message."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from enum import StrEnum
from pathlib import Path
from types import TracebackType
from typing import Any, ClassVar, Protocol, Self, runtime_checkable

from pydantic import BaseModel

from execbrief.config import DeliverySection


@dataclass(frozen=True)
class SendResult:
    """What the provider said: its message id (the audit key) and its reply, if any."""

    message_id: str
    response: str | None = None


@dataclass(frozen=True)
class CheckItem:
    """One line of ``execbrief check`` for a transport: what was checked, ok or not, detail."""

    name: str
    ok: bool
    detail: str


@dataclass(frozen=True)
class TransportLimits:
    """What the provider allows: message size in bytes and sends per second (None: no limit)."""

    max_message_bytes: int | None = None
    max_send_rate: float | None = None
    max_recipients: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


class Transport(Protocol):
    """An open connection to a provider."""

    name: ClassVar[str]

    def send(self, message: EmailMessage, *, tags: dict[str, str] | None = None) -> SendResult:
        """Send one message; raise a ``DeliveryError`` subclass on failure."""
        ...

    def check(self) -> list[CheckItem]:
        """Check that sending can work (identity verified, login ok, ...)."""
        ...

    def limits(self) -> TransportLimits:
        """The provider's limits."""
        ...

    def close(self) -> None:
        """Release connections."""
        ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


class BaseTransport:
    """Context-manager plumbing and defaults for transports."""

    name: ClassVar[str] = ""

    def check(self) -> list[CheckItem]:
        """Nothing to check by default."""
        return []

    def limits(self) -> TransportLimits:
        """No limits by default."""
        return TransportLimits()

    def close(self) -> None:
        """Nothing to release by default."""

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class TransportFactory(Protocol):
    """A transport plugin: validates its options and opens a Transport.

    ``open`` receives the validated ``[delivery.<name>]`` options, the delivery section and the
    portfolio root (for relative paths), and the environment (for credentials).
    """

    name: ClassVar[str]

    @property
    def Options(self) -> type[BaseModel]:
        """The pydantic model that validates this plugin's options."""
        ...

    def open(
        self, options: BaseModel, delivery: DeliverySection, root: Path, environ: dict[str, str]
    ) -> Transport:
        """Open a transport."""
        ...


class EventKind(StrEnum):
    """What a provider event says became of a message (the delivery status it moves to)."""

    DELIVERED = "delivered"
    BOUNCED = "bounced"
    COMPLAINED = "complained"
    REJECTED = "rejected"


@dataclass(frozen=True)
class ProviderEvent:
    """One event a provider reported about a message it accepted (nothing secret in it).

    ``kind`` is None for an event that says nothing of the outcome (SES ``Send``, ``Open``):
    it is recorded but moves no delivery. ``type`` is the provider's own name for the event;
    ``message_id`` the id ``send`` returned; ``delivery_id`` the delivery tag, when the provider
    echoes the ``tags`` given to ``send``; ``at`` when it happened (None: not said);
    ``detail`` the provider's particulars (bounce type, diagnostic, ...).
    """

    kind: EventKind | None
    type: str
    message_id: str | None
    delivery_id: int | None = None
    at: datetime | None = None
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class UnreadableEvent:
    """A notification that could not be read as an event: where it came from, and why not."""

    where: str
    reason: str


@runtime_checkable
class EventSource(Protocol):
    """The optional capability of a transport whose provider reports events (``execbrief track``).

    ``events`` yields each pending event once; a notification is consumed (removed from the
    provider's queue) only after the consumer has taken it and asked for the next, so an
    interrupted ``track`` loses nothing. It raises a ``DeliveryError`` when the events cannot be
    read at all (no queue configured, no access).
    """

    def events(self, *, wait_seconds: int = 1) -> Iterator[ProviderEvent | UnreadableEvent]:
        """Every event waiting now (waiting up to ``wait_seconds`` for the first)."""
        ...
