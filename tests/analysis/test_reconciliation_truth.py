"""Reconciliation that tells the truth (issue 13, 9): what was and was not checked, no deposits
guessed from a full price, and a bank-export ledger with no deposit account is a warning with the
recipe to close the gap, not a block."""

from __future__ import annotations

from dataclasses import replace

from execbrief.analysis.accounting import analyze
from execbrief.snapshot import Provenance, SourceError, SourceResult
from kits.ledger import balance, booking, config, snapshot, tx

ENTITIES = [("sweep", "hauling"), ("gull", "charter")]


def test_a_bank_export_with_no_deposit_account_warns_with_the_recipe() -> None:
    # A bank export: Stripe's payouts arrive lumped as "STRIPE TRANSFER" on an uncategorised
    # income account; the bookings took 2 x 150 = 300 in deposits. Nothing in the ledger says
    # deposit, so the two cannot be compared: a warning, not a block.
    records = [
        booking("sweep", "J1", "2026-03-02", "2026-03-20", "completed", "600", "150"),
        booking("sweep", "J2", "2026-03-05", "2026-03-25", "completed", "600", "150"),
        tx("sweep", "2026-03-09", "Income:Uncategorized", 1020, "STRIPE TRANSFER"),
        balance("sweep", "2026-03-01", 1000),
    ]
    result = analyze(snapshot(ENTITIES[:1], records), config(ENTITIES[:1]))
    assert result.reconciled is True
    # the warning is the entity's own (a report shows only its entities' warnings)
    assert not [n for n in result.notes if "deposit account" in n]
    ((entity, note),) = result.warnings
    assert entity == "sweep"
    assert note.startswith(
        "Sweep: bookings took $300 in deposits from 2026-03-01 to 2026-04-15, but the ledger has "
        "no deposit account, so they could not be checked against it"
    )
    assert "map the payouts to a deposit account" in note
    assert "add the processor's export as a second ledger file" in note
    # No statement balance either: said as not checked, not "everything reconciles".
    # and the deposits that could not be checked are listed under "Not checked" too.
    assert result.unchecked == (
        "Sweep: no balance assertion (a statement balance) to check the ledger against",
        "Sweep: bookings' deposits against the ledger (the ledger has no deposit account; see "
        "the warning)",
    )


def test_a_full_price_payment_is_not_a_deposit() -> None:
    # A plain $300 job with no deposit column, paid on the day it was booked for a later month:
    # matched by amount alone it was deferred as a "deposit"; it is not one.
    records = [
        booking("sweep", "J9", "2026-03-30", "2026-04-10", "booked", "300"),
        tx("sweep", "2026-03-30", "Income:Jobs", 300, "Card payment"),
    ]
    result = analyze(snapshot(ENTITIES[:1], records), config(ENTITIES[:1]))
    assert result.deferred == ()


def test_a_ledger_that_failed_to_load_is_not_checked() -> None:
    records = [tx("sweep", "2026-03-09", "Income:Jobs", 500), balance("sweep", "2026-03-01", 900)]
    base = snapshot(ENTITIES, records)
    failed = SourceResult(
        "gull",
        "ledger",
        ("ledgers/gull.csv",),
        errors=(
            SourceError("gull", "ledger", Provenance("ledgers/gull.csv", 1), "is not CSV", True),
        ),
    )
    snap = replace(base, results=(*base.results, failed))
    result = analyze(snap, config(ENTITIES))
    assert "Gull: the ledger ledgers/gull.csv:1 could not be read" in result.unchecked


def test_a_skipped_ledger_row_is_listed_as_not_checked() -> None:
    # The rest of the file was read (fatal=False), but one row was not: the books cannot be said
    # to reconcile over that row, and the verdict must not read as if everything was checked.
    records = [tx("sweep", "2026-03-09", "Income:Jobs", 500), balance("sweep", "2026-03-01", 900)]
    base = snapshot(ENTITIES[:1], records)
    skipped = SourceError(
        "sweep",
        "ledger",
        Provenance("ledgers/sweep.csv", 7),
        "has no amount; expected an amount, a debit or a credit",
        rows_skipped=1,
        fatal=False,
    )
    partial = SourceResult("sweep", "ledger", ("ledgers/sweep.csv",), errors=(skipped,))
    snap = replace(base, results=(*base.results, partial))
    result = analyze(snap, config(ENTITIES[:1]))
    assert (
        "Sweep: 1 ledger row skipped and not checked (ledgers/sweep.csv:7: has no amount; "
        "expected an amount, a debit or a credit)"
    ) in result.unchecked


def test_a_bank_counter_deposit_is_not_a_booking_deposit() -> None:
    # Wells Fargo's memo for a deposit made at the counter is the bare word "DEPOSIT" (issue 14,
    # audit14b finding 2: tidewater-kayaks/bank/Checking1.csv:4 `"11/14/2026","300.00","*","",
    # "DEPOSIT"`). It names no booking or customer, so it is not the bookings' deposits: the
    # ledger has no deposit account and the gap is the documented warning, not NOT RECONCILED.
    records = [
        booking("gull", "101", "2026-03-02", "2026-03-20", "completed", "600", "150"),
        booking("gull", "102", "2026-03-05", "2026-04-25", "booked", "900", "250"),
        tx("gull", "2026-03-09", "Income:Uncategorized", 640, "FAREHARBOR PAYOUT 260309 XXXXX1234"),
        tx("gull", "2026-03-14", "Income:Uncategorized", 300, "DEPOSIT"),
        tx("gull", "2026-03-16", "Income:Uncategorized", 80, "MOBILE DEPOSIT REF #1234"),
        balance("gull", "2026-03-01", 1000),
    ]
    result = analyze(snapshot(ENTITIES[1:], records), config(ENTITIES[1:]))
    assert result.reconciled is True
    ((entity, note),) = result.warnings
    assert entity == "gull"
    assert "bookings took $400 in deposits" in note and "no deposit account" in note
    # FareHarbor's payouts have no export layout: the advice does not send the reader to one
    assert "add the processor's export" not in note
    assert "check them by hand against the booking tool's payout report" in note
    # the counter deposits are not listed as deposits to review either
    assert not [i for i in result.deferred if i.amount.amount in (300, 80)]


def test_a_memo_naming_a_booking_beside_deposit_still_counts() -> None:
    records = [
        booking("gull", "J7", "2026-03-02", "2026-04-20", "booked", "600", "300"),
        tx("gull", "2026-03-02", "Income:Uncategorized", 300, "DEPOSIT J7 SMITH"),
        balance("gull", "2026-03-01", 1000),
    ]
    result = analyze(snapshot(ENTITIES[1:], records), config(ENTITIES[1:]))
    assert result.reconciled is True and not result.warnings
    assert [i.booking for i in result.deferred] == ["J7"]


def test_the_advice_names_a_processor_export_not_yet_listed() -> None:
    records = [
        booking("sweep", "J1", "2026-03-02", "2026-03-20", "completed", "600", "150"),
        tx("sweep", "2026-03-09", "Income:Uncategorized", 1020, "SQUARE INC 260309P2 L2NNRF"),
        balance("sweep", "2026-03-01", 1000),
    ]
    result = analyze(snapshot(ENTITIES[:1], records), config(ENTITIES[:1]))
    ((_, note),) = result.warnings
    assert "add the processor's export as a second ledger file (Square's)" in note


def test_a_balance_the_ledger_starts_from_checked_nothing() -> None:
    # audit14b finding 8: Pine Cottage's QFX LEDGERBAL is where its cash starts (computed None):
    # not "1 balance assertion against the ledger". Tidewater's PayPal: the first Balance is the
    # start, the later ones were compared (computed given): only those count.
    records = [
        tx("sweep", "2026-03-09", "Income:Rent", 500),
        balance("sweep", "2026-03-31", 4128, kind="assertion"),
        tx("gull", "2026-03-02", "Income:Charters", 100),
        balance("gull", "2026-03-01", 55, kind="assertion"),
        balance("gull", "2026-03-05", 155, kind="assertion", computed="155"),
        balance("gull", "2026-03-09", 175, kind="assertion", computed="175"),
    ]
    result = analyze(snapshot(ENTITIES, records), config(ENTITIES))
    assert "Gull: 2 balance assertions against the ledger" in result.checked
    assert not [c for c in result.checked if c.startswith("Sweep:")]
    assert (
        "Sweep: the ledger starts from its statement balance, so no later balance checks it"
        in result.unchecked
    )
