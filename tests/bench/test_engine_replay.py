"""The bench's engine replay: the captured requests of every Nth dev query, sent to each target in turn."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bench import __main__ as bench_main
from bench import search_latency


def test_each_query_goes_to_every_target_in_a_rotated_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    queries = [{"query": f"q{i}", "lang": "en" if i % 2 == 0 else "ar"} for i in range(6)]
    (tmp_path / "dev_queries.jsonl").write_text("\n".join(json.dumps(q) for q in queries), encoding="utf-8")
    settings.WAGTAILSEARCH_BACKENDS = {"default": {"URLS": ["http://127.0.0.1:1"]}}
    monkeypatch.setattr(search_latency, "api_key_create", lambda name: ("key", None))
    monkeypatch.setattr(
        search_latency,
        "engine_requests",
        lambda institution, chosen: [
            [("analyze", {"index": "alias", "body": q["query"]}), ("search", {"index": "alias", "body": q["query"]})]
            for q in chosen
        ],
    )
    sent: list[tuple[str, str, str]] = []

    def client(url: str) -> dict[str, Any]:
        return {
            name: lambda name=name, **kw: sent.append((name, kw["index"], kw["body"])) for name in ("search", "analyze")
        }

    monkeypatch.setattr(search_latency, "_engine_client", client)

    result = search_latency.engine_replay(data_dir=tmp_path, limit=None, every=2, against=["other"], log=print)

    warm_up = 3 * 2 * 2  # q0, q2, q4 on both targets, two requests each
    measured = sent[warm_up:]
    assert [name for name, _, _ in measured] == ["analyze", "search"] * 6
    assert [(index, body) for _, index, body in measured[1::2]] == [
        ("alias", "q0"), ("other", "q0"), ("other", "q2"), ("alias", "q2"), ("alias", "q4"), ("other", "q4"),
    ]  # fmt: skip
    assert result["queries"] == 3
    assert {name: figures["all"]["n"] for name, figures in result["targets"].items()} == {"alias": 3, "other": 3}
    assert set(result["targets"]["other"]) == {"all", "en"}


def test_the_replay_records_nothing_so_it_needs_no_docs() -> None:
    with pytest.raises(SystemExit) as refused:
        bench_main.arguments(["--only", "search", "--engine-replay"])
    assert refused.value.code == 2
    assert bench_main.arguments(["--only", "search", "--engine-replay", "--no-docs"]).engine_replay
