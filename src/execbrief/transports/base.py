"""What a transport plugin is: one ``send`` method, ``check``, ``close`` and a context manager."""

from __future__ import annotations

from dataclasses import dataclass, field
from email.message import EmailMessage
from types import TracebackType
from typing import Any, ClassVar, Protocol, Self

from pydantic import BaseModel


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
    Options: ClassVar[type[BaseModel]]

    def open(
        self, options: BaseModel, delivery: Any, root: Any, environ: dict[str, str]
    ) -> Transport:
        """Open a transport."""
        ...
