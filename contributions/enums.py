from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Kind(models.TextChoices):
    REPORT = "report", _("error report")
    NEW = "new", _("new enterprise")
    OWNER = "owner", _("change by the owner")


class ContributionStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("contribution status", "pending")
    ACCEPTED = "accepted", pgettext_lazy("contribution status", "accepted")
    PARTLY_ACCEPTED = "partly", pgettext_lazy("contribution status", "partly accepted")
    REJECTED = "rejected", pgettext_lazy("contribution status", "rejected")


# The enterprise's fields a visitor may propose a correction to: the one list the public
# forms, the moderation and the e-mails read. How long each may be is the model field's
# own max_length (contributions.forms.proposed_length).
# Translated fields (entreprises.columns.TRANSLATED) are named without their language: a
# correction goes to the field of the language the visitor wrote in.
CORRECTABLE_FIELDS = (
    "name",
    "street_address",
    "city",
    "postal_code",
    "phone",
    "email",
    "website",
    "description",
)

# What a visitor proposing a new enterprise may tell: the enterprise's fields, the sector
# (a sector's slug) and the region (its code).
NEW_ENTERPRISE_FIELDS = (
    "name_fr",
    "name_en",
    "legal_form",
    "neq",
    "street_address",
    "city",
    "postal_code",
    "phone",
    "email",
    "website",
    "description_fr",
    "description_en",
    "sector",
    "region",
)

# The longest text a visitor may propose for a field the model leaves unbounded (the
# descriptions).
UNBOUNDED_TEXT_MAX_LENGTH = 2000

MESSAGE_MAX_LENGTH = 2000
REASON_MAX_LENGTH = 1000
