"""Findings in words: the reasoning an evaluator stored (ids and facts) turned
into a sentence in the active language, with the names it mentions read in one
query per kind, and a link to where it is fixed."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stuurwiel.coherence.choices import FindingOutcome
from stuurwiel.coherence.models import Finding
from stuurwiel.core.vocabulary import ElementType
from stuurwiel.frameworks.models import FrameworkPart, LinkType
from stuurwiel.graph.models import Element
from stuurwiel.organisations.choices import Role


@dataclass
class FindingView:
    finding: Finding
    reasoning: str
    fix_url: str
    fix_label: str
    elements: list[Element]


def _ids(findings, *names) -> set[int]:
    found: set[int] = set()
    for finding in findings:
        for name in names:
            value = finding.reasoning.get(name)
            if isinstance(value, int):
                found.add(value)
            elif isinstance(value, list):
                found.update(v for v in value if isinstance(v, int))
    return found


def _type_label(value: str) -> str:
    try:
        return str(ElementType(value).label)
    except ValueError:
        return value


def _role_label(value: str) -> str:
    try:
        return str(Role(value).label)
    except ValueError:
        return value


def findings_described(
    findings: list[Finding], *, org_slug: str, may_fix: set[int] | None = None
) -> list[FindingView]:
    """Each finding with its reasoning in words and a link to fix it, where the
    member may change the subject (``may_fix``: those subjects' ids; None: all)."""
    element_ids = _ids(findings, "element", "misfits") | {
        f.element_id for f in findings if f.element_id
    }
    part_ids = _ids(
        findings, "part", "other", "from", "to", "parts", "unanswered", "ahead", "within"
    )
    elements = Element.objects.in_bulk(element_ids) if element_ids else {}
    parts = FrameworkPart.objects.in_bulk(part_ids) if part_ids else {}
    link_ids = _ids(findings, "link_type")
    links = LinkType.objects.in_bulk(link_ids) if link_ids else {}
    context = {"elements": elements, "parts": parts, "links": links, "org": org_slug}
    views = [_describe(finding, context) for finding in findings]
    for view in views:
        if may_fix is not None and view.finding.subject_id not in may_fix:
            view.fix_url = ""
    return views


def _name(objects: dict, pk) -> str:
    obj = objects.get(pk)
    return f"“{obj.name}”" if obj is not None else "?"


def _names(objects: dict, pks, shown: int = 4) -> str:
    """The first ``shown`` names, then how many more (a rule may list thirteen parts)."""
    pks = [pk for pk in pks or [] if isinstance(pk, int)]
    text = ", ".join(_name(objects, pk) for pk in pks[:shown])
    if len(pks) > shown:
        rest = len(pks) - shown
        text += " " + ngettext("and {count} more", "and {count} more", rest).format(count=rest)
    return text


def _describe(finding: Finding, ctx: dict) -> FindingView:
    r = finding.reasoning
    parts, elements = ctx["parts"], ctx["elements"]
    kind = finding.rule.kind
    subject_url = reverse("graph:subject_detail", args=[ctx["org"], finding.subject_id])
    add_url = reverse("graph:element_add", args=[ctx["org"]]) + f"?subject={finding.subject_id}"
    fix_url, fix_label = subject_url, _("Open the subject")
    shown = [
        elements[pk] for pk in ([r.get("element")] + list(r.get("misfits", []))) if pk in elements
    ]
    if finding.outcome == FindingOutcome.UNCHECKED:
        text = _unchecked_text(r, parts)
    elif kind == "part_answered":
        part = parts.get(r.get("part"))
        question = part.short_question if part is not None and part.short_question else ""
        text = _("Nothing answers {part} yet.").format(part=_name(parts, r.get("part")))
        if question:
            text += " " + _("The model asks: {question}").format(question=question)
        if r.get("misfits"):
            text += " " + ngettext(
                "{count} element is classified there but its type does not fit.",
                "{count} elements are classified there but their type does not fit.",
                len(r["misfits"]),
            ).format(count=len(r["misfits"]))
        if part is not None:
            add_url += "&" + urlencode({"part": part.urn})
        fix_url, fix_label = add_url, _("Add an element that answers it")
    elif kind == "link_expected":
        link = ctx["links"].get(r.get("link_type"))
        if r.get("each") == "from":
            message = _("{element} has no link “{link}” to an element of {other}.")
        else:
            message = _("{element} has no link “{link}” from an element of {other}.")
        text = message.format(
            element=_name(elements, r.get("element")),
            link=link.name if link else "?",
            other=_name(parts, r.get("other")),
        )
        fix_url, fix_label = _element_url(ctx, r.get("element")), _("Add the relation")
    elif kind == "element_type_fits":
        text = _(
            "{element} is a {type}, which does not answer {part} (it takes: {allowed})."
        ).format(
            element=_name(elements, r.get("element")),
            type=_type_label(r.get("type", "")),
            part=_name(parts, r.get("part")),
            allowed=", ".join(_type_label(t) for t in r.get("allowed", [])),
        )
        fix_url, fix_label = _element_url(ctx, r.get("element")), _("Change the type or the part")
    elif kind == "exclusive_parts":
        text = _("{element} answers more than one of: {parts}.").format(
            element=_name(elements, r.get("element")),
            parts=", ".join(_name(parts, p) for p in r.get("parts", [])),
        )
        fix_url, fix_label = _element_url(ctx, r.get("element")), _("Keep one part")
    elif kind in ("parts_linked", "path_expected"):
        text = _("No element of {source} is linked to an element of {target}.").format(
            source=_name(parts, r.get("from")), target=_name(parts, r.get("to"))
        )
        if r.get("unanswered"):
            text += " " + _("Still unanswered: {parts}.").format(
                parts=", ".join(_name(parts, p) for p in r["unanswered"])
            )
        fix_url = reverse("graph:relation_add", args=[ctx["org"]])
        fix_label = _("Add the relation")
    elif kind == "parts_in_order":
        text = _(
            "{part} (step {step}) is still open while a later step is already worked out: {ahead}."
        ).format(
            part=_name(parts, r.get("part")),
            step=r.get("step"),
            ahead=", ".join(_name(parts, p) for p in r.get("ahead", [])),
        )
        part = parts.get(r.get("part"))
        if part is not None:
            add_url += "&" + urlencode({"part": part.urn})
        fix_url, fix_label = add_url, _("Work out this step first")
    elif kind == "answers_within":
        text = _(
            "{element} lies outside {within}: it answers none of them, and no element "
            "related to it does."
        ).format(element=_name(elements, r.get("element")), within=_names(parts, r.get("within")))
        fix_url, fix_label = _element_url(ctx, r.get("element")), _("Place it in a process")
    elif kind == "element_related":
        text = _("{element} is related to no element of the kind {types}.").format(
            element=_name(elements, r.get("element")),
            types=" / ".join(_type_label(t) for t in r.get("types", [])),
        )
        fix_url, fix_label = _element_url(ctx, r.get("element")), _("Add the relation")
    elif kind == "types_present":
        text = _("Among the answers to {parts} there is no {type}.").format(
            parts=", ".join(_name(parts, p) for p in r.get("parts", [])),
            type=_type_label(r.get("type", "")),
        )
        fix_url, fix_label = add_url, _("Add an element")
    elif kind == "cadence_due":
        text = _(
            "{part} was last reviewed on {last}; with a cadence of {months} months "
            "it was due on {due}."
        ).format(
            part=_name(parts, r.get("part")),
            last=r.get("last"),
            months=r.get("months"),
            due=r.get("due"),
        )
        fix_label = _("Review the answers")
    elif kind == "chain_covered":
        what = _("an agreement (OLA or UC)") if r.get("what") == "agreement" else _("an interface")
        text = _("The link “{name}” of the chain has no {what}.").format(
            name=r.get("name"), what=what
        )
        fix_label = _("Open the service's chain")
    elif kind == "single_owner":
        count = r.get("count", 0)
        role = _role_label(r["role"]) if r.get("role") else _("owner")
        text = (
            _("Nobody is {role} here.").format(role=role)
            if count == 0
            else ngettext(
                "{count} member is {role} here; there should be exactly one.",
                "{count} members are {role} here; there should be exactly one.",
                count,
            ).format(count=count, role=role)
        )
        fix_label = _("Set the owner")
    elif kind == "role_separation":
        first, other = (r.get("roles") or ["", ""])[:2]
        text = _("A member holds both {first} and {other} for this subject.").format(
            first=_role_label(first), other=_role_label(other)
        )
        fix_url = reverse("organisations:membership_list", args=[ctx["org"]])
        fix_label = _("Review the roles")
    elif r.get("relaxation"):
        text = _(
            "The organisation relaxed this rule for a team of the chain; it stands as "
            "a finding while it is in effect."
        )
    else:
        text = str(finding.rule.message)
    return FindingView(finding, text, fix_url, str(fix_label), shown)


def _element_url(ctx: dict, pk) -> str:
    if isinstance(pk, int):
        return reverse("graph:element_detail", args=[ctx["org"], pk])
    return reverse("graph:element_list", args=[ctx["org"]])


def _unchecked_text(r: dict, parts: dict) -> str:
    why = r.get("why")
    if why == "no_cadence":
        return _("{part} names no cadence, so whether it is kept cannot be checked.").format(
            part=_name(parts, r.get("part"))
        )
    if why == "no_design":
        return _(
            "This subject is a service without a designed chain yet, so its chain "
            "cannot be checked."
        )
    if why == "no_evaluator":
        return _("This version of Stuurwiel cannot evaluate this kind of rule.")
    return _("This rule could not be evaluated here; the error was logged.")
