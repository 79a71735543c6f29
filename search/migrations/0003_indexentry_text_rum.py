"""A RUM index over `title || body` of the database backend's index entries, where PostgreSQL has the extension.

The GIN index of `search/0002` finds the matching entries, but ranking them reads every match's vectors from the
table: a question of several words matches a large share of a big index, and its first page cost seconds at
100,000 messages (docs/benchmarks.md). A RUM index keeps each lexeme's positions and weights in its posting lists,
so it returns the entries nearest a query (`<=>`) without reading the table; `search.backends.postgres.matched`
takes its nearest candidates and ranks them exactly. RUM answers `@@` as well, so it replaces the GIN index.

The extension (Debian's `postgresql-15-rum`) must be installed in the database, which needs a superuser:
`scripts/services` installs it into `template1`, so every database created afterwards has it. Where it is
missing (or the role may not create it), this migration leaves the GIN index and the backend ranks every match.
Installing it later: `manage.py migrate tawasul_search 0002 && manage.py migrate tawasul_search`.
"""

from typing import Any

from django.db import DatabaseError, migrations, transaction

INDEX = "search_indexentry_text_rum"
GIN_INDEX = "search_indexentry_text_gin"
TABLE = "wagtailsearch_indexentry"


def rum_installed(schema_editor: Any) -> bool:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'rum'")
        if cursor.fetchone():
            return True
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'rum'")
        if not cursor.fetchone():
            return False
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS rum")
    except DatabaseError:  # installed on the server, but this role may not create it
        return False
    return True


def create(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql" or not rum_installed(schema_editor):
        return
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON {TABLE} USING rum ((title || body) rum_tsvector_ops)")
    schema_editor.execute(f"DROP INDEX IF EXISTS {GIN_INDEX}")


def drop(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {GIN_INDEX} ON {TABLE} USING gin ((title || body))")
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("tawasul_search", "0002_indexentry_text_gin")]

    operations = [migrations.RunPython(create, drop)]
