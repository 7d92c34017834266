import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from stuurwiel.core.filtersets import SearchFilterSet
from stuurwiel.organisations.choices import Role
from stuurwiel.organisations.models import Membership, RoleAssignment


class MembershipFilterSet(SearchFilterSet):
    # By the organisation's name for the member only: searching on usernames or
    # e-mail addresses would let anyone who may read the list probe for them.
    search_fields = ("name",)
    role = django_filters.ChoiceFilter(choices=Role.choices, label=_("Role"), method="filter_role")
    is_active = django_filters.BooleanFilter(
        label=_("Active"),
        widget=forms.Select(
            choices=[("", _("All")), ("true", _("Active")), ("false", _("Inactive"))]
        ),
    )

    class Meta:
        model = Membership
        fields = ["q", "role", "is_active"]

    # Exists, not a join with DISTINCT: a member holding the role twice (scoped
    # to two subjects) is listed once, and the list keeps its index order.
    def filter_role(self, queryset, name, value):
        if not value:
            return queryset
        held = RoleAssignment.objects.filter(membership=OuterRef("pk"), role=value)
        return queryset.filter(Exists(held))
