from stuurwiel.parties import filtersets, selectors, services
from stuurwiel.parties.api import serializers
from stuurwiel.web.api import OrganisationScopedViewSet, org_scoped_schema


@org_scoped_schema
class TeamViewSet(OrganisationScopedViewSet):
    area = "parties"
    queryset = selectors.team_queryset()
    serializer_class = serializers.TeamSerializer
    filterset_class = filtersets.TeamFilterSet
    create_service = services.team_create
    update_service = services.team_update
    delete_service = services.team_delete


@org_scoped_schema
class PersonViewSet(OrganisationScopedViewSet):
    area = "parties"
    queryset = selectors.person_queryset()
    serializer_class = serializers.PersonSerializer
    filterset_class = filtersets.PersonFilterSet
    create_service = services.person_create
    update_service = services.person_update
    delete_service = services.person_delete


@org_scoped_schema
class SupplierViewSet(OrganisationScopedViewSet):
    area = "parties"
    queryset = selectors.supplier_queryset()
    serializer_class = serializers.SupplierSerializer
    filterset_class = filtersets.SupplierFilterSet
    create_service = services.supplier_create
    update_service = services.supplier_update
    delete_service = services.supplier_delete


@org_scoped_schema
class StakeholderViewSet(OrganisationScopedViewSet):
    area = "parties"
    queryset = selectors.stakeholder_queryset()
    serializer_class = serializers.StakeholderSerializer
    filterset_class = filtersets.StakeholderFilterSet
    create_service = services.stakeholder_create
    update_service = services.stakeholder_update
    delete_service = services.stakeholder_delete
