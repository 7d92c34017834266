"""The admin pages: only an organisation admin opens them; the secret is shown
once at creation and once at each rotation; the log retries a message now."""

from __future__ import annotations

import pytest
from django.urls import reverse
from standardwebhooks.webhooks import Webhook

from stuurwiel.changelog.models import ChangeLogEntry
from stuurwiel.webhooks.choices import DeliveryStatus
from stuurwiel.webhooks.models import WebhookDelivery, WebhookEndpoint
from stuurwiel.webhooks.tests.test_deliveries import hand_to_supplier

pytestmark = pytest.mark.django_db


def url(world, name, **kwargs):
    return reverse(f"webhooks:{name}", kwargs={"org": world.org.slug, **kwargs})


@pytest.mark.parametrize("who", ["specialist", "coordinator", "manager", "supplier", "requester"])
def test_only_an_organisation_admin_opens_the_webhook_pages(world, client, endpoint_for, who):
    endpoint = endpoint_for("https://leverancier.example/hooks")
    client.force_login(getattr(world, who))
    for name, kwargs in [
        ("endpoint_list", {}),
        ("endpoint_add", {}),
        ("endpoint_detail", {"pk": endpoint.pk}),
        ("delivery_list", {}),
    ]:
        assert client.get(url(world, name, **kwargs)).status_code == 403, name
    assert client.post(url(world, "endpoint_rotate", pk=endpoint.pk)).status_code == 403
    client.force_login(world.admin)
    assert client.get(url(world, "endpoint_list")).status_code == 200


def test_adding_an_endpoint_shows_its_secret_once(world, client):
    client.force_login(world.admin)
    answer = client.post(
        url(world, "endpoint_add"),
        {
            "supplier": world.links.supplier.supplier_id,
            "url": "https://lev.example/h",
            "active": "on",
        },
    )
    assert answer.status_code == 201
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.secret.startswith("whsec_") and endpoint.secret in answer.content.decode()
    Webhook(endpoint.secret)  # a secret the package accepts
    detail = client.get(url(world, "endpoint_detail", pk=endpoint.pk)).content.decode()
    assert endpoint.secret not in detail
    history = str(list(ChangeLogEntry.objects.values_list("before", "after")))
    assert endpoint.secret not in history


def test_a_bad_endpoint_is_a_form_error(world, client):
    client.force_login(world.admin)
    answer = client.post(url(world, "endpoint_add"), {"url": "ftp://lev.example/h"})
    assert answer.status_code == 400
    assert WebhookEndpoint.objects.count() == 0


def test_editing_keeps_the_secret(world, client, endpoint_for):
    endpoint = endpoint_for("https://leverancier.example/hooks")
    client.force_login(world.admin)
    answer = client.post(
        url(world, "endpoint_edit", pk=endpoint.pk),
        {
            "supplier": endpoint.supplier_id,
            "url": "https://leverancier.example/nieuw",
            "version": endpoint.version,
        },
    )
    assert answer.status_code == 302
    fresh = WebhookEndpoint.objects.get()
    assert fresh.url.endswith("/nieuw") and not fresh.active and fresh.secret == endpoint.secret


def test_rotating_shows_a_new_secret_once_and_the_old_one_stops_signing(
    world, client, endpoint_for, receiver
):
    endpoint = endpoint_for(receiver.url)
    client.force_login(world.admin)
    answer = client.post(
        url(world, "endpoint_rotate", pk=endpoint.pk), {"version": endpoint.version}
    )
    assert answer.status_code == 200
    fresh = WebhookEndpoint.objects.get()
    assert fresh.secret != endpoint.secret and fresh.secret in answer.content.decode()
    hand_to_supplier(world)
    delivery = WebhookDelivery.objects.get()
    client.post(url(world, "delivery_retry", pk=delivery.pk))
    (request,) = receiver.requests
    Webhook(fresh.secret).verify(request.body, request.headers)
    with pytest.raises(Exception, match="signature"):
        Webhook(endpoint.secret).verify(request.body, request.headers)


def test_the_log_shows_a_failed_delivery_and_retry_now_delivers_it(
    world, client, endpoint_for, receiver
):
    endpoint_for(receiver.url)
    call = hand_to_supplier(world)
    delivery = WebhookDelivery.objects.get()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.FAILED, attempts=8, last_error="ConnectionRefusedError: down"
    )
    client.force_login(world.admin)
    log = client.get(url(world, "delivery_list"), {"status": "failed"}).content.decode()
    assert call.number in log and "ConnectionRefusedError" in log
    answer = client.post(url(world, "delivery_retry", pk=delivery.pk))
    assert answer.status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.attempts == 9
    assert len(receiver.requests) == 1
    page = client.get(url(world, "delivery_detail", pk=delivery.pk)).content.decode()
    assert delivery.message_id in page and call.number in page


def test_a_failed_delivery_that_fails_again_stays_failed(world, client, endpoint_for, closed_url):
    endpoint_for(closed_url)
    hand_to_supplier(world)
    delivery = WebhookDelivery.objects.get()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.FAILED, attempts=8)
    client.force_login(world.admin)
    client.post(url(world, "delivery_retry", pk=delivery.pk))
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == 9
    assert delivery.next_attempt_at is None
