"""The typed error of the demo loader: every problem of every data file, with file and path."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class DemoProblem:
    """One problem in one demo data file. ``path`` is a JSON path into the document
    (``subjects[2].elements[4].parts[0]``; empty for the file as a whole) and
    ``line`` the line where that path starts, if known."""

    file: str
    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        location = self.path or (str(self.line) if self.line else "")
        if not location:
            return f"{self.file}: {self.message}"
        return f"{self.file}:{location}: {self.message}"


class DemoDataInvalid(Exception):
    """One or more demo data files are invalid; nothing was written. ``problems``
    lists every problem found, in file order."""

    def __init__(self, problems: Iterable[DemoProblem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))
