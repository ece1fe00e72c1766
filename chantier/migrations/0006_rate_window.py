# The API's rate windows (chantier.rate_windows), one row per caller. Unlogged, as the
# cache table is: a rate count needs no crash safety, and each request's write then
# waits for no flush of the write-ahead log.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("chantier", "0005_webhooks"),
    ]

    operations = [
        migrations.CreateModel(
            name="RateWindow",
            fields=[
                ("key", models.TextField(primary_key=True, serialize=False)),
                ("opened_at", models.DateTimeField()),
                ("count", models.PositiveIntegerField()),
            ],
        ),
        migrations.RunSQL(
            "ALTER TABLE chantier_ratewindow SET UNLOGGED;",
            reverse_sql="ALTER TABLE chantier_ratewindow SET LOGGED;",
        ),
    ]
