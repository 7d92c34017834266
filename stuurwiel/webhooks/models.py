"""Outbound webhooks to suppliers: where a supplier wants to hear of the calls
handed to it (:class:`WebhookEndpoint`), and each message sent there
(:class:`WebhookDelivery`, an outbox row written in the transaction of the
hand-over and sent afterwards by :func:`stuurwiel.webhooks.services.webhook_deliveries_due`).

Messages follow the Standard Webhooks convention: a ``whsec_`` secret per
endpoint, the headers ``webhook-id`` / ``webhook-timestamp`` /
``webhook-signature`` (HMAC-SHA256), the same id on every retry of one message.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from stuurwiel.core import sealing
from stuurwiel.core.models import OrganisationOwnedModel
from stuurwiel.webhooks.choices import DeliveryStatus


class WebhookEndpoint(OrganisationOwnedModel):
    """A supplier's receiver of hand-over messages: for every link of that
    supplier, or for one link only (one chain of one service)."""

    supplier = models.ForeignKey(
        "parties.Supplier",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="webhook_endpoints",
        verbose_name=_("supplier"),
        help_text=_("Every call handed to any link of this supplier."),
    )
    link = models.ForeignKey(
        "services.Link",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="webhook_endpoints",
        verbose_name=_("chain link"),
        help_text=_("Only the calls handed to this supplier link."),
    )
    url = models.URLField(_("address (URL)"), max_length=500)
    # The signing secret, ``whsec_<base64>``; made by the server, shown once,
    # rotatable. Signing needs the secret itself (it is the HMAC key, so it
    # cannot be hashed): it is stored sealed (encrypted, stuurwiel.core.sealing)
    # and read through ``secret``; never in the change log, never on a page again.
    secret_sealed = models.CharField(
        _("signing secret (sealed)"), max_length=300, editable=False, db_column="secret"
    )
    active = models.BooleanField(_("active"), default=True)
    description = models.TextField(_("description"), blank=True)
    # Set when the receiver answered 410 Gone ("this endpoint no longer exists"):
    # the endpoint was switched off then, without anyone's action. Switching it
    # on again clears them.
    disabled_at = models.DateTimeField(_("switched off at"), null=True, blank=True)
    disabled_reason = models.CharField(_("why switched off"), max_length=300, blank=True)

    url_namespace = "webhooks"
    url_prefix = "endpoint"
    # Never in the change log: the history is readable by more people than the secret.
    changelog_exclude = ("created_at", "updated_at", "version", "secret_sealed")
    writable_fields = ("supplier", "link", "url", "active", "description")

    class Meta:
        ordering = ["url", "id"]
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(supplier__isnull=False, link__isnull=True)
                    | models.Q(supplier__isnull=True, link__isnull=False)
                ),
                name="webhookendpoint_supplier_or_link",
            )
        ]
        indexes = [
            models.Index(fields=["organisation", "active"], name="webhookendpoint_org_active")
        ]

    @property
    def secret(self) -> str:
        """The signing secret, opened (raises UnsealError if no key opens it)."""
        return sealing.unseal(self.secret_sealed) if self.secret_sealed else ""

    @secret.setter
    def secret(self, value: str) -> None:
        self.secret_sealed = sealing.seal(value)

    def __str__(self) -> str:
        return self.url

    @property
    def party(self):
        """The supplier the messages go to (through the link, if one is chosen)."""
        return self.supplier if self.supplier_id else self.link.supplier

    def clean(self) -> None:
        super().clean()
        if bool(self.supplier_id) == bool(self.link_id):
            raise ValidationError(
                _("Choose either a supplier or one of its links."), code="supplier_or_link"
            )
        if self.link_id and self.link.supplier_id is None:
            raise ValidationError(
                {"link": _("Choose a link of a supplier: teams get no webhooks.")},
                code="team_link",
            )
        if not self.url.lower().startswith(("http://", "https://")):
            raise ValidationError({"url": _("Give an http:// or https:// address.")}, code="scheme")


class WebhookDelivery(models.Model):
    """One message to one endpoint about one event of a call, with its attempts.

    The attempts are kept as a JSON list on the row (``attempt_log``: at,
    status code, error, duration) rather than as rows of their own: there are
    at most :data:`~stuurwiel.webhooks.services.MAX_ATTEMPTS` of them, they are
    only ever read with their delivery (the log page shows the last, the detail
    all), and appending one rides on the update that records the attempt anyway.
    """

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    endpoint = models.ForeignKey(
        WebhookEndpoint,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("endpoint"),
    )
    call = models.ForeignKey(
        "calls.Call", on_delete=models.CASCADE, related_name="+", verbose_name=_("call")
    )
    event_kind = models.CharField(_("event"), max_length=20)
    message_id = models.CharField(_("message id"), max_length=64, unique=True)
    payload = models.JSONField(_("payload"))
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(_("last answer"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    attempt_log = models.JSONField(_("attempts"), default=list, blank=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="pending"),
                name="webhookdelivery_due",
            ),
            models.Index(fields=["organisation", "-created_at"], name="webhookdelivery_org_new"),
        ]

    def __str__(self) -> str:
        return self.message_id
