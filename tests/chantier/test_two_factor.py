"""Two-factor sign-in over HTTP: the national team (and whoever manages accounts or API keys)
sets it up at first sign-in and then gives a code after the password; a wrong code counts
toward django-axes' lock-out, which a right password does not reset; a recovery code works
once; pole staff may turn it on; the national team turns it off for a lost phone."""

import html
import re
from binascii import unhexlify

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from poles.two_factor import new_recovery_codes
from tests.factories import EnterpriseFactory
from tests.personas import PASSWORD, signed_in

LOGIN = reverse("admin:login")
INDEX = reverse("admin:index")
ENROL = reverse("admin:two_factor_enrol")
VERIFY = reverse("admin:two_factor_verify")
CHANGELIST = reverse("admin:entreprises_enterprise_changelist")


def password_step(user, language="fr") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    response = client.post(
        LOGIN, {"username": user.username, "password": PASSWORD, "next": CHANGELIST}
    )
    assert (response.status_code, response["Location"]) == (302, CHANGELIST)
    return client


def code_of(secret_hex: str) -> str:
    return f"{TOTP(unhexlify(secret_hex)).token():06d}"


def text_of(response) -> str:
    return html.unescape(" ".join(response.content.decode().split()))


@pytest.fixture
def app_of(db):
    """An authentication app set up for a user, whose current code the test can read."""

    def make(user) -> TOTPDevice:
        return TOTPDevice.objects.create(user=user, name="app", confirmed=True)

    return make


def test_national_team_without_a_device_is_sent_to_enrolment(personas):
    client = password_step(personas.national)
    response = client.get(CHANGELIST)
    assert (response.status_code, response["Location"]) == (
        302,
        f"{ENROL}?next=%2Fadmin%2Fentreprises%2Fenterprise%2F",
    )
    page = client.get(response["Location"])
    body = text_of(page)
    assert page.status_code == 200
    assert "Connexion en deux étapes" in body
    assert "Votre compte peut changer ce que d’autres personnes peuvent faire" in body
    assert re.search(r'<img src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]+" alt="', body)
    assert page["Cache-Control"].startswith("max-age=0, no-cache, no-store")
    # Until a code confirms an app, the rest of the admin stays closed.
    assert client.get(INDEX)["Location"] == f"{ENROL}?next=%2Fadmin%2F"
    assert not TOTPDevice.objects.filter(user=personas.national).exists()


def test_enrolment_confirms_the_app_and_shows_recovery_codes_once(personas):
    client = password_step(personas.national, language="en")
    page = client.get(f"{ENROL}?next={CHANGELIST}")
    secret = client.session["two_factor_secret"]
    grouped = re.search(r'<code id="two-factor-secret">([A-Z2-7 ]+)</code>', page.content.decode())
    assert (
        grouped.group(1).replace(" ", "")
        == __import__("base64").b32encode(unhexlify(secret)).decode()
    )

    wrong = client.post(ENROL, {"code": "000000", "next": CHANGELIST})
    assert "This is not the code the app shows for this account." in text_of(wrong)
    assert not TOTPDevice.objects.filter(user=personas.national).exists()

    done = client.post(ENROL, {"code": code_of(secret), "next": CHANGELIST})
    body = text_of(done)
    assert done.status_code == 200
    assert "<h1>Two-factor sign-in is on</h1>" in body
    shown = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", body)
    stored = StaticToken.objects.filter(device__user=personas.national)
    assert sorted(shown) == sorted(stored.values_list("token", flat=True))
    assert len(shown) == 10
    assert f'<a class="button" href="{CHANGELIST}">I have kept them: continue</a>' in body
    device = TOTPDevice.objects.get(user=personas.national)
    assert (device.confirmed, device.key) == (True, secret)
    # The session is verified: the admin opens, and the codes are not shown again.
    assert client.get(CHANGELIST).status_code == 200
    again = text_of(client.get(ENROL))
    assert "Two-factor sign-in is on for your account" in again
    assert not any(code in again for code in shown)


def test_with_a_device_the_password_is_followed_by_a_code(personas, app_of):
    device = app_of(personas.national)
    client = password_step(personas.national)
    response = client.get(CHANGELIST)
    assert response["Location"] == f"{VERIFY}?next=%2Fadmin%2Fentreprises%2Fenterprise%2F"
    page = text_of(client.get(response["Location"]))
    assert "<h1>Code de connexion</h1>" in page
    # The enrolment page would let someone with the password alone replace the app.
    assert client.get(ENROL)["Location"] == f"{VERIFY}?next=%2Fadmin%2Ftwo-factor%2F"
    signed = client.post(VERIFY, {"code": code_of(device.key), "next": CHANGELIST})
    assert (signed.status_code, signed["Location"]) == (302, CHANGELIST)
    assert client.get(CHANGELIST).status_code == 200


def test_the_next_address_after_the_code_stays_on_the_site(personas, app_of):
    device = app_of(personas.national)
    client = password_step(personas.national)
    signed = client.post(
        VERIFY, {"code": code_of(device.key), "next": "https://elsewhere.example/"}
    )
    assert signed["Location"] == INDEX


def test_wrong_codes_lock_the_account_out_and_a_right_password_does_not_reset_them(
    personas, app_of
):
    device = app_of(personas.national)
    client = password_step(personas.national)
    for _ in range(2):
        wrong = client.post(VERIFY, {"code": "123456"})
        assert wrong.status_code == 200
        assert "Ce code n’est pas le bon, ou il a déjà servi." in text_of(wrong)
    assert AccessAttempt.objects.get(username="equipe-nationale").failures_since_start == 2
    # Signing in again with the password does not forget the wrong codes.
    client = password_step(personas.national)
    for _ in range(settings.AXES_FAILURE_LIMIT - 3):
        assert client.post(VERIFY, {"code": "654321"}).status_code == 200
    locked = client.post(VERIFY, {"code": code_of(device.key)[::-1]})
    assert locked.status_code == 429
    assert "Trop de tentatives de connexion infructueuses" in text_of(locked)
    # Signed out, and the password no longer opens the account either.
    assert "_auth_user_id" not in client.session
    again = Client().post(LOGIN, {"username": "equipe-nationale", "password": PASSWORD})
    assert again.status_code == 429


def test_a_right_code_forgets_earlier_failures(personas, app_of):
    device = app_of(personas.national)
    client = password_step(personas.national)
    assert client.post(VERIFY, {"code": "999999"}).status_code == 200
    device.refresh_from_db()
    device.throttle_reset()  # django-otp waits a second after a wrong code
    assert client.post(VERIFY, {"code": code_of(device.key)}).status_code == 302
    assert not AccessAttempt.objects.exists()


def test_a_recovery_code_works_once(personas, app_of):
    app_of(personas.national)
    codes = new_recovery_codes(user=personas.national)
    client = password_step(personas.national, language="en")
    used = client.post(VERIFY, {"code": codes[0].upper(), "next": CHANGELIST}, follow=True)
    assert used.redirect_chain == [(CHANGELIST, 302)]
    assert (
        "You signed in with a recovery code: 9 are left. Make new ones in Two-factor sign-in."
        in text_of(used)
    )
    client = password_step(personas.national, language="en")
    refused = client.post(VERIFY, {"code": codes[0]})
    assert "This code is not right, or it was already used. Try again." in text_of(refused)
    assert AccessAttempt.objects.get(username="equipe-nationale").failures_since_start == 1
    # A refused code leaves the session where it was: it still owes a code.
    still_owed = client.get(CHANGELIST)
    assert (still_owed.status_code, still_owed["Location"]) == (
        302,
        f"{VERIFY}?next=%2Fadmin%2Fentreprises%2Fenterprise%2F",
    )


def test_managing_accounts_requires_a_second_factor(personas):
    personas.staff_a.user_permissions.add(Permission.objects.get(codename="change_user"))
    client = password_step(personas.staff_a)
    assert client.get(CHANGELIST)["Location"].startswith(ENROL)


def test_pole_staff_may_turn_it_on_and_are_then_asked_for_a_code(personas):
    client = password_step(personas.staff_a)
    index = client.get(INDEX)
    assert index.status_code == 200
    assert f'<a href="{ENROL}">Connexion en deux étapes</a>' in index.content.decode()
    page = text_of(client.get(ENROL))
    assert "protège votre compte même si quelqu’un apprend votre mot de passe" in page
    secret = client.session["two_factor_secret"]
    assert client.post(ENROL, {"code": code_of(secret)}).status_code == 200
    assert password_step(personas.staff_a).get(INDEX)["Location"].startswith(VERIFY)


def test_a_session_owing_a_code_is_anonymous_on_the_site(personas, app_of):
    app_of(personas.national)
    draft = EnterpriseFactory(status="draft", pole=personas.pole_a)
    client = password_step(personas.national)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert signed_in(personas.national).get(draft.get_absolute_url()).status_code == 200


def test_national_team_turns_it_off_for_a_lost_phone(personas, app_of):
    app_of(personas.staff_a)
    new_recovery_codes(user=personas.staff_a)
    national = signed_in(personas.national)
    users = reverse("admin:auth_user_changelist")
    listing = national.get(users, HTTP_ACCEPT_LANGUAGE="en")
    assert "Two-factor sign-in" in text_of(listing)
    response = national.post(
        users,
        {"action": "turn_off_two_factor", "_selected_action": [personas.staff_a.pk]},
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )
    assert (
        "Two-factor sign-in turned off for 1 account: it sets it up again at its next sign-in."
        in text_of(response)
    )
    assert not TOTPDevice.objects.filter(user=personas.staff_a).exists()
    assert not StaticToken.objects.filter(device__user=personas.staff_a).exists()
    assert password_step(personas.staff_a).get(INDEX).status_code == 200
