from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chantier.enums import FigureQualifier, FigureUnit
from common.model_mixins import french_required


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


class OpenDataRelease(models.Model):
    """A dated open-data release: its files in the media storage, never rewritten.

    `files` lists each file written, as {"name", "path", "media_type", "bytes",
    "sha256"}, `datapackage.json` last (chantier.releases writes them).
    """

    identifier = models.CharField(_("identifier"), max_length=20, unique=True, editable=False)
    released_on = models.DateField(_("release date"), unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    files = models.JSONField(_("files"), default=list, editable=False)
    counts = models.JSONField(_("records per table"), default=dict, editable=False)

    class Meta:
        ordering = ["-released_on"]
        verbose_name = _("open-data release")
        verbose_name_plural = _("open-data releases")

    def __str__(self):
        return self.identifier
