from stuurwiel.core.forms import OrganisationModelForm
from stuurwiel.parties.models import Person, Stakeholder, Supplier, Team


class TeamForm(OrganisationModelForm):
    class Meta:
        model = Team
        fields = ["name", "code", "domain", "coordinator", "description"]


class PersonForm(OrganisationModelForm):
    class Meta:
        model = Person
        fields = ["name", "email", "job_title", "team", "supplier"]


class SupplierForm(OrganisationModelForm):
    class Meta:
        model = Supplier
        fields = [
            "name",
            "chamber_of_commerce_number",
            "contact_name",
            "contact_email",
            "contract_reference",
            "interface_description",
            "description",
        ]


class StakeholderForm(OrganisationModelForm):
    class Meta:
        model = Stakeholder
        fields = [
            "name",
            "category",
            "interest",
            "influence",
            "is_internal",
            "contact",
            "description",
        ]
