from django.apps import apps as global_apps
from django.db.models import Q

from poles.roles import (
    NATIONAL_TEAM_APPS,
    NATIONAL_TEAM_EXTRA_PERMISSIONS,
    NATIONAL_TEAM_GROUP,
    NATIONAL_TEAM_READ_APPS,
    POLE_STAFF_GROUP,
    POLE_STAFF_PERMISSIONS,
)


def sync_staff_groups(*, apps=global_apps) -> None:
    """Create the two staff groups and give each exactly its permissions.

    `apps` is a migration's app registry when a migration calls it.
    """
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def matching(pairs):
        condition = Q(pk__in=[])
        for app_label, codename in pairs:
            condition |= Q(content_type__app_label=app_label, codename=codename)
        return Permission.objects.filter(condition)

    national, _ = Group.objects.get_or_create(name=NATIONAL_TEAM_GROUP)
    national.permissions.set(
        Permission.objects.filter(content_type__app_label__in=NATIONAL_TEAM_APPS)
        | Permission.objects.filter(
            content_type__app_label__in=NATIONAL_TEAM_READ_APPS, codename__startswith="view_"
        )
        | matching(NATIONAL_TEAM_EXTRA_PERMISSIONS)
    )
    pole_staff, _ = Group.objects.get_or_create(name=POLE_STAFF_GROUP)
    pole_staff.permissions.set(matching(POLE_STAFF_PERMISSIONS))
