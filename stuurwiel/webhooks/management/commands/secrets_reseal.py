"""``manage.py secrets_reseal``: seal every stored webhook secret again under the
first of ``STUURWIEL_SEALING_KEYS`` (after a new key was put first), so the old
keys can be dropped. Secrets that no key opens are named, not changed."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from stuurwiel.core import sealing
from stuurwiel.webhooks.models import WebhookEndpoint


class Command(BaseCommand):
    help = "Seal the stored webhook secrets again under the first sealing key."

    def handle(self, *args, **options):
        resealed, unreadable = 0, []
        with transaction.atomic():
            for endpoint in WebhookEndpoint.objects.select_for_update().only("secret_sealed"):
                if sealing.is_sealed_with_first_key(endpoint.secret_sealed):
                    continue
                try:
                    endpoint.secret_sealed = sealing.reseal(endpoint.secret_sealed)
                except sealing.UnsealError:
                    unreadable.append(endpoint.pk)
                    continue
                endpoint.save(update_fields=["secret_sealed"])
                resealed += 1
        self.stdout.write(f"resealed {resealed} webhook secret(s)")
        if unreadable:
            raise CommandError(
                "no configured key opens the secrets of endpoints "
                f"{', '.join(map(str, unreadable))}: rotate those secrets"
            )
