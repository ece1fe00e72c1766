"""The admin in a real browser, as pole staff: login, the change list, the tabbed form."""

import pytest
from django.contrib.auth.models import Group, User

from entreprises.models import Enterprise
from poles.models import Pole, PoleMembership
from poles.roles import POLE_STAFF_GROUP

pytestmark = pytest.mark.browser
PASSWORD = "a-long-enough-passphrase-2026"


@pytest.fixture
def pole_staff(portal):
    pole = Pole.objects.filter(enterprises__isnull=False).order_by("name").first()
    user = User.objects.create_user("pole", "pole@example.org", PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=POLE_STAFF_GROUP))
    PoleMembership.objects.create(user=user, pole=pole)
    return pole


def log_in(page, portal):
    page.goto(portal + "/admin/login/?next=/admin/entreprises/enterprise/")
    page.fill("#id_username", "pole")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/entreprises/enterprise/")


def test_pole_staff_change_list_and_tabbed_form(portal, pole_staff, new_page, screenshots_dir):
    page = new_page(locale="fr-CA", width=1366, height=900)
    log_in(page, portal)
    rows = page.locator("#result_list tbody tr")
    own = Enterprise.objects.filter(pole=pole_staff).count()
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
