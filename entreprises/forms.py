from django import forms
from django.utils.translation import gettext_lazy as _

from entreprises.enums import LegalForm
from entreprises.models import Sector
from entreprises.selectors import DirectoryFilters
from poles.models import Pole, Region

MAX_QUERY_LENGTH = 200


class DirectoryForm(forms.Form):
    """The directory's search state, read from the GET query string.

    A bad value never breaks the page: it is reported and left out.
    """

    q = forms.CharField(label=_("Search"), max_length=MAX_QUERY_LENGTH, required=False)
    sector = forms.ModelChoiceField(
        label=_("Sector"), queryset=Sector.objects.all(), to_field_name="slug", required=False
    )
    pole = forms.ModelChoiceField(
        label=_("Pole"), queryset=Pole.objects.all(), to_field_name="slug", required=False
    )
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.all(), to_field_name="code", required=False
    )
    legal_form = forms.ChoiceField(
        label=_("Legal form"), choices=[("", "")] + LegalForm.choices, required=False
    )

    error_messages_by_field = {
        "q": _("The search was too long or contained characters it cannot hold; it was ignored."),
        "sector": _("There is no such sector; that filter was ignored."),
        "pole": _("There is no such pole; that filter was ignored."),
        "region": _("There is no such region; that filter was ignored."),
        "legal_form": _("There is no such legal form; that filter was ignored."),
    }

    def filters(self) -> DirectoryFilters:
        """The valid part of the search state."""
        self.is_valid()
        data = {name: value for name, value in self.cleaned_data.items() if value}
        return DirectoryFilters(**data)

    def problems(self) -> list[str]:
        return [str(self.error_messages_by_field[name]) for name in self.errors]
