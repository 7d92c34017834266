"""``manage.py demo_load [FILE…] [--user USERNAME] [--no-history]``: the frameworks and the
demo organisations, then six months of call history for Middenstad.

Does not migrate (``stuurwiel demo`` does that first). Checks every data file
before writing; on any problem prints each as ``file:path: message`` to stderr and
exits with status 1, leaving the demo organisations unchanged. Running it again
creates nothing. Ends with a table of the demo logins.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stuurwiel.agreements.models import Agreement, AgreementVersion, Norm
from stuurwiel.calendars.models import BusinessCalendar, ClosedDay, ServiceWindow
from stuurwiel.changelog.commands import WritingCommand
from stuurwiel.demo.errors import DemoDataInvalid
from stuurwiel.demo.services import DemoReport, demo_load
from stuurwiel.frameworks.errors import LibraryInvalid
from stuurwiel.graph.models import Element, Relation, Subject
from stuurwiel.organisations.models import Membership, Organisation
from stuurwiel.parties.models import Person, Stakeholder, Supplier, Team
from stuurwiel.services.models import (
    CanvasItem,
    DesignApproval,
    InfrastructureComponent,
    Interface,
    Link,
    Service,
)

# The order in which the loader writes, which is also the order of the summary.
ORDER = (
    "organisation",
    "user",
    "team",
    "person",
    "supplier",
    "stakeholder",
    "subject",
    "element",
    "relation",
    "membership",
    "calendar",
    "service window",
    "closed day",
    "service",
    "canvas item",
    "link",
    "interface",
    "component",
    "agreement",
    "agreement version",
    "norm",
    "design approval",
)


def kind_label(kind: str) -> str:
    """The translated plural name of a kind counted in the report ("team" → "Teams")."""
    models = {
        "organisation": Organisation,
        "user": get_user_model(),
        "membership": Membership,
        "team": Team,
        "person": Person,
        "supplier": Supplier,
        "stakeholder": Stakeholder,
        "subject": Subject,
        "element": Element,
        "relation": Relation,
        "calendar": BusinessCalendar,
        "service window": ServiceWindow,
        "closed day": ClosedDay,
        "service": Service,
        "canvas item": CanvasItem,
        "link": Link,
        "interface": Interface,
        "component": InfrastructureComponent,
        "agreement": Agreement,
        "agreement version": AgreementVersion,
        "norm": Norm,
        "design approval": DesignApproval,
    }
    model = models.get(kind)
    return str(capfirst(model._meta.verbose_name_plural)) if model else kind


class Command(WritingCommand):
    help = "Load the frameworks and the demo organisations (idempotent) and list the demo logins."
    actor_name = "Demo"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "files",
            nargs="*",
            metavar="FILE",
            help="Demo data files to load (default: every file in stuurwiel/demo/data/).",
        )
        parser.add_argument(
            "--no-history",
            action="store_true",
            help="Leave out the six months of call history (faster; for tests).",
        )

    def handle(self, *args, **options):
        try:
            report = demo_load(
                by=self.acting_user(options),
                paths=options["files"] or None,
                history=not options["no_history"],
            )
        except (DemoDataInvalid, LibraryInvalid) as exc:
            problems = getattr(exc, "problems", None) or getattr(exc, "errors", [])
            for problem in problems:
                self.stderr.write(str(problem))
            message = ngettext(
                "{count} problem found; the demo was not loaded.",
                "{count} problems found; the demo was not loaded.",
                len(problems),
            ).format(count=len(problems))
            raise CommandError(message, returncode=1) from exc
        self._write_frameworks(report)
        self._write_organisations(report)
        self._write_histories(report)
        self._write_logins(report)

    def _write_frameworks(self, report: DemoReport) -> None:
        if report.frameworks is None:
            return
        for outcome in report.frameworks.outcomes:
            line = _("Framework {ref} version {version}: {status}").format(
                ref=outcome.framework.ref_id,
                version=outcome.framework.version,
                status=outcome.status_label,
            )
            self.stdout.write(line)

    def _write_organisations(self, report: DemoReport) -> None:
        for outcome in report.organisations:
            self.stdout.write("")
            self.stdout.write(
                self.style.MIGRATE_HEADING(f"{outcome.name} ({outcome.slug}) — {outcome.source}")
            )
            kinds = [k for k in ORDER if k in outcome.created or k in outcome.skipped]
            # Pad to the longest label, so the counts line up in every language.
            width = max((len(kind_label(k)) for k in kinds), default=0)
            for kind in kinds:
                line = _("  {kind:<18} created {created:>4}   already there {skipped:>4}").format(
                    kind=kind_label(kind).ljust(width),
                    created=outcome.created[kind],
                    skipped=outcome.skipped[kind],
                )
                self.stdout.write(line)
        self.stdout.write("")
        if report.created_total:
            summary = _("Created {created} objects; {skipped} were already there.")
        else:
            summary = _("Nothing to do: all {skipped} objects were already there.")
        self.stdout.write(
            self.style.SUCCESS(
                summary.format(created=report.created_total, skipped=report.skipped_total)
            )
        )

    def _write_histories(self, report: DemoReport) -> None:
        for name, history in report.histories:
            if history.skipped:
                line = _("History of {organisation}: it has calls already, nothing added.")
                self.stdout.write(line.format(organisation=name))
                continue
            line = ngettext(
                "History of {organisation}: {count} call over the last six months.",
                "History of {organisation}: {count} calls over the last six months.",
                history.calls,
            )
            self.stdout.write(
                self.style.SUCCESS(line.format(organisation=name, count=history.calls))
            )

    def _write_logins(self, report: DemoReport) -> None:
        if not report.logins:
            return
        headers = (_("organisation"), _("username"), _("role"), _("password"), _("name"))
        rows = [
            (login.organisation, login.username, ", ".join(login.roles), login.password, login.name)
            for login in report.logins
        ]
        widths = [max(len(str(row[i])) for row in (headers, *rows)) for i in range(len(headers))]
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING(_("Demo logins")))
        for index, row in enumerate((headers, *rows)):
            self.stdout.write(
                "  ".join(
                    str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)
                ).rstrip()
            )
            if index == 0:
                self.stdout.write("  ".join("-" * width for width in widths))
