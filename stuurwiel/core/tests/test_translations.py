"""Dutch comes first: every message of the interface has a reviewed Dutch translation."""

from pathlib import Path

import stuurwiel

PO = Path(stuurwiel.__file__).parent / "locale" / "nl" / "LC_MESSAGES" / "django.po"


def _entries():
    """(flags, msgid, msgstrs) per entry, the header left out."""
    for block in PO.read_text(encoding="utf-8").split("\n\n")[1:]:
        flags, msgid, msgstrs, current = "", [], {}, None
        for line in block.splitlines():
            if line.startswith("#,"):
                flags = line
            elif line.startswith("#"):
                continue
            elif line.startswith("msgid "):
                current = msgid
                current.append(line[6:].strip('"'))
            elif line.startswith("msgid_plural"):
                current = None
            elif line.startswith("msgstr"):
                key, _, value = line.partition(" ")
                current = msgstrs.setdefault(key, [])
                current.append(value.strip('"'))
            elif line.startswith('"') and current is not None:
                current.append(line.strip('"'))
        yield flags, "".join(msgid), {k: "".join(v) for k, v in msgstrs.items()}


def test_dutch_catalogue_is_complete_and_reviewed():
    entries = list(_entries())
    assert len(entries) > 500
    fuzzy = [msgid for flags, msgid, _ in entries if "fuzzy" in flags]
    missing = [msgid for _, msgid, msgstrs in entries if not all(msgstrs.values())]
    assert fuzzy == [], f"fuzzy Dutch translations: {fuzzy}"
    assert missing == [], f"untranslated into Dutch: {missing}"


def test_placeholders_survive_translation():
    import re

    placeholder = re.compile(r"%\(\w+\)[sd]|\{[^{}]*\}")
    wrong = [
        msgid
        for _, msgid, msgstrs in _entries()
        for msgstr in msgstrs.values()
        if sorted(set(placeholder.findall(msgid))) != sorted(set(placeholder.findall(msgstr)))
        and "msgstr[0]" not in msgstrs  # plural forms may drop the count in the singular
    ]
    assert wrong == []
