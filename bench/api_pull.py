"""API pull: requests per second and p50/p99 at concurrency 8 under gunicorn, measured with wrk.

(a) the floor: a Django view returning a byte string held in memory, through the full middleware stack;
(b) the messages list, 50 per page, one locale, no conditional header;
(c) the same request with the ETag of (b) in If-None-Match (the 304 path);
(d) Wagtail API v2 pages: 50 campaign pages with summary and body, a payload comparable to (b).
The floor is measured before and after the others; ratios use the mean of the two. (a') is the floor with a body
as large as (b)'s page, to tell what sending that many bytes costs from what making them does (no target).
"""

from __future__ import annotations

import json
import urllib.request
from typing import Any

from bench.processes import GUNICORN_THREADS, GUNICORN_WORKERS, CpuMeter, gunicorn, pids_named, wrk

LIST_PATH = "/api/v1/messages/?locale=ar&page_size=50"
PAGES_PATH = "/api/v2/pages/?type=campaigns.CampaignPage&fields=summary,body&limit=50"
FLOOR_PATH = "/bench/floor/"
CONCURRENCY = 8


def api_key_create(label: str = "bench") -> tuple[str, Any]:
    """A read key for the institution the bench reads as (one addressed by many restricted messages)."""
    from institutions.models import Institution, InstitutionAPIKey

    institution = (
        Institution.objects.filter(slug="bench-institution-010").first() or Institution.objects.order_by("pk").first()
    )
    _, key = InstitutionAPIKey.objects.create_key(name=label, institution=institution, scopes=["read", "acknowledge"])
    return key, institution


def fetch(url: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def _check(url: str, headers: dict[str, str], expected: int) -> dict[str, Any]:
    status, response_headers, body = fetch(url, headers)
    if status != expected:
        raise RuntimeError(f"{url} answered {status}, expected {expected}: {body[:300]!r}")
    items = None
    if body:
        document = json.loads(body)
        listed = document.get("results", document.get("items", [])) if isinstance(document, dict) else None
        items = len(listed) if isinstance(listed, list) else None
    return {"status": status, "bytes": len(body), "items": items, "etag": response_headers.get("ETag")}


def run(*, duration: int, log: Any) -> dict[str, Any]:
    key, institution = api_key_create()
    auth = {"Authorization": f"Api-Key {key}"}
    with gunicorn() as server:
        base = server.base
        list_check = _check(base + LIST_PATH, auth, 200)
        etag = list_check.pop("etag")
        if not etag:
            raise RuntimeError("the messages list sent no ETag")
        conditional = {**auth, "If-None-Match": etag}
        checks = {
            "floor": _check(base + FLOOR_PATH, {}, 200),
            "list": list_check,
            "list_304": _check(base + LIST_PATH, conditional, 304),
            "pages": _check(base + PAGES_PATH, {}, 200),
        }
        for check in checks.values():
            check.pop("etag", None)
        plan = [
            ("floor", FLOOR_PATH, {}),
            ("floor_sized", f"{FLOOR_PATH}{list_check['bytes']}/", {}),
            ("list", LIST_PATH, auth),
            ("list_304", LIST_PATH, conditional),
            ("pages", PAGES_PATH, {}),
            ("floor_after", FLOOR_PATH, {}),
        ]
        meter = CpuMeter({"web": lambda: [server.process.pid, *server.worker_pids()], "postgres": _postgres})
        results: dict[str, Any] = {}
        for name, path, headers in plan:
            wrk(base + path, headers=headers, duration=2, connections=CONCURRENCY)  # warm-up
            meter.start()
            results[name] = got = wrk(base + path, headers=headers, duration=duration, connections=CONCURRENCY)
            got["cpu_ms_per_request"] = _per_request(meter.stop(), got["requests"])
            log(
                f"api {name}: {got['rps']} req/s, p50 {got['p50_ms']} ms, p99 {got['p99_ms']} ms, "
                f"CPU ms a request {got['cpu_ms_per_request']}"
            )
    floor = (results["floor"]["rps"] + results["floor_after"]["rps"]) / 2
    ratios = {
        "b_over_a": round(results["list"]["rps"] / floor, 3),
        "c_over_a": round(results["list_304"]["rps"] / floor, 3),
        "b_over_d": round(results["list"]["rps"] / results["pages"]["rps"], 3),
        "b_over_a_sized": round(results["list"]["rps"] / results["floor_sized"]["rps"], 3),
    }
    targets = {"b_over_a": 0.3, "c_over_a": 0.8, "b_over_d": 2.0}  # b_over_a_sized has none
    # The cores are saturated in every run, so throughput is about the inverse of the CPU a request costs: (b) at
    # 0.3 × (a) may cost about (a)'s CPU / 0.3 a request, all processes together.
    floor_cpu = (
        results["floor"]["cpu_ms_per_request"]["total"] + results["floor_after"]["cpu_ms_per_request"]["total"]
    ) / 2
    budget = {
        "floor_total_ms": round(floor_cpu, 3),
        "list_at_target_ms": round(floor_cpu / targets["b_over_a"], 3),
        "list_measured_ms": results["list"]["cpu_ms_per_request"],
    }
    return {
        "server": f"gunicorn gthread, {GUNICORN_WORKERS} workers x {GUNICORN_THREADS} threads",
        "load": f"wrk -t1 -c{CONCURRENCY} -d{duration}s --latency (after a 2 s warm-up per endpoint)",
        "institution": institution.slug,
        "paths": {
            "floor": FLOOR_PATH,
            "floor_sized": f"{FLOOR_PATH}{list_check['bytes']}/",
            "list": LIST_PATH,
            "list_304": LIST_PATH + " + If-None-Match",
            "pages": PAGES_PATH,
        },
        "responses": checks,
        "results": results,
        "floor_rps_mean": round(floor, 1),
        "ratios": ratios,
        "cpu_budget": budget,
        "targets": {name: {"target": f">= {value}", "met": ratios[name] >= value} for name, value in targets.items()},
    }


def _postgres() -> list[int]:
    """The database server's processes on this machine (its backends serve the web workers' connections)."""
    return pids_named("postgres")


def _per_request(used: dict[str, float], requests: int) -> dict[str, float]:
    """CPU milliseconds a request, per role and in total."""
    per = {role: round(seconds * 1000 / max(requests, 1), 3) for role, seconds in used.items()}
    per["total"] = round(sum(used.values()) * 1000 / max(requests, 1), 3)
    return per
