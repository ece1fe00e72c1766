"""A second "near" index, by longitude first, for places whose band of longitudes holds
fewer enterprises than their band of latitudes. Built concurrently: saves do not wait."""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("entreprises", "0021_published_tally"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="enterprise",
            index=models.Index(
                condition=models.Q(("latitude__isnull", False), ("status", "published")),
                fields=["longitude", "latitude"],
                include=["id", "name_fr", "name_en"],
                name="enterprise_published_near_lon",
            ),
        ),
    ]
