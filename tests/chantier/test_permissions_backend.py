"""A staff user's permissions are read in one query (chantier.backends.PermissionsInOneQuery)
and are exactly those Django's ModelBackend reads in two, for every persona, granted to the
user or to one of their groups, and none for an inactive user."""

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission, User

from chantier.backends import PermissionsInOneQuery
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


def test_sessions_stay_with_djangos_backend(personas):
    """The test client (and Django's login) records the first backend that can load a user:
    never this one, which loads nobody."""
    client = personas.client_for(personas.staff_a)
    assert client.session["_auth_user_backend"] == "django.contrib.auth.backends.ModelBackend"
    page = client.get("/admin/entreprises/enterprise/")
    assert page.status_code == 200
    assert page.context["user"] == personas.staff_a
