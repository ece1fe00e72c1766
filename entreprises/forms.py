from django import forms
from django.utils.translation import gettext_lazy as _

from common.validators import parse_bbox
from entreprises.enums import LegalForm
from entreprises.models import Sector
from entreprises.nearby import (
    DEFAULT_RADIUS_KM,
    MAX_PLACE_LENGTH,
    NEAR_MESSAGES,
    RADIUS_CHOICES,
    parse_near,
)
from entreprises.selectors import DirectoryFilters, DirectorySort
from poles.models import Pole, Region

MAX_QUERY_LENGTH = 200

SORT_CHOICES = [
    (DirectorySort.RELEVANCE, _("Relevance")),
    (DirectorySort.NAME, _("Name")),
    (DirectorySort.UPDATED, _("Recently updated")),
    (DirectorySort.NEAREST, _("Nearest")),
]

# The facets in the order the page shows them: (name, its label).
FACETS = [
    ("sector", _("Sector")),
    ("pole", _("Pole")),
    ("region", _("Region")),
    ("legal_form", _("Legal form")),
]


class EmptyValuesLeftOut:
    """For a field of several values: an empty one (a drop-down's "every value", a
    parameter left blank) is no value, not a wrong one."""

    def clean(self, value):
        values = [item for item in value or () if item != ""]
        # Nothing chosen is no value, without asking the field: a model field would answer
        # with an empty QuerySet, whose reading costs the compilation of a query.
        return super().clean(values) if values or self.required else []


class AnyOfModels(EmptyValuesLeftOut, forms.ModelMultipleChoiceField):
    pass


class AnyOfChoices(EmptyValuesLeftOut, forms.MultipleChoiceField):
    pass


class BoundingBoxField(forms.CharField):
    """`min_lon,min_lat,max_lon,max_lat`, read by the one parser the map and the API share."""

    def clean(self, value):
        return parse_bbox(super().clean(value))


class PlaceField(forms.CharField):
    """A Québec town of the gazetteer, or `latitude,longitude`: a `Place`, or None."""

    def clean(self, value):
        return parse_near(super().clean(value))


class DirectoryForm(forms.Form):
    """The directory's search state, read from the GET query string.

    Each facet takes any number of values (`?sector=a&sector=b`). A bad value
    never breaks the page: it is reported and its facet left out.
    """

    q = forms.CharField(label=_("Search"), max_length=MAX_QUERY_LENGTH, required=False)
    sector = AnyOfModels(
        label=_("Sector"), queryset=Sector.objects.all(), to_field_name="slug", required=False
    )
    pole = AnyOfModels(
        label=_("Pole"), queryset=Pole.objects.all(), to_field_name="slug", required=False
    )
    region = AnyOfModels(
        label=_("Region"), queryset=Region.objects.all(), to_field_name="code", required=False
    )
    legal_form = AnyOfChoices(label=_("Legal form"), choices=LegalForm.choices, required=False)
    bbox = BoundingBoxField(label=_("Map area"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)
    near = PlaceField(label=_("Near"), max_length=MAX_PLACE_LENGTH, required=False)
    radius_km = forms.TypedChoiceField(
        label=_("Within"),
        choices=[(radius, f"{radius} km") for radius in RADIUS_CHOICES],
        coerce=int,
        empty_value=DEFAULT_RADIUS_KM,
        required=False,
        error_messages={"invalid_choice": NEAR_MESSAGES["radius"]},
    )

    error_messages_by_field = {
        "q": _("The search was too long or contained characters it cannot hold; it was ignored."),
        "sector": _("There is no such sector; that filter was ignored."),
        "pole": _("There is no such pole; that filter was ignored."),
        "region": _("There is no such region; that filter was ignored."),
        "legal_form": _("There is no such legal form; that filter was ignored."),
        "bbox": _("The map area was not understood; that filter was ignored."),
        "sort": _("There is no such order; the default one is used."),
        "radius_km": _("The radius must be 5, 10, 25, 50 or 100 km; 25 km was used."),
    }

    def filters(self) -> DirectoryFilters:
        """The valid part of the search state."""
        self.is_valid()
        data = self.cleaned_data
        return DirectoryFilters(
            q=data.get("q", ""),
            sector=tuple(data.get("sector", ())),
            pole=tuple(data.get("pole", ())),
            region=tuple(data.get("region", ())),
            legal_form=tuple(data.get("legal_form", ())),
            bbox=data.get("bbox"),
            sort=data.get("sort", ""),
            near=data.get("near"),
            radius_km=data.get("radius_km") or DEFAULT_RADIUS_KM,
            # A place asked for but not found: nothing matches, rather than everywhere.
            place_unknown="near" in self.errors,
        )

    def problems(self) -> list[str]:
        """What was wrong with the query string, one message per field, for the page."""
        return [
            # The place's own message names what was typed.
            self.errors[name][0] if name == "near" else str(self.error_messages_by_field[name])
            for name in self.errors
        ]


class MapViewForm(forms.Form):
    """Where the map looks (`lat`, `lon`, `z`), kept in its address as it moves.

    All three or none: a part missing or out of range leaves the map to fit the results.
    """

    lat = forms.FloatField(min_value=-90, max_value=90)
    lon = forms.FloatField(min_value=-180, max_value=180)
    z = forms.IntegerField(min_value=0, max_value=18)

    def is_given(self) -> bool:
        return any(self.data.get(name) for name in self.fields)

    def view(self) -> dict | None:
        """The centre and zoom asked for, or None when the address holds no valid view."""
        if not self.is_given() or not self.is_valid():
            return None
        return self.cleaned_data

    def problems(self) -> list[str]:
        if not self.is_given() or self.is_valid():
            return []
        message = _("The map's position in the address was not understood; it shows every result.")
        return [str(message)]
