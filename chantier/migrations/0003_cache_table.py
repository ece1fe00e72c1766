# The shared cache of every web container when REDIS_URL is not set (DatabaseCache).
# The same table `manage.py createcachetable` makes, unlogged: a cache needs no
# crash safety, and skipping the write-ahead log makes its writes cheaper.

from django.db import migrations

CREATE = """
CREATE UNLOGGED TABLE IF NOT EXISTS portail_cache (
    cache_key varchar(255) NOT NULL PRIMARY KEY,
    value text NOT NULL,
    expires timestamp with time zone NOT NULL
);
CREATE INDEX IF NOT EXISTS portail_cache_expires ON portail_cache (expires);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("chantier", "0002_apikey"),
    ]

    operations = [
        migrations.RunSQL(CREATE, reverse_sql="DROP TABLE IF EXISTS portail_cache;"),
    ]
