"""Signing secrets are sealed at rest: the database holds no secret in the clear,
signing opens it, a new key can be put first and everything resealed, and a
secret no key opens fails its delivery with the reason instead of crashing."""

from __future__ import annotations

import io

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.db import connection
from standardwebhooks.webhooks import Webhook

from stuurwiel.core import sealing
from stuurwiel.webhooks import services
from stuurwiel.webhooks.choices import DeliveryStatus
from stuurwiel.webhooks.models import WebhookDelivery, WebhookEndpoint
from stuurwiel.webhooks.tests.test_deliveries import hand_to_supplier

pytestmark = pytest.mark.django_db


def stored_column(endpoint) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT secret FROM {WebhookEndpoint._meta.db_table} WHERE id = %s", [endpoint.pk]
        )
        return cursor.fetchone()[0]


def test_the_database_holds_the_secret_sealed_and_signing_opens_it(world, endpoint_for, receiver):
    endpoint = endpoint_for(receiver.url)
    secret = endpoint.secret
    assert secret.startswith("whsec_")
    column = stored_column(endpoint)
    assert column.startswith(sealing.PREFIX) and secret not in column
    hand_to_supplier(world)
    services.webhook_deliver(delivery=WebhookDelivery.objects.get())
    request = receiver.requests[-1]
    # The receiver verifies with the secret it was shown once.
    Webhook(secret).verify(request.body, request.headers)


def test_a_new_first_key_opens_old_secrets_and_reseal_moves_them_on(world, endpoint_for, settings):
    endpoint = endpoint_for("https://leverancier.example/hooks")
    secret = endpoint.secret
    old_key, new_key = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.STUURWIEL_SEALING_KEYS = [old_key]
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(secret_sealed=sealing.seal(secret))
    settings.STUURWIEL_SEALING_KEYS = [new_key, old_key]
    assert WebhookEndpoint.objects.get(pk=endpoint.pk).secret == secret
    call_command("secrets_reseal", stdout=io.StringIO())
    settings.STUURWIEL_SEALING_KEYS = [new_key]  # the old key dropped
    assert WebhookEndpoint.objects.get(pk=endpoint.pk).secret == secret


def test_a_secret_no_key_opens_fails_its_delivery_with_the_reason(
    world, endpoint_for, receiver, settings
):
    endpoint_for(receiver.url)
    hand_to_supplier(world)
    settings.STUURWIEL_SEALING_KEYS = [Fernet.generate_key().decode()]
    delivery = services.webhook_deliver(delivery=WebhookDelivery.objects.get())
    assert delivery.status == DeliveryStatus.FAILED and receiver.requests == []
    assert "Rotate the secret" in delivery.last_error or "Roteer" in delivery.last_error
    with pytest.raises(CommandError, match="rotate those secrets"):
        call_command("secrets_reseal", stdout=io.StringIO())


def test_a_secret_from_before_sealing_is_read_as_it_is_and_resealed():
    assert sealing.unseal("whsec_abc") == "whsec_abc"
    assert sealing.unseal(sealing.reseal("whsec_abc")) == "whsec_abc"
    assert sealing.seal("whsec_abc") != sealing.seal("whsec_abc")  # a fresh IV each time
