from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from common.model_mixins import french_required
from evenements.enums import EventKind, OrganizationKind


class Organization(models.Model):
    """A partner or international organization: ILO, OECD, RIPESS, a ministry, a city..."""

    name = models.CharField(_("name"), max_length=250)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    slug = models.SlugField(_("slug"), max_length=250, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganizationKind.choices)
    country = CountryField(_("country"), blank=True, help_text=_("Empty for international bodies."))
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    founded_year = models.PositiveSmallIntegerField(_("year founded"), null=True, blank=True)
    source = models.TextField(_("source"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        constraints = [
            french_required("name"),
            models.CheckConstraint(
                condition=Q(kind__in=OrganizationKind.values),
                name="evenements_organization_kind_valid",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def get_absolute_url(self):
        return reverse("evenements:organization", kwargs={"slug": self.slug})


class Event(models.Model):
    """An international event, a mission or a milestone of the Québec social economy."""

    name = models.CharField(_("name"), max_length=250)
    slug = models.SlugField(_("slug"), max_length=250, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    year = models.PositiveSmallIntegerField(
        _("year"), null=True, blank=True, help_text=_("Empty when no source gives it.")
    )
    start_date = models.DateField(
        _("start date"), null=True, blank=True, help_text=_("Empty when only the year is known.")
    )
    end_date = models.DateField(_("end date"), null=True, blank=True)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = CountryField(_("country"), blank=True)
    description = models.TextField(_("description"), blank=True)
    participants = models.PositiveIntegerField(_("participants"), null=True, blank=True)
    countries_count = models.PositiveSmallIntegerField(
        _("number of countries represented"), null=True, blank=True
    )
    countries_approximate = models.BooleanField(
        _("approximate count of countries"),
        default=False,
        help_text=_("Check when the source gives an approximate count (“nearly 40”)."),
    )
    countries = CountryField(
        _("countries represented"),
        multiple=True,
        blank=True,
        help_text=_("Only the countries a source names; the count may be larger."),
    )
    organizers = models.ManyToManyField(
        "Organization", verbose_name=_("organizers"), blank=True, related_name="organized_events"
    )
    partners = models.ManyToManyField(
        "Organization", verbose_name=_("partners"), blank=True, related_name="partnered_events"
    )
    participating_organizations = models.ManyToManyField(
        "Organization",
        verbose_name=_("participating organizations"),
        blank=True,
        related_name="attended_events",
        help_text=_("Organizations whose representatives attended, without being partners."),
    )
    enterprises_visited = models.ManyToManyField(
        "entreprises.Enterprise",
        verbose_name=_("enterprises visited"),
        blank=True,
        related_name="visits",
    )
    source = models.TextField(_("source"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = [F("year").desc(nulls_last=True), "-start_date", "slug"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            french_required("name"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=False, end_date__gte=F("start_date")),
                name="evenements_event_end_not_before_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(start_date__year=F("year")),
                name="evenements_event_start_in_year",
                violation_error_message=_("The start date must fall in the event's year."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=EventKind.values), name="evenements_event_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(year__isnull=True) | Q(year__gte=1800, year__lte=2100),
                name="evenements_event_year_plausible",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.year})" if self.year else self.name

    def get_absolute_url(self):
        return reverse("evenements:detail", kwargs={"slug": self.slug})
