"""The catalogue of known export layouts: tools' CSV exports recognised by their header.

A :class:`Layout` names a tool's export (``chase``, ``toggl``, ``google-forms``), the source that
reads it, the header cells that identify it, and the options that read it right (a column mapping,
date formats, the sign convention, ``id = "row"``). A table source looks at each file's header
before reading it: when a layout's identifying headers are all there, its options are used under
the config's own (``layout = "chase"`` names one outright; what the config sets always wins), and
the column mapping the source reports (``collect``, ``check``) names the layout recognised.

Each layout says where its shape was looked up (``reference``); the fixtures under
``tests/data/layouts/`` are laid out as the tools write them. docs/formats.md, "Export layouts",
has a recipe for each.

Running balances: :func:`running_balances` turns a bank export's per-row balance column into one
balance per date (the balance after that day's last transaction), in either date order.
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence, Set
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from execbrief.sources.files import HEADER_SEARCH_LINES, Location, iter_lines, normalize_header


@dataclass(frozen=True)
class Layout:
    """One known export layout.

    ``headers`` are header cells (as written) that must all be present for the layout to be
    recognised; ``options`` are the source options that read it (``columns`` merged under the
    config's mapping, any other option used when the config does not set it). ``balance`` names
    the running-balance column of a bank export. ``reference`` says where the layout was looked up.
    """

    key: str
    label: str
    source: str
    headers: tuple[str, ...]
    options: Mapping[str, Any] = field(default_factory=dict)
    reference: str = ""
    balance: str | None = None
    notes: tuple[str, ...] = ()
    #: ``processor``: a payment processor's balance export (``sources.processor``), read as
    #: sales, fees and payouts rather than as ledger rows.
    reader: str = "table"
    #: ``(field, values)``: only rows whose field (read as a canonical column) is one of the
    #: values are records; the others are the export's totals row or rows of another kind (an
    #: Airbnb payout among its reservations) and are skipped.
    only: tuple[str, tuple[str, ...]] | None = None
    #: For an export with no header line (Wells Fargo): whether a file's first row has its shape.
    first_row: Callable[[Sequence[str]], bool] | None = None
    #: ``(field, values, sentence)``: a row whose field is one of the values cannot be read right
    #: as a record (a Square refund line would be a negative sale): a row error saying so.
    refused: tuple[str, tuple[str, ...], str] | None = None

    def matches(self, cells: Iterable[str]) -> bool:
        """True when every identifying header is among ``cells`` (a headerless layout never)."""
        return self.matches_keys({normalize_header(cell) for cell in cells})

    def matches_keys(self, found: Set[str]) -> bool:
        """``matches`` of cells whose ``normalize_header`` keys are ``found``."""
        return bool(self.headers) and self.header_keys <= found

    @functools.cached_property
    def header_keys(self) -> frozenset[str]:
        """The identifying headers' ``normalize_header`` keys (found once per layout)."""
        return frozenset(normalize_header(h) for h in self.headers)

    def refuse(self, row: Mapping[str, str]) -> None:
        """ValueError with the layout's sentence for a row it cannot read right (``refused``)."""
        if self.refused is not None:
            name, values, sentence = self.refused
            if row.get(name, "").strip().lower() in values:
                raise ValueError(sentence)

    def skips(self, row: Mapping[str, str]) -> bool:
        """True for a row that is not a record of this layout (see ``only``)."""
        if self.only is None:
            return False
        name, values = self.only
        return row.get(name, "").strip().lower() not in values


_US_DATE = re.compile(r"\d{2}/\d{2}/\d{4}")
_SIGNED_AMOUNT = re.compile(r"-?\d+\.\d{2}")


def _wells_fargo_row(cells: Sequence[str]) -> bool:
    """Wells Fargo's first row: five cells, a MM/DD/YYYY date, a signed amount with cents and a
    lone ``*`` in the third (``"10/30/2026","-600.00","*","","MARINA DOCKAGE"``)."""
    return (
        len(cells) == 5
        and bool(_US_DATE.fullmatch(cells[0].strip()))
        and bool(_SIGNED_AMOUNT.fullmatch(cells[1].strip()))
        and cells[2].strip() == "*"
    )


CATALOGUE: tuple[Layout, ...] = (
    # ---------------------------------------------------------------- time trackers
    Layout(
        "toggl",
        "Toggl Track detailed report (CSV)",
        "timesheets",
        ("User", "Email", "Client", "Project", "Start date", "Duration", "Billable"),
        {"columns": {"date": "Start date", "person": "User"}},
        "Toggl Track detailed export: User,Email,Client,Project,Task,Description,Billable,"
        "Start date,Start time,End date,End time,Duration,Tags,Amount (USD)",
    ),
    Layout(
        "clockify",
        "Clockify detailed report (CSV)",
        "timesheets",
        ("Project", "Client", "User", "Start Date", "Duration (decimal)", "Billable"),
        {
            "columns": {
                "date": "Start Date",
                "person": "User",
                "hours": "Duration (decimal)",
                "rate": "Billable Rate (USD)",
                "amount": "Billable Amount (USD)",
            }
        },
        "Clockify detailed report: Project,Client,Description,Task,User,Group,Email,Tags,Billable,"
        "Start Date,Start Time,End Date,End Time,Duration (h),Duration (decimal),"
        "Billable Rate (USD),Billable Amount (USD)",
    ),
    Layout(
        "harvest",
        "Harvest detailed time report (CSV)",
        "timesheets",
        ("Date", "Client", "Project", "Hours", "Billable?", "Invoiced?", "First Name"),
        {"columns": {"person": "First Name", "invoice": "Invoiced?"}},
        "Harvest detailed time report export: Date,Client,Project,Project Code,Task,Notes,Hours,"
        "Hours Rounded,Billable?,Invoiced?,Approved?,First Name,Last Name,Roles,Employee?,"
        "Billable Rate,Billable Amount,Cost Rate,Cost Amount,Currency,External Reference URL",
    ),
    # ---------------------------------------------------------------- bookings
    Layout(
        "google-forms",
        "Google Forms responses sheet (CSV download)",
        "bookings",
        ("Timestamp",),
        {
            "id": "row",
            "columns": {"created": "Timestamp"},
            "date_format": {"created": "%m/%d/%Y %H:%M:%S"},
        },
        "Google Forms writes a 'Timestamp' column (M/D/YYYY H:MM:SS, US locale) and one column "
        "per question; there is no id column",
        notes=("no id column: the row number is the id",),
    ),
    Layout(
        "fareharbor",
        "FareHarbor Dashboard, Bookings report (CSV export)",
        "bookings",
        ("Booking ID", "Cancelled?", "Created At Date", "Item", "Total Paid", "Amount Due"),
        {
            "columns": {
                "id": "Booking ID",
                "created": "Created At Date",
                "service_date": "Start Date",
                "status": "Cancelled?",
                "amount": "Total",
                "deposit": "Total Paid",
                "amount_due": "Amount Due",
                "customer": "Contact",
                "channel": "Affiliate",
            },
            "date_format": "%m/%d/%Y",
            "statuses": {"No": "booked", "Yes": "cancelled"},
            "completed_after_service": True,
        },
        "FareHarbor Reports > Bookings, Export CSV: a 'Bookings' title row, then the columns "
        "picked (Booking ID as #290981542, Cancelled? Yes/No, Created At Time, Created At Date, "
        "Item ID, Item, Start Time, Start Date, Contact, Phone, Email, Booking Notes, # of Pax, "
        "Subtotal, tax, Total Tax, Total, Subtotal Paid, ... Total Paid, Net Revenue Collected, "
        "Amount Due, Paid Status, Affiliate, ...) and a last totals row with no Booking ID; "
        "money as $1,300.00 (the column names of public loaders of this export; dates as a US "
        "dashboard shows them)",
        notes=(
            "Cancelled? No is booked, Yes cancelled; a booking whose Start Date has passed is "
            "completed; Total Paid is the deposit taken, Amount Due the rest (0: paid in full); "
            "the totals row is skipped",
        ),
        only=("status", ("yes", "no")),
    ),
    Layout(
        "airbnb-reservations",
        "Airbnb Earnings, Transaction history (CSV), its Reservation rows",
        "bookings",
        ("Date", "Type", "Confirmation Code", "Booking date", "Start date", "Nights", "Amount"),
        {
            "columns": {
                "id": "Confirmation code",
                "created": "Booking date",
                "service_date": "Start date",
                "status": "Type",
                "units": "Nights",
                "amount": "Gross earnings",
                "payout": "Amount",
                "customer": "Guest",
                "posted": "Date",
            },
            "date_format": "%m/%d/%Y",
            "statuses": {"Reservation": "booked"},
            "channel": "airbnb",
            "payout_days": 1,
        },
        "Airbnb Earnings > Transaction history > Export CSV (the airbnb-transactions ledger "
        "layout's file): each Reservation row is a stay of Nights from Start date to End date, "
        "listed under the Payout row that paid it, both dated (Date) the day of the payout; "
        "'Airbnb typically releases your payout about 24 hours after your guest's scheduled "
        "check-in time' (Airbnb's help, as quoted on community.withairbnb.com)",
        notes=(
            "only Reservation rows are bookings (payouts and adjustments are the ledger's); "
            "units = Nights, amount = Gross earnings, payout = Amount",
            "channel airbnb; a Reservation dated on or before the report date is paid out "
            "(nothing is due), a later one is expected the day after check-in; a stay whose "
            "check-out (Start date + Nights) has passed is completed; the file is as recent as its latest Date",
        ),
        only=("status", ("reservation",)),
    ),
    Layout(
        "square-items",
        "Square Dashboard, Items (Item Sales Detail) export (CSV)",
        "bookings",
        (
            "Category",
            "Item",
            "Qty",
            "Price Point Name",
            "Modifiers Applied",
            "Gross Sales",
            "Net Sales",
            "Event Type",
        ),
        {
            "id": "row",
            "columns": {
                "created": "Date",
                "service_date": "Date",
                "status": "Event Type",
                "amount": "Net Sales",
                # units come from Qty by its alias, so a charter's one-unit rule still holds
                "customer": "Customer Name",
                # Square's Channel is the location's name for an in-person sale ("Harbor
                # Charters"), not where the customer came from: not read unless the config maps it
                "channel": "",
            },
            "statuses": {"Payment": "completed"},
        },
        "Square Dashboard > Reports > Item sales > Export, Items Detail CSV (items-<from>-<to>.csv):"
        " Date,Time,Time Zone,Category,Item,Qty,Price Point Name,SKU,Modifiers Applied,Gross Sales,"
        "Discounts,Net Sales,Tax,Transaction ID,Payment ID,Device Name,Notes,Details,Event Type,"
        "Location,Dining Option,Customer ID,Customer Name,Customer Reference ID,Unit,Count,GTIN,"
        "Itemization Type,Commission,Employee,Fulfillment Note,Channel,Token,Card Brand,PAN Suffix"
        " (one row per item line; several per Transaction ID; YYYY-MM-DD; Qty as 1.0; money as "
        "$8.00, Discounts negative; a refund line has Event Type Refund, Qty and money negative; "
        "no tip column; older files have fewer columns) (the public 2026 export "
        "zoetankersley/sunrise_social_club data/raw/items-2026-07-18-2026-07-19.csv, and the "
        "Square items parsers the code search finds)",
        notes=(
            "one row per item line: the row number is the id; amount = Net Sales (after "
            "discounts, before tax); a Payment line is a completed sale of Qty units (for a "
            "charter entity one unit: Qty then counts seats, like a party size)",
            "sales by item, not money: the ledger's Square Transactions export carries the cash, "
            "fees and deposits, so nothing is counted twice",
            "a Refund line is a row error (it is not netted from the sale it refunds)",
            "Channel is Square's: the location's name for in-person sales, Square Online for "
            "online orders",
        ),
        refused=(
            "status",
            ("refund",),
            "a Square refund line (Event Type Refund), which is not netted from the item sale it "
            "refunds, so that item's units and sales are counted as sold; subtract it by hand or "
            "export a range without the refund",
        ),
    ),
    # ---------------------------------------------------------------- mailing lists
    Layout(
        "mailchimp",
        "Mailchimp audience export (one CSV per status)",
        "subscribers",
        ("Email Address", "MEMBER_RATING", "OPTIN_TIME"),
        {},
        "Mailchimp's audience export is a zip of subscribed, unsubscribed and cleaned CSVs: "
        "Email Address,First Name,Last Name,MEMBER_RATING,OPTIN_TIME,OPTIN_IP,CONFIRM_TIME,"
        "CONFIRM_IP,...,LAST_CHANGED,LEID,EUID,NOTES,TAGS; unsubscribed adds UNSUB_TIME, "
        "cleaned adds CLEAN_TIME",
        notes=("no status column: a file with UNSUB_TIME or CLEAN_TIME holds no opted-in address",),
    ),
    Layout(
        "klaviyo",
        "Klaviyo profiles export (CSV)",
        "subscribers",
        ("Email", "Email Marketing Consent"),
        {"columns": {"email": "Email", "status": "Email Marketing Consent"}},
        "Klaviyo list/segment export: Email, First Name, Last Name, ..., Email Marketing Consent "
        "(SUBSCRIBED, UNSUBSCRIBED, NEVER_SUBSCRIBED, SUPPRESSED)",
    ),
    # ---------------------------------------------------------------- banks (ledger)
    Layout(
        "chase",
        "Chase checking, Download account activity (CSV)",
        "ledger",
        ("Details", "Posting Date", "Description", "Amount", "Type", "Balance"),
        {
            "columns": {
                "date": "Posting Date",
                "memo": "Description",
                "reference": "Check or Slip #",
                "balance": "Balance",
            },
            "date_format": "%m/%d/%Y",
            "sign": "bank",
            "default_accounts": {},
        },
        "Chase activity download: Details,Posting Date,Description,Amount,Type,Balance,"
        "Check or Slip # (a trailing comma on every row; newest first; MM/DD/YYYY; debits "
        "negative; Balance is the running balance after each row)",
        balance="Balance",
    ),
    Layout(
        "bank-of-america",
        "Bank of America checking or savings, Download transactions (CSV)",
        "ledger",
        ("Date", "Description", "Amount", "Running Bal."),
        {
            "columns": {"memo": "Description", "balance": "Running Bal."},
            "date_format": "%m/%d/%Y",
            "sign": "bank",
            "default_accounts": {},
        },
        "Bank of America download: a summary block (Description,,Summary Amt.; Beginning "
        "balance as of ...; Total credits; Total debits; Ending balance as of ...), a blank line, "
        "then Date,Description,Amount,Running Bal. with a 'Beginning balance as of' row first "
        "(oldest first; MM/DD/YYYY; debits negative)",
        balance="Running Bal.",
    ),
    Layout(
        "wells-fargo",
        "Wells Fargo checking or savings, Download account activity (Comma Delimited)",
        "ledger",
        (),
        {
            "header": ["Date", "Amount", "Star", "Check Number", "Description"],
            "columns": {"memo": "Description", "reference": "Check Number"},
            "date_format": "%m/%d/%Y",
            "sign": "bank",
            "default_accounts": {},
        },
        "Wells Fargo 'Download Account Activity', Comma Delimited: no header line; five quoted "
        'columns per row: date (MM/DD/YYYY), signed amount (debits negative), "*", the check '
        "number (usually empty), description; newest first; no balance column "
        "(checkunpaidinvoices.com/reconcile/wells-fargo-with-wave and the parsers the code "
        'search finds: "Date, Amount, *, Check Number, Description")',
        notes=(
            "no header line: the columns are named by position (Date, Amount, *, Check "
            "Number, Description)",
        ),
        first_row=_wells_fargo_row,
    ),
    Layout(
        "american-express",
        "American Express card, Download your transactions (CSV, with additional details)",
        "ledger",
        ("Date", "Description", "Amount", "Extended Details", "Appears On Your Statement As"),
        {
            # "Account #" (the card's last digits) is no account: the category is
            "columns": {"account": "Category", "memo": "Description", "reference": "Reference"},
            "date_format": "%m/%d/%Y",
            "sign": "card",
            "default_accounts": {
                "money_in": "Liabilities:Card payments and credits",
                "money_out": "Expenses:Uncategorized",
            },
        },
        "American Express 'Download your transactions', CSV with 'Include all additional "
        "transaction details': Date,Description,Card Member,Account #,Amount,Extended Details,"
        "Appears On Your Statement As,Address,City/State,Zip Code,Country,Reference,Category "
        "(MM/DD/YYYY; charges positive, payments and credits negative; Extended Details may "
        "span lines; the plain download is Date,Description,Amount: name the layout) "
        "(jmcameron/amex2qif README, format 4, and the Amex parsers the code search finds)",
        notes=(
            "a card: a charge (positive) is money out, a payment or credit (negative) money in; "
            "a payment or an uncategorised credit goes to Liabilities:Card payments and credits, "
            "never to income; the card's lines move no cash (the bank's payment to it does)",
        ),
    ),
    Layout(
        "american-express-basic",
        "American Express card, Download your transactions (CSV, without additional details)",
        "ledger",
        (),  # Date,Description,Amount says nothing of Amex: name the layout
        {
            "columns": {"memo": "Description"},
            "date_format": "%m/%d/%Y",
            "sign": "card",
            "default_accounts": {
                "money_in": "Liabilities:Card payments and credits",
                "money_out": "Expenses:Uncategorized",
            },
        },
        "American Express 'Download your transactions', CSV without 'Include all additional "
        "transaction details': Date,Description,Amount (MM/DD/YYYY; charges positive, payments "
        "and credits negative) (jmcameron/amex2qif README and the Amex parsers the code search "
        "finds)",
        notes=(
            "a card: a charge (positive) is money out to Expenses:Uncategorized, a payment or "
            "credit (negative) money in to Liabilities:Card payments and credits; no cash",
        ),
    ),
    # ---------------------------------------------------------------- books (ledger)
    Layout(
        "quickbooks-online",
        "QuickBooks Online, Transaction Detail by Account (CSV export)",
        "ledger",
        (
            "Date",
            "Transaction Type",
            "Num",
            "Name",
            "Memo/Description",
            "Split",
            "Amount",
            "Balance",
        ),
        {"grouped": True, "double_entry": True, "date_format": "%m/%d/%Y"},
        "QuickBooks Online report export: company, report name and date range title rows, a blank "
        'line, then ",Date,Transaction Type,Num,Name,Memo/Description,Split,Amount,Balance"; each '
        'account a heading row above its lines and a "Total for <account>" row below, a TOTAL '
        "row, and the basis and run time as a footer (MM/DD/YYYY; amounts in the account's own "
        "direction)",
        notes=("grouped: each account is a heading row above its lines",),
    ),
    Layout(
        "quickbooks-desktop",
        "QuickBooks Desktop, General Ledger (Export, comma separated values)",
        "ledger",
        ("Type", "Date", "Num", "Adj", "Name", "Memo", "Split", "Debit", "Credit", "Balance"),
        {
            "grouped": True,
            "double_entry": True,
            "date_format": "%m/%d/%Y",
            "columns": {"transaction_type": "Type"},
        },
        "QuickBooks Desktop General Ledger exported as a .csv file: "
        '",Type,Date,Num,Adj,Name,Memo,Split,Debit,Credit,Balance" (no title rows); each account '
        'a heading row in the first column ("10100 · Checking", its beginning balance in Balance '
        'when it has one), its lines indented one column, "Total 10100 · Checking" below, a '
        "TOTAL row (MM/DD/YYYY; debits and credits in their own columns) "
        "(dustinmichels/GAS-snippets, quickbooks-macro README)",
        notes=("grouped: each account is a heading row above its lines",),
    ),
    Layout(
        "xero",
        "Xero, Account Transactions report (Export, CSV)",
        "ledger",
        ("Date", "Source", "Description", "Reference", "Debit", "Credit", "Running Balance"),
        {"grouped": True, "double_entry": True, "date_format": "%d %b %Y"},
        "Xero Account Transactions export: 'Account Transactions', the organisation and 'For the "
        "period ...' title rows, a blank line, then Date,Source,Contact,Description,Reference,"
        "Debit,Credit,Running Balance,Gross,GST (Contact in the newer report); each account a "
        "heading row, an Opening Balance row, its lines, 'Total <account>' and a Closing Balance "
        "row; the basis and run time as a footer (D Mon YYYY) (help.xero.com, Account "
        "Transactions report)",
        notes=("grouped: each account is a heading row above its lines",),
    ),
    Layout(
        "wave",
        "Wave, Data Export, accounting transactions (accounting.csv)",
        "ledger",
        (
            "Transaction ID",
            "Transaction Date",
            "Account Name",
            "Debit Amount (Two Column Approach)",
            "Credit Amount (Two Column Approach)",
        ),
        {
            "double_entry": True,
            "columns": {
                "debit": "Debit Amount (Two Column Approach)",
                "credit": "Credit Amount (Two Column Approach)",
                "memo": "Transaction Description",
                "account_type": "Account Group",
                "reference": "Transaction ID",
            },
        },
        "Wave Settings > Data Export > Accounting (CSV), accounting.csv: Transaction ID,"
        "Transaction Date,Account Name,Transaction Description,Transaction Line Description,"
        "Amount (One column),Debit Amount (Two Column Approach),Credit Amount (Two Column "
        "Approach),Other Accounts for this Transaction,Customer,Vendor,Invoice Number,Bill Number,"
        "Notes / Memo,Amount Before Sales Tax,Sales Tax Amount,Sales Tax Name,Transaction Date "
        "Added,Transaction Date Last Modified,Account Group,Account Type,Account ID; one line per "
        "account of each transaction, ISO dates (the Wave importers the code search finds)",
        notes=("double entry: the lines of one Transaction ID are one transaction",),
    ),
    Layout(
        "freshbooks",
        "FreshBooks, General Ledger report (Export, CSV)",
        "ledger",
        (
            "Account Number",
            "Account Type",
            "Parent Account: Sub Account",
            "Related Account",
            "Transaction Type",
            "Transaction Identifier",
            "Debit",
            "Credit",
        ),
        {
            "double_entry": True,
            "columns": {
                "account": "Parent Account: Sub Account",
                "memo": "Note",
                "reference": "Transaction Identifier",
                "transaction_type": "Transaction Type",
                "type": "Transaction Type",
            },
        },
        "FreshBooks Reports > General Ledger > Export (CSV), one line per posting: Account Number,"
        "Account Type,Account Sub Type,Parent Account: Sub Account,Related Account,Date,"
        "Transaction Type,Transaction Identifier,Client,Vendor,Project,Note,Amount,Debit,Credit,"
        "Running Balance,Currency,Matched (ISO dates; transaction types invoice, payment, expense, "
        "initial_balance; Amount signed by the account's natural balance, as FreshBooks' "
        "'How are common transactions recorded as journal entries?' says) (the FreshBooks GL "
        "parsers the code search finds). The General Ledger, not the Expenses or Invoices "
        "export, is the one that feeds the ledger: it has both sides of every transaction, "
        "income, expenses and the bank's own lines",
        notes=("double entry: an initial_balance line on the bank is its opening balance",),
    ),
    # ---------------------------------------------------------------- payment processors (ledger)
    Layout(
        "stripe-balance",
        "Stripe Balance report, Itemized balance change from activity (CSV)",
        "ledger",
        ("balance_transaction_id", "gross", "fee", "net", "reporting_category"),
        {},
        "Stripe Reporting, balance_change_from_activity.itemized.3 default columns: "
        "balance_transaction_id,created_utc,created,available_on_utc,available_on,currency,gross,"
        "fee,net,reporting_category,description (amounts in major units, refunds negative; "
        "docs.stripe.com/reports/report-types/balance)",
        notes=("a charge's gross is income and its fee an expense; payouts are transfers",),
        reader="processor",
    ),
    Layout(
        "stripe-payouts",
        "Stripe Balance report, Itemized payouts (CSV)",
        "ledger",
        # more headers than stripe-balance's, so a payouts export (which also has
        # balance_transaction_id) is recognised as this one
        (
            "payout_id",
            "gross",
            "fee",
            "net",
            "reporting_category",
            "payout_expected_arrival_date",
        ),
        {},
        "Stripe Reporting, payouts.itemized.3 default columns: payout_id,effective_at_utc,"
        "effective_at,currency,gross,fee,net,reporting_category,description,"
        "payout_expected_arrival_date,payout_status,payout_reversed_at,payout_type,"
        "payout_description,payout_destination_id (docs.stripe.com/reports/report-types/balance)",
        notes=("each payout is matched to the bank's credit of the same amount",),
        reader="processor",
    ),
    Layout(
        "square-transactions",
        "Square Dashboard, Transactions export (CSV)",
        "ledger",
        ("Gross Sales", "Net Sales", "Total Collected", "Fees", "Net Total", "Transaction ID"),
        {},
        "Square Dashboard > Transactions > Export, Transactions CSV: Date,Time,Time Zone,Gross "
        "Sales,Discounts,Service Charges,Net Sales,Gift Card Sales,Tax,Tip,Partial Refunds,Total "
        "Collected,Source,Card,Card Entry Methods,Cash,Square Gift Card,Other Tender,Other Tender "
        "Type,Tender Note,Fees,Net Total,Transaction ID,Payment ID,...,Event Type,...,Deposit ID,"
        "Deposit Date,Deposit Details,...,Transaction Status,... (YYYY-MM-DD; money as $12.00; "
        "discounts and fees negative, a refund row all negative; squareup.com/help article 5200, "
        "sample rows in public importers)",
        notes=(
            "sale = Total Collected - Tax - Tip; Tax and Tip are liabilities; Fees an expense",
            "the rows of one Deposit ID (Net Total less Cash) are one payout, matched to the "
            "bank's SQUARE credit",
        ),
        reader="processor",
    ),
    Layout(
        "paypal-activity",
        "PayPal Activity download (CSV, balance affecting)",
        "ledger",
        ("Date", "Time", "TimeZone", "Name", "Type", "Status", "Gross", "Fee", "Net"),
        {},
        "PayPal Reports > Activity download, CSV, default fields: Date,Time,TimeZone,Name,Type,"
        "Status,Currency,Gross,Fee,Net,From Email Address,To Email Address,Transaction ID,...,"
        "Reference Txn ID,...,Balance,...,Balance Impact (M/D/YYYY; Fee negative when charged; "
        "Net = Gross + Fee; Balance the running PayPal balance; hledger's "
        "examples/csv/paypal-custom.csv.rules)",
        notes=(
            "only Completed rows count; a withdrawal to the bank is a payout, a payment sent an "
            "expense",
            "Balance is the money held at PayPal, a cash account of its own (Assets:PayPal "
            "balance): each date's closing Balance is an assertion, in either date order; a "
            "balance in another currency is said, not counted",
        ),
        reader="processor",
    ),
    Layout(
        "airbnb-transactions",
        "Airbnb Earnings, Transaction history (CSV)",
        "ledger",
        ("Date", "Type", "Confirmation Code", "Nights", "Amount", "Paid Out"),
        {},
        "Airbnb Earnings > Transaction history > Export CSV: Date,Arriving by date,Type,"
        "Confirmation code,Booking date,Start date,End date,Nights,Guest,Listing,Details,"
        "Reference code,Currency,Amount,Paid out,Service fee,Fast pay fee,Cleaning fee,Gross "
        "earnings,Occupancy taxes,Earnings year (MM/DD/YYYY; a Payout row with Paid out, then its "
        "Reservation rows with Amount = Gross earnings - Service fee; older exports: Date,Type,"
        "Confirmation Code,Start Date,Nights,Guest,Listing,Details,Reference,Currency,Amount,"
        "Paid Out,Host Fee,Cleaning Fee; as in public importers' fixtures)",
        notes=(
            "a Reservation's Gross earnings is income (cleaning fee included), its Service fee "
            "the fee; an Adjustment's Amount is income (negative when taken back)",
            "a Payout row's Paid out is a payout, matched to the bank's AIRBNB credit",
        ),
        reader="processor",
    ),
)


def named(key: str) -> Layout:
    """The layout called ``key``; ValueError naming the known ones."""
    for layout in CATALOGUE:
        if layout.key == key:
            return layout
    raise ValueError(
        f"unknown layout {key!r}; expected one of {', '.join(c.key for c in CATALOGUE)}"
    )


def keys(source: str | None = None) -> tuple[str, ...]:
    """The layouts' keys (for one source kind)."""
    return tuple(c.key for c in CATALOGUE if source is None or c.source == source)


def check(key: str | None, source: str) -> str | None:
    """``key`` when it names a layout of ``source``, else ValueError (for an options validator)."""
    if key is None:
        return None
    layout = named(key)
    if layout.source != source:
        raise ValueError(
            f"layout {key!r} is a {layout.source} export; the layouts of {source} are "
            f"{', '.join(keys(source)) or 'none'}"
        )
    return key


def recognise(source: str, cells: Sequence[str]) -> Layout | None:
    """The most specific layout of ``source`` whose identifying headers are all in ``cells``: of
    those that match, the one with the most identifying headers (Stripe's payouts export has
    every header of its balance export and more), the catalogue's first on a tie."""
    return most_specific(_of_source(source), cells)


@functools.cache
def _of_source(source: str) -> tuple[Layout, ...]:
    """The catalogue's layouts of ``source``, in its order (``sniff`` asks for every line)."""
    return tuple(c for c in CATALOGUE if c.source == source)


def most_specific(candidates: Iterable[Layout], cells: Sequence[str]) -> Layout | None:
    """Of ``candidates`` whose identifying headers are all in ``cells``, the one with the most
    identifying headers (the first on a tie), or None."""
    keys = {normalize_header(cell) for cell in cells}  # once, not once per candidate
    found = [c for c in candidates if c.matches_keys(keys)]
    return max(found, key=lambda c: len(c.headers), default=None)


def sniff(loc: Location, source: str, delimiter: str | None = None) -> Layout | None:
    """The layout of ``source`` a file's header line (one of its first lines) matches, if any.

    Never raises for unreadable text: the source's own read reports that.
    """
    try:
        seen = 0
        for _number, text in iter_lines(loc):
            if not text.strip():
                continue
            seen += 1
            if seen > HEADER_SEARCH_LINES:
                return None
            try:
                cells = next(csv.reader([text], delimiter=delimiter or _guess(text)))
            except (csv.Error, StopIteration):
                continue
            found = recognise(source, cells) or (_headerless(source, cells) if seen == 1 else None)
            if found is not None:
                return found
    except Exception:
        return None
    return None


def _headerless(source: str | None, cells: Sequence[str]) -> Layout | None:
    """The headerless layout (of ``source``, or of any) whose first-row shape ``cells`` has."""
    return next(
        (
            c
            for c in CATALOGUE
            if (source is None or c.source == source)
            and c.first_row is not None
            and c.first_row(cells)
        ),
        None,
    )


def headerless(first_row: Sequence[str]) -> Layout | None:
    """The export with no header line whose first row has the shape of ``first_row`` (``init``)."""
    return _headerless(None, first_row)


def _guess(text: str) -> str:
    counts = {d: text.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def with_layout(options: Any, layout: Layout | None) -> Any:
    """``options`` (a pydantic model) with the layout's options under the config's own: the
    column mapping (and a per-column ``date_format`` table) merged, the config's entries winning;
    any other option used when the config leaves it unset."""
    if layout is None:
        return options
    update: dict[str, Any] = {}
    fields = type(options).model_fields
    for name, value in layout.options.items():
        if name not in fields:
            continue
        mine = getattr(options, name)
        if name == "columns" or (isinstance(value, dict) and isinstance(mine, dict)):
            update[name] = {**value, **mine}  # per column, the config's entry wins
        elif name not in options.model_fields_set:
            update[name] = value
    merged = {**options.model_dump(exclude_unset=True), **update}
    return type(options).model_validate(merged)


def running_balances(rows: Sequence[tuple[int, date, Decimal]]) -> list[tuple[int, date, Decimal]]:
    """One ``(line, day, balance)`` per date from a bank export's running balance column: the
    balance after the day's last transaction, whichever way the file is sorted.

    A file is newest first when its first dated row is later than its last (Chase), else oldest
    first (Bank of America); within a day the rows keep the file's order, so the day's closing
    balance is its first row in a newest-first file and its last in an oldest-first one.
    """
    if not rows:
        return []
    newest_first = rows[0][1] > rows[-1][1]
    closing: dict[date, tuple[int, date, Decimal]] = {}
    for line, day, balance in rows:
        if newest_first:
            closing.setdefault(day, (line, day, balance))
        else:
            closing[day] = (line, day, balance)
    return sorted(closing.values(), key=lambda item: item[1])
