"""A GIN index over the stored search vector, on PostgreSQL only.

It is not declared in SearchEntry.Meta because Django would try to create it on
SQLite too; the stored vector itself is filled by pages.search_index.
"""

from django.db import migrations

INDEX = "pages_searchentry_vector_gin"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON pages_searchentry USING gin (search_vector)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("pages", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index)]
