"""The delivery vocabulary: every status a delivery row can hold, and the groups the store,
dispatch, tracking and the CLI decide by.

The values are the strings stored in ``deliveries.status`` (and checked by its CHECK constraint),
so a ``DeliveryStatus`` compares equal to the text read back from an old store.
"""

from __future__ import annotations

from enum import StrEnum


class DeliveryStatus(StrEnum):
    """The status of one delivery row (docs/delivery.md, "Statuses")."""

    #: recorded, not attempted (the run halted first, or its sender stopped after the claim and
    #: before calling the transport); sent by the next run
    PENDING = "pending"
    #: claimed; the transport is being called now, is not called yet, the sender waits to
    #: retry, or the sender crashed
    SENDING = "sending"
    #: the provider accepted it; ``message_id`` is the provider's id
    SENT = "sent"
    #: the provider refused it or retries ran out; retried by the next run
    FAILED = "failed"
    #: the daily quota was spent; retried by the next run
    DEFERRED = "deferred"
    #: claimed by a sender that died before recording the outcome; not re-sent unless told
    UNKNOWN = "unknown"
    #: the secret guard or the reconciliation gate stopped it; retried by the next run
    BLOCKED = "blocked"
    #: what the provider reported later (``execbrief track``)
    DELIVERED = "delivered"
    BOUNCED = "bounced"
    COMPLAINED = "complained"
    REJECTED = "rejected"


#: The provider took the message: a delivery in one of these is not sent again unless forced.
ACCEPTED = frozenset(
    {
        DeliveryStatus.SENT,
        DeliveryStatus.DELIVERED,
        DeliveryStatus.BOUNCED,
        DeliveryStatus.COMPLAINED,
        DeliveryStatus.REJECTED,
    }
)
#: Not sent yet, and safe to (re)try: the next run claims these.
RETRYABLE = frozenset(
    {
        DeliveryStatus.PENDING,
        DeliveryStatus.FAILED,
        DeliveryStatus.DEFERRED,
        DeliveryStatus.BLOCKED,
    }
)
#: Statuses that need the operator's attention (exit code 1).
PROBLEMS = RETRYABLE | {DeliveryStatus.UNKNOWN}
#: The statuses in which the report reached its recipient (or may yet: ``sent``, no event yet).
#: A bounce or a provider's reject is accepted by the provider but never reached the mailbox.
REACHED = ACCEPTED - {DeliveryStatus.BOUNCED, DeliveryStatus.REJECTED}
#: What later provider events may move an accepted delivery to, ranked: a later event never
#: moves a delivery down (a complaint after delivery stays a complaint).
EVENT_RANK = {
    DeliveryStatus.SENT: 0,
    DeliveryStatus.UNKNOWN: 0,
    DeliveryStatus.DELIVERED: 1,
    DeliveryStatus.REJECTED: 2,
    DeliveryStatus.BOUNCED: 2,
    DeliveryStatus.COMPLAINED: 3,
}
