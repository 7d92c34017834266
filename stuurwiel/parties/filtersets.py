import django_filters
from django.utils.translation import gettext_lazy as _

from stuurwiel.core.filtersets import IdFilter, SearchFilterSet
from stuurwiel.parties.choices import Level, ValueCategory
from stuurwiel.parties.models import Person, Stakeholder, Supplier, Team


class TeamFilterSet(SearchFilterSet):
    search_fields = ("name", "code", "domain", "description")

    class Meta:
        model = Team
        fields = ["q", "domain"]


class PersonFilterSet(SearchFilterSet):
    search_fields = ("name", "email", "job_title")
    team = IdFilter(field_name="team_id", label=_("Team"))

    class Meta:
        model = Person
        fields = ["q", "team"]


class SupplierFilterSet(SearchFilterSet):
    search_fields = ("name", "contact_name", "contract_reference", "description")

    class Meta:
        model = Supplier
        fields = ["q"]


class StakeholderFilterSet(SearchFilterSet):
    search_fields = ("name", "description")
    category = django_filters.ChoiceFilter(choices=ValueCategory.choices, label=_("Category"))
    influence = django_filters.ChoiceFilter(choices=Level.choices, label=_("Influence"))
    interest = django_filters.ChoiceFilter(choices=Level.choices, label=_("Interest"))

    class Meta:
        model = Stakeholder
        fields = ["q", "category", "influence", "interest"]
