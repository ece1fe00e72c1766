from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.model_mixins import Located, french_required


class Region(models.Model):
    """One of Québec's 17 administrative regions, by its official code."""

    code = models.CharField(_("code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("administrative region")
        verbose_name_plural = _("administrative regions")
        constraints = [
            french_required("name"),
            models.CheckConstraint(
                condition=Q(code__regex=r"^(0[1-9]|1[0-7])$"),
                name="poles_region_code_01_to_17",
                violation_error_message=_("A region code goes from 01 to 17."),
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"


class Pole(Located):
    """A regional pole of social economy. A pole is not a region: it serves one or
    more regions, or only some MRCs of one (Montérégie has three poles)."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    regions = models.ManyToManyField(Region, verbose_name=_("regions served"), related_name="poles")
    mrcs = ArrayField(
        models.CharField(max_length=100),
        verbose_name=_("MRCs served"),
        blank=True,
        default=list,
        help_text=_("Only when the pole serves part of a region: the MRCs it covers."),
    )
    territory = models.CharField(_("territory"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    founded_year = models.PositiveSmallIntegerField(_("year founded"), null=True, blank=True)
    source = models.TextField(_("source"), blank=True)
    verification_months = models.PositiveSmallIntegerField(
        _("verification interval (months)"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("How often each enterprise of the pole should be confirmed with it."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta(Located.Meta):
        ordering = ["name"]
        verbose_name = _("regional pole")
        verbose_name_plural = _("regional poles")
        constraints = [*Located.Meta.constraints, french_required("name")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("poles:detail", kwargs={"slug": self.slug})

    @property
    def region_names(self) -> str:
        """The regions it serves, from prefetched regions: how people look a pole up."""
        return ", ".join(region.name for region in self.regions.all())

    @property
    def regional_title(self) -> str:
        """« Estrie — Réseau des entreprises d’économie sociale de l’Estrie »."""
        return f"{self.region_names} — {self.name}" if self.region_names else self.name


class PoleMembership(models.Model):
    """A staff user working for a pole; a user may work for several."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="pole_memberships",
    )
    pole = models.ForeignKey(
        Pole, verbose_name=_("pole"), on_delete=models.CASCADE, related_name="memberships"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["pole__name", "user__username"]
        verbose_name = _("pole membership")
        verbose_name_plural = _("pole memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "pole"], name="poles_membership_unique"),
        ]

    def __str__(self):
        return f"{self.user} → {self.pole}"
