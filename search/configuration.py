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
    name: str,
    *,
    url: str = DEFAULT_URL,
    index_prefix: str = "tawasul_",
    timeout: float = DEFAULT_TIMEOUT,
    replicas: int = 0,
) -> dict[str, Any]:
    """One backend entry. `AUTO_UPDATE` is off: the index follows the outbox and page signals, off the request
    (`search.indexing`), never modelsearch's synchronous save hook. `url` may list several nodes of one cluster,
    comma-separated (`client_options`); `replicas` is each shard's number of copies on other nodes."""
    if name not in BACKEND_MODULES:
        raise ValueError(f"Search backend must be one of {sorted(BACKEND_MODULES)}, not {name!r}")
    if name == "database":
        return {"BACKEND": BACKEND_MODULES[name], "AUTO_UPDATE": False}
    urls = node_urls(url)
    return {
        "BACKEND": BACKEND_MODULES[name],
        "AUTO_UPDATE": False,
        "URLS": urls,
        "INDEX_PREFIX": index_prefix,
        "TIMEOUT": timeout,
        "OPTIONS": client_options(len(urls)),
        "INDEX_SETTINGS": engine_index_settings(replicas=replicas),
        "ATOMIC_REBUILD": True,
    }


def node_urls(url: str) -> list[str]:
    """`http://a:9200,http://b:9200` -> one URL per node; at least one."""
    urls = [part.strip() for part in url.split(",") if part.strip()]
    if not urls:
        raise ValueError(f"The search URL names no node: {url!r}")
    return urls


def client_options(nodes: int) -> dict[str, Any]:
    """The engine client's retries. One node: none, so a request to a node that is down fails at once (a search
    answers 503, an index update is left to the catch-up) instead of waiting out retries. Several nodes: a request
    that fails to connect, or times out (`TIMEOUT`, per attempt), is sent again to the next node, each node at most
    once; the client sets the failed node aside (opensearch-py: 60 s, doubling while it keeps failing) and sends
    the requests that follow to the others. No sniffing: the client keeps to the configured nodes, rather than the
    addresses the nodes publish, which a proxy or container network may not let the hub reach."""
    return {"max_retries": nodes - 1, "retry_on_timeout": nodes > 1}


def backend_name(config: dict[str, Any]) -> str:
    by_module = {module: name for name, module in BACKEND_MODULES.items()}
    return by_module.get(config.get("BACKEND", ""), config.get("BACKEND", ""))
