"""The enterprise admin's form: the duplicate warning, the map that places the record, the
sector lines' primary rule, and autocomplete selects that redraw safely when a POST named
no valid choice."""

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from entreprises import images, opening_hours
from entreprises.admin_widgets import CoordinatesMapWidget
from entreprises.enums import Customer
from entreprises.selectors import enterprises_visible_to, possible_duplicates, territory_bounds
from entreprises.services import FALLBACK_SLUG, primary_and_others


class ForgivingAutocompleteSelect(AutocompleteSelect):
    """Django's widget looks the submitted value up to redraw the form: a forged `pole=abc`
    or `region=%00` then fails in the database instead of showing the field's error. Values
    that cannot be a key are left out of the redraw (the form field still rejects them)."""

    def optgroups(self, name, value, attr=None):
        key = self.field.target_field
        return super().optgroups(name, [v for v in value if _is_key(key, v)], attr)


def _is_key(field, value) -> bool:
    if "\x00" in str(value):
        return False
    try:
        field.to_python(value)
    except ValidationError:
        return False
    return True


def forgiving_autocomplete(model_admin, db_field, request, kwargs: dict) -> dict:
    if db_field.name in model_admin.get_autocomplete_fields(request):
        kwargs["widget"] = ForgivingAutocompleteSelect(
            db_field, model_admin.admin_site, using=kwargs.get("using")
        )
    return kwargs


class OpeningHoursField(forms.CharField):
    """Opening hours typed as the spreadsheets write them (entreprises/opening_hours.py)."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        return opening_hours.as_text(value) if isinstance(value, dict) else value

    def to_python(self, value):
        return opening_hours.parse(super().to_python(value))

    def has_changed(self, initial, data):
        try:
            return self.to_python(data) != (initial or {})
        except ValidationError:
            return True


class EnterpriseAdminForm(forms.ModelForm):
    """The admin builds the fields; this adds the duplicate warning to them, the opening
    hours as text, the customers as boxes to tick, and the logo or photo's upload."""

    # Set by EnterpriseAdmin.get_form: a duplicate in another pole is not named to them.
    user = None

    confirm_not_duplicate = forms.BooleanField(
        label=_("This is not a duplicate: save it anyway"), required=False
    )
    place_on_map = forms.Field(
        label=_("Place on the map"),
        required=False,
        widget=CoordinatesMapWidget,
        help_text=_(
            "Click the map or drag the marker: the latitude and longitude fill themselves, "
            "and can still be typed."
        ),
    )

    opening_hours = OpeningHoursField(
        label=_("Opening hours"),
        required=False,
        help_text=_(
            "One line or a semicolon per day or span of days, in French or English: "
            "“lun-ven 9:00-17:00; sam 10:00-12:00, 13:00-16:00”. Days not given are closed."
        ),
    )
    sells_to = forms.TypedMultipleChoiceField(
        label=_("Sells to"),
        choices=Customer.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    image = forms.FileField(
        label=_("Logo or photo"),
        required=False,
        help_text=_("A JPEG, PNG, WebP or GIF image; it is resized for the page."),
    )
    remove_image = forms.BooleanField(label=_("Remove the logo or photo"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "place_on_map" in self.fields and self.user is not None:
            # The map opens on the territory of the user's poles.
            self.fields["place_on_map"].widget.bounds = territory_bounds(user=self.user)

    def clean_image(self):
        """The resized copies of a new image (ValidationError when it is not one)."""
        upload = self.cleaned_data.get("image")
        if not upload:
            return None
        slug = self.instance.slug or slugify(self.data.get("name_fr", "")) or FALLBACK_SLUG
        return images.resized_copies(upload, slug=slug)

    def image_copies(self) -> dict | None | bool:
        """The copies to store, None to remove the image, False to leave it as it is."""
        if self.cleaned_data.get("image"):
            return self.cleaned_data["image"]
        return None if self.cleaned_data.get("remove_image") else False

    def clean(self):
        cleaned_data = super().clean()
        pole = cleaned_data.get("pole")
        if pole is not None and not cleaned_data.get("region") and "region" not in self.errors:
            # A pole that serves a single region places the record in it.
            regions = list(pole.regions.all()[:2])
            if len(regions) == 1:
                cleaned_data["region"] = regions[0]
        keeps_image = bool(self.instance.image_large) and not cleaned_data.get("remove_image")
        if (cleaned_data.get("image") or keeps_image) and not cleaned_data.get("image_alt_fr"):
            self.add_error(
                "image_alt_fr",
                _("Describe the logo or photo for those who cannot see it (in French at least)."),
            )
        duplicates = possible_duplicates(
            name=cleaned_data.get("name_fr") or "",
            city=cleaned_data.get("city") or "",
            exclude_id=self.instance.pk,
        )
        if cleaned_data.get("confirm_not_duplicate") or not duplicates.exists():
            return cleaned_data
        if not duplicates.filter(pk__in=enterprises_visible_to(user=self.user)).exists():
            raise forms.ValidationError(
                _(
                    "Possible duplicate: a record of another pole has the same name in the same "
                    "city. Ask the national team whether it is the same enterprise; if it is "
                    "not, check “This is not a duplicate” to save."
                ),
                code="possible_duplicate",
            )
        raise forms.ValidationError(
            _(
                "Possible duplicate: an enterprise named “%(name)s” already exists in "
                "%(city)s. Make sure it is not the same one, then check “This is not a duplicate” "
                "to save."
            ),
            code="possible_duplicate",
            params={"name": cleaned_data.get("name_fr"), "city": cleaned_data.get("city")},
        )


class EnterpriseSectorFormSet(BaseInlineFormSet):
    """The sector lines, held to the import's rule (services.primary_and_others): a single
    sector is the primary one, several need one ticked."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [
            form
            for form in self.forms
            if form.cleaned_data.get("sector") and not form.cleaned_data.get("DELETE")
        ]
        primary, _others = primary_and_others(
            sectors=[form.cleaned_data["sector"] for form in kept],
            primaries=[
                form.cleaned_data["sector"] for form in kept if form.cleaned_data.get("is_primary")
            ],
        )
        for form in kept:
            form.instance.is_primary = form.cleaned_data["sector"] == primary
            form.cleaned_data["is_primary"] = form.instance.is_primary
