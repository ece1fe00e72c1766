import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("entreprises", "0009_near_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalsector",
            name="updated_at",
            field=models.DateTimeField(
                blank=True,
                default=django.utils.timezone.now,
                editable=False,
                verbose_name="last updated",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="sector",
            name="updated_at",
            field=models.DateTimeField(
                auto_now=True, default=django.utils.timezone.now, verbose_name="last updated"
            ),
            preserve_default=False,
        ),
    ]
