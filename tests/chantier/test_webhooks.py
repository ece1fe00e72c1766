"""Webhooks: a real worker sends each change to a partner's HTTP server on loopback, signed;
a failed delivery is retried with backoff, repeated failures turn the webhook off and tell
the partner by e-mail, and the filters decide what each partner hears of."""

import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.utils import timezone
from procrastinate.contrib.django.models import ProcrastinateJob

from chantier.models import ApiKey, Webhook, WebhookAttempt, WebhookDelivery
from chantier.outbound import check_outbound_url
from chantier.webhooks import create_webhook
from entreprises.enums import Status
from entreprises.models import Enterprise
from entreprises.services import delete_enterprises
from tests.factories import EnterpriseFactory
from tests.helpers import get_json, json_of, query_count, run_jobs, worker_connections_closed
from tests.personas import create_partner_key

pytestmark = pytest.mark.django_db(transaction=True)

# How old a signed timestamp a receiver accepts (docs/api.md advises five minutes).
TOLERANCE_SECONDS = 300


def verified(secret: str, body: bytes, header: str) -> bool:
    """The receiver's check, as docs/api.md gives it to partners."""
    parts = dict(item.split("=", 1) for item in header.split(","))
    timestamp = int(parts["t"])
    if abs(time.time() - timestamp) > TOLERANCE_SECONDS:
        return False
    expected = hmac.new(
        secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256
    ).hexdigest()
    return hmac.compare_digest(expected, parts["v1"])


class Receiver:
    """A partner's HTTP server: records each request, answers the next status given."""

    def __init__(self):
        self.requests, self.statuses = [], []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((dict(self.headers), body))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/portail"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def bodies(self) -> list[dict]:
        return [json.loads(body) for _headers, body in self.requests]


@pytest.fixture
def receiver():
    receiver = Receiver()
    receiver.thread.start()
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()


@pytest.fixture(autouse=True)
def no_jobs_left():
    with worker_connections_closed(), override_settings(SITE_URL="http://testserver"):
        yield


def run_worker():
    run_jobs("webhooks")


def jobs(task: str) -> list[tuple[str, int]]:
    return list(
        ProcrastinateJob.objects.filter(task_name=task)
        .order_by("id")
        .values_list("status", "attempts")
    )


@pytest.fixture
def api_key(partner_key):
    return ApiKey.objects.get()


@pytest.fixture
def webhook(api_key, receiver, personas):
    return create_webhook(api_key=api_key, url=receiver.url, email="geomatique@ville.example")


def published(personas, slug, *, pole=None):
    pole = pole or personas.pole_a
    return EnterpriseFactory(
        slug=slug, status=Status.PUBLISHED, pole=pole, region=pole.regions.get()
    )


def test_a_published_enterprise_is_sent_signed_in_the_sync_shape(
    webhook, receiver, anonymous, personas
):
    enterprise = published(personas, "envol")
    assert jobs("chantier.dispatch_webhooks") == [("todo", 0)]
    assert receiver.requests == []  # nothing is sent in the request
    run_worker()
    [(headers, body)] = receiver.requests
    delivery = WebhookDelivery.objects.get()
    assert headers["Webhook-Id"] == str(delivery.uuid)
    assert headers["Content-Type"] == "application/json"
    assert verified(webhook.secret, body, headers["Webhook-Signature"])
    assert not verified("whsec_another", body, headers["Webhook-Signature"])
    message = json.loads(body)
    assert message["id"] == str(delivery.uuid)
    assert message["type"] == "enterprises.changed"
    # The same record as the API gives, and the same envelope as a sync page.
    detail = get_json(anonymous, f"/api/v1/enterprises/{enterprise.slug}/")
    assert message["results"] == [detail]
    assert message["tombstones"] == []
    assert delivery.status == "delivered"
    assert list(WebhookAttempt.objects.values_list("status_code", "succeeded")) == [(200, True)]
    assert jobs("chantier.deliver_webhook") == [("succeeded", 1)]


def test_unpublishing_and_deleting_send_tombstones(webhook, receiver, anonymous, personas):
    enterprise = published(personas, "envol")
    run_worker()
    enterprise.status = Status.DRAFT
    enterprise.save()
    run_worker()
    unpublished = json_of(anonymous.get("/api/v1/enterprises/envol/"), status=410)
    delete_enterprises(enterprises=Enterprise.objects.filter(pk=enterprise.pk))
    run_worker()
    deleted = json_of(anonymous.get("/api/v1/enterprises/envol/"), status=410)
    first, second, third = receiver.bodies()
    assert [r["slug"] for r in first["results"]] == ["envol"]
    unpublished.pop("detail")
    deleted.pop("detail")
    assert (second["results"], second["tombstones"]) == ([], [unpublished])
    assert unpublished["reason"] == "unpublished"
    assert (third["results"], third["tombstones"]) == ([], [deleted])
    assert deleted["reason"] == "deleted"
    for headers, body in receiver.requests:
        assert verified(webhook.secret, body, headers["Webhook-Signature"])


def test_filters_decide_what_a_partner_hears_of(api_key, receiver, personas):
    webhook = create_webhook(
        api_key=api_key, url=receiver.url, email="x@ville.example", poles=[personas.pole_b]
    )
    montreal = published(personas, "a-montreal")
    run_worker()
    # As in a filtered sync, a record outside the filters never comes, only its
    # out_of_filter tombstone (the partner may hold it from a download; else it ignores it).
    [outside] = receiver.bodies()
    assert outside["results"] == []
    assert [(t["id"], t["reason"]) for t in outside["tombstones"]] == [
        (montreal.pk, "out_of_filter")
    ]
    laval = published(personas, "a-laval", pole=personas.pole_b)
    run_worker()
    message = receiver.bodies()[1]
    assert [r["slug"] for r in message["results"]] == ["a-laval"]
    assert message["tombstones"] == []
    # Moved to a pole the webhook does not follow: it leaves the partner's copy.
    laval.pole = personas.pole_a
    laval.region = personas.pole_a.regions.get()
    laval.save()
    run_worker()
    moved = receiver.bodies()[2]
    assert moved["results"] == []
    assert [(t["slug"], t["reason"], t["status"]) for t in moved["tombstones"]] == [
        ("a-laval", "out_of_filter", "published")
    ]
    assert WebhookDelivery.objects.filter(webhook=webhook).count() == 3


def test_a_failed_delivery_is_retried_with_backoff(webhook, receiver, personas):
    receiver.statuses = [500]
    published(personas, "envol")
    run_worker()
    assert jobs("chantier.deliver_webhook") == [("todo", 1)]
    job = ProcrastinateJob.objects.get(task_name="chantier.deliver_webhook")
    assert job.scheduled_at is not None
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "pending"
    time.sleep(1.2)  # the retry's wait (TASK_RETRY_BACKOFF_SECONDS in tests/settings.py)
    run_worker()
    assert jobs("chantier.deliver_webhook") == [("succeeded", 2)]
    delivery.refresh_from_db()
    assert delivery.status == "delivered"
    assert list(
        delivery.attempts.order_by("id").values_list("status_code", "succeeded", "error")
    ) == [(500, False, "HTTP 500 Internal Server Error"), (200, True, "")]
    # The same message twice (one id, for the partner to ignore a repeat), newly signed.
    (first, body_1), (second, body_2) = receiver.requests
    assert first["Webhook-Id"] == second["Webhook-Id"] == str(delivery.uuid)
    assert body_1 == body_2
    assert verified(webhook.secret, body_2, second["Webhook-Signature"])
    webhook.refresh_from_db()
    assert webhook.consecutive_failures == 0


@override_settings(WEBHOOK_MAX_FAILURES=2, WEBHOOK_ALERT_EMAIL="donnees@chantier.example")
def test_repeated_failures_turn_the_webhook_off_and_tell_the_partner(webhook, receiver, personas):
    receiver.statuses = [500] * 10
    published(personas, "envol")
    run_worker()
    assert mail.outbox == []
    time.sleep(1.2)
    run_worker()
    webhook.refresh_from_db()
    assert webhook.is_active is False
    assert webhook.disabled_at is not None
    assert webhook.consecutive_failures == 2
    assert len(receiver.requests) == 2
    assert WebhookDelivery.objects.get().status == "failed"
    # No more retries once turned off.
    assert jobs("chantier.deliver_webhook") == [("succeeded", 2)]
    [email] = mail.outbox
    assert email.to == ["geomatique@ville.example", "donnees@chantier.example"]
    assert email.subject == (
        "Webhook désactivé / Webhook turned off — Ville de Montréal — données ouvertes"
    )
    assert receiver.url in email.body
    assert "Les 2 dernières tentatives d’envoi ont échoué." in email.body
    assert "The last 2 attempts to deliver failed. Last error: HTTP 500" in email.body
    # Later changes are not sent to a webhook turned off.
    published(personas, "autre")
    run_worker()
    assert len(receiver.requests) == 2


def test_attempts_are_visible_in_the_admin(webhook, receiver, personas):
    receiver.statuses = [503]
    published(personas, "envol")
    run_worker()
    delivery = WebhookDelivery.objects.get()
    national = personas.client_for(personas.national)
    listing = national.get("/admin/chantier/webhookdelivery/").content.decode()
    assert f'href="/admin/chantier/webhookdelivery/{delivery.pk}/change/"' in listing
    page = national.get(f"/admin/chantier/webhookdelivery/{delivery.pk}/change/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "HTTP 503 Service Unavailable" in text
    assert receiver.url in text
    staff = personas.client_for(personas.staff_a)
    assert staff.get("/admin/chantier/webhookdelivery/").status_code == 403


def test_partners_register_their_webhooks_with_their_key(partner_key, personas, receiver):
    headers = {"HTTP_X_API_KEY": partner_key}
    created = json_of(
        anonymous_client().post(
            "/api/v1/webhooks/",
            {
                "url": receiver.url,
                "email": "geomatique@ville.example",
                "poles": ["pole-montreal"],
                "regions": ["06"],
            },
            content_type="application/json",
            **headers,
        ),
        status=201,
    )
    webhook = Webhook.objects.get()
    assert created == {
        "id": webhook.pk,
        "url": receiver.url,
        "email": "geomatique@ville.example",
        "poles": ["pole-montreal"],
        "sectors": [],
        "regions": ["06"],
        "is_active": True,
        "consecutive_failures": 0,
        "disabled_at": None,
        "created_at": created["created_at"],
        "secret": webhook.secret,
    }
    assert webhook.secret.startswith("whsec_")
    client = anonymous_client()
    listed = client.get("/api/v1/webhooks/", **headers)
    assert listed["Cache-Control"] == "private, no-store"
    assert [w["url"] for w in json_of(listed)] == [receiver.url]
    assert "secret" not in json_of(listed)[0]
    # Another partner sees none of them; without a key, nothing.
    other = {"HTTP_X_API_KEY": create_partner_key("Autre partenaire")}
    assert json_of(client.get("/api/v1/webhooks/", **other)) == []
    assert client.get(f"/api/v1/webhooks/{webhook.pk}/", **other).status_code == 404
    assert json_of(client.get("/api/v1/webhooks/"), status=401) == {
        "detail": "Envoyez votre clé d’API de partenaire dans l’en-tête X-API-Key."
    }
    bad = json_of(
        client.post(
            "/api/v1/webhooks/",
            {"url": "ftp://ville.example/", "email": "x@ville.example", "poles": ["inconnu"]},
            content_type="application/json",
            **headers,
        ),
        status=400,
    )
    assert sorted(bad["errors"]) == ["poles", "url"]
    assert client.delete(f"/api/v1/webhooks/{webhook.pk}/", **headers).status_code == 204
    assert Webhook.objects.count() == 0


def anonymous_client():
    return Client()


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/hook",
        "http://localhost/hook",
        "http://10.1.2.3/hook",
        "http://192.168.0.10/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/hook",
        "http://0.0.0.0/hook",
    ],
)
def test_local_addresses_are_refused_outside_the_tests(url):
    with (
        override_settings(WEBHOOK_ALLOW_PRIVATE_ADDRESSES=False),
        pytest.raises(ValidationError) as refused,
    ):
        check_outbound_url(url)
    assert refused.value.messages == [
        "Cette adresse est sur un réseau privé ou local\u00a0: donnez une adresse publique."
    ]


def test_only_web_addresses_are_taken():
    with pytest.raises(ValidationError) as refused:
        check_outbound_url("file:///etc/passwd")
    assert refused.value.code == "scheme"
    with override_settings(WEBHOOK_ALLOW_PRIVATE_ADDRESSES=False):
        check_outbound_url("https://93.184.216.34/hook")  # a public address passes


def test_the_national_team_turns_a_webhook_back_on_in_the_admin(webhook, personas):
    Webhook.objects.filter(pk=webhook.pk).update(
        is_active=False, consecutive_failures=10, disabled_at=timezone.now()
    )
    national = personas.client_for(personas.national)
    url = f"/admin/chantier/webhook/{webhook.pk}/change/"
    data = {
        "api_key": webhook.api_key_id,
        "url": webhook.url,
        "email": webhook.email,
        "is_active": "on",
    }
    response = national.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    webhook.refresh_from_db()
    assert (webhook.is_active, webhook.consecutive_failures, webhook.disabled_at) == (
        True,
        0,
        None,
    )
    # An address on the portal's own network is refused in production.
    with override_settings(WEBHOOK_ALLOW_PRIVATE_ADDRESSES=False):
        refused = national.post("/admin/chantier/webhook/add/", {**data, "url": "http://10.0.0.5/"})
    assert refused.status_code == 200
    assert "Cette adresse est sur un réseau privé ou local" in refused.content.decode()
    assert Webhook.objects.count() == 1


def test_the_list_of_webhooks_costs_the_same_queries_at_two_sizes(partner_key, api_key, personas):
    def register(count):
        for number in range(count):
            create_webhook(
                api_key=api_key,
                url=f"https://93.184.216.34/hook/{number}",
                email="x@ville.example",
                poles=[personas.pole_a],
                regions=list(personas.pole_a.regions.all()),
            )

    headers = {"HTTP_X_API_KEY": partner_key}
    register(1)
    Client().get("/api/v1/webhooks/", **headers)  # the key's first use is written down once
    few = query_count(Client(), "/api/v1/webhooks/", **headers)
    register(4)
    assert len(json_of(Client().get("/api/v1/webhooks/", **headers))) == 5
    assert query_count(Client(), "/api/v1/webhooks/", **headers) == few


def test_unknown_parameters_are_refused_on_webhooks_too(partner_key):
    refused = Client().get("/api/v1/webhooks/?active=1", HTTP_X_API_KEY=partner_key)
    assert json_of(refused, status=400)["errors"] == {
        "active": ["Paramètre inconnu\u00a0: cette adresse accepte format, lang."]
    }
