"""A whole service design as a JSON file: download one service's design, and
import a design file as a new draft service of the organisation (all problems
listed, nothing written, or a redirect to the new service)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import TemplateView, View

from stuurwiel.organisations import access
from stuurwiel.services import exchange, forms, selectors
from stuurwiel.services.models import Service
from stuurwiel.web import generic
from stuurwiel.web.mixins import OrganisationViewMixin


class ServiceExportView(generic.ObjectMixin, View):
    """The design as a download, as far as the member may see it."""

    area = "services"
    queryset = selectors.service_queryset()

    def get(self, request, *args, **kwargs):
        service = self.get_object()
        response = HttpResponse(
            exchange.service_export_json(service, access=self.access),
            content_type="application/json; charset=utf-8",
        )
        filename = f"{slugify(service.name) or 'service'}.json"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class ServiceImportView(OrganisationViewMixin, TemplateView):
    """Upload a design file; every problem is listed, or the new service opens."""

    permission_required = "services.change"
    access_model = Service
    template_name = "services/service_import.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", forms.DesignImportForm())
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        form = forms.DesignImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        upload = form.cleaned_data["file"]
        try:
            data = exchange.design_load(upload.read(settings.STUURWIEL_API_MAX_BODY + 1))
            result = exchange.service_import(
                organisation=self.organisation, by=request.user, data=data
            )
        except exchange.ImportRefused as refusal:
            context = self.get_context_data(form=form, problems=refusal.problems)
            return self.render_to_response(context, status=400)
        except access.AccessDenied as denied:
            context = self.get_context_data(form=form, refusal=denied.message)
            return self.render_to_response(context, status=403)
        messages.success(
            request,
            _("“{name}” has been imported as a draft.").format(name=result.service.name),
        )
        if result.created:
            names = ", ".join(f"{name} ({kind})" for kind, name in result.created)
            messages.info(
                request,
                ngettext(
                    "Created because this organisation did not have it: {names}.",
                    "Created because this organisation did not have them: {names}.",
                    len(result.created),
                ).format(names=names),
            )
        for note in result.notes:
            messages.info(request, note)
        return HttpResponseRedirect(result.service.get_absolute_url())
