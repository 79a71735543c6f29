"""Reading service locations from the environment, shared by the test and production settings."""

import os
from typing import Any

import dj_database_url

SEARCH_BACKENDS = {
    "opensearch2": "modelsearch.backends.opensearch2",
    "opensearch3": "modelsearch.backends.opensearch3",
    "elasticsearch8": "modelsearch.backends.elasticsearch8",
    "elasticsearch9": "modelsearch.backends.elasticsearch9",
    "database": "modelsearch.backends.database",
}


def database_from_env(default: str) -> dict[str, Any]:
    return dj_database_url.parse(os.environ.get("DATABASE_URL", default), conn_max_age=60)


def search_backends_from_env() -> dict[str, dict[str, Any]]:
    """`TAWASUL_SEARCH_BACKEND` picks the engine; `TAWASUL_SEARCH_URL` says where it listens."""
    from search.engine import engine_index_settings

    name = os.environ.get("TAWASUL_SEARCH_BACKEND", "database")
    if name not in SEARCH_BACKENDS:
        raise ValueError(f"TAWASUL_SEARCH_BACKEND must be one of {sorted(SEARCH_BACKENDS)}, not {name!r}")
    if name == "database":
        return {"default": {"BACKEND": SEARCH_BACKENDS[name]}}
    return {
        "default": {
            "BACKEND": SEARCH_BACKENDS[name],
            "URLS": [os.environ.get("TAWASUL_SEARCH_URL", "http://127.0.0.1:9200")],
            "INDEX": os.environ.get("TAWASUL_SEARCH_INDEX", "tawasul"),
            "TIMEOUT": float(os.environ.get("TAWASUL_SEARCH_TIMEOUT", "2")),
            "OPTIONS": {"max_retries": 0},
            "INDEX_SETTINGS": engine_index_settings(),
            "ATOMIC_REBUILD": True,
        }
    }
