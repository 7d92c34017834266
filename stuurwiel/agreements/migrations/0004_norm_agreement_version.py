# The norm's foreign key was named ``version`` and so replaced the optimistic-lock
# ``version`` every organisation-owned model carries: renamed, and the lock added.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('agreements', '0003_version_activation'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='norm',
            name='norm_unique_priority',
        ),
        migrations.RenameField(
            model_name='norm',
            old_name='version',
            new_name='agreement_version',
        ),
        migrations.AlterField(
            model_name='norm',
            name='agreement_version',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='norms', to='agreements.agreementversion', verbose_name='agreement version'),
        ),
        migrations.AddField(
            model_name='norm',
            name='version',
            field=models.PositiveIntegerField(default=1, editable=False, verbose_name='version'),
        ),
        migrations.AlterModelOptions(
            name='norm',
            options={'ordering': ['agreement_version', 'priority'], 'verbose_name': 'norm', 'verbose_name_plural': 'norms'},
        ),
        migrations.AddConstraint(
            model_name='norm',
            constraint=models.UniqueConstraint(fields=('agreement_version', 'priority'), name='norm_unique_priority'),
        ),
    ]
