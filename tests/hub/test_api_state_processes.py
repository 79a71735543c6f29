"""A change written by another process (a shell, a management command, cron's `publish_scheduled`, a second server)
reaches a serving process within a second on the embedded default (SQLite, the database search backend): the
database itself replaces the API state token, so nothing but the database is shared and no write path can skip it.

Two child processes share one database file: one serves API requests in a loop (its copy of the token may be up to
`TAWASUL_API_STATE_MAX_AGE` = 0.5 s old), the other writes with `QuerySet.update()` (no `save()`, no signal)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CHILD = """
import sys, time, django
django.setup()
from institutions.models import Institution, InstitutionAPIKey
from messaging.models import Message
from tests.factories import MessageFactory
from tests.messaging.api_helpers import client_for, issue_key

command = sys.argv[1]
if command == "setup":
    institution = Institution.objects.create(slug="moi", name_ar="الداخلية", name_en="Interior")
    MessageFactory.create_published()
    print(issue_key(institution))
elif command == "narrow":  # every message now for chosen institutions only
    Message.objects.update(audience_all=False)
    print(time.time())
elif command == "revoke":
    InstitutionAPIKey.objects.filter(prefix=sys.argv[2].split(".")[0]).update(revoked=True)
    print(time.time())
elif command == "serve":
    client = client_for(sys.argv[2])
    assert client.get("/api/v1/messages/").json()["results"]
    print("ready", flush=True)
    for seen in ("narrowed", "refused"):
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            response = client.get("/api/v1/messages/")
            if (seen == "narrowed" and response.status_code == 200 and response.json()["results"] == []) or (
                seen == "refused" and response.status_code == 401
            ):
                print(seen, time.time(), flush=True)
                break
            time.sleep(0.01)
"""


def _env(database: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "hub.settings.test",  # SQLite and the database search backend, as embedded
        "DATABASE_URL": f"sqlite:///{database}",
        "TAWASUL_API_STATE_MAX_AGE": "0.5",
        "PYTHONPATH": str(REPO),
        "PYTHONWARNINGS": "ignore",
    }


def _run(database: Path, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", CHILD, *args], cwd=REPO, env=_env(database), capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.strip().splitlines()[-1]


@pytest.mark.timeout(900)  # a migrated database file and four child processes
def test_a_key_revoked_or_an_audience_narrowed_by_another_process_takes_effect_within_a_second(tmp_path):
    database = tmp_path / "shared.sqlite3"
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=REPO, env=_env(database), check=True)
    raw = _run(database, "setup")
    server = subprocess.Popen(
        [sys.executable, "-c", CHILD, "serve", raw], cwd=REPO, env=_env(database), stdout=subprocess.PIPE, text=True
    )
    try:
        assert server.stdout is not None and server.stdout.readline().strip() == "ready"
        for change in ("narrow", "revoke"):
            written_at = float(_run(database, change, raw))
            seen, at = server.stdout.readline().split()
            assert seen == {"narrow": "narrowed", "revoke": "refused"}[change]
            assert float(at) - written_at < 1.0, f"{change}: seen {float(at) - written_at:.2f} s after the commit"
    finally:
        server.kill()
        server.wait()
