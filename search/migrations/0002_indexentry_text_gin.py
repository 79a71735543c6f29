"""A GIN index over `title || body` of the database backend's index entries (PostgreSQL only).

modelsearch's query filters on that concatenation, which neither of its GIN indexes (on `title`, on `body`)
can serve; `search.backends.postgres.matched` filters on the same expression, and this index answers it. On
other databases the backend keeps its own index tables, and this migration does nothing.
"""

from typing import Any

from django.db import migrations

INDEX = "search_indexentry_text_gin"
TABLE = "wagtailsearch_indexentry"


def create(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON {TABLE} USING gin ((title || body))")


def drop(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("tawasul_search", "0001_initial"), ("wagtailsearch", "0010_add_text_fields")]

    operations = [migrations.RunPython(create, drop)]
