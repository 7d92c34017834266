"""``manage.py frameworks_list [--format text|json]``: the loaded frameworks."""

import json

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from stuurwiel.frameworks.selectors import framework_list


class Command(BaseCommand):
    help = "List the loaded framework libraries."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, **options):
        rows = [
            {
                "ref_id": framework.ref_id,
                "urn": framework.urn,
                "version": framework.version,
                "name": {"nl": framework.name_nl, "en": framework.name_en},
                "publisher": framework.publisher,
                "parts": framework.part_count,
                "questions": framework.question_count,
                "loaded_at": framework.loaded_at.isoformat(),
            }
            for framework in framework_list()
        ]
        if options["format"] == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        if not rows:
            self.stdout.write(_("No frameworks loaded. Load them with: frameworks_load --defaults"))
        line = _("{ref:<20} version {version:<3} {parts:>4} parts {questions:>5} questions  {name}")
        for row in rows:
            self.stdout.write(
                line.format(
                    ref=row["ref_id"],
                    version=row["version"],
                    parts=row["parts"],
                    questions=row["questions"],
                    name=row["name"]["nl"],
                )
            )
