"""Servers and workers the benchmarks start, the load generator, and memory readings. Only 127.0.0.1."""

from __future__ import annotations

import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.environment import BIN, REPO, child_env

GUNICORN_WORKERS = 2
GUNICORN_THREADS = 4
LOG_DIR = REPO / "var" / "bench"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    base: str

    def worker_pids(self) -> list[int]:
        return children_of(self.process.pid)


def _pids_whose(entry: str, matches: Callable[[str], bool]) -> list[int]:
    """Processes whose /proc/<pid>/<entry> text `matches` (a process gone meanwhile is skipped)."""
    found = []
    for path in Path("/proc").glob(f"[0-9]*/{entry}"):
        try:
            text = path.read_text()
        except OSError:
            continue
        if matches(text):
            found.append(int(path.parent.name))
    return sorted(found)


def children_of(pid: int) -> list[int]:
    return _pids_whose("status", lambda text: re.search(rf"^PPid:\s+{pid}$", text, re.M) is not None)


def _log(name: str) -> Any:
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    return (LOG_DIR / f"{name}.log").open("ab")


def _stop(process: subprocess.Popen[bytes], sig: int = signal.SIGTERM, timeout: float = 20) -> None:
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def wait_http(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status < 500:
                    return
        except Exception:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


@contextmanager
def gunicorn(*, workers: int = GUNICORN_WORKERS, threads: int = GUNICORN_THREADS, **env: str) -> Iterator[Server]:
    """gunicorn with the gthread worker, `workers` processes × `threads` threads (concurrency 8 by default), started
    as production starts it: `scripts/serve`, with jemalloc preloaded (required here)."""
    port = free_port()
    env = {"TAWASUL_JEMALLOC": "require", **env}
    command = [
        str(REPO / "scripts" / "serve"), "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers), "--threads", str(threads), "--worker-class", "gthread",
        "--backlog", "2048", "--keep-alive", "30", "--log-level", "warning",
        # At most `threads` connections per worker: wrk's keep-alive connections are then split evenly between
        # the workers. Without it one worker could take all eight, and throughput halved from run to run.
        "--worker-connections", str(threads),
    ]  # fmt: skip
    process = subprocess.Popen(
        command, cwd=REPO, env=child_env(**env), stdout=_log("gunicorn"), stderr=subprocess.STDOUT
    )
    server = Server(process=process, base=f"http://127.0.0.1:{port}")
    try:
        wait_http(server.base + "/bench/floor/")
        yield server
    finally:
        _stop(process)


@contextmanager
def celery_worker(
    *, concurrency: int = 1, queues: str | None = None, name: str = "celery", **env: str
) -> Iterator[subprocess.Popen[bytes]]:
    """A prefork worker. Without `queues` it consumes every queue in CELERY_TASK_QUEUES (`celery` and
    `webhooks`), as a plain `celery -A hub worker` does; `queues="webhooks"` is a delivery-only worker."""
    command = [
        str(BIN / "celery"), "-A", "hub", "worker", "--loglevel", "WARNING", "--pool", "prefork",
        "--concurrency", str(concurrency), "--without-gossip", "--without-mingle",
        "--hostname", f"bench-{name}-{free_port()}@127.0.0.1",
    ]  # fmt: skip
    if queues:
        command += ["--queues", queues]
    process = subprocess.Popen(command, cwd=REPO, env=child_env(**env), stdout=_log(name), stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while len(children_of(process.pid)) < concurrency and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(1.0)
        yield process
    finally:
        _stop(process, signal.SIGTERM, timeout=30)


# The beat entries that only repair what was lost (relays, deliveries, index updates). The bench data set keeps
# live rows past their expiry and embargo lifts never recorded (bulk rows bypass the publish path), which the
# `publish-scheduled` and `embargo-lifts` entries would turn into some 10,000 unpublications and events at their
# first tick: a change to the shared data set, and not what a freshness measurement is about.
REPAIR_BEAT_ENTRIES = ("outbox-sweep", "webhook-retries-due", "search-index-catch-up")


@contextmanager
def celery_beat(*, entries: tuple[str, ...] = REPAIR_BEAT_ENTRIES, **env: str) -> Iterator[subprocess.Popen[bytes]]:
    """Celery beat running only `entries` of CELERY_BEAT_SCHEDULE, with a schedule file of its own. Like every
    beat here, it sends each entry once as it starts (`hub.celery.catch_up_on_start`)."""
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    schedule = LOG_DIR / f"celerybeat-schedule-{free_port()}"
    command = [str(BIN / "python"), "-m", "bench.processes", "beat", str(schedule), *entries]
    process = subprocess.Popen(
        command, cwd=REPO, env=child_env(**env), stdout=_log("celery-beat"), stderr=subprocess.STDOUT
    )
    try:
        time.sleep(2.0)
        if process.poll() is not None:
            raise RuntimeError(f"celery beat exited with {process.returncode}; see {LOG_DIR / 'celery-beat.log'}")
        yield process
    finally:
        _stop(process, signal.SIGTERM, timeout=15)
        for leftover in LOG_DIR.glob(schedule.name + "*"):
            leftover.unlink(missing_ok=True)


def _beat_main(schedule: str, entries: list[str]) -> None:
    import django

    django.setup()
    from hub.celery import app

    known = dict(app.conf.beat_schedule)
    unknown = [entry for entry in entries if entry not in known]
    if unknown:
        raise SystemExit(f"unknown beat entries: {', '.join(unknown)}")
    app.conf.beat_schedule = {entry: known[entry] for entry in entries}
    app.Beat(schedule=schedule, loglevel="INFO", quiet=True).run()


def pss_kib(pid: int) -> int:
    """Proportional set size from /proc/<pid>/smaps_rollup (shared pages divided among their sharers)."""
    text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    match = re.search(r"^Pss:\s+(\d+) kB", text, re.M)
    if not match:
        raise RuntimeError(f"no Pss line for {pid}")
    return int(match.group(1))


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User and system CPU time a process has used so far, from /proc/<pid>/stat (0 once it has gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime and stime: fields 14 and 15 of stat


def pids_named(name: str) -> list[int]:
    return _pids_whose("comm", lambda text: text.strip() == name)


@dataclass
class CpuMeter:
    """CPU time used during a run, per role: `roles` name a function listing that role's processes (read at the
    start and the end; a process that ends in between loses its share), and "load generator" is the time of the
    child processes this process waited for meanwhile (wrk, run with `subprocess.run`)."""

    roles: dict[str, Any]
    _start: dict[str, dict[int, float]] | None = None
    _children: float = 0.0

    def start(self) -> None:
        self._start = {role: {pid: cpu_seconds(pid) for pid in pids()} for role, pids in self.roles.items()}
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        self._children = usage.ru_utime + usage.ru_stime

    def stop(self) -> dict[str, float]:
        if self._start is None:
            raise RuntimeError("CpuMeter.stop() before start()")
        used = {
            role: sum(max(cpu_seconds(pid) - self._start[role].get(pid, 0.0), 0.0) for pid in pids())
            for role, pids in self.roles.items()
        }
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        used["load generator"] = usage.ru_utime + usage.ru_stime - self._children
        return used


# wrk ------------------------------------------------------------------------------------------------------------
def wrk_ensure() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True, capture_output=True)
    found = shutil.which("wrk")
    if not found:
        raise RuntimeError("wrk is not installed and apt-get could not install it")
    return found


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    if not match:
        raise ValueError(text)
    return float(match.group(1)) * _UNITS[match.group(2)]


def wrk(url: str, *, headers: dict[str, str], duration: int, connections: int = 8, threads: int = 1) -> dict[str, Any]:
    """One wrk run at `connections` concurrency; requests per second, p50/p99 and the status mix."""
    command = [
        wrk_ensure(),
        "-t",
        str(threads),
        "-c",
        str(connections),
        "-d",
        f"{duration}s",
        "--latency",
        "--timeout",
        "10s",
    ]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    result: dict[str, Any] = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))}  # type: ignore[union-attr]
    for percentile in ("50", "75", "90", "99"):
        match = re.search(rf"^\s+{percentile}%\s+(\S+)", output, re.M)
        result[f"p{percentile}_ms"] = round(_ms(match.group(1)), 2) if match else None
    total = re.search(r"(\d+) requests in", output)
    result["requests"] = int(total.group(1)) if total else 0
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    result["non_2xx_3xx"] = int(bad.group(1)) if bad else 0
    errors = re.search(r"Socket errors: (.*)", output)
    result["socket_errors"] = errors.group(1) if errors else ""
    result["rps"] = round(result["rps"], 1)
    return result


if __name__ == "__main__":  # `python -m bench.processes beat SCHEDULE ENTRY…`, started by `celery_beat`
    import sys

    if len(sys.argv) < 4 or sys.argv[1] != "beat":
        raise SystemExit("usage: python -m bench.processes beat SCHEDULE_FILE ENTRY [ENTRY …]")
    _beat_main(sys.argv[2], sys.argv[3:])
