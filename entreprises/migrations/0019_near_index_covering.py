"""The "near" index also holds what a page of the nearest is chosen by (the names and
the key), so that the page reads the index alone. Built and dropped concurrently: at
100,000 enterprises a build takes seconds, and saves must not wait for it.
"""

from django.contrib.postgres.operations import AddIndexConcurrently, RemoveIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("entreprises", "0018_search_entry_index"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="enterprise",
            index=models.Index(
                condition=models.Q(("latitude__isnull", False), ("status", "published")),
                fields=["latitude", "longitude"],
                include=["id", "name_fr", "name_en"],
                name="enterprise_published_near",
            ),
        ),
        RemoveIndexConcurrently(
            model_name="enterprise",
            name="enterprise_published_lat_lon",
        ),
    ]
