"""``manage.py coherence_evaluate [ORG…]``: evaluate every coherence rule for
every subject of the organisations (all of them by default) and print what
changed; the worker runs the same every night (cadence rules move with the date)."""

import time

from django.core.management.base import BaseCommand, CommandError

from stuurwiel.coherence.services import coherence_evaluate
from stuurwiel.organisations.models import Organisation


class Command(BaseCommand):
    help = "Evaluate the coherence rules for every subject of the organisations."

    def add_arguments(self, parser):
        parser.add_argument("organisations", nargs="*", help="organisation slugs (default: all)")

    def handle(self, *args, **options):
        organisations = Organisation.objects.order_by("slug")
        if options["organisations"]:
            organisations = organisations.filter(slug__in=options["organisations"])
            unknown = set(options["organisations"]) - set(
                organisations.values_list("slug", flat=True)
            )
            if unknown:
                raise CommandError("Unknown organisation: " + ", ".join(sorted(unknown)))
        for organisation in organisations:
            started = time.perf_counter()
            report = coherence_evaluate(organisation=organisation)
            self.stdout.write(
                f"{organisation.slug}: {report.subjects} subjects, {report.rules_run} rule runs, "
                f"{report.checks} checks ({report.passed} hold), {report.open_total} open "
                f"findings ({report.opened} new, {report.resolved} resolved, "
                f"{report.updated} changed, {report.unchecked} not checkable) in "
                f"{time.perf_counter() - started:.2f} s"
            )
