"""Every HTML the demo makes (the attached full reports and the briefs of the mail's HTML part)
opened in headless Chromium at a phone's 390 px and a laptop's 1280 px: the page never scrolls
sideways, and every table fits or scrolls inside its own box."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from e2e.test_archive_browser import ARGS, CHROMIUM
from execbrief import pipeline
from execbrief.config import load_config
from execbrief.document import brief_document
from execbrief.examples import copy_example
from execbrief.plugins import get_registry

pytestmark = pytest.mark.browser
WIDTHS = (390, 1280)
AS_OF = date(2026, 11, 20)

# For each table: does it fit the viewport, or is its box (the nearest .scroll) within it?
TABLES = """() => [...document.querySelectorAll('table')].map(t => {
  const box = t.closest('.scroll');
  const view = document.documentElement.clientWidth;
  const r = t.getBoundingClientRect();
  const b = box ? box.getBoundingClientRect() : null;
  return {fits: r.right <= view + 1,
          boxed: !!b && b.right <= view + 1 && getComputedStyle(box).overflowX === 'auto'};
})"""


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The demo's reports as HTML files: each full report and each brief."""
    base = tmp_path_factory.mktemp("screens")
    registry = get_registry()
    config = load_config(copy_example(base / "harbor") / "portfolio.toml", registry.option_models())
    snapshot = pipeline.collect(config, registry, AS_OF, key=b"test-key")
    ctx = pipeline.context(snapshot, config, registry)
    names = pipeline.report_names(config, registry)
    out: list[Path] = []
    for built in pipeline.build(ctx, registry, names):
        assert built.document is not None, built.error
        document = built.document
        for layer, doc in (("full", document), ("brief", brief_document(document, "Attached."))):
            path = base / f"{document.report}-{layer}.html"
            path.write_text(pipeline.render(doc, registry, "html"), encoding="utf-8")
            out.append(path)
    return out


def test_no_page_scrolls_sideways_at_390_or_1280_px(pages: list[Path]) -> None:
    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed (.ci/run installs it with apt-get)")
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            for width in WIDTHS:
                page = browser.new_page(viewport={"width": width, "height": 900})
                for path in pages:
                    page.goto(path.as_uri())
                    scroll = page.evaluate("document.documentElement.scrollWidth")
                    assert scroll <= width, (path.name, width, scroll)
                    for index, table in enumerate(page.evaluate(TABLES)):
                        assert table["fits"] or table["boxed"], (path.name, width, index)
                page.close()
        finally:
            browser.close()
