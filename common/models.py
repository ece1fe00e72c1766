"""What the shared base keeps in the database: the deletions partners must hear of."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DeletedRecord(models.Model):
    """A pole, sector, event or organization deleted for good (common/tombstones.py).

    Enterprises are archived rather than deleted, and keep their own table
    (entreprises.EnterpriseTombstone) for the rare deletion for good.
    """

    kind = models.CharField(_("kind"), max_length=60)  # the model's label, e.g. "poles.pole"
    record_id = models.BigIntegerField(_("record id"))
    slug = models.CharField(_("identifier"), max_length=220)
    deleted_at = models.DateTimeField(_("deletion time"), default=timezone.now)

    class Meta:
        verbose_name = _("deleted record")
        verbose_name_plural = _("deleted records")
        constraints = [
            models.UniqueConstraint(fields=["kind", "record_id"], name="common_deleted_record_once")
        ]
        indexes = [
            models.Index(fields=["kind", "deleted_at", "record_id"], name="deleted_record_sync"),
        ]

    def __str__(self):
        return f"{self.kind} {self.slug}"
