"""Finding.digest: a hash of the reasoning, so re-evaluating compares digests
instead of decoding every open finding's JSON; computed for the stored rows."""

import hashlib
import json

from django.db import migrations, models


def _digest(reasoning) -> str:
    # As coherence.models.reasoning_digest is at this migration (copied, so a later
    # change of the function leaves this step as it ran).
    text = json.dumps(reasoning, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def fill_digests(apps, schema_editor):
    Finding = apps.get_model("coherence", "Finding")
    batch = []
    for pk, reasoning in Finding.objects.order_by("pk").values_list("pk", "reasoning").iterator(
        chunk_size=2000
    ):
        batch.append(Finding(pk=pk, digest=_digest(reasoning)))
        if len(batch) >= 2000:
            Finding.objects.bulk_update(batch, ["digest"])
            batch = []
    Finding.objects.bulk_update(batch, ["digest"])


class Migration(migrations.Migration):
    dependencies = [("coherence", "0001_findings")]

    operations = [
        migrations.AddField(
            model_name="finding",
            name="digest",
            field=models.CharField(
                default="", editable=False, max_length=32, verbose_name="reasoning digest"
            ),
        ),
        migrations.RunPython(fill_digests, migrations.RunPython.noop),
    ]
