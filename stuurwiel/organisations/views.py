from django.contrib import messages
from django.contrib.auth.mixins import UserPassesTestMixin
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from stuurwiel.changelog.selectors import changes_for_organisation
from stuurwiel.changelog.summaries import recent_work
from stuurwiel.core.exceptions import ConflictError
from stuurwiel.core.forms import edit_conflict, unsaved_rows
from stuurwiel.core.tables import Column
from stuurwiel.graph.selectors import subject_queryset
from stuurwiel.organisations import access, filtersets, forms, selectors, services
from stuurwiel.organisations.models import Organisation
from stuurwiel.organisations.roles import may_create_organisation, separation_rules
from stuurwiel.web import generic
from stuurwiel.web.mixins import OrganisationViewMixin

MANAGE = "organisations.manage"


class DashboardView(OrganisationViewMixin, TemplateView):
    """The organisation's front page: what is in its model and what changed lately."""

    template_name = "organisations/dashboard.html"
    permission_required = "organisations.view"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["summary"] = selectors.organisation_summary(
            organisation=self.organisation, access=self.access
        )
        context["can_manage"] = self.access.holds_everywhere(MANAGE)
        if self.access.holds("graph.view"):
            subjects = subject_queryset().filter(organisation=self.organisation)
            context["subjects"] = access.restrict(subjects, self.access)[:12]
        if self.access.holds_everywhere("changelog.view"):
            context["recent_changes"] = recent_work(organisation=self.organisation)
        return context


class OrganisationAddView(UserPassesTestMixin, TemplateView):
    """A new organisation with its first organisation admin, for platform admins.

    Not under an organisation's URL: anonymous visitors go to the login page,
    everyone else but a platform admin gets 403.
    """

    template_name = "organisations/organisation_add.html"

    def test_func(self) -> bool:
        return may_create_organisation(self.request.user)

    def get(self, request, *args, **kwargs):
        form = forms.OrganisationCreateForm(initial={"admin": request.user.get_username()})
        return self.render_form(form)

    def post(self, request, *args, **kwargs):
        form = forms.OrganisationCreateForm(request.POST)
        if not form.is_valid():
            return self.render_form(form, status=400)
        try:
            organisation = services.organisation_create(
                by=request.user,
                data=form.service_data(),
                admin=form.cleaned_data["admin"],
                reason=form.cleaned_data["change_reason"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
            return self.render_form(form, status=400)
        name = organisation.name
        # Being a platform admin gives no access to an organisation's pages;
        # only its members see them.
        if selectors.organisations_for_user(request.user).filter(pk=organisation.pk).exists():
            messages.success(
                request, _("The organisation {name} has been created.").format(name=name)
            )
            return HttpResponseRedirect(organisation.get_absolute_url())
        messages.success(
            request,
            _(
                "The organisation {name} has been created. You are not a member of it, "
                "so it is not listed here."
            ).format(name=name),
        )
        return redirect("home")

    def render_form(self, form, status: int = 200):
        context = self.get_context_data(form=form)
        return render(self.request, self.template_name, context, status=status)


class OrganisationEditView(OrganisationViewMixin, TemplateView):
    """The organisation's name and description."""

    template_name = "organisations/organisation_form.html"
    permission_required = MANAGE
    access_model = Organisation

    def get(self, request, *args, **kwargs):
        return self.render_form(forms.OrganisationForm(instance=self.organisation))

    def post(self, request, *args, **kwargs):
        form = forms.OrganisationForm(request.POST, instance=self._stored())
        if "take_theirs" in request.POST:
            form.is_valid()
            current = forms.OrganisationForm(instance=self._stored())
            return self.render_form(current, unsaved=unsaved_rows(form))
        if not form.is_valid():
            return self.render_form(form, status=400)
        try:
            services.organisation_update(
                instance=self.organisation,
                by=request.user,
                data=form.service_data(),
                version=form.cleaned_data.get("version"),
                reason=form.cleaned_data.get("change_reason", ""),
            )
        except ValidationError as exc:
            _add_errors(form, exc)
            return self.render_form(form, status=400)
        except ConflictError:
            # As on every edit page: their change beside yours, your input kept.
            current = self._stored()
            data, rows = edit_conflict(yours=form, current=forms.OrganisationForm(instance=current))
            change = (
                changes_for_organisation(organisation=current)
                .filter(content_type__model="organisation", object_id=current.pk)
                .order_by("-timestamp", "-id")
                .first()
            )
            retry = forms.OrganisationForm(data, instance=self._stored())
            retry.is_valid()
            return self.render_form(retry, status=409, conflict={"rows": rows, "change": change})
        messages.success(request, _("The settings have been saved."))
        return HttpResponseRedirect(
            reverse("organisations:dashboard", kwargs={"org": self.organisation.slug})
        )

    def _stored(self):
        """The organisation as stored now (a form's validation writes into its instance)."""
        return type(self.organisation).objects.get(pk=self.organisation.pk)

    def render_form(self, form, status: int = 200, **extra):
        context = self.get_context_data(form=form, **extra)
        return render(self.request, self.template_name, context, status=status)


# --- Members -------------------------------------------------------------------


class MembershipMixin(generic.ObjectMixin):
    """Members are seen with ``organisations.view`` and changed with ``organisations.manage``."""

    area = "organisations"
    queryset = selectors.membership_queryset()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_change"] = MANAGE in self.permissions
        return context


class MembershipListView(MembershipMixin, generic.ObjectListView):
    filterset_class = filtersets.MembershipFilterSet
    columns = [
        Column("full_name", gettext_lazy("Name"), link=True),
        Column("role_labels", gettext_lazy("Roles")),
        Column("is_active", gettext_lazy("Active")),
        Column("conflict_warning", gettext_lazy("Function separation")),
    ]
    # E-mail addresses: for the organisation's admins only (usernames for nobody else).
    contact_columns = [Column("email", gettext_lazy("E-mail"))]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.access.holds_everywhere(MANAGE):
            context["columns"] = [self.columns[0], *self.contact_columns, *self.columns[1:]]
        page = context["page"]
        page.object_list = list(page.object_list)
        rules = separation_rules()
        for membership in page.object_list:
            conflicts = selectors.membership_role_conflicts(membership, rules)
            membership.conflict_warning = "; ".join(
                _("⚠ {roles} ({scope})").format(roles=c.conflict.roles_label, scope=c.scope_label)
                for c in conflicts
            )
        return context


class MembershipDetailView(MembershipMixin, generic.ObjectDetailView):
    detail_fields = [
        Column("full_name", gettext_lazy("Name")),
        Column("is_active", gettext_lazy("Active")),
    ]
    email_fields = [Column("email", gettext_lazy("E-mail"))]
    username_fields = [Column("user.username", gettext_lazy("Username"))]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        membership = context["object"]
        fields = list(self.detail_fields)
        if access.sees_member_email(self.access, membership):
            fields += self.email_fields
        if access.sees_member_username(self.access, membership):
            fields += self.username_fields
        context["detail_fields"] = fields
        assignments = list(membership.role_assignments.all())
        context.update(
            org_wide_roles=[a for a in assignments if a.subject_id is None],
            scoped_roles=[a for a in assignments if a.subject_id is not None],
            role_conflicts=selectors.membership_role_conflicts(membership),
        )
        return context


class MembershipHistoryView(MembershipMixin, generic.ObjectHistoryView):
    pass


class MembershipAddView(MembershipMixin, TemplateView):
    template_name = "organisations/membership_add.html"
    permission_required = MANAGE
    action = "change"

    def get(self, request, *args, **kwargs):
        return self.render_form(forms.MembershipInviteForm())

    def post(self, request, *args, **kwargs):
        form = forms.MembershipInviteForm(request.POST)
        if not form.is_valid():
            return self.render_form(form, status=400)
        data = form.cleaned_data
        try:
            membership = services.membership_invite(
                organisation=self.organisation,
                by=request.user,
                email=data["email"],
                name=data["name"],
                roles=data["roles"],
                reason=data["change_reason"],
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "user" in exc.error_dict:
                exc.error_dict["email"] = exc.error_dict.pop("user")
            _add_errors(form, exc)
            return self.render_form(form, status=400)
        messages.success(
            request,
            _("{name} is now a member; an invitation has been sent to {email}.").format(
                name=membership.name, email=data["email"]
            ),
        )
        return HttpResponseRedirect(membership.get_absolute_url())

    def render_form(self, form, status: int = 200):
        context = self.get_context_data(form=form)
        return render(self.request, self.template_name, context, status=status)


class MembershipEditView(MembershipMixin, TemplateView):
    """The member's roles: organisation-wide as checkboxes, per subject as rows."""

    template_name = "organisations/membership_form.html"
    permission_required = MANAGE
    action = "change"

    def get(self, request, *args, **kwargs):
        membership = self.get_object()
        return self.render_form(
            membership,
            forms.MembershipRolesForm(membership=membership),
            forms.scoped_role_formset(membership=membership, organisation=self.organisation),
        )

    def post(self, request, *args, **kwargs):
        membership = self.get_object()
        form = forms.MembershipRolesForm(request.POST, membership=membership)
        formset = forms.scoped_role_formset(
            membership=membership, organisation=self.organisation, data=request.POST
        )
        if not (form.is_valid() and formset.is_valid()):
            return self.render_form(membership, form, formset, status=400)
        try:
            membership = services.membership_roles_set(
                membership=membership,
                by=request.user,
                roles=forms.role_specs(form, formset),
                version=form.cleaned_data.get("version"),
                reason=form.cleaned_data.get("change_reason", ""),
            )
        except ValidationError as exc:
            _add_errors(form, exc)
            return self.render_form(membership, form, formset, status=400)
        except ConflictError as exc:
            form.add_error(None, str(exc))
            return self.render_form(membership, form, formset, status=409)
        messages.success(request, _("The roles of {user} have been saved.").format(user=membership))
        for conflict in selectors.membership_role_conflicts(membership):
            messages.warning(request, str(conflict))
        return HttpResponseRedirect(membership.get_absolute_url())

    def render_form(self, membership, form, formset, status: int = 200):
        context = self.get_context_data(object=membership, form=form, formset=formset)
        return render(self.request, self.template_name, context, status=status)


class MembershipActiveView(MembershipMixin, TemplateView):
    """Confirm, then deactivate or reactivate a membership."""

    template_name = "organisations/membership_confirm_active.html"
    permission_required = MANAGE
    action = "change"
    activate: bool

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(object=self.get_object(), activate=self.activate)
        return context

    def post(self, request, *args, **kwargs):
        membership = self.get_object()
        service = services.membership_activate if self.activate else services.membership_deactivate
        try:
            service(
                membership=membership,
                by=request.user,
                version=request.POST.get("version") or None,
                reason=request.POST.get("change_reason", "")[:1000],
            )
        except (ValidationError, ConflictError) as exc:
            for message in getattr(exc, "messages", [str(exc)]):
                messages.error(request, message)
            return HttpResponseRedirect(membership.get_absolute_url())
        done = (
            _("{user} is a member again.") if self.activate else _("{user} has been deactivated.")
        )
        messages.success(request, done.format(user=membership))
        return HttpResponseRedirect(membership.get_absolute_url())


class MembershipDeactivateView(MembershipActiveView):
    activate = False


class MembershipActivateView(MembershipActiveView):
    activate = True


class MembershipInvitationResendView(MembershipMixin, TemplateView):
    """Confirm, then send the member's invitation again (the same for every member)."""

    template_name = "organisations/membership_confirm_invitation.html"
    permission_required = MANAGE
    action = "change"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.get_object()
        return context

    def post(self, request, *args, **kwargs):
        membership = self.get_object()
        try:
            services.membership_invitation_resend(
                membership=membership,
                by=request.user,
                reason=request.POST.get("change_reason", "")[:1000],
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return HttpResponseRedirect(membership.get_absolute_url())
        messages.success(
            request,
            _("The invitation has been sent to {member} again.").format(member=membership),
        )
        return HttpResponseRedirect(membership.get_absolute_url())


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
