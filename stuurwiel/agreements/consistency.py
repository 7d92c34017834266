"""Design findings on a service's agreements: what is missing and what does not add up.

Assumption (documented for the design gate): a call passes every link of the
chain in order, so the links' resolution norms for a priority add up along the
chain and must fit within the SA's resolution norm for that priority.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from stuurwiel.agreements.choices import AgreementKind, VersionStatus
from stuurwiel.agreements.models import Agreement

PRIORITIES = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class Finding:
    code: str
    message: str
    severity: str = "error"
    fix_url: str = ""


def _current(agreement):
    """The version in force, else the newest draft."""
    versions = sorted(agreement.versions.all(), key=lambda v: v.number, reverse=True)
    active = [v for v in versions if v.status == VersionStatus.ACTIVE]
    drafts = [v for v in versions if v.status == VersionStatus.DRAFT]
    return (active or drafts or [None])[0]


def service_agreements(service) -> list:
    """The service's agreements with their versions and norms: what both checks
    read. A caller running both fetches them once and passes them to each."""
    # The findings name agreements by name and links by the links passed in, so the
    # agreements' links are not joined here.
    return list(Agreement.objects.filter(service=service).prefetch_related("versions__norms"))


def agreement_gaps(service, *, agreements=None, links=None) -> list[Finding]:
    """An SA, and an OLA/UC per link, each with a version and a norm per priority
    (``agreements`` from :func:`service_agreements`, ``links`` with their team and
    supplier, when the caller has them already)."""
    url = reverse(
        "services:service_detail", kwargs={"org": service.organisation.slug, "pk": service.pk}
    )
    agreements = service_agreements(service) if agreements is None else agreements
    if links is None:
        links = service.links.select_related("team", "supplier")
    found = []
    if not any(a.kind == AgreementKind.SA for a in agreements):
        found.append(
            Finding(
                "sa_missing", _("Make the service agreement (SA) with the customer."), fix_url=url
            )
        )
    covered = {a.link_id for a in agreements if a.link_id}
    for link in links:
        if link.pk not in covered:
            kind = _("an underpinning contract (UC)") if link.is_supplier else _("an OLA")
            found.append(
                Finding(
                    "link_agreement_missing",
                    _("Link “{link}” has no agreement: make {kind}.").format(link=link, kind=kind),
                    fix_url=url,
                )
            )
    for agreement in agreements:
        version = _current(agreement)
        if version is None:
            found.append(
                Finding(
                    "version_missing",
                    _("“{name}” has no version.").format(name=agreement),
                    fix_url=url,
                )
            )
            continue
        have = {norm.priority for norm in version.norms.all()}
        missing = [str(p) for p in PRIORITIES if p not in have]
        if missing:
            found.append(
                Finding(
                    "norm_missing",
                    _("“{name}” has no norm for priority {priorities}.").format(
                        name=agreement, priorities=", ".join(missing)
                    ),
                    fix_url=url,
                )
            )
    return found


def norm_findings(service, *, agreements=None) -> list[Finding]:
    """Where the links' resolution norms add up beyond the SA's, per priority."""
    url = reverse(
        "services:service_detail", kwargs={"org": service.organisation.slug, "pk": service.pk}
    )
    agreements = service_agreements(service) if agreements is None else agreements
    sa = next((a for a in agreements if a.kind == AgreementKind.SA), None)
    sa_version = _current(sa) if sa else None
    if sa_version is None:
        return []
    sa_norms = {n.priority: n for n in sa_version.norms.all()}
    link_norms: dict[int, list[tuple[str, int]]] = {}
    for agreement in agreements:
        if agreement.kind == AgreementKind.SA:
            continue
        version = _current(agreement)
        for norm in version.norms.all() if version else ():
            link_norms.setdefault(norm.priority, []).append(
                (str(agreement), norm.resolution_minutes)
            )
    found = []
    for priority, norm in sorted(sa_norms.items()):
        parts = link_norms.get(priority, [])
        total = sum(minutes for _name, minutes in parts)
        if parts and total > norm.resolution_minutes:
            found.append(
                Finding(
                    "norms_exceed_sa",
                    _(
                        "Priority {priority}: the links' resolution norms add up to {total} "
                        "business minutes ({parts}), beyond the SA's {sa}."
                    ).format(
                        priority=priority,
                        total=total,
                        parts=", ".join(f"{name} {minutes}" for name, minutes in parts),
                        sa=norm.resolution_minutes,
                    ),
                    fix_url=url,
                )
            )
    return found
