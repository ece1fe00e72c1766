"""Browser tests: Debian's Chromium driven by Playwright, against a live test server.

Nothing leaves the machine: every host name but 127.0.0.1 resolves to nothing
(map tiles included), and no browser is ever downloaded.

The portal's data (reference data, 60 demo enterprises, the personas) is written
and committed once for the whole folder, where the server's own thread can read
it, and wiped after the folder's last test. The tests only read it (each in a
transaction of its own); what they do in the browser (sign in) touches sessions,
never the records another test reads.
pytest-django's `live_server` would flush the database after every test (it asks
for `transactional_db`), so the folder runs its own server.
"""

import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, connections
from playwright.sync_api import sync_playwright
from pytest_django.live_server_helper import LiveServer

from chantier.services import load_reference
from entreprises.demo.services import create_demo_enterprises
from poles.models import Pole
from tests import personas as people

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


@pytest.fixture(scope="package")
def portal_data(django_db_setup, django_db_blocker) -> people.Personas:
    """The reference data, 60 demo enterprises and the personas, committed once; staff of
    pole A work for the first pole (by name) that has enterprises."""
    with django_db_blocker.unblock():
        assert connection.settings_dict["NAME"].startswith("test_"), "not the test database"
        # From an empty database, whatever the tests before left committed.
        call_command("flush", interactive=False, verbosity=0)
        load_reference()
        create_demo_enterprises(count=60, seed=42)
        pole_a, pole_b = Pole.objects.filter(enterprises__isnull=False).distinct()[:2]
        personas = people.create_personas(pole_a=pole_a, pole_b=pole_b)
    yield personas
    with django_db_blocker.unblock():
        # As pytest-django does after a transactional test: the next tests start empty.
        call_command("flush", interactive=False, verbosity=0)
    # Playwright's event loop runs these fixtures in a context of their own, with its own
    # connections: close them, or the test database cannot be dropped at the end.
    connections.close_all()


@pytest.fixture(scope="package")
def portal(portal_data):
    """The address of the live portal, serving the data of `portal_data`."""
    server = LiveServer("localhost")
    server._live_server_modified_settings.enable()
    # Chromium resolves no host name but 127.0.0.1 (see CHROMIUM_ARGS).
    yield server.url.replace("localhost", "127.0.0.1")
    server._live_server_modified_settings.disable()
    server.stop()


@pytest.fixture
def personas(portal_data) -> people.Personas:
    return portal_data


@pytest.fixture(scope="session")
def screenshots_dir():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
