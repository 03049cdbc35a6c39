"""The note parser reads only the chunks that can give a record, and gives what it gave before.

``notechunks.parse_text`` hands markdown-it the chunks of a note that can hold a heading, a
``label: value`` or dash line, a funnel or a table, and only the first line of the others (issue
17, item 3: dense notes took 3 to 12 s a MB). Each note here is parsed twice, with the chunks
skipped and as written, and must give the same records and problems; the tricky shapes are the
ones where a skipped chunk could change the structure around it (a list it belongs to, a fence
it sits in, a heading whose value is on the next line).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from execbrief.snapshot import Provenance
from execbrief.sources import handoff, notechunks
from execbrief.sources.handoff import parse_note

EXAMPLES = Path(handoff.__file__).resolve().parents[1] / "examples"

TRICKY = {
    "prose between facts": "# Acme\n\nWe sailed twice.\nThe weather held.\n\nCash on hand: $12,400\n",
    "a funnel list with a plain item after a blank line": (
        "# Acme\n\n- Inquiries → 40\n- Quotes → 22\n\n- and more to come\n\n- Burn: $8K/mo\n"
    ),
    "a fence with prose chunks inside": (
        "# Acme\n\n```\ncode\n\nplain words\nmore words\n\nCash: $1\n```\n\nBurn: $2\n"
    ),
    "a heading's value on the line below": "# Acme\n\n### Cash on hand\n\n$12,400 in checking\n",
    "a heading then prose starting with a word": "# Acme\n\n## Runway\n\nnone left, sadly\n",
    "an escaped dash label": "# Acme\n\nPipeline \\-\\- two leads\n\nmore prose\n",
    "an entity colon": "# Acme\n\nCash on hand&#58; $12,400\n",
    "a pre block across blank lines": "# Acme\n\n<pre>\nx\n\nwords\n\nBurn: $2\n</pre>\n",
    "crlf lines": "# Acme\r\n\r\nwords here\r\nmore\r\n\r\nCash: $1\r\n",
    "a setext heading": "Acme\n====\n\nwords\n\nOps\n---\n\nCash: $1\n",
    "a list that a skipped paragraph ends": "- a\n- b\n\nplain\nwords\n\n- Inquiries → 4\n- Quotes → 2\n",
    "front matter with a blank line": "---\nupdated: 2026-11-01\n\ntags:\n- a\n- b\n---\n# Acme\n",
}


def _notes() -> dict[str, str]:
    notes = dict(TRICKY)
    for path in sorted(EXAMPLES.rglob("*.md")):
        notes[path.name] = path.read_text(encoding="utf-8")
    return notes


def _everything(text: str) -> notechunks.ParseText:
    """The note as written, every chunk parsed: what the parser read before chunks were skipped."""
    return notechunks.ParseText(text, len(text.split("\n")), False)


@pytest.mark.parametrize("name", sorted(_notes()))
def test_skipping_chunks_gives_the_same_records(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    text = _notes()[name]
    skipped = parse_note(text, "acme", Provenance("notes/acme.md"))
    monkeypatch.setattr(notechunks, "parse_text", _everything)
    whole = parse_note(text, "acme", Provenance("notes/acme.md"))
    assert skipped.records == whole.records
    assert skipped.problems == whole.problems


def test_prose_chunks_reach_the_parser_as_their_first_line_only() -> None:
    text = "# Acme\n\nwe sailed\ntwice\n\nCash: $1\n\nmore prose\nand more\n\nstill more\n"
    prepared = notechunks.parse_text(text)
    assert prepared.text.split("\n") == [
        "# Acme", "", "we sailed", "", "", "Cash: $1", "", "more prose"
    ]  # fmt: skip
    assert not prepared.cut


def test_a_note_past_the_bound_is_cut_with_one_problem_at_its_last_line() -> None:
    text = "# Acme\n\n" + "Cash on hand: $12,400\n" * 20_000 + "\n## Next\n\nBurn: $9K/mo\n"
    note = parse_note(text, "acme", Provenance("notes/acme.md"))
    facts = [r for r in note.records if type(r).__name__ == "Fact"]
    last_line = max(f.provenance.line or 0 for f in facts)
    assert 5_000 < len(facts) < 20_000
    (line, message), *_ = [p for p in note.problems if "is read to line" in p[1]]
    assert line == last_line + 1 or line == last_line
    assert f"is read to line {line:,}" in message
    assert not any(f.key == "burn" for f in facts)  # after the cut: not read
