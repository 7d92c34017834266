"""The change log for a running system: integer object ids (the string ids are
converted in place: ``USING object_id::bigint`` on PostgreSQL, a table copy on
SQLite; every logged model has an integer key), a correlation id, a parent
object, and indexes in the order the feed and the histories read.

(The actors are renamed in 0004, in a transaction of its own: PostgreSQL
refuses to build this migration's indexes after rows changed in its transaction.)
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('changelog', '0002_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('organisations', '0003_role_scope_protected'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='changelogentry',
            name='changelog_org_time',
        ),
        migrations.RemoveIndex(
            model_name='changelogentry',
            name='changelog_object',
        ),
        migrations.RemoveIndex(
            model_name='changelogentry',
            name='changelog_org_actor',
        ),
        migrations.AddField(
            model_name='changelogentry',
            name='correlation_id',
            field=models.UUIDField(blank=True, null=True, verbose_name='correlation id'),
        ),
        migrations.AddField(
            model_name='changelogentry',
            name='parent_content_type',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='contenttypes.contenttype', verbose_name='part of (type)'),
        ),
        migrations.AddField(
            model_name='changelogentry',
            name='parent_object_id',
            field=models.PositiveBigIntegerField(blank=True, null=True, verbose_name='part of (id)'),
        ),
        migrations.AlterField(
            model_name='changelogentry',
            name='content_type',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='contenttypes.contenttype', verbose_name='object type'),
        ),
        migrations.AlterField(
            model_name='changelogentry',
            name='object_id',
            field=models.PositiveBigIntegerField(verbose_name='object id'),
        ),
        migrations.AlterField(
            model_name='changelogentry',
            name='organisation',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='changes', to='organisations.organisation', verbose_name='organisation'),
        ),
        migrations.AlterField(
            model_name='changelogentry',
            name='timestamp',
            field=models.DateTimeField(auto_now_add=True, verbose_name='when'),
        ),
        migrations.AddIndex(
            model_name='changelogentry',
            index=models.Index(fields=['organisation', '-timestamp', '-id'], name='changelog_feed'),
        ),
        migrations.AddIndex(
            model_name='changelogentry',
            index=models.Index(fields=['organisation', 'actor', '-timestamp', '-id'], name='changelog_feed_actor'),
        ),
        migrations.AddIndex(
            model_name='changelogentry',
            index=models.Index(fields=['organisation', 'content_type', '-timestamp', '-id'], name='changelog_feed_type'),
        ),
        migrations.AddIndex(
            model_name='changelogentry',
            index=models.Index(fields=['content_type', 'object_id', '-id'], name='changelog_object'),
        ),
        migrations.AddIndex(
            model_name='changelogentry',
            index=models.Index(fields=['parent_content_type', 'parent_object_id', '-id'], name='changelog_parent'),
        ),
        migrations.AddIndex(
            model_name='changelogentry',
            index=models.Index(fields=['correlation_id'], name='changelog_correlation'),
        ),
    ]
