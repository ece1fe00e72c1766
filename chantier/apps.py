from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _


class ChantierConfig(AppConfig):
    name = "chantier"
    verbose_name = _("Portal")

    def ready(self):
        from chantier.public_cache import forget_on_change

        # Any change to a public record makes every cached public response stale.
        for name, signal in (
            ("post_save", post_save),
            ("post_delete", post_delete),
            ("m2m_changed", m2m_changed),
        ):
            signal.connect(forget_on_change, dispatch_uid=f"public-cache-{name}")
