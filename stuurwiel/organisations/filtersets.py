import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from stuurwiel.core.filtersets import SearchFilterSet
from stuurwiel.organisations.choices import Role
from stuurwiel.organisations.models import Membership


class MembershipFilterSet(SearchFilterSet):
    search_fields = ("user__username", "user__first_name", "user__last_name", "user__email")
    role = django_filters.ChoiceFilter(
        field_name="role_assignments__role", choices=Role.choices, label=_("Role"), distinct=True
    )
    is_active = django_filters.BooleanFilter(
        label=_("Active"),
        widget=forms.Select(
            choices=[("", _("All")), ("true", _("Active")), ("false", _("Inactive"))]
        ),
    )

    class Meta:
        model = Membership
        fields = ["q", "role", "is_active"]
