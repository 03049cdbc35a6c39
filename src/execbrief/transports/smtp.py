"""The ``smtp`` transport: smtplib with STARTTLS or implicit TLS, login from the environment.

The user name and password are read from environment variables whose *names* are configured
(``username_env``, ``password_env``), so portfolio.toml never holds a credential. The server's
reply to DATA (``250 2.0.0 Ok: queued as ...``) is recorded as the response; the Message-ID
header is the message id.

Failures are *not sent* (the server did not take the message: retried, refused or halting) or
*maybe sent* (``OutcomeUnknown``: never retried, the delivery becomes ``unknown``)::

    not sent  cannot connect (refused, timeout, DNS), 4xx greeting, lost before DATA's 354  retried
              4xx to MAIL, RCPT or DATA, or to the message data (421, 450, 451, 452)     retried
              5xx to RCPT, DATA or the message data (550, 552, 554)            RecipientRejected
              5xx to MAIL (sender refused), login refused, TLS failure, no STARTTLS    RunHalted
    maybe     connection lost, timeout or an unreadable reply after the message data
    sent      began to go out (after the 354), before the server's verdict        OutcomeUnknown
"""

from __future__ import annotations

import contextlib
import re
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import parseaddr
from pathlib import Path
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, Field

from execbrief.config import Model
from execbrief.delivery.message import to_bytes
from execbrief.errors import (
    DeliveryError,
    OutcomeUnknown,
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

DEFAULT_PORTS = {"starttls": 587, "tls": 465, "none": 25}


class SmtpOptions(Model):
    """``[delivery.smtp]``: the server, its security, and the names of the credential variables."""

    host: str = "localhost"
    port: int | None = Field(
        default=None, ge=1, le=65535, description="default 587, 465 (tls) or 25 (none)"
    )
    security: Literal["starttls", "tls", "none"] = "starttls"
    username_env: str | None = Field(
        default=None, description="environment variable holding the user name"
    )
    password_env: str | None = Field(
        default=None, description="environment variable holding the password"
    )
    timeout: float = Field(default=30, gt=0)
    ca_file: str | None = Field(
        default=None, description="CA bundle to trust (default: the system's)"
    )
    max_send_rate: float | None = Field(default=None, gt=0)
    max_message_bytes: int | None = Field(default=None, gt=0)


def _reply(code: int, text: bytes | str) -> str:
    message = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return f"{code} {' '.join(message.split())}"


class SmtpTransport(BaseTransport):
    """One SMTP connection, opened on first use and kept for the run."""

    name: ClassVar[str] = "smtp"

    def __init__(
        self,
        options: SmtpOptions,
        sender: str,
        environ: dict[str, str],
        ca_file: Path | None = None,
    ) -> None:
        self.options = options
        self.sender = parseaddr(sender)[1] or sender
        self.port = options.port or DEFAULT_PORTS[options.security]
        self.ca_file = ca_file
        self.username, self.password = self._credentials(environ)
        self.connection: smtplib.SMTP | None = None

    def _credentials(self, environ: dict[str, str]) -> tuple[str | None, str | None]:
        names = (self.options.username_env, self.options.password_env)
        if not any(names):
            return None, None
        if not all(names):
            raise RunHalted("[delivery.smtp] needs both username_env and password_env, or neither")
        values = []
        for name in names:
            assert name is not None
            value = environ.get(name)
            if not value:
                raise RunHalted(
                    f"the environment variable {name} (named in [delivery.smtp]) is not set"
                )
            values.append(value)
        return values[0], values[1]

    def _context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.ca_file) if self.ca_file else None)

    def _open(self, steps: list[CheckItem] | None = None) -> smtplib.SMTP:
        where = f"{self.options.host}:{self.port}"
        note = steps.append if steps is not None else (lambda item: None)
        connection: smtplib.SMTP
        if self.options.security == "tls":
            connection = smtplib.SMTP_SSL(
                self.options.host, self.port, timeout=self.options.timeout, context=self._context()
            )
            note(CheckItem("smtp connect", True, f"connected to {where} over TLS"))
        else:
            connection = smtplib.SMTP(self.options.host, self.port, timeout=self.options.timeout)
            note(CheckItem("smtp connect", True, f"connected to {where}"))
        try:
            code, reply = connection.ehlo()
            if code != 250:
                raise smtplib.SMTPHeloError(code, reply)
            note(
                CheckItem(
                    "smtp ehlo",
                    True,
                    f"{code}; extensions: {', '.join(sorted(connection.esmtp_features)) or 'none'}",
                )
            )
            if self.options.security == "starttls":
                connection.starttls(context=self._context())
                connection.ehlo()
                sock = connection.sock
                version = sock.version() if isinstance(sock, ssl.SSLSocket) else "?"
                note(CheckItem("smtp starttls", True, f"TLS ({version}) started"))
            if self.username is not None and self.password is not None:
                connection.login(self.username, self.password)
                note(CheckItem("smtp login", True, f"logged in as {self.username}"))
            elif steps is not None:
                note(CheckItem("smtp login", True, "no login configured"))
        except BaseException:
            connection.close()
            raise
        return connection

    def _connection(self) -> smtplib.SMTP:
        if self.connection is None:
            try:
                self.connection = self._open()
            except Exception as exc:
                raise self._classify(exc) from None
        return self.connection

    def send(self, message: EmailMessage, *, tags: dict[str, str] | None = None) -> SendResult:
        """MAIL, RCPT for each recipient, DATA; the reply to the message data is recorded.

        Anything that fails before the server's 354 (go ahead) leaves nothing sent; once the
        message data is on its way, a lost connection or a timeout is ``OutcomeUnknown``.
        """
        recipients = [
            parseaddr(str(value))[1]
            for key in ("To", "Cc", "Bcc")
            for value in message.get_all(key, [])
        ]
        data = to_bytes(message)
        connection = self._connection()
        try:
            self._envelope(connection, recipients, len(data))
            code, reply = self._data(connection, data)
        except Exception as exc:
            raise self._classify(exc) from None
        return SendResult(message_id=str(message["Message-ID"]), response=_reply(code, reply))

    def _envelope(self, connection: smtplib.SMTP, recipients: list[str], size: int) -> None:
        """MAIL FROM and RCPT TO; a refusal raises smtplib's error (nothing was sent)."""
        options = [f"SIZE={size}"] if connection.has_extn("size") else []
        code, reply = connection.mail(self.sender, options)
        if code != 250:
            self._reset(connection)
            raise smtplib.SMTPSenderRefused(code, reply, self.sender)
        refused: dict[str, tuple[int, bytes]] = {}
        for recipient in recipients:
            code, reply = connection.rcpt(recipient)
            if code not in (250, 251):
                refused[recipient] = (code, reply)
        if refused and len(refused) == len(recipients):
            self._reset(connection)
            raise smtplib.SMTPRecipientsRefused(refused)

    def _data(self, connection: smtplib.SMTP, data: bytes) -> tuple[int, bytes]:
        """DATA, the message, the server's verdict (smtplib's ``data``, split where it matters:
        before the 354 nothing was sent; after it the message may have been queued)."""
        code, reply = connection.docmd("DATA")
        if code != 354:
            self._reset(connection)
            raise smtplib.SMTPDataError(code, reply)
        body = re.sub(rb"(?m)^\.", b"..", data)
        if not body.endswith(b"\r\n"):
            body += b"\r\n"
        try:
            connection.send(body + b".\r\n")
            code, reply = connection.getreply()
        except Exception as exc:
            # The message went out and the server's verdict did not come back (a lost
            # connection, a timeout, a garbled reply): it may have queued it (RFC 1047).
            self._drop()
            raise OutcomeUnknown(
                f"{self.options.host}:{self.port} lost the connection after the message data,"
                f" before its reply ({type(exc).__name__}: {exc}); the message may have been"
                " accepted, so it is not resent (`execbrief send --resend-unknown` sends it again)"
            ) from None
        if code != 250:
            self._reset(connection)
            raise smtplib.SMTPDataError(code, reply)
        return code, reply

    def _reset(self, connection: smtplib.SMTP) -> None:
        """RSET after a refusal; a connection that is gone by then is dropped, not an error."""
        try:
            connection.rset()
        except (smtplib.SMTPException, OSError):
            self._drop()

    def _classify(self, exc: Exception) -> DeliveryError:
        where = f"{self.options.host}:{self.port}"
        if isinstance(exc, DeliveryError):
            return exc
        if isinstance(exc, smtplib.SMTPAuthenticationError):
            return RunHalted(
                f"{where} refused the login of {self.username} ({_reply(exc.smtp_code, exc.smtp_error)})"
            )
        if isinstance(exc, smtplib.SMTPNotSupportedError):
            return RunHalted(f"{where}: {exc}; check [delivery.smtp] security")
        if isinstance(exc, ssl.SSLError | ssl.CertificateError):
            self._drop()
            return RunHalted(f"TLS with {where} failed ({exc}); check the host name and ca_file")
        if isinstance(exc, smtplib.SMTPResponseException) and exc.smtp_code == 421:
            self._drop()  # 421: the server is closing the connection
        if isinstance(exc, smtplib.SMTPSenderRefused):
            text = f"{where} refused the sender {self.sender} ({_reply(exc.smtp_code, exc.smtp_error)})"
            return TransientDeliveryError(text) if 400 <= exc.smtp_code < 500 else RunHalted(text)
        if isinstance(exc, smtplib.SMTPRecipientsRefused):
            codes = [code for code, _ in exc.recipients.values()]
            text = "; ".join(
                f"{rcpt}: {_reply(code, reply)}" for rcpt, (code, reply) in exc.recipients.items()
            )
            if all(400 <= code < 500 for code in codes):
                return TransientDeliveryError(f"{where} deferred the recipient ({text})")
            return RecipientRejected(f"{where} rejected the recipient ({text})")
        if isinstance(exc, smtplib.SMTPResponseException):
            text = f"{where} answered {_reply(exc.smtp_code, exc.smtp_error)}"
            if 400 <= exc.smtp_code < 500:
                return TransientDeliveryError(text)
            return RecipientRejected(text)
        if isinstance(exc, smtplib.SMTPServerDisconnected | OSError):
            self._drop()
            return TransientDeliveryError(f"cannot talk to {where} ({type(exc).__name__}: {exc})")
        return DeliveryError(f"SMTP with {where} failed ({type(exc).__name__}: {exc})")

    def _drop(self) -> None:
        if self.connection is not None:
            try:
                self.connection.close()
            finally:
                self.connection = None

    def check(self) -> list[CheckItem]:
        """Connect, EHLO, STARTTLS and login, one item per step; the first failure ends it."""
        steps: list[CheckItem] = []
        try:
            connection = self._open(steps)
        except Exception as exc:
            steps.append(CheckItem("smtp", False, str(self._classify(exc))))
            return steps
        with contextlib.suppress(smtplib.SMTPException):
            connection.quit()
        return steps

    def limits(self) -> TransportLimits:
        """The configured limits (and the server's SIZE, once connected)."""
        size = self.options.max_message_bytes
        if size is None and self.connection is not None and self.connection.has_extn("size"):
            advertised = self.connection.esmtp_features.get("size", "")
            size = int(advertised) if advertised.isdigit() and int(advertised) > 0 else None
        return TransportLimits(max_message_bytes=size, max_send_rate=self.options.max_send_rate)

    def close(self) -> None:
        """QUIT and close."""
        if self.connection is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self.connection.quit()
            self._drop()


class SmtpFactory:
    """The ``smtp`` transport plugin."""

    name: ClassVar[str] = "smtp"
    Options: ClassVar[type[BaseModel]] = SmtpOptions

    def open(
        self, options: BaseModel, delivery: Any, root: Any, environ: dict[str, str]
    ) -> SmtpTransport:
        """An SMTP transport (the connection opens on first use)."""
        assert isinstance(options, SmtpOptions)
        ca_file = None
        if options.ca_file:
            ca_file = Path(options.ca_file).expanduser()
            if not ca_file.is_absolute():
                ca_file = Path(root) / ca_file
        return SmtpTransport(options, str(delivery.sender), environ, ca_file)


@hookimpl
def register_transports() -> list[TransportFactory]:
    """The SMTP transport."""
    return [SmtpFactory()]
