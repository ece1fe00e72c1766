import secrets
import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chantier.enums import DeliveryStatus, FigureQualifier, FigureUnit
from chantier.outbound import check_outbound_url
from common.model_mixins import french_required


class KeyFigure(models.Model):
    """A published figure (ISQ portrait, the Chantier's own documents), never a live count."""

    key = models.SlugField(_("key"), max_length=80, unique=True)
    label = models.CharField(_("label"), max_length=200)
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=20, choices=FigureUnit.choices)
    qualifier = models.CharField(
        _("qualifier"),
        max_length=20,
        choices=FigureQualifier.choices,
        default=FigureQualifier.EXACT,
    )
    year = models.PositiveSmallIntegerField(
        _("year of the data"),
        null=True,
        blank=True,
        help_text=_("Empty when the source gives none."),
    )
    region = models.ForeignKey(
        "poles.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="key_figures",
    )
    source = models.TextField(_("source"))
    source_url = models.URLField(_("source address"), blank=True)
    note = models.TextField(_("note"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    featured = models.BooleanField(_("featured on the home page"), default=False)

    class Meta:
        ordering = ["position", "key"]
        verbose_name = _("key figure")
        verbose_name_plural = _("key figures")
        constraints = [
            french_required("label"),
            french_required("source"),
            models.CheckConstraint(
                condition=Q(value__gte=0), name="chantier_keyfigure_value_not_negative"
            ),
            models.CheckConstraint(
                condition=~Q(unit="percent") | Q(value__lte=100),
                name="chantier_keyfigure_percent_at_most_100",
            ),
        ]

    def __str__(self):
        return f"{self.label} ({self.year or '—'})"


class ApiKey(models.Model):
    """A partner's key to the API: a higher rate limit, nothing more.

    Only a SHA-256 digest of the key is kept; the key itself is shown once, when
    it is created (`chantier.apikeys.create_api_key`). Keys are long random
    tokens, so a fast digest is enough: there is nothing to guess.
    """

    name = models.CharField(_("partner"), max_length=200, help_text=_("Who holds this key."))
    prefix = models.CharField(
        _("prefix"), max_length=12, editable=False, help_text=_("The first characters of the key.")
    )
    hashed_key = models.CharField(_("key digest"), max_length=64, unique=True, editable=False)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class RateWindow(models.Model):
    """An API caller's rate window: when it opened and how many requests it has counted.

    Written only by chantier.rate_windows, one statement per request. The table is
    unlogged (migration 0006): a count lost in a crash costs nothing, and a request
    waits for no write-ahead log. No index but the key, so an update stays on its page.
    """

    key = models.TextField(primary_key=True)
    opened_at = models.DateTimeField()
    count = models.PositiveIntegerField()

    def __str__(self):
        return f"{self.key}: {self.count} since {self.opened_at:%H:%M:%S}"


class OpenDataRelease(models.Model):
    """A dated open-data release: its files in the media storage, never rewritten.

    `files` lists each file written, as {"name", "path", "media_type", "bytes",
    "sha256"}, `datapackage.json` last (chantier.releases writes them).
    """

    identifier = models.CharField(_("identifier"), max_length=20, unique=True, editable=False)
    released_on = models.DateField(_("release date"), unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    files = models.JSONField(_("files"), default=list, editable=False)
    counts = models.JSONField(_("records per table"), default=dict, editable=False)

    class Meta:
        ordering = ["-released_on"]
        verbose_name = _("open-data release")
        verbose_name_plural = _("open-data releases")

    def __str__(self):
        return self.identifier


def new_webhook_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


class Webhook(models.Model):
    """A partner's address, told of every change of the enterprises it follows.

    Deliveries are signed with `secret` (HMAC-SHA256, chantier.webhooks). `synced_until`
    and `synced_after_id` are where its feed stands: the (updated_at, id) of the last
    change sent, in the order of the API's sync.
    """

    api_key = models.ForeignKey(
        ApiKey, verbose_name=_("API key"), on_delete=models.CASCADE, related_name="webhooks"
    )
    url = models.URLField(
        _("address"),
        max_length=500,
        validators=[check_outbound_url],
        help_text=_("Where the portal sends each change, by an HTTPS POST request."),
    )
    email = models.EmailField(
        _("contact e-mail"),
        help_text=_("Told when deliveries keep failing and the webhook is turned off."),
    )
    poles = models.ManyToManyField(
        "poles.Pole",
        verbose_name=_("poles"),
        blank=True,
        help_text=_("Only enterprises of these poles; leave empty for every pole."),
    )
    sectors = models.ManyToManyField(
        "entreprises.Sector",
        verbose_name=_("sectors"),
        blank=True,
        help_text=_("Only enterprises of these sectors; leave empty for every sector."),
    )
    regions = models.ManyToManyField(
        "poles.Region",
        verbose_name=_("regions"),
        blank=True,
        help_text=_("Only enterprises of these regions; leave empty for every region."),
    )
    secret = models.CharField(
        _("signing secret"), max_length=80, default=new_webhook_secret, editable=False
    )
    is_active = models.BooleanField(_("active"), default=True)
    consecutive_failures = models.PositiveIntegerField(
        _("failed attempts in a row"), default=0, editable=False
    )
    disabled_at = models.DateTimeField(_("turned off"), null=True, blank=True, editable=False)
    synced_until = models.DateTimeField(default=timezone.now, editable=False)
    synced_after_id = models.BigIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["api_key", "id"]
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")

    def __str__(self):
        return self.url


class WebhookDelivery(models.Model):
    """One message to a webhook: a page of changes in the shape of the API's sync."""

    webhook = models.ForeignKey(
        Webhook, verbose_name=_("webhook"), on_delete=models.CASCADE, related_name="deliveries"
    )
    uuid = models.UUIDField(_("message id"), default=uuid.uuid4, unique=True, editable=False)
    payload = models.JSONField(_("message"), editable=False)
    status = models.CharField(
        _("state"),
        max_length=20,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.PENDING,
        editable=False,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")

    def __str__(self):
        return str(self.uuid)


class WebhookAttempt(models.Model):
    """One try at sending a delivery, and what the partner's server answered."""

    delivery = models.ForeignKey(
        WebhookDelivery,
        verbose_name=_("webhook delivery"),
        on_delete=models.CASCADE,
        related_name="attempts",
    )
    attempted_at = models.DateTimeField(_("tried"), auto_now_add=True)
    status_code = models.PositiveSmallIntegerField(_("answer code"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    succeeded = models.BooleanField(_("succeeded"), default=False)

    class Meta:
        ordering = ["attempted_at", "id"]
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")

    def __str__(self):
        return f"{self.delivery_id} {self.attempted_at:%Y-%m-%d %H:%M:%S}"
