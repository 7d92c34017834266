"""What the USM library says about a service design, and who designed it.

- The Service Model Canvas structure is data: the ``canvas_cell`` parts under the
  library's ``service-definitie`` part are the sections (voorziening,
  ondersteuning, beleving), their own ``canvas_cell`` children the cells each
  canvas item is specified in (goederen, handelingen, functionaliteit,
  functioneren). A fifth cell in the library is a fifth cell on the canvas; a
  section without cells (beleving) is written in one cell: itself.
- The process steps a chain link may perform are the library's ``step`` parts.
- Who specified a design is read from the change log: everyone who wrote to the
  service, to a part of it or to its agreements. The USM library's
  ``person_separation`` rule (act ``approve_design``) bars them from approving it.
- The design digest is the SHA-256 of the design's canonical export, so an
  approval names exactly the design it approved.

Read from the loaded library when it is loaded (and kept until its content
changes: ``frameworks.selectors.library_derived``), else from its bundled file.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from stuurwiel.core.text import text_problem
from stuurwiel.organisations.roles import USM_LIBRARY, USM_URN

CANVAS_ROOT = "service-definitie"
CANVAS_KIND = "canvas_cell"


@dataclass(frozen=True)
class CanvasCell:
    ref_id: str
    name_nl: str
    name_en: str
    description_nl: str = ""
    description_en: str = ""

    @property
    def name(self) -> str:
        return self.name_en if _english() else self.name_nl

    @property
    def description(self) -> str:
        return self.description_en if _english() else self.description_nl


@dataclass(frozen=True)
class CanvasSection(CanvasCell):
    cells: tuple[CanvasCell, ...] = ()
    optional: bool = False
    question_nl: str = ""
    question_en: str = ""
    source: str = ""

    @property
    def question(self) -> str:
        return self.question_en if _english() else self.question_nl

    @property
    def entry_cells(self) -> tuple[CanvasCell, ...]:
        """The cells an item of this section is written in: the library's cells
        or, for a section without cells of its own (the experience), one cell
        that is the section itself, so an experience is a text and not a name only."""
        if self.cells:
            return self.cells
        return (
            CanvasCell(
                self.ref_id, self.name_nl, self.name_en, self.description_nl, self.description_en
            ),
        )


def _english() -> bool:
    return (get_language() or "nl").startswith("en")


@lru_cache(maxsize=1)
def _bundled() -> dict:
    return yaml.safe_load(USM_LIBRARY.read_text(encoding="utf-8"))


def _bundled_parts() -> list[dict]:
    found: list[dict] = []

    def walk(parts: list[dict]) -> None:
        for part in parts:
            found.append(part)
            walk(part.get("children") or [])

    walk(_bundled().get("parts") or [])
    return found


def _text(value: Any, language: str) -> str:
    return (value or {}).get(language, "") if isinstance(value, dict) else str(value or "")


def canvas_sections() -> tuple[CanvasSection, ...]:
    """The canvas sections with their cells, in library order (worked out once
    per loaded library)."""
    from stuurwiel.frameworks.selectors import library_derived

    return library_derived(USM_URN, "canvas_sections", _canvas_sections_read)


def _canvas_sections_read() -> tuple[CanvasSection, ...]:
    from stuurwiel.frameworks.models import FrameworkPart

    parts = list(
        FrameworkPart.objects.filter(framework__urn=USM_URN, kind=CANVAS_KIND)
        .select_related("parent")
        .prefetch_related("questions")
        .order_by("order", "pk")
    )
    root = next(
        (p.parent for p in parts if p.parent is not None and p.parent.ref_id == CANVAS_ROOT), None
    )
    if root is not None:
        children: dict[int | None, list] = {}
        for part in parts:
            children.setdefault(part.parent_id, []).append(part)
        return tuple(
            CanvasSection(
                ref_id=part.ref_id,
                name_nl=part.name_nl,
                name_en=part.name_en,
                description_nl=part.description_nl,
                description_en=part.description_en,
                cells=tuple(
                    CanvasCell(c.ref_id, c.name_nl, c.name_en, c.description_nl, c.description_en)
                    for c in children.get(part.pk, [])
                ),
                optional=bool((part.attributes or {}).get("optional")),
                question_nl=next((q.text_nl for q in part.questions.all()), ""),
                question_en=next((q.text_en for q in part.questions.all()), ""),
                source=part.provenance_ref,
            )
            for part in children.get(root.pk, [])
        )
    root_data = next(p for p in _bundled_parts() if p["ref_id"] == CANVAS_ROOT)
    sections = []
    for part in root_data.get("children") or []:
        if part.get("kind") != CANVAS_KIND:
            continue
        questions = part.get("questions") or [{}]
        sections.append(
            CanvasSection(
                ref_id=part["ref_id"],
                name_nl=_text(part.get("name"), "nl"),
                name_en=_text(part.get("name"), "en"),
                description_nl=_text(part.get("description"), "nl"),
                description_en=_text(part.get("description"), "en"),
                cells=tuple(
                    CanvasCell(
                        c["ref_id"],
                        _text(c.get("name"), "nl"),
                        _text(c.get("name"), "en"),
                        _text(c.get("description"), "nl"),
                        _text(c.get("description"), "en"),
                    )
                    for c in part.get("children") or []
                    if c.get("kind") == CANVAS_KIND
                ),
                optional=bool((part.get("attributes") or {}).get("optional")),
                question_nl=_text(questions[0].get("text"), "nl"),
                question_en=_text(questions[0].get("text"), "en"),
                source=(part.get("source") or {}).get("ref", ""),
            )
        )
    return tuple(sections)


def check_canvas_values(section: str, values: Any) -> None:
    """Refuse a canvas item whose section or cells the library does not know."""
    sections = {s.ref_id: s for s in canvas_sections()}
    if section not in sections:
        raise ValidationError(
            {"section": _("Choose a section of the Service Model Canvas.")},
            code="unknown_section",
        )
    if not isinstance(values, dict):
        raise ValidationError(
            {"values": _("The specification is a text per cell.")}, code="invalid_values"
        )
    known = {cell.ref_id for cell in sections[section].entry_cells}
    unknown = sorted(set(values) - known)
    if unknown:
        raise ValidationError(
            {
                "values": _("Unknown cells for this section: {cells}.").format(
                    cells=", ".join(unknown)
                )
            },
            code="unknown_cell",
        )
    if any(not isinstance(text, str) or len(text) > 5000 for text in values.values()):
        raise ValidationError(
            {"values": _("Each cell holds a text of at most 5,000 characters.")},
            code="invalid_values",
        )
    problem = next(filter(None, (text_problem(text) for text in values.values())), None)
    if problem:  # a NUL would reach PostgreSQL's jsonb and answer 500
        raise ValidationError({"values": problem}, code="unstorable")


@dataclass(frozen=True)
class ProcessStep:
    ref_id: str
    process: str
    name_nl: str
    name_en: str

    @property
    def name(self) -> str:
        return self.name_en if _english() else self.name_nl


def process_steps() -> tuple[ProcessStep, ...]:
    """The steps of the five processes, in library order (process ref_id each),
    worked out once per loaded library."""
    from stuurwiel.frameworks.selectors import library_derived

    return library_derived(USM_URN, "process_steps", _process_steps_read)


def _process_steps_read() -> tuple[ProcessStep, ...]:
    from stuurwiel.frameworks.models import FrameworkPart

    rows = list(
        FrameworkPart.objects.filter(framework__urn=USM_URN, kind="step")
        .select_related("parent")
        .order_by("parent__order", "order", "pk")
    )
    if rows:
        return tuple(
            ProcessStep(
                row.ref_id, row.parent.ref_id if row.parent else "", row.name_nl, row.name_en
            )
            for row in rows
        )
    steps = []
    for part in _bundled().get("parts") or []:
        if part.get("kind") != "process":
            continue
        for child in part.get("children") or []:
            if child.get("kind") == "step":
                steps.append(
                    ProcessStep(
                        child["ref_id"],
                        part["ref_id"],
                        _text(child.get("name"), "nl"),
                        _text(child.get("name"), "en"),
                    )
                )
    return tuple(steps)


def check_link_steps(steps: Any) -> None:
    if not isinstance(steps, list) or not all(isinstance(step, str) for step in steps):
        raise ValidationError(
            {"steps": _("Process steps are a list of step references.")}, code="invalid_steps"
        )
    known = {step.ref_id for step in process_steps()}
    unknown = sorted(set(steps) - known)
    if unknown:
        raise ValidationError(
            {"steps": _("Unknown process steps: {steps}.").format(steps=", ".join(unknown))},
            code="unknown_step",
        )


# --- Who designed it, what was approved --------------------------------------------


def designer_ids(service) -> set[int]:
    """The users who wrote to this service's design (the change log says)."""
    from django.contrib.contenttypes.models import ContentType

    from stuurwiel.agreements.models import Agreement, AgreementVersion
    from stuurwiel.changelog.models import ChangeLogEntry
    from stuurwiel.services.models import DesignApproval, Service

    types = ContentType.objects.get_for_models(Service, Agreement, AgreementVersion, DesignApproval)
    # Subqueries, not lists of ids: one query, however many agreements and versions.
    agreements = Agreement.objects.filter(service=service).values("pk")
    versions = AgreementVersion.objects.filter(agreement__service=service).values("pk")
    written = (
        Q(content_type=types[Service], object_id=service.pk)
        | Q(parent_content_type=types[Service], parent_object_id=service.pk)
        | Q(parent_content_type=types[Agreement], parent_object_id__in=agreements)
        | Q(parent_content_type=types[AgreementVersion], parent_object_id__in=versions)
    )
    return set(
        ChangeLogEntry.objects.filter(written, organisation_id=service.organisation_id)
        # Decisions on the design are not design work.
        .exclude(content_type=types[DesignApproval])
        .exclude(actor__isnull=True)
        .values_list("actor_id", flat=True)
        .distinct()
    )


def self_approval_message() -> str:
    """The USM library's explanation why a designer may not approve (in the
    active language), with the rule's reference."""
    from stuurwiel.frameworks.models import CoherenceRule

    row = (
        CoherenceRule.objects.filter(
            framework__urn=USM_URN, kind="person_separation", params__act="approve_design"
        )
        .only("message_nl", "message_en")
        .first()
    )
    if row is not None:
        return row.message_en if _english() else row.message_nl
    for rule in _bundled().get("coherence_rules") or []:
        if (
            rule.get("kind") == "person_separation"
            and (rule.get("params") or {}).get("act") == "approve_design"
        ):
            return _text(rule.get("message"), "en" if _english() else "nl")
    return _("Nobody approves their own design.")


def design_digest(service) -> str:
    """SHA-256 of the design's canonical export (what an approval approves)."""
    from stuurwiel.services.exchange_export import service_export

    data = service_export(service, for_digest=True)
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
