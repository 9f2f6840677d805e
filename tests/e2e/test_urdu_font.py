"""Urdu pages in Nastaliq: the font arrives (from this site, under its CSP) on Urdu pages only,
reads at 320 px wide, and typed Urdu is not cut off; each page checked by axe-core."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from tests.e2e.conftest import TIMEOUT_MS, AxeChecker, LiveServer
from tests.services import need

pytestmark = pytest.mark.browser

FONT = "Noto Nastaliq Urdu"


@pytest.fixture
def narrow(browser: Browser) -> Iterator[BrowserContext]:
    """A phone-sized window, 320 px wide, with JavaScript (to read what the browser drew)."""
    context = browser.new_context(viewport={"width": 320, "height": 640})
    context.set_default_timeout(TIMEOUT_MS)
    try:
        yield context
    finally:
        context.close()


def visit(
    context: BrowserContext, server: LiveServer, language: str, path: str
) -> tuple[Page, list[str]]:
    """Open ``path`` in ``language`` in a new tab: the tab, the font files it fetched and any
    errors in its console (a font refused by the Content-Security-Policy shows there)."""
    for old in context.pages:
        old.close()
    context.clear_cookies()
    context.add_cookies([{"name": "consult_language", "value": language, "url": server.url}])
    page = context.new_page()
    seen: list[str] = []
    page.on("requestfinished", lambda request: seen.append(request.url))
    page.on("console", lambda message: seen.append(f"console {message.type}: {message.text}"))
    page.goto(server.at(path))
    page.evaluate("document.fonts.ready.then(() => true)")
    page.wait_for_load_state("networkidle")
    return page, [item for item in seen if "/fonts/" in item or item.startswith("console error")]


def font_of(page: Page, selector: str) -> str:
    return str(page.locator(selector).first.evaluate("e => getComputedStyle(e).fontFamily"))


@pytest.mark.parametrize("language", ["en", "pl"])
def test_pages_not_in_urdu_never_fetch_the_font(
    live_server: LiveServer, narrow: BrowserContext, language: str
) -> None:
    need("chromium")
    for path in ("/", "/n/demo/", "/n/demo/ideas/new"):
        page, fetched = visit(narrow, live_server, language, path)
        assert fetched == [], path
        assert FONT not in font_of(page, "h1")
        # The switcher's "اردو" is Urdu, but on this page it keeps the system font.
        assert FONT not in font_of(page, '.consult-languages [lang="ur"]')


def test_urdu_pages_read_in_nastaliq_at_320_pixels(
    live_server: LiveServer, narrow: BrowserContext, axe: AxeChecker
) -> None:
    need("chromium")
    page, fetched = visit(narrow, live_server, "ur", "/n/demo/")
    assert any(url.endswith("noto-nastaliq-urdu-arabic-400-normal.woff2") for url in fetched)
    assert not [item for item in fetched if item.startswith("console")], fetched  # no CSP refusal
    assert page.evaluate(f"document.fonts.check('19px \"{FONT}\"', 'اردو')")
    assert font_of(page, "h2").startswith(f'"{FONT}"')
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    axe.check(page)

    page, _ = visit(narrow, live_server, "ur", "/n/demo/ideas/new")
    title = page.get_by_label("عنوان")
    title.fill("پارک میں بچوں کے لیے جھولے لگائیں")
    # The box grows with Nastaliq's tall line, so nothing typed is cut off at the top or bottom.
    inside, line = title.evaluate(
        """e => { const s = getComputedStyle(e);
            return [e.clientHeight - parseFloat(s.paddingTop) - parseFloat(s.paddingBottom),
                    parseFloat(s.lineHeight)]; }"""
    )
    assert inside >= line - 0.5, f"a {line}px line in a {inside}px box"
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    axe.check(page)
