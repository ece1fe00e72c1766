"""Password guessing is locked out, passwords must be strong, staff sessions expire."""

import html

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from tests.personas import PASSWORD

LOGIN = reverse("admin:login")


@pytest.fixture
def staff(personas):
    return personas.national


def attempt(client, user, password, language="fr"):
    return client.post(
        LOGIN,
        {"username": user.username, "password": password, "next": "/admin/"},
        HTTP_ACCEPT_LANGUAGE=language,
    )


def test_right_password_logs_in(staff):
    response = attempt(Client(), staff, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_lockout_after_repeated_failures_even_with_the_right_password(staff):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, staff, "wrong").status_code == 200
    locked = attempt(client, staff, "wrong", language="en")
    assert locked.status_code == 429
    assert "Too many failed logins for this account from your address." in locked.content.decode()
    again = attempt(client, staff, PASSWORD)
    assert again.status_code == 429
    assert (
        "Trop de tentatives de connexion infructueuses pour ce compte depuis votre adresse."
        in again.content.decode()
    )
    assert "_auth_user_id" not in client.session


def test_other_user_from_same_address_is_not_locked(staff, personas):
    other = personas.staff_a
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, staff, "wrong")
    response = attempt(client, other, PASSWORD)
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert int(client.session["_auth_user_id"]) == other.pk


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Court1!", "Ce mot de passe est trop court. Il doit contenir au minimum 12 caractères."),
        ("123456789012345", "Ce mot de passe est entièrement numérique."),
        ("password1234", "Ce mot de passe est trop courant."),
    ],
)
def test_weak_passwords_refused(password, message):
    with pytest.raises(ValidationError) as caught:
        validate_password(password)
    assert message in caught.value.messages


def test_staff_session_expires(staff):
    client = Client()
    attempt(client, staff, PASSWORD)
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE == 8 * 3600
    assert client.session.get_expire_at_browser_close() is True


def test_login_without_a_request_still_works(staff):
    """The test client's login() and management commands authenticate without a request."""
    client = Client()
    assert client.login(username=staff.username, password=PASSWORD) is True
    assert client.login(username=staff.username, password="wrong") is False


@pytest.mark.parametrize("refused", ["https://elsewhere.example/", "//elsewhere.example/admin/"])
def test_refused_next_lands_on_the_admin_index(personas, refused):
    # Pole staff, who owe no second factor: the index itself answers.
    client = Client()
    response = client.post(
        f"{LOGIN}?next={refused}",
        {"username": personas.staff_a.username, "password": PASSWORD, "next": refused},
    )
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize(
    ("language", "title", "header", "instruction"),
    [
        (
            "en",
            "<title>Account locked | Portal administration</title>",
            "Social economy portal: administration",
            "The account unlocks itself in 30 minutes. Before that, the national team, who "
            "manages the portal's accounts, can unlock it: Access attempts, in the "
            "administration.",
        ),
        (
            "fr",
            "<title>Compte verrouillé | Administration du portail</title>",
            "Portail de l’économie sociale : administration",
            "Le compte se déverrouille de lui-même dans 30 minutes. D’ici là, l’équipe nationale, "
            "qui gère les comptes du portail, peut le déverrouiller : Tentatives de connexion, "
            "dans l’administration.",
        ),
    ],
)
def test_lockout_page_has_the_portal_header_and_says_who_can_unlock(
    staff, language, title, header, instruction
):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        locked = attempt(client, staff, "wrong", language=language)
    body = html.unescape(" ".join(locked.content.decode().split()))
    assert locked.status_code == 429
    assert title in body
    assert f'<div id="site-name"><a href="/admin/">{header}</a></div>' in body
    assert instruction in body
    assert "Django" not in body
