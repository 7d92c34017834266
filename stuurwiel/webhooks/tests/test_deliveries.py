"""A hand-over to a supplier becomes a signed webhook message: written in the
hand-over's transaction, sent afterwards, retried with back-off, never blocking
the call."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from standardwebhooks.webhooks import Webhook

from stuurwiel.calls import services as calls
from stuurwiel.calls.models import Call
from stuurwiel.calls.tests.test_patterns import register
from stuurwiel.core import clock
from stuurwiel.webhooks import outbox, services, transport
from stuurwiel.webhooks.choices import DeliveryStatus
from stuurwiel.webhooks.models import WebhookDelivery

pytestmark = pytest.mark.django_db


def hand_to_supplier(world, call=None, reason="Graag vervangen"):
    """KCC → specialists → the supplier (their interface passes a work order)."""
    call = call or register(world, "incident", description="Mevrouw Jansen, 06-12345678")
    call = calls.call_hand_over(
        call=call, to_link=world.links.specialists, by=world.desk, version=call.version, reason="?"
    )
    return calls.call_hand_over(
        call=call,
        to_link=world.links.supplier,
        by=world.specialist,
        version=call.version,
        reason=reason,
    )


def test_a_hand_over_to_a_supplier_with_an_endpoint_queues_one_message(world, endpoint_for):
    endpoint = endpoint_for("https://leverancier.example/hooks")
    call = hand_to_supplier(world)
    (delivery,) = WebhookDelivery.objects.all()
    assert delivery.endpoint == endpoint and delivery.call == call
    assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 0
    assert delivery.message_id.startswith("msg_")
    data = delivery.payload["data"]
    assert delivery.payload["type"] == "call.handed_over"
    assert data["call"]["number"] == call.number
    assert data["call"]["service"] == world.service.name
    assert data["call"]["priority"] == call.priority
    assert data["call"]["version"] == call.version
    assert data["passes"] == "Werkopdracht zonder persoonsgegevens"
    assert data["reason"] == "Graag vervangen"
    assert data["hand_back_url"].endswith(f"/calls/{call.pk}/hand-back/")


def test_the_message_carries_nothing_of_the_requester_nor_internal_notes(world, endpoint_for):
    endpoint_for("https://leverancier.example/hooks")
    call = register(world, "incident", description="Mevrouw Jansen, 06-12345678")
    calls.call_comment(call=call, by=world.desk, text="Intern: klant is lastig")
    hand_to_supplier(world, Call.objects.get(pk=call.pk))
    text = str(WebhookDelivery.objects.get().payload)
    for private in ("Jansen", "06-12345678", "lastig", world.requester.username):
        assert private not in text


def test_an_endpoint_of_one_link_hears_that_link(world, endpoint_for):
    link = world.links.supplier
    endpoint = endpoint_for("https://leverancier.example/a", supplier=None, link=link)
    hand_to_supplier(world)
    assert WebhookDelivery.objects.get().endpoint == endpoint


def test_a_team_link_gets_no_endpoint(world, endpoint_for):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        endpoint_for("https://team.example/a", supplier=None, link=world.links.specialists)
    assert "link" in refused.value.message_dict


def test_no_endpoint_no_delivery_and_a_single_query(world):
    call = hand_to_supplier(world)
    assert WebhookDelivery.objects.count() == 0
    event = call.events.filter(kind="handed_over").last()
    event.to_link = world.links.supplier  # as the hand-over hands it on: loaded
    with CaptureQueriesContext(connection) as context:
        assert outbox.deliveries_queue(call, [event]) == []
    assert len(context.captured_queries) == 1


def test_a_hand_over_between_teams_costs_no_query(world, endpoint_for):
    endpoint_for("https://leverancier.example/hooks")
    call = register(world, "incident")
    call = calls.call_hand_over(
        call=call, to_link=world.links.specialists, by=world.desk, version=call.version, reason="x"
    )
    event = call.events.get(kind="handed_over")
    event.to_link = world.links.specialists
    with CaptureQueriesContext(connection) as context:
        assert outbox.deliveries_queue(call, [event]) == []
    assert len(context.captured_queries) == 0
    assert WebhookDelivery.objects.count() == 0


def test_an_inactive_endpoint_gets_nothing(world, endpoint_for):
    endpoint_for("https://leverancier.example/hooks", active=False)
    hand_to_supplier(world)
    assert WebhookDelivery.objects.count() == 0


def test_a_rolled_back_hand_over_leaves_no_message(world, endpoint_for):
    endpoint_for("https://leverancier.example/hooks")
    call = register(world, "incident")
    with pytest.raises(Exception, match="version"):
        calls.call_hand_over(
            call=call, to_link=world.links.supplier, by=world.desk, version=99, reason="x"
        )
    assert WebhookDelivery.objects.count() == 0


def test_the_message_is_signed_the_standard_webhooks_way(world, endpoint_for, receiver):
    endpoint = endpoint_for(receiver.url)
    assert endpoint.secret.startswith("whsec_")
    hand_to_supplier(world)
    assert services.webhook_deliveries_due() == 1
    (request,) = receiver.requests
    verified = Webhook(endpoint.secret).verify(request.body, request.headers)
    delivery = WebhookDelivery.objects.get()
    assert verified == delivery.payload
    assert request.headers["webhook-id"] == delivery.message_id
    assert request.headers["webhook-signature"].startswith("v1,")
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.attempts == 1
    assert delivery.last_status_code == 204 and delivery.delivered_at is not None
    other = Webhook("whsec_" + "QUJD" * 11)
    with pytest.raises(Exception, match="signature"):
        other.verify(request.body, request.headers)


def test_a_receiver_that_is_down_gets_retries_with_back_off_then_failed(
    world, endpoint_for, closed_url
):
    endpoint_for(closed_url)
    start = clock.now()
    with clock.at(start):
        call = hand_to_supplier(world)
    # The hand-over itself went through: the call is with the supplier.
    assert Call.objects.get(pk=call.pk).current_link == world.links.supplier
    moment = start
    waits = []
    for _ in range(services.MAX_ATTEMPTS):
        with clock.at(moment):
            assert services.webhook_deliveries_due() == 1
            assert services.webhook_deliveries_due() == 0  # not due again at once
        delivery = WebhookDelivery.objects.get()
        if delivery.next_attempt_at:
            waits.append(delivery.next_attempt_at - moment)
            moment = delivery.next_attempt_at
    assert waits == list(services.RETRY_DELAYS)
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == services.MAX_ATTEMPTS == len(delivery.attempt_log)
    assert delivery.last_status_code is None and delivery.last_error
    with clock.at(moment + timedelta(days=2)):
        assert services.webhook_deliveries_due() == 0  # failed is final


def test_an_error_answer_is_retried_and_then_delivered(world, endpoint_for, receiver):
    endpoint_for(receiver.url)
    hand_to_supplier(world)
    receiver.status = 500
    services.webhook_deliveries_due()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING and delivery.last_status_code == 500
    receiver.status = 200
    with clock.at(delivery.next_attempt_at):
        services.webhook_deliveries_due()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.attempts == 2
    # A retry is the same message: the same id, so the receiver can deduplicate.
    ids = {request.headers["webhook-id"] for request in receiver.requests}
    assert ids == {delivery.message_id}


def test_a_redirect_is_not_followed(world, endpoint_for, receiver):
    receiver.status = 307
    receiver.location = "http://elders.example/steal"
    endpoint_for(receiver.url)
    hand_to_supplier(world)
    services.webhook_deliveries_due()
    delivery = WebhookDelivery.objects.get()
    assert len(receiver.requests) == 1
    assert delivery.status == DeliveryStatus.PENDING and delivery.last_status_code == 307


def test_only_http_addresses_are_called():
    answer = transport.post("file:///etc/passwd", body="{}", headers={})
    assert answer.status_code is None and "refused" in answer.error
    assert not answer.ok


def test_an_endpoint_refuses_a_non_http_address(world, endpoint_for):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        endpoint_for("ftp://leverancier.example/hooks")
    assert "url" in refused.value.message_dict


def test_the_message_names_the_norm_of_the_suppliers_uc(world, endpoint_for):
    from stuurwiel.calls.tests.test_handback import _uc

    _uc(world)
    endpoint_for("https://leverancier.example/hooks")
    hand_to_supplier(world)
    norm = WebhookDelivery.objects.get().payload["data"]["uc_norm_minutes"]
    assert norm == {"response_minutes": 600, "resolution_minutes": 6000}


def test_without_a_uc_the_message_names_no_norm(world, endpoint_for):
    endpoint_for("https://leverancier.example/hooks")
    hand_to_supplier(world)
    assert WebhookDelivery.objects.get().payload["data"]["uc_norm_minutes"] is None
