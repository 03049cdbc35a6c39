"""SMTP under faults, in real ``execbrief send`` processes against a faulty aiosmtpd server: the
connection dropped after the message data is ``unknown`` (one copy, alerted, exit 1, resent only
with --resend-unknown); 421 and 451 before DATA are retried (one copy); 550 rejects."""

from __future__ import annotations

import email
from email import policy
from pathlib import Path
from typing import Any

import pytest

from kits.fault_smtp import FaultySmtp, SmtpFault, faulty_smtp, scripted
from kits.send_cli import OPERATOR, history, run_send, smtp_section, write_portfolio

PEOPLE = ("a@harbor.example", "b@harbor.example")


def server(*faults: SmtpFault) -> FaultySmtp:
    """Faults for the report deliveries; the operator's alert goes through untouched."""
    return FaultySmtp(scripted(faults), select=lambda address: address != OPERATOR)


def copies(handler: FaultySmtp, recipient: str) -> int:
    return sum(rcpts == [recipient] for rcpts, _ in handler.received())


def alerts(handler: FaultySmtp) -> list[str]:
    return [
        str(email.message_from_bytes(data, policy=policy.default).get_body())
        for rcpts, data in handler.received()
        if rcpts == [OPERATOR]
    ]


def actions(result: dict[str, Any]) -> dict[str, str]:
    return {d["recipient"]: d["action"] for d in result["run"]["deliveries"]}


def test_a_connection_lost_after_data_is_unknown_and_resent_only_when_asked(
    tmp_path: Path,
) -> None:
    handler = server(SmtpFault.DROP)
    with faulty_smtp(handler) as port:
        config = write_portfolio(tmp_path, "smtp", smtp_section(port), PEOPLE)
        code, result, _ = run_send(config)
        assert code == 1
        assert actions(result) == {"a@harbor.example": "unknown", "b@harbor.example": "sent"}
        assert copies(handler, "a@harbor.example") == 1  # queued; the reply never came
        row = history(config)["a@harbor.example"]
        assert row["status"] == "unknown" and "after the message data" in row["error"]
        assert result["run"]["alerts"] == [f"alerted {OPERATOR}"]
        assert "a@harbor.example: unknown" in alerts(handler)[0]

        code, result, _ = run_send(config)
        assert code == 1 and actions(result)["a@harbor.example"] == "unknown"
        assert copies(handler, "a@harbor.example") == 1

        code, result, _ = run_send(config, "--resend-unknown")
        assert code == 0 and actions(result)["a@harbor.example"] == "sent"
        assert copies(handler, "a@harbor.example") == 2
        assert copies(handler, "b@harbor.example") == 1


@pytest.mark.parametrize("fault", [SmtpFault.DEFER_421, SmtpFault.DEFER_451])
def test_a_deferral_before_data_is_retried_and_sends_one_copy(
    tmp_path: Path, fault: SmtpFault
) -> None:
    handler = server(fault, fault)
    with faulty_smtp(handler) as port:
        config = write_portfolio(tmp_path, "smtp", smtp_section(port), PEOPLE)
        code, result, _ = run_send(config)
    assert code == 0
    assert actions(result) == {"a@harbor.example": "sent", "b@harbor.example": "sent"}
    assert handler.faults() == [fault, fault, SmtpFault.ACCEPT, SmtpFault.ACCEPT]
    assert (copies(handler, "a@harbor.example"), copies(handler, "b@harbor.example")) == (1, 1)
    assert history(config)["a@harbor.example"]["attempts"] == 3
    assert alerts(handler) == []


def test_a_550_rejects_that_delivery_only(tmp_path: Path) -> None:
    handler = server(SmtpFault.REJECT_550)
    with faulty_smtp(handler) as port:
        config = write_portfolio(tmp_path, "smtp", smtp_section(port), PEOPLE)
        code, result, _ = run_send(config)
    assert code == 1
    assert actions(result) == {"a@harbor.example": "failed", "b@harbor.example": "sent"}
    assert handler.faults() == [SmtpFault.REJECT_550, SmtpFault.ACCEPT]  # not retried
    assert copies(handler, "a@harbor.example") == 0
    row = history(config)["a@harbor.example"]
    assert row["status"] == "failed" and "550 5.1.1" in row["error"]
    assert "a@harbor.example: failed" in alerts(handler)[0]
