"""Handoff notes full of unclosed brackets parse in linear time (issue 17, item 3).

markdown-it looks for the end of a link label or destination from every ``[`` and ``(`` to the
end of the paragraph: a 200 KB note of ``[`` took about 4 s, growing quadratically.
``bound_brackets`` escapes each opener no bracket closes. The child process measures CPU time of
the parse alone at 50 KB and 200 KB; linear growth is about 4x, the old quadratic 16x. (markdown-it
itself takes 3 to 12 s a MB of such dense text, so 1 MB is measured in bench, not here.)
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from execbrief.snapshot import Provenance
from execbrief.sources.handoff import MAX_PLAIN_BRACKETS, bound_brackets, parse_note

CHILD = textwrap.dedent(
    """
    import json, sys, time
    from execbrief.snapshot import Provenance
    from execbrief.sources.handoff import parse_note
    unit = sys.argv[1]
    times = []
    for size in (50_000, 200_000):
        text = "# Note\\n\\n" + unit * (size // len(unit))
        started = time.process_time()
        parse_note(text, "acme", Provenance("notes/acme.md"))
        times.append(time.process_time() - started)
    print(json.dumps(times))
    """
)


def _times(unit: str) -> list[float]:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, unit], capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_runs_of_unclosed_brackets_parse_in_linear_time() -> None:
    for unit in ("[", "![", "[x](", "[\n"):
        small, big = _times(unit)
        assert big < 7 * max(small, 0.05), (unit, small, big)


def test_matched_brackets_and_ordinary_notes_are_left_as_written() -> None:
    links = "".join(f"- [site {n}](https://example.com/{n}) (ok)\n" for n in range(3000))
    assert bound_brackets(links) == links
    short = "A [draft with an open bracket\n"
    assert bound_brackets(short) == short  # fewer than MAX_PLAIN_BRACKETS openers
    assert short.count("[") < MAX_PLAIN_BRACKETS


def test_an_escaped_opener_keeps_lines_and_text() -> None:
    note = "# Acme\n\n## Status\n\n" + "[" * MAX_PLAIN_BRACKETS + "\n\n- Revenue: $1,200\n"
    escaped = bound_brackets(note)
    assert escaped.count("\n") == note.count("\n")
    assert escaped.count("\\[") == MAX_PLAIN_BRACKETS
    plain = parse_note(note.replace("[", "x"), "acme", Provenance("notes/acme.md"))
    guarded = parse_note(note, "acme", Provenance("notes/acme.md"))
    assert [type(r).__name__ for r in guarded.records] == [type(r).__name__ for r in plain.records]
    assert [r.provenance.line for r in guarded.records] == [
        r.provenance.line for r in plain.records
    ]
