"""Abstract models and constraints shared by the apps' models."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.validators import (
    POSTAL_CODE_REGEX,
    QUEBEC_MAX_LATITUDE,
    QUEBEC_MAX_LONGITUDE,
    QUEBEC_MIN_LATITUDE,
    QUEBEC_MIN_LONGITUDE,
    is_inside_quebec,
    normalize_postal_code,
    validate_postal_code,
)


def french_required(field: str) -> models.CheckConstraint:
    """The French text of a translated field is never empty (English falls back to it)."""
    return models.CheckConstraint(
        condition=Q(**{f"{field}_fr__isnull": False}) & ~Q(**{f"{field}_fr": ""}),
        name=f"%(app_label)s_%(class)s_{field}_fr_required",
        violation_error_message=_("The French text is required."),
    )


class Located(models.Model):
    """A civic address in Québec and, when known, a point inside Québec."""

    street_address = models.CharField(_("street address"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    postal_code = models.CharField(
        _("postal code"), max_length=7, blank=True, validators=[validate_postal_code]
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(postal_code="") | Q(postal_code__regex=POSTAL_CODE_REGEX),
                name="%(app_label)s_%(class)s_postal_code_format",
                violation_error_message=_("Enter a Canadian postal code in the form A1A 1A1."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(latitude__isnull=True, longitude__isnull=True)
                    | Q(
                        # Explicit: a CHECK on a NULL comparison would pass.
                        latitude__isnull=False,
                        longitude__isnull=False,
                        latitude__gte=QUEBEC_MIN_LATITUDE,
                        latitude__lte=QUEBEC_MAX_LATITUDE,
                        longitude__gte=QUEBEC_MIN_LONGITUDE,
                        longitude__lte=QUEBEC_MAX_LONGITUDE,
                    )
                ),
                name="%(app_label)s_%(class)s_coordinates_in_quebec",
                violation_error_message=_(
                    "Coordinates must be given together and lie inside Québec."
                ),
            ),
        ]

    def clean_fields(self, exclude=None):
        # Normalise first, so "h2x-1y4" is accepted as "H2X 1Y4".
        self.postal_code = normalize_postal_code(self.postal_code)
        super().clean_fields(exclude=exclude)

    def clean(self):
        super().clean()
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError(_("Give both latitude and longitude, or neither."))
        if self.latitude is not None and not is_inside_quebec(
            float(self.latitude), float(self.longitude)
        ):
            raise ValidationError({"latitude": _("These coordinates are outside Québec.")})
