# ruff: noqa: F811 - the `broker` fixture imported from tests.webhooks.live is used as an argument
"""A search cluster that loses a node: the two OpenSearch nodes of `scripts/services up opensearch-cluster`, the
message index with one replica. One node is killed (SIGKILL, as a crashed host) while a thread searches through the
search API and messages are approved through the workflow, a real worker indexing them. The search API keeps
answering (errors are allowed in the first seconds only, none from `SETTLE` seconds after the kill), every approval
succeeds, the updates the cluster could not take are applied once the node is back, and the index then holds
exactly the live messages, each as the database has it now.

The node killed is the elected cluster manager, the hard case: with two nodes only one of them votes (a cluster keeps
an odd number of voters), so the other cannot elect itself; it keeps answering searches from its copy of the shard
but takes no writes until the killed node returns. (Killing the other node leaves a working cluster of one, whose
copy of the shard becomes the primary if it was not.)
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import override_settings
from wagtail.search.backends import get_search_backend

from messaging.models import Message
from search.configuration import backend_config, node_urls
from search.indexing import index_entry_sync, indexed_objects, indexes_drop
from search.models import IndexUpdate, IndexUpdateStatus
from search.tasks import index_catch_up
from tests.factories import InstitutionFactory, MessageFactory, lifecycle_people, release
from tests.integration.conftest import REPO, services, unavailable
from tests.messaging.api_helpers import client_for, issue_key
from tests.webhooks.live import LIVE, broker, worker_ready  # noqa: F401
from tests.webhooks.worker import CeleryProcess, worker

pytestmark = LIVE
WORD = "التعليم"
BASELINE = 4  # live messages indexed before the kill; every search must find them all
APPROVED_DURING = 3  # first releases approved while the node is down
UPDATED_DURING = 1  # live messages updated (a new version) while the node is down
SETTLE = 10.0  # seconds after the kill from which no search may fail
OUTAGE = 15.0  # how long searches and approvals run with the node down
APPROVAL_SECONDS = 5.0  # an approval never waits on the engine (it writes the outbox); about a second when loaded
CONVERGE_WITHIN = 60.0


def health(url: str, **params: str) -> dict[str, Any]:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    with urllib.request.urlopen(f"{url}/_cluster/health?{query}", timeout=90) as response:
        return dict(json.load(response))


def get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


@pytest.fixture
def cluster_urls() -> list[str]:
    value = os.environ.get("OPENSEARCH_CLUSTER_URLS", "")
    if not value:
        unavailable('opensearch-cluster (OPENSEARCH_CLUSTER_URLS unset; eval "$(scripts/services env)")')
    urls = node_urls(value)
    for url in urls:
        try:
            state = health(url, wait_for_nodes=str(len(urls)), timeout="30s")
        except OSError as error:
            unavailable(f"opensearch-cluster at {url}: {error}")
        if state["number_of_nodes"] != len(urls):
            unavailable(f"opensearch-cluster: {state['number_of_nodes']} nodes answer at {url}, not {len(urls)}")
    return urls


@pytest.fixture
def engine(cluster_urls: list[str], broker: str, tmp_path: Path) -> Iterator[tuple[Any, CeleryProcess]]:
    """The cluster as the hub's backend, in this process and in a worker started with the same settings."""
    prefix = f"tawasul_it_{uuid.uuid4().hex[:10]}"
    url = ",".join(cluster_urls)
    config = backend_config("opensearch2", url=url, index_prefix=f"{prefix}_", replicas=1)
    process = worker(
        tmp_path,
        TAWASUL_SEARCH_BACKEND="opensearch2",
        TAWASUL_SEARCH_URL=url,
        TAWASUL_SEARCH_INDEX=prefix,
        TAWASUL_SEARCH_REPLICAS="1",
    )
    try:
        with override_settings(WAGTAILSEARCH_BACKENDS={"default": config}):
            backend = get_search_backend()
            try:
                yield backend, process
            finally:
                cluster_up(cluster_urls)
                indexes_drop(backend, prefix=f"{prefix}_")
    finally:
        process.stop()


def cluster_up(urls: list[str]) -> None:
    """`services up` starts the nodes that are not running; then wait until every shard copy is assigned."""
    services("up", "opensearch-cluster")
    state = health(urls[0], wait_for_status="green", wait_for_nodes=str(len(urls)), timeout="60s")
    assert state["status"] == "green", state


def node_process(url: str, name: str) -> int:
    """The pid of the cluster node called `name` (`tawasul-cluster-N`), from its pidfile under var/."""
    number = name.rsplit("-", 1)[1]
    pid = int((REPO / "var" / f"opensearch-cluster-{number}" / "node.pid").read_text())
    cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    assert b"TawasulOpenSearchNode" in cmdline, f"pid {pid} is not an OpenSearch node"
    return pid


def cluster_manager(url: str) -> str:
    return str(get_json(f"{url}/_cat/cluster_manager?format=json")[0]["node"])


class Searches(threading.Thread):
    """Searches through the search API, one after another, recording (start, end, status, ids) of each."""

    def __init__(self, key: str) -> None:
        super().__init__(daemon=True)
        self.key = key
        self.outcomes: list[tuple[float, float, int, set[str]]] = []
        self.done = threading.Event()

    def run(self) -> None:
        client = client_for(self.key)
        try:
            while not self.done.is_set():
                started = time.monotonic()
                try:
                    response = client.get("/api/v1/search/", {"q": WORD, "locale": "ar"})
                    status = response.status_code
                    ids = {r["id"] for r in response.json()["results"]} if status == 200 else set()
                except Exception:  # a 500: the test client raises the view's exception
                    status, ids = 500, set()
                self.outcomes.append((started, time.monotonic(), status, ids))
                self.done.wait(0.1)  # below the API's 1,200 requests a minute
        finally:
            connection.close()


def index_documents(backend: Any) -> dict[str, Any]:
    name = backend.get_index_for_model(Message).name
    backend.es.indices.refresh(index=name)
    response = backend.es.search(index=name, body={"query": {"match_all": {}}, "size": 1000})
    return {hit["_id"]: hit["_source"] for hit in response["hits"]["hits"]}


def database_documents(backend: Any) -> dict[str, Any]:
    """What the index should hold: each live message's document as it would be written now (JSON, as stored)."""
    mapping = backend.mapping_class(Message)
    return {
        mapping.get_document_id(m): json.loads(json.dumps(mapping.get_document(m), default=str))
        for m in indexed_objects(Message)
    }


def test_search_and_approvals_survive_losing_the_cluster_manager(
    engine: tuple[Any, CeleryProcess], cluster_urls: list[str]
) -> None:
    backend, process = engine
    began = time.monotonic()
    assert worker_ready(process), process.output()[-3000:]
    people = lifecycle_people()
    key = issue_key(InstitutionFactory())
    baseline = [MessageFactory.create_published(key_message=f"{WORD} {i}") for i in range(BASELINE)]
    drafts = [MessageFactory(key_message=f"{WORD} مسودة {i}") for i in range(APPROVED_DURING)]
    for message in baseline:
        index_entry_sync(model_label="messaging.message", object_id=message.pk)
    cluster_up(cluster_urls)  # the index's replica is assigned
    baseline_ids = {str(m.translation_key) for m in baseline}

    print(f"set up in {time.monotonic() - began:.1f} s")
    name = cluster_manager(cluster_urls[0])
    searches = Searches(key)
    searches.start()
    approvals: list[float] = []
    try:
        time.sleep(2)  # searches before the kill
        killed = time.monotonic()
        os.kill(node_process(cluster_urls[0], name), signal.SIGKILL)
        for message in drafts:
            started = time.monotonic()
            assert release(message, people=people).live
            approvals.append(time.monotonic() - started)
        for message in baseline[:UPDATED_DURING]:
            message.refresh_from_db()
            message.key_message = f"{WORD} نسخة جديدة {message.pk}"
            message.change_note = "صياغة جديدة"
            message.save_revision(user=people["author"])
            started = time.monotonic()
            release(message, people=people)
            approvals.append(time.monotonic() - started)
        # The survivor takes no writes without a cluster manager: the worker's index updates fail and are left for
        # the catch-up (each after its timeout on both nodes).
        changed = {str(m.pk) for m in drafts + baseline[:UPDATED_DURING]}
        pending = IndexUpdate.objects.filter(model_label="messaging.message", status=IndexUpdateStatus.PENDING)
        while time.monotonic() < killed + OUTAGE and not changed <= set(pending.values_list("object_id", flat=True)):
            time.sleep(0.5)
        # (and any baseline update the worker had not reached before the kill)
        assert changed <= set(pending.values_list("object_id", flat=True)), process.output()[-3000:]
        time.sleep(max(0.0, killed + OUTAGE - time.monotonic()))
    finally:
        searches.done.set()
        searches.join(30)
    outage_end = time.monotonic()

    returned = time.monotonic()
    cluster_up(cluster_urls)
    back = time.monotonic()
    deadline = back + CONVERGE_WITHIN
    expected = database_documents(backend)
    while time.monotonic() < deadline and index_documents(backend) != expected:
        index_catch_up()  # what beat runs every 30 s
        time.sleep(1)
    converged = time.monotonic()

    early = [o for o in searches.outcomes if killed <= o[0] < killed + SETTLE]
    late = [o for o in searches.outcomes if o[0] >= killed + SETTLE]
    print(
        f"killed {name}; searches before the kill {sum(o[0] < killed for o in searches.outcomes)}, "
        f"first {SETTLE:.0f} s {len(early)} ({sum(o[2] != 200 for o in early)} failed, slowest "
        f"{max((o[1] - o[0] for o in early), default=0):.2f} s), after {len(late)} "
        f"({sum(o[2] != 200 for o in late)} failed); approvals {', '.join(f'{a:.2f}' for a in approvals)} s; "
        f"outage {outage_end - killed:.1f} s; node back in {back - returned:.1f} s; "
        f"index consistent {converged - back:.1f} s later"
    )
    assert all(o[2] == 200 for o in searches.outcomes if o[0] < killed)
    assert len(late) >= 10, "too few searches after the first seconds to judge"
    assert [o[2] for o in late if o[2] != 200] == []
    assert all(baseline_ids <= o[3] for o in late), "a search after the first seconds missed an indexed message"
    assert len(approvals) == APPROVED_DURING + UPDATED_DURING
    assert max(approvals) < APPROVAL_SECONDS
    assert Message.objects.filter(pk__in=[m.pk for m in drafts], live=True).count() == APPROVED_DURING

    assert index_documents(backend) == expected
    assert len(expected) == BASELINE + APPROVED_DURING
    assert not IndexUpdate.objects.filter(status=IndexUpdateStatus.PENDING).exists()
    updated = expected[str(baseline[0].pk)]
    assert updated["key_message"] == f"{WORD} نسخة جديدة {baseline[0].pk}"  # the new version, not the old
