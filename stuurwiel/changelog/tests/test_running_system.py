"""The change log carries a running system: integer ids, one correlation id per
request, command or job, parts rolling up to their whole, keyset pages, date
ranges an index serves, and deletes that detach thousands in constant queries."""

import datetime
import uuid

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from stuurwiel.changelog.choices import ChangeSource
from stuurwiel.changelog.commands import WritingCommand
from stuurwiel.changelog.context import change_context, current_correlation_id
from stuurwiel.changelog.filtersets import ChangeLogEntryFilterSet
from stuurwiel.changelog.middleware import ChangeContextMiddleware
from stuurwiel.changelog.models import ChangeLogEntry
from stuurwiel.changelog.selectors import (
    changes_for_object,
    changes_for_organisation,
    keyset_page,
)
from stuurwiel.changelog.services import change_record
from stuurwiel.graph import services as graph
from stuurwiel.graph.models import Element
from stuurwiel.parties import services as parties

pytestmark = pytest.mark.django_db


def _team(org, by, name="Team Wmo"):
    return parties.team_create(organisation=org, by=by, data={"name": name})


def test_object_ids_are_stored_as_integers(org_a, admin_a):
    team = _team(org_a, admin_a)
    entry = ChangeLogEntry.objects.get()
    assert ChangeLogEntry._meta.get_field("object_id").get_internal_type() == (
        "PositiveBigIntegerField"
    )
    assert entry.object_id == team.pk and isinstance(entry.object_id, int)
    # An integer comparison, not a string one: "10" > "9" would be false as text.
    assert ChangeLogEntry.objects.filter(object_id__gt=team.pk - 1).get() == entry


def test_every_write_of_one_request_shares_one_correlation_id(org_a, admin_a):
    names = iter(f"Team {n}" for n in range(4))

    def view(request):
        _team(org_a, admin_a, next(names))
        _team(org_a, admin_a, next(names))
        return None

    middleware = ChangeContextMiddleware(view)
    middleware(RequestFactory().post("/o/alfa/parties/teams/add/"))
    middleware(RequestFactory().post("/api/alfa/teams/"))
    first, second, third, fourth = ChangeLogEntry.objects.order_by("id")
    assert first.correlation_id is not None
    assert first.correlation_id == second.correlation_id
    assert third.correlation_id not in (None, first.correlation_id)
    assert fourth.correlation_id == third.correlation_id
    assert (first.source, third.source) == (ChangeSource.UI, ChangeSource.API)


def test_two_api_requests_get_different_correlation_ids(org_a, admin_a, api_client):
    client = api_client(admin_a)
    url = reverse("parties-api:team-list", kwargs={"org": "alfa"})
    assert client.post(url, {"name": "Team A"}, format="json").status_code == 201
    assert client.post(url, {"name": "Team B"}, format="json").status_code == 201
    ids = list(ChangeLogEntry.objects.values_list("correlation_id", flat=True))
    assert len(ids) == 2 and None not in ids and ids[0] != ids[1]


class _TwoTeams(WritingCommand):
    actor_name = "Demo"

    def handle(self, *args, **options):
        from stuurwiel.organisations.models import Organisation

        org = Organisation.objects.get(slug="alfa")
        for name in ("Team 1", "Team 2"):
            parties.team_create(organisation=org, by=self.acting_user(options), data={"name": name})


def test_one_command_is_one_correlation_named_after_the_command(org_a):
    call_command(_TwoTeams())
    first, second = ChangeLogEntry.objects.order_by("id")
    assert first.correlation_id is not None
    assert first.correlation_id == second.correlation_id
    assert first.source == ChangeSource.COMMAND
    assert first.actor_display == "Demo (opdrachtregel)"


def test_a_command_run_as_a_user_names_the_person(org_a, admin_a):
    admin_a.memberships.update(name="Anna de Vries")  # as the organisation knows her
    call_command(_TwoTeams(), "--user", "admin-a")
    ChangeLogEntry.objects.exclude(pk=ChangeLogEntry.objects.first().pk).delete()
    assert ChangeLogEntry.objects.first().actor_display == "Anna de Vries (opdrachtregel)"


def test_a_job_decorated_with_change_context_gets_its_own_id_per_run(org_a):
    @change_context(source=ChangeSource.JOB)
    def job(name):
        _team(org_a, None, name)
        return current_correlation_id()

    first, second = job("Team 1"), job("Team 2")
    assert first != second
    logged = list(ChangeLogEntry.objects.order_by("id").values_list("correlation_id", flat=True))
    assert logged == [first, second]
    assert ChangeLogEntry.objects.first().actor_display == "Systeem (taak)"


def test_a_job_can_continue_a_given_correlation_id(org_a):
    given = uuid.uuid4()
    with change_context(source=ChangeSource.JOB, correlation_id=given, actor_name="Nacht"):
        _team(org_a, None)
        with change_context():  # nested: stays part of the outer unit of work
            _team(org_a, None, "Team 2")
    assert set(ChangeLogEntry.objects.values_list("correlation_id", flat=True)) == {given}


def test_a_parts_changes_roll_up_to_the_whole(org_a, admin_a):
    subject = graph.subject_create(
        organisation=org_a, by=admin_a, data={"kind": "service", "name": "Verhuizing"}
    )
    element = graph.element_create(
        organisation=org_a,
        by=admin_a,
        data={"name": "Adres", "element_type": "goal", "subject": subject},
    )
    team = _team(org_a, admin_a)
    change_record(
        instance=team,
        action="update",
        by=admin_a,
        before={"name": "a"},
        after={"name": "b"},
        parent=subject,
    )
    entry = ChangeLogEntry.objects.get(content_type__model="element")
    assert (entry.parent_content_type.model, entry.parent_object_id) == ("subject", subject.pk)
    whole = list(changes_for_object(subject))
    assert {e.content_type.model for e in whole} == {"subject", "element", "team"}
    assert [e.object_repr for e in changes_for_object(subject, with_parts=False)] == ["Verhuizing"]
    assert [e.object_repr for e in changes_for_object(element)] == ["Adres"]


def test_keyset_pages_cover_the_feed_once_in_order_even_with_equal_timestamps(org_a, admin_a):
    for n in range(7):
        _team(org_a, admin_a, f"Team {n}")
    same = timezone.now()
    ChangeLogEntry.objects.filter(object_repr__in=["Team 2", "Team 3", "Team 4"]).update(
        timestamp=same
    )
    expected = list(changes_for_organisation(organisation=org_a).values_list("pk", flat=True))
    seen, cursor = [], None
    while True:
        page = keyset_page(changes_for_organisation(organisation=org_a), cursor=cursor, size=3)
        seen += [entry.pk for entry in page]
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    assert seen == expected and len(seen) == 7


def test_feed_pages_count_nothing_and_run_the_same_queries_late(client_a, org_a, admin_a):
    for n in range(60):
        _team(org_a, admin_a, f"Team {n}")
    url = reverse("changelog:feed", kwargs={"org": "alfa"})
    client_a.get(url)  # fills Django's content-type cache
    with CaptureQueriesContext(connection) as first:
        response = client_a.get(url)
    cursor = response.context["page"].next_cursor
    assert cursor
    with CaptureQueriesContext(connection) as later:
        response = client_a.get(url, {"cursor": cursor})
    assert len(response.context["page"].object_list) == 10
    sql = " ".join(q["sql"] for q in [*first.captured_queries, *later.captured_queries]).upper()
    assert "COUNT(" not in sql and "DISTINCT" not in sql and "OFFSET" not in sql
    assert len(later) == len(first)


def test_history_pages_by_keyset(client_a, org_a, admin_a):
    team = _team(org_a, admin_a)
    for n in range(55):
        team = parties.team_update(
            instance=team, by=admin_a, data={"name": f"Team {n}"}, version=team.version
        )
    url = reverse("parties:team_history", kwargs={"org": "alfa", "pk": team.pk})
    first = client_a.get(url).context["page"]
    second = client_a.get(url, {"cursor": first.next_cursor}).context["page"]
    assert len(first) == 50 and len(second) == 6 and second.next_cursor is None
    assert {e.pk for e in first}.isdisjoint({e.pk for e in second})


def test_date_filters_are_timestamp_ranges_in_local_days(org_a, admin_a, rf):
    for name in ("late", "next"):
        _team(org_a, admin_a, name)
    zone = timezone.get_current_timezone()
    late = datetime.datetime(2026, 3, 10, 23, 30, tzinfo=zone)  # 22:30 UTC, still the 10th here
    ChangeLogEntry.objects.filter(object_repr="late").update(timestamp=late)
    ChangeLogEntry.objects.filter(object_repr="next").update(
        timestamp=late + datetime.timedelta(minutes=40)
    )
    request = rf.get("/")
    request.organisation = org_a
    filterset = ChangeLogEntryFilterSet(
        {"since": "2026-03-10", "until": "2026-03-10"},
        queryset=changes_for_organisation(organisation=org_a),
        request=request,
    )
    with CaptureQueriesContext(connection) as captured:
        names = [entry.object_repr for entry in filterset.qs]
    assert names == ["late"]
    sql = captured.captured_queries[-1]["sql"]
    for cast in ("::date", "AT TIME ZONE", "django_datetime_cast_date", "django_date"):
        assert cast not in sql
    assert '"timestamp" >=' in sql and '"timestamp" <' in sql


def test_the_type_filter_does_not_read_the_log(org_a, admin_a, rf):
    _team(org_a, admin_a)
    request = rf.get("/")
    request.organisation = org_a
    filterset = ChangeLogEntryFilterSet(queryset=ChangeLogEntry.objects.all(), request=request)
    with CaptureQueriesContext(connection) as captured:
        choices = dict(filterset.form.fields["content_type"].choices)
    assert "Team" in choices.values() and "Element" in choices.values()
    assert "" in choices  # no type is preselected
    assert not any("changelog_changelogentry" in q["sql"] for q in captured.captured_queries)


def _delete_owner_queries(org, admin, n):
    person = parties.person_create(organisation=org, by=admin, data={"name": f"Eigenaar {n}"})
    Element.objects.bulk_create(
        Element(organisation=org, name=f"E{n}-{i}", element_type="goal", owner=person)
        for i in range(n)
    )
    with CaptureQueriesContext(connection) as captured:
        parties.person_delete(instance=person, by=admin)
    return captured


def test_deleting_an_owner_of_many_costs_the_same_queries_for_any_number(org_a, admin_a):
    few = _delete_owner_queries(org_a, admin_a, 3)
    many = _delete_owner_queries(org_a, admin_a, 120)
    assert len(many) == len(few)
    inserts = [q for q in many.captured_queries if q["sql"].startswith("INSERT")]
    assert len(inserts) == 2  # the person's delete and one for all 120 detached elements
    detached = ChangeLogEntry.objects.filter(
        content_type__model="element", action="update", object_repr__startswith="E120-"
    )
    assert detached.count() == 120
    entry = detached.first()
    assert entry.before["owner"] is not None and entry.after == {"owner": None}
    assert entry.correlation_id is None or isinstance(entry.correlation_id, uuid.UUID)
    assert set(
        Element.objects.filter(name__startswith="E120-").values_list("version", "owner")
    ) == {(2, None)}


def test_one_write_adds_one_insert_per_changed_object(org_a, admin_a):
    team = _team(org_a, admin_a)
    with CaptureQueriesContext(connection) as captured:
        parties.team_update(instance=team, by=admin_a, data={"name": "Nieuw"}, version=1)
    logged = [q for q in captured.captured_queries if "changelog_changelogentry" in q["sql"]]
    assert len(logged) == 1 and logged[0]["sql"].startswith("INSERT")


def test_the_api_feed_pages_by_cursor_with_the_same_filters(org_a, admin_a, api_client):
    for n in range(55):
        _team(org_a, admin_a, f"Team {n}")
    parties.person_create(organisation=org_a, by=admin_a, data={"name": "Piet"})
    client = api_client(admin_a)
    url = reverse("changelog-api:change-list", kwargs={"org": "alfa"})
    first = client.get(url).json()
    assert "count" not in first and len(first["results"]) == 50 and first["previous"] is None
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 6 and second["next"] is None and second["previous"]
    ids = [e["id"] for e in first["results"] + second["results"]]
    assert len(set(ids)) == 56 and ids == sorted(ids, reverse=True)
    assert isinstance(first["results"][0]["object_id"], int)
    assert {"correlation_id", "parent_type", "parent_object_id"} <= set(first["results"][0])
    person_type = ContentType.objects.get_by_natural_key("parties", "person").pk
    only = client.get(url, {"content_type": person_type, "since": "2000-01-01"}).json()
    assert [e["object_repr"] for e in only["results"]] == ["Piet"]


def test_a_wholes_history_pages_through_its_own_and_its_parts_entries_once(org_a, admin_a):
    from stuurwiel.changelog.selectors import object_history_page

    subject = graph.subject_create(
        organisation=org_a, by=admin_a, data={"kind": "service", "name": "Verhuizing"}
    )
    for n in range(30):
        graph.element_create(
            organisation=org_a,
            by=admin_a,
            data={"name": f"Stap {n}", "element_type": "goal", "subject": subject},
        )
        subject = graph.subject_update(
            instance=subject, by=admin_a, version=subject.version, data={"name": f"V{n}"}
        )
    expected = list(changes_for_object(subject).values_list("pk", flat=True))
    seen, cursor = [], None
    while True:
        page = object_history_page(subject, cursor=cursor, size=7)
        seen += [entry.pk for entry in page]
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    assert seen == expected and len(seen) == 61


def test_outside_a_request_the_members_name_is_looked_up_once_per_organisation(org_a, admin_a):
    admin_a.memberships.update(name="Anna de Vries")
    from stuurwiel.parties.models import Team

    teams = [Team.objects.create(organisation=org_a, name=f"Team {n}") for n in range(5)]
    with change_context(source=ChangeSource.COMMAND), CaptureQueriesContext(connection) as seen:
        for team in teams:
            change_record(instance=team, action="create", by=admin_a, after={"name": team.name})
    lookups = [q for q in seen.captured_queries if "organisations_membership" in q["sql"]]
    assert len(lookups) == 1
    assert set(ChangeLogEntry.objects.values_list("actor_repr", flat=True)) == {"Anna de Vries"}
