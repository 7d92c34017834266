"""The service design file format: its name and version, and the problems a
file can have (each with a JSON pointer to where). A leaf module, so that the
export, the checks and the import can all use it without importing each other."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError

FORMAT = "stuurwiel.service-design"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: where (a JSON pointer) and what."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path or '/'}: {self.message}"


class ImportRefused(ValidationError):
    """A design file that was not imported, with every problem found in it."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__([str(problem) for problem in problems], code="import_refused")
