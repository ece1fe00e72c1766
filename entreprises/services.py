"""Writes to enterprises. Views, the admin, the API and commands call these."""

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from entreprises.models import Enterprise, EnterpriseSector, Sector


@transaction.atomic
def set_sectors(
    *, enterprise: Enterprise, primary: Sector, secondary: Sequence[Sector] = ()
) -> None:
    """Give an enterprise exactly one primary sector and any number of others."""
    if primary in secondary:
        raise ValidationError(_("The primary sector is listed again among the other sectors."))
    EnterpriseSector.objects.filter(enterprise=enterprise).delete()
    EnterpriseSector.objects.bulk_create(
        [EnterpriseSector(enterprise=enterprise, sector=primary, is_primary=True)]
        + [EnterpriseSector(enterprise=enterprise, sector=sector) for sector in dict.fromkeys(secondary)]
    )
