import json
from contextlib import contextmanager
from datetime import date

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.status import HTTP_201_CREATED

from stuurwiel.calendars import filtersets, selectors, services
from stuurwiel.calendars.api import serializers
from stuurwiel.web.api import ORG_PARAMETER, OrganisationScopedViewSet, org_scoped_schema


class ICalendarRenderer(BaseRenderer):
    """Lets a client ask for ``text/calendar``; errors still come as JSON text."""

    media_type = "text/calendar"
    format = "ics"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        return json.dumps(data, ensure_ascii=False).encode()


def _added(result: services.ClosedDaysAdded) -> Response:
    return Response(serializers.ClosedDaysAddedSerializer(result).data)


@org_scoped_schema
class BusinessCalendarViewSet(OrganisationScopedViewSet):
    """Business calendars (service hours). ``copy`` makes a copy under a new name,
    ``holidays`` copies Dutch public holidays into it, ``feed`` imports an
    iCalendar holiday feed, ``ical`` exports the service hours as iCalendar."""

    area = "calendars"
    queryset = selectors.calendar_list_queryset()
    serializer_class = serializers.BusinessCalendarSerializer
    filterset_class = filtersets.BusinessCalendarFilterSet
    create_service = services.calendar_create
    update_service = services.calendar_update
    delete_service = services.calendar_delete

    @extend_schema(
        operation_id="o_calendars_calendars_copy",
        description="A new calendar under another name with this one's time zone, service "
        "windows and closed days (each with its name, kind and active flag), and its "
        "description unless one is given. Answers the new calendar.",
        parameters=[ORG_PARAMETER],
        request=serializers.CalendarCopySerializer,
        responses={201: serializers.BusinessCalendarSerializer},
        filters=False,
    )
    @action(detail=True, methods=["post"], pagination_class=None, filterset_class=None)
    def copy(self, request, *args, **kwargs):
        calendar = self.get_object()
        data = serializers.CalendarCopySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        copied = services.calendar_copy(
            calendar=calendar,
            name=data.validated_data["name"],
            description=data.validated_data.get("description"),
            by=request.user,
            reason=self._reason(),
        )
        answer = serializers.BusinessCalendarSerializer(
            copied.calendar, context=self.get_serializer_context()
        )
        return Response(answer.data, status=HTTP_201_CREATED)

    @extend_schema(
        operation_id="o_calendars_calendars_holidays",
        description="Copy the Dutch public holidays of the years into the calendar as "
        "closed days with their default active flag; dates it has are left as they are.",
        parameters=[ORG_PARAMETER],
        request=serializers.HolidaysCopySerializer,
        responses=serializers.ClosedDaysAddedSerializer,
        filters=False,
    )
    @action(detail=True, methods=["post"], pagination_class=None, filterset_class=None)
    def holidays(self, request, *args, **kwargs):
        calendar = self.get_object()
        data = serializers.HolidaysCopySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return _added(
            services.calendar_holidays_copy(
                calendar=calendar,
                first_year=data.validated_data["first_year"],
                last_year=data.validated_data["last_year"],
                by=request.user,
                reason=self._reason(),
            )
        )

    @extend_schema(
        operation_id="o_calendars_calendars_feed",
        description="Import an iCalendar holiday feed (all-day events, at most 2,000) as "
        "closed days. The whole file is checked first: any problem writes nothing.",
        parameters=[ORG_PARAMETER],
        request={"multipart/form-data": serializers.FeedImportSerializer},
        responses=serializers.ClosedDaysAddedSerializer,
        filters=False,
    )
    @action(
        detail=True,
        methods=["post"],
        pagination_class=None,
        filterset_class=None,
        parser_classes=[MultiPartParser, FormParser],
    )
    def feed(self, request, *args, **kwargs):
        calendar = self.get_object()
        data = serializers.FeedImportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return _added(
            services.calendar_feed_import(
                calendar=calendar,
                data=data.validated_data["file"].read(),
                by=request.user,
                reason=self._reason(),
            )
        )

    @extend_schema(
        operation_id="o_calendars_calendars_ical",
        description="The service hours as iCalendar: a weekly event per window in the "
        "calendar's zone, closed days as exceptions and as all-day events. From today "
        "for a year unless first/last (YYYY-MM-DD, at most three years) say otherwise.",
        parameters=[
            ORG_PARAMETER,
            OpenApiParameter("first", OpenApiTypes.DATE, OpenApiParameter.QUERY),
            OpenApiParameter("last", OpenApiTypes.DATE, OpenApiParameter.QUERY),
        ],
        responses={
            (200, "text/calendar"): OpenApiResponse(OpenApiTypes.BINARY),
            (400, "application/json"): OpenApiResponse(OpenApiTypes.OBJECT),
        },
        filters=False,
    )
    @action(
        detail=True,
        methods=["get"],
        pagination_class=None,
        filterset_class=None,
        renderer_classes=[JSONRenderer, ICalendarRenderer],
    )
    def ical(self, request, *args, **kwargs):
        calendar = self.get_object()
        try:
            first = _date(request.query_params.get("first"))
            last = _date(request.query_params.get("last"))
            data = selectors.calendar_ical(calendar, first, last)
        except ValueError as exc:
            raise ValidationError(
                {
                    "first": [
                        _(
                            "Give first and last as YYYY-MM-DD, the last on or after the "
                            "first, at most three years apart."
                        )
                    ]
                }
            ) from exc
        response = HttpResponse(data, content_type="text/calendar; charset=utf-8")
        filename = selectors.ical_filename(calendar)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


@org_scoped_schema
class ServiceWindowViewSet(OrganisationScopedViewSet):
    """Windows of service hours; ``start`` and ``end`` are HH:MM (an end may be
    24:00). Windows of one weekday may not overlap."""

    area = "calendars"
    queryset = selectors.window_queryset()
    serializer_class = serializers.ServiceWindowSerializer
    filterset_class = filtersets.ServiceWindowFilterSet
    create_service = services.window_create
    update_service = services.window_update
    delete_service = services.window_delete

    def perform_create(self, serializer):
        with _window_errors():
            super().perform_create(serializer)

    def perform_update(self, serializer):
        with _window_errors():
            super().perform_update(serializer)


@contextmanager
def _window_errors():
    """The model names its errors after its fields (``end_minute``); the API after
    its own (``end``)."""
    try:
        yield
    except DjangoValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        raise DjangoValidationError(
            {
                serializers.WINDOW_FIELDS.get(name, name): errors
                for name, errors in exc.error_dict.items()
            }
        ) from exc


@org_scoped_schema
class ClosedDayViewSet(OrganisationScopedViewSet):
    """Closed days of calendars: public holidays, extra closing days, days from a
    holiday feed. ``active`` false keeps the day listed without closing the service."""

    area = "calendars"
    queryset = selectors.closed_day_queryset()
    serializer_class = serializers.ClosedDaySerializer
    filterset_class = filtersets.ClosedDayFilterSet
    create_service = services.closed_day_create
    update_service = services.closed_day_update
    delete_service = services.closed_day_delete
