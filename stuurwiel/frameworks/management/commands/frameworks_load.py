"""``manage.py frameworks_load FILE [FILE…] [--defaults] [--user USERNAME]``.

Validates every file first; on any error prints each as ``file:path: message`` to
stderr and exits with status 1, leaving the database unchanged.
"""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stuurwiel.changelog.commands import WritingCommand
from stuurwiel.frameworks.choices import LoadStatus
from stuurwiel.frameworks.errors import LibraryInvalid
from stuurwiel.frameworks.services import bundled_library_paths, framework_library_load


class Command(WritingCommand):
    help = "Validate framework library files (YAML) and load them in one transaction."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("files", nargs="*", metavar="FILE", help="Library files to load.")
        parser.add_argument(
            "--defaults",
            action="store_true",
            help="Also load every library bundled in stuurwiel/frameworks/libraries/.",
        )
        parser.add_argument("--reason", default="", help="Reason recorded in the change log.")

    def handle(self, *args, **options):
        paths = list(options["files"])
        if options["defaults"]:
            paths += [str(path) for path in bundled_library_paths()]
        if not paths:
            raise CommandError(_("Give one or more library files, or --defaults."))
        try:
            report = framework_library_load(
                paths=paths, by=self.acting_user(options), reason=options["reason"]
            )
        except LibraryInvalid as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            count = len(exc.errors)
            message = ngettext(
                "{count} error found; nothing was loaded.",
                "{count} errors found; nothing was loaded.",
                count,
            ).format(count=count)
            raise CommandError(message, returncode=1) from exc
        for outcome in report.outcomes:
            framework = outcome.framework
            if outcome.status == LoadStatus.UPDATED:
                line = _("{status}: {ref} version {previous} → {version}")
            else:
                line = _("{status}: {ref} version {version}")
            self.stdout.write(
                line.format(
                    status=outcome.status_label,
                    ref=framework.ref_id,
                    version=framework.version,
                    previous=outcome.previous_version,
                )
            )
