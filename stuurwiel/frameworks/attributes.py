"""A part's free-form ``attributes`` as rows a reader can take in: a translated
label, the values in the active language (a part's reference shown as that part's
name), and where the value comes from when the library says so.

Convention (docs/framework-libraries.md): an attribute ``<name>_source`` is the
source of the attribute ``<name>`` (``quote_source`` of ``quote``); it is shown
with that attribute, not as a row of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from stuurwiel.core.i18n import active_content_language

SOURCE_SUFFIX = "_source"

# Labels for the attribute names the bundled libraries use; a library may use any
# name, unknown ones are shown as written, with spaces for underscores.
ATTRIBUTE_LABELS = {
    "accountability": _("accountability"),
    "agreement_variation": _("what varies per agreement"),
    "also_called": _("also called"),
    "always_fixes": _("always fixes"),
    "assesses": _("assesses"),
    "book_definition": _("definition in the book"),
    "book_sections": _("sections of the book"),
    "cadence_months": _("cadence in months"),
    "trace_stage": _("place on the trace (1: the reasons)"),
    "candidate_services": _("candidate services"),
    "category": _("category"),
    "decided_at": _("decided at"),
    "definition": _("definition"),
    "depends_on_agreement": _("depends on the agreement"),
    "dimensions": _("dimensions"),
    "domain_separation": _("domain separation"),
    "everyday_calls": _("everyday calls"),
    "everyday_calls_note": _("note on everyday calls"),
    "example_services": _("example services"),
    "feeds": _("feeds"),
    "focus": _("focus"),
    "fork": _("fork"),
    "forms": _("forms"),
    "generic_step": _("generic step"),
    "governance_question": _("governance question"),
    "guard_rails": _("guard rails"),
    "guard_rails_per_step": _("guard rails per step"),
    "horizon": _("horizon"),
    "horizon_long_term": _("long-term horizon"),
    "horizon_short_term": _("short-term horizon"),
    "impact": _("impact"),
    "impact_labels": _("impact levels"),
    "indicators": _("indicators"),
    "key_measure": _("key measure"),
    "kind": _("kind"),
    "letter": _("letter"),
    "level": _("level"),
    "levels": _("levels"),
    "lines": _("lines"),
    "logic_1_5_8": _("1-5-8 logic"),
    "matrix": _("matrix"),
    "matrix_format": _("matrix notation"),
    "never_fixes": _("never fixes"),
    "number": _("number"),
    "optional": _("optional"),
    "order": _("order"),
    "order_of_thinking": _("order of thinking"),
    "orientation": _("orientation"),
    "outranks": _("outranks"),
    "owner": _("owner"),
    "position": _("position"),
    "principle": _("principle"),
    "priorities": _("priorities"),
    "priority_basis": _("priority from"),
    "quote": _("quotation"),
    "risk_effect": _("risk effect"),
    "risk_likelihood": _("risk likelihood"),
    "risk_matrix": _("risk matrix"),
    "risk_matrix_format": _("risk matrix notation"),
    "role": _("role"),
    "roles": _("roles"),
    "specifies": _("specifies"),
    "starts_process": _("starts the process"),
    "subtitle": _("subtitle"),
    "theory": _("theory"),
    "trigger_call_type": _("started by the call type"),
    "urgency": _("urgency"),
    "urgency_labels": _("urgency levels"),
    "varies_per_service": _("varies per service"),
}


@dataclass
class AttributeValue:
    text: str
    part_ref: str = ""  # set when the value names another part of the framework


@dataclass
class AttributeRow:
    name: str
    label: str
    values: list[AttributeValue] = field(default_factory=list)
    source: str = ""

    @property
    def is_list(self) -> bool:
        return len(self.values) > 1


def _text(value: Any) -> str:
    if isinstance(value, dict):
        language = active_content_language()
        return str(value.get(language) or value.get("nl") or "")
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if value is None:
        return "—"
    return str(value)


def _value(value: Any, part_names: dict[str, str]) -> AttributeValue:
    if isinstance(value, str) and value in part_names:
        return AttributeValue(part_names[value], part_ref=value)
    return AttributeValue(_text(value))


def attribute_rows(attributes: dict[str, Any], part_names: dict[str, str]) -> list[AttributeRow]:
    """The rows for ``attributes`` in the library's order; ``part_names`` maps the
    framework's part ref_ids to their (translated) names."""
    rows = []
    for name, value in (attributes or {}).items():
        owner = name.removesuffix(SOURCE_SUFFIX)
        if name != owner and owner in attributes:
            continue  # shown with its attribute
        items = value if isinstance(value, list) else [value]
        label = ATTRIBUTE_LABELS.get(name, name.replace("_", " "))
        rows.append(
            AttributeRow(
                name=name,
                label=str(label),
                values=[_value(item, part_names) for item in items],
                source=_text(attributes.get(name + SOURCE_SUFFIX, "")),
            )
        )
    return rows
