"""Webhooks: partners are sent each change of the enterprises they follow, as it happens.

The changes are read exactly as the API's sync reads them (records changed after a
point, tombstones of those that left, `out_of_filter` for those that left the
webhook's filters), from where each webhook's feed stands, so that every write
path (a form, a bulk action, an import, a deletion) reaches partners, even those
that send no signal. A message is a page of that sync (`results`, `tombstones`),
signed with the webhook's secret: header `Webhook-Signature: t=<unix time>,v1=<hex
HMAC-SHA256 of "<t>.<body>">`.
"""

import hashlib
import hmac
import json
import time
from datetime import UTC, timedelta
from heapq import merge
from operator import itemgetter

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone
from rest_framework import serializers
from rest_framework.utils.encoders import JSONEncoder

from chantier.enums import DeliveryStatus
from chantier.models import ApiKey, Webhook, WebhookAttempt, WebhookDelivery
from chantier.outbound import post_json
from chantier.releases import site_address_context
from common.api.sync import TombstoneSerializer
from common.tombstones import Tombstone
from entreprises.api.serializers import EnterpriseSerializer
from entreprises.api.views import EnterpriseViewSet
from entreprises.selectors import api_enterprises, in_sectors, tombstones_since

SIGNATURE_HEADER = "Webhook-Signature"
ID_HEADER = "Webhook-Id"
MESSAGE_TYPE = "enterprises.changed"
# Changes per message, as a page of the sync.
PAGE_SIZE = 100


def signature(*, secret: str, body: bytes, timestamp: int) -> str:
    """The `Webhook-Signature` value of `body` sent at `timestamp` (Unix seconds)."""
    signed = f"{timestamp}.".encode() + body
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


# --- Registering ---------------------------------------------------------------------


@transaction.atomic
def create_webhook(
    *, api_key: ApiKey, url: str, email: str, poles=(), sectors=(), regions=()
) -> Webhook:
    """A new webhook for the partner of `api_key`, told of changes from now on.

    Raises ValidationError for an address that is not http(s) to a public host.
    """
    webhook = Webhook(api_key=api_key, url=url, email=email)
    webhook.full_clean()
    webhook.save()
    webhook.poles.set(poles)
    webhook.sectors.set(sectors)
    webhook.regions.set(regions)
    return webhook


def delete_webhook(*, webhook: Webhook) -> None:
    webhook.delete()


def set_webhook_active(*, webhook: Webhook, active: bool) -> None:
    """Turn a webhook on (again: its count of failures starts over) or off by hand."""
    Webhook.objects.filter(pk=webhook.pk).update(
        is_active=active,
        consecutive_failures=0 if active else F("consecutive_failures"),
        disabled_at=None if active else timezone.now(),
    )


# --- Reading the changes ---------------------------------------------------------------


def followed(webhook: Webhook):
    """The published enterprises `webhook` follows, or None when it follows them all.

    The API's own filters: any of the poles, any of the regions, any of the sectors.
    """
    poles, regions = list(webhook.poles.all()), list(webhook.regions.all())
    sectors = list(webhook.sectors.all())
    if not (poles or regions or sectors):
        return None
    enterprises = api_enterprises(user=AnonymousUser())
    if poles:
        enterprises = enterprises.filter(pole__in=poles)
    if regions:
        enterprises = enterprises.filter(region__in=regions)
    if sectors:
        enterprises = enterprises.filter(in_sectors(sectors))
    return enterprises


def pending_changes(webhook: Webhook, *, limit: int) -> list:
    """The next `limit` changes after where the webhook's feed stands, in sync order:
    enterprises (published, in its filters) and tombstones."""
    kept = followed(webhook)
    position = (webhook.synced_until, webhook.synced_after_id)
    moment, pk = position
    records = (
        (kept if kept is not None else api_enterprises(user=AnonymousUser()))
        .filter(Q(updated_at__gt=moment) | Q(updated_at=moment, id__gt=pk))
        .order_by("updated_at", "id")
    )
    records = EnterpriseViewSet().with_details(records)[:limit]
    # `since` is exclusive and `after` the exact position: a tombstone at the same
    # instant as the last change sent, with a higher id, still comes.
    gone = tombstones_since(
        since=moment - timedelta(microseconds=1), after=position, limit=limit, kept=kept
    )
    entries = merge(
        [((record.updated_at, record.pk), record) for record in records],
        [(tombstone.position, tombstone) for tombstone in gone],
        key=itemgetter(0),
    )
    return [entry for _position, entry in list(entries)[:limit]]


def message(changes: list, *, uuid) -> dict:
    """A page of the sync: the records and the tombstones, as the API gives them."""
    context = site_address_context()
    records = [change for change in changes if not isinstance(change, Tombstone)]
    tombstones = [change for change in changes if isinstance(change, Tombstone)]
    # Dates in UTC ("Z"), as the API gives them.
    with timezone.override(UTC):
        return {
            "id": str(uuid),
            "type": MESSAGE_TYPE,
            "created_at": serializers.DateTimeField().to_representation(timezone.now()),
            "results": EnterpriseSerializer(records, many=True, context=context).data,
            "tombstones": TombstoneSerializer(tombstones, many=True).data,
        }


def _position(change) -> tuple:
    if isinstance(change, Tombstone):
        return change.position
    return (change.updated_at, change.pk)


def dispatch_changes() -> list[WebhookDelivery]:
    """For each active webhook, its changes since its last message, as new deliveries
    (each sent by a job, deferred in the same transaction). Returns the deliveries."""
    from chantier.tasks import deliver_webhook  # noqa: PLC0415 (the jobs import this module)

    created = []
    active = Webhook.objects.filter(is_active=True, api_key__revoked_at__isnull=True)
    for webhook_id in active.values_list("id", flat=True):
        with transaction.atomic():
            webhook = Webhook.objects.select_for_update().filter(pk=webhook_id).first()
            if webhook is None or not webhook.is_active:
                continue
            while changes := pending_changes(webhook, limit=PAGE_SIZE):
                delivery = WebhookDelivery(webhook=webhook)
                delivery.payload = json.loads(
                    json.dumps(message(changes, uuid=delivery.uuid), cls=JSONEncoder)
                )
                delivery.save()
                webhook.synced_until, webhook.synced_after_id = _position(changes[-1])
                webhook.save(update_fields=["synced_until", "synced_after_id"])
                deliver_webhook.defer(delivery_id=delivery.pk)
                created.append(delivery)
    return created


# --- Sending -------------------------------------------------------------------------


def send_delivery(*, delivery: WebhookDelivery, last_try: bool) -> WebhookAttempt:
    """One attempt: POST the signed message, and log what the partner's server answered.

    A failure counts against the webhook; WEBHOOK_MAX_FAILURES in a row turn it off and
    tell its partner. `last_try`: no retry will follow, so a failure fails the delivery.
    """
    webhook = delivery.webhook
    body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()
    outcome = post_json(
        webhook.url,
        body=body,
        headers={
            ID_HEADER: str(delivery.uuid),
            SIGNATURE_HEADER: signature(
                secret=webhook.secret, body=body, timestamp=int(time.time())
            ),
            "User-Agent": "PortailEconomieSociale-Webhooks/1",
        },
    )
    attempt = WebhookAttempt.objects.create(
        delivery=delivery,
        status_code=outcome.status_code,
        error=outcome.error,
        duration_ms=outcome.duration_ms,
        succeeded=outcome.succeeded,
    )
    if outcome.succeeded:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.DELIVERED, delivered_at=timezone.now()
        )
        Webhook.objects.filter(pk=webhook.pk).update(consecutive_failures=0)
        return attempt
    if last_try:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.FAILED)
    Webhook.objects.filter(pk=webhook.pk).update(consecutive_failures=F("consecutive_failures") + 1)
    webhook.refresh_from_db(fields=["consecutive_failures", "is_active"])
    if webhook.is_active and webhook.consecutive_failures >= settings.WEBHOOK_MAX_FAILURES:
        turn_off(webhook=webhook, last_error=outcome.error)
    return attempt


def turn_off(*, webhook: Webhook, last_error: str) -> None:
    """Stop sending to `webhook` and tell its partner (and WEBHOOK_ALERT_EMAIL)."""
    turned_off = Webhook.objects.filter(pk=webhook.pk, is_active=True).update(
        is_active=False, disabled_at=timezone.now()
    )
    if not turned_off:  # another attempt did it meanwhile
        return
    WebhookDelivery.objects.filter(webhook=webhook, status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.FAILED
    )
    context = {
        "webhook": webhook,
        "failures": webhook.consecutive_failures,
        "last_error": last_error,
        "partner": webhook.api_key.name,
    }
    # Partners may read either language: French first, then English, as the reminders.
    subject = render_to_string("chantier/email/webhook_disabled_subject.txt", context)
    body = render_to_string("chantier/email/webhook_disabled.txt", context)
    recipients = [webhook.email]
    if settings.WEBHOOK_ALERT_EMAIL:
        recipients.append(settings.WEBHOOK_ALERT_EMAIL)
    send_mail(" ".join(subject.split()), body, None, recipients)
