from stuurwiel.parties.models import Person, Stakeholder, Supplier, Team
from stuurwiel.web.api import OrganisationScopedSerializer


class TeamSerializer(OrganisationScopedSerializer):
    class Meta:
        model = Team
        fields = [
            "id",
            "name",
            "code",
            "domain",
            "coordinator",
            "description",
            "version",
            "created_at",
            "updated_at",
        ]


class PersonSerializer(OrganisationScopedSerializer):
    class Meta:
        model = Person
        fields = [
            "id",
            "name",
            "email",
            "job_title",
            "team",
            "supplier",
            "version",
            "created_at",
            "updated_at",
        ]


class SupplierSerializer(OrganisationScopedSerializer):
    class Meta:
        model = Supplier
        fields = [
            "id",
            "name",
            "chamber_of_commerce_number",
            "contact_name",
            "contact_email",
            "contract_reference",
            "interface_description",
            "description",
            "version",
            "created_at",
            "updated_at",
        ]


class StakeholderSerializer(OrganisationScopedSerializer):
    class Meta:
        model = Stakeholder
        fields = [
            "id",
            "name",
            "category",
            "interest",
            "influence",
            "is_internal",
            "contact",
            "description",
            "version",
            "created_at",
            "updated_at",
        ]
