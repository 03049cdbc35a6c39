"""The ``memory`` transport: keeps messages in a list, for tests. It can be told to fail.

Failures are scripted per recipient (``fail_for``) or for the next calls (``fail_next``), so a
test can say "the second send is throttled twice, then succeeds" and watch the real retry code.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, Field

from execbrief.config import Model
from execbrief.errors import (
    DeliveryError,
    QuotaExceeded,
    RecipientRejected,
    RunHalted,
    TransientDeliveryError,
)
from execbrief.hookspecs import hookimpl
from execbrief.transports.base import (
    BaseTransport,
    CheckItem,
    SendResult,
    TransportFactory,
    TransportLimits,
)

FailureKind = Literal["transient", "rejected", "quota", "halt"]
_ERRORS: dict[str, type[DeliveryError]] = {
    "transient": TransientDeliveryError,
    "rejected": RecipientRejected,
    "quota": QuotaExceeded,
    "halt": RunHalted,
}


class MemoryOptions(Model):
    """``[delivery.memory]``: scripted failures (``fail = { "a@x.example" = "rejected" }``) and limits."""

    fail: dict[str, FailureKind] = Field(default_factory=dict)
    max_send_rate: float | None = Field(default=None, gt=0)
    max_message_bytes: int | None = Field(default=None, gt=0)


@dataclass
class Sent:
    """A message the memory transport accepted."""

    message: EmailMessage
    tags: dict[str, str]
    message_id: str


@dataclass
class MemoryTransport(BaseTransport):
    """Keeps every accepted message in ``sent``; raises scripted errors."""

    name: ClassVar[str] = "memory"

    sent: list[Sent] = field(default_factory=list)
    calls: int = 0
    max_send_rate: float | None = None
    max_message_bytes: int | None = None
    check_items: list[CheckItem] = field(default_factory=list)
    on_send: Callable[[EmailMessage], None] | None = None
    _per_recipient: dict[str, deque[DeliveryError]] = field(default_factory=dict)
    _next: deque[DeliveryError | None] = field(default_factory=deque)
    closed: bool = False

    def fail_for(
        self, recipient: str, error: DeliveryError | FailureKind, times: int = 1_000_000
    ) -> None:
        """Raise ``error`` for the next ``times`` sends to ``recipient`` (default: always)."""
        exc = (
            _ERRORS[error](f"scripted {error} failure for {recipient}")
            if isinstance(error, str)
            else error
        )
        self._per_recipient[recipient.lower()] = deque([exc] * times)

    def fail_next(self, *errors: DeliveryError | FailureKind | None) -> None:
        """The next calls raise these errors in order (None: that call succeeds)."""
        for error in errors:
            self._next.append(
                _ERRORS[error](f"scripted {error} failure") if isinstance(error, str) else error
            )

    def send(self, message: EmailMessage, *, tags: dict[str, str] | None = None) -> SendResult:
        """Record the message, or raise the scripted error."""
        self.calls += 1
        if self.on_send is not None:
            self.on_send(message)
        if self._next:
            error = self._next.popleft()
            if error is not None:
                raise error
        recipient = str(message["To"]).lower()
        queue = self._per_recipient.get(recipient)
        if queue:
            raise queue.popleft()
        message_id = f"memory-{len(self.sent) + 1}"
        self.sent.append(Sent(message, dict(tags or {}), message_id))
        return SendResult(message_id=message_id, response="250 kept in memory")

    def check(self) -> list[CheckItem]:
        """The configured check items (none by default)."""
        return list(self.check_items)

    def limits(self) -> TransportLimits:
        """The configured limits."""
        return TransportLimits(
            max_message_bytes=self.max_message_bytes, max_send_rate=self.max_send_rate
        )

    def close(self) -> None:
        """Mark closed (messages stay readable)."""
        self.closed = True

    def recipients(self) -> list[str]:
        """The To address of each accepted message, in order."""
        return [str(item.message["To"]) for item in self.sent]


class MemoryFactory:
    """The ``memory`` transport plugin (for tests)."""

    name: ClassVar[str] = "memory"
    Options: ClassVar[type[BaseModel]] = MemoryOptions

    def open(
        self, options: BaseModel, delivery: Any, root: Any, environ: dict[str, str]
    ) -> MemoryTransport:
        """A fresh memory transport with the configured failures."""
        assert isinstance(options, MemoryOptions)
        transport = MemoryTransport(
            max_send_rate=options.max_send_rate, max_message_bytes=options.max_message_bytes
        )
        for recipient, kind in options.fail.items():
            transport.fail_for(recipient, kind)
        return transport


@hookimpl
def register_transports() -> list[TransportFactory]:
    """The memory transport."""
    return [MemoryFactory()]
