"""Real services for integration tests. With TAWASUL_REQUIRE_SERVICES=1 (CI, `make test-all`) a missing service
fails the test; without it (a quick local `make test`) the test is skipped with the reason."""

from __future__ import annotations

import os
import socket
import subprocess
import urllib.request
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlparse

import pytest

REPO = Path(__file__).resolve().parents[2]
SERVICES = REPO / "scripts" / "services"


def services_required() -> bool:
    return os.environ.get("TAWASUL_REQUIRE_SERVICES") == "1"


def unavailable(reason: str) -> None:
    if services_required():
        pytest.fail(f"Required service unavailable: {reason}", pytrace=False)
    pytest.skip(reason)


def port_open(url: str) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 80), timeout=1):
            return True
    except OSError:
        return False


def services(*args: str) -> subprocess.CompletedProcess[str]:
    """Run `scripts/services` (start/stop one service during a test)."""
    return subprocess.run([str(SERVICES), *args], capture_output=True, text=True, timeout=240, check=True)


@pytest.fixture(scope="session")
def redis_url() -> str:
    url = os.environ.get("REDIS_URL", "")
    if not url or not port_open(url):
        unavailable(f"Redis at {url or '(REDIS_URL unset)'}")
    return url


# The search engine each backend runs on, as `scripts/services` names it, and the variable holding its URL.
ENGINE_SERVICES = {
    "opensearch2": ("opensearch", "OPENSEARCH_URL"),
    "opensearch3": ("opensearch", "OPENSEARCH_URL"),
    "elasticsearch8": ("elasticsearch", "ELASTICSEARCH_URL"),
    "elasticsearch9": ("elasticsearch", "ELASTICSEARCH_URL"),
}


def engine_backend() -> str:
    """The backend the engine tests use: `TAWASUL_SEARCH_BACKEND` when it names an engine, else OpenSearch 2."""
    name = os.environ.get("TAWASUL_SEARCH_BACKEND", "")
    return name if name in ENGINE_SERVICES else "opensearch2"


def engine_service() -> str:
    return ENGINE_SERVICES[engine_backend()][0]


def reachable_engine_url(backend: str) -> str:
    """The URL of the engine `backend` runs on: its own variable (`OPENSEARCH_URL`, `ELASTICSEARCH_URL`), else
    `TAWASUL_SEARCH_URL`; a failure (or a skip) unless it answers."""
    service, variable = ENGINE_SERVICES[backend]
    url = os.environ.get(variable) or os.environ.get("TAWASUL_SEARCH_URL", "")
    if not url:
        unavailable(f"{service} ({variable} unset)")
    try:
        with urllib.request.urlopen(f"{url}/_cluster/health", timeout=5) as response:
            response.read()
    except OSError as error:
        unavailable(f"{service} at {url}: {error}")
    return url


@pytest.fixture(scope="session")
def engine_url() -> str:
    return reachable_engine_url(engine_backend())


@pytest.fixture(scope="session")
def engine_url_of() -> Callable[[str], str]:
    """For tests that need a given engine whatever the configured backend: `engine_url_of("elasticsearch8")`."""
    return reachable_engine_url


@pytest.fixture(scope="session")
def postgres_in_use(django_db_blocker) -> None:
    from django.db import connection

    if os.environ.get("DATABASE_URL", "").startswith("postgres") and connection.vendor != "postgresql":
        pytest.fail("DATABASE_URL names PostgreSQL but Django is not using it", pytrace=False)
    if connection.vendor != "postgresql":
        unavailable("PostgreSQL (DATABASE_URL unset)")
