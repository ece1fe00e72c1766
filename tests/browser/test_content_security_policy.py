"""The strict Content-Security-Policy holds in a real browser: nothing on any page is refused."""

import pytest

from tests.browser.test_site import PAGE_TYPES, a_published_slug

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
