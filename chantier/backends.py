from axes.backends import AxesStandaloneBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.fields import ArrayField
from django.db import connections, router
from django.db.models import QuerySet, TextField
from django.db.models.expressions import RawSQL

from poles.selectors import with_national_team
from poles.two_factor import with_second_factor


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
            _keep_permissions(user_obj, own=own, grouped=grouped)
        return user_obj._perm_cache


class SignedInUserInOneQuery(ModelBackend):
    """Django's ModelBackend, which signs people in and keeps their sessions, but reading
    the signed-in user with what every admin page asks of them next: their permissions,
    whether they are of the national team, whether they have an authentication app. One
    query instead of four on each staff request; each answer is the one its own rule would
    give (PermissionsInOneQuery, poles.selectors.is_national_team,
    poles.two_factor.has_second_factor), as read when the request began."""

    def get_user(self, user_id):
        users = get_user_model()._default_manager.filter(pk=user_id)
        user = next(iter(with_second_factor(with_national_team(with_permissions(users)))), None)
        if user is None or not self.user_can_authenticate(user):
            return None
        if not user.is_superuser:  # theirs are every permission, as Django reads them
            _keep_permissions(
                user, own=set(user.own_permissions), grouped=set(user.group_permissions)
            )
        return user


def _keep_permissions(user, *, own: set, grouped: set) -> None:
    """Where Django's ModelBackend looks for a user's permissions before reading them."""
    user._user_perm_cache, user._group_perm_cache = own, grouped
    user._perm_cache = own | grouped


def with_permissions(users: QuerySet) -> QuerySet:
    """`users` annotated with `own_permissions` and `group_permissions`, each a list of
    "app_label.codename"."""
    own, grouped = _permission_selects(database=connections[users.db])
    table = connections[users.db].ops.quote_name
    key = f"{table(users.model._meta.db_table)}.{table(users.model._meta.pk.column)}"
    labels = ArrayField(TextField())
    # Only the models' own table and column names, quoted, enter the text.
    return users.annotate(
        own_permissions=RawSQL(  # noqa: S611
            f"ARRAY({own} WHERE x.user_id = {key})", (), output_field=labels
        ),
        group_permissions=RawSQL(  # noqa: S611
            f"ARRAY({grouped} WHERE g.user_id = {key})", (), output_field=labels
        ),
    )


def _permission_selects(*, database) -> tuple[str, str]:
    """The labels ("app_label.codename") of the permissions given to a user (alias `x`)
    and through a group (alias `g`), without the condition on the user."""
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
    return (
        f"SELECT {label} FROM {table(own)} x {joins}",  # noqa: S608
        f"SELECT {label} FROM {table(groups)} g "  # noqa: S608
        f"JOIN {table(of_group)} x ON x.group_id = g.group_id {joins}",
    )


def _permission_rows(user_id) -> list[tuple[bool, str]]:
    """(whether through a group, "app_label.codename") of every permission of `user_id`."""
    database = connections[router.db_for_read(Permission)]
    own, grouped = _permission_selects(database=database)
    # The user's id is a parameter.
    sql = (
        f"SELECT false, * FROM ({own} WHERE x.user_id = %s) o "  # noqa: S608
        f"UNION ALL SELECT true, * FROM ({grouped} WHERE g.user_id = %s) g"
    )
    with database.cursor() as cursor:
        cursor.execute(sql, [user_id, user_id])
        return cursor.fetchall()
