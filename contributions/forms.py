"""The public forms: an error report and a new enterprise, both guarded the same way."""

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.core.validators import validate_email
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from common.validators import normalize_postal_code, validate_neq, validate_postal_code
from contributions.enums import (
    CORRECTABLE_FIELDS,
    MESSAGE_MAX_LENGTH,
    NEW_ENTERPRISE_FIELDS,
    REASON_MAX_LENGTH,
    UNBOUNDED_TEXT_MAX_LENGTH,
)
from contributions.guards import form_token, token_problem
from contributions.models import Contribution
from entreprises.columns import TRANSLATED
from entreprises.enums import LegalForm
from entreprises.models import Enterprise, Sector
from poles.models import Region

HONEYPOT = "homepage"

CORRECTION_LABELS = {
    "name": _("Name"),
    "street_address": _("Street address"),
    "city": _("Town"),
    "postal_code": _("Postal code"),
    "phone": _("Phone"),
    "email": _("Enterprise's email"),
    "website": _("Website"),
    "description": _("Description"),
}
CORRECTION_VALIDATORS = {"email": [validate_email]}


def proposed_length(name: str) -> int:
    """The longest text a proposed field takes: its model field's, so that what a form
    accepts always fits the record."""
    if name == "sector":
        return Sector._meta.get_field("slug").max_length
    if name == "region":
        return Region._meta.get_field("code").max_length
    try:
        field = Enterprise._meta.get_field(name)
    except FieldDoesNotExist:
        return UNBOUNDED_TEXT_MAX_LENGTH
    return field.max_length or UNBOUNDED_TEXT_MAX_LENGTH


def postal_code(value: str) -> str:
    """ "h2x1y4" is accepted as "H2X 1Y4"."""
    value = normalize_postal_code(value)
    if value:
        validate_postal_code(value)
    return value


class GuardedForm(forms.Form):
    """A public form: a signed start time, and a field only robots fill."""

    started = forms.CharField(widget=forms.HiddenInput, max_length=200)
    homepage = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    reply_to = forms.EmailField(
        label=_("Your email (optional)"),
        required=False,
        max_length=Contribution._meta.get_field("email").max_length,
        help_text=_("Only to tell you what became of your message. It is never published."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["started"] = form_token()

    @property
    def is_robot(self) -> bool:
        """The hidden field was filled: answered as if accepted, and nothing kept."""
        return bool(self.data.get(HONEYPOT))

    def clean_started(self):
        problem = token_problem(self.cleaned_data["started"])
        if problem == "too_fast":
            raise forms.ValidationError(
                _("This form was sent very quickly. Please check it and send it again.")
            )
        if problem:
            raise forms.ValidationError(
                _("This form has expired. Please check it and send it again.")
            )
        return self.cleaned_data["started"]

    def refresh_token(self):
        """A form shown again carries a new start time."""
        data = self.data.copy()
        data["started"] = form_token()
        self.data = data


class ReportForm(GuardedForm):
    field_order = ["message", *(f"new_{name}" for name in CORRECTABLE_FIELDS), "reply_to"]

    message = forms.CharField(
        label=_("What is wrong?"),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in CORRECTABLE_FIELDS:
            length = proposed_length(name)
            widget = forms.Textarea(attrs={"rows": 4}) if length > 500 else forms.TextInput
            self.fields[f"new_{name}"] = forms.CharField(
                label=CORRECTION_LABELS[name],
                required=False,
                max_length=length,
                widget=widget,
                validators=CORRECTION_VALIDATORS.get(name, []),
            )

    def clean_new_postal_code(self):
        return postal_code(self.cleaned_data["new_postal_code"])

    def corrections(self) -> dict[str, str]:
        return {name: self.cleaned_data[f"new_{name}"] for name in CORRECTABLE_FIELDS}


class NewEnterpriseForm(GuardedForm):
    field_order = [
        "name_fr",
        "name_en",
        "legal_form",
        "sector",
        "city",
        "region",
        "street_address",
        "postal_code",
        "phone",
        "email",
        "website",
        "neq",
        "description_fr",
        "description_en",
        "message",
        "reply_to",
    ]

    name_fr = forms.CharField(label=_("Name in French"), max_length=proposed_length("name_fr"))
    name_en = forms.CharField(
        label=_("Name in English"), max_length=proposed_length("name_en"), required=False
    )
    legal_form = forms.ChoiceField(
        label=_("Legal form"),
        required=False,
        choices=[("", pgettext_lazy("legal form", "I do not know")), *LegalForm.choices],
    )
    sector = forms.ModelChoiceField(
        label=_("Main sector of activity"),
        queryset=Sector.objects.order_by("name_fr"),
        to_field_name="slug",
    )
    city = forms.CharField(label=_("Town"), max_length=proposed_length("city"))
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.order_by("code"),
        to_field_name="code",
        required=False,
        empty_label=pgettext_lazy("region", "I do not know"),
    )
    street_address = forms.CharField(
        label=_("Street address"), max_length=proposed_length("street_address"), required=False
    )
    postal_code = forms.CharField(
        label=_("Postal code"), max_length=proposed_length("postal_code"), required=False
    )
    phone = forms.CharField(label=_("Phone"), max_length=proposed_length("phone"), required=False)
    email = forms.EmailField(
        label=_("Enterprise's email"), max_length=proposed_length("email"), required=False
    )
    website = forms.URLField(
        label=_("Website"),
        max_length=proposed_length("website"),
        required=False,
        assume_scheme="https",
    )
    neq = forms.CharField(
        label=_("Québec enterprise number (NEQ)"),
        max_length=proposed_length("neq"),
        required=False,
        validators=[validate_neq],
    )
    description_fr = forms.CharField(
        label=_("Description in French"),
        max_length=proposed_length("description_fr"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    description_en = forms.CharField(
        label=_("Description in English"),
        max_length=proposed_length("description_en"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    message = forms.CharField(
        label=_("Anything else we should know? (optional)"),
        max_length=MESSAGE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_postal_code(self):
        return postal_code(self.cleaned_data["postal_code"])

    def proposed_fields(self) -> dict[str, str]:
        data = self.cleaned_data
        fields = {
            name: data[name]
            for name in NEW_ENTERPRISE_FIELDS
            if name not in {"sector", "region"} and data.get(name)
        }
        fields["sector"] = data["sector"].slug
        return fields


class OwnerRequestForm(GuardedForm):
    reply_to = forms.EmailField(
        label=_("The enterprise's email, as listed on its page"),
        max_length=proposed_length("email"),
        help_text=_("We send a sign-in link to this address if it is the one on file."),
    )


# What an owner may change.
OWNER_FIELDS = (
    "name_fr",
    "name_en",
    "description_fr",
    "description_en",
    *(name for name in CORRECTABLE_FIELDS if name not in TRANSLATED),
)


class OwnerEditForm(forms.Form):
    """The owner's form, prefilled with the record."""

    def __init__(self, *args, enterprise, **kwargs):
        super().__init__(*args, **kwargs)
        for name in OWNER_FIELDS:
            length = proposed_length(name)
            self.fields[name] = forms.CharField(
                label=proposed_label(name),
                required=name == "name_fr",
                max_length=length,
                initial=getattr(enterprise, name) or "",
                widget=forms.Textarea(attrs={"rows": 4}) if length > 500 else forms.TextInput,
            )

    def clean_postal_code(self):
        return postal_code(self.cleaned_data["postal_code"])

    def values(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in OWNER_FIELDS}


class ReviewForm(forms.Form):
    """The moderation of one contribution: which proposed values to keep, each editable,
    then accept them or reject the whole with a reason."""

    decision = forms.ChoiceField(
        choices=[("accept", _("Accept the ticked values")), ("reject", _("Reject"))]
    )
    reason = forms.CharField(
        label=_("Reason (told to the sender)"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    not_duplicate = forms.BooleanField(
        label=_("This is not a duplicate: accept it anyway"), required=False
    )

    def __init__(self, *args, contribution, **kwargs):
        super().__init__(*args, **kwargs)
        self.contribution = contribution
        for name, value in contribution.proposed.items():
            self.fields[f"accept__{name}"] = forms.BooleanField(
                label=_("Accept"), required=False, initial=True
            )
            self.fields[f"value__{name}"] = forms.CharField(
                label=proposed_label(name),
                required=False,
                initial=value,
                max_length=proposed_length(name),
            )

    def rows(self, *, current) -> list[dict]:
        """Field by field: its label, the value now, and the proposed one to keep or edit."""
        return [
            {
                "label": proposed_label(name),
                "current": "" if current is None else getattr(current, name, ""),
                "accept": self[f"accept__{name}"],
                "value": self[f"value__{name}"],
            }
            for name in self.contribution.proposed
        ]

    def accepted_values(self) -> dict[str, str]:
        return {
            name: self.cleaned_data[f"value__{name}"]
            for name in self.contribution.proposed
            if self.cleaned_data[f"accept__{name}"]
        }


def proposed_label(name: str) -> str:
    if name == "sector":
        return str(_("Main sector of activity (slug)"))
    if name == "region":
        return str(_("Region (code)"))
    return str(capfirst(Enterprise._meta.get_field(name).verbose_name))
