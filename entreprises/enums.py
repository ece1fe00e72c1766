from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class LegalForm(models.TextChoices):
    COOPERATIVE = "cooperative", _("cooperative")
    NONPROFIT = "nonprofit", _("non-profit organization")
    MUTUAL = "mutual", _("mutual")


class CooperativeType(models.TextChoices):
    """Québec's kinds of cooperative, by who its members are."""

    CONSUMER = "consumer", _("consumer cooperative")
    PRODUCER = "producer", _("producer cooperative")
    WORKER = "worker", _("worker cooperative")
    WORKER_SHAREHOLDER = "worker_shareholder", _("worker-shareholder cooperative")
    SOLIDARITY = "solidarity", _("solidarity cooperative")


class Status(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("enterprise status", "draft")
    PUBLISHED = "published", pgettext_lazy("enterprise status", "published")
    ARCHIVED = "archived", pgettext_lazy("enterprise status", "archived")
