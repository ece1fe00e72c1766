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


# The enterprise's fields a visitor may propose a correction to, with each one's longest
# text: the one declaration the public forms, the moderation and the e-mails read.
# Translated fields are named without their language: a correction goes to the field of
# the language the visitor wrote in.
CORRECTABLE_FIELDS = {
    "name": 200,
    "street_address": 200,
    "city": 100,
    "postal_code": 7,
    "phone": 30,
    "email": 254,
    "website": 200,
    "description": 2000,
}
TRANSLATED_FIELDS = frozenset({"name", "description", "mission"})

# What a visitor proposing a new enterprise may tell, besides the sector (a sector's slug)
# and the region (its code).
NEW_ENTERPRISE_FIELDS = {
    "name_fr": 200,
    "name_en": 200,
    "legal_form": 20,
    "neq": 10,
    "street_address": 200,
    "city": 100,
    "postal_code": 7,
    "phone": 30,
    "email": 254,
    "website": 200,
    "description_fr": 2000,
    "description_en": 2000,
    "sector": 150,
    "region": 2,
}

MESSAGE_MAX_LENGTH = 2000
REASON_MAX_LENGTH = 1000
