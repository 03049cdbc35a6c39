"""Composing messages and writing them to the outbox."""

from __future__ import annotations

import email
from datetime import UTC, datetime
from email import policy
from pathlib import Path

import pytest

from execbrief.delivery.message import (
    Attachment,
    MessageTooLarge,
    Rendered,
    check_message,
    compose,
    to_bytes,
)
from execbrief.transports.outbox import OutboxTransport

WHEN = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def make(rendered: Rendered, recipient: str = "ceo@harbor.example") -> email.message.EmailMessage:
    return compose(
        rendered,
        sender="reports@harbor.example",
        recipient=recipient,
        date=WHEN,
        report="ceo",
        period="2026-11",
    )


def test_plain_text_message_headers_are_deterministic() -> None:
    one = make(Rendered("CEO report", "Burn: $7,500/mo\n"))
    two = make(Rendered("CEO report", "Burn: $7,500/mo\n"))
    assert to_bytes(one) == to_bytes(two)
    assert one["Date"] == "Fri, 20 Nov 2026 08:00:00 +0000"
    assert one["Message-ID"].endswith(".ceo.2026-11@harbor.example>")
    assert one.get_content_type() == "text/plain"
    assert one["Content-Transfer-Encoding"] == "7bit"
    other = make(Rendered("CEO report", "Burn: $7,500/mo\n"), recipient="cfo@harbor.example")
    assert other["Message-ID"] != one["Message-ID"]


def test_long_and_unicode_lines_go_quoted_printable_within_998() -> None:
    text = "Runway – " + "x" * 3000 + "\n"
    message = make(Rendered("CEO", text))
    assert message["Content-Transfer-Encoding"] == "quoted-printable"
    assert max(len(line) for line in to_bytes(message).split(b"\r\n")) <= 998
    parsed = email.message_from_bytes(to_bytes(message), policy=policy.default)
    assert parsed.get_content().replace("\r\n", "\n") == text


def test_html_alternative_and_attachments() -> None:
    message = make(
        Rendered(
            "CEO",
            "plain\n",
            html="<p>html</p>\n",
            attachments=(Attachment("ceo.json", b'{"a": 1}'),),
        )
    )
    assert message.get_content_type() == "multipart/mixed"
    body = message.get_body(preferencelist=("plain",))
    assert body is not None and body.get_content() == "plain\n"
    html = message.get_body(preferencelist=("html",))
    assert html is not None and html.get_content() == "<p>html</p>\n"
    attachments = list(message.iter_attachments())
    assert [(a.get_filename(), a.get_content_type(), a.get_content()) for a in attachments] == [
        ("ceo.json", "application/json", b'{"a": 1}')
    ]


def test_size_is_checked_against_the_limit() -> None:
    message = make(Rendered("CEO", "a" * 5000 + "\n"))
    size = check_message(message, None)
    assert size > 5000
    with pytest.raises(MessageTooLarge, match=f"{size:,} bytes; the transport allows 1,000"):
        check_message(message, 1000)


def test_outbox_writes_parseable_eml_atomically(tmp_path: Path) -> None:
    outbox = OutboxTransport(tmp_path / "outbox")
    message = make(Rendered("CEO report — November", "Pipeline: empty\nÜbersicht\n"))
    result = outbox.send(message, tags={"report": "ceo", "period": "2026-11"})
    files = sorted((tmp_path / "outbox").iterdir())
    assert [f.name for f in files] == [
        f"20261120T080000-ceo-2026-11-ceo@harbor.example-{files[0].name[-12:-4]}.eml"
    ]
    parsed = email.message_from_bytes(files[0].read_bytes(), policy=policy.default)
    assert parsed["Message-ID"] == result.message_id == message["Message-ID"]
    assert parsed["Subject"] == "CEO report — November"
    assert parsed["To"] == "ceo@harbor.example"
    assert parsed.get_content().replace("\r\n", "\n") == "Pipeline: empty\nÜbersicht\n"
    # a forced resend of the same message gets a file of its own
    outbox.send(message, tags={"report": "ceo", "period": "2026-11"})
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == 2
    assert not list((tmp_path / "outbox").glob(".*tmp"))
    assert outbox.check()[0].ok


def test_outbox_that_cannot_be_written_halts(tmp_path: Path) -> None:
    from execbrief.errors import RunHalted

    blocker = tmp_path / "file"
    blocker.write_text("x")
    outbox = OutboxTransport(blocker / "outbox")
    assert not outbox.check()[0].ok
    with pytest.raises(RunHalted, match="cannot write to the outbox"):
        outbox.send(make(Rendered("CEO", "x\n")))
