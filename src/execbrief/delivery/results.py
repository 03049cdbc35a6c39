"""What a dispatch run did: each delivery's Outcome, the run's DispatchResult, the operator's
options, and the Guard protocol every outgoing message passes."""

from __future__ import annotations

from dataclasses import dataclass, field
from email.message import EmailMessage
from enum import StrEnum
from typing import Any, Literal, Protocol

from execbrief.store.status import PROBLEMS, DeliveryStatus

__all__ = ["PROBLEMS", "DeliveryAction", "DispatchOptions", "DispatchResult", "Guard", "Outcome"]


class DeliveryAction(StrEnum):
    """What one run did with a delivery (``Outcome.action``, the counts of ``send --json``).

    Where an action ends in a status of the same name (sent, failed, ...) the values agree, so
    ``DeliveryAction(status)`` names what a run did that left a row in ``status``.
    """

    SENT = "sent"
    SKIPPED = "skipped"
    FAILED = "failed"
    BLOCKED = "blocked"
    DEFERRED = "deferred"
    PENDING = "pending"
    UNKNOWN = "unknown"
    BUSY = "busy"
    # a dry run's previews
    WOULD_SEND = "would send"
    WOULD_SEND_FORCED = "would send (forced)"
    WOULD_SEND_RESEND_UNKNOWN = "would send (resend unknown)"
    WOULD_SKIP = "would skip"
    WOULD_SKIP_UNKNOWN = "would skip (unknown)"
    WOULD_BLOCK_UNRECONCILED = "would block (unreconciled)"


#: ``Outcome.status`` of a delivery that has no row yet (a dry run's preview).
NEW: Literal["new"] = "new"


class Guard(Protocol):
    """The secret guard: descriptions of the secrets found in a message (never the values)."""

    def check(self, message: EmailMessage) -> list[str]:
        """Hit descriptions; empty when the message is clean."""
        ...


@dataclass(frozen=True)
class Outcome:
    """What happened to one delivery in this run.

    ``status`` is the delivery's status afterwards (``sent``, ``failed``, ... or ``new`` for a
    delivery a dry run has not recorded); ``action`` says what this run did (``sent``,
    ``skipped``, ``failed``, ... ``would send`` in a dry run); ``problem`` is True when the
    operator must look at it.
    """

    report: str
    period: str
    recipient: str
    status: DeliveryStatus | Literal["new"]
    action: DeliveryAction
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
            out[str(outcome.action)] = out.get(str(outcome.action), 0) + 1
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
class DispatchOptions:
    """The operator's choices for one run."""

    force: bool = False
    resend_unknown: bool = False
    allow_unreconciled: bool = False
    dry_run: bool = False
