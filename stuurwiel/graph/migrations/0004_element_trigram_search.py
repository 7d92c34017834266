"""Free-text search over elements stays fast on PostgreSQL.

The ``q`` filter and the element lookup use ``icontains``, which PostgreSQL runs
as ``UPPER(col::text) LIKE UPPER('%…%')``; a B-tree index cannot serve that, a
trigram GIN index on the same expression can. SQLite has no such index type and
skips this migration (its LIKE scan is fast enough there, see ``bench/``).
"""

from django.db import migrations

INDEXES = {
    "element_name_trgm": "name",
    "element_description_trgm": "description",
}


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for index, column in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {index} ON graph_element "
            f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for index in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {index}")


class Migration(migrations.Migration):
    dependencies = [("graph", "0003_relation_newest_first")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
