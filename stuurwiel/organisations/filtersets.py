import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from stuurwiel.core.filtersets import SearchFilterSet
from stuurwiel.organisations.choices import Role
from stuurwiel.organisations.models import Membership


class MembershipFilterSet(SearchFilterSet):
    # By the organisation's name for the member only: searching on usernames or
    # e-mail addresses would let anyone who may read the list probe for them.
    search_fields = ("name",)
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
