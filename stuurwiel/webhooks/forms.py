"""The endpoint form (the secret is never a field: the server makes it)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from stuurwiel.core.forms import OrganisationModelForm
from stuurwiel.services.models import Link
from stuurwiel.webhooks.models import WebhookEndpoint


class WebhookEndpointForm(OrganisationModelForm):
    url = forms.URLField(label=_("address (URL)"), max_length=500, assume_scheme="https")

    class Meta:
        model = WebhookEndpoint
        fields = ["supplier", "link", "url", "active", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only supplier links take webhooks; a team is inside the organisation.
        self.fields["link"].queryset = (
            Link.objects.filter(organisation=self.organisation, supplier__isnull=False)
            .select_related("service", "supplier")
            .order_by("service__name", "position")
        )
        self.fields["link"].label_from_instance = lambda link: _("{supplier} in {service}").format(
            supplier=link.supplier, service=link.service
        )
        self.fields["url"].help_text = _(
            "The supplier's receiver. Messages are signed (Standard Webhooks); redirects "
            "are not followed."
        )
