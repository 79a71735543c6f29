"""Where the benchmarks run: a throw-away PostgreSQL database, a Redis database and OpenSearch index prefix of
their own, so the project's own data and other engineers' tests are never touched. Only 127.0.0.1."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DEFAULT_DATA = REPO.parent / "shared" / "data" / "xquad-ar-en"
# Overridable, so two benchmarks on one machine keep to their own database, Redis database and indexes.
BENCH_DATABASE = os.environ.get("TAWASUL_BENCH_DATABASE", "tawasul_bench")
BENCH_REDIS_DB = int(os.environ.get("TAWASUL_BENCH_REDIS_DB", "7"))
BENCH_INDEX = os.environ.get("TAWASUL_BENCH_INDEX", "tawasul_bench")


def services_env() -> dict[str, str]:
    """The service URLs from `scripts/services env`, unless the caller's environment names them already."""
    found = {}
    if not os.environ.get("DATABASE_URL"):
        lines = subprocess.run(
            [str(REPO / "scripts" / "services"), "env"], capture_output=True, text=True, check=True
        ).stdout
        for line in lines.splitlines():
            if line.startswith("export ") and "=" in line:
                name, value = line[len("export ") :].split("=", 1)
                found[name] = value.strip("'\"")
    return {
        **found,
        **{k: v for k, v in os.environ.items() if k in ("DATABASE_URL", "REDIS_URL", "TAWASUL_SEARCH_URL")},
    }


def _with_path(url: str, path: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, parts.fragment))


def bench_env(backend: str = "opensearch2") -> dict[str, str]:
    """Environment for the bench process and every server or worker it starts."""
    services = services_env()
    database_url = services.get("DATABASE_URL", "postgres://tawasul:tawasul@127.0.0.1:5432/tawasul")
    return {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": _with_path(database_url, "/" + BENCH_DATABASE),
        "BENCH_ADMIN_DATABASE_URL": database_url,
        "REDIS_URL": _with_path(services.get("REDIS_URL", "redis://127.0.0.1:6379/0"), f"/{BENCH_REDIS_DB}"),
        "TAWASUL_SEARCH_BACKEND": backend,
        "TAWASUL_SEARCH_URL": services.get("TAWASUL_SEARCH_URL", "http://127.0.0.1:9200"),
        "TAWASUL_SEARCH_INDEX": BENCH_INDEX,
        "TAWASUL_SEARCH_TIMEOUT": "30",
        "TAWASUL_CELERY_EAGER": "0",
        "PYTHONPATH": str(REPO),
    }


def child_env(**overrides: str) -> dict[str, str]:
    return {**os.environ, **bench_env(overrides.pop("backend", "opensearch2")), **overrides}


def database_ensure(env: dict[str, str]) -> None:
    """Create the bench database when it does not exist (the role has CREATEDB)."""
    with psycopg.connect(env["BENCH_ADMIN_DATABASE_URL"], autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DATABASE]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{BENCH_DATABASE}"')


def database_drop(env: dict[str, str]) -> None:
    with psycopg.connect(env["BENCH_ADMIN_DATABASE_URL"], autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DATABASE}" WITH (FORCE)')


def django_setup(backend: str = "opensearch2") -> dict[str, str]:
    """Point this process at the bench services and start Django."""
    env = bench_env(backend)
    os.environ.update(env)
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    database_ensure(env)
    import django

    django.setup()
    return env
