"""The operator alert: a short message naming every delivery of a run that needs a look, sent
through the transport or, when it is down, written to stderr."""

from __future__ import annotations

import sys
import textwrap
from typing import IO

from execbrief.delivery.message import Rendered, compose
from execbrief.delivery.pacing import RateLimiter, Timing
from execbrief.delivery.results import DispatchResult, Guard
from execbrief.transports.base import Transport


def alert_text(result: DispatchResult) -> str:
    """The short operator alert for a run with problems: one line per delivery that needs a look."""
    lines = [f"{_which(result)} for period {result.period} needs attention.", ""]
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
    if any(outcome.problem and outcome.status == "unknown" for outcome in result.outcomes):
        lines.append(
            "Unknown ones may have been sent and are not resent: check the recipient's mailbox"
            " or run `execbrief track`, then `execbrief send --resend-unknown` if it never arrived."
        )
    return "\n".join(wrapped_line for line in lines for wrapped_line in wrap_line(line)) + "\n"


def _which(result: DispatchResult) -> str:
    """``execbrief run 7``, or ``execbrief send`` for a run the store could not record."""
    return "execbrief send" if result.run_id is None else f"execbrief run {result.run_id}"


#: The widest line of an alert's body (RFC 5322's recommended width).
ALERT_WIDTH = 78


def wrap_line(line: str, width: int = ALERT_WIDTH) -> list[str]:
    """``line`` in lines of at most ``width`` characters, a ``- `` item's following lines
    indented under its text; an id or path longer than ``width`` is never broken, but stands
    on a line of its own."""
    if not line:
        return [""]
    indent = "  " if line.startswith("- ") else ""
    return textwrap.wrap(
        line,
        width,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    )


def send_alert(
    result: DispatchResult,
    transport: Transport,
    sender: str,
    operator: str | None,
    timing: Timing,
    limiter: RateLimiter,
    guard: Guard,
    stream: IO[str] | None,
    transport_down: bool,
) -> None:
    text = alert_text(result)
    which = "a send" if result.run_id is None else f"run {result.run_id}"
    subject = f"execbrief: delivery problems in {which} ({result.period})"
    out = stream if stream is not None else sys.stderr
    if operator and not transport_down:
        message = compose(
            Rendered(subject=subject, text=text),
            sender=sender,
            recipient=operator,
            date=timing.now(),
            report="alert",
            # no run recorded (the store refused it): the alert's time tells two such alerts apart
            period=result.period
            if result.run_id is None
            else f"{result.period}.run{result.run_id}",
            generation="" if result.run_id is not None else timing.now().isoformat(),
        )
        if not guard.check(message):
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
    write_alert(result, out)


def write_alert(result: DispatchResult, stream: IO[str] | None) -> None:
    """Write the alert to ``stream`` (stderr by default): the transport is down or no operator
    is set."""
    (stream if stream is not None else sys.stderr).write(alert_text(result))
    result.alerts.append("alert written to stderr")
