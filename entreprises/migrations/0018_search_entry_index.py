"""The narrow rows' search index, built without holding writes to the enterprises.

Built inside migration 0017, it kept every save of an enterprise waiting (the triggers
created there lock the table until it commits) for the whole build, half a minute at
100,000 enterprises.
"""

import django.contrib.postgres.indexes
from django.db import migrations


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("entreprises", "0017_search_entry"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    "CREATE INDEX CONCURRENTLY IF NOT EXISTS search_entry_vector"
                    " ON entreprises_searchentry USING gin (search_vector)",
                    "DROP INDEX CONCURRENTLY IF EXISTS search_entry_vector",
                ),
            ],
            state_operations=[
                migrations.AddIndex(
                    model_name="searchentry",
                    index=django.contrib.postgres.indexes.GinIndex(
                        fields=["search_vector"], name="search_entry_vector"
                    ),
                ),
            ],
        ),
    ]
