"""Export and import of a whole service design as JSON."""

from __future__ import annotations

import copy
import json

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from stuurwiel.agreements.models import Agreement
from stuurwiel.changelog.models import ChangeLogEntry
from stuurwiel.organisations import access
from stuurwiel.organisations.choices import Role
from stuurwiel.organisations.models import Membership, RoleAssignment
from stuurwiel.parties.models import Person, Team
from stuurwiel.services import exchange
from stuurwiel.services import services as service_writes
from stuurwiel.services.models import Service
from stuurwiel.services.tests.conftest import full_design

pytestmark = pytest.mark.django_db


def not_carried_removed(data: dict) -> dict:
    """The export without what an import documents it does not carry."""
    data = copy.deepcopy(data)
    data["service"].pop("status")
    data["service"].pop("approvals")
    for agreement in data["service"]["agreements"]:
        for version in agreement["versions"]:
            version.pop("status")
    return data


def row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


@pytest.fixture
def manager_b(make_member, org_b):
    return make_member(org_b, Role.MANAGER, username="manager-b")


def test_round_trip_into_an_empty_organisation_gives_the_same_export(design_a, org_b, manager_b):
    exported = exchange.service_export(design_a)
    # Through JSON text, as a file would travel.
    data = json.loads(exchange.service_export_json(design_a))
    result = exchange.service_import(organisation=org_b, by=manager_b, data=data)
    again = exchange.service_export(result.service)
    assert not_carried_removed(again) == not_carried_removed(exported)
    assert again["service"]["status"] == "draft" and again["service"]["approvals"] == []
    versions = [v for a in again["service"]["agreements"] for v in a["versions"]]
    assert {v["status"] for v in versions} == {"draft"}


def test_the_export_carries_calendars_with_windows_and_closed_days(design_a):
    references = exchange.service_export(design_a)["references"]
    office = next(c for c in references["calendars"] if c["name"] == "Kantoortijden")
    assert office["windows"][:2] == [
        {"weekday": 1, "start": "08:30", "end": "12:00"},
        {"weekday": 1, "start": "13:00", "end": "17:00"},
    ]
    assert {"date": "2026-04-03", "name": "Goede Vrijdag", "kind": "holiday", "active": False} in (
        office["closed_days"]
    )
    assert [p["name"] for p in references["persons"]] == ["Fatima Yilmaz"]


def test_import_creates_what_the_organisation_lacks_and_says_so(design_a, org_b, manager_b):
    Team.objects.create(organisation=org_b, name="Burgerzaken", code="EIGEN")
    result = exchange.service_import(
        organisation=org_b, by=manager_b, data=exchange.service_export(design_a)
    )
    created = {name for _kind, name in result.created}
    assert "Burgerzaken" not in created  # the organisation's own team is used
    assert {"Fatima Yilmaz", "Pink Roccade", "Inwoners", "Kantoortijden", "BRP-koppeling"} <= (
        created
    )
    assert Team.objects.get(organisation=org_b, name="Burgerzaken").code == "EIGEN"
    assert len(result.notes) == 3  # draft, approvals, agreement versions


def test_import_writes_through_the_services_and_logs_every_write(design_a, org_b, manager_b):
    result = exchange.service_import(
        organisation=org_b, by=manager_b, data=exchange.service_export(design_a)
    )
    entries = ChangeLogEntry.objects.filter(organisation=org_b)
    assert entries.filter(actor=manager_b).count() == entries.count() > 30
    assert result.service.subject.kind == "service"
    # The importer worked on the design, so they may not approve it.
    from stuurwiel.services import design

    assert manager_b.pk in design.designer_ids(result.service)


def test_a_design_imported_twice_is_refused_for_its_taken_name(design_a, make_member, org_a):
    manager = make_member(org_a, Role.MANAGER, username="manager-a")
    with pytest.raises(exchange.ImportRefused) as refused:
        exchange.service_import(
            organisation=org_a, by=manager, data=exchange.service_export(design_a)
        )
    assert [p.path for p in refused.value.problems] == ["/service/name"]
    assert "Verhuizing" in refused.value.problems[0].message


def twenty_problems(data: dict) -> dict:
    service, references = data["service"], data["references"]
    service["name"] = ""  # 1
    service["form"] = "weird"  # 2
    service["customers"] = [5, "Inwoners", "Ondernemers"]  # 3
    service["canvas"][0]["section"] = "nope"  # 4
    service["canvas"][1]["values"]["unknown-cell"] = "x"  # 5
    service["canvas"][1]["position"] = -1  # 6
    service["links"][0]["steps"][0] = "no-step"  # 7
    service["links"][0]["contributes_to"] = ["Onbekend"]  # 8
    service["interfaces"][0]["to"] = "customer"  # 9 (customer to customer)
    service["interfaces"][1]["norm_minutes"] = "veel"  # 10
    service["interfaces"][1]["norm_note"] = "x" * 301  # 11
    service["infrastructure"][1]["kind"] = "ruimteschip"  # 12
    ola, sa = service["agreements"][0], service["agreements"][1]
    sa["versions"][1]["norms"][0]["resolution_minutes"] = 10  # 13 (before the response)
    sa["versions"][1]["availability"] = "101"  # 14
    ola["versions"].append(copy.deepcopy(ola["versions"][0]))  # 15 (version 1 twice)
    references["calendars"][0]["time_zone"] = "Mars/Olympus"  # 16
    references["calendars"][1]["windows"][0]["end"] = "25:00"  # 17
    references["stakeholders"][0]["category"] = "sport"  # 18
    service["extra"] = True  # 19
    service["owner"] = "Niemand"  # 20 (neither here nor described)
    return data


def test_a_file_with_twenty_problems_lists_all_twenty_and_writes_nothing(
    design_a, org_b, manager_b
):
    data = twenty_problems(exchange.service_export(design_a))
    before = row_counts()
    with pytest.raises(exchange.ImportRefused) as refused:
        exchange.service_import(organisation=org_b, by=manager_b, data=data)
    paths = [problem.path for problem in refused.value.problems]
    assert len(paths) == 20, "\n".join(map(str, refused.value.problems))
    assert set(paths) == {
        "/service/name",
        "/service/form",
        "/service/customers/0",
        "/service/canvas/0/section",
        "/service/canvas/1/values/unknown-cell",
        "/service/canvas/1/position",
        "/service/links/0/steps/0",
        "/service/links/0/contributes_to/0",
        "/service/interfaces/0/to",
        "/service/interfaces/1/norm_minutes",
        "/service/interfaces/1/norm_note",
        "/service/infrastructure/1/kind",
        "/service/agreements/1/versions/1/norms/0/resolution_minutes",
        "/service/agreements/1/versions/1/availability",
        "/service/agreements/0/versions/1/number",
        "/references/calendars/0/time_zone",
        "/references/calendars/1/windows/0/end",
        "/references/stakeholders/0/category",
        "/service/extra",
        "/service/owner",
    }
    assert row_counts() == before


def test_problems_are_explained_in_dutch(design_a, org_b, manager_b):
    data = exchange.service_export(design_a)
    data["service"]["interfaces"][0]["to"] = {"team": "Onbekend"}
    with pytest.raises(exchange.ImportRefused) as refused:
        exchange.service_import(organisation=org_b, by=manager_b, data=data)
    assert [str(p) for p in refused.value.problems] == [
        "/service/interfaces/0/to: De keten in dit bestand heeft geen schakel “Onbekend”."
    ]


def test_a_failure_in_the_last_write_leaves_the_database_unchanged(
    design_a, org_b, manager_b, monkeypatch
):
    calls = []
    real = exchange._norm_create

    def last_norm_fails(**kwargs):
        calls.append(kwargs)
        if len(calls) == 7:  # the design has 7 norms; this is the last write
            raise RuntimeError("disk full")
        return real(**kwargs)

    monkeypatch.setattr(exchange, "_norm_create", last_norm_fails)
    before = row_counts()
    with pytest.raises(RuntimeError):
        exchange.service_import(
            organisation=org_b, by=manager_b, data=exchange.service_export(design_a)
        )
    assert len(calls) == 7
    assert row_counts() == before


def test_a_refusal_during_the_writes_names_its_place_and_writes_nothing(
    design_a, org_b, manager_b, monkeypatch
):
    def refuse(**kwargs):
        raise ValidationError({"name": "Net door iemand anders aangemaakt."})

    monkeypatch.setattr(service_writes, "component_create", refuse)
    before = row_counts()
    with pytest.raises(exchange.ImportRefused) as refused:
        exchange.service_import(
            organisation=org_b, by=manager_b, data=exchange.service_export(design_a)
        )
    assert [p.path for p in refused.value.problems] == ["/service/infrastructure/0/name"]
    assert row_counts() == before


def test_names_the_file_does_not_describe_must_exist(design_a, org_b, manager_b):
    data = exchange.service_export(design_a)
    data["references"]["teams"] = []
    with pytest.raises(exchange.ImportRefused) as refused:
        exchange.service_import(organisation=org_b, by=manager_b, data=data)
    assert [p.path for p in refused.value.problems] == ["/service/links/0/team"]


def test_a_member_who_may_not_add_parties_is_told_per_name(design_a, org_b, make_member):
    # A workflow manager designs services but does not keep the parties or calendars.
    designer = make_member(org_b, Role.WORKFLOW_MANAGER, username="wfm-b")
    with pytest.raises(exchange.ImportRefused) as refused:
        exchange.service_import(
            organisation=org_b, by=designer, data=exchange.service_export(design_a)
        )
    problems = {p.path: p.message for p in refused.value.problems}
    assert set(problems) == {
        "/service/owner",
        "/service/customers/0",
        "/service/customers/1",
        "/service/calendar",
        "/service/agreements/0/versions/0/calendar",
        "/service/links/0/team",
        "/service/links/1/supplier",
    }
    assert "rollen" in problems["/service/owner"]


def test_a_scoped_designer_may_not_import_a_new_service(design_a, org_b, make_member):
    Membership.objects.filter(organisation=org_b).delete()
    user = make_member(org_b, username="scoped-b")
    membership = Membership.objects.get(user=user)
    subject = full_design(org_b, name="Ander").subject
    RoleAssignment.objects.create(membership=membership, role=Role.MANAGER, subject=subject)
    data = exchange.service_export(design_a)
    data["service"]["name"] = "Verhuizing bis"
    with pytest.raises(access.AccessDenied):
        exchange.service_import(organisation=org_b, by=user, data=data)


def test_a_specific_service_needs_its_generic_service_here(design_a, org_b, manager_b):
    data = exchange.service_export(design_a)
    data["service"]["form"] = "specific"
    data["service"]["generic_service"] = "Burgerzaken algemeen"
    with pytest.raises(exchange.ImportRefused) as refused:
        exchange.service_import(organisation=org_b, by=manager_b, data=data)
    assert [p.path for p in refused.value.problems] == ["/service/generic_service"]


def test_agreement_kinds_follow_the_link_kinds(design_a, org_b, manager_b):
    data = exchange.service_export(design_a)
    data["service"]["agreements"][2]["kind"] = "ola"  # the supplier's UC as an OLA
    data["service"]["agreements"][1]["link"] = {"team": "Burgerzaken"}  # an SA with a link
    with pytest.raises(exchange.ImportRefused) as refused:
        exchange.service_import(organisation=org_b, by=manager_b, data=data)
    assert sorted(p.path for p in refused.value.problems) == [
        "/service/agreements/1/link",  # an SA is with the customer
        "/service/agreements/1/link",  # and the team has its OLA already
        "/service/agreements/2/link",  # a supplier gets a UC
    ]


@pytest.mark.parametrize(
    "raw,expected",
    [
        (b"{not json", "geen geldige JSON"),
        (b"\xff\xfe", "UTF-8"),
        (b"[" * 100_000 + b"]" * 100_000, "bytes"),
    ],
)
def test_a_file_that_is_not_a_design_is_refused_readably(settings, raw, expected):
    settings.STUURWIEL_API_MAX_BODY = 150_000
    with pytest.raises(exchange.ImportRefused) as refused:
        exchange.design_load(raw)
    assert expected in refused.value.problems[0].message


def test_another_format_is_refused_at_once(org_b, manager_b):
    with pytest.raises(exchange.ImportRefused) as refused:
        exchange.service_import(
            organisation=org_b,
            by=manager_b,
            data={"format": "archimate", "format_version": 3, "service": {}},
        )
    assert [p.path for p in refused.value.problems] == ["/format"]


def test_a_supplier_user_exports_only_their_own_contract(design_a, org_a, make_member):
    user = make_member(org_a, username="leverancier")
    membership = Membership.objects.get(user=user)
    RoleAssignment.objects.create(
        membership=membership, role=Role.SUPPLIER_USER, subject=design_a.subject
    )
    supplier = design_a.links.get(supplier__isnull=False).supplier
    Person.objects.create(organisation=org_a, name="Lev", supplier=supplier, user=user)
    member = access.access_for(user, org_a)
    data = exchange.service_export(design_a, access=member)
    assert [a["name"] for a in data["service"]["agreements"]] == ["UC Pink"]
    assert [s["name"] for s in data["references"]["suppliers"]] == ["Pink Roccade"]
    assert data["references"]["teams"] == [] and data["references"]["persons"] == []
    # The digest of the design is the whole design, whoever asks.
    assert Agreement.objects.filter(service=design_a).count() == 3
    assert Service.objects.get(pk=design_a.pk).name == "Verhuizing"
