"""Webhooks reach public receivers only (checked when saved and at every attempt,
connected to exactly the address checked), unless STUURWIEL_WEBHOOK_ALLOW_HOSTS
allows one; a receiver that answers 410 Gone switches its endpoint off."""

from __future__ import annotations

import socket

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from stuurwiel.changelog.models import ChangeLogEntry
from stuurwiel.webhooks import addresses, services
from stuurwiel.webhooks.choices import DeliveryStatus
from stuurwiel.webhooks.models import WebhookDelivery, WebhookEndpoint
from stuurwiel.webhooks.tests.test_deliveries import hand_to_supplier

pytestmark = pytest.mark.django_db

NOT_PUBLIC = [
    "http://127.0.0.1/hooks",
    "http://localhost:8000/hooks",
    "https://10.1.2.3/hooks",
    "http://192.168.1.20/hooks",
    "http://172.16.0.5/hooks",
    "http://169.254.169.254/latest/meta-data",
    "http://100.64.0.1/hooks",
    "http://0.0.0.0/hooks",
    "http://[::1]/hooks",
    "http://[::ffff:127.0.0.1]/hooks",
    "http://[fe80::1]/hooks",
    "http://[fd00::1]/hooks",
    "http://224.0.0.1/hooks",
]


@pytest.fixture
def nothing_allowed(settings):
    settings.STUURWIEL_WEBHOOK_ALLOW_HOSTS = []


@pytest.fixture
def dns(monkeypatch):
    """``dns["name"] = "1.2.3.4"``: what the resolver answers for a name (the
    connection itself then goes to that address)."""
    answers: dict[str, str] = {}
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host in answers:
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (answers[host], port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(addresses.socket, "getaddrinfo", getaddrinfo)
    return answers


@pytest.mark.parametrize("url", NOT_PUBLIC)
def test_an_endpoint_that_reaches_a_non_public_address_is_refused(
    world, endpoint_for, nothing_allowed, url
):
    with pytest.raises(ValidationError) as refused:
        endpoint_for(url)
    assert "url" in refused.value.message_dict
    assert "STUURWIEL_WEBHOOK_ALLOW_HOSTS" in refused.value.message_dict["url"][0]
    assert not WebhookEndpoint.objects.exists()


def test_a_name_that_resolves_to_a_private_address_is_refused(
    world, endpoint_for, nothing_allowed, dns
):
    dns["hooks.leverancier.example"] = "10.0.0.7"
    with pytest.raises(ValidationError) as refused:
        endpoint_for("https://hooks.leverancier.example/in")
    assert "10.0.0.7" in refused.value.message_dict["url"][0]


def test_public_addresses_and_names_that_do_not_resolve_yet_are_accepted(
    world, endpoint_for, nothing_allowed, dns
):
    dns["hooks.leverancier.example"] = "93.184.216.34"
    endpoint_for("https://hooks.leverancier.example/in")
    endpoint_for("https://93.184.216.34/in")
    endpoint_for("https://nog-niet.leverancier.example/in")  # each attempt checks again
    assert WebhookEndpoint.objects.count() == 3


@pytest.mark.parametrize(
    ("allowed", "url"),
    [
        (["localhost"], "http://localhost:8000/hooks"),
        (["10.0.0.0/8"], "https://10.1.2.3/hooks"),
        (["192.168.1.20"], "http://192.168.1.20/hooks"),
    ],
)
def test_the_allow_list_admits_a_host_an_address_or_a_network(
    world, endpoint_for, settings, allowed, url
):
    settings.STUURWIEL_WEBHOOK_ALLOW_HOSTS = allowed
    endpoint_for(url)
    assert WebhookEndpoint.objects.get().url == url


def test_the_allow_list_admits_only_what_it_names(world, endpoint_for, settings):
    settings.STUURWIEL_WEBHOOK_ALLOW_HOSTS = ["10.0.0.0/8", "hooks.intern"]
    with pytest.raises(ValidationError):
        endpoint_for("http://192.168.1.20/hooks")


def test_changing_the_address_to_a_private_one_is_refused(world, endpoint_for, nothing_allowed):
    endpoint = endpoint_for("https://93.184.216.34/in")
    with pytest.raises(ValidationError) as refused:
        services.endpoint_update(
            instance=endpoint,
            by=world.admin,
            data={"url": "http://169.254.169.254/latest"},
            version=endpoint.version,
        )
    assert "url" in refused.value.message_dict
    assert WebhookEndpoint.objects.get().url == "https://93.184.216.34/in"


def test_the_add_page_shows_the_refusal_on_the_address_field(world, client, nothing_allowed):
    client.force_login(world.admin)
    answer = client.post(
        reverse("webhooks:endpoint_add", kwargs={"org": world.org.slug}),
        {"supplier": world.links.supplier.supplier_id, "url": "http://127.0.0.1:5432/"},
    )
    assert answer.status_code == 400
    assert "STUURWIEL_WEBHOOK_ALLOW_HOSTS" in answer.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_each_attempt_checks_again_and_sends_nothing_to_a_now_refused_address(
    world, endpoint_for, receiver, settings
):
    endpoint_for(receiver.url)  # allowed when saved (the conftest allows 127.0.0.1)
    hand_to_supplier(world)
    settings.STUURWIEL_WEBHOOK_ALLOW_HOSTS = []
    services.webhook_deliveries_due()
    delivery = WebhookDelivery.objects.get()
    assert receiver.requests == []
    assert delivery.attempts == 1 and delivery.status == DeliveryStatus.PENDING
    assert delivery.last_error.startswith("refused:") and "127.0.0.1" in delivery.last_error


def test_a_name_that_moved_to_a_private_address_since_it_was_saved_is_not_called(
    world, endpoint_for, receiver, nothing_allowed, dns
):
    dns["hooks.leverancier.example"] = "93.184.216.34"
    port = receiver.url.split(":")[2].split("/")[0]
    endpoint_for(f"http://hooks.leverancier.example:{port}/hooks")
    dns["hooks.leverancier.example"] = "127.0.0.1"  # DNS changed (rebinding)
    hand_to_supplier(world)
    services.webhook_deliveries_due()
    assert receiver.requests == []
    assert WebhookDelivery.objects.get().last_error.startswith("refused:")


def test_the_connection_goes_to_the_address_that_was_checked(
    world, endpoint_for, receiver, settings, dns
):
    """The name resolves (in this test) only through the checked answer: the
    message arrives, so the transport connected to that address, with the name
    as the Host header."""
    settings.STUURWIEL_WEBHOOK_ALLOW_HOSTS = ["127.0.0.0/8"]
    dns["hooks.leverancier.example"] = "127.0.0.1"
    port = receiver.url.split(":")[2].split("/")[0]
    endpoint_for(f"http://hooks.leverancier.example:{port}/hooks")
    hand_to_supplier(world)
    services.webhook_deliveries_due()
    assert WebhookDelivery.objects.get().status == DeliveryStatus.DELIVERED
    assert receiver.requests[0].headers["host"] == f"hooks.leverancier.example:{port}"


def test_a_410_gone_switches_the_endpoint_off_recorded_and_shown(
    world, endpoint_for, receiver, client
):
    endpoint = endpoint_for(receiver.url)
    receiver.status = 410
    hand_to_supplier(world)
    services.webhook_deliveries_due()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == 1  # no retries
    assert delivery.last_status_code == 410
    endpoint.refresh_from_db()
    assert not endpoint.active and endpoint.disabled_at is not None
    assert endpoint.disabled_reason == "HTTP 410 Gone"
    entry = ChangeLogEntry.objects.filter(
        content_type__model="webhookendpoint", object_id=endpoint.pk
    ).latest("id")
    assert (entry.before, entry.after) == ({"active": True}, {"active": False})
    assert "410" in entry.reason and entry.actor is None
    # Nothing more goes there: the next hand-over queues no message.
    hand_to_supplier(world)
    assert WebhookDelivery.objects.count() == 1
    client.force_login(world.admin)
    listing = client.get(reverse("webhooks:endpoint_list", kwargs={"org": world.org.slug}))
    assert "endpoint-disabled" in listing.content.decode() and "410" in listing.content.decode()
    detail = client.get(
        reverse("webhooks:endpoint_detail", kwargs={"org": world.org.slug, "pk": endpoint.pk})
    ).content.decode()
    assert "endpoint-disabled" in detail and "HTTP 410 Gone" in detail


def test_switching_it_on_again_clears_the_410(world, endpoint_for, receiver):
    endpoint = endpoint_for(receiver.url)
    receiver.status = 410
    hand_to_supplier(world)
    services.webhook_deliveries_due()
    endpoint.refresh_from_db()
    fresh = services.endpoint_update(
        instance=endpoint, by=world.admin, data={"active": True}, version=endpoint.version
    )
    assert fresh.active and fresh.disabled_at is None and fresh.disabled_reason == ""


def test_other_failures_keep_the_endpoint_on(world, endpoint_for, receiver):
    endpoint = endpoint_for(receiver.url)
    receiver.status = 404
    hand_to_supplier(world)
    services.webhook_deliveries_due()
    endpoint.refresh_from_db()
    assert endpoint.active and endpoint.disabled_at is None
    assert WebhookDelivery.objects.get().status == DeliveryStatus.PENDING


def test_an_https_address_is_called_over_tls_to_the_checked_address(receiver):
    """The receiver speaks plain HTTP: a TLS handshake with it fails, so the
    pinned HTTPS connection really does TLS (and never falls back to plain)."""
    from stuurwiel.webhooks import transport

    answer = transport.post(receiver.url.replace("http://", "https://"), body="{}", headers={})
    assert answer.status_code is None and not answer.ok
    assert "SSL" in answer.error
