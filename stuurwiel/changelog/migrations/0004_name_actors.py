"""Existing entries name their actor as people know them: the person's full
name, and no operating-system account for commands ("root (command)" becomes
the command's own name at display time: "Systeem (opdrachtregel)")."""

from django.conf import settings
from django.db import migrations


def name_actors(apps, schema_editor):
    Entry = apps.get_model("changelog", "ChangeLogEntry")
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    for source in ("command", "job"):
        Entry.objects.filter(
            actor__isnull=True, source=source, actor_repr__endswith=f" ({source})"
        ).update(actor_repr="")
        Entry.objects.filter(actor__isnull=True, source=source, actor_repr=source).update(
            actor_repr=""
        )
    actors = Entry.objects.filter(actor__isnull=False).values_list("actor_id", flat=True)
    for user in User.objects.filter(pk__in=actors.distinct()).exclude(first_name="", last_name=""):
        name = f"{user.first_name} {user.last_name}".strip()[:150]
        Entry.objects.filter(actor_id=user.pk).update(actor_repr=name)


class Migration(migrations.Migration):
    dependencies = [
        ("changelog", "0003_running_system"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(name_actors, migrations.RunPython.noop)]
