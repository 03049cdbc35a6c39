"""Issue 12's done-when checks: every mail of the demo, and of a portfolio nobody tuned the
layout for (tests/data/unseen), is a brief an executive reads in five minutes, with the full
report attached.

The budgets are those of the shared ``mailstats`` tool, computed here from the .eml files with
the standard library: no text/plain line over 78 characters, no sentence of 40 or more
characters twice, at most 150 lines and 900 words.
"""

from __future__ import annotations

import email
import re
import shutil
from collections import Counter
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from execbrief.cli import cli
from execbrief.sentences import sentence_spans

UNSEEN = Path(__file__).resolve().parents[1] / "data" / "unseen"
WIDTH = 78
MAX_LINES = 150
MAX_WORDS = 900


def _sentences(flat: str) -> list[str]:
    """The whole sentences of 40 characters or more (where execbrief.sentences ends them)."""
    pieces = (flat[start:end].strip() for start, end, ended in sentence_spans(flat) if ended)
    return [piece for piece in pieces if len(piece) >= 40]


def _run(*args: str) -> Any:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def _messages(outbox: Path) -> list[EmailMessage]:
    paths = sorted(outbox.glob("*.eml"))
    assert paths, f"no mail in {outbox}"
    out = []
    for path in paths:
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        assert isinstance(message, EmailMessage)
        out.append(message)
    return out


def body_stats(message: EmailMessage) -> dict[str, Any]:
    """What mailstats measures of one message's text/plain body."""
    part = message.get_body(("plain",))
    assert part is not None
    body = part.get_content()
    lines = body.splitlines()
    flat = " ".join(" ".join(lines).split())
    repeats = Counter(_sentences(flat))
    sentence, times = repeats.most_common(1)[0] if repeats else ("", 0)
    return {
        "subject": str(message["Subject"]),
        "lines": len(lines),
        "words": len(body.split()),
        "wide": [line for line in lines if len(line) > WIDTH],
        "repeats": times,
        "repeated": sentence,
        "first": lines[0] if lines else "",
        "attachments": [p.get_filename() for p in message.iter_attachments()],
    }


def _assert_within_budget(messages: list[EmailMessage]) -> None:
    for message in messages:
        stats = body_stats(message)
        assert not stats["wide"], (stats["subject"], stats["wide"][:3])
        assert stats["repeats"] <= 1, (stats["subject"], stats["repeated"])
        assert stats["lines"] <= MAX_LINES, (stats["subject"], stats["lines"])
        assert stats["words"] <= MAX_WORDS, (stats["subject"], stats["words"])


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled demo, run once: its folder (portfolio.toml, outbox/)."""
    out = tmp_path_factory.mktemp("brief") / "demo"
    _run("demo", "--out", str(out))
    return out


@pytest.fixture(scope="module")
def unseen(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The unseen portfolio sent as of 2026-12-01 to its outbox: its folder."""
    root = tmp_path_factory.mktemp("brief-unseen") / "unseen"
    shutil.copytree(UNSEEN, root, ignore=shutil.ignore_patterns(".execbrief", "outbox"))
    config = root / "portfolio.toml"
    extra = "".join(
        f'\n[reports.{name}]\nto = ["{name}@wrackline.example"]\n'
        for name in ("cto", "cmo", "accounting", "rental", "operations", "billing")
    )
    config.write_text(config.read_text(encoding="utf-8") + extra, encoding="utf-8")
    CliRunner().invoke(cli, ["send", "-c", str(config), "--as-of", "2026-12-01"])
    return root


def test_every_demo_mail_is_a_brief_within_the_budgets(demo: Path) -> None:
    _assert_within_budget(_messages(demo / "outbox"))


def test_every_unseen_portfolio_mail_is_a_brief_within_the_budgets(unseen: Path) -> None:
    messages = _messages(unseen / "outbox")
    _assert_within_budget(messages)
    for message in messages:
        # run on December 1, a report covers November and says so first
        assert "November 2026, as of 2026-12-01" in str(message["Subject"])
        assert "November 2026, as of 2026-12-01" in body_stats(message)["first"]


def test_the_full_report_is_attached_as_the_build_renders_it(demo: Path) -> None:
    """The attachment is the whole report: byte for byte what `build --format html` writes."""
    built = demo / "built"
    _run("build", "-c", str(demo / "portfolio.toml"), "--format", "html", "--out", str(built))
    for path in sorted((demo / "outbox").glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        assert isinstance(message, EmailMessage)
        report = path.name.split("-")[1]  # <stamp>-<report>-<period>-<recipient>-<hash>.eml
        attached = {p.get_filename(): p for p in message.iter_attachments()}
        name = f"{report}-2026-10.html"
        assert name in attached, (message["Subject"], list(attached))
        content = attached[name].get_content()
        assert content == (built / f"{report}.html").read_text(encoding="utf-8")


def test_the_demo_reports_the_last_complete_month(demo: Path) -> None:
    """The demo pins as_of = 2026-11-20: November is not over, so it reports October 2026."""
    for message in _messages(demo / "outbox"):
        assert "October 2026, as of 2026-11-20" in str(message["Subject"])
        assert body_stats(message)["first"].endswith("October 2026, as of 2026-11-20")


def test_brief_false_sends_the_full_report_as_the_body(tmp_path: Path) -> None:
    root = tmp_path / "unseen"
    shutil.copytree(UNSEEN, root, ignore=shutil.ignore_patterns(".execbrief", "outbox"))
    config = root / "portfolio.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("[reports.cfo]\n", "[reports.cfo]\nbrief = false\n", 1))
    _run("send", "-c", str(config), "--as-of", "2026-12-01", "--report", "cfo")
    (message,) = _messages(root / "outbox")
    stats = body_stats(message)
    assert stats["attachments"] == []
    body = message.get_body(("plain",))
    assert body is not None
    built = _run("build", "-c", str(config), "--as-of", "2026-12-01", "--report", "cfo")
    assert body.get_content().replace("\r\n", "\n") == built.stdout


def test_the_full_report_text_fits_78_columns_and_says_each_sentence_once(demo: Path) -> None:
    """`brief = false` puts the full report in the body: it keeps the width and repeat rules
    (it is long by design, so the line and word budgets are the brief's alone)."""
    for report in ("ceo", "cfo", "cto", "cmo", "accounting", "rental", "operations", "billing"):
        text = _run("build", "-c", str(demo / "portfolio.toml"), "--report", report).stdout
        lines = text.splitlines()
        assert [line for line in lines if len(line) > WIDTH] == [], report
        flat = " ".join(" ".join(lines).split())
        repeats = Counter(_sentences(flat))
        assert max(repeats.values(), default=0) <= 1, (report, repeats.most_common(1))


def _uncited_figures(message: EmailMessage) -> list[str]:
    """Summary bullets and decisions of a brief that state a money or percentage figure and cite
    no numbered source note."""
    part = message.get_body(("plain",))
    assert part is not None
    head = part.get_content().split("\nSOURCES")[0]
    items = re.split(r"\n\s*(?:•|\d+\.)\s", head)
    return [
        " ".join(item.split())[:80]
        for item in items
        if re.search(r"\$\d|\d%", item) and not re.search(r"\[[\d,–…]+\]", item)
    ]


@pytest.mark.parametrize("portfolio", ["demo", "unseen"])
def test_every_figure_in_a_brief_cites_its_source(
    portfolio: str, request: pytest.FixtureRequest
) -> None:
    folder: Path = request.getfixturevalue(portfolio)
    uncited = {
        str(message["Subject"]): found
        for message in _messages(folder / "outbox")
        if (found := _uncited_figures(message))
    }
    assert uncited == {}
