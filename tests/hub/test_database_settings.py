"""How the hub connects to its database: on PostgreSQL, parameters bound by the server and repeated statements
prepared on their connection (TAWASUL_DATABASE_PREPARED=0 turns both off); SQLite is left as Django sets it up."""

from __future__ import annotations

import pytest
from django.db import connection

from hub.settings.environment import database_from_env
from institutions.models import Institution
from tests.integration.conftest import unavailable

URL = "postgres://user:secret@db.example:5432/tawasul"


def test_postgresql_binds_on_the_server_and_prepares_repeated_statements(monkeypatch):
    monkeypatch.delenv("TAWASUL_DATABASE_PREPARED", raising=False)
    monkeypatch.setenv("DATABASE_URL", URL)
    options = database_from_env("")["OPTIONS"]
    assert options == {"options": "-c jit=off", "server_side_binding": True, "prepare_threshold": 5}


def test_prepared_statements_can_be_turned_off_for_a_pooler(monkeypatch):
    monkeypatch.setenv("TAWASUL_DATABASE_PREPARED", "0")
    monkeypatch.setenv("DATABASE_URL", URL + "?sslmode=require")
    options = database_from_env("")["OPTIONS"]
    assert options == {"options": "-c jit=off", "sslmode": "require"}


def test_sqlite_gets_no_postgresql_options(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    config = database_from_env(f"sqlite:///{tmp_path / 'hub.sqlite3'}")
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert "server_side_binding" not in config.get("OPTIONS", {})


@pytest.mark.integration
@pytest.mark.django_db
def test_a_repeated_query_is_prepared_on_the_connection():
    """Against the real server: the sixth run of one ORM query finds it among the connection's prepared
    statements, and its answers are those of the first run."""
    if connection.vendor != "postgresql":
        unavailable("PostgreSQL (DATABASE_URL unset when settings were loaded)")
    assert connection.features.uses_server_side_binding
    answers = [list(Institution.objects.filter(slug="نادرة").values_list("pk", flat=True)) for _ in range(6)]
    assert answers == [[]] * 6
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any('FROM "institutions_institution"' in statement and "$1" in statement for statement in prepared)
