"""``manage.py worker [--once] [--interval S]``: run the background jobs
(``stuurwiel worker``; ``stuurwiel demo`` starts one beside the web server)."""

from django.core.management.base import BaseCommand

from stuurwiel.jobs.runner import worker_loop
from stuurwiel.jobs.schedule import PERIODIC


class Command(BaseCommand):
    help = (
        "Run the background jobs: enqueue the periodic ones when due (the clock sweep "
        "every minute) and run what is waiting, until Ctrl+C or SIGTERM."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="one round: enqueue what is due, run, exit"
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="seconds to wait between rounds when nothing is waiting (default 1)",
        )

    def handle(self, *args, **options):
        if options["interval"] < 0:
            self.stderr.write("--interval must be zero or more")
            return
        if not options["once"]:
            self.stdout.write("Stuurwiel worker: running jobs (Ctrl+C stops)")
        ran = worker_loop(
            PERIODIC,
            interval=options["interval"],
            once=options["once"],
            report=lambda line: self.stdout.write(line) if options["verbosity"] > 0 else None,
        )
        if options["once"]:
            self.stdout.write(f"ran {ran} job(s)")
