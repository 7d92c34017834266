"""Which relationships ArchiMate 3.2 allows between two element types.

The table is appendix B of the ArchiMate 3.2 specification ("Relationships
(Normative)"), kept as data in ``data/archimate-3.2-relationships.json`` (derived
from Archi's ``relationships.xml``; the file's ``_source`` says where exactly). It
is read once, on first use.

Only element types with a true ArchiMate counterpart
(:data:`~stuurwiel.graph.choices.ARCHIMATE_COUNTERPART`) are checked: a learning
question or a mechanism has no ArchiMate type, and holding it to the rules of the
"nearest" one would refuse relations ArchiMate never speaks about.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from stuurwiel.graph.choices import ARCHIMATE_COUNTERPART, RelationType

TABLE_FILE = Path(__file__).parent / "data" / "archimate-3.2-relationships.json"


@cache
def _table() -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    data = json.loads(TABLE_FILE.read_text(encoding="utf-8"))
    return data["keys"], data["relationships"]


def allowed_relation_types(source_type: str, target_type: str) -> list[str] | None:
    """The relation types ArchiMate allows from ``source_type`` to ``target_type``
    (Stuurwiel's element type values), in the order of :class:`RelationType`;
    ``None`` when either type has no ArchiMate counterpart (not checked)."""
    source = ARCHIMATE_COUNTERPART.get(source_type)
    target = ARCHIMATE_COUNTERPART.get(target_type)
    if source is None or target is None:
        return None
    keys, relationships = _table()
    letters = relationships.get(source, {}).get(target, "")
    allowed = {keys[letter] for letter in letters}
    return [value for value in RelationType.values if value in allowed]


def relation_allowed(source_type: str, relation_type: str, target_type: str) -> bool:
    allowed = allowed_relation_types(source_type, target_type)
    return allowed is None or relation_type in allowed
