"""Base for Stuurwiel management commands that write.

Marks writes as coming from the command line, groups them under one correlation
id, and resolves ``--user`` to the
acting user, so the change log says who did it even outside a web request.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from stuurwiel.changelog.choices import ChangeSource
from stuurwiel.changelog.context import change_context


class WritingCommand(BaseCommand):
    # Who the change log names when no ``--user`` is given ("Demo (opdrachtregel)");
    # empty means "System".
    actor_name = ""

    def add_arguments(self, parser):
        parser.add_argument(
            "--user",
            dest="acting_user",
            default=None,
            help="Username recorded in the change log as the one who made the change.",
        )

    def execute(self, *args, **options):
        # One correlation id for everything the command writes.
        with change_context(
            source=ChangeSource.COMMAND, actor_name=self.actor_name, new_correlation=True
        ):
            return super().execute(*args, **options)

    def acting_user(self, options):
        username = options.get("acting_user")
        if not username:
            return None
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist as exc:
            raise CommandError(f"Unknown user {username!r}.") from exc
