"""The GetMyBoat and Boatsetter recipe of docs/formats.md ("GetMyBoat and Boatsetter payouts") reads
as it says. Neither platform documents an export layout, so the recipe is an owner's own sheet and
a mapping; this test takes the sheet and the `bookings = ...` line from the page itself, so the
page cannot drift from what execbrief reads.

Worked by hand (report date 2026-11-20, payout_days 14):

GMB-58213  completed (Paid out), getmyboat, payout 549.00 posted 2026-09-29 <= as_of: paid, none due
BS-77410   completed, boatsetter, 702.00 posted 2026-10-07: paid
GMB-58377  booked (Upcoming), trip 2026-11-29, not posted: 366.00 due 2026-11-29 + 14 = 2026-12-13
GMB-58402  cancelled, 0.00
Each charter is one unit: 4 bookings, 4 units.
"""

from __future__ import annotations

import re
import tomllib
from datetime import date
from decimal import Decimal
from pathlib import Path

from execbrief.config import load_config
from execbrief.plugins import get_registry
from execbrief.records.bookings import Booking, BookingStatus
from execbrief.sources.base import SourceRequest
from execbrief.sources.bookings import BookingsSource
from kits.ops import messages

DOCS = Path(__file__).resolve().parents[2] / "docs" / "formats.md"


def recipe() -> tuple[str, str]:
    """The section's CSV sheet and its ``bookings = ...`` line."""
    text = DOCS.read_text()
    section = text[text.index("### GetMyBoat and Boatsetter payouts") :]
    section = section[: section.index("\n### ", 5)]
    sheet = re.search(r"```csv\n(.*?)```", section, re.S)
    line = re.search(r"```toml\n(bookings = .*?)\n```", section, re.S)
    assert sheet and line, "the recipe has a csv sheet and a toml bookings line"
    return sheet.group(1), line.group(1)


def test_the_documented_sheet_and_mapping_read_as_documented(tmp_path: Path) -> None:
    sheet, line = recipe()
    assert "bookings" in tomllib.loads(line)
    (tmp_path / "bookings").mkdir()
    (tmp_path / "bookings/platform-payouts.csv").write_text(sheet)
    (tmp_path / "portfolio.toml").write_text(
        '[portfolio]\nname = "T"\n\n[[entities]]\nid = "harbor"\nname = "Harbor"\n'
        f'kind = "charter"\n{line}\n'
    )
    config = load_config(tmp_path / "portfolio.toml", get_registry().option_models())
    entity = config.entities[0]
    request = SourceRequest(
        entity=entity,
        spec=entity.sources["bookings"],
        root=tmp_path,
        as_of=date(2026, 11, 20),
        fingerprint_key=b"k",
    )
    result = BookingsSource().collect(request)
    assert messages(result) == []
    found = [r for r in result.records if isinstance(r, Booking)]
    assert [
        (b.id, b.status, b.channel, b.amount and b.amount.amount, b.paid, b.balance_due, b.units)
        for b in found
    ] == [
        ("GMB-58213", BookingStatus.COMPLETED, "getmyboat", Decimal("549.00"), True, None, 1),
        ("BS-77410", BookingStatus.COMPLETED, "boatsetter", Decimal("702.00"), True, None, 1),
        ("GMB-58377", BookingStatus.BOOKED, "getmyboat", Decimal("366.00"), False,
         date(2026, 12, 13), 1),
        ("GMB-58402", BookingStatus.CANCELLED, "getmyboat", Decimal("0.00"), False, None, 1),
    ]  # fmt: skip
    fields = dict(result.mappings[0].fields)
    assert (fields["amount"], fields["posted"], fields["channel"]) == (
        "Payout",
        "Paid out on",
        "Platform",
    )
    assert result.mappings[0].layout is None  # no layout: the mapping is the config's
