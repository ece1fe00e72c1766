"""Filters of the enterprise API (django-filter): every one combinable with the others."""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from common.api.sync import updated_since_filter
from common.validators import (
    BBOX_PATTERN,
    QUEBEC_MAX_LATITUDE,
    QUEBEC_MAX_LONGITUDE,
    QUEBEC_MIN_LATITUDE,
    QUEBEC_MIN_LONGITUDE,
)
from entreprises.enums import LegalForm, Status
from entreprises.forms import MAX_QUERY_LENGTH, BoundingBoxField, EmptyValuesLeftOut, PlaceField
from entreprises.models import Enterprise, Sector
from entreprises.nearby import (
    DEFAULT_RADIUS_KM,
    MAX_PLACE_LENGTH,
    NEAR_MESSAGES,
    RADIUS_CHOICES,
    within,
)
from entreprises.search import build_query
from entreprises.selectors import in_sectors
from poles.models import Pole, Region


# Empty is no box, as on the directory page.
@extend_schema_field({"type": "string", "pattern": f"^(?:{BBOX_PATTERN.pattern})?$"})
class BoundingBoxFilter(django_filters.Filter):
    field_class = BoundingBoxField

    def filter(self, qs, value):
        if not value:
            return qs
        min_lon, min_lat, max_lon, max_lat = value
        return qs.filter(
            longitude__gte=max(min_lon, QUEBEC_MIN_LONGITUDE),
            longitude__lte=min(max_lon, QUEBEC_MAX_LONGITUDE),
            latitude__gte=max(min_lat, QUEBEC_MIN_LATITUDE),
            latitude__lte=min(max_lat, QUEBEC_MAX_LATITUDE),
        )


class NearFilter(django_filters.CharFilter):
    """`near=lat,lon` (or a Québec town): within `radius_km` of it, read by the page's parser."""

    field_class = PlaceField

    def filter(self, qs, value):
        if value is None:
            return qs
        radius = self.parent.form.cleaned_data.get("radius_km") or DEFAULT_RADIUS_KM
        return within(qs, place=value, radius_km=radius)


@extend_schema_field(
    {"type": "integer", "enum": list(RADIUS_CHOICES), "default": DEFAULT_RADIUS_KM}
)
class RadiusFilter(django_filters.TypedChoiceFilter):
    pass


class AnyOfModelsField(EmptyValuesLeftOut, django_filters.fields.ModelMultipleChoiceField):
    pass


class AnyOfModelsFilter(django_filters.ModelMultipleChoiceFilter):
    """Several slugs or codes, the parameter repeated; an empty one is left out."""

    field_class = AnyOfModelsField


class EnterpriseFilter(django_filters.FilterSet):
    # Each facet takes several values, the parameter repeated (`?sector=a&sector=b`): any
    # of them matches, as on the directory page; different facets must all match.
    sector = AnyOfModelsFilter(
        method="in_sectors",
        queryset=Sector.objects.all(),
        to_field_name="slug",
        label=_("Sector (its slug; repeat for several); sub-sectors are not included"),
        error_messages={"invalid_choice": _("There is no sector with this slug.")},
    )
    pole = AnyOfModelsFilter(
        queryset=Pole.objects.all(),
        to_field_name="slug",
        method="any_of",
        label=_("Regional pole (its slug; repeat for several)"),
        error_messages={"invalid_choice": _("There is no pole with this slug.")},
    )
    region = AnyOfModelsFilter(
        queryset=Region.objects.all(),
        to_field_name="code",
        method="any_of",
        label=_("Administrative region (its code, 01 to 17; repeat for several)"),
        error_messages={"invalid_choice": _("There is no region with this code.")},
    )
    legal_form = django_filters.MultipleChoiceFilter(
        choices=LegalForm.choices,
        method="any_of",
        label=_("Legal form (repeat for several)"),
        error_messages={"invalid_choice": _("There is no such legal form.")},
    )
    q = django_filters.CharFilter(
        method="search",
        max_length=MAX_QUERY_LENGTH,
        label=_("Full-text search, as on the site"),
    )
    bbox = BoundingBoxFilter(label=_("Bounding box: min_lon,min_lat,max_lon,max_lat"))
    near = NearFilter(
        max_length=MAX_PLACE_LENGTH,
        label=_(
            "Near a point, latitude,longitude in degrees (or a Québec town's name): only the"
            " enterprises within radius_km of it"
        ),
    )
    radius_km = RadiusFilter(
        choices=[(radius, f"{radius} km") for radius in RADIUS_CHOICES],
        coerce=int,
        method="with_near",
        label=_("With near: the radius in kilometres (5, 10, 25, 50 or 100; default 25)"),
        error_messages={"invalid_choice": NEAR_MESSAGES["radius"]},
    )
    updated_since = updated_since_filter()
    status = django_filters.ChoiceFilter(
        choices=Status.choices,
        method="by_status",
        label=_("Status (draft and archived: signed-in pole staff, for their own poles)"),
        error_messages={"invalid_choice": _("There is no such status.")},
    )

    class Meta:
        model = Enterprise
        fields = [
            "sector",
            "pole",
            "region",
            "legal_form",
            "q",
            "bbox",
            "near",
            "radius_km",
            "updated_since",
            "status",
        ]

    def in_sectors(self, queryset, name, value: list[Sector]):  # the hint: a string in the schema
        return queryset.filter(in_sectors(value)) if value else queryset

    def any_of(self, queryset, name, value):
        return queryset.filter(**{f"{name}__in": value}) if value else queryset

    def search(self, queryset, name, value):
        query = build_query(value)
        return queryset if query is None else queryset.filter(search_vector=query)

    def with_near(self, queryset, name, value):
        # Read by the `near` filter, which applies it.
        return queryset

    def by_status(self, queryset, name, value):
        # Read here, applied by the view through selectors.api_enterprises (the visibility rule).
        return queryset
