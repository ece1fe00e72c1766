"""The admin's autocomplete select, redrawn safely when a POST named no valid choice."""

from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError


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
