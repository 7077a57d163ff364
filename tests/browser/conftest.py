"""Browser tests: `letterhouse serve` (gunicorn, as people get it) on a loopback port, and Debian's Chromium."""

import os

import pytest
from serving import letterhouse_serve

from .browsing import CHROMIUM, CHROMIUM_ARGS, DESKTOP, TIMEOUT_MS, expect


def in_ci():
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def missing_browser():
    """Return why the browser tests cannot run here, or None when they can."""
    if not CHROMIUM.is_file():
        return f"Chromium is not installed at {CHROMIUM} (apt-get install chromium, or set LETTERHOUSE_CHROMIUM)"
    if expect is None:
        return "Playwright is not installed (pip install -e '.[test]')"
    return None


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The production server with private templates; `site(path)` is a URL, `site.templates` a folder."""
    with letterhouse_serve(tmp_path_factory.mktemp("site"), workers=2) as server:
        yield server


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, launched once; skipped (failed in CI) when it is not installed."""
    reason = missing_browser()
    if reason and in_ci():
        pytest.fail(f"{reason}: CI must run the browser tests")
    if reason:
        pytest.skip(f"{reason}, so the browser tests are skipped")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class PageProblems:
    """What went wrong in a page: script errors, refused content (CSP), failed images, scripts or fetches.

    A page itself answered 4xx (a form sent back with its errors) is not a problem: Chromium
    reports it on the console, so those lines are left to the response check.
    """

    def __init__(self, page):
        self.messages = []
        page.on("pageerror", lambda error: self.messages.append(f"script error: {error}"))
        page.on("console", self._console)
        page.on("response", self._response)

    def _console(self, message):
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.messages.append(f"console: {message.text}")

    def _response(self, response):
        if response.status >= 400 and response.request.resource_type != "document":
            self.messages.append(f"{response.status} for {response.request.resource_type} {response.url}")


def open_page(browser, viewport=DESKTOP, **options):
    context = browser.new_context(viewport=viewport, accept_downloads=True, locale="en-GB", **options)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    return context, page


@pytest.fixture
def page(browser):
    """A fresh desktop-sized tab (its own cookies and localStorage) that must see no script or console errors."""
    context, page = open_page(browser)
    problems = PageProblems(page)
    yield page
    context.close()
    assert problems.messages == [], problems.messages


@pytest.fixture
def new_page(browser):
    """Open further tabs with their own options (viewport, JavaScript off...); closed after the test."""
    contexts = []

    def opener(viewport=DESKTOP, **options):
        context, page = open_page(browser, viewport, **options)
        contexts.append(context)
        return page

    yield opener
    for context in contexts:
        context.close()
