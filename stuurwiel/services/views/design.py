"""The design gate page and the two decisions on a design: a status move and an
approval (by someone who did not specify the design)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from stuurwiel.core.exceptions import ConflictError
from stuurwiel.organisations import access
from stuurwiel.services import design, forms, gate, selectors, services
from stuurwiel.services.choices import ServiceStatus
from stuurwiel.web import generic


class ServiceGateView(generic.ObjectMixin, TemplateView):
    """The checklist of §20.3 with a link to fix each gap, and the approvals."""

    area = "services"
    queryset = selectors.service_queryset()
    template_name = "services/service_gate.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(_gate_context(self.access, self.get_object()))
        return context


def _gate_context(member_access, service) -> dict:
    approvals = list(service.approvals.order_by("-created_at", "-id"))
    conditions = gate.gate_conditions(service, approvals=approvals)
    return {
        "object": service,
        "conditions": conditions,
        "gate_open": all(condition.met for condition in conditions),
        "approvals": approvals,
        "may_approve": access.permitted(member_access, "approve", service),
        "in_design": service.status == ServiceStatus.IN_DESIGN,
        "is_designer": getattr(member_access.user, "pk", None) in design.designer_ids(service),
    }


class _DecisionView(generic.ObjectMixin, TemplateView):
    area = "services"
    queryset = selectors.service_queryset()
    template_name = "services/service_gate.html"

    def get(self, request, *args, **kwargs):
        return HttpResponseRedirect(self.get_object().get_absolute_url())

    def refused(self, message: str, status: int, gaps=()):
        service = self.load_object()
        data = self.get_context_data(object=service)
        data.update(_gate_context(self.access, service), refusal=message, refusal_gaps=list(gaps))
        return render(self.request, self.template_name, data, status=status)

    def decide(self, call):
        try:
            call()
        except services.GateRefused as exc:
            return self.refused(_("The service cannot go live yet."), 400, exc.gaps)
        except access.AccessDenied as exc:
            return self.refused(exc.message, 403)
        except ConflictError as exc:
            return self.refused(str(exc), 409)
        except ValidationError as exc:
            return self.refused(" ".join(exc.messages), 400)
        return None


class ServiceTransitionView(_DecisionView):
    action = "change"

    def post(self, request, *args, **kwargs):
        service = self.get_object()
        form = forms.TransitionForm(request.POST)
        if not form.is_valid():
            return self.refused(_("Choose a status."), 400)
        to = form.cleaned_data["to"]
        refused = self.decide(
            lambda: services.service_transition(
                service=service,
                to=to,
                by=request.user,
                version=form.cleaned_data["version"],
                reason=form.cleaned_data.get("change_reason", ""),
            )
        )
        if refused is not None:
            return refused
        label = ServiceStatus(to).label
        messages.success(request, _("“{name}” is now {status}.").format(name=service, status=label))
        return HttpResponseRedirect(service.get_absolute_url())


class ServiceApproveView(_DecisionView):
    action = "approve"

    def post(self, request, *args, **kwargs):
        service = self.get_object()
        form = forms.ApprovalForm(request.POST)
        if not form.is_valid():
            return self.refused(_("Approve or reject."), 400)
        refused = self.decide(
            lambda: services.service_approve(
                service=service,
                by=request.user,
                decision=form.cleaned_data["decision"],
                version=form.cleaned_data["version"],
                comment=form.cleaned_data.get("comment", ""),
            )
        )
        if refused is not None:
            return refused
        messages.success(request, _("Your decision on the design has been recorded."))
        return HttpResponseRedirect(service.get_absolute_url())
