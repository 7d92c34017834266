"""Invitations that keep working: the e-mail names the login name, an invited
person whose link expired gets a new one through "forgot your password" (the
same answer page for every address), and an admin can send the invitation again
(the same answer for every member, logged)."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from stuurwiel.changelog.models import ChangeLogEntry
from stuurwiel.organisations.models import Membership
from stuurwiel.organisations.services import membership_invite

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
PASSWORD = "Stuurwiel-is-fijn-2026"
RESET = "/accounts/password/reset/"


def _reset_links(mail) -> list[str]:
    return re.findall(r"\S*/accounts/reset/\S+", mail.body)


def _invite(org, admin, email, name, capture):
    with capture(execute=True):
        return membership_invite(organisation=org, by=admin, email=email, name=name, roles=[])


def test_the_invitation_names_the_login_name_even_with_a_number_added(
    org_a, admin_a, mailoutbox, django_capture_on_commit_callbacks
):
    # Someone's username is already this address (of another account).
    get_user_model().objects.create_user(username="nina@alfa.nl", email="ander@elders.nl")
    membership = _invite(org_a, admin_a, "Nina@Alfa.nl", "Nina", django_capture_on_commit_callbacks)
    assert membership.user.username == "nina@alfa.nl-2"
    (mail,) = mailoutbox
    assert "nina@alfa.nl-2" in mail.body and len(_reset_links(mail)) == 1


def test_an_invited_person_whose_link_expired_gets_a_new_one_by_forgot_password(
    client, org_a, admin_a, mailoutbox, django_capture_on_commit_callbacks
):
    _invite(org_a, admin_a, "nina@alfa.nl", "Nina", django_capture_on_commit_callbacks)
    mailoutbox.clear()
    response = client.post(RESET, {"email": "nina@alfa.nl"}, **EN)
    assert response.status_code == 302
    (mail,) = mailoutbox
    assert "nina@alfa.nl" in mail.body  # the login name
    (link,) = _reset_links(mail)
    page = client.get(link, follow=True)
    done = client.post(
        page.redirect_chain[-1][0], {"new_password1": PASSWORD, "new_password2": PASSWORD}
    )
    assert done.status_code == 302
    assert client.login(username="nina@alfa.nl", password=PASSWORD)


def test_forgot_password_answers_alike_for_unknown_addresses(
    client, org_a, admin_a, mailoutbox, django_capture_on_commit_callbacks
):
    _invite(org_a, admin_a, "nina@alfa.nl", "Nina", django_capture_on_commit_callbacks)
    mailoutbox.clear()
    known = client.post(RESET, {"email": "nina@alfa.nl"}, **EN)
    unknown = client.post(RESET, {"email": "niemand@alfa.nl"}, **EN)
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert len(mailoutbox) == 1


def test_forgot_password_skips_an_account_made_unusable_after_use(client, mailoutbox):
    user = get_user_model().objects.create_user(username="oud", email="oud@alfa.nl")
    user.last_login = timezone.now()
    user.save()
    response = client.post(RESET, {"email": "oud@alfa.nl"}, **EN)
    assert response.status_code == 302 and mailoutbox == []


# --- Sending the invitation again -------------------------------------------------


def _resend_url(membership):
    return reverse(
        "organisations:membership_invitation", kwargs={"org": "alfa", "pk": membership.pk}
    )


@pytest.fixture
def pending(org_a, admin_a, django_capture_on_commit_callbacks, mailoutbox):
    membership = _invite(org_a, admin_a, "nina@alfa.nl", "Nina", django_capture_on_commit_callbacks)
    mailoutbox.clear()
    return membership


@pytest.fixture
def settled(org_a, admin_a, django_capture_on_commit_callbacks, mailoutbox):
    get_user_model().objects.create_user(username="bob", email="bob@elders.nl", password=PASSWORD)
    membership = _invite(org_a, admin_a, "bob@elders.nl", "Bob", django_capture_on_commit_callbacks)
    mailoutbox.clear()
    return membership


def test_an_admin_sends_the_invitation_again_with_a_fresh_link(
    client_a, pending, admin_a, mailoutbox, django_capture_on_commit_callbacks
):
    assert client_a.get(_resend_url(pending), **EN).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client_a.post(_resend_url(pending), {"change_reason": "Link verlopen"}, **EN)
    assert response.status_code == 302 and response["Location"] == pending.get_absolute_url()
    (mail,) = mailoutbox
    assert mail.to == ["nina@alfa.nl"] and len(_reset_links(mail)) == 1
    assert "nina@alfa.nl" in mail.body
    entry = ChangeLogEntry.objects.filter(
        content_type__model="membership", object_id=pending.pk, action="update"
    ).get()
    assert (entry.actor, entry.reason) == (admin_a, "Link verlopen")
    assert "invitation_sent" in entry.after


def test_the_page_answers_alike_for_new_and_existing_accounts(
    client_a, pending, settled, mailoutbox, django_capture_on_commit_callbacks
):
    pages = [client_a.get(m.get_absolute_url(), **EN).content.decode() for m in (pending, settled)]
    assert all(_resend_url(m) in page for m, page in zip((pending, settled), pages, strict=True))
    answers = []
    for membership in (pending, settled):
        with django_capture_on_commit_callbacks(execute=True):
            response = client_a.post(_resend_url(membership), follow=True, **EN)
        said = [str(m).replace(str(membership), "X") for m in response.context["messages"]]
        answers.append((response.status_code, response.redirect_chain[0][1], said))
    assert answers[0] == answers[1]
    # In the mail only: a link to choose a password for the new account, to log in for the other.
    assert len(_reset_links(mailoutbox[0])) == 1 and _reset_links(mailoutbox[1]) == []
    assert "/accounts/login/" in mailoutbox[1].body and "bob" in mailoutbox[1].body


def test_only_who_manages_members_may_send_it_again(client, auditor_a, pending, mailoutbox):
    client.force_login(auditor_a)
    assert client.post(_resend_url(pending)).status_code == 403
    assert mailoutbox == []


def test_a_deactivated_member_gets_no_invitation(client_a, pending, mailoutbox):
    Membership.objects.filter(pk=pending.pk).update(is_active=False)
    response = client_a.post(_resend_url(pending), follow=True, **EN)
    assert "deactivated" in response.content.decode() and mailoutbox == []


def test_the_api_sends_it_again_with_the_same_answer_for_every_member(
    api_client, admin_a, auditor_a, pending, settled, mailoutbox, django_capture_on_commit_callbacks
):
    api = api_client(admin_a)
    statuses = []
    for membership in (pending, settled):
        with django_capture_on_commit_callbacks(execute=True):
            response = api.post(
                f"/api/o/alfa/members/{membership.pk}/invitation/", {"reason": "x"}, format="json"
            )
        statuses.append((response.status_code, response.content))
    assert statuses[0] == statuses[1] == (202, b"")
    assert len(mailoutbox) == 2
    denied = api_client(auditor_a).post(f"/api/o/alfa/members/{pending.pk}/invitation/")
    assert denied.status_code == 403 and len(mailoutbox) == 2


def test_re_inviting_a_member_still_says_already_a_member(org_a, admin_a, pending):
    with pytest.raises(ValidationError, match="already a member.*Send the invitation again"):
        membership_invite(organisation=org_a, by=admin_a, email="Nina@alfa.nl", name="N", roles=[])
    assert Membership.objects.filter(organisation=org_a).count() == 2
