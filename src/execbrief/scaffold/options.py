"""The options a recognised table needs, worked out from its first rows: the ``date_format`` of
its dates, and for a ledger the sign convention, how bare categories are typed and the opening
balance a running-balance column gives. Every one that is not certain is returned as a guess."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from execbrief.records.ledger import AccountType
from execbrief.scaffold.tables import Recognised, guess_date_format
from execbrief.sources.cells import parse_amount, parse_date
from execbrief.sources.ledger import classify_account

#: The date columns each kind reads (their date_format is one for all of them).
DATE_COLUMNS = {
    "bookings": ("created", "service_date"),
    "timesheets": ("date",),
    "invoices": ("issued", "due", "paid_on"),
    "trips": ("start", "end"),
    "ledger": ("date",),
}
INCOME_OR_EXPENSE = (AccountType.INCOME, AccountType.EXPENSE, AccountType.COST_OF_SALES)


def table_options(found: Recognised) -> tuple[dict[str, Any], list[str], list[str]]:
    """The options, the lines that show the column mapping, and the guesses of one table."""
    options: dict[str, Any] = {}
    guesses: list[str] = []
    shown = [f"{name} <- {header!r}" for name, header in found.mapping.items()]
    if found.table.header_line > 1:
        shown.insert(0, f"header on line {found.table.header_line} (the lines above are skipped)")
    if found.layout is not None:
        shown.insert(0, f"recognised as a {found.layout.name}")
    if found.columns:
        options["columns"] = dict(found.columns)
        if found.layout is None:
            guesses += [
                f"columns: {k} is {v!r} (its header names it)" for k, v in found.columns.items()
            ]
    cells = [
        row.get(found.mapping[name], "")
        for name in DATE_COLUMNS.get(found.kind, ())
        if name in found.mapping
        for row in found.table.rows
    ]
    fmt = guess_date_format(cells)
    if fmt.fmt:
        options["date_format"] = fmt.fmt
    if not fmt.certain:
        guesses.append(f"date_format: {fmt.why}")
    if found.kind == "ledger":
        _ledger_options(found, fmt.fmt, options, guesses)
    return options, shown, guesses


def _amounts(found: Recognised) -> list[tuple[dict[str, str], Decimal]]:
    """Each sampled row with its signed amount (credit minus debit for a debit/credit pair)."""
    out = []
    for row in found.table.rows:
        try:
            if "amount" in found.mapping and row.get(found.mapping["amount"], "").strip():
                out.append((row, parse_amount(row[found.mapping["amount"]])))
                continue
            credit = row.get(found.mapping.get("credit", ""), "").strip()
            debit = row.get(found.mapping.get("debit", ""), "").strip()
            if credit or debit:
                value = (parse_amount(credit) if credit else Decimal(0)) - (
                    abs(parse_amount(debit)) if debit else Decimal(0)
                )
                out.append((row, value))
        except ValueError:
            continue
    return out


def _account_type(name: str) -> AccountType | None:
    try:
        return classify_account(name)
    except ValueError:
        return None


def _ledger_options(
    found: Recognised, fmt: str | None, options: dict[str, Any], guesses: list[str]
) -> None:
    rows = _amounts(found)
    pair = "amount" not in found.mapping
    account = found.mapping.get("account")
    if found.layout is not None:
        options["sign"] = "bank"
        options["account_types"] = dict(found.layout.account_types)
        return
    typed = [(_account_type(r.get(account, "")) if account else None, v) for r, v in rows]
    signed = [v for t, v in typed if t in INCOME_OR_EXPENSE] or [v for _, v in typed]
    bank = not pair and sum(1 for v in signed if v < 0) * 2 > len(signed) >= 1
    if bank:
        options["sign"] = "bank"
        if len(signed) < 3:
            guesses.append("sign: few rows to tell; most amounts are negative, read as a bank's")
    if account is None:
        options["default_accounts"] = {}
        if not bank and not pair:
            options["sign"] = "bank"
            guesses.append(
                "sign: an export without categories, read as a bank's (money out negative)"
            )
    elif bank or pair:
        bare = _bare_categories(found, account, rows)
        if bare:
            options["account_types"] = bare
            guesses.append(
                "account_types: bare categories typed by the direction of their money"
                f" ({', '.join(sorted(bare))})"
            )
    opening = _opening(found, fmt, rows, account) if bank or pair else None
    if opening is not None:
        options["opening_balance"] = opening
        guesses.append("opening_balance: the first row's running balance less its amount")


def _bare_categories(
    found: Recognised, account: str, rows: list[tuple[dict[str, str], Decimal]]
) -> dict[str, str]:
    """Categories that are neither hierarchical nor numbered, typed by where their money went."""
    direction: dict[str, Decimal] = {}
    for row, value in rows:
        name = row.get(account, "").strip()
        if name and _account_type(name) is None:
            direction[name] = direction.get(name, Decimal(0)) + value
    return {name: "income" if total > 0 else "expense" for name, total in direction.items()}


def _opening(
    found: Recognised,
    fmt: str | None,
    rows: list[tuple[dict[str, str], Decimal]],
    account: str | None,
) -> dict[str, Any] | None:
    """The opening balance a running-balance column gives, when the export has no opening row."""
    balance = found.mapping.get("balance")
    memo = found.mapping.get("memo")
    if balance is None or not rows:
        return None
    for row, _ in rows:
        kind = row.get(found.mapping.get("type", ""), "").strip().lower()
        cash = account is not None and _account_type(row.get(account, "")) is AccountType.ASSET
        if kind == "opening" or cash or "opening" in row.get(memo or "", "").lower():
            return None
    first, amount = rows[0]
    try:
        day: date = (
            datetime.strptime(first[found.mapping["date"]].strip(), fmt).date()
            if fmt
            else parse_date(first[found.mapping["date"]])
        )
        after = parse_amount(first[balance])
    except (KeyError, ValueError):
        return None
    return {"date": day, "amount": f"{after - amount:.2f}", "account": "Assets:Checking"}
