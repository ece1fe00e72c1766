"""The enterprise change list's filters and the autocomplete's paginator."""

from django.contrib import admin
from django.core.paginator import Paginator
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from entreprises.freshness import due_soon, overdue, with_due_on
from entreprises.models import EnterpriseSector, Sector, in_language
from entreprises.selectors import english_missing, with_english_missing
from poles.selectors import poles_of, regions_of


class NextPageCountPaginator(Paginator):
    """Counts no further than one page past `page`: enough to say whether more follow.

    A word common to most of 100,000 enterprises would otherwise cost a full count.
    """

    def __init__(self, *args, page: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.cap = (page + 1) * self.per_page + 1

    @cached_property
    def count(self):
        return self.object_list[: self.cap].count()


class EnglishMissingFilter(admin.SimpleListFilter):
    title = _("English missing")
    parameter_name = "english_missing"

    def lookups(self, request, model_admin):
        return [("yes", _("English missing")), ("no", _("English complete"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            # As written, so that the partial index on this condition serves it.
            return queryset.filter(english_missing())
        if self.value() == "no":
            return with_english_missing(queryset).filter(lacks_english=False)
        return queryset


def poles_and_regions(request) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The poles `request.user` works for and the regions they serve (all of them for the
    national team), as the filters' choices: read once per request, since the columns
    the list shows depend on them too."""
    if "_poles_and_regions" not in request.__dict__:
        user, name = request.user, in_language("name", get_language())
        poles = poles_of(user=user).order_by("name").values_list("pk", name)
        regions = regions_of(user=user).values_list("pk", "code", name)
        request._poles_and_regions = (
            [(str(pk), name) for pk, name in poles],
            [(str(pk), f"{code} {name}") for pk, code, name in regions],  # as Region.__str__
        )
    return request._poles_and_regions


class PoleFilter(admin.SimpleListFilter):
    """Only the poles the user works for (all of them for the national team)."""

    title = _("pole")
    parameter_name = "pole"

    def lookups(self, request, model_admin):
        return poles_and_regions(request)[0]

    def queryset(self, request, queryset):
        if self.value() in {value for value, _label in self.lookup_choices}:
            return queryset.filter(pole_id=int(self.value()))
        return queryset


class SectorFilter(admin.SimpleListFilter):
    title = _("sector")
    parameter_name = "sector"

    def lookups(self, request, model_admin):
        name = in_language("name", get_language())
        return list(Sector.objects.order_by("name_fr").values_list("slug", name))

    def queryset(self, request, queryset):
        if self.value() in {value for value, _label in self.lookup_choices}:
            return queryset.filter(
                pk__in=EnterpriseSector.objects.filter(sector__slug=self.value()).values(
                    "enterprise_id"
                )
            )
        return queryset


class VerificationFilter(admin.SimpleListFilter):
    """Records due for verification soon, or overdue (entreprises/freshness.py)."""

    title = _("verification")
    parameter_name = "verification"

    def lookups(self, request, model_admin):
        return [("due", _("Due within 30 days")), ("overdue", _("Overdue"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "due":
            return with_due_on(queryset).filter(due_soon(today=today))
        if self.value() == "overdue":
            return with_due_on(queryset).filter(overdue(today=today))
        return queryset


class OnTheMapFilter(admin.SimpleListFilter):
    """Records without coordinates are missing from the public map."""

    title = _("on the map")
    parameter_name = "on_map"

    def lookups(self, request, model_admin):
        return [("no", _("Not on the map")), ("yes", _("On the map"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(latitude__isnull=True)
        if self.value() == "yes":
            return queryset.filter(latitude__isnull=False)
        return queryset


class RegionFilter(admin.SimpleListFilter):
    """Only the regions the user's poles serve (all 17 for the national team)."""

    title = _("region")
    parameter_name = "region"

    def lookups(self, request, model_admin):
        return poles_and_regions(request)[1]

    def queryset(self, request, queryset):
        if self.value() in {value for value, _label in self.lookup_choices}:
            return queryset.filter(region_id=int(self.value()))
        return queryset
