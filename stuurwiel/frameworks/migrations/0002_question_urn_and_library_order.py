"""Guiding questions get their derived URN (``<part urn>:<question ref_id>``, as
docs/framework-libraries.md promises); link types name their relation type's choices;
link types and rules keep the library's order, like parts and questions.

The URN is added nullable, filled from the part, then made unique and required,
so databases that already hold loaded libraries migrate without a reload.
"""

from django.db import migrations, models


def fill_question_urns(apps, schema_editor):
    GuidingQuestion = apps.get_model("frameworks", "GuidingQuestion")
    for question in GuidingQuestion.objects.select_related("part").iterator():
        question.urn = f"{question.part.urn}:{question.ref_id}"
        question.save(update_fields=["urn"])


class Migration(migrations.Migration):
    dependencies = [
        ("frameworks", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="guidingquestion",
            name="urn",
            field=models.CharField(max_length=400, null=True, verbose_name="URN"),
        ),
        migrations.RunPython(fill_question_urns, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="guidingquestion",
            name="urn",
            field=models.CharField(max_length=400, unique=True, verbose_name="URN"),
        ),
        migrations.AlterField(
            model_name="linktype",
            name="relation_type",
            field=models.CharField(
                choices=[
                    ("composition", "Composition"),
                    ("aggregation", "Aggregation"),
                    ("assignment", "Assignment"),
                    ("realization", "Realization"),
                    ("serving", "Serving"),
                    ("access", "Access"),
                    ("influence", "Influence"),
                    ("triggering", "Triggering"),
                    ("flow", "Flow"),
                    ("specialization", "Specialization"),
                    ("association", "Association"),
                ],
                max_length=30,
                verbose_name="relation type",
            ),
        ),
        migrations.AddField(
            model_name="linktype",
            name="order",
            field=models.PositiveIntegerField(default=0, verbose_name="order"),
        ),
        migrations.AddField(
            model_name="coherencerule",
            name="order",
            field=models.PositiveIntegerField(default=0, verbose_name="order"),
        ),
        migrations.AlterModelOptions(
            name="linktype",
            options={
                "ordering": ["framework", "order"],
                "verbose_name": "link type",
                "verbose_name_plural": "link types",
            },
        ),
        migrations.AlterModelOptions(
            name="coherencerule",
            options={
                "ordering": ["framework", "order"],
                "verbose_name": "coherence rule",
                "verbose_name_plural": "coherence rules",
            },
        ),
    ]
