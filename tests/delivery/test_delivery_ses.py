"""The SES transport against moto's server over HTTP, with faults injected through botocore hooks."""

from __future__ import annotations

import email
import io
from email import policy
from pathlib import Path

import pytest
from botocore.exceptions import ClientError

from execbrief.delivery.dispatch import dispatch
from execbrief.delivery.pacing import RetryPolicy
from execbrief.errors import (
    OutcomeUnknown,
    QuotaExceeded,
    RecipientRejected,
    RunHalted,
    TransientDeliveryError,
)
from execbrief.store.db import Store
from execbrief.transports.ses import SesFactory, SesOptions, classify, mask, tag_value
from kits.aws import (
    QUOTA,
    THROTTLED,
    THROTTLED_400,
    account,
    inject,
    sent_messages,
    ses_transport,
    verify,
)
from kits.delivery import FakeTime, outgoing, real_guard

PEOPLE = ("a@harbor.example", "b@harbor.example", "c@harbor.example")


def send_all(tmp_path: Path, transport, items, clock: FakeTime | None = None):  # type: ignore[no-untyped-def]
    clock = clock or FakeTime()
    stream = io.StringIO()
    with Store(tmp_path / "s.db", clock=clock.now) as store:
        result = dispatch(
            items,
            period="2026-11",
            store=store,
            transport=transport,
            sender="reports@harbor.example",
            operator="ops@harbor.example",
            timing=clock.timing(),
            alert_stream=stream,
            retry=RetryPolicy(attempts=4, base=1.0, cap=8.0),
            guard=real_guard(),
        )
        rows = {row.recipient: row for row in store.deliveries()}
    return result, rows, stream.getvalue(), clock


def test_check_verified_sender_reports_quota_and_mode(moto_url: str) -> None:
    verify(moto_url, "harbor.example", "us-east-1")
    transport = ses_transport(moto_url)
    inject(transport.client, "GetAccount", [account(max_rate=14.0, production=False)])
    items = {item.name: item for item in transport.check()}
    assert (
        items["ses sender identity"].ok
        and items["ses sender identity"].detail == "harbor.example is verified in us-east-1"
    )
    assert (
        items["ses account"].detail
        == "sandbox (recipients must be verified too); quota 50000 per 24 h, 3 used, max 14/s"
    )
    assert transport.limits().max_send_rate == 14.0


def test_check_names_the_region_where_the_sender_is_verified(moto_url: str) -> None:
    verify(moto_url, "reports@harbor.example", "eu-west-1")
    transport = ses_transport(moto_url)
    item = next(i for i in transport.check() if i.name == "ses sender identity")
    assert not item.ok
    assert item.detail.startswith(
        "reports@harbor.example is not verified in us-east-1, but is verified in eu-west-1;"
    )
    assert 'region = "eu-west-1"' in item.detail


def test_check_says_when_only_the_domain_is_verified_elsewhere(moto_url: str) -> None:
    verify(moto_url, "harbor.example", "ap-northeast-1")
    verify(moto_url, "reports@harbor.example", "eu-west-1")
    transport = ses_transport(moto_url)
    item = next(i for i in transport.check() if i.name == "ses sender identity")
    assert not item.ok
    assert item.detail.startswith(
        "reports@harbor.example is not verified in us-east-1, but is verified in "
        "ap-northeast-1 (its domain harbor.example), eu-west-1;"
    )


def test_check_unverified_everywhere(moto_url: str) -> None:
    transport = ses_transport(moto_url)
    items = {item.name: item for item in transport.check()}
    assert not items["ses sender identity"].ok
    assert (
        "neither reports@harbor.example nor harbor.example is verified"
        in items["ses sender identity"].detail
    )
    # GetAccount is not served by moto: reported, not fatal, and the sandbox rate is assumed
    assert (
        items["ses account"].ok
        and "assuming the sandbox rate of 1/s" in items["ses account"].detail
    )
    # moto's 404 page is not quoted: the reader is told what it means
    assert "does not offer GetAccount (HTTP 404)" in items["ses account"].detail
    assert "<" not in items["ses account"].detail


def test_send_records_ses_message_ids_and_tags(moto_url: str, tmp_path: Path) -> None:
    verify(moto_url, "harbor.example", "us-east-1")
    transport = ses_transport(moto_url, max_send_rate=50)
    seen: list[dict] = []
    transport.client.meta.events.register(
        "provide-client-params.sesv2.SendEmail", lambda params, **_: seen.append(params)
    )
    result, rows, _, _ = send_all(
        tmp_path, transport, [outgoing(recipients=PEOPLE, text="Pipeline: empty\n")]
    )
    assert result.exit_code == 0
    stored = sent_messages("us-east-1")
    assert len(stored) == 3
    assert {m.id for m in stored} == {row.message_id for row in rows.values()}
    for message in stored:
        parsed = email.message_from_string(message.raw_data, policy=policy.default)
        assert parsed["Subject"] == "ceo report"
        assert parsed.get_content().replace("\r\n", "\n") == "Pipeline: empty\n"
        assert rows[parsed["To"]].message_id == message.id
    assert seen[0]["EmailTags"] == [
        {"Name": "execbrief-delivery", "Value": str(rows[PEOPLE[0]].id)},
        {"Name": "execbrief-period", "Value": "2026-11"},
        {"Name": "execbrief-report", "Value": "ceo"},
    ]
    assert rows[PEOPLE[0]].response is not None and rows[PEOPLE[0]].response.startswith(
        "accepted by SES us-east-1"
    )


def test_throttling_is_retried_by_our_backoff(moto_url: str, tmp_path: Path) -> None:
    verify(moto_url, "harbor.example", "us-east-1")
    transport = ses_transport(moto_url, max_send_rate=50)
    calls = inject(transport.client, "SendEmail", [THROTTLED, THROTTLED_400, None, THROTTLED])
    result, rows, _, clock = send_all(tmp_path, transport, [outgoing(recipients=PEOPLE[:2])])
    assert [o.status for o in result.outcomes] == ["sent", "sent"]
    assert calls == ["fault", "fault", "real", "fault", "real"]
    assert (rows[PEOPLE[0]].attempts, rows[PEOPLE[1]].attempts) == (3, 2)
    assert len(sent_messages("us-east-1")) == 2
    # backoff with random() = 0.5: 0.75 s, 1.5 s, then 0.75 s; the rate limiter adds short waits
    backoffs = [s for s in clock.sleeps if s > 0.1]
    assert backoffs == [0.75, 1.5, 0.75]


def test_daily_quota_defers_the_rest(moto_url: str, tmp_path: Path) -> None:
    verify(moto_url, "harbor.example", "us-east-1")
    transport = ses_transport(moto_url, max_send_rate=50)
    inject(transport.client, "SendEmail", [None, QUOTA, QUOTA])
    result, rows, stderr, _ = send_all(tmp_path, transport, [outgoing(recipients=PEOPLE)])
    assert [o.status for o in result.outcomes] == ["sent", "deferred", "deferred"]
    assert (
        rows[PEOPLE[1]].error
        == "deferred: SES LimitExceededException: Daily message quota exceeded."
    )
    assert result.exit_code == 1
    # the alert could not go through SES (quota), so it went to stderr
    assert "needs attention" in stderr


def test_unverified_sender_halts_the_run(moto_url: str, tmp_path: Path) -> None:
    transport = ses_transport(moto_url, max_send_rate=50)
    result, rows, stderr, _ = send_all(tmp_path, transport, [outgoing(recipients=PEOPLE)])
    assert [o.status for o in result.outcomes] == ["failed", "pending", "pending"]
    assert rows[PEOPLE[2]].error is not None and rows[PEOPLE[2]].error.startswith(
        "not attempted: halted: SES MessageRejected"
    )
    assert (
        result.halted is not None
        and "Did not have authority to send from email reports@harbor.example" in result.halted
    )
    assert "The run stopped" in stderr
    assert sent_messages("us-east-1") == []


def client_error(code: str, message: str, status: int = 400) -> ClientError:
    return ClientError(
        {
            "Error": {"Code": code, "Message": message},
            "ResponseMetadata": {"HTTPStatusCode": status},
        },
        "SendEmail",
    )


def test_error_mapping() -> None:
    sender = "reports@harbor.example"
    rejected = classify(
        client_error(
            "MessageRejected",
            "Email address is not verified. The following identities failed the check in region US-EAST-1: bad@x.example",
        ),
        sender,
    )
    assert isinstance(rejected, RecipientRejected)
    unverified = classify(
        client_error(
            "MessageRejected",
            "Email address is not verified. The following identities failed the check in region US-EAST-1: reports@harbor.example",
        ),
        sender,
    )
    assert isinstance(unverified, RunHalted)
    assert isinstance(
        classify(client_error("AccessDeniedException", "not authorized", 403), sender), RunHalted
    )
    assert isinstance(
        classify(client_error("InternalFailure", "oops", 500), sender), OutcomeUnknown
    )
    assert isinstance(
        classify(client_error("ServiceUnavailable", "busy", 503), sender), OutcomeUnknown
    )
    # an explicit throttling code means SES did not act on the call, whatever the status
    for code, status in [
        ("Throttling", 400),
        ("TooManyRequestsException", 429),
        ("Throttling", 503),
    ]:
        assert isinstance(
            classify(client_error(code, "slow down", status), sender), TransientDeliveryError
        )
    assert isinstance(
        classify(client_error("RequestTimeout", "read the request too slowly", 400), sender),
        TransientDeliveryError,
    )
    assert isinstance(
        classify(client_error("Throttling", "Daily message quota exceeded.", 400), sender),
        QuotaExceeded,
    )
    masked = classify(
        client_error(
            "UnrecognizedClientException", "The security token AKIAABCDEFGHIJKLMNOP is invalid", 403
        ),
        sender,
    )
    assert "AKIAABCDEFGHIJKLMNOP" not in str(masked) and "AKIA****" in str(masked)
    assert mask("id ASIA1234567890ABCDEF") == "id ASIA****"
    assert tag_value("2026-Q4 / ceo") == "2026-Q4___ceo"


def test_a_signature_error_quoting_the_session_token_does_not_leak_it() -> None:
    token = "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD" + "Ab3+x9" * 40
    secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    text = str(
        classify(
            client_error(
                "SignatureDoesNotMatch",
                "The request signature we calculated does not match the signature you provided. "
                f"Check your AWS Secret Access Key and signing method. The Canonical String for "
                f"this request should have been 'POST\n/v2/email/outbound-emails\n\n"
                f"host:email.us-east-1.amazonaws.com\nx-amz-security-token:{token}\n' key {secret}",
                403,
            )
        )
    )
    assert isinstance(classify(client_error("SignatureDoesNotMatch", "x", 403)), RunHalted)
    assert token[:20] not in text and secret not in text and "x-amz-security-token:****" in text
    assert "SES SignatureDoesNotMatch: The request signature we calculated" in text
    # an SES MessageId stays readable
    assert mask("0100018c4f5a3b2e-6a1b2c3d-4e5f-6789-abcd-ef0123456789-000000") == (
        "0100018c4f5a3b2e-6a1b2c3d-4e5f-6789-abcd-ef0123456789-000000"
    )


def test_an_html_error_page_becomes_one_short_line() -> None:
    # A proxy or an endpoint without the API answers with an HTML page; the check table and the
    # delivery row get one readable line, not the page.
    page = (
        "<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n"
        "<p>The requested URL was not found on the server. " + "x" * 2000 + "</p>\n"
    )
    text = str(classify(client_error("404", page, 404)))
    assert "\n" not in text and "<" not in text
    assert text.startswith("SES 404: 404 Not Found Not Found The requested URL")
    assert len(text) <= 320


def test_factory_needs_a_region(monkeypatch: pytest.MonkeyPatch) -> None:
    from types import SimpleNamespace

    from execbrief.errors import ConfigError

    with pytest.raises(ConfigError, match="no AWS region"):
        SesFactory().open(SesOptions(), SimpleNamespace(sender="r@x.example"), Path("."), {})
    transport = SesFactory().open(
        SesOptions(endpoint_url="http://127.0.0.1:1"),
        SimpleNamespace(sender="r@x.example"),
        Path("."),
        {"AWS_REGION": "eu-west-2"},
    )
    assert transport.region == "eu-west-2"


def test_a_read_timeout_is_unknown_not_retried(moto_url: str, tmp_path: Path) -> None:
    from botocore.exceptions import ReadTimeoutError

    verify(moto_url, "harbor.example", "us-east-1")
    transport = ses_transport(moto_url, max_send_rate=50)
    calls: list[str] = []

    def lose_answer(request, **_):  # type: ignore[no-untyped-def]
        calls.append("call")
        if len(calls) == 1:
            raise ReadTimeoutError(endpoint_url=request.url)

    transport.client.meta.events.register("before-send.sesv2.SendEmail", lose_answer)
    result, rows, _, _ = send_all(tmp_path, transport, [outgoing(recipients=PEOPLE[:2])])
    assert [o.status for o in result.outcomes] == ["unknown", "sent"]
    assert "may have been sent" in (rows[PEOPLE[0]].error or "")
    assert len(calls) == 2 + 1  # one call each, plus the operator alert


def test_check_says_when_the_identity_is_still_pending(moto_url: str) -> None:
    verify(moto_url, "harbor.example", "us-east-1")
    transport = ses_transport(moto_url)
    pending = (
        200,
        None,
        {
            "IdentityType": "DOMAIN",
            "VerifiedForSendingStatus": False,
            "VerificationStatus": "PENDING",
        },
    )
    missing = (
        404,
        "NotFoundException",
        {"message": "Email identity reports@harbor.example does not exist."},
    )
    # address (absent) then domain (pending) for the region check, the same again for the detail
    inject(transport.client, "GetEmailIdentity", [missing, pending, missing, pending])
    item = next(i for i in transport.check() if i.name == "ses sender identity")
    assert not item.ok
    assert item.detail.endswith(
        "; in us-east-1 harbor.example is pending (check its DNS records or confirmation email)"
    )


def test_a_missing_events_queue_is_named_as_sqs_not_ses(moto_url: str) -> None:
    # `track` reads SQS: its errors say SQS, and never guess that an SES send went out
    from execbrief.errors import DeliveryError

    queue = f"{moto_url}/123456789012/no-such-queue"
    transport = ses_transport(moto_url, events_queue_url=queue)
    with pytest.raises(DeliveryError) as caught:
        list(transport.events(wait_seconds=0, max_batches=1))
    text = str(caught.value)
    assert text.startswith(f"cannot read {queue}: SQS ")
    assert "SES" not in text
