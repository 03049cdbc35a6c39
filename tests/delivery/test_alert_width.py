"""The operator alert mail fits 78 columns, as the reports do: its body is read by
/work/shared/tools/mailstats (the house's reader-side check) from a real .eml file, and an id or
path longer than a line stands whole on a line of its own."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

from execbrief.delivery.dispatch import dispatch
from execbrief.delivery.pacing import RetryPolicy
from execbrief.errors import OutcomeUnknown, TransientDeliveryError
from execbrief.store.db import Store
from execbrief.transports.memory import MemoryTransport
from kits.delivery import FakeTime, outgoing, real_guard

MAILSTATS = Path("/work/shared/tools/mailstats")
WIDTH = 78  # mailstats' width (RFC 5322's recommended line length)
OPS = "ops@harbor.example"
PEOPLE = ("a@harbor.example", "b@harbor.example", "c@harbor.example")
#: An error as long as the tester's (a provider's whole answer in one sentence).
LONG_ERROR = (
    "503 Service Unavailable: the relay at smtp.harbor.example refused the message while the "
    "queue was full; it asked the client to try again later, after the backlog of deferred "
    "messages for the domain has drained, and named the queue file "
    "/var/spool/postfix/deferred/4/4F2A9C1B7E and the policy in effect for this sender"
)


def alert_body(tmp_path: Path, error: str) -> tuple[str, Path]:
    """Run a dispatch where one delivery fails with ``error`` and one is unknown; return the
    alert mail's text body and the .eml file it was written to."""
    clock, memory = FakeTime(), MemoryTransport()
    memory.fail_for(PEOPLE[0], TransientDeliveryError(error))
    memory.fail_for(PEOPLE[1], OutcomeUnknown("read timeout after the request went out"))
    with Store(tmp_path / "s.db", clock=clock.now) as store:
        dispatch(
            [outgoing(recipients=PEOPLE)],
            period="2026-11",
            store=store,
            transport=memory,
            sender="reports@harbor.example",
            operator=OPS,
            timing=clock.timing(),
            alert_stream=io.StringIO(),
            retry=RetryPolicy(attempts=2, base=1.0, cap=2.0),
            guard=real_guard(),
        )
    assert memory.recipients()[-1] == OPS
    message = memory.sent[-1].message
    outbox = tmp_path / "outbox"
    outbox.mkdir()
    eml = outbox / "alert.eml"
    eml.write_bytes(message.as_bytes())
    return message.get_content(), eml


def test_the_alert_mail_fits_78_columns(tmp_path: Path) -> None:
    body, eml = alert_body(tmp_path, LONG_ERROR)
    done = subprocess.run(
        [sys.executable, str(MAILSTATS), str(eml.parent), "--json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert '"wide": 0' in done.stdout
    flat = " ".join(body.split())
    assert f"- ceo to {PEOPLE[0]}: failed: gave up after 2 attempts: {LONG_ERROR}" in flat
    assert "/var/spool/postfix/deferred/4/4F2A9C1B7E" in body  # the path unbroken
    assert "execbrief send --resend-unknown" in flat
    for line in body.splitlines():  # an item's next lines sit under its text
        assert line == "" or not line.startswith(" ") or line.startswith("  ")


def test_an_id_longer_than_a_line_stands_whole_on_its_own_line(tmp_path: Path) -> None:
    long_id = "msg-" + "0123456789abcdef" * 6  # 100 characters, no space to break at
    body, _ = alert_body(tmp_path, f"the provider lost message {long_id} in its queue")
    lines = body.splitlines()
    wide = [line for line in lines if len(line) > WIDTH]
    assert [line.strip() for line in wide] == [long_id]
