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
