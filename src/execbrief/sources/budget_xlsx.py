"""An Excel workbook's first sheet as rows of cell text, for the budget reports QuickBooks Online
exports to Excel (``budget_qbo`` reads the rows as it reads the CSV export).

Cells are text as the report shows them: numbers without thousands separators (``1200.00``;
QuickBooks writes them as numbers with a display format), dates as ISO dates, empty cells as
``""``. openpyxl is an optional dependency (``pip install 'execbrief[xlsx]'``).
"""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

from execbrief.sources.files import Location, ReadError

#: Workbooks larger than this are refused (a budget report is a few hundred rows).
MAX_BYTES = 16 << 20


def rows(loc: Location) -> list[list[str]]:
    """The first sheet's rows; ``ReadError`` when it is not a readable workbook."""
    try:
        from openpyxl import load_workbook
    except ImportError:  # pragma: no cover - the extra is installed with the tests
        raise ReadError(
            loc.display, "reading Excel needs openpyxl: pip install 'execbrief[xlsx]'"
        ) from None
    with loc.open_binary() as handle:
        data = handle.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ReadError(loc.display, f"is larger than {MAX_BYTES >> 20} MB; expected a report")
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile, KeyError and its own errors alike
        raise ReadError(
            loc.display, f"is not an Excel workbook openpyxl can read ({type(exc).__name__})"
        ) from None
    try:
        sheet = book.worksheets[0]
        return [[_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{Decimal(repr(value)):f}"
    return str(value)
