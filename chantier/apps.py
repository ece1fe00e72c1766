from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChantierConfig(AppConfig):
    name = "chantier"
    verbose_name = _("Portal")
