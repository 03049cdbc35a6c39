"""SES under faults, through a real fault proxy in front of moto's server: a lost answer or a
5xx after the request went out is ``unknown`` (one copy, the operator alerted, exit 1, never
resent without --resend-unknown); throttling and refused connections are retried (one copy).
Real ``execbrief send`` processes where the CLI's behaviour is the point."""

from __future__ import annotations

import email
import io
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import (
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    HTTPClientError,
    ReadTimeoutError,
)

from execbrief.delivery.dispatch import dispatch
from execbrief.delivery.pacing import RetryPolicy
from execbrief.errors import DeliveryError, OutcomeUnknown, TransientDeliveryError
from execbrief.store.db import Store
from execbrief.transports.ses import classify
from kits.aws import sent_messages, ses_transport, verify
from kits.delivery import FakeTime, outgoing, real_guard
from kits.fault_proxy import Fault, FaultProxy, ProxiedRequest, is_send_email, scripted
from kits.send_cli import OPERATOR, history, run_send, ses_section, write_portfolio

PEOPLE = ("a@harbor.example", "b@harbor.example")


def reports_only(request: ProxiedRequest) -> bool:
    """Faults for the report deliveries; the operator's alert goes through untouched."""
    return is_send_email(request) and OPERATOR not in request.recipients()


def copies(recipient: str) -> int:
    """How many messages to ``recipient`` moto's SES accepted."""
    return sum(
        email.message_from_string(m.raw_data)["To"] == recipient for m in sent_messages("us-east-1")
    )


def alert_bodies() -> list[str]:
    return [
        m.raw_data for m in sent_messages("us-east-1") if OPERATOR in m.raw_data.split("\n\n")[0]
    ]


def actions(result: dict[str, Any]) -> dict[str, str]:
    return {d["recipient"]: d["action"] for d in result["run"]["deliveries"]}


@pytest.mark.parametrize("fault", [Fault.DROP, Fault.ERROR_500])
def test_a_lost_answer_is_unknown_alerted_and_resent_only_when_asked(
    moto_url: str, tmp_path: Path, fault: Fault
) -> None:
    verify(moto_url, "harbor.example", "us-east-1")
    with FaultProxy(moto_url, scripted([fault]), select=reports_only) as proxy:
        config = write_portfolio(tmp_path, "ses", ses_section(proxy.url), PEOPLE)
        # botocore's own retries stay off whatever the environment says
        code, result, _ = run_send(config, env={"AWS_MAX_ATTEMPTS": "5"})
        assert code == 1
        assert actions(result) == {"a@harbor.example": "unknown", "b@harbor.example": "sent"}
        assert proxy.faults() == [fault, Fault.FORWARD]  # one call each: nobody retried
        assert copies("a@harbor.example") == 1  # SES took it; the answer was lost
        rows = history(config)
        assert rows["a@harbor.example"]["status"] == "unknown"
        assert "may have been sent" in rows["a@harbor.example"]["error"]
        assert result["run"]["alerts"] == [f"alerted {OPERATOR}"]
        [alert] = alert_bodies()
        assert "a@harbor.example: unknown" in alert

        code, result, _ = run_send(config)  # the next run does not resend it, and says so
        assert code == 1
        assert actions(result) == {"a@harbor.example": "unknown", "b@harbor.example": "skipped"}
        assert copies("a@harbor.example") == 1 and len(alert_bodies()) == 2

        code, result, _ = run_send(config, "--resend-unknown")  # the operator decides
        assert code == 0
        assert actions(result) == {"a@harbor.example": "sent", "b@harbor.example": "skipped"}
        assert copies("a@harbor.example") == 2 and copies("b@harbor.example") == 1
        assert history(config)["a@harbor.example"]["status"] == "sent"


@pytest.mark.parametrize("code_name", ["TooManyRequestsException", "Throttling"])
def test_throttling_is_retried_and_sends_one_copy(
    moto_url: str, tmp_path: Path, code_name: str
) -> None:
    verify(moto_url, "harbor.example", "us-east-1")
    plan = scripted([Fault.THROTTLE, Fault.THROTTLE])
    with FaultProxy(moto_url, plan, select=reports_only, throttle_code=code_name) as proxy:
        config = write_portfolio(tmp_path, "ses", ses_section(proxy.url), PEOPLE)
        code, result, _ = run_send(config)
        assert code == 0
        assert actions(result) == {"a@harbor.example": "sent", "b@harbor.example": "sent"}
        assert proxy.faults() == [Fault.THROTTLE, Fault.THROTTLE, Fault.FORWARD, Fault.FORWARD]
    assert (copies("a@harbor.example"), copies("b@harbor.example")) == (1, 1)
    rows = history(config)
    assert rows["a@harbor.example"]["status"] == "sent"
    assert rows["a@harbor.example"]["attempts"] == 3
    assert alert_bodies() == []


def dispatch_through(
    transport: Any, tmp_path: Path, clock: FakeTime
) -> tuple[list[str], dict[str, Any]]:
    with Store(tmp_path / "store.db", clock=clock.now) as store:
        result = dispatch(
            [outgoing(recipients=PEOPLE)],
            period="2026-11",
            store=store,
            transport=transport,
            sender="reports@harbor.example",
            operator=None,
            timing=clock.timing(),
            alert_stream=io.StringIO(),
            retry=RetryPolicy(attempts=4, base=1.0, cap=8.0),
            guard=real_guard(),
        )
        rows = {row.recipient: row for row in store.deliveries()}
    return [o.status for o in result.outcomes], rows


def test_a_refused_connection_is_retried_and_sends_one_copy(moto_url: str, tmp_path: Path) -> None:
    verify(moto_url, "harbor.example", "us-east-1")
    with FaultProxy(moto_url) as proxy:
        transport = ses_transport(proxy.url, max_send_rate=50)
        proxy.refuse()  # nothing listens: the connection is refused before a byte is written

        class ComesBack(FakeTime):
            def sleep(self, seconds: float) -> None:
                super().sleep(seconds)
                if seconds > 0.1:  # a retry wait: the endpoint is back by the next attempt
                    proxy.listen()

        statuses, rows = dispatch_through(transport, tmp_path, ComesBack())
    assert statuses == ["sent", "sent"]
    assert rows["a@harbor.example"].attempts == 2
    assert (copies("a@harbor.example"), copies("b@harbor.example")) == (1, 1)


def test_a_read_timeout_is_unknown_with_one_copy(moto_url: str, tmp_path: Path) -> None:
    verify(moto_url, "harbor.example", "us-east-1")
    with FaultProxy(moto_url, scripted([Fault.HANG]), hang_seconds=2.5) as proxy:
        transport = ses_transport(proxy.url, max_send_rate=50, read_timeout=1)
        statuses, rows = dispatch_through(transport, tmp_path, FakeTime())
        assert proxy.faults() == [Fault.HANG, Fault.FORWARD]
    assert statuses == ["unknown", "sent"]
    assert "ReadTimeoutError" in (rows["a@harbor.example"].error or "")
    assert (copies("a@harbor.example"), copies("b@harbor.example")) == (1, 1)


URL = "https://email.us-east-1.amazonaws.com/v2/email/outbound-emails"


@pytest.mark.parametrize(
    ("error", "written", "expected"),
    [
        (EndpointConnectionError(endpoint_url=URL), True, TransientDeliveryError),
        (ConnectTimeoutError(endpoint_url=URL), True, TransientDeliveryError),
        (ConnectionClosedError(endpoint_url=URL), True, OutcomeUnknown),
        (ReadTimeoutError(endpoint_url=URL), True, OutcomeUnknown),
        (HTTPClientError(error=ConnectionResetError(104, "reset")), True, OutcomeUnknown),
        (ConnectionResetError(104, "reset"), True, OutcomeUnknown),
        (ConnectionResetError(104, "reset"), False, DeliveryError),
    ],
)
def test_errors_without_an_answer(
    error: Exception, written: bool, expected: type[DeliveryError]
) -> None:
    assert type(classify(error, written=written)) is expected
