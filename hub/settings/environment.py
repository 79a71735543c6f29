"""Reading service locations from the environment, shared by the test and production settings."""

import os
from typing import Any, cast

import dj_database_url

from search.configuration import BACKEND_MODULES, backend_config


def database_from_env(default: str) -> dict[str, Any]:
    config = cast(dict[str, Any], dj_database_url.parse(os.environ.get("DATABASE_URL", default), conn_max_age=60))
    if config["ENGINE"] == "django.db.backends.postgresql":
        # PostgreSQL's JIT compiles the report queries' expressions on every run (their cost estimates cross its
        # thresholds at volume): the compiling took longer than the queries saved (docs/benchmarks.md).
        options = config.setdefault("OPTIONS", {})
        options["options"] = "-c jit=off"
        # Parameters bound by the server, and a statement prepared on its connection once it has run five times
        # (psycopg's threshold): the admin's and the API's queries repeat, and PostgreSQL then stops planning
        # them anew on every request. TAWASUL_DATABASE_PREPARED=0 binds on the client and prepares nothing, for
        # a pooler that cannot carry prepared statements (PgBouncer in transaction mode before 1.21).
        if os.environ.get("TAWASUL_DATABASE_PREPARED", "1") != "0":
            options.update(server_side_binding=True, prepare_threshold=5)
    return config


def search_backends_from_env() -> dict[str, dict[str, Any]]:
    """`TAWASUL_SEARCH_BACKEND` picks the engine; `TAWASUL_SEARCH_URL` says where it listens (a cluster: its nodes'
    URLs, comma-separated); `TAWASUL_SEARCH_REPLICAS` is the number of replicas of each shard."""
    name = os.environ.get("TAWASUL_SEARCH_BACKEND", "database")
    if name not in BACKEND_MODULES:
        raise ValueError(f"TAWASUL_SEARCH_BACKEND must be one of {sorted(BACKEND_MODULES)}, not {name!r}")
    replicas = os.environ.get("TAWASUL_SEARCH_REPLICAS", "0")
    if not replicas.isdigit():
        raise ValueError(f"TAWASUL_SEARCH_REPLICAS must be a whole number (0, 1, ...), not {replicas!r}")
    config = backend_config(
        name,
        url=os.environ.get("TAWASUL_SEARCH_URL", "http://127.0.0.1:9200"),
        index_prefix=os.environ.get("TAWASUL_SEARCH_INDEX", "tawasul") + "_",
        timeout=float(os.environ.get("TAWASUL_SEARCH_TIMEOUT", "2")),
        replicas=int(replicas),
    )
    return {"default": config}
