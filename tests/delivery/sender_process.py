"""A sender process for the crash and concurrency tests (run with ``python sender_process.py``).

Usage: sender_process.py STORE OUTBOX COUNT [--delay S] [--hang-after N MARKER] [--resend-unknown]
                         [--throttle P] [--reject ADDRESS] [--die-recording N]
                         [--die-backing-off] [--ses ENDPOINT] [--smtp PORT] [--period P]

Sends one report to COUNT recipients through the outbox transport. ``--delay`` sleeps after each
write (so two processes overlap); ``--hang-after N MARKER`` writes the Nth message, touches MARKER
and hangs before recording the outcome, so the parent can SIGKILL it in that window.
``--throttle P`` answers a share P of the calls with a throttling error (before writing anything);
``--reject ADDRESS`` refuses that recipient permanently. ``--die-recording N`` SIGKILLs itself
inside the store transaction that records the Nth accepted message (written, not yet recorded);
``--die-backing-off`` throttles the first call and SIGKILLs itself in the retry wait.
``--ses ENDPOINT`` sends through the SES transport to that (moto) endpoint instead of the outbox;
``--smtp PORT`` through the SMTP transport to a plain server on 127.0.0.1:PORT. ``--period`` picks
the period (default 2026-11).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sys
import time
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from execbrief.delivery.dispatch import dispatch
from execbrief.delivery.message import Rendered
from execbrief.delivery.outgoing import Outgoing
from execbrief.delivery.pacing import RetryPolicy, Timing
from execbrief.delivery.results import DispatchOptions
from execbrief.errors import RecipientRejected, TransientDeliveryError
from execbrief.secrets.guard import SecretGuard
from execbrief.store.db import Store
from execbrief.transports.base import SendResult
from execbrief.transports.outbox import OutboxTransport


class SlowOutbox(OutboxTransport):
    def __init__(
        self,
        folder: Path,
        delay: float,
        hang_after: int | None,
        marker: Path | None,
        throttle: float = 0.0,
        reject: str | None = None,
    ) -> None:
        super().__init__(folder)
        self.delay, self.hang_after, self.marker, self.count = delay, hang_after, marker, 0
        self.throttle, self.reject, self.random = throttle, reject, random.Random()
        self.throttle_first = False

    def send(self, message: EmailMessage, *, tags: dict[str, str] | None = None) -> SendResult:
        if self.throttle_first:
            self.throttle_first = False
            raise TransientDeliveryError("Throttling: Maximum sending rate exceeded.")
        if self.throttle and self.random.random() < self.throttle:
            raise TransientDeliveryError("Throttling: Maximum sending rate exceeded.")
        if self.reject and str(message["To"]) == self.reject:
            raise RecipientRejected(f"550 5.1.1 <{self.reject}>: user unknown")
        result = super().send(message, tags=tags)
        self.count += 1
        if (
            self.hang_after is not None
            and self.count == self.hang_after
            and self.marker is not None
        ):
            # atomic: the test waits for the marker to exist, then reads it
            partial = self.marker.with_suffix(".partial")
            partial.write_text(str(message["To"]))
            os.replace(partial, self.marker)
            time.sleep(60)
        if self.delay:
            time.sleep(self.delay)
        return result


def real_guard() -> SecretGuard:
    """The real outgoing secret guard, with a fixed key and no known fingerprints."""
    return SecretGuard(b"dispatch-bench-key-0123456789abc", frozenset())


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("store")
    parser.add_argument("outbox")
    parser.add_argument("count", type=int)
    parser.add_argument("--delay", type=float, default=0.0)
    parser.add_argument("--hang-after", nargs=2, default=None)
    parser.add_argument("--resend-unknown", action="store_true")
    parser.add_argument("--throttle", type=float, default=0.0)
    parser.add_argument("--reject", default=None)
    parser.add_argument("--die-recording", type=int, default=None)
    parser.add_argument("--die-backing-off", action="store_true")
    parser.add_argument("--ses", default=None)
    parser.add_argument("--smtp", type=int, default=None)
    parser.add_argument("--period", default="2026-11")
    args = parser.parse_args()
    sleep = time.sleep
    if args.die_recording is not None:
        recorded = [0]
        update = Store._update

        def dying_update(db: Any, delivery_id: int, **fields: Any) -> None:
            update(db, delivery_id, **fields)
            if fields.get("status") == "sent":
                recorded[0] += 1
                if recorded[0] == args.die_recording:
                    os.kill(os.getpid(), signal.SIGKILL)  # before the COMMIT

        Store._update = staticmethod(dying_update)  # type: ignore[method-assign]
    if args.die_backing_off:

        def sleep(seconds: float) -> None:
            os.kill(os.getpid(), signal.SIGKILL)

    hang_after, marker = (
        (int(args.hang_after[0]), Path(args.hang_after[1])) if args.hang_after else (None, None)
    )
    recipients = tuple(f"r{i:03d}@harbor.example" for i in range(args.count))
    item = Outgoing("ceo", None, Rendered("CEO report", "Pipeline: empty\n"), recipients)
    fixed = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    transport = SlowOutbox(
        Path(args.outbox), args.delay, hang_after, marker, args.throttle, args.reject
    )
    transport.throttle_first = args.die_backing_off
    if args.ses:
        from execbrief.transports.ses import SesOptions, SesTransport

        ses = SesOptions(endpoint_url=args.ses, max_send_rate=100)
        chosen: Any = SesTransport(ses, "us-east-1", "reports@harbor.example")
    elif args.smtp:
        from execbrief.transports.smtp import SmtpOptions, SmtpTransport

        smtp = SmtpOptions(host="127.0.0.1", port=args.smtp, security="none", timeout=10)
        chosen = SmtpTransport(smtp, "reports@harbor.example", {})
    else:
        chosen = transport
    with Store(args.store, clock=lambda: fixed) as store:
        result = dispatch(
            [item],
            period=args.period,
            store=store,
            transport=chosen,
            retry=RetryPolicy(attempts=8, base=0.001, cap=0.01),
            sender="reports@harbor.example",
            operator=None,
            timing=Timing(now=lambda: fixed, sleep=sleep),
            options=DispatchOptions(resend_unknown=args.resend_unknown),
            alert_stream=sys.stderr,
            guard=real_guard(),
        )
    print(json.dumps(result.to_dict()))
    return result.exit_code


if __name__ == "__main__":
    sys.exit(main())
