"""A staff user's permissions are read in one query (chantier.backends.PermissionsInOneQuery)
and are exactly those Django's ModelBackend reads in two, for every persona, granted to the
user or to one of their groups, and none for an inactive user; the signed-in user is read
with them, and with what the admin asks next, in one query (SignedInUserInOneQuery)."""

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission, User
from django_otp.plugins.otp_totp.models import TOTPDevice

from chantier.backends import PermissionsInOneQuery, SignedInUserInOneQuery
from poles.selectors import is_national_team
from poles.two_factor import has_second_factor, second_factor_required
from tests.helpers import captured_queries


def fresh(user) -> User:
    """The user as a new request reads them: nothing cached yet."""
    return User.objects.get(pk=user.pk)


def djangos(user) -> tuple[set, set]:
    backend = ModelBackend()
    user = fresh(user)
    return backend.get_user_permissions(user), backend.get_group_permissions(user)


@pytest.mark.parametrize("persona", ["national", "staff_a", "staff_b", "staff_without_pole"])
def test_the_same_permissions_as_djangos_backend_in_one_query(personas, persona):
    user = getattr(personas, persona)
    user.user_permissions.add(Permission.objects.get(codename="view_logentry"))
    own, grouped = djangos(user)

    user = fresh(user)
    with captured_queries() as queries:
        assert PermissionsInOneQuery().get_all_permissions(user) == own | grouped
        # Django's backend, next in line, finds them read: no query of its own.
        assert ModelBackend().get_user_permissions(user) == own
        assert ModelBackend().get_group_permissions(user) == grouped
        assert user.get_all_permissions() == own | grouped
        assert user.has_perm("admin.view_logentry")
        assert user.has_perm("auth.delete_user") == ("auth.delete_user" in grouped)
    assert len(queries) == 1
    assert "admin.view_logentry" in own


def test_pole_staff_reads_their_permissions_once(personas):
    user = fresh(personas.staff_a)
    with captured_queries() as queries:
        assert user.has_perm("entreprises.change_enterprise")
        assert not user.has_perm("auth.change_user")
        assert user.has_module_perms("entreprises")
    assert len(queries) == 1


def test_inactive_users_and_objects_get_no_permissions(personas):
    user = fresh(personas.staff_a)
    user.is_active = False
    with captured_queries() as queries:
        assert PermissionsInOneQuery().get_all_permissions(user) == set()
        assert not user.has_perm("entreprises.change_enterprise")
    assert len(queries) == 0
    active = fresh(personas.staff_a)
    assert PermissionsInOneQuery().get_all_permissions(active, obj=active) == set()


def test_sessions_name_the_backend_that_reads_the_user_in_one_query(personas):
    client = personas.client_for(personas.staff_a)
    assert client.session["_auth_user_backend"] == "chantier.backends.SignedInUserInOneQuery"
    page = client.get("/admin/entreprises/enterprise/")
    assert page.status_code == 200
    assert page.context["user"] == personas.staff_a


@pytest.mark.parametrize("persona", ["national", "staff_a", "staff_b", "staff_without_pole"])
@pytest.mark.parametrize("with_app", [False, True])
def test_the_signed_in_user_is_read_with_what_pages_ask_of_them(personas, persona, with_app):
    """One query gives the user, their permissions, whether they are of the national team
    and whether they have an authentication app: the answers each rule gives alone."""
    user = getattr(personas, persona)
    user.user_permissions.add(Permission.objects.get(codename="view_logentry"))
    if with_app:
        TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    TOTPDevice.objects.create(user=user, name="never confirmed", confirmed=False)
    own, grouped = djangos(user)
    expected = (own | grouped, is_national_team(user=fresh(user)), has_second_factor(fresh(user)))

    with captured_queries() as queries:
        loaded = SignedInUserInOneQuery().get_user(user.pk)
        answers = (
            loaded.get_all_permissions(),
            is_national_team(user=loaded),
            has_second_factor(loaded),
        )
        assert loaded.has_perm("admin.view_logentry")
        required = second_factor_required(loaded)
    assert len(queries) == 1
    assert required == second_factor_required(fresh(user))
    assert loaded == user
    assert answers == expected
    assert expected[1] == (persona == "national")
    assert expected[2] is with_app


def test_a_superuser_read_in_one_query_has_every_permission(personas):
    user = User.objects.create_superuser("root", "root@example.org", "a-long-passphrase-2026")
    loaded = SignedInUserInOneQuery().get_user(user.pk)
    assert is_national_team(user=loaded)
    assert loaded.get_all_permissions() == {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Permission.objects.select_related("content_type")
    }


def test_an_inactive_or_missing_user_is_not_signed_in(personas):
    personas.staff_a.is_active = False
    personas.staff_a.save()
    assert SignedInUserInOneQuery().get_user(personas.staff_a.pk) is None
    assert SignedInUserInOneQuery().get_user(10**9) is None
