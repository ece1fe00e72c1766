from django.apps import AppConfig, apps
from django.contrib.admin import apps as admin_apps
from django.core.signals import request_finished, request_started
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _

# The resources of the API whose deletions are kept as tombstones (enterprises keep theirs).
SYNCED_MODELS = ("poles.Pole", "entreprises.Sector", "evenements.Event", "evenements.Organization")
# Models of those apps that no public page or answer shows: webhooks and their deliveries,
# written at every message, must not empty the public cache.
UNSEEN_MODELS = frozenset(
    {
        "chantier.Webhook",
        "chantier.Webhook_poles",
        "chantier.Webhook_sectors",
        "chantier.Webhook_regions",
        "chantier.WebhookDelivery",
        "chantier.WebhookAttempt",
    }
)


class ChantierConfig(AppConfig):
    name = "chantier"
    verbose_name = _("Portal")

    def ready(self):
        from chantier.signals import enterprise_changed
        from common import after_response
        from common.public_cache import WATCHED_APPS, forget_on_change
        from common.tombstones import record_deletion

        # Any change to a public record makes every cached public response stale.
        # Connected per model: a receiver for every model would stop Django from
        # deleting sessions, users and the like in bulk.
        for model in apps.get_models(include_auto_created=True):
            if model._meta.app_label not in WATCHED_APPS or model._meta.label in UNSEEN_MODELS:
                continue
            uid = f"public-cache-{model._meta.label}"
            post_save.connect(forget_on_change, sender=model, dispatch_uid=uid)
            post_delete.connect(forget_on_change, sender=model, dispatch_uid=uid)
            m2m_changed.connect(forget_on_change, sender=model, dispatch_uid=uid)
        # Partners syncing the API hear of deletions through tombstones, whatever deleted
        # the record (the admin, a cascade, a command): hence a signal, not a service.
        for label in SYNCED_MODELS:
            post_delete.connect(
                record_deletion, sender=apps.get_model(label), dispatch_uid=f"tombstone-{label}"
            )
        # Webhooks send an enterprise's change as soon as its transaction commits.
        for label in ("entreprises.Enterprise", "entreprises.EnterpriseSector"):
            model = apps.get_model(label)
            post_save.connect(enterprise_changed, sender=model, dispatch_uid=f"webhooks-{label}")
            post_delete.connect(enterprise_changed, sender=model, dispatch_uid=f"webhooks-{label}")
        # Work a request leaves for after its response (common/after_response.py).
        request_started.connect(after_response.request_started, dispatch_uid="after-response")
        request_finished.connect(after_response.request_finished, dispatch_uid="after-response")


class PortalAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the portal's site (chantier/admin_site.py)."""

    default = False  # ChantierConfig stays the default configuration of this module

    default_site = "chantier.admin_site.PortalAdminSite"

    def ready(self):
        super().ready()
        # Staff's devices are managed from their account (poles.admin), in plain words.
        from django_otp.plugins.otp_static.models import StaticDevice
        from django_otp.plugins.otp_totp.models import TOTPDevice

        for model in (TOTPDevice, StaticDevice):
            if self.module.site.is_registered(model):
                self.module.site.unregister(model)
