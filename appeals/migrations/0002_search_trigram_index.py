"""A trigram index for the staff's free-text search over applicant, subject and text (PostgreSQL only).

pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it.
Other databases (SQLite in development) search by a plain scan.
"""

from django.db import migrations

from appeals.search import SEARCH_EXPRESSION


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS appeal_search_trgm ON appeals_appeal USING gin (({SEARCH_EXPRESSION}) gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS appeal_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("appeals", "0001_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
