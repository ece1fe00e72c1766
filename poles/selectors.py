from collections.abc import Iterable

from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef, QuerySet

from common.text import sort_key
from poles.models import Pole, Region
from poles.roles import NATIONAL_TEAM_GROUP


def is_national_team(*, user) -> bool:
    """Whether `user` may see and change every record, whatever its pole."""
    if not (user.is_active and user.is_staff):
        return False
    # Kept on the user for the request, as Django keeps its permissions (an admin page asks
    # several times).
    if not hasattr(user, "_is_national_team"):
        # Read with the user when they signed in this request (with_national_team).
        in_group = getattr(user, "in_national_team_group", None)
        user._is_national_team = user.is_superuser or (
            in_group
            if in_group is not None
            else user.groups.filter(name=NATIONAL_TEAM_GROUP).exists()
        )
    return user._is_national_team


def with_national_team(users: QuerySet) -> QuerySet:
    """`users` annotated with `in_national_team_group`, which is_national_team then reads."""
    return users.annotate(
        in_national_team_group=Exists(
            Group.objects.filter(user=OuterRef("pk"), name=NATIONAL_TEAM_GROUP)
        )
    )


def poles_of(*, user) -> QuerySet[Pole]:
    """The poles whose records `user` may change: all for the national team, else their own."""
    if is_national_team(user=user):
        return Pole.objects.all()
    if not (user.is_active and user.is_staff):
        return Pole.objects.none()
    return Pole.objects.filter(memberships__user=user)


def regions_of(*, user) -> QuerySet[Region]:
    """The regions `user`'s poles serve (all of them for the national team): where they
    may place a record."""
    if is_national_team(user=user):
        return Region.objects.all()
    return Region.objects.filter(poles__in=poles_of(user=user)).distinct()


def sorted_by_region(poles: Iterable[Pole]) -> list[Pole]:
    """Poles by the official (French) name of their first region, then by their own name:
    the same order in both languages. Their regions must be prefetched."""

    def key(pole):
        regions = sorted(sort_key(region.name_fr) for region in pole.regions.all())
        return (regions[0] if regions else "~", sort_key(pole.name_fr))

    return sorted(poles, key=key)
