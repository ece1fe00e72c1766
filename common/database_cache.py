"""The cache in PostgreSQL (without `REDIS_URL`): Django's `DatabaseCache`, culled by expiry.

Past `MAX_ENTRIES`, Django's cull deletes the expired rows, then every key sorting below
the (count / `CULL_FREQUENCY`)-th key: the first third of the alphabet, whatever it
holds. The public cache's own state (`public-cache:generation`, the data derived per
generation, the turns) and the public forms' counters (`contributions:rate:…`) sort
before the pages' `public-cache:response:…`, so a full cache lost the generation
first, which made every kept answer stale at once and every visitor's next page be
computed again, at each cull. Here the same share goes, but the entries that expire
soonest go first: the generation, kept without timeout, goes last; the pages, kept a
few minutes, go before the data derived per generation, kept a day; among pages the
oldest go first. A public form's counter, kept until its window ends, goes only in the
last minutes of its window. The turns, kept 30 seconds, go first of all: a cull may let
a second request make an answer already being made, as when a turn lapses.

It overrides `_cull`, which Django's `DatabaseCache` calls with these arguments
(checked against Django 5.2; tests/chantier/test_database_cache.py would see a change).
"""

from django.core.cache.backends.db import DatabaseCache
from django.db import connections


class ExpiryCulledDatabaseCache(DatabaseCache):
    def _cull(self, db, cursor, now, num):
        # Called by `DatabaseCache._base_set` when the table holds more than MAX_ENTRIES.
        if self._cull_frequency == 0:
            self.clear()
            return
        connection = connections[db]
        # The table's name comes from the settings (LOCATION), quoted; values are parameters.
        table = connection.ops.quote_name(self._table)
        cursor.execute(
            f"DELETE FROM {table} WHERE expires < %s",  # noqa: S608
            [connection.ops.adapt_datetimefield_value(now)],
        )
        remaining = num - cursor.rowcount
        if remaining > self._max_entries:
            # Read through the index on `expires` (migration chantier 0003_cache_table).
            cursor.execute(
                f"DELETE FROM {table} WHERE cache_key IN "  # noqa: S608
                f"(SELECT cache_key FROM {table} ORDER BY expires LIMIT %s)",
                [remaining // self._cull_frequency],
            )
