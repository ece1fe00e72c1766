from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class EventKind(models.TextChoices):
    SUMMIT = "summit", pgettext_lazy("event kind", "summit")
    FORUM = "forum", pgettext_lazy("event kind", "forum")
    SYMPOSIUM = "symposium", pgettext_lazy("event kind", "symposium")
    CONFERENCE = "conference", pgettext_lazy("event kind", "conference")
    MEETING = "meeting", pgettext_lazy("event kind", "international meeting")
    MISSION = "mission", pgettext_lazy("event kind", "mission")
    MILESTONE = "milestone", pgettext_lazy("event kind", "milestone")


class OrganizationKind(models.TextChoices):
    INTERNATIONAL = "international", _("international organization")
    DEVELOPMENT_BANK = "development_bank", _("development bank")
    NETWORK = "network", _("network")
    GOVERNMENT = "government", _("government")
    MUNICIPALITY = "municipality", _("municipality")
    FINANCE = "finance", _("solidarity finance")
    SOCIAL_ECONOMY = "social_economy", _("social economy organization")
    UNION = "union", _("trade union federation")


# The organizations page's sections, in this order: the Québec social economy first.
ORGANIZATION_KIND_HEADINGS = {
    OrganizationKind.SOCIAL_ECONOMY: _("Social economy organizations"),
    OrganizationKind.FINANCE: _("Solidarity finance"),
    OrganizationKind.GOVERNMENT: _("Governments"),
    OrganizationKind.MUNICIPALITY: _("Municipalities"),
    OrganizationKind.NETWORK: _("Networks"),
    OrganizationKind.INTERNATIONAL: _("International organizations"),
    OrganizationKind.DEVELOPMENT_BANK: _("Development banks"),
    OrganizationKind.UNION: _("Trade union federations"),
}
