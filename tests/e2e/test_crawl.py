"""Accessibility and validity crawl: every page each kind of person can reach, checked.

Signs in as each demo role (and as nobody), follows every same-site link from the home page
and the account page with JavaScript off, runs axe-core on each page found (zero violations),
and validates all of their HTML with the Nu HTML Checker (zero errors).
"""

from __future__ import annotations

import json
import subprocess
from collections import deque
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from playwright.sync_api import Browser, Page

from consult.demo import DEMO_ACCOUNTS
from tests.e2e.conftest import TIMEOUT_MS, AxeChecker, LiveServer
from tests.services import need, vnu_jar

MAX_PAGES = 60
# Downloads are files, not pages (a browser saves them instead of showing them).
NOT_CRAWLED = ("/static/", "/sign-out", "/healthz", "/readyz", "/account/data/download")
# Where the crawl starts: the home and account pages, and pages it must reach within MAX_PAGES.
START_PATHS = (
    "/",
    "/account",
    "/privacy",
    "/accessibility",
    "/account/data",
    "/account/delete",
    "/n/demo/privacy",
    "/n/demo/retention",
)
# Downloads and machine-readable documents are not pages (a browser cannot "visit" a download).
NOT_PAGES = (".csv", ".json")
ROLES = {"anonymous": None} | {a.label: a for a in DEMO_ACCOUNTS}


def sign_in(page: Page, server: LiveServer, email: str, password: str) -> None:
    page.goto(server.at("/sign-in"))
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    assert "/account" in page.url, f"{email} could not sign in"


def same_site_links(page: Page, server: LiveServer) -> list[str]:
    origin = urlsplit(server.url).netloc
    links = []
    for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
        url, _ = urldefrag(href)
        parts = urlsplit(url)
        if (
            parts.netloc == origin
            and not parts.path.startswith(NOT_CRAWLED)
            and not parts.path.endswith(NOT_PAGES)
        ):
            links.append(url)
    return links


def crawl(page: Page, server: LiveServer, axe: AxeChecker, pages_dir: Path, role: str) -> int:
    queue = deque(server.at(path) for path in START_PATHS)
    seen: set[str] = set()
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = page.goto(url)
        assert response is not None and response.status < 500, f"{url} failed for {role}"
        if response.status >= 400 or not page.url.startswith(server.url):
            continue
        axe.check(page)
        name = f"{role}-{len(seen):03d}.html".replace(" ", "_")
        (pages_dir / name).write_text(page.content())
        queue.extend(same_site_links(page, server))
    return len(seen)


@pytest.mark.parametrize("role", list(ROLES))
def test_every_reachable_page_is_accessible_and_valid(
    role: str, browser: Browser, live_server: LiveServer, axe: AxeChecker, tmp_path: Path
) -> None:
    need("html-checker")
    context = browser.new_context(java_script_enabled=False)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        account = ROLES[role]
        if account is not None:
            sign_in(page, live_server, account.email, account.password)
        visited = crawl(page, live_server, axe, tmp_path, role)
    finally:
        context.close()
    assert visited >= 3, f"the crawl as {role} found almost nothing"
    errors = validate_html(tmp_path)
    assert not errors, "HTML errors:\n" + "\n".join(errors)


def validate_html(folder: Path) -> list[str]:
    """Run the Nu HTML Checker over every saved page; return its errors."""
    jar = vnu_jar()
    assert jar is not None
    result = subprocess.run(
        ["java", "-jar", jar, "--errors-only", "--format", "json", "--skip-non-html",
         str(folder)],
        capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    return [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m.get('message')} "
        f"[{m.get('extract', '').strip()[:80]}]"
        for m in messages
        if m.get("type") == "error"
    ]
