"""The ``security`` analysis: secrets, open endpoints and infrastructure gaps as ranked findings;
AWS cost by service and entity; savings the data supports; and each entity's stack audit.

Finding ids are stable across runs — the rule, the entity, the file (or AWS resource) and a stable
key (the secret's fingerprint, the route, the resource name), never a line number alone — so the
next run can say new, still open or resolved. Severities (``docs/metrics.md``, "Security
severities and ranking"):

- a live secret in code or config: critical; a provider credential whose mode is unknown: high;
  a generic password/token assignment: medium; a test-mode key: low;
- an unauthenticated route that moves money or deletes: critical; one that otherwise changes
  state: high; one that only reads: medium;
- a public S3 bucket: critical; CloudFront without WAF, a function URL with auth NONE, an
  anonymous Apps Script web app: high; an API route with no authorizer: high when it accepts
  writes, else medium;
- cost savings: low (they cost money, not safety).

Critical findings are tagged ``shortfall`` so the CEO report lists them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from pydantic import BaseModel, Field

from execbrief.analysis.base import Analysis, all_by
from execbrief.config import Config, Model
from execbrief.findings import AnalysisResult, CostTier, Effort, Finding, Metric, Severity
from execbrief.hookspecs import hookimpl
from execbrief.records.code import (
    CloudCost,
    CloudResource,
    CodeCoverage,
    CodeInventory,
    Endpoint,
    IacIssue,
    StackItem,
)
from execbrief.records.secrets import SecretFinding
from execbrief.secrets.scanner import KIND_LABELS
from execbrief.snapshot import Provenance, Snapshot
from execbrief.values import Cadence, Money, MoneyRange

NAME = "security"
GB = Decimal(1024**3)
#: Provider credentials: a hit is a working key unless proven otherwise.
PROVIDER_KINDS = frozenset(
    {
        "stripe-secret-key",
        "stripe-restricted-key",
        "aws-access-key-id",
        "aws-secret-access-key",
        "google-api-key",
        "github-token",
        "slack-token",
        "slack-webhook",
        "twilio-api-key",
        "twilio-account-sid",
        "sendgrid-api-key",
        "private-key",
        "twilio-auth-token",
        "mailgun-api-key",
        "mailchimp-api-key",
        "gitlab-token",
        "azure-storage-key",
        "shopify-token",
        "square-access-token",
        "braintree-access-token",
        "heroku-api-key",
        "pypi-token",
        "docker-hub-token",
        "npm-token",
        "openai-api-key",
        "rails-master-key",
        "google-service-account-key",
    }
)
#: Keys that are public by design (a Stripe publishable key sits in every checkout page).
PUBLIC_KINDS = frozenset({"stripe-publishable-key"})
ROTATE = {
    "stripe": "roll the key in the Stripe dashboard (Developers > API keys)",
    "aws": "deactivate and delete the access key in IAM, then issue a new one to a role",
    "google": "regenerate the key in Google Cloud console and restrict it by API and referrer",
    "github": "revoke the token in GitHub settings and use a fine-grained token",
    "slack": "revoke the token or webhook in the Slack app settings",
    "twilio": "rotate the key in the Twilio console",
    "sendgrid": "delete the key in SendGrid and create a restricted one",
    "private": "generate a new key pair, install the new public key or certificate wherever the "
    "old one was trusted (servers, deploy keys, the certificate authority) and revoke the old one",
    "url": "change the password on the database or service the URL opens, and give the app its "
    "own least-privilege user",
    "jwt": "revoke the token, or rotate the signing key that issued it (every token it signed "
    "stops working)",
    "npm": "revoke the token in npm (Access Tokens) and use a granular, read-only one",
    "openai": "revoke the key in the OpenAI dashboard (API keys) and create a project key",
    "mailgun": "delete the key in Mailgun (API Security) and create a new one",
    "mailchimp": "disable the key in Mailchimp (Account > Extras > API keys) and create a new one",
    "gitlab": "revoke the token in GitLab (Access Tokens) and issue one with the least scope",
    "azure": "rotate the storage account key in the Azure portal (Access keys) and move to SAS "
    "or managed identities",
    "shopify": "rotate the app's access token in the Shopify admin (Apps > Develop apps)",
    "square": "revoke the access token in the Square Developer dashboard",
    "braintree": "revoke the access token in the Braintree control panel",
    "heroku": "regenerate the API key in Heroku account settings (heroku authorizations)",
    "pypi": "delete the token on PyPI (Account settings > API tokens) and use trusted publishing",
    "docker": "revoke the access token in Docker Hub (Account settings > Personal access tokens)",
    "rails": "generate a new master key, re-encrypt credentials.yml.enc with it and rotate the "
    "secrets it held",
}
#: Words in mutation evidence that mean money moves or data is destroyed.
DANGEROUS_WRITES = ("charge", "payment", "refund", "capture", "transfer", "payout", "delete")
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE", "ANY")


class SecurityOptions(Model):
    """``[analysis.security]``: prices and thresholds behind the savings estimates."""

    log_storage_usd_per_gb_month: Decimal = Field(
        default=Decimal("0.03"),
        ge=0,
        description="CloudWatch Logs storage price (us-east-1, AWS pricing page)",
    )
    log_retention_days: int = Field(
        default=30, ge=1, description="retention recommended for log groups"
    )
    cost_months: int = Field(
        default=3, ge=1, le=24, description="months (to as_of) behind the monthly cost range"
    )
    idle_days: int = Field(
        default=30, ge=1, description="days without an invocation that make a function idle"
    )


@dataclass(frozen=True)
class StackAudit:
    """One entity's stack for the report: languages by lines, dependencies, services, parties."""

    entity: str
    languages: tuple[tuple[str, int, Provenance], ...]
    frameworks: tuple[tuple[str, str | None, Provenance], ...]
    libraries: tuple[tuple[str, str | None, Provenance], ...]
    aws_services: tuple[tuple[str, Provenance], ...]
    third_parties: tuple[tuple[str, Provenance], ...]
    iac: tuple[tuple[str, Provenance], ...]
    roles: tuple[str, ...]
    feature_flags: tuple[str, ...]
    files: int
    lines: int
    skipped: dict[str, int]
    endpoints: int
    open_endpoints: int
    provenance: tuple[Provenance, ...]
    #: Unreadable files and folders, each as ``root/relative`` (their endpoints are missing).
    unreadable: tuple[str, ...] = ()


@dataclass(frozen=True)
class CostLine:
    """Monthly AWS cost of one service for one entity: the months seen and their range."""

    entity: str
    service: str
    months: tuple[tuple[str, Money], ...]
    monthly: MoneyRange
    latest: Money
    provenance: tuple[Provenance, ...]


@dataclass(frozen=True)
class SecurityResult(AnalysisResult):
    """Findings and metrics, plus the stack audits, cost lines and endpoints the CTO report shows."""

    stacks: tuple[StackAudit, ...] = ()
    costs: tuple[CostLine, ...] = ()
    endpoints: tuple[Endpoint, ...] = ()
    allowlisted: int = 0
    allowlisted_at: tuple[Provenance, ...] = ()

    def cost_by_month(self) -> dict[str, tuple[tuple[str, Money], ...]]:
        """Each entity's AWS cost per month, all services summed (for the trend chart)."""
        return monthly_totals(self.costs)


def monthly_totals(costs: Iterable[CostLine]) -> dict[str, tuple[tuple[str, Money], ...]]:
    """Each entity's AWS cost per month, all services summed, oldest month first."""
    by_entity: dict[str, list[CostLine]] = defaultdict(list)
    for line in costs:
        by_entity[line.entity].append(line)
    out: dict[str, tuple[tuple[str, Money], ...]] = {}
    for entity, lines in sorted(by_entity.items()):
        months = sorted({m for line in lines for m, _ in line.months})
        zero = Money.zero(lines[0].latest.currency)
        out[entity] = tuple(
            (month, sum((a for line in lines for m, a in line.months if m == month), zero))
            for month in months
        )
    return out


def _options(config: Config | None) -> SecurityOptions:
    options = config.analysis_options(NAME) if config is not None else None
    return options if isinstance(options, SecurityOptions) else SecurityOptions()


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() or c in "/._-{}*" else "-" for c in text).strip("-")


def _name(snapshot: Snapshot, entity: str) -> str:
    try:
        return snapshot.entity(entity).name
    except KeyError:
        return entity


def _article(label: str) -> str:
    return f"{'An' if label[:1].lower() in 'aeiou' else 'A'} {label}"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _provider(kind: str) -> str | None:
    head = kind.split("-", 1)[0]
    return head if head in ROTATE else None


# --------------------------------------------------------------------------------------------
# Secrets
# --------------------------------------------------------------------------------------------


def _secret_findings(snapshot: Snapshot) -> tuple[list[Finding], list[Provenance]]:
    findings: list[Finding] = []
    allowlisted: list[Provenance] = []
    grouped: dict[str, list[SecretFinding]] = defaultdict(list)
    for record in snapshot.records(SecretFinding):
        if record.kind in PUBLIC_KINDS:
            continue  # meant to be shipped to browsers: not a secret
        if record.allowlisted:
            allowlisted.append(record.provenance)
            continue
        grouped[record.fingerprint].append(record)
    # One secret (one fingerprint) is one finding wherever it is written: every file and line,
    # and every entity whose sources hold it, are listed in that finding. Its id is the one the
    # first place (entity, file) gave it, so a secret found in one place keeps its id.
    for fingerprint, found in sorted(
        grouped.items(), key=lambda item: min((r.entity, r.file) for r in item[1])
    ):
        entity, file = min((r.entity, r.file) for r in found)
        records = sorted(
            {(r.file, r.line): r for r in found}.values(), key=lambda r: (r.file, r.line)
        )
        entities = sorted({r.entity for r in found})
        first = min((r for r in records if r.file == file), key=lambda r: r.line)
        label = KIND_LABELS.get(first.kind, first.kind)
        if first.live is True:
            severity, mode = Severity.CRITICAL, "live"
        elif first.live is False:
            severity, mode = Severity.LOW, "test-mode"
        elif first.kind in PROVIDER_KINDS:
            severity, mode = Severity.HIGH, "provider"
        else:
            severity, mode = Severity.MEDIUM, "generic"
        lines = _places(records)
        prefix = f", prefix {first.prefix_class}" if first.prefix_class else ""
        what = {"live": f"A live {label}", "test-mode": f"A test-mode {label}"}.get(
            mode, _article(label)
        )
        shared = (
            f" It is the same secret for {', '.join(_name(snapshot, e) for e in entities)}."
            if len(entities) > 1
            else ""
        )
        evidence = (
            f"{what} is written in {lines}: {first.length} characters{prefix}, "
            f"fingerprint {fingerprint[:8]}.{shared} Anyone with read access to the code or its "
            "history holds it."
        )
        provider = _provider(first.kind)
        if mode == "test-mode":
            fix = "Move the test key to the CI secret store or an untracked .env; it cannot move money but it invites copying the pattern."
        else:
            rotate = ROTATE.get(provider or "", "rotate the credential at its provider")
            fix = (
                f"Treat it as leaked: {rotate}; read the new one at runtime from AWS Secrets Manager or SSM "
                "Parameter Store (or an environment variable set by the deploy), remove it from the file, "
                "and purge it from git history (git filter-repo) since the old commits still hold it."
            )
        tags = ["security", "secret"]
        findings.append(
            Finding(
                id=f"security.plaintext:{entity}:{file}:{fingerprint}",
                rule="security.plaintext",
                title=f"{_capital(what.split(' ', 1)[1])} in {file}" + _elsewhere(records, file),
                severity=severity,
                entity=entity,
                evidence=evidence,
                recommendation=fix,
                effort=Effort.HOURS,
                impact=3
                if severity is Severity.CRITICAL
                else 2
                if severity is Severity.HIGH
                else 1,
                tags=tuple(tags),
                provenance=tuple(dict.fromkeys(r.provenance for r in records)),
                cost_tier=CostTier.ZERO_COST,
            )
        )
    return findings, allowlisted


def _elsewhere(records: list[SecretFinding], file: str) -> str:
    """ " and 2 more files" when the same secret is written in other files too."""
    others = len({r.file for r in records} - {file})
    return f" and {others} more file{'s' if others > 1 else ''}" if others else ""


def _places(records: list[SecretFinding]) -> str:
    """Where a secret is written: "a.py (line 3)", "a.env (lines 3, 9) and b.py (line 2)"."""
    by_file: dict[str, list[int]] = defaultdict(list)
    for record in records:
        by_file[record.file].append(record.line)
    parts = [
        f"{file} (line{'s' if len(lines) > 1 else ''} {', '.join(map(str, sorted(lines)))})"
        for file, lines in by_file.items()
    ]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


# --------------------------------------------------------------------------------------------
# Endpoints
# --------------------------------------------------------------------------------------------


def _endpoint_findings(snapshot: Snapshot) -> list[Finding]:
    findings: list[Finding] = []
    for endpoint in snapshot.records(Endpoint):
        if endpoint.authenticated:
            continue
        file = endpoint.provenance.source
        route = " ".join(p for p in (endpoint.method, endpoint.route) if p) or "every request"
        if endpoint.kind != "lambda":
            route = endpoint.handler.rsplit(":", 1)[-1] + f" ({endpoint.method})"
        evidence_text = (endpoint.mutation_evidence or "").lower()
        dangerous = (
            any(word in evidence_text for word in DANGEROUS_WRITES) or endpoint.method == "DELETE"
        )
        if endpoint.mutating and dangerous:
            severity, impact = Severity.CRITICAL, 3
        elif endpoint.mutating:
            severity, impact = Severity.HIGH, 2
        else:
            severity, impact = Severity.MEDIUM, 1
        where = endpoint.provenance.cite()
        if endpoint.kind == "lambda":
            kind = "Lambda route"
            fix = (
                "Check the caller before acting: put an API Gateway authorizer (Cognito or JWT) on the route, "
                "or verify a signed token with jwt.decode / compare an API key with hmac.compare_digest at the "
                "top of the route; for a public form, require a signed form token or captcha and rate-limit it."
            )
        else:
            kind = (
                "Apps Script web endpoint"
                if endpoint.kind == "apps-script"
                else "JavaScript web endpoint"
            )
            fix = (
                f"Reject calls without a shared secret: compare e.parameter.token with a value kept in Script "
                f"Properties (or verify an HMAC with Utilities.computeHmacSha256Signature) before {endpoint.handler.rsplit(':', 1)[-1]} "
                "writes anything, and redeploy the web app with access limited to your domain."
            )
        if endpoint.mutating:
            acts = (
                f"changes state ({endpoint.mutation_evidence})"
                if endpoint.mutation_evidence
                else "changes state"
            )
        else:
            acts = "returns data"
        by = (
            f", implemented by {endpoint.function}() at line {endpoint.function_line},"
            if endpoint.function
            else ""
        )
        evidence = (
            f"{route} in {endpoint.handler} ({where}){by} {acts} and checks no caller: no Authorization header, "
            "JWT, API key or authorizer claims are read before it acts."
        )
        tags = ["security", "endpoint"]
        findings.append(
            Finding(
                id=f"security.open-endpoint:{endpoint.entity}:{file}:{endpoint.handler}:{_slug(route)}",
                rule="security.open-endpoint",
                title=f"Unauthenticated {'state-changing ' if endpoint.mutating else ''}{kind} {route}",
                severity=severity,
                entity=endpoint.entity,
                evidence=evidence,
                recommendation=fix,
                effort=Effort.DAYS,
                impact=impact,
                tags=tuple(tags),
                provenance=_endpoint_provenance(endpoint),
                cost_tier=CostTier.ZERO_COST,
            )
        )
    return findings


def _endpoint_provenance(endpoint: Endpoint) -> tuple[Provenance, ...]:
    """The route's line, and the line of the function that implements it when that is elsewhere."""
    if endpoint.function_line is None or endpoint.function_line == endpoint.provenance.line:
        return (endpoint.provenance,)
    return (endpoint.provenance, endpoint.provenance.at_line(endpoint.function_line))


# --------------------------------------------------------------------------------------------
# Infrastructure (templates and the live account)
# --------------------------------------------------------------------------------------------

IAC_RULES: dict[str, tuple[str, str, Effort]] = {
    "cloudfront-no-waf": (
        "CloudFront distribution without a WAF web ACL",
        "Attach an AWS WAF web ACL (WebACLId / web_acl_id) with the AWS managed core rule set, the "
        "known-bad-inputs set and a rate-based rule; WAF costs about $5/month per ACL plus $1 per rule.",
        Effort.HOURS,
    ),
    "lambda-url-auth-none": (
        "Lambda function URL anyone can call",
        "Set the function URL's AuthType to AWS_IAM and front it with CloudFront origin access control, or "
        "serve it through API Gateway with an authorizer; if it must stay public, verify a signature in code.",
        Effort.HOURS,
    ),
    "api-no-authorizer": (
        "API Gateway route without an authorizer",
        "Add an authorizer (Cognito user pool, JWT or Lambda authorizer) to the route or a default "
        "authorizer to the API (Auth.DefaultAuthorizer), or require an API key with a usage plan.",
        Effort.DAYS,
    ),
    "s3-public-bucket": (
        "S3 bucket readable by anyone",
        "Turn on all four Block Public Access settings, remove public ACLs and Principal '*' statements, and "
        "serve public files through CloudFront with origin access control instead.",
        Effort.HOURS,
    ),
    "apps-script-public-webapp": (
        "Apps Script web app open to anyone",
        "Redeploy the web app with access limited to your Google Workspace domain (or 'Only myself'), "
        "and check a shared secret in doGet/doPost for callers that cannot sign in.",
        Effort.HOURS,
    ),
}


def _iac_severity(issue: IacIssue) -> tuple[Severity, int]:
    if issue.rule == "s3-public-bucket":
        return Severity.CRITICAL, 3
    if issue.rule == "api-no-authorizer":
        writes = any(f" {m} " in f" {issue.detail} " for m in WRITE_METHODS)
        return (Severity.HIGH, 2) if writes else (Severity.MEDIUM, 1)
    if issue.rule == "apps-script-public-webapp" and "ANYONE_ANONYMOUS" not in issue.detail:
        return Severity.MEDIUM, 1
    return Severity.HIGH, 2


_EVENT_ROUTE = re.compile(r"\b(GET|POST|PUT|PATCH|DELETE|ANY|HEAD)\s+(/\S*)")


def _guarded_in_code(issue: IacIssue, endpoints: list[Endpoint]) -> Endpoint | None:
    """The authenticated code route an unauthorized API event leads to, when every match checks
    (``endpoints``: those of the issue's entity)."""
    match = _EVENT_ROUTE.search(issue.detail)
    if match is None:
        return None
    method, path = match.group(1), match.group(2)

    def same_path(route: str | None) -> bool:
        if route is None:
            return True
        want = [p for p in path.strip("/").split("/") if p]
        have = [p for p in route.rstrip("*").strip("/").split("/") if p]
        return len(want) == len(have) and all(
            a == b or a.startswith("{") or b.startswith("{")
            for a, b in zip(want, have, strict=True)
        )

    lambdas = [e for e in endpoints if e.entity == issue.entity and e.kind == "lambda"]
    # a handler with no routes of its own answers whatever the template sends it; which function
    # the event targets is not known here, so it counts only when it is the entity's one handler
    only_handler = len({e.handler for e in lambdas}) == 1
    matched = [
        e
        for e in lambdas
        if (method == "ANY" or e.method in (None, method))
        and same_path(e.route)
        and (only_handler or e.method is not None or e.route is not None)
    ]
    if matched and all(e.authenticated for e in matched):
        return matched[0]
    return None


def _iac_findings(snapshot: Snapshot) -> list[Finding]:
    findings: list[Finding] = []
    endpoints = all_by(snapshot.records(Endpoint), lambda e: e.entity)
    for issue in snapshot.records(IacIssue):
        title, fix, effort = IAC_RULES.get(
            issue.rule, (issue.rule, "Fix the template.", Effort.DAYS)
        )
        severity, impact = _iac_severity(issue)
        evidence = f"{issue.resource} ({issue.resource_type}) at {issue.provenance.cite()}: {issue.detail}."
        guarded = (
            _guarded_in_code(issue, endpoints.get(issue.entity, []))
            if issue.rule == "api-no-authorizer"
            else None
        )
        if guarded is not None:
            # the handler checks the caller itself: the gateway's missing authorizer is depth, not a hole
            severity, impact = Severity.LOW, 1
            evidence += f" The handler checks the caller itself ({guarded.provenance.cite()}: {guarded.auth_evidence})."
        tags = ["security", "iac"]
        findings.append(
            Finding(
                id=f"security.{issue.rule}:{issue.entity}:{issue.provenance.source}:{issue.resource}",
                rule=f"security.{issue.rule}",
                title=f"{title}: {issue.resource}",
                severity=severity,
                entity=issue.entity,
                evidence=evidence,
                recommendation=fix,
                effort=effort,
                impact=impact,
                tags=tuple(tags),
                provenance=(issue.provenance,),
                cost_tier=CostTier.ZERO_COST
                if issue.rule != "cloudfront-no-waf"
                else CostTier.LOW_COST,
            )
        )
    return findings


def _cloud_findings(snapshot: Snapshot) -> list[Finding]:
    findings: list[Finding] = []
    for resource in snapshot.records(CloudResource):
        attrs = resource.attributes
        if (
            resource.service == "cloudfront"
            and resource.resource_type == "distribution"
            and not attrs.get("web_acl")
        ):
            rule = "cloudfront-no-waf"
            detail = f"distribution {resource.resource_id} ({attrs.get('aliases') or attrs.get('domain', '')}) has no web ACL"
        elif resource.service == "lambda" and "NONE" in attrs.get("url_auth", "").split(","):
            rule = "lambda-url-auth-none"
            detail = f"function {resource.resource_id} has a function URL with AuthType NONE"
        else:
            continue
        title, fix, effort = IAC_RULES[rule]
        findings.append(
            Finding(
                id=f"security.{rule}:{resource.entity}:aws:{resource.resource_id}",
                rule=f"security.{rule}",
                title=f"{title}: {resource.resource_id} (live account)",
                severity=Severity.HIGH,
                entity=resource.entity,
                evidence=f"The AWS account reports that {detail} ({resource.provenance.cite()}).",
                recommendation=fix,
                effort=effort,
                impact=2,
                tags=("security", "aws"),
                provenance=(resource.provenance,),
                cost_tier=CostTier.LOW_COST if rule == "cloudfront-no-waf" else CostTier.ZERO_COST,
            )
        )
    return findings


# --------------------------------------------------------------------------------------------
# Cost and savings
# --------------------------------------------------------------------------------------------


def _cost_lines(snapshot: Snapshot, options: SecurityOptions) -> list[CostLine]:
    last = snapshot.as_of.year * 12 + snapshot.as_of.month - 1
    window = {
        f"{(last - k) // 12:04d}-{(last - k) % 12 + 1:02d}" for k in range(options.cost_months)
    }
    grouped: dict[tuple[str, str], dict[str, tuple[Money, list[Provenance]]]] = defaultdict(dict)
    for cost in snapshot.records(CloudCost):
        if cost.month not in window:
            continue
        months = grouped[(cost.entity, cost.service)]
        if cost.month in months:
            amount, provs = months[cost.month]
            months[cost.month] = (amount + cost.amount, [*provs, cost.provenance])
        else:
            months[cost.month] = (cost.amount, [cost.provenance])
    lines: list[CostLine] = []
    for (entity, service), months in sorted(grouped.items()):
        ordered = sorted(months.items())
        amounts = [amount for _, (amount, _) in ordered]
        low = min(amounts, key=lambda m: m.amount)
        high = max(amounts, key=lambda m: m.amount)
        lines.append(
            CostLine(
                entity=entity,
                service=service,
                months=tuple((month, amount) for month, (amount, _) in ordered),
                monthly=MoneyRange(low, high, Cadence.MONTH),
                latest=ordered[-1][1][0],
                provenance=tuple(p for _, (_, provs) in ordered for p in provs),
            )
        )
    return lines


def _money(amount: Decimal, currency: str = "USD") -> Money:
    return Money(amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), currency)


def _savings(snapshot: Snapshot, options: SecurityOptions, costs: list[CostLine]) -> list[Finding]:
    findings: list[Finding] = []
    resources = snapshot.records(CloudResource)
    log_groups = {(r.entity, r.resource_id): r for r in resources if r.service == "logs"}
    price = options.log_storage_usd_per_gb_month
    keep = options.log_retention_days
    for resource in sorted(log_groups.values(), key=lambda r: (r.entity, r.resource_id)):
        if resource.attributes.get("retention_days"):
            continue
        stored = Decimal(resource.attributes.get("stored_bytes") or "0")
        gb = stored / GB
        created = resource.attributes.get("created") or ""
        age = (snapshot.as_of - date.fromisoformat(created)).days if created else None
        # with steady ingestion, the share of stored data older than the retention is 1 - keep/age
        share = Decimal(max(0, age - keep)) / Decimal(age) if age and age > 0 else Decimal(1)
        monthly = gb * price
        saving = _money(monthly * share)
        age_text = f"created {created} ({age} days ago)" if age is not None else "age unknown"
        findings.append(
            Finding(
                id=f"cost.log-retention:{resource.entity}:{resource.resource_id}",
                rule="cost.log-retention",
                title=f"Log group {resource.resource_id} keeps logs forever",
                severity=Severity.LOW,
                entity=resource.entity,
                evidence=(
                    f"{resource.resource_id} has no retention policy and stores {gb.quantize(Decimal('0.001'))} GB "
                    f"({age_text}); at ${price}/GB-month that is {_money(monthly)}/mo, of which about "
                    f"{(share * 100).quantize(Decimal('1'))}% is older than {keep} days."
                ),
                recommendation=f"Set a {keep}-day retention (aws logs put-retention-policy --retention-in-days {keep}); export what must be kept to S3 Glacier.",
                effort=Effort.HOURS,
                impact=1,
                tags=("cost", "aws"),
                provenance=(resource.provenance,),
                monthly_effect=MoneyRange(saving, saving, Cadence.MONTH, approximate=True),
                cost_tier=CostTier.ZERO_COST,
            )
        )
    for resource in resources:
        if resource.service != "lambda" or resource.attributes.get("invocations", "") != "0":
            continue
        group = log_groups.get((resource.entity, f"/aws/lambda/{resource.resource_id}"))
        stored = Decimal(group.attributes.get("stored_bytes") or "0") if group else Decimal(0)
        saving = _money(stored / GB * price)
        days = resource.attributes.get("metric_days", str(options.idle_days))
        findings.append(
            Finding(
                id=f"cost.idle-function:{resource.entity}:{resource.resource_id}",
                rule="cost.idle-function",
                title=f"Lambda function {resource.resource_id} was not invoked in {days} days",
                severity=Severity.LOW,
                entity=resource.entity,
                evidence=(
                    f"CloudWatch reports 0 invocations of {resource.resource_id} in the {days} days to "
                    f"{snapshot.as_of.isoformat()} ({resource.attributes.get('metric_source', 'CloudWatch')}). "
                    "An idle function costs little by itself (Lambda bills per request) but its logs, URL and "
                    "permissions remain attack surface."
                ),
                recommendation="Confirm nothing calls it, then delete the function, its URL, its IAM role and its log group.",
                effort=Effort.HOURS,
                impact=1,
                tags=("cost", "aws", "security"),
                provenance=tuple(
                    p for p in (resource.provenance, group.provenance if group else None) if p
                ),
                monthly_effect=MoneyRange(saving, saving, Cadence.MONTH, approximate=True),
                cost_tier=CostTier.ZERO_COST,
            )
        )
    distributions: dict[tuple[str, str], list[CloudResource]] = defaultdict(list)
    for resource in resources:
        if resource.service == "cloudfront" and resource.attributes.get("origins"):
            distributions[(resource.entity, resource.attributes["origins"])].append(resource)
    cloudfront_cost = {c.entity: c.latest for c in costs if "cloudfront" in c.service.lower()}
    for (entity, origins), duplicates in sorted(distributions.items()):
        if len(duplicates) < 2:
            continue
        total = sum(1 for r in resources if r.entity == entity and r.service == "cloudfront")
        latest = cloudfront_cost.get(entity)
        saving = (
            _money(latest.amount * Decimal(len(duplicates) - 1) / Decimal(total), latest.currency)
            if latest is not None and total
            else Money(Decimal("0.00"), snapshot.currency)
        )
        ids = ", ".join(sorted(r.resource_id for r in duplicates))
        findings.append(
            Finding(
                id=f"cost.duplicate-distribution:{entity}:{origins}",
                rule="cost.duplicate-distribution",
                title=f"{len(duplicates)} CloudFront distributions serve the same origin",
                severity=Severity.LOW,
                entity=entity,
                evidence=f"Distributions {ids} all serve {origins}.",
                recommendation="Keep one distribution (move the aliases to it) and delete the others.",
                effort=Effort.HOURS,
                impact=1,
                tags=("cost", "aws"),
                provenance=tuple(r.provenance for r in duplicates),
                monthly_effect=MoneyRange(saving, saving, Cadence.MONTH, approximate=True),
                cost_tier=CostTier.ZERO_COST,
            )
        )
    return findings


# --------------------------------------------------------------------------------------------
# Stack audit
# --------------------------------------------------------------------------------------------


def _stacks(snapshot: Snapshot) -> list[StackAudit]:
    audits: list[StackAudit] = []
    for info in snapshot.entities:
        items = snapshot.records(StackItem, info.id)
        coverage = snapshot.records(CodeCoverage, info.id)
        if not items and not coverage:
            continue
        inventories = snapshot.records(CodeInventory, info.id)
        endpoints = snapshot.records(Endpoint, info.id)
        languages: dict[str, tuple[int, Provenance]] = {}
        for item in items:
            if item.category == "language":
                lines, prov = languages.get(item.name, (0, item.provenance))
                languages[item.name] = (lines + (item.lines or 0), prov)

        def firsts(category: str, records: list[StackItem] = items) -> list[StackItem]:
            return _firsts(records, category)

        audits.append(
            StackAudit(
                entity=info.id,
                languages=tuple(
                    (name, lines, prov)
                    for name, (lines, prov) in sorted(
                        languages.items(), key=lambda kv: (-kv[1][0], kv[0])
                    )
                ),
                frameworks=tuple((i.name, i.version, i.provenance) for i in firsts("framework")),
                libraries=tuple((i.name, i.version, i.provenance) for i in firsts("library")),
                aws_services=tuple((i.name, i.provenance) for i in firsts("aws")),
                third_parties=tuple((i.name, i.provenance) for i in firsts("third_party")),
                iac=tuple((i.name, i.provenance) for i in firsts("iac")),
                roles=tuple(sorted({r for inv in inventories for r in inv.roles})),
                feature_flags=tuple(sorted({f for inv in inventories for f in inv.feature_flags})),
                files=sum(c.files for c in coverage),
                lines=sum(c.lines for c in coverage),
                skipped=_sum_dicts(c.skipped for c in coverage),
                endpoints=len(endpoints),
                open_endpoints=sum(1 for e in endpoints if not e.authenticated),
                provenance=tuple(c.provenance for c in coverage),
                unreadable=tuple(f"{c.root}/{u}" for c in coverage for u in c.unreadable),
            )
        )
    return audits


def _firsts(records: list[StackItem], category: str) -> list[StackItem]:
    """The first item of each name in ``category``, sorted by name."""
    seen: dict[str, StackItem] = {}
    for item in records:
        if item.category == category:
            seen.setdefault(item.name, item)
    return sorted(seen.values(), key=lambda item: item.name.lower())


def _sum_dicts(dicts: Iterable[dict[str, int]]) -> dict[str, int]:
    total: dict[str, int] = defaultdict(int)
    for item in dicts:
        for key, value in item.items():
            total[key] += value
    return dict(sorted(total.items()))


# --------------------------------------------------------------------------------------------
# The analysis
# --------------------------------------------------------------------------------------------


def _metrics(
    snapshot: Snapshot, costs: list[CostLine], findings: list[Finding], savings: list[Finding]
) -> list[Metric]:
    metrics: list[Metric] = []
    by_entity: dict[str, list[CostLine]] = defaultdict(list)
    for line in costs:
        by_entity[line.entity].append(line)
        metrics.append(
            Metric(
                id=f"security.aws.cost.{_slug(line.service).lower()}",
                label=f"AWS {line.service} ({_name(snapshot, line.entity)})",
                value=line.monthly,
                entity=line.entity,
                formula="lowest..highest monthly unblended cost over the months read (docs/metrics.md#aws-cost)",
                provenance=line.provenance,
            )
        )
    monthly = monthly_totals(costs)
    for entity, lines in sorted(by_entity.items()):
        totals = [amount for _month, amount in monthly[entity]]
        low = min(totals, key=lambda m: m.amount)
        high = max(totals, key=lambda m: m.amount)
        metrics.append(
            Metric(
                id="security.aws.cost.total",
                label=f"AWS cost, all services ({_name(snapshot, entity)})",
                value=MoneyRange(low, high, Cadence.MONTH),
                entity=entity,
                formula="lowest..highest monthly total over the months read (docs/metrics.md#aws-cost)",
                provenance=tuple(p for line in lines for p in line.provenance),
            )
        )
    counts: dict[Severity, int] = defaultdict(int)
    for finding in findings:
        counts[finding.severity] += 1
    for severity in (Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM):
        metrics.append(
            Metric(
                id=f"security.findings.{severity.value}",
                label=f"{severity.value.title()} security findings",
                value=counts[severity],
                unit="findings",
                formula="count of security findings at this severity",
                provenance=tuple(
                    p for f in findings if f.severity is severity for p in f.provenance[:1]
                ),
            )
        )
    if savings:
        currency = snapshot.currency
        total = Money.zero(currency)
        for finding in savings:
            effect = finding.monthly_effect
            if isinstance(effect, MoneyRange):
                total = total + effect.high
            elif isinstance(effect, Money):
                total = total + effect
        metrics.append(
            Metric(
                id="security.aws.savings",
                label="AWS savings found",
                value=MoneyRange(total, total, Cadence.MONTH, approximate=True),
                formula="sum of the savings findings' estimates (docs/metrics.md#savings-estimates)",
                provenance=tuple(p for f in savings for p in f.provenance[:1]),
            )
        )
    return metrics


def analyze(snapshot: Snapshot, config: Config | None = None) -> SecurityResult:
    """Every security finding, cost line, saving and stack audit of the snapshot."""
    options = _options(config)
    secrets, allowlisted = _secret_findings(snapshot)
    security = [
        *secrets,
        *_endpoint_findings(snapshot),
        *_iac_findings(snapshot),
        *_cloud_findings(snapshot),
    ]
    costs = _cost_lines(snapshot, options)
    savings = _savings(snapshot, options, costs)
    findings = sorted([*security, *savings], key=lambda f: (f.severity.rank, f.id))
    return SecurityResult(
        name=NAME,
        metrics=tuple(_metrics(snapshot, costs, security, savings)),
        findings=tuple(findings),
        stacks=tuple(_stacks(snapshot)),
        costs=tuple(costs),
        endpoints=tuple(snapshot.records(Endpoint)),
        allowlisted=len(allowlisted),
        allowlisted_at=tuple(allowlisted),
    )


class SecurityAnalysis:
    """The ``security`` analysis plugin."""

    name = NAME
    description = (
        "Secrets, open endpoints, IaC and cloud gaps; AWS cost, savings and the stack audit."
    )
    Options: type[BaseModel] = SecurityOptions
    EntityOptions: type[BaseModel] | None = None

    def analyze(self, snapshot: Snapshot, config: Config) -> SecurityResult:
        """Compute the security result."""
        return analyze(snapshot, config)


@hookimpl
def register_analyses() -> list[Analysis]:
    """The security analysis."""
    return [SecurityAnalysis()]
