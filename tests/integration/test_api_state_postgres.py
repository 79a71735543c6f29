"""On PostgreSQL the API state token is maintained by per-statement triggers: a write committed by another
connection (another process, a script, `psql`) changes it, whatever the statement."""

from __future__ import annotations

import psycopg
import pytest
from django.db import connection

from hub.api.state import api_state_token, api_state_triggers_present, watched_tables
from tests.factories import InstitutionFactory
from tests.integration.conftest import unavailable
from tests.messaging.api_helpers import client_for, issue_key

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _other_connection() -> psycopg.Connection:
    settings = connection.settings_dict
    return psycopg.connect(
        dbname=settings["NAME"], user=settings["USER"], password=settings["PASSWORD"], host=settings["HOST"],
        port=settings["PORT"] or 5432, autocommit=True,
    )  # fmt: skip


def test_a_key_revoked_by_another_connection_is_refused(settings):
    if connection.vendor != "postgresql":
        unavailable("PostgreSQL (DATABASE_URL unset when settings were loaded)")
    settings.TAWASUL_API_STATE_MAX_AGE = 0
    assert set(watched_tables()) <= api_state_triggers_present()
    raw = issue_key(InstitutionFactory(slug="moi"))
    client = client_for(raw)
    assert client.get("/api/v1/messages/").status_code == 200
    token = api_state_token()
    with _other_connection() as other:
        other.execute("UPDATE institutions_institutionapikey SET revoked = true WHERE prefix = %s", [raw.split(".")[0]])
    assert api_state_token() != token
    assert client.get("/api/v1/messages/").status_code == 401


def test_using_a_key_leaves_the_token_alone(settings):
    if connection.vendor != "postgresql":
        unavailable("PostgreSQL (DATABASE_URL unset when settings were loaded)")
    settings.TAWASUL_API_STATE_MAX_AGE = 0
    InstitutionFactory(slug="moi")
    token = api_state_token()
    with _other_connection() as other:
        other.execute("UPDATE institutions_institutionapikey SET last_used_at = now()")
        other.execute("UPDATE messaging_messageevent SET attempts = attempts + 1")
    assert api_state_token() == token
