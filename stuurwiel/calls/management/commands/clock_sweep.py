"""``manage.py clock_sweep [--full]``: bring the open calls' clocks up to now and
give the 75 % and 100 % warnings, recorded on the calls as events (the worker
runs the same every minute)."""

import time

from django.core.management.base import BaseCommand

from stuurwiel.calls.warnings import clock_sweep_and_warn


class Command(BaseCommand):
    help = "Bring the clocks of open calls up to now and give the 75 % and 100 % warnings."

    def add_arguments(self, parser):
        parser.add_argument(
            "--full",
            action="store_true",
            help="recompute every open call's clocks in full (after a calendar was edited)",
        )

    def handle(self, *args, **options):
        started = time.perf_counter()
        report, recorded = clock_sweep_and_warn(full=options["full"])
        self.stdout.write(
            f"ticking {report.ticking}, recomputed calls {report.recomputed_calls}, "
            f"warned 75 % {len(report.warned_75)}, warned 100 % {len(report.warned_100)}, "
            f"breached {report.breached}, warning events {recorded.warned_75} / "
            f"{recorded.warned_100} in {time.perf_counter() - started:.3f} s"
        )
