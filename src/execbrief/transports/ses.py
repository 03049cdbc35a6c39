"""The ``ses`` transport: AWS SES through boto3's ``sesv2`` ``SendEmail`` with Raw content.

Credentials come from the standard AWS chain (environment, ``AWS_PROFILE``, SSO, instance role);
the region from ``[delivery.ses] region`` or ``AWS_REGION`` / ``AWS_DEFAULT_REGION``. Each message
carries tags with the delivery id, report and period, and the API's ``MessageId`` is the audit key
(SES rewrites the Message-ID header). botocore's own retries are switched off: execbrief's
dispatch retries transient errors itself, with its rate limiter, so one place decides.

Errors are mapped onto the delivery error tree. *Not sent* (SES did not act on the call) is
retried, refused or halts; *maybe sent* (the request went out and no answer, or a 5xx, came
back) is ``OutcomeUnknown``: never retried, the delivery becomes ``unknown``::

    not sent  a throttling code (Throttling, TooManyRequestsException, ...), any status    retried
              408 / 429 / RequestTimeout (a 4xx)                                            retried
              connection refused, no route, DNS, connect timeout, proxy connect failure    retried
              "Daily message quota exceeded"                                      QuotaExceeded
              MessageRejected naming a recipient, BadRequest, another 400      RecipientRejected
              credentials, region, unverified sender, AccessDenied, 401/403, paused    RunHalted
              a certificate that does not verify (TLS handshake)                       RunHalted
              botocore refused the parameters, or failed before ``before-send``   DeliveryError
    maybe     a 5xx answer (InternalFailure, ServiceUnavailable, ...)              OutcomeUnknown
    sent      connection closed or reset after the request went out, read timeout,
              any other error once the request was handed to the wire, a 2xx
              without a MessageId                                                  OutcomeUnknown

No error text carries a credential: botocore never puts one there, and access key ids are masked.
"""

from __future__ import annotations

import json
import re
import ssl
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from email.message import EmailMessage
from email.utils import parseaddr
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import BaseModel, Field

from execbrief.config import Model
from execbrief.delivery.message import to_bytes
from execbrief.errors import (
    ConfigError,
    DeliveryError,
    OutcomeUnknown,
    QuotaExceeded,
    RecipientRejected,
    RunHalted,
    TransientDeliveryError,
)
from execbrief.hookspecs import hookimpl
from execbrief.transports.base import (
    BaseTransport,
    CheckItem,
    EventKind,
    ProviderEvent,
    SendResult,
    TransportFactory,
    TransportLimits,
    UnreadableEvent,
)

if TYPE_CHECKING:
    from mypy_boto3_sesv2 import SESV2Client

#: SES v2 accepts messages up to 40 MB (after base64 encoding of attachments).
SES_MAX_MESSAGE_BYTES = 40 * 1024 * 1024
#: The send rate of a new (sandbox) account, used until GetAccount says otherwise.
SANDBOX_SEND_RATE = 1.0
TAG_PREFIX = "execbrief-"
MAYBE_SENT = (
    "the message may have been sent, so it is not resent (`execbrief track` settles it by its"
    " delivery tag; `execbrief send --resend-unknown` sends it again)"
)

_HALT_CODES = {
    "AccessDenied",
    "AccessDeniedException",
    "AccountSuspendedException",
    "SendingPausedException",
    "MailFromDomainNotVerifiedException",
    "UnrecognizedClientException",
    "InvalidClientTokenId",
    "SignatureDoesNotMatch",
    "ExpiredToken",
    "ExpiredTokenException",
    "IncompleteSignature",
    "NotFoundException",
    "ConfigurationSetDoesNotExist",
}
#: Error codes by which SES says it refused the call for its rate: nothing was sent, whatever
#: the HTTP status, so the call is retried.
THROTTLING_CODES = frozenset(
    {
        "Throttling",
        "ThrottlingException",
        "TooManyRequestsException",
        "RequestThrottled",
        "RequestThrottledException",
    }
)
#: SES timed out *reading the request* (a 4xx): it did not act on it.
_TIMEOUT_CODES = frozenset({"RequestTimeout", "RequestTimeoutException"})


class SesOptions(Model):
    """``[delivery.ses]``: where and how to send through AWS SES."""

    region: str | None = Field(default=None, description="AWS region; default AWS_REGION")
    configuration_set: str | None = Field(
        default=None, description="SES configuration set (for events)"
    )
    endpoint_url: str | None = Field(
        default=None, description="a different endpoint (tests, VPC endpoints)"
    )
    max_send_rate: float | None = Field(
        default=None, gt=0, description="override the account's max send rate"
    )
    max_message_bytes: int = Field(default=SES_MAX_MESSAGE_BYTES, gt=0)
    events_queue_url: str | None = Field(
        default=None, description="SQS queue of SES events, for `execbrief track`"
    )
    connect_timeout: float = Field(default=10, gt=0)
    read_timeout: float = Field(default=30, gt=0)


def mask(text: str) -> str:
    """``text`` with AWS access key ids and any secret-looking run masked.

    Belt and braces: botocore never prints credentials, but AWS's own SignatureDoesNotMatch
    message quotes the canonical request, whose signed ``x-amz-security-token`` header carries
    the session token. Secret keys (40) and session tokens (hundreds) are long base64 runs;
    the ids SES returns have dashes, so they stay readable.
    """
    text = re.sub(r"\b(AKIA|ASIA)[A-Z0-9]{12,}\b", r"\1****", text)
    return re.sub(r"[A-Za-z0-9+/]{32,}={0,2}", "****", text)


def _one_line(text: str, limit: int = 300) -> str:
    """Provider text as one short line: an HTML error page (a proxy, a wrong endpoint) loses
    its tags and the rest is cut at ``limit`` characters."""
    if text.lstrip().startswith("<"):
        text = re.sub(r"<!doctype[^>]*>|<[^>]+>", " ", text, flags=re.IGNORECASE)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def tag_value(value: str) -> str:
    """A value in SES's tag alphabet (ASCII letters, digits, ``_`` and ``-``; at most 256)."""
    return (re.sub(r"[^A-Za-z0-9_-]", "_", value) or "_")[:256]


def classify(error: Exception, sender: str = "", *, written: bool = True) -> DeliveryError:
    """Map the error of an SES call onto execbrief's delivery errors.

    ``written``: the request may have gone out (botocore's ``before-send`` fired). An error
    before that, or while connecting, means *not sent*; a lost or 5xx answer after it means
    *maybe sent* (``OutcomeUnknown``). See the table in the module docstring.
    """
    from botocore.exceptions import ClientError

    if isinstance(error, ClientError):
        return _classify_answer(error, sender)
    before = _classify_before_request(error)
    if before is not None:
        return before
    detail = f"{type(error).__name__}: {mask(str(error))}"
    if not written:
        return DeliveryError(f"SES call failed before the request went out ({detail})")
    return OutcomeUnknown(f"the request went out to SES and its answer was lost ({detail})")


def account_problem(error: Exception, sender: str) -> str:
    """Why GetAccount could not be read: a 404 means the endpoint (an emulator, an older
    regional endpoint) does not offer the call, whatever raw page came with it."""
    from botocore.exceptions import ClientError

    if isinstance(error, ClientError):
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        if status == 404:
            return "this endpoint does not offer GetAccount (HTTP 404)"
    return str(classify(error, sender))


def queue_problem(error: Exception) -> str:
    """What went wrong reading the SQS events queue, in one line naming SQS (not SES)."""
    from botocore.exceptions import ClientError

    if isinstance(error, ClientError):
        info = error.response.get("Error", {})
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", "")
        code = info.get("Code") or status
        return f"SQS {code}: {_one_line(mask(str(info.get('Message', '') or '')))}".rstrip(": ")
    return f"SQS call failed ({type(error).__name__}: {_one_line(mask(str(error)))})"


def _classify_before_request(error: Exception) -> DeliveryError | None:
    """Errors that come before a byte of the request is written: credentials, region, bad
    parameters, a connection that could not be made (refused, no route, connect timeout, a
    certificate that does not verify). None for anything else."""
    from botocore.exceptions import (
        ConnectTimeoutError,
        EndpointConnectionError,
        NoCredentialsError,
        NoRegionError,
        ParamValidationError,
        PartialCredentialsError,
        ProxyConnectionError,
        SSLError,
    )

    if isinstance(error, NoCredentialsError | PartialCredentialsError):
        return RunHalted(
            "no usable AWS credentials: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run on a role"
        )
    if isinstance(error, NoRegionError):
        return RunHalted("no AWS region: set [delivery.ses] region or AWS_REGION")
    if isinstance(error, ParamValidationError):
        return DeliveryError(f"SES refused the request before sending it ({mask(str(error))})")
    if isinstance(error, SSLError) and _certificate_failure(error):
        return RunHalted(
            f"TLS with SES failed ({mask(str(error))}); check endpoint_url and the CA bundle"
        )
    if isinstance(error, EndpointConnectionError | ConnectTimeoutError | ProxyConnectionError):
        return TransientDeliveryError(f"cannot reach SES ({mask(str(error))})")
    return None


def _certificate_failure(error: BaseException) -> bool:
    """True when an SSL error, or what it wraps, is a failed certificate check (a handshake
    failure: nothing was sent)."""
    seen: set[int] = set()
    todo: list[object] = [error]
    while todo:
        item = todo.pop()
        if not isinstance(item, BaseException) or id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, ssl.SSLCertVerificationError | ssl.CertificateError):
            return True
        todo += [*item.args, item.__cause__, item.__context__]
        todo += list(getattr(item, "kwargs", {}).values())
    return False


def _classify_answer(error: Any, sender: str) -> DeliveryError:
    """SES answered with an error (a botocore ClientError): what its code and status mean."""
    info = error.response.get("Error", {})
    code = str(info.get("Code", "") or "")
    message = _one_line(mask(str(info.get("Message", "") or "")))
    status = int(error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0)
    text = f"SES {code or status}: {message}".rstrip(": ")
    lowered = message.lower()
    if "daily message quota exceeded" in lowered or ("quota" in lowered and "daily" in lowered):
        return QuotaExceeded(text)
    if code in THROTTLING_CODES:
        return TransientDeliveryError(text)
    if status >= 500:
        return OutcomeUnknown(f"SES answered {status} after the request went out ({text})")
    if status in (408, 429) or code in _TIMEOUT_CODES:
        return TransientDeliveryError(text)
    if code == "MessageRejected":
        address = parseaddr(sender)[1].lower()
        domain = address.rsplit("@", 1)[-1]
        if (
            "authority to send" in lowered
            or (address and address in lowered)
            or (
                "not verified" in lowered
                and domain
                and domain in lowered
                and "failed the check" not in lowered
            )
        ):
            return RunHalted(
                f"{text} (verify the sender identity in this region, see `execbrief check`)"
            )
        return RecipientRejected(text)
    if code in _HALT_CODES or status in (401, 403):
        return RunHalted(text)
    if (
        code in ("BadRequestException", "InvalidParameterValue", "ValidationException")
        or status == 400
    ):
        return RecipientRejected(text)
    return DeliveryError(text)


class SesTransport(BaseTransport):
    """An open SES v2 client for one region and sender."""

    name: ClassVar[str] = "ses"

    def __init__(self, options: SesOptions, region: str, sender: str, session: Any = None) -> None:
        import boto3
        from botocore.config import Config as BotoConfig

        self.options = options
        self.region = region
        self.sender = sender
        self.session = session or boto3.session.Session(region_name=region)
        # One attempt per call, whatever AWS_MAX_ATTEMPTS or ~/.aws/config say: the SDK must never
        # resend a SendEmail behind dispatch's back. (``max_attempts`` here would count
        # *retries*: max_attempts=1 is two calls.)
        self.boto_config = BotoConfig(
            retries={"total_max_attempts": 1, "mode": "standard"},
            connect_timeout=options.connect_timeout,
            read_timeout=options.read_timeout,
        )
        self.client: SESV2Client = self._client(region)
        self._written = False
        self.client.meta.events.register("before-send.sesv2.SendEmail", self._mark_written)
        self._account: dict[str, Any] | None = None

    def _client(self, region: str) -> SESV2Client:
        return self.session.client(
            "sesv2",
            region_name=region,
            endpoint_url=self.options.endpoint_url,
            config=self.boto_config,
        )

    def send(self, message: EmailMessage, *, tags: dict[str, str] | None = None) -> SendResult:
        """SendEmail with the raw message; the API's MessageId is returned."""
        recipients = [
            parseaddr(str(value))[1] for key in ("To", "Cc") for value in message.get_all(key, [])
        ]
        request: dict[str, Any] = {
            "FromEmailAddress": self.sender,
            "Destination": {"ToAddresses": [r for r in recipients if r]},
            "Content": {"Raw": {"Data": to_bytes(message)}},
            "EmailTags": [
                {"Name": tag_value(TAG_PREFIX + name), "Value": tag_value(value)}
                for name, value in sorted((tags or {}).items())
            ],
        }
        if self.options.configuration_set:
            request["ConfigurationSetName"] = self.options.configuration_set
        self._written = False
        try:
            answer = self.client.send_email(**request)
        except Exception as exc:
            error = classify(exc, self.sender, written=self._written)
            if isinstance(error, OutcomeUnknown):
                raise OutcomeUnknown(f"{error}; {MAYBE_SENT}") from None
            raise error from None
        request_id = answer.get("ResponseMetadata", {}).get("RequestId", "")
        if not answer.get("MessageId"):
            raise OutcomeUnknown(f"SES answered without a MessageId; {MAYBE_SENT}")
        return SendResult(
            message_id=answer["MessageId"],
            response=f"accepted by SES {self.region} (request {request_id})",
        )

    def _mark_written(self, **_: Any) -> None:
        """botocore's ``before-send`` for SendEmail: from here on the request may be on the wire."""
        self._written = True

    def account(self) -> dict[str, Any] | None:
        """GetAccount (cached), or None when it cannot be read."""
        if self._account is None:
            try:
                self._account = dict(self.client.get_account())
            except Exception:
                return None
        return self._account

    def limits(self) -> TransportLimits:
        """40 MB, and the account's max send rate (or the override, or the sandbox rate)."""
        rate = self.options.max_send_rate
        quota: dict[str, Any] = {}
        if rate is None:
            account = self.account()
            quota = dict((account or {}).get("SendQuota") or {})
            rate = float(quota.get("MaxSendRate") or SANDBOX_SEND_RATE)
        return TransportLimits(
            max_message_bytes=self.options.max_message_bytes, max_send_rate=rate, extra=quota
        )

    def check(self) -> list[CheckItem]:
        """Sender identity verified here (else: which regions have it), configuration set, quota."""
        items: list[CheckItem] = []
        address = parseaddr(self.sender)[1]
        domain = address.rsplit("@", 1)[-1]
        try:
            verified = self._verified(self.client, address, domain)
        except Exception as exc:
            error = classify(exc, self.sender)
            return [
                CheckItem("ses credentials", False, f"cannot query SES in {self.region}: {error}")
            ]
        if verified:
            items.append(
                CheckItem("ses sender identity", True, f"{verified} is verified in {self.region}")
            )
        else:
            found = self.identities_elsewhere(address, domain)
            elsewhere = list(found)
            if elsewhere:
                where = ", ".join(
                    region if found[region] == address else f"{region} (its domain {domain})"
                    for region in elsewhere
                )
                detail = (
                    f"{address} is not verified in {self.region}, but is verified in {where}; "
                    f'set [delivery.ses] region = "{elsewhere[0]}" or verify it in {self.region}'
                )
            else:
                detail = f"neither {address} nor {domain} is verified in {self.region} or any other region; verify it (docs/delivery.md)"
            pending = self._pending(address, domain)
            if pending:
                detail += f"; in {self.region} {pending}"
            items.append(CheckItem("ses sender identity", False, detail))
        if self.options.configuration_set:
            try:
                self.client.get_configuration_set(
                    ConfigurationSetName=self.options.configuration_set
                )
                items.append(
                    CheckItem(
                        "ses configuration set",
                        True,
                        f"{self.options.configuration_set} exists in {self.region}",
                    )
                )
            except Exception as exc:
                items.append(
                    CheckItem(
                        "ses configuration set",
                        False,
                        f"{self.options.configuration_set}: {classify(exc, self.sender)}",
                    )
                )
        items.append(self._account_item())
        return items

    def _account_item(self) -> CheckItem:
        try:
            account: dict[str, Any] = dict(self.client.get_account())
        except Exception as exc:
            return CheckItem(
                "ses account",
                True,
                f"could not read the account ({account_problem(exc, self.sender)}); assuming the sandbox rate of "
                f"{SANDBOX_SEND_RATE:g}/s (allow ses:GetAccount to see quota and sandbox state)",
            )
        self._account = account
        quota: dict[str, Any] = dict(account.get("SendQuota") or {})
        sent, maximum = float(quota.get("SentLast24Hours", 0)), float(quota.get("Max24HourSend", 0))
        mode = (
            "production"
            if account.get("ProductionAccessEnabled")
            else "sandbox (recipients must be verified too)"
        )
        detail = f"{mode}; quota {maximum:g} per 24 h, {sent:g} used, max {float(quota.get('MaxSendRate', 0)):g}/s"
        if not account.get("SendingEnabled", True):
            return CheckItem("ses account", False, f"sending is paused for this account; {detail}")
        if maximum and sent >= maximum:
            return CheckItem("ses account", False, f"the daily quota is spent; {detail}")
        return CheckItem("ses account", True, detail)

    def _pending(self, address: str, domain: str) -> str | None:
        """What SES says of an identity that exists here but is not verified (pending, failed)."""
        for identity in (address, domain):
            try:
                answer = self.client.get_email_identity(EmailIdentity=identity)
            except Exception:
                continue
            status = str(answer.get("VerificationStatus") or "").lower()
            if status and status != "success":
                return f"{identity} is {status.replace('_', ' ')} (check its DNS records or confirmation email)"
        return None

    @staticmethod
    def _verified(client: Any, address: str, domain: str) -> str | None:
        from botocore.exceptions import ClientError

        for identity in (address, domain):
            try:
                answer = client.get_email_identity(EmailIdentity=identity)
            except ClientError as exc:
                if exc.response.get("Error", {}).get("Code") == "NotFoundException":
                    continue
                raise
            if (
                answer.get("VerifiedForSendingStatus")
                or answer.get("VerificationStatus") == "SUCCESS"
            ):
                return identity
        return None

    def identities_elsewhere(self, address: str, domain: str) -> dict[str, str]:
        """Each other region where the address or its domain is verified, with the identity
        verified there (the address when both are); errors count as not verified."""
        regions = [r for r in self.session.get_available_regions("sesv2") if r != self.region]

        def probe(region: str) -> str | None:
            try:
                return self._verified(self._client(region), address, domain)
            except Exception:
                return None

        with ThreadPoolExecutor(max_workers=8) as pool:
            found = list(pool.map(probe, regions))
        return {
            region: identity for region, identity in zip(regions, found, strict=True) if identity
        }

    def events(
        self, *, wait_seconds: int = 1, max_batches: int = 100
    ) -> Iterator[ProviderEvent | UnreadableEvent]:
        """SES events from ``[delivery.ses] events_queue_url`` (configuration set -> SNS -> SQS,
        or SNS with raw message delivery); each SQS message is deleted once the caller has it."""
        queue_url = self.options.events_queue_url
        if not queue_url:
            raise ConfigError(
                "set events_queue_url under [delivery.ses] to the SQS queue that receives SES"
                " events (docs/delivery.md)",
                key="delivery.ses.events_queue_url",
            )
        sqs = self.session.client(
            "sqs", region_name=self.region, endpoint_url=self.options.endpoint_url
        )
        for _ in range(max_batches):
            try:
                answer = sqs.receive_message(
                    QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=wait_seconds
                )
            except Exception as exc:
                raise DeliveryError(f"cannot read {queue_url}: {queue_problem(exc)}") from None
            messages = answer.get("Messages") or []
            if not messages:
                return
            for message in messages:
                event: ProviderEvent | UnreadableEvent
                try:
                    event = parse_event(message.get("Body", ""))
                except (ValueError, TypeError) as exc:
                    event = UnreadableEvent(f"SQS message {message.get('MessageId')}", str(exc))
                yield event
                try:
                    sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
                except Exception as exc:
                    raise DeliveryError(f"cannot read {queue_url}: {queue_problem(exc)}") from None


#: SES event types and what each says became of the message.
SES_EVENT_KINDS = {
    "Delivery": EventKind.DELIVERED,
    "Bounce": EventKind.BOUNCED,
    "Complaint": EventKind.COMPLAINED,
    "Reject": EventKind.REJECTED,
}
DELIVERY_TAG = f"{TAG_PREFIX}delivery"


def parse_event(body: str) -> ProviderEvent:
    """Read one SQS message body: an SNS envelope around an SES event, or the bare event.

    Raises ValueError naming what is missing when the body is not an SES event.
    """
    data = json.loads(body)
    if not isinstance(data, dict):
        raise ValueError("the message body is not a JSON object")
    if data.get("Type") == "Notification" and isinstance(data.get("Message"), str):
        data = json.loads(data["Message"])
        if not isinstance(data, dict):
            raise ValueError("the SNS Message is not a JSON object")
    kind = data.get("eventType") or data.get("notificationType")
    mail = data.get("mail")
    if not isinstance(kind, str) or not isinstance(mail, dict):
        raise ValueError("not an SES event: expected eventType (or notificationType) and mail")
    section = data.get(kind[:1].lower() + kind[1:]) or {}
    detail = {"eventType": kind, **_event_detail(kind, section)}
    return ProviderEvent(
        kind=SES_EVENT_KINDS.get(kind),
        type=kind,
        message_id=mail.get("messageId"),
        delivery_id=_delivery_tag(mail),
        at=_event_time(section.get("timestamp") or mail.get("timestamp")),
        detail={k: v for k, v in detail.items() if v is not None},
    )


def _delivery_tag(mail: dict[str, Any]) -> int | None:
    """The delivery id ``send`` tagged the message with, when SES echoes it."""
    tags = mail.get("tags") or {}
    tagged = tags.get(DELIVERY_TAG) if isinstance(tags, dict) else None
    if isinstance(tagged, list) and tagged and str(tagged[0]).isdigit():
        return int(tagged[0])
    return None


def _event_time(value: object) -> datetime | None:
    """An SES timestamp (``2026-11-20T08:00:05.000Z``), or None when absent or unreadable."""
    try:
        return datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _event_detail(kind: str, section: dict[str, Any]) -> dict[str, Any]:
    """The particulars of an SES event execbrief keeps (ids, types, reasons; nothing secret)."""
    if kind == "Bounce":
        bounced = [r for r in section.get("bouncedRecipients", []) if isinstance(r, dict)]
        return {
            "bounceType": section.get("bounceType"),
            "bounceSubType": section.get("bounceSubType"),
            "recipients": [r.get("emailAddress") for r in bounced],
            "diagnostic": next(
                (r.get("diagnosticCode") for r in bounced if r.get("diagnosticCode")), None
            ),
        }
    if kind == "Complaint":
        return {"feedbackType": section.get("complaintFeedbackType")}
    if kind == "Reject":
        return {"reason": section.get("reason")}
    if kind == "Delivery":
        return {
            "smtpResponse": section.get("smtpResponse"),
            "recipients": section.get("recipients"),
        }
    return {}


class SesFactory:
    """The ``ses`` transport plugin."""

    name: ClassVar[str] = "ses"
    Options: ClassVar[type[BaseModel]] = SesOptions

    def open(
        self, options: BaseModel, delivery: Any, root: Any, environ: dict[str, str]
    ) -> SesTransport:
        """An SES client for the configured (or environment's) region."""
        assert isinstance(options, SesOptions)
        region = options.region or environ.get("AWS_REGION") or environ.get("AWS_DEFAULT_REGION")
        if not region:
            raise ConfigError(
                "no AWS region: set region in [delivery.ses] or AWS_REGION",
                key="delivery.ses.region",
            )
        return SesTransport(options, region, str(delivery.sender))


@hookimpl
def register_transports() -> list[TransportFactory]:
    """The SES transport."""
    return [SesFactory()]
