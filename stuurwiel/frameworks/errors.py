"""The typed errors of the library loader: every problem with its file and path."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


def format_path(path: Iterable[str | int]) -> str:
    """``("parts", 2, "questions", 0, "text", "en")`` → ``parts[2].questions[0].text.en``."""
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text


def line_of(lines: dict[tuple, int], path: tuple) -> int | None:
    """The line where ``path`` starts, or where its nearest ancestor in the file does."""
    for end in range(len(path), -1, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return None


@dataclass(frozen=True)
class LibraryError:
    """One problem in one library file. ``path`` is a JSON path into the document
    (empty for the file as a whole); ``line`` is where that path starts, if known."""

    file: str
    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        location = self.path or (str(self.line) if self.line else "")
        if not self.file:
            return self.message
        if not location:
            return f"{self.file}: {self.message}"
        return f"{self.file}:{location}: {self.message}"


class LibraryInvalid(Exception):
    """One or more library files are invalid; nothing was written. ``errors`` lists
    every problem found, in file order."""

    def __init__(self, errors: Iterable[LibraryError]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(str(error) for error in self.errors))
