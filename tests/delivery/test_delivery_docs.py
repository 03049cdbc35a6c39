"""docs/delivery.md has every section the docs point at: its own "see *Section*" references,
the other pages' "docs/delivery.md, *Section*" ones, the "(the Statuses table)" of
architecture.md, and the SES set-up its opening promises."""

from __future__ import annotations

import re
from pathlib import Path

DOCS = Path(__file__).resolve().parents[2] / "docs"


def headings() -> set[str]:
    text = (DOCS / "delivery.md").read_text()
    return {m.group(1).strip() for m in re.finditer(r"^#{2,4} (.+)$", text, re.MULTILINE)}


def cited() -> set[str]:
    own = " ".join((DOCS / "delivery.md").read_text().split())
    names = {m.group(1) for m in re.finditer(r"\bsee \*([^*]+)\*", own)}
    names |= {m.group(1) for m in re.finditer(r"\(\*([A-Z][^*]+)\*\)", own)}
    for page in DOCS.glob("*.md"):
        text = " ".join(page.read_text().split())
        names |= {m.group(1) for m in re.finditer(r"delivery\.md`?, \*([^*]+)\*", text)}
        names |= {m.group(1) for m in re.finditer(r"delivery\.md`? \(the (\w+) table\)", text)}
    return names


def test_every_cited_section_of_delivery_md_exists() -> None:
    names = cited()
    assert {"Exactly once", "Flow control and errors", "Statuses", "Gates"} <= names
    missing = sorted(name for name in names if name not in headings())
    assert missing == []


def test_the_opening_promises_only_what_the_page_has() -> None:
    opening = (DOCS / "delivery.md").read_text().split("\n## ", 1)[0]
    assert "SES up" in " ".join(opening.split())
    assert any("SES" in heading and "step by step" in heading for heading in headings())
    assert {"SMTP", "Exactly once", "Statuses", "Exit codes"} <= headings()
