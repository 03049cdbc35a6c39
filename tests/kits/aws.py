"""Helpers of the AWS tests: a moto-backed SES transport and botocore fault injection."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
from botocore.awsrequest import AWSResponse

from execbrief.transports.ses import SesOptions, SesTransport

SENDER = "reports@harbor.example"
ACCOUNT = "123456789012"


class _Raw:
    def __init__(self, body: bytes) -> None:
        self.body = body

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self.body


def response(url: str, status: int, body: dict[str, Any], code: str | None = None) -> AWSResponse:
    """A canned HTTP answer, as if the server had sent it."""
    headers = {"Content-Type": "application/json"}
    if code:
        headers["x-amzn-ErrorType"] = code
    return AWSResponse(url, status, headers, _Raw(json.dumps(body).encode()))


def inject(
    client: Any, operation: str, answers: list[tuple[int, str | None, dict[str, Any]] | None]
) -> list[str]:
    """Answer the next calls of ``operation`` with ``answers`` (None: let the real call through).

    Uses botocore's ``before-send`` event, so the client's own parsing and error handling run.
    Returns a list that records each call ("fault" or "real").
    """
    calls: list[str] = []

    def handler(request: Any, **_: Any) -> AWSResponse | None:
        if answers:
            answer = answers.pop(0)
            if answer is not None:
                calls.append("fault")
                status, code, body = answer
                return response(request.url, status, body, code)
        calls.append("real")
        return None

    client.meta.events.register(f"before-send.sesv2.{operation}", handler)
    return calls


THROTTLED = (429, "TooManyRequestsException", {"message": "Maximum sending rate exceeded."})
THROTTLED_400 = (400, "Throttling", {"message": "Maximum sending rate exceeded."})
UNAVAILABLE = (503, "ServiceUnavailable", {"message": "Service Unavailable"})
QUOTA = (400, "LimitExceededException", {"message": "Daily message quota exceeded."})


def account(
    max_rate: float = 14.0, production: bool = True, sent: float = 3.0
) -> tuple[int, None, dict[str, Any]]:
    """A GetAccount answer (moto does not implement GetAccount)."""
    return (
        200,
        None,
        {
            "ProductionAccessEnabled": production,
            "SendingEnabled": True,
            "SendQuota": {
                "Max24HourSend": 50000.0,
                "MaxSendRate": max_rate,
                "SentLast24Hours": sent,
            },
        },
    )


def ses_transport(url: str, region: str = "us-east-1", **options: Any) -> SesTransport:
    """An SES transport talking to the moto server."""
    session = boto3.session.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name=region
    )
    return SesTransport(SesOptions(endpoint_url=url, **options), region, SENDER, session=session)


def verify(url: str, identity: str, region: str) -> None:
    """Verify an identity in moto."""
    client = boto3.client(
        "sesv2",
        region_name=region,
        endpoint_url=url,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    client.create_email_identity(EmailIdentity=identity)


def sent_messages(region: str) -> list[Any]:
    """The raw messages moto's SES backend accepted in ``region``."""
    from moto.backends import get_backend

    return list(get_backend("ses")[ACCOUNT][region].sent_messages)
