"""Writes for frameworks: loading libraries. Validation and writing live in
:mod:`stuurwiel.frameworks.loader`; these are the entry points the command, the
load page and the demo call, with the acting user passed explicitly."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from stuurwiel.frameworks.loader import (
    LibrarySource,
    LoadReport,
    validate_libraries,
    write_libraries,
)

LIBRARIES_DIR = Path(__file__).resolve().parent / "libraries"


def bundled_library_paths() -> list[Path]:
    """The libraries shipped with Stuurwiel, in name order."""
    return sorted(LIBRARIES_DIR.glob("*.yaml"))


def framework_library_load(
    *,
    paths: Iterable[str | Path] = (),
    files: Iterable[tuple[str, bytes | str]] = (),
    by: Any,
    reason: str = "",
) -> LoadReport:
    """Validate all ``paths`` and uploaded ``files`` ((name, content) pairs), then
    write them in one transaction. Raises
    :class:`~stuurwiel.frameworks.errors.LibraryInvalid` with every error, in which
    case nothing is written; loading unchanged files writes nothing at all."""
    sources: list[LibrarySource | str | Path] = list(paths)
    sources += [LibrarySource(name=name, content=content) for name, content in files]
    libraries = validate_libraries(sources)
    return write_libraries(libraries, by=by, reason=reason)


def framework_defaults_load(*, by: Any = None, reason: str = "") -> LoadReport:
    """Load every bundled library (``stuurwiel/frameworks/libraries/*.yaml``)."""
    return framework_library_load(paths=bundled_library_paths(), by=by, reason=reason)
