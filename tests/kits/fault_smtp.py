"""A faulty SMTP server for the SMTP fault tests and the fault bench: aiosmtpd on loopback (no
TLS, no login) whose handler answers each selected recipient as its plan says::

    accept     250 to RCPT, DATA and the message: queued
    defer421   421 to RCPT (the server is closing the connection): nothing queued
    defer451   451 to RCPT (try again later): nothing queued
    reject550  550 to RCPT (no such user): nothing queued
    drop       250 to RCPT; the message data is received and queued, then the connection is
               closed before the reply (the answer is lost)

``messages`` keeps every queued message as ``(recipients, bytes)``; ``log`` the fault planned
for each selected recipient.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from typing import Any

from aiosmtpd.controller import Controller

from kits import fault_plans as plans


class SmtpFault(StrEnum):
    """What the server does with one selected recipient."""

    ACCEPT = "accept"
    DEFER_421 = "defer421"
    DEFER_451 = "defer451"
    REJECT_550 = "reject550"
    DROP = "drop"


SmtpPlan = Callable[[str], SmtpFault]


def scripted(faults: Iterable[SmtpFault | str]) -> SmtpPlan:
    """Answer the selected recipients with ``faults`` in order, then accept."""
    return plans.scripted([SmtpFault(fault) for fault in faults], SmtpFault.ACCEPT)


def random_faults(seed: int, shares: dict[SmtpFault, float]) -> SmtpPlan:
    """Pick each fault with its share, else accept."""
    return plans.random_faults(seed, shares, SmtpFault.ACCEPT)


class FaultySmtp:
    """The aiosmtpd handler."""

    def __init__(
        self, plan: SmtpPlan | None = None, select: Callable[[str], bool] = lambda _: True
    ) -> None:
        self.plan = plan or scripted([])
        self.select = select
        self.messages: list[tuple[list[str], bytes]] = []
        self.log: list[tuple[SmtpFault, str]] = []
        self._lock = threading.Lock()

    def faults(self) -> list[SmtpFault]:
        with self._lock:
            return [fault for fault, _ in self.log]

    def received(self) -> list[tuple[list[str], bytes]]:
        with self._lock:
            return list(self.messages)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        fault = SmtpFault.ACCEPT
        if self.select(address):
            fault = self.plan(address)
            with self._lock:
                self.log.append((fault, address))
        if fault is SmtpFault.DEFER_421:
            asyncio.get_running_loop().call_soon(server.transport.close)
            return "421 4.7.0 Too many connections, closing"
        if fault is SmtpFault.DEFER_451:
            return "451 4.3.0 Temporary failure, try again later"
        if fault is SmtpFault.REJECT_550:
            return f"550 5.1.1 <{address}>: user unknown"
        if fault is SmtpFault.DROP:
            envelope.lose_answer = True
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self._lock:
            self.messages.append((list(envelope.rcpt_tos), bytes(envelope.original_content)))
        if getattr(envelope, "lose_answer", False):
            server.transport.close()  # queued, and the connection dies before the reply
        return f"250 2.0.0 Ok: queued as Q{len(self.messages)}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def faulty_smtp(handler: FaultySmtp) -> Iterator[int]:
    """Serve ``handler`` on 127.0.0.1; yields the port."""
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller.port
    finally:
        controller.stop()
