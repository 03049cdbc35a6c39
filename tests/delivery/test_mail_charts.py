"""Charts in a mail's HTML part are CID-attached PNG (Gmail and Outlook do not show inline SVG),
drawn with matplotlib when the ``charts`` extra is installed; without it the HTML part has no
charts and does not say so."""

from __future__ import annotations

import email
import re
import sys
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from click.testing import CliRunner

from execbrief.cli import cli
from execbrief.delivery.message import Attachment, Rendered, compose
from execbrief.document import Chart, Point, Series
from execbrief.examples import copy_example
from execbrief.renderers.png import chart_png
from execbrief.secrets.guard import SecretGuard
from execbrief.values import Money

pytest.importorskip("matplotlib")

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _send_cfo_with_html(root: Path) -> EmailMessage:
    copy_example(root)
    config = root / "portfolio.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("[delivery]\n", "[delivery]\nhtml = true\n", 1))
    result = CliRunner().invoke(
        cli, ["send", "-c", str(config), "--report", "cfo"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    (path,) = sorted((root / "outbox").glob("*-cfo-*.eml"))
    message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


def _html_part(message: EmailMessage) -> EmailMessage:
    (alternative,) = [p for p in message.walk() if p.get_content_type() == "multipart/alternative"]
    assert isinstance(alternative, EmailMessage)
    parts = list(alternative.iter_parts())
    assert parts[0].get_content_type() == "text/plain"
    part = parts[1]
    assert isinstance(part, EmailMessage)
    return part


def test_the_cfo_mail_shows_its_charts_as_cid_png(tmp_path: Path) -> None:
    message = _send_cfo_with_html(tmp_path / "demo")
    html_part = _html_part(message)
    assert html_part.get_content_type() == "multipart/related"
    html_doc, *images = list(html_part.iter_parts())
    assert html_doc.get_content_type() == "text/html"
    html = html_doc.get_content()
    assert "<svg" not in html
    assert images and all(p.get_content_type() == "image/png" for p in images)
    referenced = set(re.findall(r'<img [^>]*src="cid:([^"]+)"', html))
    for image in images:
        assert image.get_payload(decode=True).startswith(PNG_MAGIC)
        assert str(image["Content-ID"]).strip("<>") in referenced
    assert re.search(r'<img [^>]*alt="[^"]{10,}"', html)
    # the full report stays SVG, attached as it is; the image parts are not attachments
    attached = {p.get_filename(): p for p in message.iter_attachments()}
    assert list(attached) == [next(n for n in attached if n.endswith(".html"))]
    assert "<svg" in attached[next(iter(attached))].get_content()
    # the text/plain part is the brief, no images in it
    plain = message.get_body(("plain",))
    assert plain is not None and "cid:" not in plain.get_content()


def test_without_matplotlib_the_html_part_has_no_charts_and_says_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in [n for n in sys.modules if n == "matplotlib" or n.startswith("matplotlib.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    message = _send_cfo_with_html(tmp_path / "demo")
    html_part = _html_part(message)
    assert html_part.get_content_type() == "text/html"
    html = html_part.get_content()
    assert "<img" not in html and "<svg" not in html
    assert "Charts" not in html and "matplotlib" not in html.lower()
    assert not [p for p in message.walk() if p.get_content_maintype() == "image"]


def test_chart_png_is_deterministic_and_small() -> None:
    chart = Chart(
        "Cash by month",
        (
            Series(
                "Cash",
                tuple(
                    Point(f"2026-{m:02d}", Money(v))
                    for m, v in ((8, "1200"), (9, "900"), (10, "1500.50"))
                ),
                unit="USD",
            ),
            Series("Burn", (Point("2026-09", Money("300")),)),
        ),
        kind="bar",
    )
    first, second = chart_png(chart), chart_png(chart)
    assert first is not None and first == second
    assert first.startswith(PNG_MAGIC)
    width, height = int.from_bytes(first[16:20], "big"), int.from_bytes(first[20:24], "big")
    assert (width, height) == (600, 300)
    assert b"Software" not in first and b"Creation" not in first


def test_the_guard_reads_the_html_beside_inline_images_and_skips_their_pixels() -> None:
    live = "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc"
    rendered = Rendered(
        subject="CFO report",
        text="All quiet.\n",
        html=f'<p>key {live}</p><img src="cid:chart-1@execbrief" alt="Cash">\n',
        inline=(
            Attachment("chart-1.png", PNG_MAGIC + b"\0" * 64, "image/png", "chart-1@execbrief"),
        ),
    )
    message = compose(
        rendered,
        sender="reports@harbor.example",
        recipient="cfo@harbor.example",
        date=datetime(2026, 12, 1, tzinfo=UTC),
        report="cfo",
        period="2026-11",
    )
    (image,) = [p for p in message.walk() if p.get_content_maintype() == "image"]
    assert str(image["Content-ID"]) == "<chart-1@execbrief>"
    assert image.get_content_disposition() == "inline"
    hits = SecretGuard(b"guard-test-key-0123456789abcdef", frozenset()).check(message)
    assert hits and all("text/html" in hit for hit in hits), hits
