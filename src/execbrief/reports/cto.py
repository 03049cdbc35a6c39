"""The ``cto`` report: what is wrong in the code, the templates and the cloud, and what to do first.

Sections, in order: the ten engineering actions that matter most (every security, cost and UX
finding ranked by severity × impact ÷ effort, ``findings.rank_findings``); the security gaps,
ranked, each with evidence and fix; the endpoints found and whether each checks its caller; AWS
cost by entity and service with the savings the data supports; the UX gaps of the sites; and a
stack audit per domain (languages by lines, frameworks, libraries, AWS services, third parties,
infrastructure as code, roles and feature flags, and what the scan skipped). Every row cites the
file and line, or the AWS call, it rests on. The report arranges; the ``security`` and ``ux``
analyses compute.
"""

from __future__ import annotations

import re
from collections import Counter

from pydantic import Field

from execbrief.analysis.security import SecurityResult
from execbrief.config import Model
from execbrief.document import (
    ActionPlan,
    Bullet,
    BulletList,
    Chart,
    Document,
    Findings,
    Metrics,
    Paragraph,
    Point,
    Row,
    Section,
    Series,
    Table,
)
from execbrief.findings import Action, Finding, Severity, rank_findings
from execbrief.hookspecs import hookimpl
from execbrief.precision import brief_money
from execbrief.records.code import Endpoint
from execbrief.reports.base import BaseReport, Report, ReportContext
from execbrief.secrets.scanner import KIND_LABELS
from execbrief.values import Money, MoneyRange, counted

SECURITY = "security"
UX = "ux"
DUE_DAYS = {
    Severity.CRITICAL: 2,
    Severity.HIGH: 7,
    Severity.MEDIUM: 30,
    Severity.LOW: 60,
    Severity.INFO: 90,
}


class CtoOptions(Model):
    """``[reports.cto]`` options."""

    plan_size: int = Field(
        default=10, ge=1, le=50, description="how many engineering actions to list"
    )
    list_libraries: int = Field(default=12, ge=0, le=200, description="libraries shown per domain")


class CtoReport(BaseReport):
    """The ``cto`` report plugin."""

    name = "cto"
    title = "CTO report: code, cloud and site audit"
    audience = "CTO"
    Options = CtoOptions

    def build(self, ctx: ReportContext) -> Document:
        """Arrange the security and UX analyses into the CTO document."""
        options = _options(ctx)
        names = {info.id: info.name for info in ctx.snapshot.entities}
        security = ctx.typed(SECURITY, SecurityResult)
        ux = ctx.analysis(UX).findings if UX in ctx.analyses else ()
        warnings = [
            Bullet(f"{names.get(e.entity, e.entity)}: {e.describe()}", (e.provenance,))
            for e in ctx.snapshot.errors()
            if e.source_kind in {"code", "aws", "site", "env"}
        ]
        gaps = rank_findings(
            [f for f in security.findings if "security" in f.tags and "cost" not in f.tags]
        )
        savings = rank_findings([f for f in security.findings if "cost" in f.tags])
        everything = rank_findings([*gaps, *savings, *ux])
        plan = plan_actions(everything, options.plan_size)

        summary = _summary(security, gaps, ux, names)
        sections = [
            Section(
                f"The {len(plan)} engineering actions that matter most",
                (
                    Paragraph(
                        "Ranked by severity weight × impact ÷ effort (critical 8, high 4, medium 2, low 1; "
                        "effort hours 1, days 2, weeks 4); ties by severity. Credentials written in "
                        "one file are one action, and so are findings that need the same fix. See docs/metrics.md."
                    ),
                    ActionPlan(tuple(plan)),
                ),
                id="actions",
            ),
            Section(
                "Security gaps, ranked",
                (
                    Findings(
                        tuple(gaps),
                        empty_text="No security gaps found in the code, templates or account.",
                    ),
                ),
                id="security",
            ),
            Section("Endpoints and caller checks", _endpoints(security, names), id="endpoints"),
            Section("AWS cost and savings", _costs(security, savings, names), id="cost"),
            Section(
                "Site UX gaps",
                (
                    Findings(
                        tuple(rank_findings(list(ux))),
                        empty_text="No site UX gaps found (or no sites configured).",
                    ),
                ),
                id="ux",
            ),
            *_stacks(security, names, options),
        ]
        return self.document(
            ctx,
            summary=tuple(summary),
            sections=tuple(sections),
            warnings=tuple(warnings),
        )


def _options(ctx: ReportContext) -> CtoOptions:
    settings = ctx.config.reports.get("cto")
    found = settings.options if settings is not None else None
    return found if isinstance(found, CtoOptions) else CtoOptions()


def _who(entity: str | None, names: dict[str, str]) -> str:
    return names.get(entity or "", entity or "portfolio")


def _summary(
    security: SecurityResult,
    gaps: list[Finding],
    ux: tuple[Finding, ...] | list[Finding],
    names: dict[str, str],
) -> list[Bullet]:
    bullets: list[Bullet] = []
    critical = [f for f in gaps if f.severity is Severity.CRITICAL]
    high = [f for f in gaps if f.severity is Severity.HIGH]
    if critical:
        top = critical[0]
        bullets.append(
            Bullet(
                f"{len(critical)} critical security gap{'s' if len(critical) != 1 else ''}, {len(high)} high; "
                f"first: {top.title} ({_who(top.entity, names)}).",
                top.provenance[:1],
            )
        )
    elif gaps:
        bullets.append(
            Bullet(f"No critical security gaps; {len(high)} high, {len(gaps) - len(high)} lower.")
        )
    else:
        bullets.append(Bullet("No security gaps found in the code, templates or account."))
    secrets = [
        f for f in gaps if f.rule == "security.plaintext" and f.severity is Severity.CRITICAL
    ]
    if secrets:
        entities = sorted({_who(f.entity, names) for f in secrets})
        bullets.append(
            Bullet(
                f"{len(secrets)} live secret{'s' if len(secrets) != 1 else ''} in code and config ({', '.join(entities)}): rotate today.",
                tuple(f.provenance[0] for f in secrets[:5]),
            )
        )
    open_writes = [e for e in security.endpoints if not e.authenticated and e.mutating]
    if open_writes:
        bullets.append(
            Bullet(
                f"{len(open_writes)} of {len(security.endpoints)} endpoints change state without checking the caller.",
                tuple(e.provenance for e in open_writes[:5]),
            )
        )
    total = security.metric("security.aws.savings")
    spend = [
        f"{_who(m.entity, names)} {brief_money(m.value)}"
        for m in security.metrics
        if m.id == "security.aws.cost.total" and isinstance(m.value, Money | MoneyRange)
    ]
    if spend:
        found = (
            f"; savings found {brief_money(total.value)}"
            if total and isinstance(total.value, Money | MoneyRange)
            else ""
        )
        bullets.append(
            Bullet(
                "AWS spend per month: " + "; ".join(spend) + found + ".",
                tuple(
                    p
                    for m in security.metrics
                    if m.id == "security.aws.cost.total"
                    for p in m.provenance[:1]
                ),
            )
        )
    if ux:
        bullets.append(
            Bullet(
                f"{len(ux)} site UX gap{'s' if len(ux) != 1 else ''}, below.",
                tuple(dict.fromkeys(f.provenance[0] for f in ux if f.provenance)),
            )
        )
    if security.allowlisted:
        bullets.append(
            Bullet(
                f"{security.allowlisted} secret detection(s) silenced by the [secrets] allowlist (reasons in the config).",
                security.allowlisted_at,
            )
        )
    return bullets


_LEAKED = re.compile(r"^Treat it as leaked: (?P<rotate>.+?); read the new one at runtime")


def plan_actions(ranked: list[Finding], size: int) -> list[Action]:
    """The first ``size`` actions of the ranked findings, the credentials of one file as one action.

    Five keys in one ``.env`` file are one job (rotate them, move them to a secret store, purge the
    file from history), not five actions repeating the same fix: they become one action at the
    rank of the highest of them, which leaves room in the plan for the next distinct problems.
    """
    by_file: dict[tuple[str | None, str], list[Finding]] = {}
    for finding in ranked:
        if finding.rule == "security.plaintext" and finding.provenance:
            by_file.setdefault((finding.entity, finding.provenance[0].source), []).append(finding)
    in_file_group = {f.id for group in by_file.values() if len(group) > 1 for f in group}
    actions: list[Action] = []
    done: set[str] = set()
    for finding in ranked:
        if len(actions) >= size:
            break
        if finding.id in done:
            continue
        if finding.id in in_file_group:
            group = by_file[(finding.entity, finding.provenance[0].source)]
            done.update(f.id for f in group)
            actions.append(_secrets_action(group))
            continue
        same = [
            f
            for f in ranked
            if f.id not in done
            and f.id not in in_file_group
            and (f.rule, f.severity, f.recommendation)
            == (finding.rule, finding.severity, finding.recommendation)
        ]
        done.update(f.id for f in same)
        actions.append(_action(finding) if len(same) == 1 else _same_fix_action(same))
    return actions


_CONNECTORS = frozenset({"in", "at", "on", "of", "for", "—", "-"})


def _same_fix_action(group: list[Finding]) -> Action:
    """One action for findings of one rule that need the same fix (four live Stripe keys in four
    repositories, three unauthenticated routes): the fix once, then each place."""
    first = group[0]
    words = [f.title.split(" ") for f in group]
    shared = 0
    for column in zip(*words, strict=False):
        if len(set(column)) != 1:
            break
        shared += 1
    entities = {f.entity for f in group}
    if all(len(w) == shared for w in words):  # one title: the same resource in several domains
        head = first.title
        where = sorted(
            {str(f.entity) for f in group}
            if len(entities) > 1
            else {f.provenance[0].source for f in group if f.provenance}
        )
    else:
        common = words[0][:shared]
        while common and (common[-1].lower() in _CONNECTORS or common[-1].endswith(":")):
            last = common.pop()
            if last.endswith(":") and len(last) > 1:
                common.append(last[:-1])
                break
        head = " ".join(common) or first.rule
        places = [" ".join(w[shared:]) for w in words]
        where = [
            f"{place} ({f.entity})" if len(entities) > 1 and f.entity else place
            for place, f in zip(places, group, strict=True)
        ]
    located = [
        f"{place} at {f.provenance[0].cite()}" if f.provenance else place
        for place, f in zip(_places(group, where, len(entities) > 1), group, strict=True)
    ]
    return Action(
        title=f"{head} ×{len(group)}: {', '.join(where)}",
        rationale=(
            f"Fix: {first.recommendation} Where: {'; '.join(located)}. Why, for the first of "
            f"the {len(group)}: {first.evidence} The others, with their evidence, are under the "
            f"security gaps. [{first.severity.value}, score {first.score.normalize()}]"
        ),
        due_in_days=DUE_DAYS[first.severity],
        entity=first.entity if len(entities) == 1 else None,
        owner="CTO",
        finding_ids=tuple(f.id for f in group),
        effort=first.effort,
        cost_tier=first.cost_tier,
        provenance=tuple(p for f in group for p in f.provenance),
    )


def _places(group: list[Finding], where: list[str], by_entity: bool) -> list[str]:
    """One name per finding for the "Where:" list (an entity's name when titles are all alike)."""
    if len(where) == len(group):
        return where
    return [str(f.entity) if by_entity and f.entity else f.title for f in group]


def _secrets_action(group: list[Finding]) -> Action:
    """One action for several credentials written in one file (``group`` ranked, first highest)."""
    first = group[0]
    file = first.provenance[0].source
    counted = Counter(_lower_first(f.title.removesuffix(f" in {file}")) for f in group)
    labels = [f"{label} ×{n}" if n > 1 else label for label, n in counted.items()]
    lines = sorted({p.line for f in group for p in f.provenance if p.line is not None})
    rotations: list[str] = []
    for finding in group:
        match = _LEAKED.match(finding.recommendation)
        step = match.group("rotate") if match else finding.recommendation.rstrip(".")
        if step not in rotations:
            rotations.append(step)
    fingerprints = ", ".join(
        found.group(1)
        for f in group
        if (found := re.search(r"fingerprint ([0-9a-f]+)", f.evidence)) is not None
    )
    worst = min(group, key=lambda f: list(Severity).index(f.severity))
    return Action(
        title=f"Rotate the {len(group)} credentials in {file}: {', '.join(labels)}",
        rationale=(
            f"Fix: Treat each as leaked: {'; '.join(rotations)}. Then read the new values at "
            "runtime from AWS Secrets Manager or SSM Parameter Store (or environment variables set "
            "by the deploy), remove them from the file, and purge it from git history (git "
            "filter-repo) since the old commits still hold them. Why: "
            f"{file} (line{'s' if len(lines) > 1 else ''} {', '.join(map(str, lines))}) holds "
            f"{len(group)} credentials (fingerprints {fingerprints}); anyone with read access to "
            f"the code or its history holds them. [{worst.severity.value}, score "
            f"{first.score.normalize()}]"
        ),
        due_in_days=min(DUE_DAYS[f.severity] for f in group),
        entity=first.entity,
        owner="CTO",
        finding_ids=tuple(f.id for f in group),
        effort=first.effort,
        cost_tier=first.cost_tier,
        provenance=tuple(p for f in group for p in f.provenance),
    )


_COMMON_NOUNS = tuple(label for label in KIND_LABELS.values() if label[:1].islower())


def _lower_first(text: str) -> str:
    """``Hardcoded password`` -> ``hardcoded password``; ``SendGrid API key`` stays."""
    lowered = text[:1].lower() + text[1:]
    return lowered if lowered.startswith((*_COMMON_NOUNS, "live ", "test-mode ")) else text


def _action(finding: Finding) -> Action:
    return Action(
        title=finding.title,
        rationale=(
            f"Fix: {finding.recommendation} Why: {finding.evidence} "
            f"[{finding.severity.value}, score {finding.score.normalize()}]"
        ),
        due_in_days=DUE_DAYS[finding.severity],
        entity=finding.entity,
        owner="CTO",
        finding_ids=(finding.id,),
        effort=finding.effort,
        cost_tier=finding.cost_tier,
        monthly_effect=finding.monthly_effect,
        provenance=finding.provenance,
    )


def _endpoints(security: SecurityResult, names: dict[str, str]) -> tuple[Table | Paragraph, ...]:
    if not security.endpoints:
        return (
            Paragraph("No Lambda handlers or Apps Script/JavaScript web endpoints were found."),
        )
    ordered = sorted(
        security.endpoints,
        key=lambda e: (
            e.authenticated,
            not e.mutating,
            e.entity,
            e.provenance.source,
            e.provenance.line or 0,
        ),
    )
    rows = tuple(
        Row(
            (
                _who(e.entity, names),
                _route(e),
                e.handler,
                "yes" if e.authenticated else "NO",
                "yes" if e.mutating else "no",
                _short(e.auth_evidence),
            ),
            (e.provenance,),
        )
        for e in ordered
    )
    open_count = sum(1 for e in security.endpoints if not e.authenticated)
    return (
        Paragraph(
            f"{counted(len(security.endpoints), 'endpoint')} found; {open_count} check no caller. "
            "Unauthenticated routes that change state come first.",
            tuple(dict.fromkeys(e.provenance for e in ordered if not e.authenticated)),
        ),
        Table(
            ("Domain", "Route", "Handler", "Checks caller", "Changes state", "Caller check"),
            rows,
            align=("l",) * 6,
        ),
    )


def _route(endpoint: Endpoint) -> str:
    if endpoint.kind != "lambda":
        return f"{endpoint.handler.rsplit(':', 1)[-1]} ({endpoint.method})"
    return " ".join(p for p in (endpoint.method, endpoint.route) if p) or "any"


def _short(evidence: str | None) -> str:
    """The caller check without its file:line (the row cites it)."""
    if not evidence:
        return "—"
    return re.sub(r" at [^\s,()]+:\d+| at line \d+", "", evidence)


def _costs(
    security: SecurityResult, savings: list[Finding], names: dict[str, str]
) -> tuple[Table | Paragraph | Metrics | Findings | Chart, ...]:
    blocks: list[Table | Paragraph | Metrics | Findings | Chart] = []
    if security.costs:
        rows = tuple(
            Row(
                (
                    _who(line.entity, names),
                    line.service,
                    line.monthly,
                    line.latest,
                    f"{line.months[0][0]}..{line.months[-1][0]}"
                    if len(line.months) > 1
                    else line.months[0][0],
                ),
                line.provenance[-1:],
            )
            for line in sorted(
                security.costs, key=lambda c: (c.entity, -c.latest.amount, c.service)
            )
        )
        blocks.append(
            Table(
                ("Domain", "Service", "Monthly range", "Latest month", "Months"),
                rows,
                title="Monthly AWS cost by domain and service",
                align=("l", "l", "r", "r", "l"),
            )
        )
        totals = [
            m
            for m in security.metrics
            if m.id in {"security.aws.cost.total", "security.aws.savings"}
        ]
        if totals:
            blocks.append(Metrics(tuple(totals), title="Totals"))
        blocks.append(
            Chart(
                "AWS cost by month, all services",
                tuple(
                    Series(_who(entity, names), tuple(Point(m, a) for m, a in months), "USD/mo")
                    for entity, months in security.cost_by_month().items()
                ),
                "bar",
                tuple(p for line in security.costs for p in line.provenance[-1:]),
            )
        )
    else:
        blocks.append(
            Paragraph(
                "No AWS cost data: add aws = { profile = ..., region = ... } (or a Cost and Usage export, "
                "aws = { cur_export = ... }) to an entity to see spend by service."
            )
        )
    blocks.append(
        Findings(
            tuple(savings), title="Savings", empty_text="No savings found in the account data."
        )
    )
    return tuple(blocks)


#: Unreadable files named in the coverage line before "and N more".
SHOW_UNREADABLE = 10


def _unreadable(paths: tuple[str, ...]) -> str:
    """The coverage line's sentence naming what could not be read (its endpoints and secrets
    are missing from this audit)."""
    if not paths:
        return ""
    shown = ", ".join(paths[:SHOW_UNREADABLE])
    more = f" and {len(paths) - SHOW_UNREADABLE} more" if len(paths) > SHOW_UNREADABLE else ""
    return (
        f" Could not read {len(paths)} (endpoints and secrets there are not audited; "
        f"check their permissions): {shown}{more}."
    )


def _stacks(security: SecurityResult, names: dict[str, str], options: CtoOptions) -> list[Section]:
    sections: list[Section] = []
    for audit in security.stacks:
        name = _who(audit.entity, names)
        rows: list[Row] = []
        for language, lines, prov in audit.languages:
            rows.append(Row(("language", language, f"{lines} lines"), (prov,)))
        for kind, items in (
            ("framework", audit.frameworks),
            ("library", audit.libraries[: options.list_libraries]),
        ):
            for item, version, prov in items:
                rows.append(Row((kind, item, version or "unpinned"), (prov,)))
        hidden = len(audit.libraries) - options.list_libraries
        for kind, named in (
            ("AWS service", audit.aws_services),
            ("third party", audit.third_parties),
            ("IaC", audit.iac),
        ):
            for item, prov in named:
                rows.append(Row((kind, item, ""), (prov,)))
        blocks: list[Paragraph | Table | BulletList] = [
            Paragraph(
                f"{counted(audit.files, 'file')} and {counted(audit.lines, 'line')} read; "
                f"{counted(audit.endpoints, 'endpoint')}, "
                f"{audit.open_endpoints} without a caller check."
                + (
                    " Skipped: "
                    + ", ".join(f"{count} {reason}" for reason, count in audit.skipped.items())
                    + "."
                    if audit.skipped
                    else ""
                )
                + _unreadable(audit.unreadable),
                audit.provenance,
            ),
            Table(
                ("Kind", "Name", "Version / size"),
                tuple(rows),
                title=f"{name} stack",
                align=("l", "l", "l"),
            ),
        ]
        if hidden > 0:
            blocks.append(
                Paragraph(
                    f"{hidden} more libraries not shown (raise [reports.cto] list_libraries)."
                )
            )
        inventory = []
        if audit.roles:
            inventory.append(
                Bullet("Roles the code checks: " + ", ".join(audit.roles), audit.provenance)
            )
        if audit.feature_flags:
            inventory.append(
                Bullet("Feature flags: " + ", ".join(audit.feature_flags), audit.provenance)
            )
        if inventory:
            blocks.append(BulletList(tuple(inventory), title="Roles and feature flags"))
        sections.append(Section(f"Stack audit: {name}", tuple(blocks), id=f"stack-{audit.entity}"))
    if not sections:
        sections.append(
            Section(
                "Stack audit",
                (
                    Paragraph(
                        'No code folders configured: add code = ["path/to/repo"] to an entity.'
                    ),
                ),
                id="stack",
            )
        )
    return sections


@hookimpl
def register_reports() -> list[Report]:
    """The CTO report."""
    return [CtoReport()]
