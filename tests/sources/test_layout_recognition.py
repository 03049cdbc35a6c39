"""Recognition over the whole catalogue (issue 14): every layout's fixture, laid out as its tool
writes it (tests/data/layouts/, and the outside tester's Stripe and Chase exports under
tests/data/audit14/), is recognised as its own layout and as no other: where two layouts' headers
both match a file, the one with the most identifying headers wins (Stripe's payouts export also
has the balance export's balance_transaction_id, gross, fee, net and reporting_category).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from execbrief.sources import layouts
from execbrief.sources.files import Location

DATA = Path(__file__).resolve().parents[1] / "data"

#: Each fixture and the layout it is of, per source (a source absent: no layout of it).
EXPECTED: dict[str, dict[str, str]] = {
    "layouts/airbnb-transaction-history.csv": {
        "ledger": "airbnb-transactions",
        "bookings": "airbnb-reservations",
    },
    "layouts/bank-of-america.csv": {"ledger": "bank-of-america"},
    "layouts/chase-checking.csv": {"ledger": "chase"},
    "layouts/chase-checking-processors.csv": {"ledger": "chase"},
    "layouts/clockify-detailed.csv": {"timesheets": "clockify"},
    "layouts/fareharbor-bookings.csv": {"bookings": "fareharbor"},
    "layouts/google-forms-responses.csv": {"bookings": "google-forms"},
    "layouts/harvest-detailed-time.csv": {"timesheets": "harvest"},
    "layouts/klaviyo-profiles.csv": {"subscribers": "klaviyo"},
    "layouts/mailchimp-subscribed.csv": {"subscribers": "mailchimp"},
    "layouts/mailchimp-unsubscribed.csv": {"subscribers": "mailchimp"},
    "layouts/paypal-activity.csv": {"ledger": "paypal-activity"},
    "layouts/quickbooks-online-transaction-detail.csv": {"ledger": "quickbooks-online"},
    "layouts/square-transactions.csv": {"ledger": "square-transactions"},
    "layouts/square-items.csv": {"bookings": "square-items"},
    "layouts/stripe-balance-activity.csv": {"ledger": "stripe-balance"},
    "layouts/stripe-itemized-payouts.csv": {"ledger": "stripe-payouts"},
    "layouts/toggl-detailed.csv": {"timesheets": "toggl"},
    "layouts/american-express-activity.csv": {"ledger": "american-express"},
    "layouts/freshbooks-general-ledger.csv": {"ledger": "freshbooks"},
    "layouts/quickbooks-desktop-general-ledger.csv": {"ledger": "quickbooks-desktop"},
    "layouts/wave-accounting.csv": {"ledger": "wave"},
    "layouts/wells-fargo-checking.csv": {"ledger": "wells-fargo"},
    "layouts/xero-account-transactions.csv": {"ledger": "xero"},
    "audit14/bank/Chase4821_Activity_20261104.CSV": {"ledger": "chase"},
    "audit14/stripe/Itemized_balance_change_from_activity_USD_2026-09-30_to_2026-10-31.csv": {
        "ledger": "stripe-balance"
    },
    "audit14/stripe/Itemized_payouts_USD_2026-10-01_to_2026-11-04.csv": {
        "ledger": "stripe-payouts"
    },
}
SOURCES = sorted({layout.source for layout in layouts.CATALOGUE})


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_fixture_is_its_own_layout_and_no_other(name: str) -> None:
    loc = Location(name, path=DATA / name)
    found = {source: layouts.sniff(loc, source) for source in SOURCES}
    assert {s: layout.key for s, layout in found.items() if layout} == EXPECTED[name]


#: Layouts no header tells apart, read only when the config names them (docs/formats.md): Amex's
#: plain ``Date,Description,Amount`` download is any bank's three columns.
NAMED_ONLY = {"american-express-basic"}


def test_every_layout_has_a_fixture() -> None:
    covered = {key for keys in EXPECTED.values() for key in keys.values()}
    assert covered == {layout.key for layout in layouts.CATALOGUE} - NAMED_ONLY


def test_the_layout_with_the_most_identifying_headers_wins() -> None:
    payouts = layouts.named("stripe-payouts")
    balance = layouts.named("stripe-balance")
    cells = [*payouts.headers, *balance.headers, "payout_status"]
    assert balance.matches(cells) and payouts.matches(cells)
    assert layouts.recognise("ledger", cells) is payouts
    assert layouts.recognise("ledger", list(balance.headers)) is balance
