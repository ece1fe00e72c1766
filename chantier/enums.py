from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class FigureUnit(models.TextChoices):
    COUNT = "count", pgettext_lazy("figure unit", "count")
    DOLLARS = "dollars", pgettext_lazy("figure unit", "Canadian dollars")
    PERCENT = "percent", pgettext_lazy("figure unit", "percent")


class FigureQualifier(models.TextChoices):
    EXACT = "exact", _("as published")
    MORE_THAN = "more_than", _("more than")
    ABOUT = "about", _("about")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("webhook delivery", "waiting")
    DELIVERED = "delivered", pgettext_lazy("webhook delivery", "delivered")
    FAILED = "failed", pgettext_lazy("webhook delivery", "failed")
