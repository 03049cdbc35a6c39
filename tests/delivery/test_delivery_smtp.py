"""The SMTP transport against aiosmtpd on loopback: STARTTLS and implicit TLS (trustme certs), AUTH."""

from __future__ import annotations

import email
import io
import socket
import ssl
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import policy
from pathlib import Path
from typing import Any

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from execbrief.delivery.dispatch import dispatch
from execbrief.delivery.message import Rendered, compose
from execbrief.delivery.pacing import RetryPolicy
from execbrief.errors import RecipientRejected, RunHalted, TransientDeliveryError
from execbrief.store.db import Store
from execbrief.transports.smtp import SmtpOptions, SmtpTransport
from kits.delivery import FakeTime, outgoing, real_guard

ENV = {"SMTP_USER": "harbor", "SMTP_PASS": "s3cret-pass"}


@dataclass
class Handler:
    """Keeps messages; rejects bad@ (550) and defers busy@ (451)."""

    messages: list[tuple[str, list[str], bytes]] = field(default_factory=list)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if address.startswith("bad@"):
            return "550 5.1.1 <bad@harbor.example>: user unknown"
        if address.startswith("busy@"):
            return "451 4.3.0 mailbox busy, try later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(
            (envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content)
        )
        if envelope.rcpt_tos == ["drop@harbor.example"]:
            server.transport.close()  # queued, then the connection dies before the reply
        return f"250 2.0.0 Ok: queued as Q{len(self.messages)}"


def authenticator(
    server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        b"harbor",
        b"s3cret-pass",
    )
    return AuthResult(success=ok, handled=False)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory) -> tuple[ssl.SSLContext, Path]:
    ca = trustme.CA()
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(server_context)
    ca_file = tmp_path_factory.mktemp("ca") / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    return server_context, ca_file


@pytest.fixture
def starttls_server(certs: tuple[ssl.SSLContext, Path]) -> Iterator[tuple[Handler, int]]:
    handler = Handler()
    controller = Controller(
        handler,
        hostname="127.0.0.1",
        port=free_port(),
        tls_context=certs[0],
        require_starttls=True,
        authenticator=authenticator,
        auth_required=True,
        auth_require_tls=True,
    )
    controller.start()
    yield handler, controller.port
    controller.stop()


def transport(port: int, ca_file: Path, **options: Any) -> SmtpTransport:
    settings = {
        "host": "127.0.0.1",
        "port": port,
        "username_env": "SMTP_USER",
        "password_env": "SMTP_PASS",
        "timeout": 5,
        **options,
    }
    return SmtpTransport(SmtpOptions(**settings), "reports@harbor.example", ENV, ca_file)


def message(recipient: str) -> email.message.EmailMessage:
    from datetime import UTC, datetime

    return compose(
        Rendered("CEO report", "Cash: $12,000\n"),
        sender="reports@harbor.example",
        recipient=recipient,
        date=datetime(2026, 11, 20, tzinfo=UTC),
        report="ceo",
        period="2026-11",
    )


def test_check_walks_connect_ehlo_starttls_login(
    starttls_server: tuple[Handler, int], certs: tuple[ssl.SSLContext, Path]
) -> None:
    _, port = starttls_server
    items = transport(port, certs[1]).check()
    assert [(i.name, i.ok) for i in items] == [
        ("smtp connect", True),
        ("smtp ehlo", True),
        ("smtp starttls", True),
        ("smtp login", True),
    ]
    assert items[3].detail == "logged in as harbor"


def test_wrong_password_halts_and_never_shows_it(
    starttls_server: tuple[Handler, int], certs: tuple[ssl.SSLContext, Path]
) -> None:
    _, port = starttls_server
    bad = SmtpTransport(
        SmtpOptions(host="127.0.0.1", port=port, username_env="U", password_env="P", timeout=5),
        "reports@harbor.example",
        {"U": "harbor", "P": "wrong-password-123"},
        certs[1],
    )
    items = bad.check()
    assert items[-1].ok is False and "refused the login of harbor (535" in items[-1].detail
    with pytest.raises(RunHalted) as caught:
        bad.send(message("a@harbor.example"))
    assert "wrong-password-123" not in str(caught.value)


def test_untrusted_certificate_halts(starttls_server: tuple[Handler, int]) -> None:
    _, port = starttls_server
    with pytest.raises(RunHalted, match=r"TLS with 127.0.0.1:.* failed"):
        transport(port, None).send(message("a@harbor.example"))  # type: ignore[arg-type]


def test_missing_credential_variable_halts() -> None:
    with pytest.raises(RunHalted, match=r"SMTP_PASS .* is not set"):
        SmtpTransport(
            SmtpOptions(username_env="SMTP_USER", password_env="SMTP_PASS"),
            "r@x.example",
            {"SMTP_USER": "u"},
        )


def test_send_records_the_reply_and_maps_refusals(
    starttls_server: tuple[Handler, int], certs: tuple[ssl.SSLContext, Path]
) -> None:
    handler, port = starttls_server
    smtp = transport(port, certs[1])
    result = smtp.send(message("a@harbor.example"))
    assert result.response == "250 2.0.0 Ok: queued as Q1"
    assert result.message_id.endswith("@harbor.example>")
    mail_from, rcpts, data = handler.messages[0]
    assert (mail_from, rcpts) == ("reports@harbor.example", ["a@harbor.example"])
    parsed = email.message_from_bytes(data, policy=policy.default)
    assert (
        parsed["Message-ID"] == result.message_id
        and parsed.get_content().replace("\r\n", "\n") == "Cash: $12,000\n"
    )
    with pytest.raises(RecipientRejected, match=r"550 5\.1\.1"):
        smtp.send(message("bad@harbor.example"))
    with pytest.raises(TransientDeliveryError, match=r"451 4\.3\.0"):
        smtp.send(message("busy@harbor.example"))
    # the connection is still usable after refusals
    assert smtp.send(message("c@harbor.example")).response == "250 2.0.0 Ok: queued as Q2"
    smtp.close()


def test_dispatch_over_smtp_with_a_rejected_recipient(
    starttls_server: tuple[Handler, int], certs: tuple[ssl.SSLContext, Path], tmp_path: Path
) -> None:
    handler, port = starttls_server
    clock = FakeTime()
    with Store(tmp_path / "s.db", clock=clock.now) as store, transport(port, certs[1]) as smtp:
        result = dispatch(
            [outgoing(recipients=("a@harbor.example", "bad@harbor.example", "b@harbor.example"))],
            period="2026-11",
            store=store,
            transport=smtp,
            sender="reports@harbor.example",
            operator="ops@harbor.example",
            timing=clock.timing(),
            alert_stream=io.StringIO(),
            retry=RetryPolicy(attempts=2),
            guard=real_guard(),
        )
    assert [o.status for o in result.outcomes] == ["sent", "failed", "sent"]
    # two reports plus the operator alert
    assert [rcpts for _, rcpts, _ in handler.messages] == [
        ["a@harbor.example"],
        ["b@harbor.example"],
        ["ops@harbor.example"],
    ]


def test_implicit_tls(certs: tuple[ssl.SSLContext, Path]) -> None:
    handler = Handler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port(), ssl_context=certs[0])
    controller.start()
    try:
        smtp = SmtpTransport(
            SmtpOptions(host="127.0.0.1", port=controller.port, security="tls", timeout=5),
            "reports@harbor.example",
            {},
            certs[1],
        )
        assert [i.name for i in smtp.check()] == ["smtp connect", "smtp ehlo", "smtp login"]
        assert smtp.send(message("a@harbor.example")).response == "250 2.0.0 Ok: queued as Q1"
        smtp.close()
    finally:
        controller.stop()


def test_server_down_is_transient() -> None:
    smtp = SmtpTransport(
        SmtpOptions(host="127.0.0.1", port=free_port(), security="none", timeout=2),
        "r@x.example",
        {},
    )
    with pytest.raises(TransientDeliveryError, match=r"cannot talk to 127\.0\.0\.1"):
        smtp.send(message("a@harbor.example"))
    assert smtp.check()[-1].ok is False


def test_connection_lost_after_data_is_unknown(
    starttls_server: tuple[Handler, int], certs: tuple[ssl.SSLContext, Path]
) -> None:
    from execbrief.errors import OutcomeUnknown

    handler, port = starttls_server
    smtp = transport(port, certs[1])
    with pytest.raises(OutcomeUnknown, match="may have been accepted"):
        smtp.send(message("drop@harbor.example"))
    assert [rcpts for _, rcpts, _ in handler.messages] == [["drop@harbor.example"]]
    # the next send reconnects
    assert smtp.send(message("a@harbor.example")).response == "250 2.0.0 Ok: queued as Q2"
    smtp.close()
