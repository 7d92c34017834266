"""History people can read: translated labels, values as people know them,
long texts as a diff, actors by name, a dashboard of work rather than bookkeeping."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stuurwiel.changelog.choices import ChangeSource
from stuurwiel.changelog.context import change_context
from stuurwiel.changelog.models import ChangeLogEntry
from stuurwiel.changelog.services import change_record
from stuurwiel.frameworks.models import Framework
from stuurwiel.graph import services as graph
from stuurwiel.organisations.choices import Role
from stuurwiel.parties import services as parties

pytestmark = pytest.mark.django_db

TEXT = "De inwoner geeft een nieuw adres door en de gemeente controleert de gegevens."


@pytest.fixture
def named_admin(admin_a):
    # The log names a member as their organisation knows them.
    admin_a.first_name, admin_a.last_name = "Anna", "elders bekend als iemand anders"
    admin_a.save()
    admin_a.memberships.update(name="Anna de Vries")
    return admin_a


@pytest.fixture
def stakeholder(org_a, named_admin):
    anna = parties.person_create(organisation=org_a, by=named_admin, data={"name": "Anna Bakker"})
    piet = parties.person_create(organisation=org_a, by=named_admin, data={"name": "Piet Jansen"})
    item = parties.stakeholder_create(
        organisation=org_a,
        by=named_admin,
        data={
            "name": "Inwoners",
            "category": "people",
            "interest": "high",
            "influence": "low",
            "is_internal": False,
            "description": TEXT,
            "contact": anna,
        },
    )
    item = parties.stakeholder_update(
        instance=item,
        by=named_admin,
        version=1,
        data={
            "interest": "medium",
            "is_internal": True,
            "contact": piet,
            "description": TEXT.replace("controleert", "toetst"),
        },
    )
    return item, anna, piet


def _history(client, item):
    url = reverse("parties:stakeholder_history", kwargs={"org": "alfa", "pk": item.pk})
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_history_shows_labels_and_values_as_people_know_them(client_a, stakeholder):
    item, anna, piet = stakeholder
    html = _history(client_a, item)
    # Field labels from the models' verbose names, in Dutch.
    for label in ("Belang", "Intern", "Contactpersoon", "Beschrijving"):
        assert f'<th scope="row">{label}</th>' in html, label
    for raw in ("interest", "is_internal", "contact", "description", ">medium<", ">True<"):
        assert raw not in html
    # Choice labels, booleans as ja/nee, a person by name, linked.
    assert "<td>Hoog</td><td>Gemiddeld</td>" in html
    assert "<td>nee</td><td>ja</td>" in html
    assert f'<a href="{piet.get_absolute_url()}">Piet Jansen</a>' in html
    assert f'<a href="{anna.get_absolute_url()}">Anna Bakker</a>' in html
    # A long text as a word diff, not two copies to compare by eye.
    assert "<del>controleert</del>" in html and "<ins>toetst</ins>" in html
    # The actor as a person.
    assert "door Anna de Vries" in html and "admin-a" not in html


def test_a_deleted_reference_says_so_with_its_last_name(client_a, stakeholder, named_admin):
    item, anna, _piet = stakeholder
    parties.person_delete(instance=anna, by=named_admin)
    html = _history(client_a, item)
    assert 'Anna Bakker <span class="muted">(verwijderd)</span>' in html


def test_links_only_where_the_viewer_may_go(client, org_a, make_member, stakeholder):
    item, _anna, piet = stakeholder
    from stuurwiel.changelog.presenters import present

    [entry] = ChangeLogEntry.objects.filter(action="update", content_type__model="stakeholder")
    present([entry], organisation=org_a, permissions={"graph.view"})
    cells = " ".join(str(row.after) for row in entry.readable_changes)
    assert "Piet Jansen" in cells and "<a " not in cells


def test_many_to_many_as_names(client_a, org_a, named_admin):
    framework = Framework.objects.create(
        urn="urn:test:kompas", ref_id="kompas", version=1, name_nl="Kompas", name_en="Compass"
    )
    subject = graph.subject_create(
        organisation=org_a, by=named_admin, data={"name": "Verhuizing", "kind": "service"}
    )
    graph.subject_update(
        instance=subject, by=named_admin, version=1, data={"frameworks": [framework]}
    )
    url = reverse("graph:subject_history", kwargs={"org": "alfa", "pk": subject.pk})
    html = client_a.get(url).content.decode()
    assert '<th scope="row">Modellen</th>' in html or "Kompas" in html
    assert "<td>Kompas</td>" in html and f"[{framework.pk}]" not in html


def test_history_page_queries_do_not_grow_with_referenced_objects(client_a, org_a, named_admin):
    def queries(item):
        url = reverse("parties:stakeholder_history", kwargs={"org": "alfa", "pk": item.pk})
        client_a.get(url)
        with CaptureQueriesContext(connection) as captured:
            client_a.get(url)
        return len(captured)

    item = parties.stakeholder_create(
        organisation=org_a,
        by=named_admin,
        data={"name": "Ondernemers", "category": "people", "interest": "high", "influence": "low"},
    )

    def refer_to_new_people(item, count):
        for n in range(count):
            person = parties.person_create(
                organisation=org_a, by=named_admin, data={"name": f"P{item.version}-{n}"}
            )
            item = parties.stakeholder_update(
                instance=item, by=named_admin, version=item.version, data={"contact": person}
            )
        return item

    item = refer_to_new_people(item, 2)
    few = queries(item)
    item = refer_to_new_people(item, 10)
    assert queries(item) == few


def test_a_command_is_named_as_the_demo_and_a_job_as_the_system(org_a):
    from stuurwiel.changelog.tests.test_running_system import _TwoTeams

    call_command(_TwoTeams())
    with change_context(source=ChangeSource.JOB):
        parties.team_create(organisation=org_a, by=None, data={"name": "Team Nacht"})
    names = [entry.actor_display for entry in ChangeLogEntry.objects.order_by("id")]
    assert names == ["Demo (opdrachtregel)", "Demo (opdrachtregel)", "Systeem (taak)"]
    assert not any("root" in name or "command" in name for name in names)


def test_dashboard_summarises_work_not_bookkeeping(client_a, org_a, named_admin, make_member):
    subject = graph.subject_create(
        organisation=org_a, by=named_admin, data={"name": "Verhuizing doorgeven", "kind": "service"}
    )
    elements = [
        graph.element_create(
            organisation=org_a,
            by=named_admin,
            data={"name": f"Stap {n}", "element_type": "goal", "subject": subject},
        )
        for n in range(3)
    ]
    with change_context(source=ChangeSource.UI, new_correlation=True):
        for element in elements:
            graph.element_update(
                instance=element, by=named_admin, version=1, data={"name": f"{element.name}!"}
            )
    newcomer = make_member(org_a, Role.OPERATOR, username="nieuw-lid")
    membership = newcomer.memberships.get()
    for _ in range(2):  # membership bookkeeping, written after the work
        change_record(instance=membership, action="create", by=named_admin, after={"user": 1})
    html = client_a.get(reverse("organisations:dashboard", kwargs={"org": "alfa"})).content.decode()
    assert "Anna de Vries wijzigde 3 elementen van Verhuizing doorgeven" in html
    assert "Lid:" not in html and "@ Gemeente Alfa" not in html
    # The line opens exactly the entries of that one request.
    import re

    link = re.search(r'href="([^"]+\?correlation=[^"]+)">Anna de Vries wijzigde 3', html).group(1)
    page = client_a.get(link.replace("&amp;", "&"))
    assert [e.object_repr for e in page.context["page"]] == ["Stap 2!", "Stap 1!", "Stap 0!"]
    assert "Wijzigingen van één verzoek, opdracht of taak." in page.content.decode()
