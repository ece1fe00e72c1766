"""The strict Content-Security-Policy holds in a real browser: nothing on any page is refused."""

import re

import pytest

from entreprises.models import Enterprise
from tests.browser.test_admin_two_factor import set_up_second_factor, turn_off_second_factor
from tests.browser.test_site import PAGE_TYPES, a_published_slug
from tests.personas import PASSWORD

pytestmark = pytest.mark.browser

# Runs before any script of the page (through the browser, so the CSP does not apply to it).
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(event.violatedDirective + " " + (event.blockedURI || "inline"));
});
"""


def test_no_page_breaks_the_content_security_policy(portal, browser):
    context = browser.new_context(locale="fr-CA")
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    console = []
    page.on("console", lambda message: console.append(message.text))
    slug = a_published_slug()
    violations = {}
    try:
        for pair in PAGE_TYPES:
            for path in pair:
                response = page.goto(portal + path.format(enterprise=slug))
                assert "script-src 'self'" in response.headers["content-security-policy"]
                if "/carte/" in path or "/map/" in path:
                    page.wait_for_selector("#map[data-loaded]")
                    assert page.locator("#map").get_attribute("data-loaded") != "error"
                found = page.evaluate("window.cspViolations")
                if found:
                    violations[path] = found
    finally:
        context.close()
    assert violations == {}
    assert [text for text in console if "Content Security Policy" in text] == []


def test_the_admin_works_under_the_same_policy(portal, browser, personas):
    enterprise = Enterprise.objects.order_by("pk").first()
    context = browser.new_context(locale="fr-CA")
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    violations = {}
    try:
        page.goto(portal + "/admin/login/")
        violations["/admin/login/"] = page.evaluate("window.cspViolations")
        page.fill("#id_username", personas.national.username)
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        # The national team sets up its second factor first: those pages are checked too.
        page.wait_for_url(re.compile(r"/admin/two-factor/\?next="))
        violations["/admin/two-factor/"] = page.evaluate("window.cspViolations")
        set_up_second_factor(page)
        violations["/admin/two-factor/ (recovery codes)"] = page.evaluate("window.cspViolations")
        for path in [
            "/admin/",
            "/admin/entreprises/enterprise/",
            f"/admin/entreprises/enterprise/{enterprise.pk}/change/",
            f"/admin/entreprises/enterprise/{enterprise.pk}/history/",
            "/admin/entreprises/enterprise/add/",
            "/admin/poles/pole/",
        ]:
            response = page.goto(portal + path)
            assert response.status == 200, path
            violations[path] = page.evaluate("window.cspViolations")
        turn_off_second_factor(page, portal, personas.national)
    finally:
        context.close()
    assert {path: found for path, found in violations.items() if found} == {}
    assert len(violations) == 9


def test_the_api_documentation_works_under_its_policy(portal, browser):
    context = browser.new_context(locale="en-CA")
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    try:
        response = page.goto(portal + "/api/docs/")
        assert "script-src 'self'" in response.headers["content-security-policy"]
        # Swagger UI fetched the schema and drew its operations from our own static files.
        page.wait_for_selector("text=/api/v1/enterprises/", timeout=60_000)
        violations = page.evaluate("window.cspViolations")
    finally:
        context.close()
    assert violations == []
