from django.db.models import Count, QuerySet

from entreprises.models import Enterprise
from poles.models import Pole, Region
from poles.roles import NATIONAL_TEAM_GROUP


def published_counts_by(field_name: str) -> dict:
    """Published enterprises per value of `field_name`, read from the covering index."""
    return dict(
        Enterprise.objects.published().values_list(field_name).annotate(n=Count("id")).order_by()
    )


def poles_with_counts() -> list[Pole]:
    """Every pole with its regions and its number of published enterprises."""
    counts = published_counts_by("pole")
    poles = list(Pole.objects.prefetch_related("regions").order_by("name"))
    for pole in poles:
        pole.published_count = counts.get(pole.pk, 0)
    return poles


def regions_with_counts() -> list[Region]:
    """Every region with its number of published enterprises."""
    counts = published_counts_by("region")
    regions = list(Region.objects.order_by("code"))
    for region in regions:
        region.published_count = counts.get(region.pk, 0)
    return regions


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
