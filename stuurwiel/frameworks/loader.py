"""Framework libraries: YAML files in, database rows out, in two phases.

Model
    A library file (format: ``docs/framework-libraries.md``) describes one framework:
    its parts as a tree, guiding questions per part, link types between parts and
    coherence rules. Phase 1, :func:`validate_libraries`, reads every given file and
    collects *every* problem as a :class:`LibraryError` (file, path, message, line):
    YAML syntax, the JSON Schema in ``schema/library.schema.json``, cross-references
    within the file (:mod:`stuurwiel.frameworks.checks`), conflicts between the files,
    and conflicts with what is already loaded. Any error raises :class:`LibraryInvalid`
    and nothing is written. Phase 2, :func:`write_libraries`, writes all files in one
    transaction: a library whose content hash equals the stored one is skipped
    entirely; otherwise the framework and its parts, questions, link types and rules
    are upserted by ``ref_id`` and what the new version no longer has is deleted.
    Each created or updated framework gets one change-log entry (no organisation).

Limits
    - Cross-reference checks skip what the schema found malformed, and the checks
      between files and against the database only see files without errors; fixing
      those may reveal more.
    - The hash covers the parsed content, so comments and layout do not count as a
      change. A changed file at the same version is loaded (and logged); a lower
      version than the loaded one is refused.
    - A library cannot be renamed (new ``urn`` or ``ref_id``) or unloaded here.
    - Dropping a part that graph elements are classified by is refused; dropping a
      link type unlinks the relations that realised it (``SET_NULL``).
    - YAML anchors/aliases and duplicate keys are refused: libraries are plain data.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Count, ProtectedError
from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator

from stuurwiel.changelog.choices import ChangeAction
from stuurwiel.changelog.services import change_record
from stuurwiel.frameworks import checks
from stuurwiel.frameworks.choices import LoadStatus
from stuurwiel.frameworks.errors import LibraryError, LibraryInvalid, format_path, line_of
from stuurwiel.frameworks.models import (
    CoherenceRule,
    Framework,
    FrameworkPart,
    GuidingQuestion,
    LinkType,
)
from stuurwiel.frameworks.yamlfile import parse_library_yaml

__all__ = [
    "Library",
    "LibraryError",
    "LibraryInvalid",
    "LibrarySource",
    "LoadReport",
    "validate_libraries",
    "write_libraries",
]

SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / "library.schema.json"
# Part of the content hash: raise it when the way a library maps onto the models
# changes, so that every installation rewrites its libraries on the next load.
MAPPING_VERSION = "2"


@cache
def library_schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class LibrarySource:
    """One file to load: a display name (path or upload name) and its bytes or text."""

    name: str
    content: bytes | str

    @classmethod
    def from_path(cls, path: str | Path) -> LibrarySource:
        return cls(name=str(path), content=Path(path).read_bytes())


@dataclass
class Library:
    """A file that passed phase 1: its parsed data and where each path sits in it."""

    source: str
    data: dict[str, Any] = field(repr=False)
    content_hash: str = ""
    lines: dict[tuple, int] = field(default_factory=dict, repr=False)

    @property
    def urn(self) -> str:
        return self.data["urn"]

    @property
    def ref_id(self) -> str:
        return self.data["ref_id"]

    @property
    def version(self) -> int:
        return self.data["version"]

    def error(self, path: tuple, message: str) -> LibraryError:
        return LibraryError(self.source, format_path(path), message, line_of(self.lines, path))


# --- Phase 1: parse and validate ----------------------------------------------


def content_hash(data: dict[str, Any]) -> str:
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{MAPPING_VERSION}\n{canonical}".encode()).hexdigest()


def _read(source: LibrarySource | str | Path) -> tuple[str, str | None, list[LibraryError]]:
    if not isinstance(source, LibrarySource):
        try:
            source = LibrarySource.from_path(source)
        except OSError as exc:
            message = _("The file cannot be read: {reason}.").format(reason=exc.strerror or exc)
            return str(source), None, [LibraryError(str(source), "", message)]
    content = source.content
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            return source.name, None, [LibraryError(source.name, "", _("The file is not UTF-8."))]
    return source.name, content, []


def _parse_one(source: LibrarySource | str | Path) -> tuple[Library | None, list[LibraryError]]:
    name, text, errors = _read(source)
    if text is None:
        return None, errors
    data, lines, errors = parse_library_yaml(name, text)
    if errors:
        return None, errors
    validator = Draft202012Validator(library_schema())
    # jsonschema reports "required" once per missing field, each carrying the whole
    # list; keep every (place, message) once, in the order found.
    errors = list(
        {
            (error.path, error.message): error
            for raw in validator.iter_errors(data)
            for error in checks.schema_errors(name, raw, lines)
        }.values()
    )
    if not isinstance(data, dict):
        return None, errors
    library = Library(source=name, data=data, lines=lines)
    # Cross-reference checks run even on a file with schema errors, so one round
    # shows everything; a path the schema already complained about is not repeated.
    reported = {error.path for error in errors}
    errors += [e for e in checks.library_errors(library) if e.path not in reported]
    if errors:
        return None, _in_file_order(errors)
    library.content_hash = content_hash(data)
    return library, []


def _in_file_order(errors: list[LibraryError]) -> list[LibraryError]:
    return sorted(errors, key=lambda error: error.line or 0)


def validate_libraries(sources: Iterable[LibrarySource | str | Path]) -> list[Library]:
    """Phase 1: parse and check every source; raise :class:`LibraryInvalid` with all
    errors of all files, or return the libraries in the given order."""
    libraries: list[Library] = []
    errors: list[LibraryError] = []
    for source in sources:
        library, found = _parse_one(source)
        errors.extend(found)
        if library is not None:
            libraries.append(library)
    errors.extend(_conflicts_between(libraries))
    errors.extend(_conflicts_with_database(libraries))
    if errors:
        raise LibraryInvalid(errors)
    if not libraries:
        raise LibraryInvalid([LibraryError("", "", _("No library files were given."))])
    return libraries


def _conflicts_between(libraries: Sequence[Library]) -> list[LibraryError]:
    errors = []
    first_urn: dict[str, Library] = {}
    first_ref: dict[str, Library] = {}
    for library in libraries:
        if (other := first_urn.setdefault(library.urn, library)) is not library:
            message = _("The URN “{urn}” is also used by {file}.")
            message = message.format(urn=library.urn, file=other.source)
            errors.append(library.error(("urn",), message))
        elif (other := first_ref.setdefault(library.ref_id, library)) is not library:
            message = _("The reference “{ref}” is also used by {file}.")
            message = message.format(ref=library.ref_id, file=other.source)
            errors.append(library.error(("ref_id",), message))
    return errors


def _conflicts_with_database(libraries: Sequence[Library]) -> list[LibraryError]:
    """What the loaded frameworks forbid: a new ref_id or URN for a known library, a
    lower version, or dropping parts that graph elements are still classified by."""
    urns = [lib.urn for lib in libraries]
    refs = [lib.ref_id for lib in libraries]
    by_urn = {fw.urn: fw for fw in Framework.objects.filter(urn__in=urns)}
    by_ref = {fw.ref_id: fw for fw in Framework.objects.filter(ref_id__in=refs)}
    errors = []
    for library in libraries:
        loaded = by_urn.get(library.urn)
        owner = by_ref.get(library.ref_id)
        if loaded is not None and loaded.ref_id != library.ref_id:
            message = _(
                "This URN is loaded with the reference “{ref}”; a library keeps its reference."
            ).format(ref=loaded.ref_id)
            errors.append(library.error(("ref_id",), message))
        elif owner is not None and owner.urn != library.urn:
            message = _("The reference “{ref}” already belongs to the library {urn}.")
            message = message.format(ref=library.ref_id, urn=owner.urn)
            errors.append(library.error(("urn",), message))
        if loaded is None or loaded.content_hash == library.content_hash:
            continue
        if library.version < loaded.version:
            message = _("Version {version} is lower than the loaded version {loaded}.")
            errors.append(
                library.error(
                    ("version",), message.format(version=library.version, loaded=loaded.version)
                )
            )
        errors.extend(_classified_parts_dropped(library, loaded))
    return errors


def _classified_parts_dropped(library: Library, loaded: Framework) -> list[LibraryError]:
    kept = {part["ref_id"] for part, *_rest in checks.walk_parts(library.data)}
    dropped = (
        FrameworkPart.objects.filter(framework=loaded)
        .exclude(ref_id__in=kept)
        .annotate(uses=Count("classifications"))
        .filter(uses__gt=0)
        .order_by("order")
    )
    message = _(
        "The part “{ref}” is no longer in the library, but {count} element(s) are still "
        "classified by it. Keep the part or reclassify those elements first."
    )
    return [
        library.error(("parts",), message.format(ref=part.ref_id, count=part.uses))
        for part in dropped
    ]


# --- Phase 2: write ------------------------------------------------------------


@dataclass(frozen=True)
class LibraryOutcome:
    framework: Framework
    status: LoadStatus
    previous_version: int | None = None

    @property
    def status_label(self) -> str:
        return str(LoadStatus(self.status).label)


@dataclass
class LoadReport:
    """What a load did, per framework, in the order the files were given."""

    outcomes: list[LibraryOutcome] = field(default_factory=list)

    def _with(self, status: LoadStatus) -> list[Framework]:
        return [o.framework for o in self.outcomes if o.status == status]

    @property
    def created(self) -> list[Framework]:
        return self._with(LoadStatus.CREATED)

    @property
    def updated(self) -> list[Framework]:
        return self._with(LoadStatus.UPDATED)

    @property
    def unchanged(self) -> list[Framework]:
        return self._with(LoadStatus.UNCHANGED)


@transaction.atomic
def write_libraries(libraries: Sequence[Library], *, by: Any, reason: str = "") -> LoadReport:
    """Phase 2: write validated libraries in one transaction (see the module docstring)."""
    # Checked again inside the transaction: the database may have moved since phase 1.
    if errors := _conflicts_with_database(libraries):
        raise LibraryInvalid(errors)
    report = LoadReport()
    for library in libraries:
        report.outcomes.append(_write_one(library, by=by, reason=reason))
    return report


def _write_one(library: Library, *, by: Any, reason: str) -> LibraryOutcome:
    framework = Framework.objects.select_for_update().filter(urn=library.urn).first()
    if framework is not None and framework.content_hash == library.content_hash:
        return LibraryOutcome(framework, LoadStatus.UNCHANGED, framework.version)
    data = library.data
    before = _summary(framework) if framework is not None else {}
    previous = framework.version if framework is not None else None
    framework = framework or Framework(urn=library.urn)
    source = data["source"]
    _assign(
        framework,
        ref_id=data["ref_id"],
        version=data["version"],
        **_texts("name", data["name"]),
        **_texts("description", data["description"]),
        publisher=data.get("publisher", ""),
        source_title=source["title"],
        source_author=source.get("author", ""),
        source_edition=source.get("edition", ""),
        source_url=source.get("url", ""),
        license=source.get("license", ""),
        license_url=source.get("license_url", ""),
        content_hash=library.content_hash,
    )
    framework.save()
    parts, added, removed = _sync_parts(framework, library)
    _sync_questions(framework, parts, library)
    _sync_link_types(framework, parts, library)
    _sync_rules(framework, library)
    after = _summary(framework)
    if previous is not None:
        after.update(parts_added=added, parts_removed=removed)
    change_record(
        instance=framework,
        action=ChangeAction.UPDATE if previous is not None else ChangeAction.CREATE,
        by=by,
        before=before,
        after=after,
        reason=reason,
        organisation=None,
    )
    status = LoadStatus.UPDATED if previous is not None else LoadStatus.CREATED
    return LibraryOutcome(framework, status, previous)


def _summary(framework: Framework) -> dict[str, Any]:
    """What the change log keeps of a framework: its version, hash and counts."""
    return {
        "version": framework.version,
        "content_hash": framework.content_hash,
        "parts": framework.parts.count(),
        "questions": GuidingQuestion.objects.filter(part__framework=framework).count(),
        "link_types": framework.link_types.count(),
        "rules": framework.rules.count(),
    }


def _texts(base: str, text: dict[str, str] | None) -> dict[str, str]:
    text = text or {}
    return {f"{base}_nl": text.get("nl", ""), f"{base}_en": text.get("en", "")}


def _provenance(item: dict[str, Any]) -> dict[str, str]:
    """The model fields of an entry's ``source`` (``{kind, ref}``; blank if absent)."""
    source = item.get("source") or {}
    return {"provenance": source.get("kind", ""), "provenance_ref": source.get("ref", "")}


def _assign(instance, **values) -> bool:
    """Set ``values`` on ``instance``; whether anything changed."""
    changed = False
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed


def _sync_parts(
    framework: Framework, library: Library
) -> tuple[dict[str, FrameworkPart], list[str], list[str]]:
    """Upsert the parts by ref_id, delete those the library dropped; return the
    parts by ref_id and the ref_ids added and removed."""
    existing = {part.ref_id: part for part in framework.parts.all()}
    parts: dict[str, FrameworkPart] = {}
    # Pre-order: a parent is saved before its children need its id.
    for order, (item, _path, parent_ref) in enumerate(checks.walk_parts(library.data)):
        part = existing.get(item["ref_id"]) or FrameworkPart(
            framework=framework, ref_id=item["ref_id"]
        )
        changed = _assign(
            part,
            urn=f"{framework.urn}:{item['ref_id']}",
            parent_id=parts[parent_ref].pk if parent_ref else None,
            kind=item["kind"],
            order=order,
            **_texts("name", item["name"]),
            **_texts("description", item.get("description")),
            **_texts("short_question", item.get("short_question")),
            **_texts("cadence", item.get("cadence")),
            element_types=item.get("element_types", []),
            attributes=item.get("attributes", {}),
            refs=item.get("refs", {}),
            # A part inherits its parent's flag unless it says otherwise.
            assessable=item.get("assessable", parts[parent_ref].assessable if parent_ref else True),
            **_provenance(item),
        )
        if changed or part.pk is None:
            part.save()
        parts[part.ref_id] = part
    removed = sorted(existing.keys() - parts.keys())
    try:
        FrameworkPart.objects.filter(framework=framework, ref_id__in=removed).delete()
    except ProtectedError as exc:  # classified since phase 1 checked
        message = _("A dropped part is still classified by graph elements; nothing was loaded.")
        raise LibraryInvalid([library.error(("parts",), message)]) from exc
    return parts, sorted(parts.keys() - existing.keys()), removed


def _sync_questions(framework, parts: dict[str, FrameworkPart], library: Library) -> None:
    existing = {
        (q.part_id, q.ref_id): q for q in GuidingQuestion.objects.filter(part__framework=framework)
    }
    keep: set[int] = set()
    new: list[GuidingQuestion] = []
    for item, _path, _parent in checks.walk_parts(library.data):
        part = parts[item["ref_id"]]
        for order, entry in enumerate(item.get("questions", [])):
            question = existing.get((part.pk, entry["ref_id"])) or GuidingQuestion(
                part=part, ref_id=entry["ref_id"]
            )
            changed = _assign(
                question,
                urn=f"{part.urn}:{entry['ref_id']}",
                order=order,
                source=entry.get("source", ""),
                **_texts("text", entry["text"]),
            )
            if question.pk is None:
                new.append(question)
            else:
                keep.add(question.pk)
                if changed:
                    question.save()
    GuidingQuestion.objects.filter(part__framework=framework).exclude(pk__in=keep).delete()
    GuidingQuestion.objects.bulk_create(new)


def _sync_link_types(framework, parts: dict[str, FrameworkPart], library: Library) -> None:
    existing = {link.ref_id: link for link in framework.link_types.all()}
    for order, item in enumerate(library.data.get("link_types", [])):
        link = existing.pop(item["ref_id"], None) or LinkType(
            framework=framework, ref_id=item["ref_id"]
        )
        changed = _assign(
            link,
            urn=f"{framework.urn}:link:{item['ref_id']}",
            order=order,
            **_texts("name", item["name"]),
            **_texts("description", item.get("description")),
            source_part_id=parts[item["from"]].pk,
            target_part_id=parts[item["to"]].pk,
            relation_type=item["relation"],
            **_provenance(item),
        )
        if changed or link.pk is None:
            link.save()
    LinkType.objects.filter(pk__in=[link.pk for link in existing.values()]).delete()


def _sync_rules(framework, library: Library) -> None:
    existing = {rule.ref_id: rule for rule in framework.rules.all()}
    for order, item in enumerate(library.data.get("coherence_rules", [])):
        rule = existing.pop(item["ref_id"], None) or CoherenceRule(
            framework=framework, ref_id=item["ref_id"]
        )
        changed = _assign(
            rule,
            urn=f"{framework.urn}:rule:{item['ref_id']}",
            order=order,
            kind=item["kind"],
            severity=item["severity"],
            **_texts("message", item["message"]),
            params=item.get("params", {}),
            **_provenance(item),
        )
        if changed or rule.pk is None:
            rule.save()
    CoherenceRule.objects.filter(pk__in=[rule.pk for rule in existing.values()]).delete()
