"""Column definitions for list pages: small, declarative, no table framework."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models


@dataclass(frozen=True)
class Column:
    """One column: ``accessor`` is a dotted attribute path; choice fields show
    their translated label; ``link`` makes the cell a link to the object."""

    accessor: str
    label: Any
    link: bool = False

    def value(self, obj: models.Model) -> Any:
        target: Any = obj
        parts = self.accessor.split(".")
        for i, part in enumerate(parts):
            if target is None:
                return ""
            last = i == len(parts) - 1
            display = getattr(target, f"get_{part}_display", None)
            target = display() if last and callable(display) else getattr(target, part, None)
        if isinstance(target, bool):
            return target
        return "" if target is None else target
