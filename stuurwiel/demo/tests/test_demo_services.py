"""The demo's services: three live through the design gate, designed and approved
by two different members, with realistic chains, agreements and calendars; one in
draft that the gate keeps out with the gaps it shows."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from stuurwiel.agreements.choices import AgreementKind, VersionStatus
from stuurwiel.agreements.consistency import norm_findings
from stuurwiel.agreements.models import Agreement, AgreementVersion, Norm
from stuurwiel.calendars.businesstime import business_duration, dutch_holidays
from stuurwiel.calendars.models import BusinessCalendar
from stuurwiel.changelog.models import ChangeLogEntry
from stuurwiel.services import design, gate
from stuurwiel.services.choices import ServiceStatus
from stuurwiel.services.models import DesignApproval, Service

LIVE = ("Verhuizing doorgeven", "Wmo-aanvraag", "Omgevingsvergunning")
DRAFT = "Parkeervergunning aanvragen"
DESIGNERS = {
    "Verhuizing doorgeven": ("service_owner", "manager"),
    "Wmo-aanvraag": ("architect", "manager"),
    "Omgevingsvergunning": ("workflow_manager", "architect"),
}


def _service(org, name: str) -> Service:
    return Service.objects.select_related("subject", "owner", "calendar").get(
        organisation=org, name=name
    )


def _design_actors(service: Service) -> set[str]:
    """Usernames of everyone who wrote a part of the design or its agreements."""
    types = ContentType.objects.get_for_models(Service, Agreement, AgreementVersion, DesignApproval)
    agreements = Agreement.objects.filter(service=service).values_list("pk", flat=True)
    versions = AgreementVersion.objects.filter(agreement__service=service).values_list(
        "pk", flat=True
    )
    written = (
        Q(parent_content_type=types[Service], parent_object_id=service.pk)
        | Q(parent_content_type=types[Agreement], parent_object_id__in=list(agreements))
        | Q(parent_content_type=types[AgreementVersion], parent_object_id__in=list(versions))
    )
    entries = (
        ChangeLogEntry.objects.filter(written)
        .exclude(content_type=types[DesignApproval])
        .select_related("actor")
    )
    return {entry.actor.username for entry in entries if entry.actor is not None}


@pytest.mark.parametrize("name", LIVE)
def test_the_three_services_of_the_case_are_live_with_their_design_gate_open(middenstad, name):
    service = _service(middenstad, name)
    assert service.status == ServiceStatus.LIVE
    assert gate.gate_gaps(service) == []
    assert all(condition.met for condition in gate.gate_conditions(service))
    # The subject follows the service: active, seen through the USM lens.
    assert service.subject.status == "active"
    assert list(service.subject.frameworks.values_list("ref_id", flat=True)) == ["usm"]


@pytest.mark.parametrize("name", LIVE)
def test_each_live_service_was_designed_by_one_member_and_approved_by_another(middenstad, name):
    designer, approver = DESIGNERS[name]
    service = _service(middenstad, name)
    [approval] = service.approvals.all()
    assert approval.decision == "approved"
    assert approval.decided_by.username == approver != designer
    assert approval.design_digest == design.design_digest(service)
    assert _design_actors(service) == {designer}


def test_the_draft_service_fails_the_gate_and_says_why(middenstad):
    service = _service(middenstad, DRAFT)
    assert service.status == ServiceStatus.DRAFT
    codes = [gap.code for gap in gate.gate_gaps(service)]
    assert set(codes) == {
        "customer_description_missing",
        "canvas_cell_empty",
        "canvas_ondersteuning_missing",
        "owner_missing",
        "customer_interface_missing",
        "link_without_interface",
        "sa_missing",
        "agreement_missing",
        "calendar_missing",
        "norms_not_checkable",
        "approval_missing",
    }
    # One gap per link without an interface and per link without its agreement.
    assert codes.count("link_without_interface") == codes.count("agreement_missing") == 2
    assert not service.approvals.exists()


def test_verhuizing_runs_through_the_chain_of_the_case(middenstad):
    service = _service(middenstad, "Verhuizing doorgeven")
    links = {str(link): link.is_supplier for link in service.links.all()}
    assert links == {
        "Klantcontactcentrum": False,
        "Burgerzaken": False,
        "Afval en Reiniging": False,
        "Parkeren": False,
        "Wmo-loket": False,
        "Applicatiebeheer": False,
        "Dossierlijn B.V.": True,
    }
    assert service.owner.name == "Esther Koster"
    assert all(link.steps for link in service.links.all())


def test_the_omgevingsvergunning_has_the_regional_environment_service_as_supplier(middenstad):
    service = _service(middenstad, "Omgevingsvergunning")
    uc = Agreement.objects.get(service=service, kind=AgreementKind.UC)
    assert uc.link.supplier.name == "Omgevingsdienst Regio Middenstad"
    assert {link.team.domain for link in service.links.all() if link.team} >= {
        "Omgevingsbeheer",
        "Financiën",
    }


@pytest.mark.parametrize("name", LIVE)
def test_every_agreement_of_a_live_service_is_in_force_with_a_norm_per_priority(middenstad, name):
    service = _service(middenstad, name)
    agreements = Agreement.objects.filter(service=service)
    assert agreements.filter(kind=AgreementKind.SA).count() == 1
    assert agreements.exclude(kind=AgreementKind.SA).count() == service.links.count()
    for agreement in agreements:
        [version] = agreement.versions.all()
        assert version.status == VersionStatus.ACTIVE and version.activated_by is not None
        assert version.calendar is not None
        assert sorted(n.priority for n in version.norms.all()) == [1, 2, 3, 4, 5]
    assert norm_findings(service) == []


@pytest.mark.parametrize(
    "name,articles",
    [
        ("Wmo-aanvraag", ["Wmo 2015, art. 2.3.2 lid 1", "Wmo 2015, art. 2.3.5 lid 1"]),
        (
            "Omgevingsvergunning",
            ["Omgevingswet, art. 16.64 lid 1", "Omgevingswet, art. 16.64 lid 2"],
        ),
    ],
)
def test_statutory_deadlines_name_their_law_article_as_a_source_outside_the_book(
    middenstad, name, articles
):
    sa = Agreement.objects.get(service__organisation=middenstad, service__name=name, kind="sa")
    notes = sa.versions.get().notes
    assert "Wettelijke basis:" in notes
    for article in articles:
        assert f"(bron, buiten het boek: {article})" in notes


def test_the_statutory_six_plus_two_weeks_bound_the_wmo_norms(middenstad):
    # Eight weeks as business minutes on office hours: 40 working days of 480 minutes.
    sa = Agreement.objects.get(
        service__organisation=middenstad, service__name="Wmo-aanvraag", kind="sa"
    )
    resolutions = Norm.objects.filter(agreement_version__agreement=sa).values_list(
        "resolution_minutes", flat=True
    )
    assert max(resolutions) == 8 * 5 * 480


def test_the_calendars_hold_office_hours_kcc_hours_and_round_the_clock(middenstad):
    calendars = {c.name: c for c in BusinessCalendar.objects.filter(organisation=middenstad)}
    office = calendars["Kantoortijden gemeente"]
    windows = sorted((w.weekday, w.start_minute, w.end_minute) for w in office.windows.all())
    assert windows == [
        (day, start, end) for day in range(1, 6) for start, end in ((510, 750), (780, 1020))
    ]
    kcc = calendars["KCC telefonisch"].windows.all()
    assert sorted((w.weekday, w.start_minute, w.end_minute) for w in kcc) == [
        *[(day, 480, 1200) for day in range(1, 6)],
        (6, 540, 780),
    ]
    round_the_clock = calendars["24/7"]
    assert round_the_clock.windows.count() == 7 and not round_the_clock.closed_days.exists()
    assert {(w.start_minute, w.end_minute) for w in round_the_clock.windows.all()} == {(0, 1440)}


def test_office_hours_close_on_the_dutch_holidays_with_their_default_flags(middenstad):
    office = BusinessCalendar.objects.get(organisation=middenstad, name="Kantoortijden gemeente")
    stored = [(d.date, d.name, d.active) for d in office.closed_days.order_by("date")]
    expected = [(row.date, row.name, row.active) for row in dutch_holidays(2026, 2027)]
    assert stored == expected
    assert (datetime.date(2026, 4, 3), False) in {(d, active) for d, _n, active in stored}
    business = office.as_business_time()
    zone = ZoneInfo("Europe/Amsterdam")

    def day(month: int, number: int) -> datetime.timedelta:
        start = datetime.datetime(2026, month, number, 0, 0, tzinfo=zone)
        return business_duration(business, start, start + datetime.timedelta(days=1))

    assert day(12, 23) == datetime.timedelta(hours=8)  # a Wednesday: 480 business minutes
    assert day(12, 25) == datetime.timedelta(0)  # Eerste Kerstdag
    assert day(4, 3) == datetime.timedelta(hours=8)  # Goede Vrijdag stays open by default


def test_the_requester_catalogue_offers_only_the_live_services(
    middenstad, client, django_user_model
):
    client.force_login(django_user_model.objects.get(username="requester"))
    page = client.get(f"/o/{middenstad.slug}/services/catalogue/").content.decode()
    for name in LIVE:
        assert name in page
    assert DRAFT not in page
