"""Two-factor sign-in in a real browser, as the national team, in both languages: the
password leads to the set-up page (QR code and key), a code from the key turns it on and
shows the recovery codes; the next sign-in asks for a code. axe-core finds no violation
on any of these pages."""

import re
from base64 import b32decode

import pytest
from django.db import connections
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.browser.test_admin import assert_accessible
from tests.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.serial]


def password_step(page, portal, user):
    page.goto(portal + "/admin/login/?next=/admin/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")


@pytest.mark.parametrize(("language", "locale"), [("fr", "fr-CA"), ("en", "en-CA")])
def test_set_up_then_sign_in_with_a_code(
    portal, personas, new_page, screenshots_dir, language, locale
):
    national = personas.national
    try:
        page = new_page(locale=locale, width=1280, height=900)
        password_step(page, portal, national)
        page.wait_for_url("**/admin/two-factor/?next=*")
        assert page.locator("img[src^='data:image/svg+xml']").is_visible()
        assert_accessible(page)
        page.screenshot(
            path=screenshots_dir / f"admin-two-factor-setup-{language}.png", full_page=True
        )
        secret = b32decode(page.inner_text("#two-factor-secret").replace(" ", ""))
        page.fill("#id_code", f"{TOTP(secret).token():06d}")
        page.click("input[type=submit].default")
        page.wait_for_selector("#recovery-codes")
        codes = page.locator("#recovery-codes code").all_inner_texts()
        assert len(codes) == 10 and all(re.fullmatch(r"[a-z2-7]{8}", c) for c in codes)
        assert_accessible(page)
        page.click("a.button")
        page.wait_for_url("**/admin/")

        second = new_page(locale=locale, width=1280, height=900)
        password_step(second, portal, national)
        second.wait_for_url("**/admin/two-factor/code/?next=*")
        assert_accessible(second)
        second.fill("#id_code", codes[0])
        second.click("input[type=submit].default")
        second.wait_for_url("**/admin/")
        assert second.locator(".messagelist .warning").count() == 1
    finally:
        TOTPDevice.objects.filter(user=national).delete()
        StaticDevice.objects.filter(user=national).delete()
        connections.close_all()
