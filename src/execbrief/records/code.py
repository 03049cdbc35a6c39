"""Records from code, infrastructure-as-code and cloud accounts."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from execbrief.snapshot import Record, set_by_slot
from execbrief.values import Money


@dataclass(frozen=True)
class Endpoint(Record):
    """A web entry point: a Lambda route, an Apps Script doGet/doPost, a function URL.

    ``authenticated`` says whether the code checks the caller before acting; ``mutating`` whether
    the route changes state (POST/PUT/PATCH/DELETE or writes). ``function``/``function_line`` name
    the function that implements the route when it is not the handler (a dispatch-table target).
    """

    kind: str
    handler: str
    method: str | None
    route: str | None
    authenticated: bool
    mutating: bool
    auth_evidence: str | None = None
    mutation_evidence: str | None = None
    function: str | None = None
    function_line: int | None = None


@dataclass(frozen=True)
class IacIssue(Record):
    """A gap found in an infrastructure-as-code template (no WAF, auth NONE, public bucket, ...)."""

    rule: str
    resource: str
    resource_type: str
    detail: str


@set_by_slot
@dataclass(frozen=True, slots=True)
class StackItem(Record):
    """One element of a stack inventory: a language (with lines), framework, library, AWS service,
    or third party. ``category`` says which."""

    category: str
    name: str
    version: str | None = None
    lines: int | None = None


@dataclass(frozen=True)
class CodeInventory(Record):
    """Roles and feature flags the code compares against."""

    roles: tuple[str, ...]
    feature_flags: tuple[str, ...]


@dataclass(frozen=True)
class CodeCoverage(Record):
    """What one code folder's scan covered: files and lines read, and what it left out and why
    (``skipped`` counts by reason: ``binary``, ``ignored by .gitignore``, ``symbolic link``...)."""

    root: str
    files: int
    lines: int
    skipped: dict[str, int]
    #: Files and folders (ending in ``/``) that could not be read, relative to ``root``.
    unreadable: tuple[str, ...] = ()


@dataclass(frozen=True)
class CloudResource(Record):
    """A resource seen in an AWS account (or IaC): CloudFront distribution, Lambda, log group.

    ``attributes`` holds the facts rules need (``web_acl``, ``url_auth``, ``retention_days``,
    ``invocations``, ``errors``) as strings.
    """

    service: str
    resource_type: str
    resource_id: str
    attributes: dict[str, str]


@set_by_slot
@dataclass(frozen=True, slots=True)
class CloudCost(Record):
    """Cost of one service for one month, from Cost Explorer or a Cost and Usage export."""

    month: str
    service: str
    amount: Money
    usage_quantity: Decimal | None = None


@dataclass(frozen=True)
class EnvUse(Record):
    """A file of code reads the environment variable ``key`` (its first read in that file).

    Names only, never values: a portfolio-level ``.env`` is attributed by them to the entities
    whose code uses its keys (``execbrief.sharedsources``)."""

    key: str
