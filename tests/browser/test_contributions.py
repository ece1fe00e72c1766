"""A visitor reports an error in a real browser, staff of the enterprise's pole accept it in
the admin, and the public page shows the change; the new public pages pass axe-core."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import translation

from contributions.models import Contribution
from entreprises.models import Enterprise
from tests.personas import PASSWORD

pytestmark = pytest.mark.browser


def assert_accessible(page):
    results = Axe().run(page)
    assert results.violations_count == 0, [v["id"] for v in results.response["violations"]]


@pytest.fixture
def quick_forms(settings):
    """A person fills the forms in less than the three seconds robots are refused under."""
    settings.CONTRIBUTION_MIN_FILL_SECONDS = 0


def test_visitor_reports_an_error_and_staff_accept_it(
    portal, personas, new_page, quick_forms, screenshots_dir
):
    enterprise = (
        Enterprise.objects.published().filter(pole=personas.pole_a).order_by("name_fr").first()
    )
    visitor = new_page(locale="fr-CA")
    visitor.goto(portal + enterprise.get_absolute_url())
    visitor.get_by_role("link", name="Signaler une erreur").click()
    visitor.wait_for_selector("h1")
    assert visitor.locator("h1").inner_text() == f"Signaler une erreur sur {enterprise.name_fr}"
    assert_accessible(visitor)
    visitor.fill("#id_message", "Le numéro de téléphone a changé.")
    visitor.fill("#id_new_phone", "514 555-0177")
    visitor.fill("#id_reply_to", "visiteur@example.org")
    visitor.screenshot(path=screenshots_dir / "contribution-report.png", full_page=True)
    visitor.get_by_role("button", name="Envoyer le signalement").click()
    visitor.wait_for_url("**/fr/contribuer/merci/")
    assert visitor.locator("h1").inner_text() == "Merci"
    assert_accessible(visitor)
    contribution = Contribution.objects.get(enterprise=enterprise)
    assert contribution.proposed == {"phone": "514 555-0177"}

    staff = new_page(locale="fr-CA", width=1366)
    staff.goto(portal + "/admin/login/?next=/admin/contributions/contribution/")
    staff.fill("#id_username", personas.staff_a.username)
    staff.fill("#id_password", PASSWORD)
    staff.click("input[type=submit]")
    staff.wait_for_url("**/admin/contributions/contribution/")
    staff.click(f'a[href="/admin/contributions/contribution/{contribution.pk}/change/"]')
    staff.wait_for_selector("table")
    assert staff.locator("#id_value__phone").input_value() == "514 555-0177"
    assert staff.locator("#id_accept__phone").is_checked()
    staff.screenshot(path=screenshots_dir / "contribution-review.png", full_page=True)
    staff.get_by_role("button", name="Accepter les valeurs cochées").click()
    staff.wait_for_url("**/admin/contributions/contribution/")
    assert "La contribution a été acceptée." in staff.locator(".messagelist").inner_text()

    visitor.goto(portal + enterprise.get_absolute_url())
    assert "514 555-0177" in visitor.locator(".contact-card").inner_text()
    contribution.refresh_from_db()
    assert (contribution.status, contribution.decided_by) == ("accepted", personas.staff_a)


@pytest.mark.parametrize(
    ("locale", "path"),
    [
        ("fr-CA", "/fr/contribuer/ajouter-une-entreprise/"),
        ("en-CA", "/en/contribute/add-an-enterprise/"),
    ],
)
def test_add_an_enterprise_page_is_accessible_with_its_errors(
    portal, new_page, quick_forms, locale, path
):
    page = new_page(locale=locale)
    page.goto(portal + path)
    assert_accessible(page)
    page.locator("button[type=submit]").click()
    page.wait_for_selector("#form-errors")
    assert_accessible(page)


def test_this_is_my_enterprise_page_is_accessible(portal, personas, new_page):
    enterprise = Enterprise.objects.published().order_by("name_fr").first()
    with translation.override("en"):
        url, name = enterprise.get_absolute_url(), enterprise.name
    page = new_page(locale="en-CA")
    page.goto(portal + url)
    page.get_by_role("link", name="This is my enterprise").click()
    page.wait_for_selector("h1")
    assert page.locator("h1").inner_text() == f"Update the page of {name}"
    assert_accessible(page)
