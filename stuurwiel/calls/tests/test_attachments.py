"""Files on a call and calls linked to each other: checked before storing,
served only as downloads, seen only by whom they are for."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from stuurwiel.calls import attachments
from stuurwiel.calls.choices import EventKind, RelationKind
from stuurwiel.calls.models import CallAttachment, CallEvent, CallRelation
from stuurwiel.calls.services import CallActionRefused, call_hand_over
from stuurwiel.calls.tests.test_views import reported
from stuurwiel.organisations import access

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.STUURWIEL_ATTACHMENT_MAX_BYTES = 1024
    return tmp_path


def upload(name="foto.pdf", content=PDF, kind="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=kind)


def client_for(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def page_url(world, call, name="call_detail", **kwargs):
    return reverse(f"calls:{name}", kwargs={"org": world.org.slug, "pk": call.pk, **kwargs})


def test_an_operator_attaches_a_pdf_and_the_history_records_it(world, media):
    call = reported(world)
    attachment = attachments.attachment_add(call=call, by=world.desk, upload=upload())
    assert attachment.content_type == "application/pdf" and attachment.size == len(PDF)
    assert attachment.name == "foto.pdf" and not attachment.public
    assert (media / attachment.file.name).read_bytes() == PDF
    # The stored name is a random token, never the uploaded name.
    assert "foto" not in attachment.file.name
    event = CallEvent.objects.get(call=call, kind=EventKind.ATTACHMENT_ADDED)
    assert event.text == "foto.pdf" and event.data["attachment"] == attachment.token


def test_a_file_too_large_is_refused_and_nothing_is_stored(world, media):
    call = reported(world)
    with pytest.raises(ValidationError) as refused:
        attachments.attachment_add(call=call, by=world.desk, upload=upload(content=PDF * 100))
    assert "larger than 1 kB" in str(refused.value)
    assert not CallAttachment.objects.exists() and not list(media.rglob("*.*"))


@pytest.mark.parametrize(
    "name,content",
    [
        ("pagina.html", b"<html><script>alert(1)</script></html>"),
        ("tekening.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
        ("programma.exe", b"MZ\x90\x00"),
        ("vermomd.pdf", b"<html><body>not a pdf</body></html>"),
        ("notitie.txt", b"hallo <script>alert(1)</script>"),
    ],
)
def test_refused_types_and_disguised_content_are_refused(world, name, content):
    call = reported(world)
    with pytest.raises(ValidationError):
        attachments.attachment_add(
            call=call, by=world.desk, upload=upload(name=name, content=content, kind="text/html")
        )
    assert not CallAttachment.objects.exists()


def test_the_browser_declared_type_is_ignored(world):
    call = reported(world)
    attachment = attachments.attachment_add(
        call=call,
        by=world.desk,
        upload=upload(name="log.txt", content=b"regel 1\n", kind="text/html"),
    )
    assert attachment.content_type == "text/plain"


def test_the_download_is_an_attachment_never_shown_inline(world):
    call = reported(world)
    attachment = attachments.attachment_add(call=call, by=world.desk, upload=upload())
    response = client_for(world.desk).get(
        page_url(world, call, "call_attachment", token=attachment.token)
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == PDF


def test_the_requester_sees_public_files_and_their_own_only(world):
    call = reported(world)
    internal = attachments.attachment_add(call=call, by=world.desk, upload=upload("intern.pdf"))
    shared = attachments.attachment_add(
        call=call, by=world.desk, upload=upload("voor-burger.pdf"), public=True
    )
    own = attachments.attachment_add(call=call, by=world.requester, upload=upload("mijn.pdf"))
    assert own.public  # a requester's file is always visible to them
    member = access.access_for(world.requester, world.org)
    assert set(attachments.attachments_visible(call, member)) == {shared, own}
    client = client_for(world.requester)
    hidden = client.get(page_url(world, call, "call_attachment", token=internal.token))
    assert hidden.status_code == 404
    page = client.get(page_url(world, call)).content.decode()
    assert "voor-burger.pdf" in page and "intern.pdf" not in page


def test_a_supplier_sees_only_the_files_of_its_own_staff(world):
    call = reported(world)
    attachments.attachment_add(call=call, by=world.desk, upload=upload("intern.pdf"), public=True)
    call.refresh_from_db()
    call = call_hand_over(
        call=call, to_link=world.links.supplier, by=world.desk, version=call.version, reason="Werk"
    )
    theirs = attachments.attachment_add(call=call, by=world.supplier, upload=upload("bon.pdf"))
    assert not theirs.public
    member = access.access_for(world.supplier, world.org)
    assert list(attachments.attachments_visible(call, member)) == [theirs]


def test_someone_who_cannot_see_the_call_cannot_attach(world, org_b, make_member):
    from stuurwiel.organisations.choices import Role

    call = reported(world)
    stranger = make_member(world.org, Role.REQUESTER, username="ander")
    with pytest.raises((CallActionRefused, access.AccessDenied)):
        attachments.attachment_add(call=call, by=stranger, upload=upload())


def test_an_attachment_is_added_through_the_page(world):
    call = reported(world)
    response = client_for(world.desk).post(
        page_url(world, call, "call_attach"), {"file": upload(), "public": "on"}
    )
    assert response.status_code == 302
    assert CallAttachment.objects.get(call=call).public


def test_a_refused_file_on_the_page_answers_400_with_the_reason(world):
    call = reported(world)
    response = client_for(world.desk).post(
        page_url(world, call, "call_attach"), {"file": upload("x.html", b"<html></html>")}
    )
    assert response.status_code == 400
    assert "cannot be attached" in response.content.decode()


# --- Linked calls ---------------------------------------------------------------------


def test_two_calls_are_linked_and_both_show_it(world):
    first = reported(world, title="Storing parkeerautomaat")
    second = reported(world, title="Automaat weer stuk")
    attachments.relation_add(
        call=second, other_number=first.number.lower(), kind=RelationKind.DUPLICATE, by=world.desk
    )
    member = access.access_for(world.desk, world.org)
    assert attachments.relations_of(second, member) == [("duplicate of", first)]
    assert attachments.relations_of(first, member) == [("has as duplicate", second)]
    assert CallEvent.objects.filter(kind=EventKind.LINKED).count() == 2
    page = client_for(world.desk).get(page_url(world, first)).content.decode()
    assert second.number in page


def test_a_call_is_not_linked_to_itself_twice_or_to_an_unknown_number(world):
    call = reported(world)
    other = reported(world, title="Ander")
    with pytest.raises(ValidationError):
        attachments.relation_add(call=call, other_number=call.number, kind="related", by=world.desk)
    with pytest.raises(ValidationError):
        attachments.relation_add(call=call, other_number="MS-0000-1", kind="related", by=world.desk)
    attachments.relation_add(call=call, other_number=other.number, kind="related", by=world.desk)
    with pytest.raises(ValidationError):
        attachments.relation_add(
            call=other, other_number=call.number, kind="related", by=world.desk
        )
    assert CallRelation.objects.count() == 1


def test_a_call_of_another_organisation_cannot_be_linked(world, org_b, make_member):
    from stuurwiel.calls.tests.conftest import build_world

    theirs = build_world(org_b, make_member, prefix="b-")
    foreign = reported(theirs)
    call = reported(world)
    with pytest.raises(ValidationError):
        attachments.relation_add(
            call=call, other_number=foreign.number, kind="related", by=world.desk
        )


def test_the_call_page_shows_the_path_and_links_to_staff_but_not_to_a_supplier(world):
    call = reported(world)
    staff_page = client_for(world.desk).get(page_url(world, call)).content.decode()
    assert 'class="call-path"' in staff_page and 'class="call-relations"' in staff_page
    call = call_hand_over(
        call=call, to_link=world.links.supplier, by=world.desk, version=call.version, reason="Werk"
    )
    supplier_page = client_for(world.supplier).get(page_url(world, call)).content.decode()
    assert 'class="call-attachments"' in supplier_page
    assert 'class="call-path"' not in supplier_page
    assert 'class="call-relations"' not in supplier_page


# --- Through the API -----------------------------------------------------------------


def api_url(world, call, path=""):
    return f"/api/o/{world.org.slug}/calls/calls/{call.pk}/{path}"


def test_a_file_is_uploaded_listed_and_downloaded_through_the_api(world, api_client):
    call = reported(world)
    client = api_client(world.desk)
    response = client.post(
        api_url(world, call, "attachments/"),
        {"file": upload("meting.csv", b"datum;waarde\n2026-12-01;3\n", "text/html")},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["content_type"] == "text/csv" and body["name"] == "meting.csv"
    listed = client.get(api_url(world, call, "attachments/")).json()
    assert [row["token"] for row in listed] == [body["token"]]
    download = client.get(body["download"])
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert b"".join(download.streaming_content).startswith(b"datum;waarde")


def test_a_refused_file_through_the_api_is_json_400(world, api_client):
    call = reported(world)
    response = api_client(world.desk).post(
        api_url(world, call, "attachments/"),
        {"file": upload("x.html", b"<html></html>", "text/html")},
        format="multipart",
    )
    assert response.status_code == 400
    assert "file" in response.json()


def test_the_requester_cannot_download_an_internal_file_through_the_api(world, api_client):
    call = reported(world)
    internal = attachments.attachment_add(call=call, by=world.desk, upload=upload("intern.pdf"))
    client = api_client(world.requester)
    assert client.get(api_url(world, call, "attachments/")).json() == []
    assert client.get(api_url(world, call, f"attachments/{internal.token}/")).status_code == 404


def test_calls_are_linked_through_the_api(world, api_client):
    first = reported(world)
    second = reported(world, title="Nog een")
    response = api_client(world.desk).post(
        api_url(world, second, "relations/"),
        {"kind": "caused_by", "other_number": first.number},
        format="json",
    )
    assert response.status_code == 201
    assert response.json() == [
        {
            "relation": "caused by",
            "call": first.pk,
            "number": first.number,
            "title": first.title,
            "status": "open",
        }
    ]
    unknown = api_client(world.desk).post(
        api_url(world, second, "relations/"),
        {"kind": "related", "other_number": "XX-1"},
        format="json",
    )
    assert unknown.status_code == 400
