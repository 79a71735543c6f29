"""The bench tool's stored results: what a later `--docs-only` shows."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import bench.dataset
import bench.environment
import bench.report
from bench import __main__ as bench_main


@pytest.fixture
def bench_offline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The bench tool with no services: each run "measures" the api benchmark as `measured["api"]` says."""
    results = tmp_path / "results.json"
    stored = {"result": {"requests_per_second": 300}, "recorded_at": "2026-12-01 10:00 UTC",
              "command": "python -m bench --only api", "machine": {}, "dataset": {}}  # fmt: skip
    results.write_text(json.dumps({"api": stored}))
    written: list[dict[str, Any]] = []
    measured = {"api": {"requests_per_second": 1}}
    monkeypatch.setattr(bench_main, "RESULTS", results)
    monkeypatch.setattr(bench_main, "_services_up", lambda: None)
    monkeypatch.setattr(bench_main, "_queue_clear", lambda env: None)
    monkeypatch.setattr(bench_main, "_measure", lambda name, options: measured[name])
    monkeypatch.setattr(bench.environment, "django_setup", lambda: {})
    monkeypatch.setattr(bench.dataset, "dataset_ensure", lambda env, **kwargs: {"messages": 10})
    monkeypatch.setattr(bench.report, "docs_write", lambda path, report: written.append(report))
    return {"results": results, "written": written, "measured": measured, "docs": tmp_path / "benchmarks.md"}


def test_no_docs_leaves_the_stored_results_that_docs_only_shows(bench_offline: dict[str, Any]) -> None:
    before = bench_offline["results"].read_text()

    bench_main.main(["--only", "api", "--no-docs", "--docs", str(bench_offline["docs"])])

    assert bench_offline["results"].read_text() == before
    assert bench_offline["written"] == []
    bench_main.main(["--docs-only", "--docs", str(bench_offline["docs"])])
    assert bench_offline["written"][-1]["api"] == {"requests_per_second": 300}


def test_a_run_with_docs_replaces_the_stored_result(bench_offline: dict[str, Any]) -> None:
    bench_main.main(["--only", "api", "--docs", str(bench_offline["docs"])])

    stored = json.loads(bench_offline["results"].read_text())
    assert stored["api"]["result"] == {"requests_per_second": 1}
    bench_main.main(["--docs-only", "--docs", str(bench_offline["docs"])])
    assert bench_offline["written"][-1]["api"] == {"requests_per_second": 1}
