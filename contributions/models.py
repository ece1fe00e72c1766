from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contributions.enums import MESSAGE_MAX_LENGTH, REASON_MAX_LENGTH, ContributionStatus, Kind


class ContributionQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=ContributionStatus.PENDING)


class Contribution(models.Model):
    """What someone outside the staff sent: an error report, a new enterprise, or an
    owner's change. Nothing in it is published until a pole's staff accept it."""

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ContributionStatus.choices,
        default=ContributionStatus.PENDING,
    )
    enterprise = models.ForeignKey(
        "entreprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contributions",
        help_text=_("For a new enterprise: the record made when it was accepted."),
    )
    # Whose queue it is in; none: the national team's.
    pole = models.ForeignKey(
        "poles.Pole",
        verbose_name=_("pole"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contributions",
    )
    message = models.TextField(_("message"), max_length=MESSAGE_MAX_LENGTH, blank=True)
    # Field name → proposed text (see enums.CORRECTABLE_FIELDS and NEW_ENTERPRISE_FIELDS).
    proposed = models.JSONField(_("proposed values"), default=dict, blank=True)
    email = models.EmailField(_("sender's email"), blank=True)
    language = models.CharField(_("sender's language"), max_length=2, choices=settings.LANGUAGES)
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Field name → the value written, once accepted (staff may have edited it).
    accepted = models.JSONField(_("accepted values"), default=dict, blank=True)
    reason = models.TextField(_("reason"), max_length=REASON_MAX_LENGTH, blank=True)

    objects = ContributionQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=Kind.values), name="contributions_contribution_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ContributionStatus.values),
                name="contributions_contribution_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status=ContributionStatus.PENDING) | Q(decided_at__isnull=False),
                name="contributions_contribution_decided_when_decided",
            ),
        ]
        indexes = [
            models.Index(fields=["pole", "status", "submitted_at"], name="contribution_queue"),
        ]

    def __str__(self):
        subject = self.enterprise or self.proposed.get("name_fr", "")
        return f"{self.get_kind_display()} #{self.pk}: {subject}"


class OwnerLink(models.Model):
    """A sign-in link sent to an enterprise's listed e-mail: it lets that person propose
    changes to that record only, once, within OWNER_LINK_HOURS. The link's token is this
    row's id, signed; the row says whether it was used."""

    enterprise = models.ForeignKey(
        "entreprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="owner_links",
    )
    email = models.EmailField(_("email"))
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    used_at = models.DateTimeField(_("used"), null=True, blank=True)

    class Meta:
        verbose_name = _("owner's sign-in link")
        verbose_name_plural = _("owners' sign-in links")

    def __str__(self):
        return f"{self.enterprise} — {self.email}"


class TrustedOwner(models.Model):
    """An owner whose later changes to this enterprise publish directly (still recorded in
    its history); granted by the pole's staff after a first accepted change."""

    enterprise = models.ForeignKey(
        "entreprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="trusted_owners",
    )
    email = models.EmailField(_("email"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    granted_at = models.DateTimeField(_("granted"), default=timezone.now)

    class Meta:
        verbose_name = _("trusted owner")
        verbose_name_plural = _("trusted owners")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "email"], name="contributions_trustedowner_unique"
            )
        ]

    def __str__(self):
        return f"{self.enterprise} — {self.email}"
