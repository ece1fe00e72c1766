from django.db.models import Count, Q, QuerySet

from poles.models import Pole
from poles.roles import NATIONAL_TEAM_GROUP


def poles_with_counts() -> QuerySet[Pole]:
    """Every pole with its regions and its number of published enterprises."""
    return (
        Pole.objects.annotate(
            published_count=Count("enterprises", filter=Q(enterprises__status="published"))
        )
        .prefetch_related("regions")
        .order_by("name")
    )


def is_national_team(*, user) -> bool:
    """Whether `user` may see and change every record, whatever its pole."""
    if not (user.is_active and user.is_staff):
        return False
    return user.is_superuser or user.groups.filter(name=NATIONAL_TEAM_GROUP).exists()


def poles_of(*, user) -> QuerySet[Pole]:
    """The poles whose records `user` may change: all for the national team, else their own."""
    if is_national_team(user=user):
        return Pole.objects.all()
    if not (user.is_active and user.is_staff):
        return Pole.objects.none()
    return Pole.objects.filter(memberships__user=user)
