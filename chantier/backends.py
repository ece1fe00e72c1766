from axes.backends import AxesStandaloneBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connections, router


class LoginGuardBackend(AxesStandaloneBackend):
    """django-axes' lock-out for every login made through a web request.

    A login made without one (a management command, the test client's `login()`) cannot be
    password guessing; axes would refuse it outright, so it is left to the next backend.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class PermissionsInOneQuery:
    """A user's own and group permissions, read in one query.

    Django's ModelBackend reads them in two, each through three joins built by the ORM:
    about 1.5 ms of every admin page. This backend, placed before it, reads the same rows
    with one UNION and keeps them where ModelBackend looks for them first
    (`_user_perm_cache`, `_group_perm_cache`, `_perm_cache`), so ModelBackend, which still
    signs people in, keeps their sessions and answers for superusers, reads none. It signs
    nobody in and keeps no session (no `get_user`).
    """

    def authenticate(self, request, **credentials):
        return None

    def has_perm(self, user_obj, perm, obj=None):
        return perm in self.get_all_permissions(user_obj, obj)

    def has_module_perms(self, user_obj, app_label):
        return any(p[: p.index(".")] == app_label for p in self.get_all_permissions(user_obj))

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if user_obj.is_superuser:
            return set()  # every permission: ModelBackend's answer
        if not hasattr(user_obj, "_perm_cache"):
            own, grouped = set(), set()
            for from_group, permission in _permission_rows(user_obj.pk):
                (grouped if from_group else own).add(permission)
            user_obj._user_perm_cache, user_obj._group_perm_cache = own, grouped
            user_obj._perm_cache = own | grouped
        return user_obj._perm_cache


def _permission_rows(user_id) -> list[tuple[bool, str]]:
    """(whether through a group, "app_label.codename") of every permission of `user_id`."""
    database = connections[router.db_for_read(Permission)]
    table = database.ops.quote_name
    user = get_user_model()
    permission, content_type = Permission._meta.db_table, ContentType._meta.db_table
    own = user.user_permissions.through._meta.db_table
    groups = user.groups.through._meta.db_table
    of_group = Group.permissions.through._meta.db_table
    label = f"ct.{table('app_label')} || '.' || p.{table('codename')}"
    joins = (
        f"JOIN {table(permission)} p ON p.id = x.permission_id "
        f"JOIN {table(content_type)} ct ON ct.id = p.content_type_id"
    )
    # Only the models' own table names, quoted, enter the text; the user's id is a parameter.
    sql = (
        f"SELECT false, {label} FROM {table(own)} x {joins} WHERE x.user_id = %s "  # noqa: S608
        f"UNION ALL SELECT true, {label} FROM {table(groups)} g "
        f"JOIN {table(of_group)} x ON x.group_id = g.group_id {joins} WHERE g.user_id = %s"
    )
    with database.cursor() as cursor:
        cursor.execute(sql, [user_id, user_id])
        return cursor.fetchall()
