"""On the embedded default the API state token lives in a cache every process shares (`api_state`, a file-based
cache), so a change made by another process reaches this one at once: the default cache is local memory per
process, and a key revoked from a shell or a management command kept working until the token lapsed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

from institutions.models import InstitutionAPIKey
from tests.factories import InstitutionFactory, MessageFactory
from tests.messaging.api_helpers import client_for, issue_key

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parents[2]
CHANGE_FROM_ANOTHER_PROCESS = """
import django
django.setup()
from django.core.cache.backends.filebased import FileBasedCache
from hub.api.state import api_state_changed, state_cache
assert isinstance(state_cache(), FileBasedCache), type(state_cache())
api_state_changed()
"""


def _other_process_changes_something(cache_dir: Path, tmp_path: Path) -> None:
    """What saving a key does in another process running the embedded settings: it invalidates the token."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "hub.settings.embedded",
        "TAWASUL_STATE_CACHE_DIR": str(cache_dir),
        "TAWASUL_SQLITE_PATH": str(tmp_path / "other.sqlite3"),
        "PYTHONWARNINGS": "ignore",
    }
    result = subprocess.run(
        [sys.executable, "-c", CHANGE_FROM_ANOTHER_PROCESS], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_a_key_revoked_by_another_process_is_refused_at_once(tmp_path):
    from hub.settings import embedded

    cache_dir = tmp_path / "api-state"
    shared = {**embedded.CACHES["api_state"], "LOCATION": str(cache_dir)}
    with override_settings(CACHES={**embedded.CACHES, "api_state": shared}):
        institution = InstitutionFactory(slug="moi")
        MessageFactory.create_published()
        raw = issue_key(institution)
        client = client_for(raw)
        assert client.get("/api/v1/messages/").status_code == 200  # the key is now known to this process

        # The other process's write: the row changes in the shared database (no signal here) ...
        InstitutionAPIKey.objects.filter(prefix=raw.split(".")[0]).update(revoked=True)
        assert client.get("/api/v1/messages/").status_code == 200  # ... this process has not heard of it yet
        # ... and its save invalidates the token in the cache both processes read.
        _other_process_changes_something(cache_dir, tmp_path)

        refused = client.get("/api/v1/messages/")
        assert refused.status_code == 401
        assert refused.json()["code"] == "authentication_failed"
