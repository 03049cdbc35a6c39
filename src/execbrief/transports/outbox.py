"""The ``outbox`` transport: one RFC 5322 ``.eml`` file per message in a folder.

The embedded default: nothing leaves the machine, every message can be opened in a mail client or
read with Python's ``email`` parser. Files are written to a temporary name, flushed, then linked to
their final name (which fails rather than overwrite), so a crash never leaves half a message and a
forced resend gets a file of its own. A failure is always *not sent*: every error comes before
the link (the run halts: the folder cannot be written), and once linked the message is sent.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, ClassVar

from pydantic import BaseModel

from execbrief.config import Model
from execbrief.delivery.message import to_bytes
from execbrief.errors import RunHalted
from execbrief.hookspecs import hookimpl
from execbrief.transports.base import (
    BaseTransport,
    CheckItem,
    SendResult,
    TransportFactory,
    TransportLimits,
)


class OutboxOptions(Model):
    """``[delivery.outbox]``: nothing required; the folder is ``delivery.outbox``."""

    max_message_bytes: int | None = None


class OutboxTransport(BaseTransport):
    """Writes each message to ``<folder>/<date>-<report>-<recipient>-<id>.eml``."""

    name: ClassVar[str] = "outbox"

    def __init__(self, folder: Path, max_message_bytes: int | None = None) -> None:
        self.folder = folder
        self.max_message_bytes = max_message_bytes

    def send(self, message: EmailMessage, *, tags: dict[str, str] | None = None) -> SendResult:
        """Write the message; its Message-ID header is the message id."""
        message_id = message["Message-ID"]
        if not message_id:
            raise ValueError(
                "the message has no Message-ID header; compose it with execbrief.delivery.message.compose"
            )
        data = to_bytes(message)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            path = self._write(self._stem(message, tags or {}), data)
        except OSError as exc:
            raise RunHalted(
                f"cannot write to the outbox {self.folder} ({exc.strerror or exc})"
            ) from None
        return SendResult(message_id=str(message_id), response=f"wrote {path.name}")

    def _stem(self, message: EmailMessage, tags: dict[str, str]) -> str:
        try:
            when = parsedate_to_datetime(str(message["Date"])).strftime("%Y%m%dT%H%M%S")
        except (TypeError, ValueError):
            when = "undated"
        recipient = str(message["To"] or "unknown")
        digest = hashlib.sha256(str(message["Message-ID"]).encode()).hexdigest()[:8]
        parts = [when, tags.get("report", ""), tags.get("period", ""), recipient, digest]
        return "-".join(_safe(part) for part in parts if part)

    def _write(self, stem: str, data: bytes) -> Path:
        temporary = self.folder / f".{stem}.{os.getpid()}.tmp"
        with open(temporary, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            for number in range(1, 10_000):
                target = self.folder / (f"{stem}.eml" if number == 1 else f"{stem}-{number}.eml")
                try:
                    os.link(temporary, target)
                except FileExistsError:
                    continue
                return target
            raise OSError(f"too many files named {stem}*.eml")
        finally:
            # Once linked, the message is delivered: a temporary file that cannot be removed
            # must not turn that into a failure (the next run would write a second copy).
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)

    def check(self) -> list[CheckItem]:
        """The folder (or, before the first send, its nearest existing parent) is writable."""
        existing = self.folder
        while not existing.exists() and existing != existing.parent:
            existing = existing.parent
        if not existing.is_dir() or not os.access(existing, os.W_OK | os.X_OK):
            return [
                CheckItem(
                    "outbox folder",
                    False,
                    f"{self.folder} cannot be written ({existing} is not a writable folder)",
                )
            ]
        state = "is writable" if existing == self.folder else "will be created on first send"
        return [CheckItem("outbox folder", True, f"{self.folder} {state}")]

    def limits(self) -> TransportLimits:
        """No rate limit; the size limit is the option, if set."""
        return TransportLimits(max_message_bytes=self.max_message_bytes)


def _safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9@._+-]+", "_", text).strip("._")[:80]


class OutboxFactory:
    """The ``outbox`` transport plugin."""

    name: ClassVar[str] = "outbox"
    Options: ClassVar[type[BaseModel]] = OutboxOptions

    def open(
        self, options: BaseModel, delivery: Any, root: Any, environ: dict[str, str]
    ) -> OutboxTransport:
        """Open the outbox folder named by ``delivery.outbox`` (relative to the portfolio root)."""
        assert isinstance(options, OutboxOptions)
        folder = Path(str(delivery.outbox)).expanduser()
        if not folder.is_absolute():
            folder = Path(root) / folder
        return OutboxTransport(folder, options.max_message_bytes)


@hookimpl
def register_transports() -> list[TransportFactory]:
    """The outbox transport."""
    return [OutboxFactory()]
