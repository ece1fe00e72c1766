from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_staff_groups(sender, using="default", **kwargs):
    from poles.services import sync_staff_groups

    sync_staff_groups()


class PolesConfig(AppConfig):
    name = "poles"
    verbose_name = _("Regional poles")

    def ready(self):
        # After each app's permissions are created (by migrate, or a test's database
        # flush), so that the groups always hold every permission of their role.
        post_migrate.connect(_sync_staff_groups, dispatch_uid="poles_sync_staff_groups")
