"""The exception tree of execbrief.

::

    ExecbriefError                    anything execbrief raises on purpose
    ├── ConfigError                   portfolio.toml or an option is wrong (exit code 2)
    ├── PluginError                   a plugin is broken or a name is registered twice (exit code 2)
    ├── SourceFailure                 a source could not be read at all; wraps a SourceError record
    ├── ReportError                   a report could not be built
    ├── DeliveryError                 a message could not be delivered
    │   ├── TransientDeliveryError    not sent, worth retrying: throttling, refused connect, 4xx
    │   ├── RecipientRejected         permanent for one recipient; the others go on
    │   ├── QuotaExceeded             the provider's daily quota is spent; the rest are deferred
    │   ├── OutcomeUnknown            maybe sent: the answer was lost or a 5xx; never retried
    │   └── RunHalted                 permanent for the whole run: auth, unverified sender, permission
    ├── GuardUnavailable              the secret guard cannot load: nothing is sent unguarded
    └── StoreError                    the SQLite store is unusable

Messages are one clear sentence naming the file, key or line and what was expected, and never
contain a secret value. ``describe_failure`` words the unexpected ones (a bug in a plugin) that a
stage catches so that the rest of the run goes on.
"""

from __future__ import annotations

import traceback
from pathlib import Path


def describe_failure(what: str, exc: BaseException, then: str = "", *, quote: bool = False) -> str:
    """One sentence for an unexpected exception a stage caught and went on from: ``what`` failed,
    the exception's type and the file:line that raised it, and ``then`` (what is missing now).

    The exception's own message is left out unless ``quote``: it may repeat the input that broke
    the code (a secret, a customer's name).
    """
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" at {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
    said = f": {exc}" if quote and str(exc) else ""
    return f"{what} failed ({type(exc).__name__}{where}{said})" + (f"; {then}" if then else "")


class ExecbriefError(Exception):
    """Base class for every error execbrief raises on purpose."""

    exit_code = 1


class ConfigError(ExecbriefError):
    """The configuration is invalid; ``path`` and ``key`` say where."""

    exit_code = 2

    def __init__(self, message: str, *, path: str | None = None, key: str | None = None) -> None:
        self.path = path
        self.key = key
        where = ", ".join(part for part in (path, key) if part)
        super().__init__(f"{where}: {message}" if where else message)


class PluginError(ExecbriefError):
    """A plugin failed to load or registered a name that another plugin already holds."""

    exit_code = 2


class SourceFailure(ExecbriefError):
    """A source could not be read; carries the ``SourceError`` record that says why."""


class ReportError(ExecbriefError):
    """A report could not be built."""


class DeliveryError(ExecbriefError):
    """A message could not be delivered."""


class TransientDeliveryError(DeliveryError):
    """Not sent, and worth retrying: throttling with an explicit code, a connection refused
    before the request was written, an SMTP 4xx. Never raised once the message may have gone:
    that is ``OutcomeUnknown``."""


class RecipientRejected(DeliveryError):
    """The provider permanently refused one recipient; other deliveries go on."""


class QuotaExceeded(DeliveryError):
    """The provider's daily sending quota is spent; the remaining deliveries are deferred."""


class OutcomeUnknown(DeliveryError):
    """Maybe sent: the request reached the provider and its answer was lost (a closed
    connection, a read timeout, a 5xx after the request, a connection dropped after the message
    data): the message may have been accepted, so it is never retried; the delivery becomes
    ``unknown`` until the operator resends it with ``--resend-unknown``."""


class RunHalted(DeliveryError):
    """A permanent failure that concerns the whole run (credentials, sender, permission)."""


class GuardUnavailable(ExecbriefError):
    """The outgoing secret guard could not be loaded; no message is sent without it."""


class StoreError(ExecbriefError):
    """The SQLite store could not be opened, migrated or written."""
