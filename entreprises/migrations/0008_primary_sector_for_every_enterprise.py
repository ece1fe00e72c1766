"""Every enterprise with sectors gets a primary one: the admin's form used to let a record
be saved without it, and such a record's export could not be imported back. With a single
sector, it is the primary one (the rule the form and the import now follow); with several,
the first by position, which staff can change in the form."""

from django.db import migrations

SQL = """
UPDATE entreprises_enterprisesector AS link SET is_primary = true
FROM (
  SELECT DISTINCT ON (es.enterprise_id) es.id
  FROM entreprises_enterprisesector AS es
  JOIN entreprises_sector AS s ON s.id = es.sector_id
  WHERE NOT EXISTS (
    SELECT 1 FROM entreprises_enterprisesector AS p
    WHERE p.enterprise_id = es.enterprise_id AND p.is_primary
  )
  ORDER BY es.enterprise_id, s.position, s.slug
) AS first
WHERE link.id = first.id
"""


class Migration(migrations.Migration):
    dependencies = [("entreprises", "0007_sector_synonyms")]

    operations = [migrations.RunSQL(SQL, migrations.RunSQL.noop)]
