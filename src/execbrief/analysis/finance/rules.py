"""The financial rules of ``[[analysis.finance.rules]]`` checked against the data: cash covers N
months of burn (``cash-months``), no large spend without a revenue case (``max-spend``), no equity
promised without a signed agreement (``equity-agreement``). Each check passes, fails with its
evidence, or is unknown."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from execbrief.analysis import books
from execbrief.analysis.finance.entity import PORTFOLIO, EntityFinance
from execbrief.analysis.finance.options import FinanceOptions, RuleKind, RuleSpec
from execbrief.analysis.finance.wording import burn_text, fmt_months, money_text
from execbrief.records.handoff import Fact
from execbrief.records.ledger import AccountType, Transaction
from execbrief.snapshot import Provenance, Snapshot
from execbrief.values import Money, counted


@dataclass(frozen=True)
class RuleCheck:
    """One financial rule checked against the data: ``status`` is pass, fail or unknown."""

    rule: str
    kind: str
    description: str
    status: str
    evidence: str
    entity: str | None = None
    provenance: tuple[Provenance, ...] = ()


_NEGATED_SIGNED = re.compile(
    r"\b(?:un|not\s+|never\s+|no\s+)(?:yet\s+)?signed\b|\bunsigned\b", re.IGNORECASE
)
_SIGNED = re.compile(r"\bsigned\b", re.IGNORECASE)
_NOTHING = re.compile(r"^\s*(?:none|no|n/?a|nil|0|0%|-|—)\s*\.?\s*$", re.IGNORECASE)


def _says_signed(text: str) -> bool:
    return bool(_SIGNED.search(text)) and not _NEGATED_SIGNED.search(text)


@dataclass(frozen=True)
class RuleInputs:
    """What a rule is checked against: the snapshot, the options, the entities and the roll-up."""

    snapshot: Snapshot
    options: FinanceOptions
    entities: Sequence[EntityFinance]
    portfolio: EntityFinance | None


def check_rules(
    snapshot: Snapshot,
    options: FinanceOptions,
    entities: Sequence[EntityFinance],
    portfolio: EntityFinance | None,
) -> tuple[RuleCheck, ...]:
    """Check every configured rule against the data: pass, fail (with evidence) or unknown."""
    inputs = RuleInputs(snapshot, options, entities, portfolio)
    return tuple(check for rule in options.rules for check in CHECKS[rule.kind](rule, inputs))


def _rule_cash(rule: RuleSpec, inputs: RuleInputs) -> list[RuleCheck]:
    """Cash covers ``months`` of net burn at the worst month, per entity and for the portfolio."""
    options, entities, portfolio = inputs.options, inputs.entities, inputs.portfolio
    months = rule.months or options.min_cash_months
    description = (
        rule.description
        or f"Keep at least {fmt_months(months)} months of cash at the worst month's net burn"
    )
    out = []
    for fin in [*entities, *([portfolio] if portfolio else [])]:
        run = fin.runway
        if run is None or not fin.has_ledger:
            continue
        entity = None if fin.entity == PORTFOLIO else fin.entity
        if run.status == "not burning":
            status, evidence = (
                "pass",
                f"{fin.name}: not burning ({burn_text(run.burn)}); cash {money_text(run.cash)}",
            )
        elif run.status in ("no cash", "no data"):
            status, evidence = "unknown", f"{fin.name}: {run.text}"
        else:
            low = run.months_low if run.months_low is not None else Decimal(0)
            status = "pass" if low >= months else "fail"
            evidence = (
                f"{fin.name}: cash {money_text(run.cash)} covers {fmt_months(low)} months at the worst month's "
                f"net burn {run.burn.high.quantize() if run.burn else '?'} (rule: {fmt_months(months)})"
            )
        out.append(
            RuleCheck(rule.id, rule.kind, description, status, evidence, entity, run.provenance)
        )
    return out


def _rule_spend(rule: RuleSpec, inputs: RuleInputs) -> list[RuleCheck]:
    """No single spend over ``limit`` without a revenue case; recurring payees are left out."""
    options, snapshot = inputs.options, inputs.snapshot
    limit = Money(rule.limit or options.max_unreviewed_spend, snapshot.currency)
    description = rule.description or (
        f"No single spend over {limit} without a revenue case (recurring payments such as payroll excluded)"
    )
    markers = [
        re.compile(rf"\b{re.escape(m)}\b", re.IGNORECASE) for m in options.revenue_case_markers
    ]
    spending = frozenset({*books.COSTS, AccountType.ASSET})
    out = []
    for info in snapshot.entities:
        ledger = snapshot.records(Transaction, info.id)
        if not ledger:
            continue
        # Only cash movements are spends: on a double-entry export an invoice raised
        # (Accounts Receivable) or an unpaid bill is not (``cash`` false until settled).
        spends = [t for t in ledger if t.cash and t.account_type in spending]
        if books.one_currency(spends, limit.currency):  # compared as Decimals, no Money call
            line = limit.amount
            rows = [t for t in spends if t.amount.amount > line]
        else:  # Money's comparison says which currencies clash
            rows = [t for t in spends if t.amount > limit]
        rows = [t for t in rows if t.date <= snapshot.as_of]
        if rows:  # the running costs are read only of books with a spend over the limit
            recurring = books.recurring_payees(ledger)
            rows = [t for t in rows if books.payee(t) not in recurring]
        bad = [
            t for t in rows if not any(m.search(f"{t.memo} {t.reference or ''}") for m in markers)
        ]
        if bad:
            listed = "; ".join(
                f"{t.date} {t.account} {t.amount.quantize()} ({t.memo or 'no memo'})"
                for t in bad[:5]
            )
            more = f" and {len(bad) - 5} more" if len(bad) > 5 else ""
            evidence = f"{info.name}: {counted(len(bad), 'spend')} over {limit} with no revenue case: {listed}{more}"
            out.append(
                RuleCheck(
                    rule.id,
                    rule.kind,
                    description,
                    "fail",
                    evidence,
                    info.id,
                    tuple(t.provenance for t in bad),
                )
            )
        else:
            evidence = (
                f"{info.name}: {counted(len(rows), 'spend')} over {limit}, each with a revenue case"
            )
            out.append(
                RuleCheck(
                    rule.id,
                    rule.kind,
                    description,
                    "pass",
                    evidence,
                    info.id,
                    tuple(t.provenance for t in rows),
                )
            )
    return out


def _rule_equity(rule: RuleSpec, inputs: RuleInputs) -> list[RuleCheck]:
    """No equity promised without a signed agreement, per entity that promised any."""
    snapshot = inputs.snapshot
    description = rule.description or "No equity promised without a signed agreement"
    out = []
    for info in snapshot.entities:
        facts = snapshot.records(Fact, info.id)
        promises = [
            f
            for f in facts
            if f.key == "equity_obligations" and not _NOTHING.match(f.raw) and f.value is not False
        ]
        if not promises:
            continue
        agreements = [f for f in facts if f.key == "equity_agreement_signed"]
        signed = [
            f
            for f in agreements
            if f.value is True or (isinstance(f.value, str) and _says_signed(f.raw))
        ]
        unsigned = [f for f in agreements if f not in signed]
        promise_signed = [f for f in promises if _says_signed(f.raw)]
        cited = tuple(f.provenance for f in (*promises, *agreements))
        quoted = "; ".join(f"{f.label}: {f.raw}" for f in (*promises, *agreements))
        if (signed or promise_signed) and not unsigned:
            out.append(
                RuleCheck(
                    rule.id,
                    rule.kind,
                    description,
                    "pass",
                    f"{info.name}: {quoted}",
                    info.id,
                    cited,
                )
            )
        else:
            reason = (
                "the agreement is not signed"
                if unsigned or agreements
                else "no signed agreement is recorded"
            )
            out.append(
                RuleCheck(
                    rule.id,
                    rule.kind,
                    description,
                    "fail",
                    f"{info.name}: {quoted} — {reason}",
                    info.id,
                    cited,
                )
            )
    return out


#: The check of each kind of rule (``RuleSpec.kind``).
CHECKS: dict[RuleKind, Callable[[RuleSpec, RuleInputs], list[RuleCheck]]] = {
    "cash-months": _rule_cash,
    "max-spend": _rule_spend,
    "equity-agreement": _rule_equity,
}
