import csv
from collections.abc import Iterable, Iterator
from itertools import chain, islice

from django.http import HttpResponseBadRequest, StreamingHttpResponse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from stuurwiel.changelog.filtersets import ChangeLogEntryFilterSet
from stuurwiel.changelog.models import ChangeLogEntry
from stuurwiel.changelog.presenters import lookup_for, present, readable_text
from stuurwiel.changelog.selectors import changes_for_organisation, keyset_page
from stuurwiel.organisations import access
from stuurwiel.web.mixins import OrganisationViewMixin


class ChangeFeedView(OrganisationViewMixin, TemplateView):
    """Organisation-wide change feed, filterable by person, object type and date,
    paged by keyset ("older" continues after the last entry shown; no count)."""

    template_name = "changelog/feed.html"
    permission_required = "changelog.view"
    access_model = ChangeLogEntry

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = ChangeLogEntryFilterSet(
            self.request.GET or None,
            queryset=access.restrict(
                changes_for_organisation(organisation=self.organisation), self.access
            ),
            request=self.request,
        )
        context["filterset"] = filterset
        if filterset.is_bound and not filterset.is_valid():
            queryset = filterset.queryset.none()
        else:
            queryset = filterset.qs
        page = keyset_page(queryset, cursor=self.request.GET.get("cursor"))
        present(
            page.object_list,
            organisation=self.organisation,
            permissions=self.permissions,
            access=self.access,
        )
        context["page"] = page
        return context

    def get_template_names(self):
        if getattr(self.request, "htmx", False) and not self.request.htmx.boosted:
            return ["changelog/_feed_table.html"]
        return [self.template_name]


class _Echo:
    """A file-like object whose write returns the line, for streaming csv rows."""

    def write(self, value: str) -> str:
        return value


class ChangeFeedExportView(OrganisationViewMixin, View):
    """The filtered change feed as CSV (UTF-8 with BOM; ``;`` in Dutch, as Dutch
    spreadsheets expect), streamed so a long history does not fill memory."""

    permission_required = "changelog.view"
    access_model = ChangeLogEntry

    def get(self, request, *args, **kwargs):
        filterset = ChangeLogEntryFilterSet(
            request.GET or None,
            queryset=access.restrict(
                changes_for_organisation(organisation=self.organisation), self.access
            ),
            request=request,
        )
        if filterset.is_bound and not filterset.is_valid():
            # Never export more than the reader asked for because a filter was misread.
            problems = "; ".join(
                f"{filterset.form.fields[name].label}: {' '.join(errors)}"
                for name, errors in filterset.errors.items()
            )
            return HttpResponseBadRequest(
                _("The filters are not valid: {problems}").format(problems=problems),
                content_type="text/plain; charset=utf-8",
            )
        writer = csv.writer(_Echo(), delimiter=";" if get_language() == "nl" else ",")
        header = [
            _("When"),
            _("Who"),
            _("Source"),
            _("Action"),
            _("Object type"),
            _("Object id"),
            _("Object"),
            _("Reason"),
            _("Before"),
            _("After"),
        ]
        entries = filterset.qs.order_by("-timestamp", "-id").iterator(chunk_size=500)
        rows = chain([header], self._rows(entries))
        response = StreamingHttpResponse(
            chain(["\ufeff"], (writer.writerow(row) for row in rows)),
            content_type="text/csv; charset=utf-8",
        )
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        name = f"stuurwiel-{self.organisation.slug}-{_('changes')}-{stamp}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    def _rows(self, entries: Iterable[ChangeLogEntry]) -> Iterator[list[str]]:
        """Rows in chunks of 500, each chunk's referenced objects resolved at once."""
        entries = iter(entries)
        while chunk := list(islice(entries, 500)):
            lookup = lookup_for(chunk, organisation=self.organisation)
            for entry in chunk:
                yield [neutralise(cell) for cell in self._row(entry, lookup)]

    @staticmethod
    def _row(entry: ChangeLogEntry, lookup) -> list[str]:
        return [
            timezone.localtime(entry.timestamp).isoformat(timespec="seconds"),
            entry.actor_display,
            entry.get_source_display(),
            entry.get_action_display(),
            capfirst(entry.type_name),
            str(entry.object_id),
            entry.object_repr,
            entry.reason,
            readable_text(entry, "before", lookup),
            readable_text(entry, "after", lookup),
        ]


# A spreadsheet reads a cell starting with one of these as a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """The cell as text a spreadsheet will not evaluate: prefixed with a single
    quote when it starts like a formula (OWASP's recommendation)."""
    return f"'{cell}" if cell.startswith(FORMULA_STARTS) else cell
