"""Two-factor sign-in in a real browser, as the national team: the password leads to the
set-up page (QR code and key), a code from the key turns it on and shows the recovery
codes (in French); the next sign-in asks for a code and takes a recovery code (in
English); the national team then turns it off from the list of accounts. axe-core finds
no violation on these pages."""

import re
from base64 import b32decode

import pytest
from django_otp.oath import TOTP

from tests.browser.test_admin import assert_accessible
from tests.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.serial]


def password_step(page, portal, user):
    page.goto(portal + "/admin/login/?next=/admin/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")


def set_up_second_factor(page) -> list[str]:
    """On the set-up page: confirms a code made from the key shown; the recovery codes."""
    secret = b32decode(page.inner_text("#two-factor-secret").replace(" ", ""))
    page.fill("#id_code", f"{TOTP(secret).token():06d}")
    page.click("input[type=submit].default")
    page.wait_for_selector("#recovery-codes")
    return page.locator("#recovery-codes code").all_inner_texts()


def turn_off_second_factor(page, portal, user):
    """As the national team, from the list of accounts (the data stay as other tests expect)."""
    page.goto(portal + f"/admin/auth/user/?q={user.username}")
    page.check("input.action-select")
    page.select_option("select[name=action]", "turn_off_two_factor")
    page.click("button[name=index]")


def test_set_up_sign_in_with_a_recovery_code_and_turn_off(
    portal, personas, new_page, screenshots_dir
):
    national = personas.national
    page = new_page(locale="fr-CA", width=1280, height=900)
    password_step(page, portal, national)
    page.wait_for_url(re.compile(r"/admin/two-factor/\?next="))
    assert page.locator("h1").inner_text() == "Connexion en deux étapes"
    assert page.locator("img[src^='data:image/svg+xml']").is_visible()
    assert_accessible(page)
    page.screenshot(path=screenshots_dir / "admin-two-factor-setup-fr.png", full_page=True)
    codes = set_up_second_factor(page)
    assert len(codes) == 10
    assert all(re.fullmatch(r"[a-z2-7]{8}", code) for code in codes)
    assert_accessible(page)
    page.click("a.button")
    page.wait_for_url(re.compile(r"/admin/$"))

    second = new_page(locale="en-CA", width=1280, height=900)
    password_step(second, portal, national)
    second.wait_for_url(re.compile(r"/admin/two-factor/code/\?next="))
    assert second.locator("h1").inner_text() == "Sign-in code"
    assert_accessible(second)
    second.fill("#id_code", codes[0])
    second.click("input[type=submit].default")
    second.wait_for_url(re.compile(r"/admin/$"))
    assert "9 are left" in second.locator(".messagelist").inner_text()

    # A lost phone: the national team turns it off (here for itself, leaving the data as
    # the other tests expect it).
    turn_off_second_factor(second, portal, national)
    assert (
        "Two-factor sign-in turned off for 1 account" in second.locator(".messagelist").inner_text()
    )
