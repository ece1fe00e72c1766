"""The admin in a real browser, as pole staff: login, the change list, the tabbed form."""

import pytest

from entreprises.models import Enterprise
from tests.personas import PASSWORD

pytestmark = pytest.mark.browser


def log_in(page, portal, user):
    page.goto(portal + "/admin/login/?next=/admin/entreprises/enterprise/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/entreprises/enterprise/")


def test_pole_staff_change_list_and_tabbed_form(portal, personas, new_page, screenshots_dir):
    page = new_page(locale="fr-CA", width=1366, height=900)
    log_in(page, portal, personas.staff_a)
    rows = page.locator("#result_list tbody tr")
    own = Enterprise.objects.filter(pole=personas.pole_a).count()
    assert own > 0
    assert rows.count() == min(own, 50)
    assert page.locator("#changelist-filter").inner_text().count("Anglais manquant") >= 1
    page.screenshot(path=screenshots_dir / "admin-changelist-pole-staff.png", full_page=False)

    rows.first.locator("th a").click()
    page.wait_for_selector("#enterprise_form")
    # French and English side by side as tabs, driven by our vendored jQuery UI.
    tabs = page.locator(".ui-tabs-nav").first
    assert tabs.locator("li").all_inner_texts() == ["FR", "EN"]
    tabs.locator("li").nth(1).click()
    assert page.locator("#id_name_en").is_visible()
    assert not page.locator("#id_name_fr").is_visible()
    tabs.locator("li").nth(0).click()
    page.screenshot(path=screenshots_dir / "admin-changeform-pole-staff.png", full_page=True)
