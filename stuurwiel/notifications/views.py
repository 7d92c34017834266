"""The organisation admins' page: switch each kind of e-mail on or off, and see
the latest notifications with their outcome."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from stuurwiel.core.exceptions import ConflictError
from stuurwiel.notifications import selectors, services
from stuurwiel.notifications.choices import NotificationKind
from stuurwiel.notifications.forms import NotificationSettingsForm
from stuurwiel.notifications.models import NotificationSetting
from stuurwiel.web.mixins import OrganisationViewMixin


class NotificationSettingsView(OrganisationViewMixin, TemplateView):
    permission_required = "notifications.manage"
    # Organisation-wide settings: a role scoped to one subject does not reach them.
    access_model = NotificationSetting
    template_name = "notifications/settings.html"

    def form(self, data=None) -> NotificationSettingsForm:
        return NotificationSettingsForm(
            data,
            enabled=selectors.kinds_enabled(self.organisation),
            version=selectors.settings_version(self.organisation),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", self.form())
        context["notifications"] = selectors.recent_notifications(self.organisation)
        return context

    def conflict(self, yours: NotificationSettingsForm, exc: ConflictError) -> dict:
        """Someone saved the switches in between: keep the admin's choices under
        the new version (so saving again is a decision, not an accident) and name
        the switches where theirs differ."""
        stored = selectors.kinds_enabled(self.organisation)
        data = yours.data.copy()
        data["version"] = str(exc.current_version)
        retry = self.form(data)
        retry.is_valid()
        retry.add_error(None, str(exc))
        differ = [
            str(label)
            for kind, label in NotificationKind.choices
            if stored.get(kind, True) != yours.cleaned_data.get(kind)
        ]
        return self.get_context_data(form=retry, differ=differ)

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        try:
            services.notification_settings_set(
                organisation=self.organisation,
                enabled=form.enabled(),
                by=request.user,
                version=form.cleaned_data["version"],
            )
        except ConflictError as exc:
            return self.render_to_response(self.conflict(form, exc), status=409)
        messages.success(request, _("The notification settings are saved."))
        return HttpResponseRedirect(
            reverse("notifications:settings", kwargs={"org": self.organisation.slug})
        )
