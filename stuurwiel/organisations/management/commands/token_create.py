"""``manage.py token_create USERNAME``: print the user's API token."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from stuurwiel.changelog.commands import WritingCommand
from stuurwiel.organisations import services


class Command(WritingCommand):
    help = (
        "Print the user's API token (for the Authorization: Token header), creating "
        "it if the user has none. --rotate replaces it; the old token stops working."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("username")
        parser.add_argument("--rotate", action="store_true", help="Replace the existing token.")

    def handle(self, *args, **options):
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(_("Unknown user {username!r}.").format(username=options["username"]))
        if not user.is_active:
            raise CommandError(
                _("User {username!r} is not active.").format(username=options["username"])
            )
        token, written = services.token_create(
            user=user, by=self.acting_user(options), rotate=options["rotate"]
        )
        # Only the key on stdout, so scripts can capture it; the rest to stderr.
        self.stdout.write(token.key)
        if written:
            self.stderr.write(
                _("New token issued; an earlier token no longer works.")
                if options["rotate"]
                else _("Token created.")
            )
