"""WAGTAILSEARCH_BACKENDS entries for each supported engine, built the same way for settings and evaluation."""

from __future__ import annotations

from typing import Any

from search.engine import engine_index_settings

BACKEND_MODULES = {
    "database": "search.backends.database",
    "opensearch2": "search.backends.opensearch2",
    "opensearch3": "search.backends.opensearch3",
    "elasticsearch8": "search.backends.elasticsearch8",
    "elasticsearch9": "search.backends.elasticsearch9",
}
DEFAULT_URL = "http://127.0.0.1:9200"
DEFAULT_TIMEOUT = 2.0


def backend_config(
    name: str, *, url: str = DEFAULT_URL, index_prefix: str = "tawasul_", timeout: float = DEFAULT_TIMEOUT
) -> dict[str, Any]:
    """One backend entry. `AUTO_UPDATE` is off: the index follows the outbox and page signals, off the request
    (`search.indexing`), never modelsearch's synchronous save hook."""
    if name not in BACKEND_MODULES:
        raise ValueError(f"Search backend must be one of {sorted(BACKEND_MODULES)}, not {name!r}")
    if name == "database":
        return {"BACKEND": BACKEND_MODULES[name], "AUTO_UPDATE": False}
    return {
        "BACKEND": BACKEND_MODULES[name],
        "AUTO_UPDATE": False,
        "URLS": [url],
        "INDEX_PREFIX": index_prefix,
        "TIMEOUT": timeout,
        "OPTIONS": {"max_retries": 0, "retry_on_timeout": False},
        "INDEX_SETTINGS": engine_index_settings(),
        "ATOMIC_REBUILD": True,
    }


def backend_name(config: dict[str, Any]) -> str:
    by_module = {module: name for name, module in BACKEND_MODULES.items()}
    return by_module.get(config.get("BACKEND", ""), config.get("BACKEND", ""))
