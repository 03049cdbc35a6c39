"""The dispatch stage: send each (report, period, recipient) exactly once, or account for it.

For every delivery: skip it if already sent (unless forced); skip an ``unknown`` one (a sender
died after claiming it) unless told to resend; hold back an unreconciled report; *claim* it in the
store inside one transaction; pass the message through the secret guard; send it through the
rate limiter with retries for transient errors; record the outcome. Two processes running this at
once never send one delivery twice, because only the one whose claim succeeded sends.

Failures: a rejected recipient fails that delivery and the run goes on; a spent daily quota defers
the rest; a run-wide error (credentials, unverified sender, permission) halts at once and records
the rest as ``pending``. Any failure sends a short alert to ``delivery.operator`` (through the
transport, or to stderr when the transport is down) and makes the exit code 1.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from typing import IO, Any, Protocol

from execbrief.document import Document
from execbrief.errors import (
    DeliveryError,
    OutcomeUnknown,
    QuotaExceeded,
    RecipientRejected,
    RunHalted,
    TransientDeliveryError,
)
from execbrief.message import Rendered, check_message, compose
from execbrief.store.db import ACCEPTED, DeliveryKey, Store
from execbrief.transports.base import Transport

#: Row statuses that need the operator's attention (exit code 1).
PROBLEMS = frozenset({"failed", "blocked", "deferred", "unknown", "pending"})


class Guard(Protocol):
    """The secret guard: descriptions of the secrets found in a message (never the values)."""

    def check(self, message: EmailMessage) -> list[str]:
        """Hit descriptions; empty when the message is clean."""
        ...


def load_guard(key: bytes, fingerprints: Iterable[str]) -> Guard | None:
    """The secret guard from ``execbrief.guard``, or None when that module is not installed yet."""
    try:
        from execbrief.guard import SecretGuard  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return None
    guard: Guard = SecretGuard(key, frozenset(fingerprints))
    return guard


def snapshot_fingerprints(snapshot: Any) -> frozenset[str]:
    """The fingerprints of every secret a snapshot's sources found (for the guard)."""
    found: set[str] = set()
    for result in getattr(snapshot, "results", ()):
        for record in result.records:
            value = getattr(record, "fingerprint", None)
            if isinstance(value, str) and value:
                found.add(value)
    return frozenset(found)


@dataclass(frozen=True)
class Outgoing:
    """One built report ready to mail: its document (for the reconciliation gate), its rendered
    message content and its recipients."""

    report: str
    document: Document | None
    rendered: Rendered
    recipients: tuple[str, ...]


@dataclass(frozen=True)
class Outcome:
    """What happened to one delivery in this run.

    ``status`` is the delivery's status afterwards (``sent``, ``failed``, ... or ``would send`` in
    a dry run); ``action`` says what this run did (``sent``, ``skipped``, ``failed``, ...);
    ``problem`` is True when the operator must look at it.
    """

    report: str
    period: str
    recipient: str
    status: str
    action: str
    message_id: str | None = None
    error: str | None = None
    delivery_id: int | None = None
    attempts: int = 0
    problem: bool = False

    def to_dict(self) -> dict[str, Any]:
        """JSON data for ``--json``."""
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


@dataclass
class DispatchResult:
    """Every delivery of a run, whether it halted, and the alerts raised."""

    period: str
    run_id: int | None = None
    outcomes: list[Outcome] = field(default_factory=list)
    halted: str | None = None
    alerts: list[str] = field(default_factory=list)
    dry_run: bool = False

    @property
    def exit_code(self) -> int:
        """0 when everything was sent or already sent; 1 when anything needs attention."""
        return 1 if self.halted or any(outcome.problem for outcome in self.outcomes) else 0

    def counts(self) -> dict[str, int]:
        """How many deliveries ended in each action."""
        out: dict[str, int] = {}
        for outcome in self.outcomes:
            out[outcome.action] = out.get(outcome.action, 0) + 1
        return dict(sorted(out.items()))

    def to_dict(self) -> dict[str, Any]:
        """JSON data for ``--json``."""
        return {
            "run_id": self.run_id,
            "period": self.period,
            "dry_run": self.dry_run,
            "halted": self.halted,
            "exit_code": self.exit_code,
            "counts": self.counts(),
            "alerts": list(self.alerts),
            "deliveries": [outcome.to_dict() for outcome in self.outcomes],
        }


@dataclass(frozen=True)
class RetryPolicy:
    """Capped exponential backoff with jitter: attempt n waits ``min(cap, base * 2**(n-1))``,
    half of it fixed and half random."""

    attempts: int = 5
    base: float = 1.0
    cap: float = 30.0

    def delay(self, attempt: int, unit_random: float) -> float:
        """The wait after failed attempt ``attempt`` (1-based), with ``unit_random`` in [0, 1)."""
        ceiling = min(self.cap, self.base * 2 ** (attempt - 1))
        return ceiling / 2 + ceiling / 2 * unit_random


class RateLimiter:
    """A token bucket: at most ``rate`` sends per second, bursts of at most ``burst``.

    ``monotonic`` and ``sleep`` are injectable so tests run without waiting.
    """

    def __init__(
        self,
        rate: float | None,
        *,
        burst: float = 1.0,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if rate is not None and rate <= 0:
            raise ValueError("the send rate must be positive")
        self.rate = rate
        self.burst = max(1.0, burst)
        self.monotonic = monotonic
        self.sleep = sleep
        self.tokens = self.burst
        self.updated = monotonic()
        self.waited = 0.0

    def acquire(self, tokens: float = 1.0) -> None:
        """Take ``tokens`` (recipients), waiting until the bucket holds them."""
        if self.rate is None:
            return
        while True:
            now = self.monotonic()
            self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
            self.updated = now
            if self.tokens >= tokens:
                self.tokens -= tokens
                return
            wait = (tokens - self.tokens) / self.rate
            self.waited += wait
            self.sleep(wait)


@dataclass
class Timing:
    """Where dispatch gets time: ``now`` for timestamps and Date headers, ``monotonic`` and
    ``sleep`` for the rate limiter and backoff, ``random`` for jitter. All injectable."""

    now: Callable[[], datetime]
    monotonic: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    random: Callable[[], float] = random.random


@dataclass(frozen=True)
class DispatchOptions:
    """The operator's choices for one run."""

    force: bool = False
    resend_unknown: bool = False
    allow_unreconciled: bool = False
    dry_run: bool = False


def dispatch(
    outgoing: Sequence[Outgoing],
    *,
    period: str,
    store: Store,
    transport: Transport,
    sender: str,
    operator: str | None,
    timing: Timing,
    options: DispatchOptions = DispatchOptions(),
    guard: Guard | None = None,
    retry: RetryPolicy = RetryPolicy(),
    max_send_rate: float | None = None,
    as_of: str | None = None,
    command: str = "send",
    alert_stream: IO[str] | None = None,
    run_id: int | None = None,
) -> DispatchResult:
    """Deliver every (report, recipient) of ``outgoing`` for ``period``; see the module docstring.

    ``max_send_rate`` overrides the transport's own limit. Nothing is written in a dry run. The
    run is recorded in the store (``run_id``: one the caller already started) and finished here.
    """
    result = DispatchResult(period=period, dry_run=options.dry_run)
    work = [(item, recipient) for item in outgoing for recipient in _unique(item.recipients)]
    if options.dry_run:
        for item, recipient in work:
            result.outcomes.append(_preview(store, item, recipient, period, options))
        return result

    limits = transport.limits()
    limiter = RateLimiter(
        max_send_rate or limits.max_send_rate, monotonic=timing.monotonic, sleep=timing.sleep
    )
    run = _Run(
        store=store,
        transport=transport,
        sender=sender,
        period=period,
        timing=timing,
        options=options,
        guard=guard,
        retry=retry,
        limiter=limiter,
        max_bytes=limits.max_message_bytes,
        result=result,
    )
    store.recover()
    if run_id is None:
        run_id = store.start_run(command, as_of=as_of, period=period)
    result.run_id = run.run_id = run_id
    completed = False
    try:
        for index, (item, recipient) in enumerate(work):
            if result.halted:
                run.not_attempted(work[index:])
                break
            run.deliver(item, recipient)
        completed = True
    finally:
        problems = [outcome for outcome in result.outcomes if outcome.problem]
        status = "halted" if result.halted else ("failed" if problems else "ok")
        if not completed:
            status = "interrupted"  # an exception is on its way up; a claimed row shows as unknown
        summary: dict[str, Any] = {"counts": result.counts()}
        if result.halted:
            summary["halted"] = result.halted
        store.finish_run(run.run_id, status, summary)
    if result.exit_code:
        _alert(
            result,
            transport,
            sender,
            operator,
            timing,
            limiter,
            guard,
            alert_stream,
            run.transport_down,
        )
    return result


@dataclass
class _Run:
    store: Store
    transport: Transport
    sender: str
    period: str
    timing: Timing
    options: DispatchOptions
    guard: Guard | None
    retry: RetryPolicy
    limiter: RateLimiter
    max_bytes: int | None
    result: DispatchResult
    run_id: int = 0
    quota_spent: bool = False
    transport_down: bool = False

    def add(self, item: Outgoing, recipient: str, status: str, action: str, **extra: Any) -> None:
        self.result.outcomes.append(
            Outcome(
                item.report,
                self.period,
                recipient,
                status,
                action,
                problem=status in PROBLEMS and action != "skipped",
                **extra,
            )
        )

    def deliver(self, item: Outgoing, recipient: str) -> None:
        key = DeliveryKey(item.report, self.period, recipient)
        sha = item.rendered.content_sha256()
        if (
            item.document is not None
            and not item.document.reconciled
            and not self.options.allow_unreconciled
        ):
            causes = [
                w.text for w in item.document.warnings if w.text.startswith("Does not reconcile")
            ]
            reason = (
                f"report {item.report} for {self.period} is not reconciled (its figures do not tie out"
                + (": " + " ".join(causes) if causes else "")
                + "); fix the books or send with --allow-unreconciled"
            )
            row = self.store.record_unsent(
                key,
                run_id=self.run_id,
                transport=self.transport.name,
                content_sha256=sha,
                status="blocked",
                error=reason,
            )
            if row is None:
                self._skip(item, recipient, key, unsent=("blocked", reason))
            else:
                self.add(item, recipient, "blocked", "blocked", error=reason, delivery_id=row.id)
            return

        claim = self.store.claim(
            key,
            run_id=self.run_id,
            transport=self.transport.name,
            content_sha256=sha,
            force=self.options.force,
            resend_unknown=self.options.resend_unknown,
        )
        row = claim.delivery
        if claim.outcome == "accepted":
            self.add(
                item,
                recipient,
                row.status,
                "skipped",
                message_id=row.message_id,
                delivery_id=row.id,
                attempts=row.attempts,
                error=None,
            )
            return
        if claim.outcome == "unknown":
            self.result.outcomes.append(
                Outcome(
                    item.report,
                    self.period,
                    recipient,
                    "unknown",
                    "unknown",
                    error=row.error,
                    delivery_id=row.id,
                    attempts=row.attempts,
                    problem=True,
                )
            )
            return
        if claim.outcome == "busy":
            self.add(
                item,
                recipient,
                "sending",
                "busy",
                error=f"run {row.run_id} is sending it now",
                delivery_id=row.id,
            )
            return

        message = compose(
            item.rendered,
            sender=self.sender,
            recipient=recipient,
            date=self.timing.now(),
            report=item.report,
            period=self.period,
            generation=f"run-{self.run_id}",
        )
        if self.guard is not None:
            hits = self.guard.check(message)
            if hits:
                error = "secret guard blocked the message: " + "; ".join(hits)
                self.store.fail(row.id, error, status="blocked")
                self.add(item, recipient, "blocked", "blocked", error=error, delivery_id=row.id)
                return
        try:
            check_message(message, self.max_bytes)
        except DeliveryError as exc:
            self.store.fail(row.id, str(exc))
            self.add(item, recipient, "failed", "failed", error=str(exc), delivery_id=row.id)
            return
        tags = {"delivery": str(row.id), "report": item.report, "period": self.period}
        self._send(item, recipient, row.id, message, tags)

    def _skip(
        self,
        item: Outgoing,
        recipient: str,
        key: DeliveryKey,
        unsent: tuple[str, str] | None = None,
    ) -> None:
        """Report a delivery a gate or a halt did not record because its row says more.

        An accepted row stays as it is; if the operator forced a resend that did not happen,
        the outcome says so (``unsent``: the action and reason) and counts as a problem.
        """
        row = self.store.get(key)
        status = row.status if row else "unknown"
        action, error = (
            ("skipped", None) if status in ACCEPTED else (status, row.error if row else None)
        )
        problem = status in PROBLEMS
        if unsent is not None and status in ACCEPTED and self.options.force:
            action, error, problem = unsent[0], unsent[1], True
        self.result.outcomes.append(
            Outcome(
                item.report,
                self.period,
                recipient,
                status,
                action,
                message_id=row.message_id if row else None,
                error=error,
                delivery_id=row.id if row else None,
                attempts=row.attempts if row else 0,
                problem=problem,
            )
        )

    def _send(
        self,
        item: Outgoing,
        recipient: str,
        delivery_id: int,
        message: EmailMessage,
        tags: dict[str, str],
    ) -> None:
        attempt = 0
        while True:
            attempt += 1
            self.limiter.acquire(1)
            self.store.attempt(delivery_id)
            try:
                sent = self.transport.send(message, tags=tags)
            except TransientDeliveryError as exc:
                if attempt < self.retry.attempts:
                    self.store.backoff(delivery_id, str(exc))
                    self.timing.sleep(self.retry.delay(attempt, self.timing.random()))
                    continue
                self._settle(
                    item,
                    recipient,
                    delivery_id,
                    attempt,
                    "failed",
                    f"gave up after {attempt} attempts: {exc}",
                )
            except QuotaExceeded as exc:
                self._settle(item, recipient, delivery_id, attempt, "deferred", f"deferred: {exc}")
                self.result.halted = f"the daily sending quota is spent ({exc}); the rest are deferred to the next run"
                self.quota_spent = True
            except RunHalted as exc:
                self._settle(item, recipient, delivery_id, attempt, "failed", str(exc))
                self.result.halted = f"halted: {exc}"
                self.transport_down = True
            except OutcomeUnknown as exc:
                self._settle(item, recipient, delivery_id, attempt, "unknown", str(exc))
            except RecipientRejected as exc:
                self._settle(item, recipient, delivery_id, attempt, "failed", f"rejected: {exc}")
            except DeliveryError as exc:
                self._settle(item, recipient, delivery_id, attempt, "failed", str(exc))
            except Exception as exc:
                # The transport broke in a way it does not classify: the message may or may not
                # have gone, so record it as unknown rather than risk a duplicate, and stop.
                error = f"the {self.transport.name} transport failed unexpectedly ({type(exc).__name__}: {exc})"
                self._settle(item, recipient, delivery_id, attempt, "unknown", error)
                self.result.halted = f"halted: {error}"
                self.transport_down = True
            else:
                self.store.complete(delivery_id, sent.message_id, sent.response)
                if item.document is not None and not item.document.reconciled:
                    # sent with --allow-unreconciled: the audit trail says so, and why
                    self.store.record_event(
                        delivery_id=delivery_id,
                        message_id=sent.message_id,
                        type="sent-unreconciled",
                        at=self.timing.now(),
                        detail={"reasons": [w.text for w in item.document.warnings]},
                    )
                self.add(
                    item,
                    recipient,
                    "sent",
                    "sent",
                    message_id=sent.message_id,
                    delivery_id=delivery_id,
                    attempts=attempt,
                )
            return

    def _settle(
        self,
        item: Outgoing,
        recipient: str,
        delivery_id: int,
        attempt: int,
        status: str,
        error: str,
    ) -> None:
        """Record an attempt that did not send: in the store (failed, deferred or unknown) and in
        the run's outcomes."""
        if status == "deferred":
            self.store.defer(delivery_id, error)
        elif status == "unknown":
            self.store.mark_unknown(delivery_id, error)
        else:
            self.store.fail(delivery_id, error)
        self.add(
            item, recipient, status, status, error=error, delivery_id=delivery_id, attempts=attempt
        )

    def not_attempted(self, rest: Sequence[tuple[Outgoing, str]]) -> None:
        status = "deferred" if self.quota_spent else "pending"
        reason = self.result.halted or "the run stopped"
        for item, recipient in rest:
            key = DeliveryKey(item.report, self.period, recipient)
            row = self.store.record_unsent(
                key,
                run_id=self.run_id,
                transport=self.transport.name,
                content_sha256=item.rendered.content_sha256(),
                status=status,
                error=f"not attempted: {reason}",
            )
            if row is None:
                self._skip(item, recipient, key, unsent=(status, f"not attempted: {reason}"))
            else:
                self.add(item, recipient, status, status, error=row.error, delivery_id=row.id)


def _unique(recipients: Iterable[str]) -> list[str]:
    """Recipients in lower case without repeats: one mailbox, one delivery key, one message,
    however the address is spelt in the config."""
    return list(dict.fromkeys(recipient.strip().lower() for recipient in recipients))


def _preview(
    store: Store, item: Outgoing, recipient: str, period: str, options: DispatchOptions
) -> Outcome:
    row = store.get(DeliveryKey(item.report, period, recipient))
    status = row.status if row else "new"
    if (
        item.document is not None
        and not item.document.reconciled
        and not options.allow_unreconciled
    ):
        action = "would block (unreconciled)"
    elif row is None or status not in ACCEPTED | {"unknown", "sending"}:
        action = "would send"
    elif status in ACCEPTED:
        action = "would send (forced)" if options.force else "would skip"
    elif status == "unknown" or status == "sending":
        action = (
            "would send (resend unknown)"
            if options.resend_unknown or options.force
            else "would skip (unknown)"
        )
    else:
        action = "would send"
    return Outcome(
        item.report,
        period,
        recipient,
        status,
        action,
        message_id=row.message_id if row else None,
        delivery_id=row.id if row else None,
    )


def alert_text(result: DispatchResult) -> str:
    """The short operator alert for a run with problems: one line per delivery that needs a look."""
    lines = [
        f"execbrief run {result.run_id} for period {result.period} needs attention.",
        "",
    ]
    if result.halted:
        lines += [f"The run stopped: {result.halted}", ""]
    for outcome in result.outcomes:
        if outcome.problem:
            lines.append(
                f"- {outcome.report} to {outcome.recipient}: {outcome.status}: {outcome.error or ''}".rstrip(
                    ": "
                )
            )
    lines += [
        "",
        "Run `execbrief history` for every delivery; failed, deferred and pending ones are retried by the next `execbrief send`.",
    ]
    return "\n".join(lines) + "\n"


def _alert(
    result: DispatchResult,
    transport: Transport,
    sender: str,
    operator: str | None,
    timing: Timing,
    limiter: RateLimiter,
    guard: Guard | None,
    stream: IO[str] | None,
    transport_down: bool,
) -> None:
    text = alert_text(result)
    subject = f"execbrief: delivery problems in run {result.run_id} ({result.period})"
    out = stream if stream is not None else sys.stderr
    if operator and not transport_down:
        message = compose(
            Rendered(subject=subject, text=text),
            sender=sender,
            recipient=operator,
            date=timing.now(),
            report="alert",
            period=f"{result.period}.run{result.run_id}",
        )
        if guard is None or not guard.check(message):
            try:
                limiter.acquire(1)
                transport.send(message, tags={"report": "alert", "period": result.period})
            except Exception as exc:  # the alert must never hide the run's own result
                out.write(
                    f"execbrief: could not alert {operator} ({type(exc).__name__}: {exc}); the alert follows\n"
                )
            else:
                result.alerts.append(f"alerted {operator}")
                return
    out.write(text)
    result.alerts.append("alert written to stderr")


def open_transport(
    config: Any, registry: Any, environ: dict[str, str], name: str | None = None
) -> Transport:
    """Open the configured transport (``delivery.transport``, or ``name``) with its options."""
    from execbrief.errors import ConfigError

    chosen = name or config.delivery.transport
    factory = registry.transports.get(chosen)
    if factory is None:
        raise ConfigError(
            f"no transport named {chosen!r}; expected one of {', '.join(sorted(registry.transports))}",
            path=str(config.path),
            key="delivery.transport",
        )
    options = config.delivery.transport_options(chosen)
    if options is None:
        from pydantic import ValidationError

        try:
            options = factory.Options.model_validate({})
        except ValidationError as exc:
            raise ConfigError(
                f"[delivery.{chosen}] is needed: {exc.errors()[0]['msg']}",
                path=str(config.path),
                key=f"delivery.{chosen}",
            ) from None
    transport: Transport = factory.open(options, config.delivery, config.root, environ)
    return transport


def subject_for(document: Document, settings: Any, prefix: str = "") -> str:
    """The subject line: the report's ``subject`` setting, else "<title> — <period>"."""
    if settings is not None and settings.subject:
        return prefix + str(settings.subject).format(
            period=document.period, title=document.title, report=document.report
        )
    return f"{prefix}{document.title} — {document.period}"


def outgoing_for(
    config: Any,
    registry: Any,
    documents: Iterable[Document],
    render: Callable[[Document, str], str],
) -> list[Outgoing]:
    """Render each document for mailing: text body, HTML when enabled, attachments, recipients.

    ``attach`` entries in ``[reports.<name>]`` name a renderer (the document in that format is
    attached as ``<report>-<period>.<ext>``) or a file relative to the portfolio root.
    """
    from execbrief.errors import ConfigError
    from execbrief.message import Attachment

    out: list[Outgoing] = []
    for document in documents:
        settings = config.reports.get(document.report)
        html_wanted = (
            settings.html
            if settings is not None and settings.html is not None
            else config.delivery.html
        )
        html = render(document, "html") if html_wanted and "html" in registry.renderers else None
        attachments: list[Attachment] = []
        for entry in settings.attach if settings is not None else ():
            if entry in registry.renderers:
                renderer = registry.renderers[entry]
                filename = f"{document.report}-{document.period}.{renderer.extension}"
                media = getattr(renderer, "media_type", None)
                attachments.append(
                    Attachment(filename, render(document, entry).encode("utf-8"), media)
                )
                continue
            path = config.resolve(entry)
            try:
                attachments.append(Attachment(path.name, path.read_bytes()))
            except OSError as exc:
                raise ConfigError(
                    f"cannot read the attachment {entry!r} ({exc.strerror or exc}); expected a format name or a file",
                    path=str(config.path),
                    key=f"reports.{document.report}.attach",
                ) from None
        rendered = Rendered(
            subject=subject_for(document, settings, config.delivery.subject_prefix),
            text=render(document, "text"),
            html=html,
            attachments=tuple(attachments),
        )
        recipients = tuple(settings.recipients) if settings is not None else ()
        out.append(Outgoing(document.report, document, rendered, recipients))
    return out
