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


class Customer(models.TextChoices):
    """Who an enterprise sells to (solidarity purchasing looks for the last two)."""

    PUBLIC = "public", _("the public")
    BUSINESSES = "businesses", _("businesses")
    PUBLIC_BODIES = "public_bodies", _("public bodies")


class StepFreeAccess(models.TextChoices):
    """Whether a wheelchair user can enter without a step."""

    YES = "yes", pgettext_lazy("step-free access", "yes")
    PARTIAL = "partial", pgettext_lazy("step-free access", "partial")
    NO = "no", pgettext_lazy("step-free access", "no")
    UNKNOWN = "unknown", pgettext_lazy("step-free access", "unknown")


class ImportStatus(models.TextChoices):
    """Where a confirmed spreadsheet import stands; the worker runs it out of the request."""

    WAITING = "waiting", pgettext_lazy("import status", "waiting")
    RUNNING = "running", pgettext_lazy("import status", "under way")
    DONE = "done", pgettext_lazy("import status", "done")
    FAILED = "failed", pgettext_lazy("import status", "not imported")
