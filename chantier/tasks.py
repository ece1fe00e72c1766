"""Jobs of the project top, run by the worker (`manage.py procrastinate worker`): the monthly
open-data release, the webhooks' messages (finding the changes, sending each one), and the
hourly deletion of the API's closed rate windows."""

import contextlib

from django.conf import settings
from django.utils import timezone
from procrastinate import exceptions
from procrastinate.contrib.django import app

from chantier.api_access import rate_windows_by_scope
from chantier.enums import DeliveryStatus
from chantier.models import Webhook, WebhookDelivery
from chantier.rate_windows import delete_closed_windows
from chantier.releases import ReleaseExists, publish_release
from chantier.webhooks import dispatch_changes, send_delivery
from contributions.tasks import RETRY


@app.periodic(cron="0 4 1 * *")
@app.task(name="chantier.publish_open_data_release", queue="releases", retry=RETRY)
def publish_open_data_release(timestamp: int | None = None) -> str:
    """On the first of each month: the month's open-data release (once: a release that
    exists already is left as it is). Returns the release's identifier."""
    try:
        return publish_release().identifier
    except ReleaseExists as exists:
        return str(exists)


@app.periodic(cron="17 * * * *")
@app.task(name="chantier.delete_closed_rate_windows", queue="maintenance")
def delete_closed_rate_windows(timestamp: int | None = None) -> int:
    """Each hour: the API's rate windows that have closed, deleted; a caller seen once would
    otherwise keep its row for ever. Returns how many were deleted."""
    return delete_closed_windows(now=timezone.now(), windows=rate_windows_by_scope())


# --- Webhooks ---------------------------------------------------------------------------

# At most one dispatch waits at a time for each of these: changes come in bursts.
DISPATCH_NOW = "webhooks-dispatch-now"
DISPATCH_LATER = "webhooks-dispatch-later"


class DeliveryFailed(Exception):
    """The partner's server did not accept the message: the job is retried with backoff."""


def request_dispatch() -> None:
    """Soon, a dispatch of the changes to every active webhook (if there is any)."""
    if not Webhook.objects.filter(is_active=True, api_key__revoked_at__isnull=True).exists():
        return
    with contextlib.suppress(exceptions.AlreadyEnqueued):
        dispatch_webhooks.configure(queueing_lock=DISPATCH_NOW).defer()


@app.task(name="chantier.dispatch_webhooks", queue="webhooks", retry=RETRY)
def dispatch_webhooks() -> int:
    """Turn the changes since each webhook's last message into deliveries, each sent by its
    own job. While a webhook is active, look again in WEBHOOK_POLL_SECONDS: bulk writes
    send no signal. Returns how many deliveries were made."""
    deliveries = dispatch_changes()
    if Webhook.objects.filter(is_active=True, api_key__revoked_at__isnull=True).exists():
        with contextlib.suppress(exceptions.AlreadyEnqueued):
            dispatch_webhooks.configure(
                queueing_lock=DISPATCH_LATER,
                schedule_in={"seconds": settings.WEBHOOK_POLL_SECONDS},
            ).defer()
    return len(deliveries)


@app.task(name="chantier.deliver_webhook", queue="webhooks", retry=RETRY, pass_context=True)
def deliver_webhook(context, *, delivery_id: int) -> int | None:
    """One attempt at sending a delivery; a failure is retried with the jobs' backoff, until
    the webhook is turned off. Returns the partner's answer code."""
    delivery = (
        WebhookDelivery.objects.select_related("webhook__api_key")
        .filter(pk=delivery_id, status=DeliveryStatus.PENDING)
        .first()
    )
    if delivery is None or not delivery.webhook.is_active:
        return None
    if not delivery.webhook.api_key.is_active:
        return None
    last_try = context.job.attempts >= settings.TASK_RETRY_ATTEMPTS
    attempt = send_delivery(delivery=delivery, last_try=last_try)
    if attempt.succeeded:
        return attempt.status_code
    if Webhook.objects.filter(pk=delivery.webhook_id, is_active=True).exists():
        raise DeliveryFailed(attempt.error or f"HTTP {attempt.status_code}")
    return attempt.status_code
