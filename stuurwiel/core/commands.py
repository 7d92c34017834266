"""Base for Stuurwiel management commands that write.

Marks writes as coming from the command line and resolves ``--user`` to the
acting user, so the change log says who did it even outside a web request.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from stuurwiel.changelog.choices import ChangeSource
from stuurwiel.changelog.context import change_source


class WritingCommand(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument(
            "--user",
            dest="acting_user",
            default=None,
            help="Username recorded in the change log as the one who made the change.",
        )

    def execute(self, *args, **options):
        with change_source(ChangeSource.COMMAND):
            return super().execute(*args, **options)

    def acting_user(self, options):
        username = options.get("acting_user")
        if not username:
            return None
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist as exc:
            raise CommandError(f"Unknown user {username!r}.") from exc
