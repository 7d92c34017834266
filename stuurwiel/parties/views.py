from django.utils.translation import gettext_lazy as _

from stuurwiel.core.tables import Column
from stuurwiel.parties import filtersets, forms, selectors, services
from stuurwiel.web import generic

# --- Teams -------------------------------------------------------------------


class TeamListView(generic.ObjectListView):
    area = "parties"
    queryset = selectors.team_queryset()
    filterset_class = filtersets.TeamFilterSet
    columns = [
        Column("name", _("Name"), link=True),
        Column("code", _("Code")),
        Column("domain", _("Domain")),
        Column("coordinator", _("Team coordinator")),
        Column("member_count", _("Members")),
    ]


class TeamDetailView(generic.ObjectDetailView):
    area = "parties"
    queryset = selectors.team_queryset()
    detail_fields = [
        Column("code", _("Code")),
        Column("domain", _("Domain")),
        Column("coordinator", _("Team coordinator")),
        Column("description", _("Description")),
    ]


class TeamEditView(generic.ObjectEditView):
    area = "parties"
    queryset = selectors.team_queryset()
    form_class = forms.TeamForm
    create_service = services.team_create
    update_service = services.team_update


class TeamDeleteView(generic.ObjectDeleteView):
    area = "parties"
    queryset = selectors.team_queryset()
    delete_service = services.team_delete


class TeamHistoryView(generic.ObjectHistoryView):
    area = "parties"
    queryset = selectors.team_queryset()


# --- Persons -----------------------------------------------------------------


class PersonListView(generic.ObjectListView):
    area = "parties"
    queryset = selectors.person_queryset()
    filterset_class = filtersets.PersonFilterSet
    columns = [
        Column("name", _("Name"), link=True),
        Column("job_title", _("Job title")),
        Column("team", _("Team")),
        Column("email", _("E-mail")),
    ]


class PersonDetailView(generic.ObjectDetailView):
    area = "parties"
    queryset = selectors.person_queryset()
    detail_fields = [
        Column("job_title", _("Job title")),
        Column("team", _("Team")),
        Column("supplier", _("Works for supplier")),
        Column("email", _("E-mail")),
        # Whether there is one, not its username: a login name of the
        # installation is for its holder only.
        Column("has_account", _("User account")),
    ]


class PersonEditView(generic.ObjectEditView):
    area = "parties"
    queryset = selectors.person_queryset()
    form_class = forms.PersonForm
    create_service = services.person_create
    update_service = services.person_update


class PersonDeleteView(generic.ObjectDeleteView):
    area = "parties"
    queryset = selectors.person_queryset()
    delete_service = services.person_delete


class PersonHistoryView(generic.ObjectHistoryView):
    area = "parties"
    queryset = selectors.person_queryset()


# --- Suppliers ---------------------------------------------------------------


class SupplierListView(generic.ObjectListView):
    area = "parties"
    queryset = selectors.supplier_queryset()
    filterset_class = filtersets.SupplierFilterSet
    columns = [
        Column("name", _("Name"), link=True),
        Column("contact_name", _("Contact person")),
        Column("contract_reference", _("Contract reference")),
    ]


class SupplierDetailView(generic.ObjectDetailView):
    area = "parties"
    queryset = selectors.supplier_queryset()
    detail_fields = [
        Column("chamber_of_commerce_number", _("KvK number")),
        Column("contact_name", _("Contact person")),
        Column("contact_email", _("Contact e-mail")),
        Column("contract_reference", _("Contract reference")),
        Column("interface_description", _("Interface")),
        Column("description", _("Description")),
    ]


class SupplierEditView(generic.ObjectEditView):
    area = "parties"
    queryset = selectors.supplier_queryset()
    form_class = forms.SupplierForm
    create_service = services.supplier_create
    update_service = services.supplier_update


class SupplierDeleteView(generic.ObjectDeleteView):
    area = "parties"
    queryset = selectors.supplier_queryset()
    delete_service = services.supplier_delete


class SupplierHistoryView(generic.ObjectHistoryView):
    area = "parties"
    queryset = selectors.supplier_queryset()


# --- Stakeholders ------------------------------------------------------------


class StakeholderListView(generic.ObjectListView):
    area = "parties"
    queryset = selectors.stakeholder_queryset()
    filterset_class = filtersets.StakeholderFilterSet
    columns = [
        Column("name", _("Name"), link=True),
        Column("category", _("Category")),
        Column("interest", _("Interest")),
        Column("influence", _("Influence")),
        Column("is_internal", _("Internal")),
    ]


class StakeholderDetailView(generic.ObjectDetailView):
    area = "parties"
    queryset = selectors.stakeholder_queryset()
    detail_fields = [
        Column("category", _("Category")),
        Column("interest", _("Interest")),
        Column("influence", _("Influence")),
        Column("is_internal", _("Internal")),
        Column("contact", _("Contact person")),
        Column("description", _("Description")),
    ]


class StakeholderEditView(generic.ObjectEditView):
    area = "parties"
    queryset = selectors.stakeholder_queryset()
    form_class = forms.StakeholderForm
    create_service = services.stakeholder_create
    update_service = services.stakeholder_update


class StakeholderDeleteView(generic.ObjectDeleteView):
    area = "parties"
    queryset = selectors.stakeholder_queryset()
    delete_service = services.stakeholder_delete


class StakeholderHistoryView(generic.ObjectHistoryView):
    area = "parties"
    queryset = selectors.stakeholder_queryset()
