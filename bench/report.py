"""The bench section of docs/benchmarks.md: a table written between markers, the rest of the file kept as is."""

from __future__ import annotations

import os
import platform
import re
from pathlib import Path
from typing import Any

from bench.findings import FINDINGS

START = "<!-- bench:start -->"
END = "<!-- bench:end -->"


def machine() -> dict[str, Any]:
    meminfo = Path("/proc/meminfo").read_text()
    total_kib = int(re.search(r"MemTotal:\s+(\d+)", meminfo).group(1))  # type: ignore[union-attr]
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = re.search(r"model name\s*:\s*(.+)", cpuinfo)
    return {
        "cores": os.cpu_count(),
        "ram_gib": round(total_kib / 1024 / 1024, 1),
        "cpu": model.group(1).strip() if model else platform.processor(),
        "python": platform.python_version(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def _yes(met: bool | None) -> str:
    return "met" if met else "**missed**"


def _ms(block: dict[str, Any] | None, key: str) -> str:
    return "—" if not block else f"{block[key]:.1f} ms"


def _row(*cells: object) -> str:
    return "| " + " | ".join(str(cell) for cell in cells) + " |"


def _cpu(per: dict[str, float]) -> str:
    parts = " + ".join(f"{role} {per[role]:.2f}" for role in ("web", "postgres", "load generator"))
    return f"{parts} = {per['total']:.2f} ms"


def _cpu_rows(api: dict[str, Any]) -> list[str]:
    budget = api.get("cpu_budget")
    if not budget:  # runs before CPU time was measured
        return []
    r = api["results"]
    return [
        _row("API (b) vs (a): CPU time a request, all processes", f"(b) {_cpu(r['list']['cpu_ms_per_request'])}",
             f"(a) {_cpu(r['floor']['cpu_ms_per_request'])}",
             f"b/a 0.3 allows (b) {budget['list_at_target_ms']:.2f} ms ((a) before and after: "
             f"{budget['floor_total_ms']:.2f} ms / 0.3)", "—", "—"),
    ]  # fmt: skip


def _api_rows(api: dict[str, Any]) -> list[str]:
    r, t, ratios = api["results"], api["targets"], api["ratios"]

    def cell(name: str) -> str:
        return f"{r[name]['rps']:.0f} req/s, p50 {r[name]['p50_ms']} ms, p99 {r[name]['p99_ms']} ms"

    before, after = r["floor"]["rps"], r["floor_after"]["rps"]
    floor = f"(a) floor {api['floor_rps_mean']:.0f} req/s (before {before:.0f}, after {after:.0f})"
    sized = []
    if "floor_sized" in r:  # runs before it was measured have no such row
        size = api["responses"]["list"]["bytes"]
        sized = [_row(f"API (b) vs (a') the floor sending {size:,} bytes", cell("list"), f"(a') {cell('floor_sized')}",
                      f"b/a' {ratios['b_over_a_sized']}", "—", "—")]  # fmt: skip
    return [
        _row("API (b) messages list, 50/page", cell("list"), floor, f"b/a {ratios['b_over_a']}", "≥ 0.3",
             _yes(t["b_over_a"]["met"])),
        *sized,
        *_cpu_rows(api),
        _row("API (c) list with ETag → 304", cell("list_304"), floor, f"c/a {ratios['c_over_a']}", "≥ 0.8",
             _yes(t["c_over_a"]["met"])),
        _row("API (b) vs (d) Wagtail API v2, 50 pages", cell("list"), f"(d) {cell('pages')}",
             f"b/d {ratios['b_over_d']}", "≥ 2", _yes(t["b_over_d"]["met"])),
    ]  # fmt: skip


def _search_rows(search: dict[str, Any]) -> list[str]:
    api, engine = search["api_opensearch"], search["engine_direct"]
    rows = [
        _row(f"Search API (OpenSearch), {search['queries']} dev queries",
             f"p50 {api['p50_ms']} ms, p95 {api['p95_ms']} ms",
             f"engine direct p50 {engine['p50_ms']} ms, p95 {engine['p95_ms']} ms",
             f"p95 {search['ratios']['api_p95_over_engine_p95']}", "≤ 1.5",
             _yes(search["targets"]["api_p95_over_engine_p95"]["met"])),
    ]  # fmt: skip
    if db := search.get("api_database"):
        rows.append(
            _row("Search API (database backend)", f"p50 {db['p50_ms']} ms, p95 {db['p95_ms']} ms",
                 f"OpenSearch API p95 {api['p95_ms']} ms",
                 f"p95 {search['ratios']['database_p95_over_opensearch_api_p95']}", "—", "—")
        )  # fmt: skip
    return rows


def _freshness_rows(fresh: dict[str, Any]) -> list[str]:
    lat, t = fresh["latency"], fresh["targets"]
    labels = {"api": ("visible in the API", "1 s"), "search": ("found by search", "3 s"),
              "webhook": ("webhook received", "5 s")}  # fmt: skip
    rows = []
    for name, (label, limit) in labels.items():
        missing = fresh["missing_within_timeout"][name]
        measured = f"p50 {_ms(lat[name], 'p50_ms')}, p95 {_ms(lat[name], 'p95_ms')}"
        measured += f", {missing} missing" if missing else ""
        rows.append(_row(f"Freshness: {label}, {fresh['approvals']} approvals", measured, "approval commit", "—",
                         f"p95 ≤ {limit}", _yes(t[name]["met"])))  # fmt: skip
    if w := lat.get("webhook_all_endpoints"):
        measured = f"p50 {w['p50_ms']:.1f} ms, p95 {w['p95_ms']:.1f} ms"
        label = f"Freshness: webhook at all {fresh['webhook_endpoints']} endpoints"
        rows.append(_row(label, measured, "approval commit", "—", "—", "—"))
    return rows


def _indexing_rows(index: dict[str, Any]) -> list[str]:
    rb, raw = index["rebuild"], index["raw_bulk"]
    return [
        _row(f"Indexing: rebuild path, {index['documents']:,} most recent rows",
             f"{rb['docs_per_second']:.0f} docs/s ({rb['documents']} in {rb['seconds']} s)",
             f"raw bulk {raw['docs_per_second']:.0f} docs/s ({raw['documents']} in {raw['seconds']} s)",
             index["ratios"]["rebuild_over_raw"], "≥ 0.5", _yes(index["targets"]["rebuild_over_raw"]["met"])),
    ]  # fmt: skip


def _memory_rows(memory: dict[str, Any]) -> list[str]:
    rows = []
    labels = (("web", "web worker (jemalloc, as deployed)"), ("web_glibc", "web worker on glibc's allocator"),
              ("celery", "Celery worker"))  # fmt: skip
    for name, label in labels:
        if m := memory.get(name):
            count = f"{m['requests']} requests" if name.startswith("web") else f"{m['tasks']} tasks"
            target, met = ("≤ +10 %", _yes(m["target"]["met"])) if name != "web_glibc" else ("—", "—")
            rows.append(_row(f"Memory: {label} PSS after {count}", f"{m['pss_kib_after'] / 1024:.1f} MiB",
                             f"after warm-up {m['pss_kib_after_warm_up'] / 1024:.1f} MiB", f"{m['growth']:+.1%}",
                             target, met))  # fmt: skip
    return rows


def table(report: dict[str, Any]) -> str:
    rows = [_row("benchmark", "measured", "baseline (same run)", "ratio", "target", "result"), _row(*["---"] * 6)]
    builders = {"api": _api_rows, "search": _search_rows, "freshness": _freshness_rows, "indexing": _indexing_rows,
                "memory": _memory_rows}  # fmt: skip
    for name, build in builders.items():
        if report.get(name):
            rows += build(report[name])
    return "\n".join(rows)


def section(report: dict[str, Any]) -> str:
    m = report["machine"]
    data = report["dataset"]
    size = (
        f"{data['messages']:,} bilingual messages ({data['messages'] * 2:,} rows), {data['institutions']} institutions"
    )
    lines = [
        START,
        "## Speed: how fast, compared with what",
        "",
        f"Recorded {report['recorded_at']} with `{report['command']}`.",
        f"Machine: {m['cores']} cores ({m['cpu']}), {m['ram_gib']} GiB RAM, Python {m['python']}; "
        f"load average at start {m['load_average_at_start']} (other work was running on the machine).",
        f"Data: {size}; the database was {'reused' if data.get('reused') else 'generated'} "
        f"(generation took {data.get('generated_in_seconds', '?')} s).",
        *(
            ["", "Each row group comes from the latest successful run of that benchmark:", ""]
            + [f"- {name}: {run}" for name, run in report.get("runs", {}).items()]
        ),
        "",
        table(report),
        "",
        "How each figure is measured, and the caveats, are in the notes below the table; the full JSON is printed",
        "by the command.",
        "",
        *report.get("notes", []),
        "",
        *FINDINGS,
        END,
    ]
    return "\n".join(lines)


def docs_write(path: Path, report: dict[str, Any]) -> None:
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n\n"
    block = section(report)
    if START in text and END in text:
        before, rest = text.split(START, 1)
        _, after = rest.split(END, 1)
        text = before + block + after
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")
