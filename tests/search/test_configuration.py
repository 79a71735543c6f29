"""The engine backend's configuration: several node URLs, the client's retries over them, and the replicas."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from modelsearch.backends import get_search_backend as modelsearch_backend
from opensearchpy.exceptions import ConnectionError as EngineConnectionError

from hub.settings.environment import search_backends_from_env
from search.configuration import backend_config


class _Node(BaseHTTPRequestHandler):
    """Stands in for an engine node: answers every GET with a small JSON body and counts them."""

    answered = 0

    def do_GET(self) -> None:  # http.server's name for it
        type(self).answered += 1
        body = json.dumps({"name": "stand-in"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def live_node() -> Iterator[str]:
    _Node.answered = 0
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Node)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def dead_node() -> str:
    """A port nothing listens on (connections are refused, as to a killed node)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def client(url: str) -> Any:
    config = backend_config("opensearch2", url=url)
    return modelsearch_backend(config.pop("BACKEND"), **config).es


def test_comma_separated_urls_are_the_cluster_nodes_with_one_retry_on_the_next() -> None:
    config = backend_config("opensearch2", url="http://a:9200, http://b:9200,", replicas=1)
    assert config["URLS"] == ["http://a:9200", "http://b:9200"]
    assert config["OPTIONS"] == {"max_retries": 1, "retry_on_timeout": True}
    assert config["INDEX_SETTINGS"]["settings"]["index"]["number_of_replicas"] == 1
    single = backend_config("opensearch2", url="http://a:9200")
    assert single["OPTIONS"] == {"max_retries": 0, "retry_on_timeout": False}
    assert single["INDEX_SETTINGS"]["settings"]["index"]["number_of_replicas"] == 0


def test_a_url_list_naming_no_node_is_refused() -> None:
    with pytest.raises(ValueError, match="names no node"):
        backend_config("opensearch2", url=" , ")


def test_every_request_is_answered_while_one_of_two_nodes_refuses_connections(live_node: str, dead_node: str) -> None:
    es = client(f"{dead_node},{live_node}")
    for _ in range(6):  # requests go to the nodes in turn: the second at the latest is first sent to the dead one
        assert es.transport.perform_request("GET", "/") == {"name": "stand-in"}
    assert _Node.answered == 6
    assert list(es.transport.connection_pool.dead_count.values()) == [1]  # tried once, then set aside


def test_a_single_node_that_refuses_connections_fails_at_once(live_node: str, dead_node: str) -> None:
    with pytest.raises(EngineConnectionError):
        client(dead_node).transport.perform_request("GET", "/")
    assert _Node.answered == 0


def test_settings_read_the_node_list_and_replicas_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TAWASUL_SEARCH_BACKEND", "opensearch2")
    monkeypatch.setenv("TAWASUL_SEARCH_URL", "http://10.0.0.1:9200,http://10.0.0.2:9200")
    monkeypatch.setenv("TAWASUL_SEARCH_REPLICAS", "1")
    config = search_backends_from_env()["default"]
    assert config["URLS"] == ["http://10.0.0.1:9200", "http://10.0.0.2:9200"]
    assert config["INDEX_SETTINGS"]["settings"]["index"]["number_of_replicas"] == 1
    monkeypatch.setenv("TAWASUL_SEARCH_REPLICAS", "one")
    with pytest.raises(ValueError, match="TAWASUL_SEARCH_REPLICAS"):
        search_backends_from_env()
