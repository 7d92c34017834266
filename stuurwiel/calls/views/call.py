"""The call page and the writes on it: transitions (as the engine offers them,
blocked ones with their reason), assign, coordinate, hand over, escalate,
comment. Each write view calls one service and goes back to the call page; a
refusal re-renders the page with the reason and the status the API would give."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.generic import View

from stuurwiel.calls import (
    attachments,
    display,
    forms,
    handback,
    pathdiagram,
    routing,
    selectors,
    services,
)
from stuurwiel.calls.choices import CallStatus, EventKind, HandBackOutcome
from stuurwiel.calls.facts import member_roles
from stuurwiel.calls.views.portal import requester_only
from stuurwiel.core.exceptions import ConflictError
from stuurwiel.organisations import access
from stuurwiel.organisations.choices import Role
from stuurwiel.services.models import Link
from stuurwiel.web import generic
from stuurwiel.workflow import engine


def _queryset():
    return selectors.call_queryset().select_related("assignee", "coordinator", "requester")


def option_label(option: engine.Option, definition) -> str:
    """What a transition button says."""
    if option.name == engine.FORK:
        return _("Continue in {process}").format(
            process=display.process_label(definition, option.target)
        )
    if option.name == engine.CONFIRM:
        return _("Yes, it is resolved")
    if option.name == engine.REOPEN:
        return _("No, reopen it")
    return _("Complete “{step}”").format(step=display.step_label(definition, option.step))


def _operators(call):
    if call.current_link is None:
        return get_user_model().objects.none()
    return get_user_model().objects.filter(pk__in=routing.link_member_ids(call.current_link))


def _links(call):
    return (
        Link.objects.filter(service_id=call.service_id)
        .exclude(pk=call.current_link_id)
        .select_related("team", "supplier")
        .order_by("position")
    )


def call_page(view, call, *, status: int = 200, refusal: str = "", **forms_given):
    """The call page for ``call`` as ``view``'s member sees it."""
    member_access = view.access
    user = view.request.user
    definition = display.definitions_for([call])[call.workflow_id]
    display.describe(call, definition)
    portal = requester_only(member_access)
    options = [
        {"option": option, "label": option_label(option, definition)}
        for option in services.call_options(call=call, by=user)
    ]
    events = list(selectors.visible_events(call, member_access).select_related("link", "to_link"))
    for event in events:
        event.step_label = display.step_label(definition, event.step)
        event.process_label = display.process_label(definition, event.process)
        outcome = (event.data or {}).get("outcome")
        if event.kind == EventKind.HANDED_BACK and outcome in HandBackOutcome.values:
            event.outcome_label = HandBackOutcome(outcome).label
    roles = member_roles(user, call.organisation, call.service)
    may_coordinate = access.permitted(member_access, "coordinate", call)
    works_here = call.current_link is not None and routing.is_member(call.current_link, user)
    may_hand_over = may_coordinate or (access.permitted(member_access, "work", call) and works_here)
    version = {"version": call.version}
    comment_form = forms_given.get("comment_form") or forms.CommentForm()
    may_comment_publicly = not portal and roles != {Role.SUPPLIER_USER}
    if not may_comment_publicly:
        comment_form.fields.pop("public", None)
    lanes = pathdiagram.process_path(call)
    # A supplier is a black box to the chain and the chain to it: it sees its own
    # link's clock, its own files, and neither the chain's path nor its other calls.
    supplier_only = bool(roles) and roles <= {Role.SUPPLIER_USER}
    black_box = selectors.sees_as_supplier(member_access)
    clocks = [] if portal else selectors.call_clocks(call)
    if supplier_only:
        clocks = [c for c in clocks if c.link_id and c.link.supplier_id is not None]
    context = {
        "supplier_only": supplier_only,
        "path_svg": pathdiagram.render_path_svg(
            lanes, title=_("Process path of {number}").format(number=call.number)
        ),
        "path_text": pathdiagram.describe(lanes),
        "clocks": clocks,
        "attachments": list(attachments.attachments_visible(call, member_access)),
        "relations": [] if supplier_only else attachments.relations_of(call, member_access),
        "max_attachment": settings.STUURWIEL_ATTACHMENT_MAX_BYTES,
        "attachment_form": forms_given.get("attachment_form") or forms.AttachmentForm(),
        "relation_form": forms_given.get("relation_form") or forms.RelationForm(),
        "may_link": not portal
        and not supplier_only
        and (
            access.permitted(member_access, "register", call)
            or access.permitted(member_access, "work", call)
        ),
        "organisation": view.organisation,
        "permissions": view.permissions,
        "object": call,
        "call": call,
        "portal": portal,
        # A supplier is a black box: no requester data, not the requester's words.
        "black_box": black_box,
        # What passed the interface to the supplier's link: its content and the
        # hand-over's text (the supplier's whole view of the work).
        "interface_handovers": [
            e for e in events if e.kind == EventKind.HANDED_OVER and e.to_link_id
        ]
        if black_box
        else [],
        "may_hand_back": handback.hand_back_allowed(call, user, member_access),
        "hand_back_form": forms_given.get("hand_back_form") or forms.HandBackForm(initial=version),
        "allowed": [o for o in options if o["option"].allowed],
        "blocked": [] if portal else [o for o in options if not o["option"].allowed],
        "timeline": [e for e in events if e.kind != EventKind.COMMENTED],
        "public_comments": [e for e in events if e.kind == EventKind.COMMENTED and e.public],
        "internal_comments": [e for e in events if e.kind == EventKind.COMMENTED and not e.public],
        "may_coordinate": may_coordinate,
        "may_take": Role.WORKFLOW_COORDINATOR in roles and call.coordinator_id != user.pk,
        "may_hand_over": may_hand_over and call.status != CallStatus.CLOSED,
        "may_comment_publicly": may_comment_publicly,
        "refusal": refusal,
        "transition_form": forms.TransitionForm(initial=version),
        "assign_form": forms_given.get("assign_form")
        or (
            forms.AssignForm(initial=version, operators=_operators(call))
            if may_coordinate
            else None
        ),
        "hand_over_form": forms_given.get("hand_over_form")
        or forms.HandOverForm(initial=version, links=_links(call)),
        "escalate_form": forms_given.get("escalate_form") or forms.EscalateForm(initial=version),
        "comment_form": comment_form,
        "version_form": forms.VersionForm(initial=version),
    }
    return render(view.request, "calls/call_detail.html", context, status=status)


class CallDetailView(generic.ObjectDetailView):
    area = "calls"
    queryset = _queryset()

    def get(self, request, *args, **kwargs):
        return call_page(self, self.get_object())


class _CallWriteView(generic.ObjectMixin, View):
    """POST only: validate, call one service, back to the call page."""

    queryset = _queryset()
    done_message = ""

    def post(self, request, *args, **kwargs):
        call = self.get_object()
        form = self.make_form(call, request.POST)
        if not form.is_valid():
            return call_page(self, call, status=400, refusal=_form_errors(form))
        try:
            written = self.write(call, form.cleaned_data)
        except services.TransitionNotOffered as exc:
            return call_page(self, self.load_object(), status=409, refusal=str(exc))
        except services.TransitionBlocked as exc:
            return call_page(self, self.load_object(), status=403, refusal=str(exc))
        except services.CallActionRefused as exc:
            return call_page(self, self.load_object(), status=403, refusal=exc.message)
        except access.AccessDenied as exc:
            return call_page(self, self.load_object(), status=403, refusal=exc.message)
        except ConflictError:
            message = _("Someone changed this call in the meantime; here it is as it is now.")
            return call_page(self, self.load_object(), status=409, refusal=message)
        except ValidationError as exc:
            return call_page(self, self.load_object(), status=400, refusal=" ".join(exc.messages))
        messages.success(request, self.done(written))
        return HttpResponseRedirect(call.get_absolute_url())

    def done(self, written) -> str:
        """What the member is told after the write."""
        return self.done_message

    def make_form(self, call, data):
        raise NotImplementedError

    def write(self, call, data):
        """Call the service; returns what it wrote (the call, or the event)."""
        raise NotImplementedError


def _form_errors(form) -> str:
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


class CallTransitionView(_CallWriteView):
    # Sight of the call is enough to ask: the engine says who may take which step.
    action = "view"

    def done(self, written) -> str:
        if written.status == CallStatus.CLOSED:
            return _("Done. The call is closed.")
        if written.status == CallStatus.PROCESS_FULFILLED:
            return _("Done. The requester is asked to confirm that it is resolved.")
        definition = display.definitions_for([written])[written.workflow_id]
        return _("Done. The call is now at step “{step}” of {process}.").format(
            step=display.step_label(definition, written.step),
            process=display.process_label(definition, written.process),
        )

    def make_form(self, call, data):
        return forms.TransitionForm(data)

    def write(self, call, data):
        return services.call_transition(
            call=call,
            by=self.request.user,
            transition=data["transition"],
            target=data["target"],
            version=data["version"],
            note=data["note"],
        )


class CallAssignView(_CallWriteView):
    action = "coordinate"

    @property
    def done_message(self):
        return _("The assignment has been saved.")

    def make_form(self, call, data):
        return forms.AssignForm(data, operators=_operators(call))

    def write(self, call, data):
        return services.call_assign(
            call=call,
            by=self.request.user,
            operator=data["operator"],
            version=data["version"],
            note=data["note"],
        )


class CallCoordinateView(_CallWriteView):
    action = "coordinate"

    @property
    def done_message(self):
        return _("You coordinate this call now.")

    def make_form(self, call, data):
        return forms.VersionForm(data)

    def write(self, call, data):
        return services.call_coordinate(call=call, by=self.request.user, version=data["version"])


class CallHandOverView(_CallWriteView):
    action = "view"

    @property
    def done_message(self):
        return _("The call has been handed over.")

    def make_form(self, call, data):
        return forms.HandOverForm(data, links=_links(call))

    def write(self, call, data):
        return services.call_hand_over(
            call=call,
            by=self.request.user,
            to_link=data["to_link"],
            version=data["version"],
            reason=data["reason"],
        )


class CallHandBackView(_CallWriteView):
    """A supplier's user hands the call back to the link it came from."""

    # The service decides (the access layer and the supplier's staff), with its reason.
    action = "view"

    @property
    def done_message(self):
        return _("The call has been handed back.")

    def make_form(self, call, data):
        return forms.HandBackForm(data)

    def write(self, call, data):
        return handback.call_hand_back(
            call=call,
            by=self.request.user,
            version=data["version"],
            outcome=data["outcome"],
            text=data["text"],
        )


class CallEscalateView(_CallWriteView):
    action = "view"

    @property
    def done_message(self):
        return _("The call has been escalated to its coordinators.")

    def make_form(self, call, data):
        return forms.EscalateForm(data)

    def write(self, call, data):
        return services.call_escalate(
            call=call, by=self.request.user, version=data["version"], reason=data["reason"]
        )


class CallCommentView(_CallWriteView):
    action = "view"

    @property
    def done_message(self):
        return _("Your comment has been added.")

    def make_form(self, call, data):
        return forms.CommentForm(data)

    def write(self, call, data):
        return services.call_comment(
            call=call, by=self.request.user, text=data["text"], public=data["public"]
        )


class CallAttachmentAddView(_CallWriteView):
    action = "view"

    def done(self, written) -> str:
        return _("“{name}” has been attached.").format(name=written.name)

    def make_form(self, call, data):
        return forms.AttachmentForm(data, self.request.FILES)

    def write(self, call, data):
        return attachments.attachment_add(
            call=call, by=self.request.user, upload=data["file"], public=data["public"]
        )


class CallAttachmentDownloadView(generic.ObjectMixin, View):
    """An attachment, always as a download (never shown inline, never sniffed)."""

    queryset = _queryset()

    def get(self, request, *args, **kwargs):
        call = self.get_object()
        attachment = (
            attachments.attachments_visible(call, self.access).filter(token=kwargs["token"]).first()
        )
        if attachment is None:
            raise Http404
        return attachments.attachment_response(attachment)


class CallRelationAddView(_CallWriteView):
    action = "view"

    @property
    def done_message(self):
        return _("The calls have been linked.")

    def make_form(self, call, data):
        return forms.RelationForm(data)

    def write(self, call, data):
        return attachments.relation_add(
            call=call, by=self.request.user, other_number=data["other_number"], kind=data["kind"]
        )
