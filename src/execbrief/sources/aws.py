"""The ``aws`` source: what an AWS account runs and costs, read through boto3 (or a CUR export).

``aws = { profile = "harbor", region = "us-east-1" }`` on an entity; with no account access,
``aws = { cur_export = "billing/harbor-cur.csv" }`` reads a Cost and Usage Report CSV instead.
Tests and local emulators set ``endpoint_url`` (or ``AWS_ENDPOINT_URL``).

Read-only calls, each cited as ``aws:<service>:<Operation>``:

- ``cloudfront:ListDistributions``: each distribution and its web ACL (``web_acl`` empty = no WAF);
- ``lambda:ListFunctions`` + ``lambda:ListFunctionUrlConfigs``: each function and its URL auth;
- ``cloudwatch:GetMetricStatistics``: each function's ``Invocations`` and ``Errors`` (Sum) over
  the 30 days ending on ``as_of``;
- ``logs:DescribeLogGroups``: each log group, its retention (empty = never expires), stored bytes
  and creation date;
- ``ce:GetCostAndUsage``: unblended cost by service per month, ``months`` months up to ``as_of``.

A missing boto3, a missing profile or no credentials is one clear ``SourceError``; a call the
account refuses (AccessDenied) is a non-fatal error naming the call, and the other calls go on.
"""

from __future__ import annotations

import csv
import io
import os
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import Field

from execbrief.config import Model
from execbrief.hookspecs import hookimpl
from execbrief.records.code import CloudCost, CloudResource
from execbrief.snapshot import Provenance, Record, SourceError, SourceResult
from execbrief.sources.base import BaseSource, Source, SourceRequest
from execbrief.sources.files import Location, ReadError, file_kind
from execbrief.values import Money

KIND = "aws"
METRIC_DAYS = 30
#: CUR column aliases: the first present wins (CUR 1.0 slash names, CUR 2.0 underscores, plain).
CUR_COLUMNS = {
    "start": ("lineItem/UsageStartDate", "line_item_usage_start_date", "UsageStartDate", "Date"),
    "service": ("product/ProductName", "product_product_name", "lineItem/ProductCode", "line_item_product_code", "ProductName", "Service"),
    "cost": ("lineItem/UnblendedCost", "line_item_unblended_cost", "UnblendedCost", "Cost"),
    "usage": ("lineItem/UsageAmount", "line_item_usage_amount", "UsageQuantity"),
    "currency": ("lineItem/CurrencyCode", "line_item_currency_code", "CurrencyCode", "Currency"),
}  # fmt: skip


class AwsOptions(Model):
    """Options of the aws source."""

    profile: str | None = Field(default=None, description="AWS profile (~/.aws/config)")
    region: str = Field(default="us-east-1", description="region of Lambda and CloudWatch")
    cur_export: str | None = Field(
        default=None, description="Cost and Usage Report CSV, instead of API calls for cost"
    )
    endpoint_url: str | None = Field(default=None, description="API endpoint (tests, emulators)")
    months: int = Field(default=3, ge=1, le=14, description="months of cost to read")
    api: bool | None = Field(
        default=None, description="call the AWS APIs (default: unless only cur_export is given)"
    )


@dataclass
class _Run:
    request: SourceRequest
    options: AwsOptions
    records: list[Record]
    errors: list[SourceError]

    def error(
        self, where: str, message: str, *, fatal: bool = False, line: int | None = None
    ) -> None:
        """One SourceError naming the file or API call."""
        self.errors.append(
            SourceError(self.request.entity.id, KIND, Provenance(where, line), message, fatal=fatal)
        )


class AwsSource(BaseSource):
    """CloudFront, Lambda, CloudWatch and Cost Explorer, read-only; or a CUR CSV export."""

    name = KIND
    description = "AWS account: CloudFront WAF, Lambda URLs and use, log retention, cost by service"
    Options = AwsOptions

    def collect(self, request: SourceRequest) -> SourceResult:
        """Read the account (and/or the CUR export); never raises for missing access."""
        options = request.spec.options
        assert isinstance(options, AwsOptions)
        run = _Run(request, options, [], [])
        if options.cur_export:
            _read_cur(run, options.cur_export)
        use_api = (
            options.api
            if options.api is not None
            else not (options.cur_export and not options.profile)
        )
        if use_api:
            _read_account(run)
        return SourceResult(
            entity=request.entity.id,
            kind=KIND,
            paths=tuple(request.spec.paths) or tuple(p for p in (options.cur_export,) if p),
            records=tuple(run.records),
            errors=tuple(run.errors),
        )


# --------------------------------------------------------------------------------------------
# The account, through boto3
# --------------------------------------------------------------------------------------------


def _session(run: _Run) -> Any:
    try:
        import boto3
        from botocore.exceptions import ProfileNotFound
    except ImportError:
        run.error(
            "aws", "boto3 is not installed; pip install boto3 to read AWS accounts", fatal=True
        )
        return None
    try:
        return boto3.session.Session(
            profile_name=run.options.profile, region_name=run.options.region
        )
    except ProfileNotFound:
        run.error(
            f"aws:profile:{run.options.profile}",
            f"AWS profile {run.options.profile!r} is not configured; add it to ~/.aws/config or fix aws.profile",
            fatal=True,
        )
        return None


def _read_account(run: _Run) -> None:
    session = _session(run)
    if session is None:
        return
    from botocore.config import Config as BotoConfig
    from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

    endpoint = run.options.endpoint_url or os.environ.get("AWS_ENDPOINT_URL") or None
    config = BotoConfig(
        retries={"max_attempts": 3, "mode": "standard"}, connect_timeout=10, read_timeout=30
    )

    def client(service: str, region: str | None = None) -> Any:
        return session.client(
            service, region_name=region or run.options.region, endpoint_url=endpoint, config=config
        )

    if session.get_credentials() is None:
        who = (
            f"profile {run.options.profile!r}"
            if run.options.profile
            else "the default credential chain"
        )
        run.error(
            "aws",
            f"no AWS credentials found ({who}); configure credentials or give aws.cur_export for cost only",
            fatal=True,
        )
        return
    steps = (
        (
            "cloudfront",
            "ListDistributions",
            lambda: _cloudfront(run, client("cloudfront", "us-east-1")),
        ),
        ("lambda", "ListFunctions", lambda: _lambda(run, client("lambda"), client("cloudwatch"))),
        ("logs", "DescribeLogGroups", lambda: _logs(run, client("logs"))),
        ("ce", "GetCostAndUsage", lambda: _costs(run, client("ce", "us-east-1"))),
    )
    for service, operation, step in steps:
        try:
            step()
        except NoCredentialsError:
            run.error(
                f"aws:{service}:{operation}",
                "no AWS credentials found; configure credentials",
                fatal=True,
            )
            return
        except ClientError as exc:
            error = exc.response.get("Error", {})
            code = error.get("Code", "error")
            run.error(
                f"aws:{service}:{exc.operation_name or operation}",
                f"the account refused {service}:{exc.operation_name or operation} ({code}); grant read access or skip it",
            )
        except BotoCoreError as exc:
            run.error(
                f"aws:{service}:{operation}",
                f"could not call {service}:{operation} ({type(exc).__name__}: {exc})",
            )


def _api(service: str, operation: str, detail: str | None = None) -> Provenance:
    return Provenance(f"aws:{service}:{operation}", detail=detail)


def _cloudfront(run: _Run, cloudfront: Any) -> None:
    for page in cloudfront.get_paginator("list_distributions").paginate():
        for item in (page.get("DistributionList") or {}).get("Items") or []:
            aliases = (item.get("Aliases") or {}).get("Items") or []
            origins = sorted(
                o.get("DomainName", "") for o in (item.get("Origins") or {}).get("Items") or []
            )
            run.records.append(
                CloudResource(
                    entity=run.request.entity.id,
                    provenance=_api("cloudfront", "ListDistributions", item["Id"]),
                    service="cloudfront",
                    resource_type="distribution",
                    resource_id=item["Id"],
                    attributes={
                        "web_acl": item.get("WebACLId") or "",
                        "domain": item.get("DomainName", ""),
                        "aliases": ",".join(aliases),
                        "origins": ",".join(origins),
                        "enabled": str(item.get("Enabled", True)).lower(),
                        "price_class": item.get("PriceClass", ""),
                    },
                )
            )


def _lambda(run: _Run, lambda_: Any, cloudwatch: Any) -> None:

    end = datetime.combine(run.request.as_of + timedelta(days=1), datetime.min.time())
    start = end - timedelta(days=METRIC_DAYS)
    for page in lambda_.get_paginator("list_functions").paginate():
        for function in page.get("Functions") or []:
            name = function["FunctionName"]
            url_auth = _url_auth(run, lambda_, name)
            counts = {}
            for metric in ("Invocations", "Errors"):
                answer = cloudwatch.get_metric_statistics(
                    Namespace="AWS/Lambda",
                    MetricName=metric,
                    Dimensions=[{"Name": "FunctionName", "Value": name}],
                    StartTime=start,
                    EndTime=end,
                    Period=86400,
                    Statistics=["Sum"],
                )
                total = sum(
                    Decimal(str(point.get("Sum", 0))) for point in answer.get("Datapoints") or []
                )
                counts[metric] = str(int(total))
            run.records.append(
                CloudResource(
                    entity=run.request.entity.id,
                    provenance=_api("lambda", "ListFunctions", name),
                    service="lambda",
                    resource_type="function",
                    resource_id=name,
                    attributes={
                        "url_auth": url_auth,
                        "runtime": function.get("Runtime", ""),
                        "memory_mb": str(function.get("MemorySize", "")),
                        "invocations": counts["Invocations"],
                        "errors": counts["Errors"],
                        "metric_days": str(METRIC_DAYS),
                        "metric_source": "aws:cloudwatch:GetMetricStatistics",
                    },
                )
            )


def _url_auth(run: _Run, lambda_: Any, name: str) -> str:
    """The function URL's auth type(s), or "" when the function has no URL.

    ``ListFunctionUrlConfigs`` first; where an endpoint does not implement it (moto answers 404),
    ``GetFunctionUrlConfig`` for the unqualified function.
    """
    from botocore.exceptions import ClientError

    try:
        urls = lambda_.list_function_url_configs(FunctionName=name).get("FunctionUrlConfigs") or []
        return ",".join(sorted({u.get("AuthType", "") for u in urls}))
    except ClientError as exc:
        code = str(exc.response.get("Error", {}).get("Code", "error"))
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        if (
            code not in {"404", "ResourceNotFoundException", "UnknownOperationException"}
            and status != 404
        ):
            run.error(
                f"aws:lambda:ListFunctionUrlConfigs ({name})",
                f"could not read the function URL of {name} ({code})",
            )
            return ""
    try:
        return str(lambda_.get_function_url_config(FunctionName=name).get("AuthType", ""))
    except ClientError as exc:
        code = str(exc.response.get("Error", {}).get("Code", "error"))
        if code != "ResourceNotFoundException":
            run.error(
                f"aws:lambda:GetFunctionUrlConfig ({name})",
                f"could not read the function URL of {name} ({code})",
            )
        return ""


def _logs(run: _Run, logs: Any) -> None:
    for page in logs.get_paginator("describe_log_groups").paginate():
        for group in page.get("logGroups") or []:
            name = group["logGroupName"]
            retention = group.get("retentionInDays")
            run.records.append(
                CloudResource(
                    entity=run.request.entity.id,
                    provenance=_api("logs", "DescribeLogGroups", name),
                    service="logs",
                    resource_type="log-group",
                    resource_id=name,
                    attributes={
                        "retention_days": str(retention) if retention else "",
                        "stored_bytes": str(group.get("storedBytes", 0)),
                        "created": _day(group.get("creationTime")),
                    },
                )
            )


def _day(epoch_ms: Any) -> str:
    """An epoch in milliseconds as an ISO date (UTC), or ""."""
    if not isinstance(epoch_ms, int | float):
        return ""
    return datetime.fromtimestamp(epoch_ms / 1000, tz=UTC).date().isoformat()


def _month_start(day: date, back: int = 0) -> date:
    index = day.year * 12 + day.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


def _costs(run: _Run, ce: Any) -> None:
    start = _month_start(run.request.as_of, run.options.months - 1)
    end = _month_start(run.request.as_of, -1)
    token: str | None = None
    while True:
        kwargs: dict[str, Any] = {
            "TimePeriod": {"Start": start.isoformat(), "End": end.isoformat()},
            "Granularity": "MONTHLY",
            "Metrics": ["UnblendedCost"],
            "GroupBy": [{"Type": "DIMENSION", "Key": "SERVICE"}],
        }
        if token:
            kwargs["NextPageToken"] = token
        answer = ce.get_cost_and_usage(**kwargs)
        for period in answer.get("ResultsByTime") or []:
            month = str(period.get("TimePeriod", {}).get("Start", ""))[:7]
            for group in period.get("Groups") or []:
                service = (group.get("Keys") or ["?"])[0]
                metric = (group.get("Metrics") or {}).get("UnblendedCost") or {}
                try:
                    amount = Decimal(str(metric.get("Amount", "0")))
                except InvalidOperation:
                    continue
                run.records.append(
                    CloudCost(
                        entity=run.request.entity.id,
                        provenance=_api("ce", "GetCostAndUsage", f"{month} {service}"),
                        month=month,
                        service=service,
                        amount=Money(
                            amount.quantize(Decimal("0.01")),
                            metric.get("Unit") or run.request.currency,
                        ),
                    )
                )
        token = answer.get("NextPageToken")
        if not token:
            break


# --------------------------------------------------------------------------------------------
# A Cost and Usage Report export
# --------------------------------------------------------------------------------------------


def _read_cur(run: _Run, configured: str) -> None:
    path = run.request.resolve(configured)
    display = run.request.display(path)
    if file_kind(path) == "missing":
        run.error(
            display,
            "no such file; expected a Cost and Usage Report CSV at aws.cur_export",
            fatal=True,
        )
        return
    try:
        # Through the file layer: a FIFO, socket or device is refused unopened (it would block).
        with Location(display, path=path).open_binary() as handle:
            text = handle.read().decode("utf-8-sig")
    except ReadError as exc:
        run.error(display, exc.message, fatal=True)
        return
    except (OSError, UnicodeDecodeError) as exc:
        run.error(display, f"cannot be read as UTF-8 CSV ({exc})", fatal=True)
        return
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if not header:
        run.error(
            display, "is empty; expected a Cost and Usage Report CSV with a header row", fatal=True
        )
        return
    index: dict[str, int] = {}
    for key, aliases in CUR_COLUMNS.items():
        for alias in aliases:
            if alias in header:
                index[key] = header.index(alias)
                break
    missing = [key for key in ("start", "service", "cost") if key not in index]
    if missing:
        wanted = " / ".join(CUR_COLUMNS[missing[0]][:2])
        run.error(display, f"has no {missing[0]} column; expected {wanted}", fatal=True, line=1)
        return
    totals: dict[tuple[str, str, str], list[Any]] = defaultdict(
        lambda: [Decimal(0), Decimal(0), None, 0]
    )
    bad: list[int] = []
    for line, row in enumerate(reader, 2):
        if not row or all(not cell.strip() for cell in row):
            continue
        try:
            month = row[index["start"]].strip()[:7]
            date(int(month[:4]), int(month[5:7]), 1)
            cost = Decimal(row[index["cost"]].strip() or "0")
            usage = Decimal(row[index["usage"]].strip() or "0") if "usage" in index else Decimal(0)
            service = row[index["service"]].strip() or "Unknown"
            currency = (
                row[index["currency"]].strip() if "currency" in index else run.request.currency
            )
        except (IndexError, ValueError, InvalidOperation):
            bad.append(line)
            continue
        entry = totals[(month, service, currency or run.request.currency)]
        entry[0] += cost
        entry[1] += usage
        entry[2] = entry[2] or line
        entry[3] += 1
    for (month, service, currency), (cost, usage, first, rows) in sorted(totals.items()):
        run.records.append(
            CloudCost(
                entity=run.request.entity.id,
                provenance=Provenance(display, first, detail=f"{rows} line items"),
                month=month,
                service=service,
                amount=Money(cost.quantize(Decimal("0.01")), currency),
                usage_quantity=usage if "usage" in index else None,
            )
        )
    if bad:
        shown = ", ".join(str(n) for n in bad[:5])
        run.errors.append(
            SourceError(
                run.request.entity.id,
                KIND,
                Provenance(display, bad[0]),
                f"{len(bad)} row(s) skipped (lines {shown}); expected a usage date (YYYY-MM-...) and a numeric cost",
                rows_skipped=len(bad),
                fatal=False,
            )
        )


@hookimpl
def register_sources() -> list[Source]:
    """The AWS account source."""
    return [AwsSource()]
