"""Compose the email for one rendered report and one recipient.

text/plain UTF-8 by default (the most deliverable form); multipart/alternative with an HTML part
when one is given; attachments make it multipart/mixed. Date comes from the caller's clock and the
Message-ID is derived from the report, period, recipient and content, so the same inputs give the
same bytes. Bodies whose lines are longer than RFC 5322 allows (998 octets) or that are not ASCII
are sent quoted-printable, which keeps every line on the wire short.
"""

from __future__ import annotations

import hashlib
import mimetypes
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

from execbrief.errors import DeliveryError

MAX_LINE = 998
WIRE_POLICY = policy.SMTP


@dataclass(frozen=True)
class Attachment:
    """A file attached to a report email; with a ``content_id`` (``name@domain``, no angle
    brackets) it is an inline image the HTML part shows as ``<img src="cid:name@domain">``."""

    filename: str
    content: bytes
    media_type: str | None = None
    content_id: str | None = None


@dataclass(frozen=True)
class Rendered:
    """A report rendered for mailing: subject, text body, optional HTML body, attachments, and
    the inline images the HTML body refers to by Content-ID (sent only with the HTML part)."""

    subject: str
    text: str
    html: str | None = None
    attachments: tuple[Attachment, ...] = ()
    inline: tuple[Attachment, ...] = ()

    def content_sha256(self) -> str:
        """A digest of everything the recipient reads (not the headers that vary per send)."""
        digest = hashlib.sha256()
        for part in (self.subject, self.text, self.html or ""):
            digest.update(part.encode("utf-8"))
            digest.update(b"\0")
        for item in (*self.attachments, *self.inline):
            digest.update(item.filename.encode("utf-8") + b"\0" + item.content + b"\0")
        return digest.hexdigest()


class MessageTooLarge(DeliveryError):
    """The message is bigger than the transport allows."""


def message_id(
    report: str,
    period: str,
    recipient: str,
    content_sha256: str,
    sender: str,
    generation: str = "",
) -> str:
    """A Message-ID derived from the delivery and its content: ``<hash.report.period@domain>``.

    ``generation`` tells sends of the same content apart: the send run, so a retry within one run
    keeps its Message-ID (receivers may drop the repeat) while a forced or ``--resend-unknown``
    resend, always a later run, is a new message with a new one.
    """
    domain = sender.rsplit("@", 1)[-1].strip(">") or "localhost"
    seed = "\0".join((report, period, recipient.lower(), content_sha256, generation))
    token = hashlib.sha256(seed.encode("utf-8")).hexdigest()[:24]
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in f"{report}.{period}")
    return f"<{token}.{safe}@{domain}>"


def compose(
    rendered: Rendered,
    *,
    sender: str,
    recipient: str,
    date: datetime,
    report: str,
    period: str,
    sender_name: str | None = None,
    headers: Iterable[tuple[str, str]] = (),
    generation: str = "",
) -> EmailMessage:
    """The email for one recipient: From, To, Subject, Date, Message-ID and the body parts."""
    message = EmailMessage(policy=policy.default)
    message["From"] = (
        Address(display_name=sender_name or "", addr_spec=sender) if sender_name else sender
    )
    message["To"] = recipient
    message["Subject"] = rendered.subject
    message["Date"] = format_datetime(date if date.tzinfo else date.astimezone())
    message["Message-ID"] = message_id(
        report, period, recipient, rendered.content_sha256(), sender, generation
    )
    message["MIME-Version"] = "1.0"
    for name, value in headers:
        message[name] = value
    message.set_content(
        rendered.text, subtype="plain", charset="utf-8", cte=_transfer_encoding(rendered.text)
    )
    if rendered.html is not None:
        message.add_alternative(
            rendered.html, subtype="html", charset="utf-8", cte=_transfer_encoding(rendered.html)
        )
        if rendered.inline:
            _add_inline(message, rendered.inline)
    for item in rendered.attachments:
        maintype, subtype = _media(item)
        message.add_attachment(
            item.content,
            maintype=maintype,
            subtype=subtype,
            filename=item.filename,
            # a rendered report is UTF-8 text; say so, so that readers decode it right
            params={"charset": "utf-8"} if maintype == "text" else None,
        )
    return message


def _media(item: Attachment) -> tuple[str, str]:
    media = item.media_type or mimetypes.guess_type(item.filename)[0] or "application/octet-stream"
    maintype, _, subtype = media.partition("/")
    return maintype, subtype or "octet-stream"


def _add_inline(message: EmailMessage, inline: tuple[Attachment, ...]) -> None:
    """Make the HTML part multipart/related with each inline image after it, by Content-ID."""
    html_part = message.get_body(("html",))
    if not isinstance(html_part, EmailMessage):
        raise DeliveryError("inline images need an HTML part to show them")
    for item in inline:
        maintype, subtype = _media(item)
        html_part.add_related(
            item.content,
            maintype=maintype,
            subtype=subtype,
            cid=f"<{item.content_id}>",
            disposition="inline",
            filename=item.filename,
        )


def _transfer_encoding(text: str) -> str:
    """7bit for short-lined ASCII, quoted-printable otherwise (UTF-8 or a line over 998 octets)."""
    if text.isascii() and all(len(line) <= MAX_LINE for line in text.splitlines()):
        return "7bit"
    return "quoted-printable"


def to_bytes(message: EmailMessage) -> bytes:
    """The message as it goes on the wire: CRLF line ends, RFC 5322."""
    return message.as_bytes(policy=WIRE_POLICY)


def check_message(message: EmailMessage, max_bytes: int | None) -> int:
    """Check line lengths and size against ``max_bytes``; return the size in bytes.

    Raises ``MessageTooLarge`` when the message is over the limit and ``DeliveryError`` when a
    line is longer than RFC 5322 allows (a bug upstream: the body encodings prevent it).
    """
    data = to_bytes(message)
    for number, line in enumerate(data.split(b"\r\n"), start=1):
        if len(line) > MAX_LINE:
            raise DeliveryError(
                f"line {number} of the message to {message['To']} is {len(line)} octets; RFC 5322 allows {MAX_LINE}"
            )
    if max_bytes is not None and len(data) > max_bytes:
        raise MessageTooLarge(
            f"the message to {message['To']} is {len(data):,} bytes; the transport allows {max_bytes:,}"
            " (drop attachments or the HTML part)"
        )
    return len(data)
