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

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from typing import IO, Any

from execbrief.delivery.alert import send_alert
from execbrief.delivery.message import check_message, compose
from execbrief.delivery.outgoing import Outgoing
from execbrief.delivery.pacing import RateLimiter, RetryPolicy, Timing
from execbrief.delivery.results import (
    NEW,
    PROBLEMS,
    DeliveryAction,
    DispatchOptions,
    DispatchResult,
    Guard,
    Outcome,
)
from execbrief.document import Document
from execbrief.errors import (
    DeliveryError,
    OutcomeUnknown,
    QuotaExceeded,
    RecipientRejected,
    RunHalted,
    StoreError,
    TransientDeliveryError,
)
from execbrief.store.db import Delivery, DeliveryKey, Store
from execbrief.store.status import ACCEPTED, RETRYABLE, DeliveryStatus
from execbrief.transports.base import Transport


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
    guard: Guard,
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
    limiter = timing.limiter(max_send_rate or limits.max_send_rate)
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
            try:
                run.deliver(item, recipient)
            except StoreError as exc:
                result.halted = f"halted: {exc}"
                run.unrecorded(work[index:])
                break
        completed = True
    finally:
        problems = [outcome for outcome in result.outcomes if outcome.problem]
        status = "halted" if result.halted else ("failed" if problems else "ok")
        if not completed:
            status = "interrupted"  # an exception is on its way up; a claimed row shows as unknown
        summary: dict[str, Any] = {"counts": result.counts()}
        if result.halted:
            summary["halted"] = result.halted
        try:
            store.finish_run(run.run_id, status, summary)
        except StoreError:
            if not completed:
                raise
            # the halt already says why; the next run finds this run dead and recovers its rows
    if result.exit_code:
        send_alert(
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
    guard: Guard
    retry: RetryPolicy
    limiter: RateLimiter
    max_bytes: int | None
    result: DispatchResult
    run_id: int = 0
    quota_spent: bool = False
    transport_down: bool = False

    def add(
        self,
        item: Outgoing,
        recipient: str,
        status: DeliveryStatus,
        action: DeliveryAction,
        **extra: Any,
    ) -> None:
        self.result.outcomes.append(
            Outcome(
                item.report,
                self.period,
                recipient,
                status,
                action,
                problem=status in PROBLEMS and action != DeliveryAction.SKIPPED,
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
            self._hold_unreconciled(item, item.document, recipient, key, sha)
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
                DeliveryAction.SKIPPED,
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
                    DeliveryStatus.UNKNOWN,
                    DeliveryAction.UNKNOWN,
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
                DeliveryStatus.SENDING,
                DeliveryAction.BUSY,
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
        hits = self.guard.check(message)
        if hits:
            error = "secret guard blocked the message: " + "; ".join(hits)
            self.store.fail(row.id, error, status=DeliveryStatus.BLOCKED)
            self.add(
                item,
                recipient,
                DeliveryStatus.BLOCKED,
                DeliveryAction.BLOCKED,
                error=error,
                delivery_id=row.id,
            )
            return
        try:
            check_message(message, self.max_bytes)
        except DeliveryError as exc:
            self.store.fail(row.id, str(exc))
            self.add(
                item,
                recipient,
                DeliveryStatus.FAILED,
                DeliveryAction.FAILED,
                error=str(exc),
                delivery_id=row.id,
            )
            return
        tags = {"delivery": str(row.id), "report": item.report, "period": self.period}
        self._send(item, recipient, row.id, message, tags)

    def _hold_unreconciled(
        self, item: Outgoing, document: Document, recipient: str, key: DeliveryKey, sha: str
    ) -> None:
        """Record a delivery the reconciliation gate holds back, with the warnings that say why."""
        causes = [w.text for w in document.warnings if w.text.startswith("Does not reconcile")]
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
            status=DeliveryStatus.BLOCKED,
            error=reason,
        )
        if row is None:
            self._skip(item, recipient, key, unsent=(DeliveryAction.BLOCKED, reason))
        else:
            self.add(
                item,
                recipient,
                DeliveryStatus.BLOCKED,
                DeliveryAction.BLOCKED,
                error=reason,
                delivery_id=row.id,
            )

    def _skip(
        self,
        item: Outgoing,
        recipient: str,
        key: DeliveryKey,
        unsent: tuple[DeliveryAction, str] | None = None,
    ) -> None:
        """Report a delivery a gate or a halt did not record because its row says more.

        An accepted row stays as it is; if the operator forced a resend that did not happen,
        the outcome says so (``unsent``: the action and reason) and counts as a problem.
        """
        row = self.store.get(key)
        status = row.status if row else DeliveryStatus.UNKNOWN
        action, error = (
            (DeliveryAction.SKIPPED, None)
            if status in ACCEPTED
            else (DeliveryAction(status), row.error if row else None)
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
                    self._wait_to_retry(item, recipient, delivery_id, attempt, str(exc))
                    self.timing.sleep(self.retry.delay(attempt, self.timing.random()))
                    continue
                self._settle(
                    item,
                    recipient,
                    delivery_id,
                    attempt,
                    DeliveryStatus.FAILED,
                    f"gave up after {attempt} attempts: {exc}",
                )
            except QuotaExceeded as exc:
                self._settle(
                    item,
                    recipient,
                    delivery_id,
                    attempt,
                    DeliveryStatus.DEFERRED,
                    f"deferred: {exc}",
                )
                self.result.halted = f"the daily sending quota is spent ({exc}); the rest are deferred to the next run"
                self.quota_spent = True
            except RunHalted as exc:
                self._settle(item, recipient, delivery_id, attempt, DeliveryStatus.FAILED, str(exc))
                self.result.halted = f"halted: {exc}"
                self.transport_down = True
            except OutcomeUnknown as exc:
                self._settle(
                    item, recipient, delivery_id, attempt, DeliveryStatus.UNKNOWN, str(exc)
                )
            except RecipientRejected as exc:
                self._settle(
                    item, recipient, delivery_id, attempt, DeliveryStatus.FAILED, f"rejected: {exc}"
                )
            except DeliveryError as exc:
                self._settle(item, recipient, delivery_id, attempt, DeliveryStatus.FAILED, str(exc))
            except Exception as exc:
                # The transport broke in a way it does not classify: the message may or may not
                # have gone, so record it as unknown rather than risk a duplicate, and stop.
                error = f"the {self.transport.name} transport failed unexpectedly ({type(exc).__name__}: {exc})"
                self._settle(item, recipient, delivery_id, attempt, DeliveryStatus.UNKNOWN, error)
                self.result.halted = f"halted: {error}"
                self.transport_down = True
            else:
                self._record_sent(item, recipient, delivery_id, sent.message_id, sent.response)
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
                    DeliveryStatus.SENT,
                    DeliveryAction.SENT,
                    message_id=sent.message_id,
                    delivery_id=delivery_id,
                    attempts=attempt,
                )
            return

    def _record_sent(
        self,
        item: Outgoing,
        recipient: str,
        delivery_id: int,
        message_id: str,
        response: str | None,
    ) -> None:
        """Mark the delivery sent; when the store refuses, the outcome is ``unknown`` (it went
        out, the store does not know it) and the refusal halts the run."""
        try:
            self.store.complete(delivery_id, message_id, response)
        except StoreError as exc:
            self.add(
                item,
                recipient,
                DeliveryStatus.UNKNOWN,
                DeliveryAction.UNKNOWN,
                message_id=message_id,
                delivery_id=delivery_id,
                error=f"sent as {message_id}, but not recorded: {exc}",
            )
            raise

    def _wait_to_retry(
        self, item: Outgoing, recipient: str, delivery_id: int, attempt: int, error: str
    ) -> None:
        """Record that the provider refused the call and the sender waits to retry."""
        try:
            self.store.backoff(delivery_id, error)
        except StoreError:
            self._not_recorded(item, recipient, delivery_id, attempt, DeliveryStatus.FAILED, error)
            raise

    def _not_recorded(
        self,
        item: Outgoing,
        recipient: str,
        delivery_id: int,
        attempt: int,
        status: DeliveryStatus,
        error: str,
    ) -> None:
        """The outcome of a call whose verdict (``status``, ``error``) the store refused to record:
        its row stays claimed with the call counted, so the next run shows it ``unknown`` (it
        cannot know what the call did) and sends it only with --resend-unknown."""
        if status is DeliveryStatus.UNKNOWN:
            said = f"maybe sent ({error}), and the store could not record it"
        else:
            said = (
                f"not sent ({error}), but the store could not record that, so `execbrief send"
                " --resend-unknown` is safe for it"
            )
        self.add(
            item,
            recipient,
            DeliveryStatus.UNKNOWN,
            DeliveryAction.UNKNOWN,
            error=f"{said}; the next run shows it unknown and does not send it unless told",
            delivery_id=delivery_id,
            attempts=attempt,
        )

    def unrecorded(self, rest: Sequence[tuple[Outgoing, str]]) -> None:
        """The deliveries of a run a store refusal stopped, each as its row now stands and as
        the next run will take it: one whose transport was not called (no row, a retryable row,
        a row this run claimed but had not handed over) is sent by the next run."""
        for item, recipient in rest:
            if any(
                (o.report, o.recipient) == (item.report, recipient) for o in self.result.outcomes
            ):
                continue  # this one already has its outcome (its verdict not recorded)
            key = DeliveryKey(item.report, self.period, recipient)
            try:
                row = self.store.get(key)
            except (StoreError, sqlite3.Error):
                self.add(
                    item,
                    recipient,
                    DeliveryStatus.UNKNOWN,
                    DeliveryAction.UNKNOWN,
                    error="the store could not be read to tell; run `execbrief history` once it is fixed",
                )
                continue
            self.result.outcomes.append(
                _stopped(item.report, self.period, recipient, row, self.run_id)
            )

    def _settle(
        self,
        item: Outgoing,
        recipient: str,
        delivery_id: int,
        attempt: int,
        status: DeliveryStatus,
        error: str,
    ) -> None:
        """Record an attempt that did not send: in the store (failed, deferred or unknown) and in
        the run's outcomes."""
        try:
            if status == DeliveryStatus.DEFERRED:
                self.store.defer(delivery_id, error)
            elif status == DeliveryStatus.UNKNOWN:
                self.store.mark_unknown(delivery_id, error)
            else:
                self.store.fail(delivery_id, error)
        except StoreError:
            self._not_recorded(item, recipient, delivery_id, attempt, status, error)
            raise
        self.add(
            item,
            recipient,
            status,
            DeliveryAction(status),
            error=error,
            delivery_id=delivery_id,
            attempts=attempt,
        )

    def not_attempted(self, rest: Sequence[tuple[Outgoing, str]]) -> None:
        status = DeliveryStatus.DEFERRED if self.quota_spent else DeliveryStatus.PENDING
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
                self._skip(
                    item,
                    recipient,
                    key,
                    unsent=(DeliveryAction(status), f"not attempted: {reason}"),
                )
            else:
                self.add(
                    item,
                    recipient,
                    status,
                    DeliveryAction(status),
                    error=row.error,
                    delivery_id=row.id,
                )


#: What the next run does with a delivery this run's store refusal stopped before its transport
#: was called.
NEXT_RUN_SENDS = (
    "not sent: the run stopped on the store's refusal first; the next `execbrief send` sends it"
)


def _stopped(
    report: str, period: str, recipient: str, row: Delivery | None, run_id: int
) -> Outcome:
    """A delivery a store refusal stopped, as its row stands (``row``; None: never recorded) and
    as the next run will take it."""
    fields: dict[str, Any] = {"delivery_id": row.id, "attempts": row.attempts} if row else {}
    if row is None or row.status in RETRYABLE or _claimed_not_called(row, run_id):
        status = (
            row.status if row is not None and row.status in RETRYABLE else DeliveryStatus.PENDING
        )
        return Outcome(
            report,
            period,
            recipient,
            status,
            DeliveryAction.PENDING,
            error=NEXT_RUN_SENDS,
            problem=True,
            **fields,
        )
    if row.status in ACCEPTED:
        ours = row.run_id == run_id
        action = DeliveryAction.SENT if ours else DeliveryAction.SKIPPED
        return Outcome(
            report, period, recipient, row.status, action, message_id=row.message_id, **fields
        )
    if row.status is DeliveryStatus.SENDING and row.run_id != run_id:
        error = f"run {row.run_id} claimed it"
        return Outcome(
            report, period, recipient, row.status, DeliveryAction.BUSY, error=error, **fields
        )
    error = row.error or (
        "maybe sent: the transport was called and the store could not record the outcome; the"
        " next run shows it unknown and does not send it unless told"
    )
    return Outcome(
        report,
        period,
        recipient,
        DeliveryStatus.UNKNOWN,
        DeliveryAction.UNKNOWN,
        error=error,
        problem=True,
        **fields,
    )


def _claimed_not_called(row: Delivery, run_id: int) -> bool:
    """This run claimed the row and no call of the transport is in flight for it (not called yet,
    or waiting to retry after a refusal): the next run finds it dead and sends it."""
    return (
        row.status is DeliveryStatus.SENDING
        and row.run_id == run_id
        and row.waiting_since is not None
    )


def _unique(recipients: Iterable[str]) -> list[str]:
    """Recipients in lower case without repeats: one mailbox, one delivery key, one message,
    however the address is spelt in the config."""
    return list(dict.fromkeys(recipient.strip().lower() for recipient in recipients))


def _preview(
    store: Store, item: Outgoing, recipient: str, period: str, options: DispatchOptions
) -> Outcome:
    row = store.get(DeliveryKey(item.report, period, recipient))
    status = row.status if row else NEW
    action = _preview_action(item, row.status if row else None, options)
    return Outcome(
        item.report,
        period,
        recipient,
        status,
        action,
        message_id=row.message_id if row else None,
        delivery_id=row.id if row else None,
        problem=action is DeliveryAction.WOULD_BLOCK_UNRECONCILED,  # a real run would block it
    )


def _preview_action(
    item: Outgoing, status: DeliveryStatus | None, options: DispatchOptions
) -> DeliveryAction:
    """What a real run would do with a delivery now in ``status`` (None: no row yet)."""
    if status in ACCEPTED and not options.force:
        return DeliveryAction.WOULD_SKIP  # sent already: a real run skips it, gate or not
    if (
        item.document is not None
        and not item.document.reconciled
        and not options.allow_unreconciled
    ):
        return DeliveryAction.WOULD_BLOCK_UNRECONCILED
    if status in ACCEPTED:
        return DeliveryAction.WOULD_SEND_FORCED
    if status in (DeliveryStatus.UNKNOWN, DeliveryStatus.SENDING):
        if options.resend_unknown or options.force:
            return DeliveryAction.WOULD_SEND_RESEND_UNKNOWN
        return DeliveryAction.WOULD_SKIP_UNKNOWN
    return DeliveryAction.WOULD_SEND
