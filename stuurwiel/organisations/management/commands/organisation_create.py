"""``manage.py organisation_create SLUG --name NAME``: a new organisation, optionally
with its first organisation admin."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from stuurwiel.changelog.commands import WritingCommand
from stuurwiel.organisations import services
from stuurwiel.organisations.management.commands.user_create import validation_lines


class Command(WritingCommand):
    help = (
        "Create an organisation. With --admin an existing user becomes its first "
        "organisation admin; without, add members later with user_create --org."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("slug", help="Short name, used in the organisation's URLs.")
        parser.add_argument("--name", required=True)
        parser.add_argument("--description", default="")
        parser.add_argument(
            "--admin", metavar="USERNAME", help="Existing user who becomes organisation admin."
        )
        parser.add_argument("--reason", default="", help="Recorded in the change log.")

    def handle(self, *args, **options):
        by = self.acting_user(options)
        admin = None
        if options["admin"]:
            admin = get_user_model().objects.filter(username=options["admin"]).first()
            if admin is None:
                raise CommandError(
                    _("Unknown user {username!r}.").format(username=options["admin"])
                )
        try:
            organisation = services.organisation_create(
                by=by,
                data={
                    "slug": options["slug"],
                    "name": options["name"],
                    "description": options["description"],
                },
                admin=admin,
                reason=options["reason"],
            )
        except ValidationError as exc:
            raise CommandError(
                _("The organisation was not created:\n{problems}").format(
                    problems=validation_lines(exc)
                )
            ) from exc
        if admin is None:
            done = _("Created organisation {slug}.").format(slug=organisation.slug)
        else:
            done = _("Created organisation {slug} with organisation admin {user}.").format(
                slug=organisation.slug, user=admin.get_username()
            )
        self.stdout.write(self.style.SUCCESS(done))
