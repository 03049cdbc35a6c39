"""Benchmark: sustained send rate of the dispatch stage against a local endpoint.

The endpoint is moto's SES server (HTTP on 127.0.0.1) or an aiosmtpd server; in front of it sits
a token bucket that enforces the configured max send rate the way SES does (bursts up to one
second's worth, refilled continuously) and answers ``TooManyRequestsException`` (SES) or
``454 4.7.0 Throttling`` (SMTP) when exceeded. execbrief's client-side limiter should keep the
sends at the configured rate with zero throttling answers. We print the achieved rate as a
share of the configured one, and the number of throttling answers (must be 0).

    .venv/bin/python bench/dispatch.py                          # SES via moto, 14/s, 140 messages
    .venv/bin/python bench/dispatch.py --endpoint smtp --rate 20 --count 200

Every send goes through the real path: claim in a SQLite store (WAL) in a temp folder, compose,
size check, the transport, record. The body is a ~8 KB text report.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from execbrief.delivery.dispatch import dispatch
from execbrief.delivery.message import Rendered
from execbrief.delivery.outgoing import Outgoing
from execbrief.delivery.pacing import RetryPolicy, Timing
from execbrief.secrets.guard import SecretGuard
from execbrief.store.db import Store
from execbrief.transports.base import Transport

BODY = (
    "\n".join(
        f"{i:3d}. Harbor Charters burn $7,500/mo, cash $12,000, runway 1.6 months (handoffs/harbor-charters.md:{i})"
        for i in range(90)
    )
    + "\n"
)


@dataclass
class Bucket:
    """The provider's rate enforcement: ``rate`` per second, bursts up to ``rate``."""

    rate: float
    tokens: float = 0.0
    updated: float = 0.0
    throttled: int = 0
    accepted: int = 0

    def __post_init__(self) -> None:
        self.tokens = self.rate
        self.updated = time.monotonic()
        self.lock = threading.Lock()

    def take(self) -> bool:
        with self.lock:
            now = time.monotonic()
            self.tokens = min(self.rate, self.tokens + (now - self.updated) * self.rate)
            self.updated = now
            if self.tokens >= 1:
                self.tokens -= 1
                self.accepted += 1
                return True
            self.throttled += 1
            return False


def real_guard() -> SecretGuard:
    """The real outgoing secret guard, with a fixed key and no known fingerprints."""
    return SecretGuard(b"dispatch-bench-key-0123456789abc", frozenset())


def ses_endpoint(bucket: Bucket) -> tuple[Transport, Any]:
    """An SES transport on a moto server, with the bucket enforcing the rate before each send."""
    import logging

    import boto3
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)

    from execbrief.transports.ses import SesOptions, SesTransport

    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        os.environ.setdefault(name, "bench")
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    url = f"http://{host}:{port}"
    session = boto3.session.Session(
        aws_access_key_id="bench", aws_secret_access_key="bench", region_name="us-east-1"
    )
    session.client("sesv2", endpoint_url=url).create_email_identity(EmailIdentity="harbor.example")
    transport = SesTransport(
        SesOptions(endpoint_url=url, max_send_rate=bucket.rate),
        "us-east-1",
        "reports@harbor.example",
        session,
    )

    def enforce(request: Any, **_: Any) -> Any:
        if bucket.take():
            return None
        from botocore.awsrequest import AWSResponse

        class Raw:
            def stream(self, **_: Any) -> Any:
                yield b'{"message": "Maximum sending rate exceeded."}'

        headers = {
            "x-amzn-ErrorType": "TooManyRequestsException",
            "Content-Type": "application/json",
        }
        return AWSResponse(request.url, 429, headers, Raw())

    transport.client.meta.events.register("before-send.sesv2.SendEmail", enforce)
    return transport, server.stop


def smtp_endpoint(bucket: Bucket) -> tuple[Transport, Any]:
    """An SMTP transport on an aiosmtpd server that throttles in RCPT when over the rate."""
    from aiosmtpd.controller import Controller

    from execbrief.transports.smtp import SmtpOptions, SmtpTransport

    class Handler:
        async def handle_RCPT(
            self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
        ) -> str:
            if not bucket.take():
                return "454 4.7.0 Throttling: maximum sending rate exceeded"
            envelope.rcpt_tos.append(address)
            return "250 OK"

        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            return "250 2.0.0 Ok: queued"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    options = SmtpOptions(host="127.0.0.1", port=port, security="none", max_send_rate=bucket.rate)
    return SmtpTransport(options, "reports@harbor.example", {}), controller.stop


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--endpoint", choices=("ses", "smtp"), default="ses")
    parser.add_argument(
        "--rate",
        type=float,
        default=14.0,
        help="max send rate per second (SES's default production rate is 14)",
    )
    parser.add_argument("--count", type=int, default=140, help="messages to send")
    args = parser.parse_args()

    bucket = Bucket(args.rate)
    transport, stop = (ses_endpoint if args.endpoint == "ses" else smtp_endpoint)(bucket)
    recipients = tuple(f"r{i:05d}@harbor.example" for i in range(args.count))
    item = Outgoing("ceo", None, Rendered("CEO briefing — 2026-11", BODY), recipients)
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "bench.db", clock=lambda: datetime.now(UTC))
        # the bucket starts full, as a provider's does; drain it so the burst does not flatter us
        while bucket.take():
            pass
        bucket.throttled = bucket.accepted = 0
        time.sleep(1 / args.rate)
        started = time.monotonic()
        result = dispatch(
            [item],
            period="2026-11",
            store=store,
            transport=transport,
            sender="reports@harbor.example",
            operator=None,
            timing=Timing(now=lambda: datetime.now(UTC)),
            retry=RetryPolicy(attempts=5, base=0.5, cap=4),
            alert_stream=sys.stderr,
            guard=real_guard(),
        )
        elapsed = time.monotonic() - started
        store.close()
    transport.close()
    stop()
    sent = sum(1 for o in result.outcomes if o.status == "sent")
    failed = len(result.outcomes) - sent
    # n sends at rate r need (n - 1) / r seconds after the first
    achieved = (sent - 1) / elapsed if elapsed > 0 and sent > 1 else 0.0
    print(
        f"endpoint: {args.endpoint}; configured max send rate: {args.rate:g}/s; messages: {args.count}"
    )
    print(
        f"sent {sent} in {elapsed:.2f} s: {achieved:.2f}/s = {achieved / args.rate:.1%} of the max send rate"
    )
    print(f"throttling answers from the endpoint: {bucket.throttled}; failed deliveries: {failed}")
    return 0 if bucket.throttled == 0 and failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
