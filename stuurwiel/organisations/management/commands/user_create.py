"""``manage.py user_create USERNAME``: create a user, optionally as a member with roles."""

from __future__ import annotations

import getpass
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from stuurwiel.changelog.commands import WritingCommand
from stuurwiel.organisations import services
from stuurwiel.organisations.choices import Role
from stuurwiel.organisations.models import Organisation


def validation_lines(exc: ValidationError) -> str:
    """Every message of ``exc``, one a line, prefixed by its field."""
    if not hasattr(exc, "error_dict"):
        return "\n".join(exc.messages)
    return "\n".join(
        f"{field}: {message}" if field != "__all__" else message
        for field, messages in exc.message_dict.items()
        for message in messages
    )


class Command(WritingCommand):
    help = (
        "Create a user. With --org and --role the user becomes a member of that "
        "organisation with those organisation-wide roles. Without --password or "
        "--password-stdin the password is asked for."
    )
    # Tests pass their own stdin, like Django's createsuperuser.
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        source = parser.add_mutually_exclusive_group()
        source.add_argument(
            "--password",
            help="The password. Visible to other users of this machine; prefer the prompt.",
        )
        source.add_argument(
            "--password-stdin",
            action="store_true",
            help="Read the password from the first line of standard input.",
        )
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--org", metavar="SLUG", help="Organisation to add the user to.")
        parser.add_argument(
            "--role",
            dest="roles",
            action="append",
            default=[],
            metavar="ROLE",
            help="Role in --org (repeatable): " + ", ".join(Role.values),
        )
        parser.add_argument("--staff", action="store_true", help="May use the Django admin.")

    def handle(self, *args, **options):
        organisation = self._organisation(options)
        by = self.acting_user(options)
        password = self._password(options)
        try:
            with transaction.atomic():
                user = services.user_create(
                    username=options["username"],
                    email=options["email"],
                    password=password,
                    first_name=options["first_name"],
                    last_name=options["last_name"],
                    is_staff=options["staff"],
                    by=by,
                )
                if organisation is not None:
                    services.membership_create(
                        organisation=organisation, by=by, user=user, roles=options["roles"]
                    )
        except ValidationError as exc:
            raise CommandError(
                _("The user was not created:\n{problems}").format(problems=validation_lines(exc))
            ) from exc
        if organisation is None:
            done = _("Created user {user}.").format(user=user.get_username())
        else:
            done = _("Created user {user}, member of {organisation} as: {roles}.").format(
                user=user.get_username(),
                organisation=organisation.slug,
                roles=", ".join(options["roles"]) or "-",
            )
        self.stdout.write(self.style.SUCCESS(done))

    def _organisation(self, options) -> Organisation | None:
        unknown = [role for role in options["roles"] if role not in Role.values]
        if unknown:
            raise CommandError(
                _("Unknown role(s): {unknown}. Roles are: {roles}.").format(
                    unknown=", ".join(unknown), roles=", ".join(Role.values)
                )
            )
        if not options["org"]:
            if options["roles"]:
                raise CommandError(_("--role needs --org: roles are held in an organisation."))
            return None
        organisation = Organisation.objects.filter(slug=options["org"]).first()
        if organisation is None:
            raise CommandError(
                _("Unknown organisation {slug!r}. Organisations are: {slugs}.").format(
                    slug=options["org"],
                    slugs=", ".join(Organisation.objects.values_list("slug", flat=True)) or "-",
                )
            )
        return organisation

    def _password(self, options) -> str:
        if options["password"] is not None:
            return options["password"]
        stdin = options.get("stdin", sys.stdin)
        if options["password_stdin"]:
            return stdin.readline().rstrip("\r\n")
        if not stdin.isatty():
            raise CommandError(
                _("No password given: use --password-stdin, --password, or a terminal.")
            )
        password = getpass.getpass(_("Password: "))
        if password != getpass.getpass(_("Password (again): ")):
            raise CommandError(_("The passwords do not match."))
        return password
