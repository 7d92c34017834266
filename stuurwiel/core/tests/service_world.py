"""One service design with every kind of object of issue 6, for the generated
tests (isolation, role × URL): a service with a canvas item, a team link and a
supplier link, interfaces, a managed component, an approval, an SA and a UC with
versions and norms, a priority cell, and a business calendar with a window and a
closed day."""

from __future__ import annotations

import datetime
from typing import Any

from stuurwiel.agreements.models import Agreement, AgreementVersion, Norm, PriorityCell
from stuurwiel.calendars.models import BusinessCalendar, ClosedDay, ServiceWindow
from stuurwiel.graph.models import Subject
from stuurwiel.parties.models import Supplier, Team
from stuurwiel.services.models import (
    CanvasItem,
    DesignApproval,
    InfrastructureComponent,
    Interface,
    Link,
    Service,
)

#: The models a service design consists of (what the generated tests cover).
DESIGN_MODELS = (
    Service,
    CanvasItem,
    Link,
    Interface,
    InfrastructureComponent,
    DesignApproval,
    Agreement,
    AgreementVersion,
    Norm,
    PriorityCell,
    BusinessCalendar,
    ServiceWindow,
    ClosedDay,
)


def service_design(
    org,
    *,
    name: str,
    subject: Subject | None = None,
    team: Team | None = None,
    supplier: Supplier | None = None,
    with_organisation_objects: bool = True,
) -> dict[Any, Any]:
    """Create one design in ``org``; returns model → object (the service's
    interface is the one from the customer to the team link)."""
    subject = subject or Subject.objects.create(organisation=org, name=name, kind="service")
    team = team or Team.objects.create(organisation=org, name=f"Team {name}")
    supplier = supplier or Supplier.objects.create(organisation=org, name=f"Leverancier {name}")
    objects: dict[Any, Any] = {}
    if with_organisation_objects:
        calendar = BusinessCalendar.objects.create(organisation=org, name=f"Kalender {name}")
        objects[BusinessCalendar] = calendar
        objects[ServiceWindow] = ServiceWindow.objects.create(
            organisation=org, calendar=calendar, weekday=1, start_minute=540, end_minute=1020
        )
        objects[ClosedDay] = ClosedDay.objects.create(
            organisation=org, calendar=calendar, date=datetime.date(2026, 12, 25), name=name
        )
        objects[PriorityCell] = PriorityCell.objects.create(
            # A column per design, so several designs fit in one organisation.
            organisation=org,
            matrix="call",
            row="high",
            column=name[-20:],
            priority=1,
        )
    service = Service.objects.create(organisation=org, subject=subject, name=name)
    objects[Service] = service
    objects[CanvasItem] = CanvasItem.objects.create(
        organisation=org, service=service, section="voorziening", name=f"Voorziening {name}"
    )
    team_link = Link.objects.create(organisation=org, service=service, team=team, position=1)
    supplier_link = Link.objects.create(
        organisation=org, service=service, supplier=supplier, position=2
    )
    objects[Link] = team_link
    objects["supplier_link"] = supplier_link
    objects[Interface] = Interface.objects.create(
        organisation=org,
        service=service,
        name=f"Aanvraag {name}",
        source_kind="customer",
        target_link=team_link,
    )
    Interface.objects.create(
        organisation=org,
        service=service,
        name=f"Overdracht {name}",
        source_link=team_link,
        target_link=supplier_link,
    )
    objects[InfrastructureComponent] = InfrastructureComponent.objects.create(
        organisation=org, service=service, name=f"Systeem {name}", kind="application"
    )
    objects[DesignApproval] = DesignApproval.objects.create(
        organisation=org,
        service=service,
        decision="rejected",
        decided_by_name="Iemand",
        service_version=1,
        design_digest="0" * 64,
        status_at="in_design",
        comment=name,
    )
    sa = Agreement.objects.create(organisation=org, service=service, kind="sa", name=f"SA {name}")
    objects[Agreement] = sa
    version = AgreementVersion.objects.create(organisation=org, agreement=sa, number=1)
    objects[AgreementVersion] = version
    objects[Norm] = Norm.objects.create(
        organisation=org,
        agreement_version=version,
        priority=1,
        response_minutes=60,
        resolution_minutes=480,
    )
    uc = Agreement.objects.create(
        organisation=org, service=service, kind="uc", link=supplier_link, name=f"UC {name}"
    )
    objects["uc"] = uc
    objects["uc_version"] = AgreementVersion.objects.create(
        organisation=org, agreement=uc, number=1
    )
    return objects


def call_for(service, *, number: str, requester=None, segment_link=None):
    """A call for ``service`` (at its first step), made directly: the generated
    tests need calls in and outside a scope, and one of a member's own."""
    from django.utils import timezone

    from stuurwiel.calls.definitions import current_snapshot, definition_of
    from stuurwiel.calls.models import Call, LinkSegment
    from stuurwiel.workflow import engine

    snapshot = current_snapshot()
    state = engine.start(definition_of(snapshot), "incident")
    call = Call.objects.create(
        organisation=service.organisation,
        number=number,
        service=service,
        call_type="incident",
        title=f"Melding {number}",
        channel="api",
        requester=requester,
        workflow=snapshot,
        state=engine.state_as_data(state),
        process=state.root.process,
        step=state.root.step,
        registered_at=timezone.now(),
    )
    if segment_link is not None:
        LinkSegment.objects.create(
            organisation=service.organisation,
            call=call,
            link=segment_link,
            started_at=timezone.now(),
        )
    return call


def webhook_endpoint_for(organisation, *, name: str):
    """A supplier's webhook endpoint (its own supplier, so any organisation will do)."""
    from stuurwiel.webhooks.models import WebhookEndpoint
    from stuurwiel.webhooks.signing import secret_generate

    supplier = Supplier.objects.create(organisation=organisation, name=f"Webhooks {name}")
    return WebhookEndpoint.objects.create(
        organisation=organisation,
        supplier=supplier,
        url=f"https://{name}.example/hooks",
        secret=secret_generate(),
        description=name,
    )


def webhook_delivery_for(call, *, name: str, endpoint=None):
    """A failed message about ``call`` (nothing is sent by making or showing it)."""
    from django.utils import timezone

    from stuurwiel.webhooks.models import WebhookDelivery

    endpoint = endpoint or webhook_endpoint_for(call.organisation, name=name)
    return WebhookDelivery.objects.create(
        organisation=call.organisation,
        endpoint=endpoint,
        call=call,
        event_kind="handed_over",
        message_id=f"msg_{name}",
        payload={"type": "call.handed_over", "data": {"reason": name}},
        status="failed",
        attempts=8,
        last_error=f"down {name}",
        created_at=timezone.now(),
    )
