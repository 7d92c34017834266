import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token

from stuurwiel.changelog.models import ChangeLogEntry
from stuurwiel.organisations.models import Membership, Organisation

pytestmark = pytest.mark.django_db

PASSWORD = "Stuurwiel-is-fijn-2026"
User = get_user_model()


def run(*args, stdin=None):
    out, err = io.StringIO(), io.StringIO()
    options = {"stdin": stdin} if stdin is not None else {}
    call_command(*args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


# --- user_create ---------------------------------------------------------------


def test_user_created_as_member_with_roles_and_logged_as_command(org_a, admin_a):
    out, _ = run(
        "user_create",
        "jansen",
        "--email=jansen@alfa.nl",
        f"--password={PASSWORD}",
        "--first-name=Jan",
        "--last-name=Jansen",
        "--org=alfa",
        "--role=architect",
        "--role=manager",
        "--user=admin-a",
    )
    user = User.objects.get(username="jansen")
    assert user.check_password(PASSWORD) and user.get_full_name() == "Jan Jansen"
    assert not user.is_staff
    assert Membership.objects.get(user=user).role_values == ["architect", "manager"]
    assert "jansen" in out and "alfa" in out
    entries = ChangeLogEntry.objects.all()
    assert {(e.source, e.actor_id) for e in entries} == {("command", admin_a.pk)}
    assert entries.count() == 2  # the user and the membership


def test_user_without_organisation_and_as_staff():
    run("user_create", "beheer", f"--password={PASSWORD}", "--staff")
    user = User.objects.get(username="beheer")
    assert user.is_staff and not Membership.objects.filter(user=user).exists()


def test_password_from_stdin():
    run("user_create", "stil", "--password-stdin", stdin=io.StringIO(PASSWORD + "\n"))
    assert User.objects.get(username="stil").check_password(PASSWORD)


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_password_is_asked_twice_in_a_terminal(monkeypatch):
    answers = iter([PASSWORD, PASSWORD])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    run("user_create", "vraag", stdin=Terminal())
    assert User.objects.get(username="vraag").check_password(PASSWORD)


def test_different_passwords_in_the_terminal_are_an_error(monkeypatch):
    answers = iter([PASSWORD, PASSWORD + "x"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    with pytest.raises(CommandError, match="do not match"):
        run("user_create", "vraag", stdin=Terminal())
    assert not User.objects.filter(username="vraag").exists()


def test_no_password_and_no_terminal_is_an_error():
    with pytest.raises(CommandError, match="No password given"):
        run("user_create", "stil", stdin=io.StringIO(""))


def test_unknown_organisation_is_a_clear_error(org_a):
    with pytest.raises(CommandError, match="Unknown organisation 'gamma'.*alfa"):
        run("user_create", "x", f"--password={PASSWORD}", "--org=gamma", "--role=manager")
    assert not User.objects.filter(username="x").exists()


def test_unknown_role_is_a_clear_error_listing_the_roles(org_a):
    with pytest.raises(CommandError, match="Unknown role.*koning.*architect"):
        run("user_create", "x", f"--password={PASSWORD}", "--org=alfa", "--role=koning")
    assert not User.objects.filter(username="x").exists()


def test_role_without_organisation_is_an_error():
    with pytest.raises(CommandError, match="--role needs --org"):
        run("user_create", "x", f"--password={PASSWORD}", "--role=manager")


def test_weak_password_lists_every_problem():
    with pytest.raises(CommandError) as exc:
        run("user_create", "x", "--password=1234")
    lines = [line for line in str(exc.value).splitlines() if line.startswith("password:")]
    assert len(lines) >= 2
    assert not User.objects.filter(username="x").exists()


def test_taken_username_is_an_error(admin_a):
    with pytest.raises(CommandError, match="username"):
        run("user_create", "admin-a", f"--password={PASSWORD}")


# --- organisation_create -------------------------------------------------------


def test_organisation_created_with_its_admin_and_logged_as_the_acting_user(platform_admin, admin_a):
    out, _ = run(
        "organisation_create",
        "gamma",
        "--name=Gemeente Gamma",
        "--description=Nieuwe klant",
        "--admin=admin-a",
        "--reason=Contract getekend",
        "--user=beheer",
    )
    org = Organisation.objects.get(slug="gamma")
    assert (org.name, org.description) == ("Gemeente Gamma", "Nieuwe klant")
    assert Membership.objects.get(organisation=org, user=admin_a).role_values == [
        "organisation_admin"
    ]
    assert "gamma" in out and "admin-a" in out
    entries = ChangeLogEntry.objects.filter(organisation=org)
    assert entries.count() == 2  # the organisation and the membership
    assert {(e.source, e.actor_id, e.reason) for e in entries} == {
        ("command", platform_admin.pk, "Contract getekend")
    }


def test_organisation_create_through_the_console_alias(db, monkeypatch):
    from django.core.management import call_command

    from stuurwiel import cli

    # run_from_argv closes every database connection when it ends, which would
    # end the test's transaction on PostgreSQL; call_command runs the same command.
    monkeypatch.setattr(cli, "_django", lambda argv: call_command(*argv))
    cli.main(["organisation", "create", "delta", "--name", "Gemeente Delta"])
    assert Organisation.objects.get(slug="delta").name == "Gemeente Delta"
    assert ChangeLogEntry.objects.get().source == "command"


def test_organisation_create_with_an_unknown_admin_writes_nothing(db):
    with pytest.raises(CommandError, match="Unknown user 'niemand'"):
        run("organisation_create", "gamma", "--name=Gamma", "--admin=niemand")
    assert not Organisation.objects.exists() and not ChangeLogEntry.objects.exists()


def test_organisation_create_lists_the_field_problems(org_a):
    with pytest.raises(CommandError) as exc:
        run("organisation_create", "alfa", "--name=" + "x" * 201)
    message = str(exc.value)
    assert "slug: There already is an organisation with the short name “alfa”." in message
    assert "name: " in message
    assert Organisation.objects.count() == 1 and not ChangeLogEntry.objects.exists()


# --- token_create --------------------------------------------------------------


def test_token_is_created_printed_and_reused(admin_a):
    first, err = run("token_create", "admin-a")
    second, _ = run("token_create", "admin-a")
    key = Token.objects.get(user=admin_a).key
    assert first.strip() == second.strip() == key
    assert "created" in err


def test_rotate_replaces_the_token_and_logs_without_the_key(admin_a):
    old, _ = run("token_create", "admin-a")
    new, _ = run("token_create", "admin-a", "--rotate")
    assert old.strip() != new.strip() == Token.objects.get(user=admin_a).key
    logged = " ".join(f"{e.before} {e.after}" for e in ChangeLogEntry.objects.all())
    assert ChangeLogEntry.objects.filter(source="command").count() == 2
    assert old.strip() not in logged and new.strip() not in logged


def test_printed_token_works_for_the_api(admin_a, org_a):
    from rest_framework.test import APIClient

    key, _ = run("token_create", "admin-a")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key.strip()}")
    assert api.get("/api/o/alfa/members/").status_code == 200


def test_token_for_unknown_user_is_an_error(db):
    with pytest.raises(CommandError, match="Unknown user 'niemand'"):
        run("token_create", "niemand")
