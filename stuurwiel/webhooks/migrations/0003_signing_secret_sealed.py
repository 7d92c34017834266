"""The signing secrets, sealed at rest (stuurwiel.core.sealing): the field is
renamed (the column keeps its name), widened for the sealed text, and every
stored secret is sealed."""

from django.db import migrations, models


def seal_existing(apps, schema_editor):
    from stuurwiel.core import sealing

    Endpoint = apps.get_model("webhooks", "WebhookEndpoint")
    for endpoint in Endpoint.objects.exclude(secret_sealed__startswith=sealing.PREFIX).iterator():
        endpoint.secret_sealed = sealing.seal(endpoint.secret_sealed)
        endpoint.save(update_fields=["secret_sealed"])


def open_existing(apps, schema_editor):
    from stuurwiel.core import sealing

    Endpoint = apps.get_model("webhooks", "WebhookEndpoint")
    for endpoint in Endpoint.objects.filter(secret_sealed__startswith=sealing.PREFIX).iterator():
        endpoint.secret_sealed = sealing.unseal(endpoint.secret_sealed)
        endpoint.save(update_fields=["secret_sealed"])


class Migration(migrations.Migration):
    dependencies = [("webhooks", "0002_endpoint_switched_off_by_410")]

    operations = [
        migrations.RenameField("webhookendpoint", "secret", "secret_sealed"),
        migrations.AlterField(
            model_name="webhookendpoint",
            name="secret_sealed",
            field=models.CharField(
                db_column="secret",
                editable=False,
                max_length=300,
                verbose_name="signing secret (sealed)",
            ),
        ),
        migrations.RunPython(seal_existing, open_existing),
    ]
