from django import forms
from django.utils.translation import gettext_lazy as _

from entreprises.enums import LegalForm
from entreprises.models import Sector
from entreprises.selectors import DirectoryFilters, DirectorySort
from poles.models import Pole, Region

MAX_QUERY_LENGTH = 200

SORT_CHOICES = [
    (DirectorySort.RELEVANCE, _("Relevance")),
    (DirectorySort.NAME, _("Name")),
    (DirectorySort.UPDATED, _("Recently updated")),
]

# The facets in the order the page shows them: (name, its label).
FACETS = [
    ("sector", _("Sector")),
    ("pole", _("Pole")),
    ("region", _("Region")),
    ("legal_form", _("Legal form")),
]


class DirectoryForm(forms.Form):
    """The directory's search state, read from the GET query string.

    Each facet takes any number of values (`?sector=a&sector=b`). A bad value
    never breaks the page: it is reported and its facet left out.
    """

    q = forms.CharField(label=_("Search"), max_length=MAX_QUERY_LENGTH, required=False)
    sector = forms.ModelMultipleChoiceField(
        label=_("Sector"), queryset=Sector.objects.all(), to_field_name="slug", required=False
    )
    pole = forms.ModelMultipleChoiceField(
        label=_("Pole"), queryset=Pole.objects.all(), to_field_name="slug", required=False
    )
    region = forms.ModelMultipleChoiceField(
        label=_("Region"), queryset=Region.objects.all(), to_field_name="code", required=False
    )
    legal_form = forms.MultipleChoiceField(
        label=_("Legal form"), choices=LegalForm.choices, required=False
    )
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)

    error_messages_by_field = {
        "q": _("The search was too long or contained characters it cannot hold; it was ignored."),
        "sector": _("There is no such sector; that filter was ignored."),
        "pole": _("There is no such pole; that filter was ignored."),
        "region": _("There is no such region; that filter was ignored."),
        "legal_form": _("There is no such legal form; that filter was ignored."),
        "sort": _("There is no such order; the default one is used."),
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
            sort=data.get("sort", ""),
        )

    def problems(self) -> list[str]:
        return [str(self.error_messages_by_field[name]) for name in self.errors]
