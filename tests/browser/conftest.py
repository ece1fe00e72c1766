"""Browser tests: Debian's Chromium driven by Playwright, against the live test server.

Nothing leaves the machine: every host name but 127.0.0.1 resolves to nothing
(map tiles included), and no browser is ever downloaded.
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from chantier.services import load_reference
from entreprises.demo.services import create_demo_enterprises

# Playwright's sync API runs an event loop; the test's own ORM calls are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: `make test` installs Debian's package.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _page(browser, locale, width=1280, height=900):
    context = browser.new_context(locale=locale, viewport={"width": width, "height": height})
    return context, context.new_page()


@pytest.fixture
def french_page(browser):
    context, page = _page(browser, "fr-CA")
    yield page
    context.close()


@pytest.fixture
def english_page(browser):
    context, page = _page(browser, "en-CA")
    yield page
    context.close()


@pytest.fixture
def new_page(browser):
    """A factory of pages at a given width, closed after the test."""
    contexts = []

    def make(locale="fr-CA", width=1280, height=900):
        context, page = _page(browser, locale, width, height)
        contexts.append(context)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def portal(live_server, transactional_db):
    """The live portal with its reference data and 60 demo enterprises."""
    load_reference()
    create_demo_enterprises(count=60, seed=42)
    # Chromium resolves no host name but 127.0.0.1 (see CHROMIUM_ARGS).
    return live_server.url.replace("localhost", "127.0.0.1")


@pytest.fixture(scope="session")
def screenshots_dir():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
