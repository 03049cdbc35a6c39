"""The CTO report end to end: collect a planted repository, rank, render in every format, leak nothing."""

from __future__ import annotations

import json
from datetime import date

import pytest

from execbrief import pipeline
from execbrief.config import load_config
from execbrief.document import ActionPlan, Document, Findings, Table
from execbrief.findings import Effort, Finding, Severity, rank_findings
from execbrief.plugins import get_registry
from execbrief.reports.cto import plan_actions
from execbrief.snapshot import Provenance
from kits.code import SECRET_VALUES, build_repo

CONFIG = """
[portfolio]
name = "Test Holdings"

[reports.cto]
to = ["cto@test.example"]

[[secrets.allowlist]]
path = "repo/fixtures/*"
reason = "vendor sample"

[[entities]]
id = "shop"
name = "Shop Co."
kind = "charter"
code = { paths = ["repo"], max_file_bytes = 20000 }
aws = { cur_export = "cur.csv" }
"""


@pytest.fixture(scope="module")
def built(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Document, pipeline.ReportContext, dict[str, str]]:
    base = tmp_path_factory.mktemp("cto")
    build_repo(base)
    (base / "cur.csv").write_text(
        "lineItem/UsageStartDate,lineItem/ProductCode,lineItem/UnblendedCost\n"
        "2026-10-03T00:00:00Z,AWSLambda,3.50\n"
        "2026-11-03T00:00:00Z,AWSLambda,4.25\n"
    )
    (base / "portfolio.toml").write_text(CONFIG)
    registry = get_registry(fresh=True)
    config = load_config(base / "portfolio.toml", registry.option_models(), environ={})
    snapshot = pipeline.collect(config, registry, date(2026, 11, 20), key=b"k")
    ctx = pipeline.context(snapshot, config, registry)
    (result,) = pipeline.build(ctx, registry, ["cto"])
    assert result.error is None and result.document is not None
    rendered = {fmt: pipeline.render(result.document, registry, fmt) for fmt in registry.renderers}
    rendered["snapshot.json"] = json.dumps(snapshot.to_dict())
    return result.document, ctx, rendered


def test_actions_are_the_top_ten_ranked_findings(
    built: tuple[Document, pipeline.ReportContext, dict[str, str]],
) -> None:
    document, ctx, _ = built
    (plan,) = [b for s in document.sections for b in s.blocks if isinstance(b, ActionPlan)]
    candidates = [*ctx.analysis("security").findings, *ctx.analysis("ux").findings]
    ranked = [f.id for f in rank_findings(candidates)]
    rules = {f.id: f.rule for f in candidates}
    covered: set[str] = set()
    for action in plan.actions:  # each action starts at the highest finding not yet planned
        assert action.finding_ids[0] == next(i for i in ranked if i not in covered)
        assert len({rules[i] for i in action.finding_ids}) == 1  # grouped: one kind of problem
        assert covered.isdisjoint(action.finding_ids)
        covered.update(action.finding_ids)
    assert len(plan.actions) == 10 and len(covered) > 10
    first = next(f for f in candidates if f.id == ranked[0])
    assert first.severity is Severity.CRITICAL and first.score == max(f.score for f in candidates)
    assert plan.actions[0].due_in_days == 2 and plan.actions[0].rationale.startswith("Fix: ")


def test_security_gaps_ranked_each_with_fix_and_source(
    built: tuple[Document, pipeline.ReportContext, dict[str, str]],
) -> None:
    document, _, _ = built
    gaps = next(
        b
        for s in document.sections
        if s.id == "security"
        for b in s.blocks
        if isinstance(b, Findings)
    )
    assert list(gaps.findings) == rank_findings(list(gaps.findings))
    assert all(f.recommendation and f.provenance for f in gaps.findings)
    rules = {f.rule for f in gaps.findings}
    assert {"security.plaintext", "security.open-endpoint", "security.cloudfront-no-waf", "security.s3-public-bucket",
            "security.lambda-url-auth-none", "security.api-no-authorizer", "security.apps-script-public-webapp"} <= rules  # fmt: skip
    critical = [f for f in gaps.findings if f.severity is Severity.CRITICAL]
    assert critical and not any(
        f.shortfall for f in gaps.findings
    )  # critical is enough for the CEO


def test_every_table_row_cites_its_source(
    built: tuple[Document, pipeline.ReportContext, dict[str, str]],
) -> None:
    document, _, _ = built
    tables = [b for s in document.sections for b in s.blocks if isinstance(b, Table)]
    assert {t.title for t in tables} >= {"Monthly AWS cost by domain and service", "Shop Co. stack"}
    assert all(row.provenance for t in tables for row in t.rows)
    cost = next(t for t in tables if t.title == "Monthly AWS cost by domain and service")
    assert [str(c) for c in cost.rows[0].cells[:2]] == ["Shop Co.", "AWSLambda"]


def test_no_planted_secret_in_any_rendered_output(
    built: tuple[Document, pipeline.ReportContext, dict[str, str]],
) -> None:
    _, _, rendered = built
    assert {"text", "markdown", "json", "snapshot.json"} <= set(rendered)
    for fmt, text in rendered.items():
        for value in SECRET_VALUES:
            assert value not in text, fmt
            assert value[-12:] not in text, fmt


def test_summary_and_paragraphs_cite_sources(
    built: tuple[Document, pipeline.ReportContext, dict[str, str]],
) -> None:
    document, _, _ = built
    assert document.summary and all(bullet.provenance for bullet in document.summary)
    endpoints = next(s for s in document.sections if s.id == "endpoints")
    assert all(
        getattr(block, "provenance", True) or getattr(block, "rows", None)
        for block in endpoints.blocks
    )


def test_the_document_round_trips_through_json(
    built: tuple[Document, pipeline.ReportContext, dict[str, str]],
) -> None:
    document, _, _ = built
    assert Document.from_dict(json.loads(json.dumps(document.to_dict()))) == document


def _secret(name: str, file: str, line: int, severity: Severity, rotate: str) -> Finding:
    return Finding(
        id=f"security.plaintext:e:{file}:{name}",
        rule="security.plaintext",
        title=f"{name} in {file}",
        severity=severity,
        entity="e",
        evidence=f"A {name} is written in {file} (line {line}): 40 characters, fingerprint {line:08x}.",
        recommendation=f"Treat it as leaked: {rotate}; read the new one at runtime from a store.",
        effort=Effort.HOURS,
        impact=2,
        tags=("security", "secret"),
        provenance=(Provenance(file, line),),
    )


def test_credentials_of_one_file_are_one_action_at_the_rank_of_the_highest() -> None:
    env = ".env.production"
    ranked = rank_findings(
        [
            _secret("Live Stripe secret key", "app.py", 4, Severity.CRITICAL, "roll it in Stripe"),
            _secret("AWS access key id", env, 5, Severity.HIGH, "delete the key in IAM"),
            _secret("SendGrid API key", env, 3, Severity.HIGH, "delete it in SendGrid"),
            _secret("AWS secret access key", env, 6, Severity.HIGH, "delete the key in IAM"),
            _secret("Hardcoded password", env, 9, Severity.MEDIUM, "change it"),
            Finding(
                id="security.cloudfront-no-waf:e:cdn",
                rule="security.cloudfront-no-waf",
                title="CloudFront distribution without a WAF web ACL: cdn",
                severity=Severity.MEDIUM,
                entity="e",
                evidence="no web ACL",
                recommendation="Attach a web ACL.",
                effort=Effort.HOURS,
                provenance=(Provenance("main.tf", 1),),
            ),
        ]
    )
    actions = plan_actions(ranked, 3)
    assert [len(a.finding_ids) for a in actions] == [1, 4, 1]
    grouped = actions[1]
    assert grouped.title == (
        "Rotate the 4 credentials in .env.production: "
        "AWS access key id, AWS secret access key, SendGrid API key, hardcoded password"
    )
    # each provider's step once, the shared steps once, every line and fingerprint cited
    assert grouped.rationale.startswith(
        "Fix: Treat each as leaked: delete the key in IAM; delete it in SendGrid; change it. Then"
    )
    assert grouped.rationale.count("read the new") == 1
    assert "(lines 3, 5, 6, 9)" in grouped.rationale and "00000003" in grouped.rationale
    assert grouped.due_in_days == 7 and len(grouped.provenance) == 4
    assert actions[2].title.startswith("CloudFront")
    assert len(plan_actions(ranked, 2)) == 2


def _gap(rule: str, title: str, entity: str, line: int) -> Finding:
    return Finding(
        id=f"{rule}:{entity}:{title}",
        rule=rule,
        title=title,
        severity=Severity.HIGH,
        entity=entity,
        evidence=f"evidence {entity} {line}.",
        recommendation="Check the caller." if "route" in title else "Attach a web ACL.",
        effort=Effort.HOURS,
        provenance=(Provenance(f"code/{entity}/app.py", line),),
    )


def test_findings_needing_the_same_fix_are_one_action_listing_each_place() -> None:
    route = "Unauthenticated state-changing Lambda route"
    waf = "CloudFront distribution without a WAF web ACL: Site"
    ranked = rank_findings(
        [
            _gap("security.open-endpoint", f"{route} POST /a", "alpha", 3),
            _gap("security.open-endpoint", f"{route} DELETE /b/{{id}}", "beta", 9),
            _gap("security.cloudfront-no-waf", waf, "alpha", 1),
            _gap("security.cloudfront-no-waf", waf, "beta", 1),
        ]
    )
    actions = plan_actions(ranked, 10)
    titles = sorted(a.title for a in actions)
    assert titles == [
        f"{waf} ×2: alpha, beta",
        f"{route} ×2: POST /a (alpha), DELETE /b/{{id}} (beta)",
    ]
    grouped = next(a for a in actions if a.title.startswith(route))
    assert grouped.entity is None and len(grouped.finding_ids) == 2
    assert grouped.rationale.startswith(
        "Fix: Check the caller. Where: POST /a (alpha) at code/alpha/app.py:3; "
        "DELETE /b/{id} (beta) at code/beta/app.py:9. Why, for the first of the 2: "
    )
    waf_action = next(a for a in actions if a.title.startswith(waf))
    assert (
        "Where: alpha at code/alpha/app.py:1; beta at code/beta/app.py:1." in waf_action.rationale
    )
    assert grouped.rationale.count("Check the caller") == 1
