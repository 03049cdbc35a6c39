"""The security and ux analyses over hand-made records: severities, stable ids, costs and savings."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from execbrief.analysis import security, ux
from execbrief.findings import Severity
from execbrief.records.code import CloudCost, CloudResource, Endpoint, IacIssue
from execbrief.records.secrets import SecretFinding
from execbrief.records.site import SitePage
from execbrief.snapshot import EntityInfo, Provenance, Record, Snapshot, SourceResult
from execbrief.values import Cadence, Money, MoneyRange

AS_OF = date(2026, 11, 20)
ENTITIES = (EntityInfo("shop", "Shop Co.", "charter"), EntityInfo("labs", "Labs", "consultancy"))


def snapshot(*records: Record) -> Snapshot:
    by_entity: dict[str, list[Record]] = {}
    for record in records:
        by_entity.setdefault(record.entity, []).append(record)
    results = tuple(SourceResult(e, "code", (), tuple(r)) for e, r in by_entity.items())
    return Snapshot("P", "USD", AS_OF, ENTITIES, results)


def secret(
    line: int,
    *,
    live: bool | None = True,
    kind: str = "stripe-secret-key",
    fp: str = "ab12cd34ef56ab78",
    allow: str | None = None,
) -> SecretFinding:
    return SecretFinding(
        "shop",
        Provenance("code/app.py", line),
        kind,
        "code/app.py",
        line,
        live,
        42,
        "sk_live",
        fp,
        "stripe",
        allow,
    )


def endpoint(
    method: str,
    route: str,
    *,
    auth: bool = False,
    mutating: bool = True,
    evidence: str | None = None,
    kind: str = "lambda",
) -> Endpoint:
    return Endpoint(
        "shop",
        Provenance("code/api.py", 10),
        kind,
        "api.handler",
        method,
        route,
        auth,
        mutating,
        None,
        evidence,
    )


def test_secret_severities_ids_and_shortfall() -> None:
    result = security.analyze(
        snapshot(
            secret(5),
            secret(9, live=None, kind="aws-access-key-id", fp="1111111111111111"),
            secret(11, live=None, kind="password", fp="2222222222222222"),
            secret(12, live=False, kind="stripe-secret-key", fp="3333333333333333"),
            secret(13, kind="stripe-publishable-key", fp="4444444444444444"),
            secret(14, fp="5555555555555555", allow="vendor sample"),
        )
    )
    by_fp = {f.id.rsplit(":", 1)[1]: f for f in result.findings}
    assert set(by_fp) == {
        "ab12cd34ef56ab78",
        "1111111111111111",
        "2222222222222222",
        "3333333333333333",
    }
    live = by_fp["ab12cd34ef56ab78"]
    assert live.id == "security.plaintext:shop:code/app.py:ab12cd34ef56ab78"
    assert (live.severity, live.title) == (
        Severity.CRITICAL,
        "Live Stripe secret key in code/app.py",
    )
    assert live.severity is Severity.CRITICAL and live.provenance == (Provenance("code/app.py", 5),)
    assert "fingerprint ab12cd34" in live.evidence and "roll the key" in live.recommendation
    assert by_fp["1111111111111111"].severity is Severity.HIGH
    assert by_fp["1111111111111111"].title == "AWS access key id in code/app.py"
    assert by_fp["2222222222222222"].severity is Severity.MEDIUM
    assert by_fp["3333333333333333"].severity is Severity.LOW
    assert result.allowlisted == 1
    moved = security.analyze(snapshot(secret(40)))
    assert moved.findings[0].id == live.id  # the line moved, the id did not


def test_one_secret_in_a_shared_env_and_in_code_is_one_finding_listing_every_place() -> None:
    """The same fingerprint in a .env listed on two entities and in one code file: one finding,
    every file and line and both entities named, the id of its first place."""
    fp = "9999999999999999"

    def at(entity: str, file: str, line: int) -> SecretFinding:
        return SecretFinding(
            entity, Provenance(file, line), "stripe-secret-key", file, line, True, 42,
            "sk_live", fp, "stripe", None,
        )  # fmt: skip

    result = security.analyze(
        snapshot(at("shop", "shared.env", 3), at("labs", "shared.env", 3), at("labs", "api.py", 7))
    )
    (finding,) = [f for f in result.findings if f.rule == "security.plaintext"]
    assert finding.id == f"security.plaintext:labs:api.py:{fp}"
    assert finding.title == "Live Stripe secret key in api.py and 1 more file"
    assert "api.py (line 7) and shared.env (line 3)" in finding.evidence
    assert "the same secret for Labs, Shop Co." in finding.evidence
    assert finding.provenance == (Provenance("api.py", 7), Provenance("shared.env", 3))
    assert finding.evidence.count("Anyone with read access") == 1


def test_endpoint_severity_by_what_the_route_does() -> None:
    result = security.analyze(
        snapshot(
            endpoint("POST", "/refund", evidence="calls stripe.Refund.create() at api.py:4"),
            endpoint("POST", "/orders", evidence="calls TABLE.put_item() at api.py:8"),
            endpoint("GET", "/status", mutating=False),
            endpoint("GET", "/me", auth=True, mutating=False),
            Endpoint(
                "shop",
                Provenance("gas/Code.gs", 3),
                "apps-script",
                "gas/Code.gs:doPost",
                "POST",
                None,
                False,
                True,
                None,
                "calls appendRow at line 5",
            ),
        )
    )
    severity = {f.title: f.severity for f in result.findings}
    assert severity == {
        "Unauthenticated state-changing Lambda route POST /refund": Severity.CRITICAL,
        "Unauthenticated state-changing Lambda route POST /orders": Severity.HIGH,
        "Unauthenticated Lambda route GET /status": Severity.MEDIUM,
        "Unauthenticated state-changing Apps Script web endpoint doPost (POST)": Severity.HIGH,
    }
    ids = sorted(f.id for f in result.findings)
    assert "security.open-endpoint:shop:code/api.py:api.handler:POST-/refund" in ids


def test_iac_and_account_gaps() -> None:
    def issue(rule: str, detail: str) -> IacIssue:
        return IacIssue("shop", Provenance("infra/t.yaml", 3), rule, "Res", "AWS::X", detail)

    result = security.analyze(
        snapshot(
            issue("s3-public-bucket", "AccessControl PublicRead"),
            issue("cloudfront-no-waf", "no WAF"),
            issue("api-no-authorizer", "Api event POST /x with no authorizer"),
            issue("api-no-authorizer", "Api event GET /x with no authorizer"),
            CloudResource(
                "shop",
                Provenance("aws:cloudfront:ListDistributions", detail="E1"),
                "cloudfront",
                "distribution",
                "E1",
                {"web_acl": "", "origins": "a"},
            ),
            CloudResource(
                "shop",
                Provenance("aws:cloudfront:ListDistributions", detail="E2"),
                "cloudfront",
                "distribution",
                "E2",
                {"web_acl": "arn:waf", "origins": "b"},
            ),
            CloudResource(
                "shop",
                Provenance("aws:lambda:ListFunctions", detail="f"),
                "lambda",
                "function",
                "f",
                {"url_auth": "NONE", "invocations": "5"},
            ),
        )
    )
    found = sorted((f.rule, f.severity.value) for f in result.findings)
    assert found == [
        ("security.api-no-authorizer", "high"),
        ("security.api-no-authorizer", "medium"),
        ("security.cloudfront-no-waf", "high"),
        ("security.cloudfront-no-waf", "high"),
        ("security.lambda-url-auth-none", "high"),
        ("security.s3-public-bucket", "critical"),
    ]
    assert "security.cloudfront-no-waf:shop:aws:E1" in {f.id for f in result.findings}


def test_cost_range_and_savings_by_hand() -> None:
    def cost(month: str, service: str, amount: str) -> CloudCost:
        return CloudCost(
            "shop", Provenance("billing/cur.csv", 2), month, service, Money(Decimal(amount))
        )

    gib = 1024**3
    result = security.analyze(
        snapshot(
            cost("2026-08", "AWS Lambda", "99.00"),  # outside the 3-month window
            cost("2026-09", "AWS Lambda", "4.00"),
            cost("2026-10", "AWS Lambda", "6.50"),
            cost("2026-11", "AWS Lambda", "5.00"),
            cost("2026-11", "Amazon CloudFront", "10.00"),
            cost("2026-11", "Amazon CloudFront", "2.00"),
            CloudResource("shop", Provenance("aws:logs:DescribeLogGroups", detail="/aws/lambda/old"), "logs", "log-group", "/aws/lambda/old",
                          {"retention_days": "", "stored_bytes": str(10 * gib), "created": "2026-07-23"}),
            CloudResource("shop", Provenance("aws:logs:DescribeLogGroups", detail="/aws/lambda/new"), "logs", "log-group", "/aws/lambda/new",
                          {"retention_days": "14", "stored_bytes": str(gib), "created": "2026-01-01"}),
            CloudResource("shop", Provenance("aws:lambda:ListFunctions", detail="old"), "lambda", "function", "old",
                          {"url_auth": "", "invocations": "0", "metric_days": "30"}),
        )
    )  # fmt: skip
    lines = {line.service: line for line in result.costs}
    assert lines["AWS Lambda"].monthly == MoneyRange(
        Money(Decimal("4.00")), Money(Decimal("6.50")), Cadence.MONTH
    )
    assert lines["Amazon CloudFront"].latest == Money(Decimal("12.00"))
    total = result.metric("security.aws.cost.total", entity="shop")
    assert total is not None
    assert total.value == MoneyRange(Money(Decimal("4.00")), Money(Decimal("17.00")), Cadence.MONTH)
    savings = {f.rule: f for f in result.findings if "cost" in f.tags}
    # 10 GiB × $0.03 = $0.30/mo; created 120 days before as_of, keep 30: 90/120 = 75% -> $0.225 -> $0.23
    retention = savings["cost.log-retention"]
    assert retention.monthly_effect == MoneyRange(
        Money(Decimal("0.23")), Money(Decimal("0.23")), Cadence.MONTH, approximate=True
    )
    assert retention.id == "cost.log-retention:shop:/aws/lambda/old"
    # the idle function's log group holds 10 GiB: $0.30/mo once deleted
    idle = savings["cost.idle-function"]
    assert idle.monthly_effect is not None and idle.monthly_effect.high == Money(Decimal("0.30"))
    assert {f.severity for f in savings.values()} == {Severity.LOW}


def page(
    path: str,
    *,
    viewport: bool = True,
    analytics: tuple[str, ...] = (),
    forms: int = 0,
    broken: tuple[str, ...] = (),
    http: tuple[str, ...] = (),
    entity: str = "shop",
) -> SitePage:
    return SitePage(entity, Provenance(f"sites/{entity}/{path}", 1), path, "T", None, None, viewport, "en", ("H",),
                    analytics, forms, (), ("getmyboat.com",), (), http, broken, (), (), ())  # fmt: skip


def test_ux_gaps_per_site() -> None:
    result = ux.analyze(
        snapshot(
            page("index.html", viewport=False, broken=("about.html",), http=("http://x.example",)),
            page("rates.html"),
            page("index.html", entity="labs", analytics=("ga4",), forms=1),
        )
    )
    found = {(f.rule, f.entity, f.severity.value) for f in result.findings}
    assert found == {
        ("ux.no-booking", "shop", "high"),
        ("ux.no-analytics", "shop", "medium"),
        ("ux.no-viewport", "shop", "medium"),
        ("ux.broken-links", "shop", "medium"),
        ("ux.http-links", "shop", "low"),
    }
    booking = next(f for f in result.findings if f.rule == "ux.no-booking")
    assert booking.id == "ux.no-booking:shop:sites/shop" and "getmyboat.com" in booking.evidence
    assert all(f.tags == ("ux",) for f in result.findings)


def test_open_api_event_to_a_handler_that_checks_callers_is_low() -> None:
    def issue(resource: str, detail: str) -> IacIssue:
        return IacIssue(
            "shop",
            Provenance("template.yaml", 5),
            "api-no-authorizer",
            resource,
            "AWS::Serverless::Function",
            detail,
        )

    result = security.analyze(
        snapshot(
            issue("Fn.Me", "Api event GET /me/{id} with no authorizer"),
            issue("Fn.Buy", "Api event POST /buy with no authorizer"),
            Endpoint("shop", Provenance("api.py", 7), "lambda", "api.handler", "GET", "/me/{user}", True, False, "reads the Authorization header at api.py:8"),
            Endpoint("shop", Provenance("api.py", 12), "lambda", "api.handler", "POST", "/buy", False, True, None, "calls t.put_item() at api.py:13"),
        )
    )  # fmt: skip
    gaps = {
        f.id.rsplit(":", 1)[1]: f for f in result.findings if f.rule == "security.api-no-authorizer"
    }
    assert (
        gaps["Fn.Me"].severity is Severity.LOW
        and "checks the caller itself (api.py:7" in gaps["Fn.Me"].evidence
    )
    assert gaps["Fn.Buy"].severity is Severity.HIGH


def test_a_catch_all_handler_guards_an_open_api_event_only_when_it_is_the_only_handler() -> None:
    # Nothing links the template's POST /upload to files.handler when two handlers exist: an
    # unrelated handler that checks its callers must not downgrade the open route.
    def issue(resource: str) -> IacIssue:
        return IacIssue("shop", Provenance("api.tf", 1), "api-no-authorizer", resource,
                        "aws_apigatewayv2_route", "route POST /upload with no authorizer")  # fmt: skip

    files = Endpoint("shop", Provenance("files.py", 6), "lambda", "files.handler", None, None, True, True, "reads the authorization header at files.py:13")  # fmt: skip
    hooks = Endpoint("shop", Provenance("hooks.py", 3), "lambda", "hooks.handler", "POST", "/hooks", False, True, None, "calls sqs.send_message()")  # fmt: skip
    two = security.analyze(snapshot(issue("upload"), files, hooks))
    (gap,) = [f for f in two.findings if f.rule == "security.api-no-authorizer"]
    assert gap.severity is Severity.HIGH and "caller itself" not in gap.evidence
    one = security.analyze(snapshot(issue("upload"), files))
    (gap,) = [f for f in one.findings if f.rule == "security.api-no-authorizer"]
    assert gap.severity is Severity.LOW and "checks the caller itself (files.py:6" in gap.evidence


def test_each_kind_of_credential_gets_its_own_rotation_step() -> None:
    kinds = ("private-key", "url-credentials", "jwt", "npm-token", "openai-api-key", "password")
    result = security.analyze(
        snapshot(*(secret(i + 1, live=None, kind=k, fp=f"{i:016x}") for i, k in enumerate(kinds)))
    )
    fix = {f.id.rsplit(":", 1)[1]: f.recommendation for f in result.findings}
    assert "new key pair" in fix[f"{0:016x}"]  # private key
    assert "change the password on the database" in fix[f"{1:016x}"]  # password in a URL
    assert "signing key" in fix[f"{2:016x}"]  # JWT
    assert "npm" in fix[f"{3:016x}"] and "OpenAI" in fix[f"{4:016x}"]
    assert "rotate the credential at its provider" in fix[f"{5:016x}"]  # a bare password: generic


def test_ux_titles_agree_in_number() -> None:
    one = ux.analyze(snapshot(page("index.html", viewport=False, broken=("a.html",), http=("http://x.example",)), page("b.html", analytics=("ga4",))))  # fmt: skip
    titles = {f.rule: f.title for f in one.findings}
    assert titles["ux.no-viewport"] == "sites/shop: 1 page not set up for phones"
    assert titles["ux.broken-links"] == "sites/shop: 1 broken internal link"
    assert titles["ux.http-links"] == "sites/shop: 1 insecure http:// link"
    viewport = next(f for f in one.findings if f.rule == "ux.no-viewport")
    assert viewport.evidence.startswith(
        'index.html lacks <meta name="viewport">, so phones render it'
    )
    two = ux.analyze(snapshot(page("index.html", viewport=False), page("b.html", viewport=False)))
    (gap,) = [f for f in two.findings if f.rule == "ux.no-viewport"]
    assert gap.title == "sites/shop: 2 pages not set up for phones"
    assert "lack <meta" in gap.evidence and "render them" in gap.evidence
