"""Who manages accounts: the national team makes staff accounts and pole memberships;
only a superuser makes a superuser."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User

from poles.models import PoleMembership
from tests.factories import PoleFactory
from tests.personas import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def national(personas):
    return signed_in(personas.national)


@pytest.fixture
def pole_staff(personas):
    return signed_in(personas.staff_a)


NEW_ACCOUNT = {
    "username": "nouvelle",
    "usable_password": "true",
    "password1": "une-phrase-de-passe-assez-longue",
    "password2": "une-phrase-de-passe-assez-longue",
}


def test_national_team_adds_a_staff_account_and_its_pole(national):
    response = national.post("/admin/auth/user/add/", NEW_ACCOUNT)
    created = User.objects.get(username="nouvelle")
    assert (response.status_code, response["Location"]) == (
        302,
        f"/admin/auth/user/{created.pk}/change/",
    )
    assert created.check_password("une-phrase-de-passe-assez-longue")

    pole = PoleFactory()
    response = national.post(
        "/admin/poles/polemembership/add/", {"user": created.pk, "pole": pole.pk}
    )
    assert (response.status_code, response["Location"]) == (302, "/admin/poles/polemembership/")
    memberships = PoleMembership.objects.filter(user=created)
    assert list(memberships.values_list("pole", flat=True)) == [pole.pk]


def change_form(user, **changes):
    return {
        "username": user.username,
        "first_name": "",
        "last_name": "",
        "email": user.email,
        "is_active": "on",
        "is_staff": "on",
        "groups": [group.pk for group in user.groups.all()],
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-05",
        "date_joined_1": "09:00:00",
        **changes,
    }


def test_national_team_cannot_make_a_superuser_not_even_itself(national, personas):
    me = personas.national
    other = User.objects.create_user("autre", "autre@example.org", is_staff=True)
    page = national.get(f"/admin/auth/user/{other.pk}/change/")
    assert page.status_code == 200
    assert 'name="is_superuser"' not in page.content.decode()
    assert 'name="user_permissions"' not in page.content.decode()
    for user in [other, me]:
        response = national.post(
            f"/admin/auth/user/{user.pk}/change/", change_form(user, is_superuser="on")
        )
        assert response.status_code == 302, response.content.decode()[:2000]
    assert User.objects.filter(is_superuser=True).count() == 0


def test_national_team_cannot_change_a_superuser_or_its_password(national):
    boss = User.objects.create_superuser("racine", "racine@example.org", "x" * 16)
    response = national.post(
        f"/admin/auth/user/{boss.pk}/change/", change_form(boss, is_staff="", is_superuser="")
    )
    assert response.status_code == 403
    password = national.post(
        f"/admin/auth/user/{boss.pk}/password/",
        {"password1": "y" * 16, "password2": "y" * 16, "usable_password": "true"},
    )
    assert password.status_code == 403
    boss.refresh_from_db()
    assert (boss.is_superuser, boss.is_staff, boss.check_password("x" * 16)) == (True, True, True)


def test_pole_staff_cannot_add_accounts_or_memberships(pole_staff, personas):
    assert pole_staff.get("/admin/auth/user/add/").status_code == 403
    assert pole_staff.post("/admin/auth/user/add/", NEW_ACCOUNT).status_code == 403
    me = personas.staff_a
    response = pole_staff.post(
        "/admin/poles/polemembership/add/", {"user": me.pk, "pole": PoleFactory().pk}
    )
    assert response.status_code == 403
    assert not User.objects.filter(username="nouvelle").exists()
    assert not PoleMembership.objects.filter(user=me).exclude(pole=personas.pole_a).exists()


def test_only_a_superuser_sets_is_superuser():
    boss = User.objects.create_superuser("racine", "racine@example.org", "x" * 16)
    other = User.objects.create_user("autre", "autre@example.org", is_staff=True)
    response = signed_in(boss).post(
        f"/admin/auth/user/{other.pk}/change/", change_form(other, is_superuser="on")
    )
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.is_superuser is True


def test_national_team_unlocks_a_locked_out_account(national):
    attempt = AccessAttempt.objects.create(
        username="verrouille", ip_address="203.0.113.9", failures_since_start=5
    )
    listing = national.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200
    assert "verrouille" in listing.content.decode()
    response = national.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    # axes lets nobody change an attempt, so the admin goes back to its index.
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert not AccessAttempt.objects.exists()
