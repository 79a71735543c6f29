"""Error answers: the security headers on every error page, JSON under /api/, and no tracebacks from the
embedded default unless asked for."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db


def _has_policy(response) -> None:
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_disallowed_host_gets_a_400_page_with_the_content_security_policy(client, settings):
    settings.ALLOWED_HOSTS = ["tawasul.example"]
    response = client.get("/ar/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    _has_policy(response)


def test_an_oversized_form_post_gets_a_413_page_with_the_content_security_policy(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    client = Client(enforce_csrf_checks=True)  # the CSRF check reads the form, and Django refuses its size
    client.cookies["csrftoken"] = "a" * 32
    response = client.post("/admin/login/", {"username": "x" * 4096, "password": "y"})
    assert response.status_code == 413
    _has_policy(response)


def test_a_missing_public_page_is_a_404_with_the_content_security_policy(client):
    response = client.get("/ar/no-such-page/")
    assert response.status_code == 404
    _has_policy(response)


def test_a_server_error_under_the_api_is_json_with_the_content_security_policy(client, monkeypatch):
    from messaging.api import views

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views.MessageListView, "get", broken)
    monkeypatch.setattr(views.MessageListView, "authentication_classes", [])
    monkeypatch.setattr(views.MessageListView, "permission_classes", [])
    client.raise_request_exception = False
    response = client.get("/api/v1/messages/")
    assert response.status_code == 500
    body = response.json()
    assert body["code"] == "server_error" and body["message"]
    assert "boom" not in response.content.decode() and "Traceback" not in response.content.decode()
    _has_policy(response)


@pytest.mark.parametrize(("value", "debug"), [(None, False), ("0", False), ("1", True)])
def test_the_embedded_default_runs_without_debug_unless_asked(value, debug, tmp_path):
    env = {key: v for key, v in os.environ.items() if key != "TAWASUL_DEBUG"}
    if value is not None:
        env["TAWASUL_DEBUG"] = value
    env.update({"TAWASUL_SQLITE_PATH": str(tmp_path / "e.sqlite3"), "PYTHONWARNINGS": "ignore"})
    code = "import hub.settings.embedded as s; print(s.DEBUG, s.TAWASUL_SERVE_MEDIA)"
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [str(debug), "True"]
