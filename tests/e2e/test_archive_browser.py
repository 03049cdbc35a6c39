"""End to end: the demo's archive opened in headless Chromium shows every report with its charts."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.browser


def execbrief(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "execbrief", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("archive")
    demo = execbrief("demo", "--out", "demo", cwd=base)
    assert demo.returncode in (0, 1), demo.stderr
    config = base / "demo" / "portfolio.toml"
    built = execbrief("archive", "-c", str(config), "--out", "site", cwd=base)
    assert built.returncode == 0, built.stderr
    return base / "site"


def test_archive_opens_from_disk_in_chromium(archive: Path) -> None:
    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed (.ci/run installs it with apt-get)")
    playwright = pytest.importorskip("playwright.sync_api")
    index = archive / "index.html"
    reports = sorted(archive.glob("*/*.html"))
    assert index.is_file() and reports, "the archive holds an index and at least one report"
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1000, "height": 1400})
            page.goto(index.as_uri())
            links = page.locator("main a")
            assert links.count() == len(reports)
            page.screenshot(path=str(archive / "index.png"), full_page=True)
            charts_seen = 0
            for report in reports:
                page.goto(report.as_uri())
                text = page.inner_text("main")
                assert "Since last report" in text
                assert "Sources" in text
                for chart in page.locator("svg.chart").all():
                    box = chart.bounding_box()
                    assert box is not None and box["width"] > 100 and box["height"] > 50
                    charts_seen += 1
                # every in-page link resolves to an element on the page
                for href in page.eval_on_selector_all(
                    "a[href^='#']", "els => els.map(e => e.getAttribute('href'))"
                ):
                    assert page.locator(href).count() == 1, href
            page.goto(reports[0].as_uri())
            page.screenshot(path=str(archive / "report.png"), full_page=True)
            assert (archive / "report.png").stat().st_size > 10_000
            assert charts_seen > 0, "the demo's reports have charts"
        finally:
            browser.close()
