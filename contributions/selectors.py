"""Reads of contributions: who sees which, the queue, possible duplicates."""

from django.db.models import QuerySet
from django.db.models.functions import Lower

from contributions.models import Contribution
from entreprises.models import Enterprise
from entreprises.selectors import possible_duplicates
from poles.models import Pole, Region
from poles.selectors import is_national_team, poles_of


def contributions_visible_to(*, user) -> QuerySet[Contribution]:
    """The contributions `user` moderates: the pole-scoping rule of the enterprises.

    The national team sees every one (those of no pole are theirs alone), pole staff
    those of their poles, anyone else none.
    """
    if is_national_team(user=user):
        return Contribution.objects.all()
    if not (user.is_active and user.is_staff):
        return Contribution.objects.none()
    return Contribution.objects.filter(pole__in=poles_of(user=user))


def pole_of_new_enterprise(*, region: Region | None, city: str) -> Pole | None:
    """The pole that moderates a proposed enterprise: the one pole serving its region
    (the region given, else the one its town's published enterprises are in). None, the
    national team, when no pole or several serve it (Montérégie has three)."""
    if region is None and city.strip():
        region_ids = (
            Enterprise.objects.published()
            .annotate(lower_city=Lower("city"))
            .filter(lower_city=city.strip().lower(), region__isnull=False)
            .values_list("region_id", flat=True)
            .distinct()[:2]
        )
        region_ids = list(region_ids)
        if len(region_ids) == 1:
            region = Region.objects.get(pk=region_ids[0])
    if region is None:
        return None
    poles = list(region.poles.all()[:2])
    return poles[0] if len(poles) == 1 else None


def duplicates_of_new(*, contribution: Contribution) -> QuerySet[Enterprise]:
    """Existing enterprises a proposed one may be: the same NEQ, or the same French name in
    the same town (the admin's own rule, entreprises.selectors.possible_duplicates)."""
    proposed = contribution.proposed
    same_name = possible_duplicates(name=proposed.get("name_fr", ""), city=proposed.get("city", ""))
    neq = proposed.get("neq", "").strip()
    same_neq = Enterprise.objects.filter(neq=neq) if neq else Enterprise.objects.none()
    return (same_name | same_neq).select_related("pole").order_by("name_fr", "id")
