from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EntreprisesConfig(AppConfig):
    name = "entreprises"
    verbose_name = _("Enterprises")

    def ready(self):
        from entreprises import signals  # noqa: F401 (connects the receivers)
