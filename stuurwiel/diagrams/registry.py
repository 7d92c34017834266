"""Which frameworks have a figure: the library's ``ref_id`` → the module drawing it.

The geometry is fixed per model (it is the model's own picture); a framework
without an entry here has no diagram page (its lens on the subject page remains).
"""

from __future__ import annotations

from collections.abc import Callable

from stuurwiel.diagrams import cimo, idm, optimum, usm
from stuurwiel.diagrams.figure import Figure
from stuurwiel.diagrams.selectors import DiagramContent

DRAWINGS: dict[str, Callable[[DiagramContent], Figure]] = {
    "optimum": optimum.draw,
    "idm": idm.draw,
    "missiegedreven": cimo.draw,
    "usm": usm.draw,
}


def has_diagram(ref_id: str) -> bool:
    return ref_id in DRAWINGS


def draw(content: DiagramContent) -> Figure:
    return DRAWINGS[content.framework.ref_id](content)
