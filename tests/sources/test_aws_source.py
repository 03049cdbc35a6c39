"""The aws source against moto's server over HTTP (never a live account), and CUR CSV exports."""

from __future__ import annotations

import io
import json
import socket
import sys
import urllib.request
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import boto3
import pytest

from execbrief.config import Entity, SourceSpec
from execbrief.records.code import CloudCost, CloudResource
from execbrief.snapshot import SourceResult
from execbrief.sources.aws import AwsOptions, AwsSource
from execbrief.sources.base import SourceRequest
from execbrief.values import Money

moto_server = pytest.importorskip("moto.server")
AS_OF = date(2026, 11, 20)
REGION = "us-east-1"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    server = moto_server.ThreadedMotoServer(
        ip_address="127.0.0.1", port=_free_port(), verbose=False
    )
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture(autouse=True)
def fake_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)


def _client(service: str, endpoint: str) -> object:
    return boto3.client(service, region_name=REGION, endpoint_url=endpoint)


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("app.py", "def handler(event, context):\n    return 1\n")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def account(endpoint: str) -> str:
    """Two functions (one with an open URL, one idle), two log groups, a distribution, costs."""
    import os

    saved = {k: os.environ.get(k) for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")}
    os.environ["AWS_ACCESS_KEY_ID"] = os.environ["AWS_SECRET_ACCESS_KEY"] = "testing"
    try:
        iam = boto3.client("iam", region_name=REGION, endpoint_url=endpoint)
        role = iam.create_role(
            RoleName="fn",
            AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": []}),
        )["Role"]["Arn"]
        lam = boto3.client("lambda", region_name=REGION, endpoint_url=endpoint)
        for name in ("bookings-api", "old-report"):
            lam.create_function(
                FunctionName=name,
                Runtime="python3.12",
                Role=role,
                Handler="app.handler",
                Code={"ZipFile": _zip()},
            )
        lam.create_function_url_config(FunctionName="bookings-api", AuthType="NONE")
        cw = boto3.client("cloudwatch", region_name=REGION, endpoint_url=endpoint)
        for day, count in ((datetime(2026, 11, 10, 12), 40), (datetime(2026, 11, 18, 12), 2)):
            cw.put_metric_data(
                Namespace="AWS/Lambda",
                MetricData=[
                    {"MetricName": "Invocations", "Dimensions": [{"Name": "FunctionName", "Value": "bookings-api"}],
                     "Timestamp": day, "Value": count, "Unit": "Count"},
                    {"MetricName": "Errors", "Dimensions": [{"Name": "FunctionName", "Value": "bookings-api"}],
                     "Timestamp": day, "Value": 1, "Unit": "Count"},
                ],
            )  # fmt: skip
        logs = boto3.client("logs", region_name=REGION, endpoint_url=endpoint)
        logs.create_log_group(logGroupName="/aws/lambda/bookings-api")
        logs.create_log_group(logGroupName="/aws/lambda/old-report")
        logs.put_retention_policy(logGroupName="/aws/lambda/old-report", retentionInDays=14)
        cf = boto3.client("cloudfront", region_name=REGION, endpoint_url=endpoint)
        cf.create_distribution(
            DistributionConfig={
                "CallerReference": "site",
                "Comment": "site",
                "Enabled": True,
                "Origins": {"Quantity": 1, "Items": [{"Id": "s3", "DomainName": "site.s3.amazonaws.com",
                                                      "S3OriginConfig": {"OriginAccessIdentity": ""}}]},
                "DefaultCacheBehavior": {"TargetOriginId": "s3", "ViewerProtocolPolicy": "allow-all",
                                         "ForwardedValues": {"QueryString": False, "Cookies": {"Forward": "none"}},
                                         "MinTTL": 0, "TrustedSigners": {"Enabled": False, "Quantity": 0}},
            }
        )  # fmt: skip
        results = {
            "results": [
                {
                    "ResultsByTime": [
                        {"TimePeriod": {"Start": "2026-10-01", "End": "2026-11-01"}, "Total": {}, "Estimated": False,
                         "Groups": [{"Keys": ["AWS Lambda"], "Metrics": {"UnblendedCost": {"Amount": "12.3456", "Unit": "USD"}}},
                                    {"Keys": ["Amazon CloudFront"], "Metrics": {"UnblendedCost": {"Amount": "4.10", "Unit": "USD"}}}]},
                        {"TimePeriod": {"Start": "2026-11-01", "End": "2026-12-01"}, "Total": {}, "Estimated": True,
                         "Groups": [{"Keys": ["AWS Lambda"], "Metrics": {"UnblendedCost": {"Amount": "9.999", "Unit": "USD"}}}]},
                    ],
                    "DimensionValueAttributes": [],
                }
            ]
        }  # fmt: skip
        request = urllib.request.Request(
            f"{endpoint}/moto-api/static/ce/cost-and-usage-results",
            data=json.dumps(results).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request) as answer:
            assert answer.status == 201
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return endpoint


def collect(tmp_path: Path, **options: object) -> SourceResult:
    request = SourceRequest(
        entity=Entity(id="harbor-charters", name="Harbor Charters", kind="charter"),
        spec=SourceSpec("aws", (), AwsOptions.model_validate(options), "aws"),
        root=tmp_path,
        as_of=AS_OF,
    )
    return AwsSource().collect(request)


def test_account_resources_metrics_and_costs(account: str, tmp_path: Path) -> None:
    result = collect(tmp_path, endpoint_url=account, months=2)
    assert result.errors == ()
    resources = {
        (r.service, r.resource_id): r for r in result.records if isinstance(r, CloudResource)
    }
    api = resources[("lambda", "bookings-api")]
    assert api.attributes["url_auth"] == "NONE"
    assert (api.attributes["invocations"], api.attributes["errors"]) == ("42", "2")
    assert api.provenance.source == "aws:lambda:ListFunctions"
    idle = resources[("lambda", "old-report")]
    assert (idle.attributes["url_auth"], idle.attributes["invocations"]) == ("", "0")
    assert resources[("logs", "/aws/lambda/bookings-api")].attributes["retention_days"] == ""
    assert resources[("logs", "/aws/lambda/old-report")].attributes["retention_days"] == "14"
    (distribution,) = [r for r in resources.values() if r.service == "cloudfront"]
    assert distribution.attributes["web_acl"] == ""
    assert distribution.provenance.source == "aws:cloudfront:ListDistributions"
    costs = sorted(
        (c.month, c.service, c.amount) for c in result.records if isinstance(c, CloudCost)
    )
    assert costs == [
        ("2026-10", "AWS Lambda", Money(Decimal("12.35"), "USD")),
        ("2026-10", "Amazon CloudFront", Money(Decimal("4.10"), "USD")),
        ("2026-11", "AWS Lambda", Money(Decimal("10.00"), "USD")),
    ]
    cost = next(c for c in result.records if isinstance(c, CloudCost))
    assert cost.provenance.source == "aws:ce:GetCostAndUsage"


def test_endpoint_from_the_environment(
    account: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", account)
    result = collect(tmp_path)
    assert any(
        isinstance(r, CloudResource) and r.resource_id == "bookings-api" for r in result.records
    )


def test_no_credentials_is_one_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    result = collect(tmp_path, endpoint_url="http://127.0.0.1:9")
    (error,) = result.errors
    assert error.fatal and error.message.startswith(
        "no AWS credentials found (the default credential chain)"
    )


def test_unknown_profile_is_one_clear_error(tmp_path: Path) -> None:
    result = collect(tmp_path, profile="nope")
    (error,) = result.errors
    assert (
        error.message
        == "AWS profile 'nope' is not configured; add it to ~/.aws/config or fix aws.profile"
    )


def test_cur_export_by_month_and_service(tmp_path: Path) -> None:
    (tmp_path / "cur.csv").write_text(
        "lineItem/UsageStartDate,lineItem/ProductCode,lineItem/UnblendedCost,lineItem/UsageAmount,lineItem/CurrencyCode\n"
        "2026-10-01T00:00:00Z,AWSLambda,1.25,100,USD\n"
        "2026-10-02T00:00:00Z,AWSLambda,0.75,50,USD\n"
        "2026-10-02T00:00:00Z,AmazonCloudWatch,3.00,2,USD\n"
        "not-a-date,AWSLambda,1.00,1,USD\n"
        "2026-11-02T00:00:00Z,AWSLambda,abc,1,USD\n"
        "2026-11-03T00:00:00Z,AWSLambda,0.10,1,USD\n"
    )
    result = collect(tmp_path, cur_export="cur.csv")
    costs = [
        (c.month, c.service, c.amount, c.usage_quantity, c.provenance.line)
        for c in result.records
        if isinstance(c, CloudCost)
    ]
    assert costs == [
        ("2026-10", "AWSLambda", Money(Decimal("2.00"), "USD"), Decimal("150"), 2),
        ("2026-10", "AmazonCloudWatch", Money(Decimal("3.00"), "USD"), Decimal("2"), 4),
        ("2026-11", "AWSLambda", Money(Decimal("0.10"), "USD"), Decimal("1"), 7),
    ]
    (error,) = result.errors
    assert (error.fatal, error.rows_skipped, error.provenance.cite()) == (False, 2, "cur.csv:5")


def test_cur_export_garbage(tmp_path: Path) -> None:
    (tmp_path / "cur.csv").write_text("a,b\n1,2\n")
    (error,) = collect(tmp_path, cur_export="cur.csv").errors
    assert (
        error.describe()
        == "cur.csv:1: has no start column; expected lineItem/UsageStartDate / line_item_usage_start_date"
    )
    (missing,) = collect(tmp_path, cur_export="nope.csv").errors
    assert missing.describe().startswith("nope.csv: no such file")


def test_missing_boto3_is_one_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "boto3", None)
    (error,) = collect(tmp_path).errors
    assert (
        error.fatal
        and error.message == "boto3 is not installed; pip install boto3 to read AWS accounts"
    )
