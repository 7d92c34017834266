"""``/api/``: where the API starts. It lists entry points only, so it is open to all."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

ENTRY_POINTS = {
    "organisations": "installation-api:organisation-list",
    "frameworks": "frameworks-api:framework-list",
    "schema": "api-schema",
    "docs": "api-docs",
    "redoc": "api-redoc",
}


class ApiRootView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="api_root",
        responses=inline_serializer(
            "ApiRoot", {name: serializers.URLField() for name in ENTRY_POINTS}
        ),
    )
    def get(self, request):
        """The API's entry points. Organisation data lives under
        ``/api/o/<organisation>/``; ``organisations`` lists yours."""
        return Response(
            {name: reverse(url_name, request=request) for name, url_name in ENTRY_POINTS.items()}
        )
