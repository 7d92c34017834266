"""Form base for organisation-owned objects."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from stuurwiel.core.models import OrganisationOwnedModel


class OrganisationModelForm(forms.ModelForm):
    """Limits every choice of a related object to the current organisation and
    carries the optimistic-lock ``version`` and an optional change reason."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    change_reason = forms.CharField(
        label=_("Reason for this change"),
        required=False,
        max_length=1000,
        widget=forms.TextInput(attrs={"placeholder": _("optional, shown in the history")}),
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is not None and issubclass(queryset.model, OrganisationOwnedModel):
                field.queryset = queryset.filter(organisation=organisation)

    def _post_clean(self) -> None:
        # Model validation (including the cross-organisation check) runs in the
        # service, against the organisation; here only set it so clean() can run.
        self.instance.organisation = self.organisation
        super()._post_clean()

    def service_data(self) -> dict:
        """Cleaned values of the model's own fields, for the write service."""
        meta_fields = {"version", "change_reason"}
        return {k: v for k, v in self.cleaned_data.items() if k not in meta_fields}
