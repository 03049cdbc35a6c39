"""Issue 17: values a handoff note cannot state (absurd amounts and counts) and bad front matter are
one error naming file and line; the rest of the note is read and every report builds."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from execbrief.examples import copy_example
from execbrief.records.handoff import Fact
from execbrief.snapshot import SourceResult
from execbrief.sources.handoff import HandoffSource
from kits.files import request, write

HUGE = "9" * 5000
DIGITS_27 = "1" * 27


def collect(root: Path, text: str) -> SourceResult:
    write(root, "acme.md", text)
    return HandoffSource().collect(request(root, "acme.md", kind="handoff"))


def facts(result: SourceResult) -> dict[str, Fact]:
    return {r.key: r for r in result.records if isinstance(r, Fact)}


@pytest.mark.parametrize(
    ("line", "said"),
    [
        (
            f"- Cash on hand: ${HUGE}",
            "acme.md:4: Cash on hand: the amount '$99999999999999999999...' is 5001 characters "
            "long; expected an amount of at most 40 characters, like $12,400; the fact is left "
            "unknown",
        ),
        (
            f"- Cash on hand: ${DIGITS_27} in checking",
            f"acme.md:4: Cash on hand: the amount '${DIGITS_27[:20]}...' is out of range; "
            "expected less than $1,000,000,000,000 either way; the fact is left unknown",
        ),
        (
            f"- Burn: ~$7–{DIGITS_27}/mo",
            "the amount '~$7–11111111111111111...' is out of range",
        ),
        (
            f"- Open leads: {HUGE}",
            "acme.md:4: Open leads: the count '999999999999999999999...' is out of range; "
            "expected a whole number less than 1,000,000,000,000; the fact is left unknown",
        ),
    ],
)
def test_an_absurd_value_is_one_error_at_its_line_and_the_rest_is_read(
    tmp_path: Path, line: str, said: str
) -> None:
    result = collect(tmp_path, f"# Acme\n\n## Money\n{line}\n- Revenue: $5,000\n")
    (error,) = result.errors
    assert said in error.describe()
    assert error.provenance.cite() == "acme.md:4"
    assert len(error.message) < 220
    found = facts(result)
    assert "cash" not in found and "burn" not in found
    assert found["revenue"].provenance.cite() == "acme.md:5"


def test_an_absurd_front_matter_amount_is_an_error_at_its_line(tmp_path: Path) -> None:
    result = collect(tmp_path, f"---\nupdated: 2026-11-01\ncash: {DIGITS_27}\n---\n# Acme\n")
    (error,) = result.errors
    assert error.provenance.cite() == "acme.md:3"
    assert "is out of range" in error.message
    assert "cash" not in facts(result)
    assert "updated" in facts(result)


def test_a_long_whole_number_under_an_unknown_label_is_kept_as_a_number(tmp_path: Path) -> None:
    result = collect(tmp_path, f"# Acme\n\n- Serial: {HUGE}\n")
    assert result.errors == ()
    assert str(facts(result)["serial"].value) == HUGE


def test_the_largest_sane_amount_is_kept(tmp_path: Path) -> None:
    result = collect(tmp_path, "# Acme\n\n- Cash on hand: $999,999,999,999.99\n")
    assert result.errors == ()
    assert str(facts(result)["cash"].value.amount) == "999999999999.99"  # type: ignore[union-attr]


def run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "execbrief", *args, "-c", str(root / "portfolio.toml")],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.slow
@pytest.mark.parametrize("amount", [HUGE, DIGITS_27])
def test_every_report_builds_over_a_note_with_an_absurd_cash_value(
    tmp_path: Path, amount: str
) -> None:
    root = copy_example(tmp_path / "harbor")
    note = root / "handoffs" / "harbor-charters.md"
    lines = note.read_text().splitlines()
    at = next(i for i, text in enumerate(lines) if text.startswith("## "))
    lines.insert(at, f"- Cash on hand: ${amount}\n")
    note.write_text("\n".join(lines) + "\n")
    checked = run(root, "check")
    assert f"handoffs/harbor-charters.md:{at + 1}" in checked.stdout + checked.stderr
    built = run(root, "build", "--format", "text", "--out", str(tmp_path / "out"))
    assert "Traceback" not in built.stderr, built.stderr[-2000:]
    reports = sorted((tmp_path / "out").iterdir())
    assert len(reports) >= 8, built.stderr[-2000:]
    ceo = (tmp_path / "out" / "ceo.txt").read_text()
    assert "the fact is left unknown" in ceo
    assert amount not in "".join(p.read_text() for p in reports)


# ---------------------------------------------------------------------------------- front matter


@pytest.mark.parametrize(
    ("value", "said"),
    [
        (
            "2026-13-45",
            "acme.md:3: the front matter value of 'updated' ('2026-13-45') cannot be read (month "
            "must be in 1..12); expected a real date such as 2026-11-14, a number or text (quote "
            "it to keep it as text)",
        ),
        (
            HUGE,
            "acme.md:3: the front matter value of 'updated' ('999999999999999999999...') cannot "
            "be read (too many digits)",
        ),
    ],
)
def test_a_front_matter_value_yaml_cannot_build_is_one_error_and_the_note_is_kept(
    tmp_path: Path, value: str, said: str
) -> None:
    result = collect(
        tmp_path,
        f"---\nowner: Dana\nupdated: {value}\nfleet: 2\n---\n# Acme\n\n- Cash on hand: $12,400\n",
    )
    (error,) = result.errors
    assert error.describe().startswith(said)
    assert not error.fatal
    found = facts(result)
    assert found["owner"].value == "Dana"
    assert found["cash"].provenance.cite() == "acme.md:8"
    assert "updated" not in found


def test_a_billion_laughs_front_matter_is_refused_fast(tmp_path: Path) -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{n}: &a{n} [{','.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 10)]
    text = "---\n" + "\n".join(lines) + "\n---\n# Acme\n\n- Cash on hand: $12,400\n"
    assert len(text) < 1000
    started = time.perf_counter()
    result = collect(tmp_path, text)
    assert time.perf_counter() - started < 2
    (error,) = result.errors
    assert error.describe() == (
        "acme.md:3: the front matter is not valid YAML (an alias (*name) is not allowed in front "
        "matter); expected 'key: value' lines between the --- markers"
    )
    assert facts(result)["cash"].value is not None
    assert sum(len(str(r)) for r in result.records) < 10_000


def test_front_matter_nested_deeper_than_python_recurses_is_one_error(tmp_path: Path) -> None:
    # 60,000 deep: far past the recursion limit, under the 64 KB a note line may hold
    result = collect(tmp_path, "---\nx: " + "[" * 60_000 + "\n---\n# Acme\n\n- Revenue: $5\n")
    (error,) = result.errors
    assert "the front matter is not valid YAML" in error.message
    assert "revenue" in facts(result)


def test_check_names_the_bad_front_matter_date_and_build_keeps_the_note(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "harbor")
    note = root / "handoffs" / "harbor-charters.md"
    note.write_text(note.read_text().replace("updated: 2026-11-14", "updated: 2026-13-45", 1))
    checked = run(root, "check")
    out = " ".join((checked.stdout + checked.stderr).split())
    assert "please report this" not in out
    assert "handoffs/harbor-charters.md:4" in out
    built = run(root, "build", "--format", "text", "--out", str(tmp_path / "out"))
    assert "Traceback" not in built.stderr
    ceo = (tmp_path / "out" / "ceo.txt").read_text()
    assert "$31,400" in ceo or "31.4K" in ceo
