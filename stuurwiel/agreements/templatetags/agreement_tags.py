"""Template filters for agreements: norms read as business hours and minutes."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format

from stuurwiel.agreements.durations import duration_label

register = template.Library()


@register.filter
def duration(minutes):
    """``H:MM`` of business minutes (``—`` for none)."""
    return duration_label(minutes)


@register.filter
def percent(value):
    """A percentage without trailing zeros, in the reader's number format
    (``99,5 %``); ``—`` for none."""
    if value is None or value == "":  # also a row without a version
        return "—"
    value = Decimal(str(value))
    plain = value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()
    return f"{number_format(plain)} %"


@register.simple_tag(takes_context=True)
def fix_url(context, finding) -> str:
    """Where to fix a finding: the agreement or version it is about, or the form
    that adds the missing agreement — "" when the member may not go there."""
    from urllib.parse import urlencode

    from django.urls import reverse

    from stuurwiel.agreements.choices import AgreementKind
    from stuurwiel.agreements.models import Agreement, AgreementVersion
    from stuurwiel.organisations import access as access_layer
    from stuurwiel.services.models import Link

    access = context.get("current_access")
    obj = finding.obj
    if access is None or obj is None:
        return ""
    if isinstance(obj, Agreement | AgreementVersion):
        return obj.get_absolute_url() if access.may_view(obj) else ""
    service = obj.service if isinstance(obj, Link) else obj
    agreement = Agreement(organisation=access.organisation, service=service)
    if not access_layer.permitted(access, "change", agreement):
        return ""
    query = {"service": service.pk, "kind": AgreementKind.SA}
    if isinstance(obj, Link):
        query.update(kind=AgreementKind.UC if obj.is_supplier else AgreementKind.OLA, link=obj.pk)
    url = reverse("agreements:agreement_add", kwargs={"org": access.organisation.slug})
    return f"{url}?{urlencode(query)}"
