"""``manage.py dashboard_rollup [--full]``: bring the management dashboard's daily
figures up to now (the worker runs the same every minute)."""

from django.core.management.base import BaseCommand

from stuurwiel.dashboard.rollup import dashboard_rollup_all


class Command(BaseCommand):
    help = "Bring the management dashboard's daily figures up to now."

    def add_arguments(self, parser):
        parser.add_argument(
            "--full",
            action="store_true",
            help="recompute every day's figures, not only the days written since the last run",
        )

    def handle(self, *args, **options):
        for report in dashboard_rollup_all(full=options["full"]):
            self.stdout.write(
                f"{report.organisation}: {'full, ' if report.full else ''}{report.days} days, "
                f"{report.rows} figures in {report.seconds:.3f} s"
            )
