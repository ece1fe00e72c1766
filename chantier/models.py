from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chantier.enums import FigureQualifier, FigureUnit
from chantier.validators import (
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


class KeyFigure(models.Model):
    """A published figure (ISQ portrait, the Chantier's own documents), never a live count."""

    key = models.SlugField(_("key"), max_length=80, unique=True)
    label = models.CharField(_("label"), max_length=200)
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=20, choices=FigureUnit.choices)
    qualifier = models.CharField(
        _("qualifier"),
        max_length=20,
        choices=FigureQualifier.choices,
        default=FigureQualifier.EXACT,
    )
    year = models.PositiveSmallIntegerField(
        _("year of the data"),
        null=True,
        blank=True,
        help_text=_("Empty when the source gives none."),
    )
    region = models.ForeignKey(
        "poles.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="key_figures",
    )
    source = models.TextField(_("source"))
    source_url = models.URLField(_("source address"), blank=True)
    note = models.TextField(_("note"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    featured = models.BooleanField(_("featured on the home page"), default=False)

    class Meta:
        ordering = ["position", "key"]
        verbose_name = _("key figure")
        verbose_name_plural = _("key figures")
        constraints = [
            french_required("label"),
            french_required("source"),
            models.CheckConstraint(
                condition=Q(value__gte=0), name="chantier_keyfigure_value_not_negative"
            ),
            models.CheckConstraint(
                condition=~Q(unit="percent") | Q(value__lte=100),
                name="chantier_keyfigure_percent_at_most_100",
            ),
        ]

    def __str__(self):
        return f"{self.label} ({self.year or '—'})"


class ApiKey(models.Model):
    """A partner's key to the API: a higher rate limit, nothing more.

    Only a SHA-256 digest of the key is kept; the key itself is shown once, when
    it is created (`chantier.apikeys.create_api_key`). Keys are long random
    tokens, so a fast digest is enough: there is nothing to guess.
    """

    name = models.CharField(_("partner"), max_length=200, help_text=_("Who holds this key."))
    prefix = models.CharField(
        _("prefix"), max_length=12, editable=False, help_text=_("The first characters of the key.")
    )
    hashed_key = models.CharField(_("key digest"), max_length=64, unique=True, editable=False)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
